#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Kiln against `go tool pprof -top` on a big pprof profile, with gunzip alone as the floor, each tool in its own
# process, timed as a whole (wall time and peak RSS from /usr/bin/time, JVM start included), RUNS times, the tools
# taking turns; prints medians and ratios as one Markdown table. Also: `kiln diff` of two such profiles against one
# `kiln summary`, and the window's first flame graph measured in-process (dev.kiln.bench.FirstFlameBenchmark: the
# load, the default weight's call tree and its flame layout, in a cold JVM as the app's is on a first open).
#
#   mvn -B package -DskipTests && mvn -B -pl parser test-compile   # kiln.jar, its lib/ and the bench classes
#   bash parser/bench/big-pprof.sh PPROF [PPROF2] [RUNS=3]
#
# PPROF, PPROF2: e.g. two runs of parser/bench/bigpprof (go run main.go -o allocs.pb.gz: 2,097,152 samples, 84 MB
# uncompressed); PPROF2 defaults to a copy of PPROF. GO: default /usr/lib/go-1.23/bin/go. HEAP: options for every
# Java run (default none: as `java -jar kiln.jar` runs).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PPROF="${1:?usage: big-pprof.sh PPROF [PPROF2] [RUNS]}"
RUNS="${3:-3}"
JAVA="${JAVA:-java}"
HEAP="${HEAP:-}"
GO="${GO:-/usr/lib/go-1.23/bin/go}"
JAR="$ROOT/app/target/kiln.jar"
BENCH="$ROOT/parser/target/test-classes"
[ -f "$JAR" ] && [ -d "$BENCH/dev/kiln/bench" ] || { echo "build first: mvn -B package -DskipTests && mvn -B -pl parser test-compile" >&2; exit 1; }
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
PPROF2="${2:-}"
if [ -z "$PPROF2" ]; then PPROF2="$TMP/copy-$(basename "$PPROF")"; cp "$PPROF" "$PPROF2"; fi
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SIZE_MB=$(( $(stat -c %s "$PPROF") / 1048576 ))
echo "pprof: $PPROF ($SIZE_MB MB compressed, $(gzip -dc "$PPROF" | wc -c) bytes raw), $RUNS runs each, HEAP='$HEAP', $("$GO" version)" >&2
FLAMES=""
for ((i = 0; i < RUNS; i++)); do
    run gunzip       sh -c "gzip -dc '$PPROF' | wc -c"
    run kiln-summary "$JAVA" $HEAP -jar "$JAR" summary "$PPROF"
    run pprof-top    "$GO" tool pprof -top "$PPROF"
    run kiln-diff    "$JAVA" $HEAP -jar "$JAR" diff "$PPROF" "$PPROF2"
    run kiln-flame   "$JAVA" $HEAP -cp "$JAR:$ROOT/app/target/lib/*:$BENCH" dev.kiln.bench.FirstFlameBenchmark "$PPROF"
    FLAMES+="$(grep -o 'first flame graph [0-9]* ms' "$TMP/out-kiln-flame" | grep -o '[0-9]*') "
done
medians gunzip kiln-summary pprof-top kiln-diff kiln-flame
FLAME=$(echo "$FLAMES" | median)

echo
echo "| $SIZE_MB MB pprof, median of $RUNS | Kiln | reference | time ratio | peak RSS ratio |"
echo "|---|---|---|---|---|"
row "top table: \`kiln summary\` vs \`go tool pprof -top\`" kiln-summary pprof-top
row "the floor: \`kiln summary\` vs \`gzip -dc \| wc -c\`" kiln-summary gunzip
row "two profiles: \`kiln diff A B\` vs \`kiln summary A\`" kiln-diff kiln-summary
echo "| first flame graph in the window's steps (FirstFlameBenchmark, in-process, cold JVM) | ${FLAME} ms (process ${WALL[kiln-flame]} s / ${RSS[kiln-flame]} MB) | | | |"
