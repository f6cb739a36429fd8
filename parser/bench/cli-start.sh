#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# One CLI command on a real-sized profile, JVM start included (issue 25: under half a second each): `kiln summary`,
# `kiln tree --collapsed`, `kiln diff` and `kiln export --to pprof`, each as its own process, once per way of running
# Kiln (the variants take turns, run by run), RUNS times; prints a Markdown table of medians: wall time, CPU time
# (user + sys) and peak RSS from /usr/bin/time.
#
#   mvn -B package -DskipTests                       # app/target/kiln.jar
#   mvn -B -Ppackage verify -DskipTests              # optional: the packaged launchers in packaging/target/app-image
#   bash parser/bench/cli-start.sh PPROF PPROF2 [RUNS=5]
#
# PPROF, PPROF2: e.g. parser/bench/bigpprof's `go run main.go -depth 8` run twice (131,072 samples, 4.7 MB raw).
# KILNS: the variants, `NAME=COMMAND;NAME=COMMAND...` (default: `java -jar` plain and with C1 only, and the app
# image's `kiln` and `kiln-cli` launchers when they are built). CMDS: the commands to time (default: all four).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PPROF="${1:?usage: cli-start.sh PPROF PPROF2 [RUNS]}"
PPROF2="${2:?usage: cli-start.sh PPROF PPROF2 [RUNS]}"
RUNS="${3:-5}"
JAVA="${JAVA:-java}"
JAR="$ROOT/app/target/kiln.jar"
IMAGE="$ROOT/packaging/target/app-image/kiln/bin"
[ -f "$JAR" ] || { echo "build first: mvn -B package -DskipTests" >&2; exit 1; }
DEFAULT="jar=$JAVA -jar $JAR;jar-c1=$JAVA -XX:TieredStopAtLevel=1 -jar $JAR"
[ -x "$IMAGE/kiln-cli" ] && DEFAULT+=";kiln=$IMAGE/kiln;kiln-cli=$IMAGE/kiln-cli"
KILNS="${KILNS:-$DEFAULT}"
CMDS="${CMDS:-summary tree diff export}"
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT

IFS=';' read -r -a VARIANTS <<<"$KILNS"
args() { # the arguments of command $1
    case "$1" in
        summary) echo "summary $PPROF" ;;
        tree) echo "tree $PPROF --collapsed" ;;
        diff) echo "diff $PPROF $PPROF2" ;;
        export) echo "export $PPROF --to pprof -o $TMP/export.pb.gz" ;;
        *) echo "unknown command $1" >&2; exit 64 ;;
    esac
}
declare -A WALLS CPUS RSSS
echo "$(basename "$PPROF"): $(stat -c %s "$PPROF") bytes, $(gzip -dc "$PPROF" | wc -c) raw; $RUNS runs; $(nproc) cores; $(uptime | sed 's/.*load/load/')" >&2
for ((i = 0; i < RUNS; i++)); do
    for cmd in $CMDS; do
        for v in "${VARIANTS[@]}"; do
            name="${v%%=*}"
            # shellcheck disable=SC2046 # the variant's command and the arguments split on spaces (no spaces in paths)
            /usr/bin/time -f "%e %U %S %M" -o "$TMP/time" ${v#*=} $(args "$cmd") > "$TMP/out" 2> "$TMP/err" \
                || { echo "failed: ${v#*=} $(args "$cmd")" >&2; cat "$TMP/err" >&2; exit 1; }
            read -r w u s r < <(tail -1 "$TMP/time")
            WALLS[$cmd/$name]+="$w "
            CPUS[$cmd/$name]+="$(awk -v u="$u" -v s="$s" 'BEGIN {printf "%.2f", u + s}') "
            RSSS[$cmd/$name]+="$r "
        done
    done
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

header="| median of $RUNS: wall / CPU / peak RSS |"; line="|---|"
for v in "${VARIANTS[@]}"; do header+=" \`${v%%=*}\` |"; line+="---|"; done
echo "load average after: $(uptime | sed 's/.*average: //')" >&2
echo
echo "$header"
echo "$line"
for cmd in $CMDS; do
    row="| \`kiln $cmd\` |"
    for v in "${VARIANTS[@]}"; do
        k="$cmd/${v%%=*}"
        echo "  $k: wall ${WALLS[$k]}s; CPU ${CPUS[$k]}s" >&2
        row+=" $(echo "${WALLS[$k]}" | median) s / $(echo "${CPUS[$k]}" | median) s / $(echo "${RSSS[$k]}" | median | awk '{printf "%.0f", $1 / 1024}') MB |"
    done
    echo "$row"
done
