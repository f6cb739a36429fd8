#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Kiln against `go tool trace -pprof=sched` on Go execution traces, each tool in its own process, timed as a whole
# (wall time and peak RSS), RUNS times, taking turns; prints medians and ratios as one Markdown table.
#
#   mvn -B install -DskipTests
#   bash parser/bench/go-traces.sh TRACE [RUNS=3]
#
# TRACE: e.g. ../shared/corpus/gen/gotrace traced for 1.5 s (go run -trimpath . -o mixed-30.trace -d 1500ms -w 4,
# 33 MB). GO: a Go 1.22+ toolchain (default /usr/lib/go-1.23/bin/go, from Debian's bookworm-backports).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TRACE="${1:?usage: go-traces.sh TRACE [RUNS]}"
RUNS="${2:-3}"
JAVA="${JAVA:-java}"
HEAP="${HEAP:--Xmx2g}"
GO="${GO:-/usr/lib/go-1.23/bin/go}"
JAR="$ROOT/app/target/kiln.jar"
[ -f "$JAR" ] || { echo "build first: mvn -B install -DskipTests" >&2; exit 1; }
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SIZE_MB=$(( $(stat -c %s "$TRACE") / 1048576 ))
echo "trace: $TRACE ($SIZE_MB MB), $RUNS runs each, $HEAP, $("$GO" version)" >&2
for ((i = 0; i < RUNS; i++)); do
    run kiln-sched "$JAVA" $HEAP -jar "$JAR" export "$TRACE" --to pprof --value sched -o "$TMP/kiln.sched.pb.gz"
    run go-sched   sh -c "'$GO' tool trace -pprof=sched '$TRACE' > '$TMP/go.sched.pb'"
    run kiln-summary "$JAVA" $HEAP -jar "$JAR" summary "$TRACE"
done
medians kiln-sched go-sched kiln-summary
"$GO" tool pprof -top -nodecount=3 "$TMP/kiln.sched.pb.gz" 2>/dev/null | sed -n '/^Showing nodes/p' | sed 's/^/  kiln: /' >&2
"$GO" tool pprof -top -nodecount=3 "$TMP/go.sched.pb" 2>/dev/null | sed -n '/^Showing nodes/p' | sed 's/^/  go:   /' >&2

echo
echo "| $SIZE_MB MB Go trace, median of $RUNS | Kiln | go tool trace | time ratio | peak RSS ratio |"
echo "|---|---|---|---|---|"
row "scheduler-latency profile: \`kiln export --to pprof --value sched\` vs \`go tool trace -pprof=sched\`" kiln-sched go-sched
row "the whole trace: \`kiln summary\` vs \`go tool trace -pprof=sched\`" kiln-summary go-sched
