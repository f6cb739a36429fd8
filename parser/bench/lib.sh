# SPDX-License-Identifier: Apache-2.0
# Shared by the benchmark scripts: each tool in its own process, timed by /usr/bin/time, medians and ratios.
# Needs TMP (a scratch directory) set by the caller.
# run NAME CMD...: runs CMD once and adds its wall time and peak RSS to NAME's. The tools take turns, run by run, so
# that the machine's drift (10-30% within minutes here) falls on all of them alike.
declare -A WALLS RSSS WALL RSS
run() {
    local name="$1"; shift
    /usr/bin/time -f "%e %M" -o "$TMP/time" "$@" > "$TMP/out-$name" 2> "$TMP/err" || { echo "failed: $*" >&2; cat "$TMP/err" >&2; exit 1; }
    read -r w r < <(tail -1 "$TMP/time")
    WALLS[$name]+="$w "
    RSSS[$name]+="$r "
}
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# medians NAME...: each NAME's median wall time (s) and peak RSS (MB) into WALL and RSS
medians() {
    for name in "$@"; do
        WALL[$name]=$(echo "${WALLS[$name]}" | median)
        RSS[$name]=$(echo "${RSSS[$name]}" | median | awk '{printf "%.0f", $1 / 1024}')
        echo "  $name: ${WALL[$name]} s, ${RSS[$name]} MB  (runs: ${WALLS[$name]}s; $(head -c 100 "$TMP/out-$name" | tr '\n' ' '))" >&2
    done
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else printf "n/a"}'; }
row() { # label kiln-name ref-name
    printf '| %s | %s s / %s MB | %s s / %s MB | %s× | %s× |\n' "$1" "${WALL[$2]}" "${RSS[$2]}" "${WALL[$3]}" "${RSS[$3]}" \
        "$(ratio "${WALL[$2]}" "${WALL[$3]}")" "$(ratio "${RSS[$2]}" "${RSS[$3]}")"
}

