#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The held-out recordings of issue 22 (print/jdk17-zgc.jfr, jdk17-serial.jfr, jdk25-parallel.jfr, jdk25-serial.jfr):
# Holdout.java on JDK 17 and JDK 25 with other collectors than the corpus's, profile settings, exceptions on, no
# process list (the host's processes are not the recording's business), no PLAB events (for size). Writes them with
# their ground truth (`jfr summary` of the recording JDK's tool) into ../print/; then run ../print-truth.sh.
# Needs root for the neutral working directory /kiln-holdout (it is recorded in the captures).
set -euo pipefail
GEN="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$GEN/../print"
J17=${J17:-/usr/lib/jvm/java-17-openjdk-amd64}
J25=${J25:-/usr/lib/jvm/temurin-25-jdk-amd64}
WORK=/kiln-holdout
rm -rf "$WORK" && mkdir -p "$WORK/home" && trap 'rm -rf "$WORK"' EXIT
cp "$GEN/Holdout.java" "$WORK/"
SETTINGS=settings=profile,+jdk.JavaExceptionThrow#enabled=true,+jdk.SystemProcess#enabled=false
SETTINGS=$SETTINGS,+jdk.PromoteObjectInNewPLAB#enabled=false,+jdk.PromoteObjectOutsidePLAB#enabled=false
record() { # NAME JDK GC-FLAG
    (cd "$WORK" && "$2/bin/javac" -d "cls-$1" Holdout.java \
        && env -i PATH=/usr/bin:/bin HOME="$WORK/home" LANG=C.UTF-8 TZ=UTC "$2/bin/java" "$3" -Xmx128m -cp "cls-$1" \
            "-XX:StartFlightRecording=filename=$1.jfr,$SETTINGS" Holdout 2500 && rm -rf scratch)
    mv "$WORK/$1.jfr" "$OUT/$1.jfr"
    "$2/bin/jfr" summary "$OUT/$1.jfr" > "$OUT/$1.summary.txt"
}
record jdk17-zgc "$J17" -XX:+UseZGC
record jdk17-serial "$J17" -XX:+UseSerialGC
record jdk25-parallel "$J25" -XX:+UseParallelGC
record jdk25-serial "$J25" -XX:+UseSerialGC
