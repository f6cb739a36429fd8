#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Ground truth for `kiln graph` and analysis.graph.CallGraph: `go tool pprof -dot -nodecount=N` of the corpus profiles
# (default units, default node and edge fractions), written as NAME.graphN.dot (the profile's default weight) or
# NAME.WEIGHT.graphN.dot. Run from this folder; GO defaults to Go 1.23's tool (/usr/lib/go-1.23/bin/go); review the diff.
set -euo pipefail
GO=${GO:-/usr/lib/go-1.23/bin/go}
dot() { # PROFILE N [WEIGHT]
    local base=${1%.pb.gz} out
    if [ $# -ge 3 ]; then out="$base.$3.graph$2.dot"; else out="$base.graph$2.dot"; fi
    "$GO" tool pprof -dot -nodecount="$2" ${3:+-sample_index=$3} "$1" > "$out" 2>/dev/null
}
dot cpu-regressed.pb.gz 20
dot cpu-regressed.pb.gz 80
dot cpu-baseline.pb.gz 10
dot cpu-baseline.pb.gz 80
dot heap-regressed.pb.gz 10
dot heap-regressed.pb.gz 80 alloc_space
dot allocs-baseline.pb.gz 20
dot block.pb.gz 80
dot mutex.pb.gz 5 contentions
dot goroutine.pb.gz 8
dot jvm-asprof-cpu.pb.gz 30
dot jvm-asprof-cpu.pb.gz 80
dot jvm-asprof-alloc.pb.gz 40
