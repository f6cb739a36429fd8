#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Kiln against the reference readers on big captures, each tool in its own process, timed as a whole
# (wall time and peak RSS from /usr/bin/time), RUNS times, the tools taking turns; prints medians and ratios as one
# Markdown table.
#
#   mvn -B install -DskipTests          # builds app/target/kiln.jar, its lib/ and the bench classes (test code)
#   bash parser/bench/big-captures.sh JFR [PPROF] [RUNS=3]
#
# JFR: a big recording, e.g. from ../shared/corpus/gen/gen_big_jfr.sh (never committed).
# PPROF: a big pprof profile, e.g. from parser/bench/bigpprof (go run main.go -o allocs.pb.gz).
# References: async-profiler's jfr-converter 4.2 (its default: execution and native-method samples) (fetched from Maven Central into ~/.m2 when missing),
# JMC 9.1.2's loader and the JDK's RecordingFile (both through dev.kiln.bench.ReferenceLoaders), `go tool pprof`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JFR="${1:?usage: big-captures.sh JFR [PPROF] [RUNS]}"
PPROF="${2:-}"
RUNS="${3:-3}"
JAVA="${JAVA:-java}"
HEAP="${HEAP:--Xmx2g}"   # JVM options for every Java tool alike, e.g. HEAP="-Xmx2g -XX:TieredStopAtLevel=1"
JAR="$ROOT/app/target/kiln.jar"
BENCH="$ROOT/parser/target/test-classes"   # dev.kiln.bench is test code: the product's jar carries no benchmark
[ -f "$JAR" ] && [ -d "$BENCH/dev/kiln/bench" ] || { echo "build first: mvn -B install -DskipTests" >&2; exit 1; }
CP="$JAR:$ROOT/app/target/lib/*:$BENCH"
CONV="$HOME/.m2/repository/tools/profiler/jfr-converter/4.2/jfr-converter-4.2.jar"
[ -f "$CONV" ] || mvn -B -q dependency:get -Dartifact=tools.profiler:jfr-converter:4.2 >/dev/null
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SIZE_MB=$(( $(stat -c %s "$JFR") / 1048576 ))
echo "JFR: $JFR ($SIZE_MB MB), $RUNS runs each, $HEAP" >&2
for ((i = 0; i < RUNS; i++)); do
    run kiln-cpu      "$JAVA" $HEAP -cp "$CP" dev.kiln.app.Main tree "$JFR" --collapsed
    # The converter's default event selection: every jdk.ExecutionSample (and jdk.NativeMethodSample). Not --cpu: in 4.2
    # that keeps only samples in async-profiler's own STATE_DEFAULT thread state, so on a JDK recording it finds no
    # sample and writes an empty file (an earlier version of this script compared against that).
    run converter     "$JAVA" $HEAP -jar "$CONV" -o collapsed "$JFR" "$TMP/conv.collapsed"
    run kiln-full     "$JAVA" $HEAP -cp "$CP" dev.kiln.bench.ReferenceLoaders kiln "$JFR"
    # Kiln as the installers' kiln-cli launcher runs it (packaging/src/main/resources/kiln-cli.properties: C1 only)
    run kiln-full-cli "$JAVA" $HEAP -XX:TieredStopAtLevel=1 -Dkiln.jfr.firstChunkAlone=false -cp "$CP" dev.kiln.bench.ReferenceLoaders kiln "$JFR"
    run kiln-jmc-path "$JAVA" $HEAP -Dkiln.jfr.reader=jmc -cp "$CP" dev.kiln.bench.ReferenceLoaders kiln "$JFR"
    run recordingfile "$JAVA" $HEAP -cp "$CP" dev.kiln.bench.ReferenceLoaders recordingfile "$JFR"
    run jmc           "$JAVA" $HEAP -cp "$CP" dev.kiln.bench.ReferenceLoaders jmc "$JFR"
done
medians kiln-cpu converter kiln-full kiln-full-cli kiln-jmc-path recordingfile jmc
[ -s "$TMP/conv.collapsed" ] || { echo "the converter wrote no stacks: not a reference" >&2; exit 1; }
"$JAVA" $HEAP -cp "$CP" dev.kiln.app.Main tree "$JFR" --collapsed > "$TMP/kiln.collapsed"
echo "  collapsed stacks: Kiln $(wc -l < "$TMP/kiln.collapsed") lines, $(awk '{s += $NF} END {print s}' "$TMP/kiln.collapsed") samples" \
     "(jdk.ExecutionSample); converter $(wc -l < "$TMP/conv.collapsed") lines, $(awk '{s += $NF} END {print s}' "$TMP/conv.collapsed")" \
     "samples (execution and native-method samples)" >&2

echo
echo "| $SIZE_MB MB JFR, median of $RUNS | Kiln | reference | time ratio | peak RSS ratio |"
echo "|---|---|---|---|---|"
row "first CPU flame graph: \`kiln tree --collapsed\` vs async-profiler \`jfr-converter -o collapsed\`" kiln-cpu converter
row "full model: Kiln's streaming reader vs the JDK's \`RecordingFile\` (every event)" kiln-full recordingfile
row "full model, Kiln with \`kiln-cli\`'s JVM options (C1 only) vs \`RecordingFile\` with the options above" kiln-full-cli recordingfile
row "full model: Kiln's streaming reader vs JMC's \`loadEvents\`" kiln-full jmc
row "full model: Kiln through JMC (\`-Dkiln.jfr.reader=jmc\`) vs JMC's \`loadEvents\`" kiln-jmc-path jmc

if [ -n "$PPROF" ]; then
    command -v go >/dev/null || { echo "go is not installed: skipping the pprof comparison" >&2; exit 0; }
    PSIZE=$(( $(stat -c %s "$PPROF") / 1048576 ))
    echo "pprof: $PPROF ($PSIZE MB compressed)" >&2
    for ((i = 0; i < RUNS; i++)); do
        run kiln-top "$JAVA" $HEAP -cp "$CP" dev.kiln.app.Main summary "$PPROF"
        run pprof-top go tool pprof -top "$PPROF"
    done
    medians kiln-top pprof-top
    echo
    echo "| pprof, median of $RUNS | Kiln | reference | time ratio | peak RSS ratio |"
    echo "|---|---|---|---|---|"
    row "top table: \`kiln summary\` vs \`go tool pprof -top\`" kiln-top pprof-top
fi
