#!/usr/bin/env bash
# Ground truth of a Go execution trace's minimum mutator utilization curve: the JSON that `go tool trace`'s MMU page
# plots (100 window sizes from where the MMU leaves 0, with the page's default options: system view, STW, background
# mark workers and mark assists; sweeping not counted).
# usage: mmu.sh GO TRACE > TRACE-without-.trace.mmu.json   (GO: e.g. /usr/lib/go-1.23/bin/go)
set -euo pipefail
go=$1 trace=$2 port=${PORT:-17788}
"$go" tool trace -http=127.0.0.1:$port "$trace" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for i in $(seq 1 120); do
    if curl -sf "http://127.0.0.1:$port/mmu?mode=plot&flags=system|stw|background|assist" 2>/dev/null; then exit 0; fi
    sleep 0.5
done
echo "go tool trace did not answer" >&2
exit 1
