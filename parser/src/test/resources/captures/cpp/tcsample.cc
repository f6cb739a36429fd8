// Writes tcmalloc's sampled heap profile (GetHeapSample: heap_v2) and its heap growth stacks (GetHeapGrowthStacks:
// growthz) as text, the two profiles a server's /pprof/heap and /pprof/growth pages serve.
#include <gperftools/malloc_extension.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
static void *keep[8192];
__attribute__((noinline)) void *alloc_small(int i) { return malloc(64 + (i % 7) * 16); }
__attribute__((noinline)) void *alloc_big(int i) { return malloc(512 * 1024 + i * 64); }
__attribute__((noinline)) void fill(int rounds) {
  for (int r = 0; r < rounds; r++)
    for (int i = 0; i < 8192; i++) {
      free(keep[i]);
      keep[i] = (i % 128 == 0) ? alloc_big(i + r) : alloc_small(i);
      memset(keep[i], 1, 32);
    }
}
static void write(const char *path, const std::string &s) {
  FILE *f = fopen(path, "w");
  fwrite(s.data(), 1, s.size(), f);
  fclose(f);
}
int main(int argc, char **argv) {
  fill(20);
  std::string heap, growth;
  MallocExtension::instance()->GetHeapSample(&heap);
  MallocExtension::instance()->GetHeapGrowthStacks(&growth);
  write(argv[1], heap);
  write(argv[2], growth);
  return 0;
}
