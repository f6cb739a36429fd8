#include <stdlib.h>
#include <string.h>
#include <stdio.h>
static void *keep[4096];
__attribute__((noinline)) void *alloc_small(int i) { return malloc(64 + (i % 7) * 16); }
__attribute__((noinline)) void *alloc_big(int i) { return malloc(256 * 1024 + i); }
__attribute__((noinline)) double spin(long n) { double x = 0; for (long i = 0; i < n; i++) x += (double) i / (i + 1); return x; }
int main(void) {
  double s = 0;
  for (int r = 0; r < 40; r++) {
    for (int i = 0; i < 4096; i++) { free(keep[i]); keep[i] = (i % 64 == 0) ? alloc_big(i) : alloc_small(i); memset(keep[i], 1, 32); }
    s += spin(30000000 + r);
  }
  printf("%f\n", s);
  return 0;
}
