#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Ground truth for `kiln list` and `kiln peek`: `go tool pprof -list 'main\.'` of the corpus profiles, values in exact units, with the
# generator's sources copied under ../sources (the profiles record them as /kiln-corpus/go/...). Run from this folder
# with Go's pprof on the PATH (Debian's golang-go 1.19 made the committed files); review the diff.
set -euo pipefail
list() { # OUT PROFILE SAMPLE_INDEX UNIT
    go tool pprof -list 'main\.' -sample_index="$3" -unit="$4" -source_path ../sources -trim_path /kiln-corpus "$2" > "$1" 2>/dev/null
}
list cpu-regressed.list.txt cpu-regressed.pb.gz cpu ns
list allocs-baseline.list.txt allocs-baseline.pb.gz alloc_space B
list heap-regressed.list.txt heap-regressed.pb.gz inuse_space B
list block.list.txt block.pb.gz delay ns
list mutex.list.txt mutex.pb.gz contentions count
# and for `kiln peek`: `go tool pprof -peek 'main\.'`
peek() { go tool pprof -peek 'main\.' -sample_index="$3" -unit="$4" "$2" > "$1" 2>/dev/null; }
peek cpu-regressed.peek.txt cpu-regressed.pb.gz cpu ns
peek block.peek.txt block.pb.gz delay ns
