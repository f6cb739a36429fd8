#!/usr/bin/env bash
# Ground truth of a Go execution trace from Go's own reader: events by kind, goroutines, Ps and state transitions
# counted from `go tool trace -d=1` (the same lines as mixed.facts.txt, which ../shared/corpus made).
# usage: facts.sh GO TRACE > TRACE-without-.trace.facts.txt   (GO: e.g. /usr/lib/go-1.23/bin/go)
set -euo pipefail
go=$1 trace=$2
echo "# facts of $(basename "$trace") from 'go tool trace -d=1' ($("$go" version | awk '{print $3}')), counted with awk"
"$go" tool trace -d=1 "$trace" | awk '
  /^M=/ { kind[$4]++
          if ($4 == "StateTransition") {
            match($0, /Resource=[A-Za-z]+\([0-9-]+\)/); r = substr($0, RSTART + 9, RLENGTH - 9)
            split(r, parts, "("); res = parts[1]
            if (res == "Goroutine") g[r] = 1; else if (res == "Proc") p[r] = 1
            tr[res " " $NF]++
          } }
  END { for (k in kind) print "events " k, kind[k]
        n = 0; for (x in g) n++; print "goroutines", n
        n = 0; for (x in p) n++; print "procs", n
        for (t in tr) print "transition " t, tr[t] }' | LC_ALL=C sort
