#!/bin/sh
# go tool pprof -symbolize=none -top of every sample type of each file, in the raw unit (B, ns, us), every node
G=/usr/lib/go-1.23/bin/go
for f in "$@"; do
  : > $f.top.txt
  for si in $($G tool pprof -raw $f 2>/dev/null | grep -A1 '^Samples:' | tail -1); do
    t=${si%/*}; u=""
    case "${si#*/}" in bytes) u=-unit=B;; nanoseconds) u=-unit=ns;; microseconds) u=-unit=us;; esac
    TZ=UTC $G tool pprof -symbolize=none -top -nodefraction=0 -edgefraction=0 $u -sample_index=$t $f 2>/dev/null | grep -v '^Duration\|^Time' >> $f.top.txt
  done
done
