#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Ground truth for `kiln events FILE --type T --json`: the JDK's own `jfr print --json` of every event type of some
# corpus recordings, kept short: per type the number of events and the first and last HEAD of them, exactly as jfr
# print wrote them (values, order), in print/NAME.print.json.gz as {"TYPE": {"count": N, "head": [...], "tail": [...]}}.
# Run from this folder; JFR defaults to JDK 17's tool; review the diff. (jfr print sorts a chunk's events by their end.)
set -euo pipefail
JFR=${JFR:-/usr/lib/jvm/java-17-openjdk-amd64/bin/jfr}
HEAD=${HEAD:-3}
truth() { # NAME (under print/ when there is no ./NAME.jfr)
    local file="$1.jfr"; [ -f "$file" ] || file="print/$1.jfr"
    "$JFR" print --json "$file" | python3 -c '
import collections, gzip, json, sys
head = int(sys.argv[2])
by_type = collections.OrderedDict()
for e in json.load(sys.stdin)["recording"]["events"]:
    by_type.setdefault(e["type"], []).append(e)
out = {t: {"count": len(es), "head": es[:head], "tail": es[max(head, len(es) - head):]} for t, es in by_type.items()}
with gzip.GzipFile(sys.argv[1], "wb", mtime=0) as f:
    f.write(json.dumps(out, indent=0, sort_keys=False).encode())
' "print/$1.print.json.gz" "$HEAD"
}
: "${SKIP_PRINT:=}"
[ -n "$SKIP_PRINT" ] || {
truth jdk17-mixed
truth jdk17-multichunk
truth jdk25-mixed
truth asprof-jdk17-mixed
truth jdk17-emergency-dump
truth jdk17-parallel-gc
JFR=/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr truth jdk25-zgc # JDK 25's recording, JDK 25's tool
# the held-out recordings (gen/record-holdout.sh), each with its own JDK's tool
truth jdk17-zgc
truth jdk17-serial
JFR=/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr truth jdk25-parallel
JFR=/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr truth jdk25-serial
}

# Whole, for kiln gc and kiln env: every event of the types they read, as jfr print --json writes them.
GC=jdk.GarbageCollection,jdk.GCHeapSummary,jdk.GCPhasePause,jdk.GCPhasePauseLevel1,jdk.GCPhasePauseLevel2
ENV=jdk.JVMInformation,jdk.InitialSystemProperty,jdk.InitialEnvironmentVariable,jdk.OSInformation,jdk.CPUInformation
ENV=$ENV,jdk.PhysicalMemory,jdk.VirtualizationInformation,jdk.ContainerConfiguration,jdk.ActiveSetting
ENV=$ENV,jdk.BooleanFlag,jdk.IntFlag,jdk.UnsignedIntFlag,jdk.LongFlag,jdk.UnsignedLongFlag,jdk.DoubleFlag,jdk.StringFlag
ENV=$ENV,jdk.ActiveRecording
whole() { # NAME WHAT TYPES
    local file="$1.jfr"; [ -f "$file" ] || file="print/$1.jfr"
    "$JFR" print --json --stack-depth 0 --events "$3" "$file" | python3 -c '
import gzip, json, sys
with gzip.GzipFile(sys.argv[1], "wb", mtime=0) as f:
    f.write(json.dumps(json.load(sys.stdin), indent=0).encode())
' "print/$1.$2.json.gz"
}
for name in jdk17-mixed jdk25-mixed jdk17-multichunk jdk17-parallel-gc; do whole "$name" gc "$GC"; done
for name in jdk17-zgc jdk17-serial; do whole "$name" gc "$GC"; done # the held-out ones, each with its own JDK's tool
for name in jdk25-parallel jdk25-serial; do JFR=/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr whole "$name" gc "$GC"; done
for name in jdk17-mixed jdk25-mixed; do whole "$name" env "$ENV"; done
# For the CPU page and the Threads band (analysis.jvm.CpuLoad): every CPU load sample.
CPU=jdk.CPULoad
for name in jdk17-mixed jdk25-mixed jdk17-parallel-gc; do whole "$name" cpu "$CPU"; done
# For the Exceptions page (analysis.jvm.ThrownExceptions): every thrown exception and error, and the statistics;
# JDK 25's recording with JDK 25's tool.
EXCEPTIONS=jdk.JavaExceptionThrow,jdk.JavaErrorThrow,jdk.ExceptionStatistics
whole jdk17-parallel-gc exceptions "$EXCEPTIONS"
JFR=/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr whole jdk25-zgc exceptions "$EXCEPTIONS"
# For the I/O page (analysis.jvm.IoTargets): every file and socket event.
IO=jdk.FileRead,jdk.FileWrite,jdk.FileForce,jdk.SocketRead,jdk.SocketWrite
for name in jdk17-mixed jdk25-mixed; do whole "$name" io "$IO"; done
# For kiln diff's JVM rows (analysis.diff.JvmDiff): every thrown exception and error, and every JIT compilation.
EXC=jdk.JavaExceptionThrow,jdk.JavaErrorThrow,jdk.Compilation
for name in jdk17-mixed jdk17-parallel-gc; do whole "$name" exc "$EXC"; done
# For the JIT and classes page (analysis.jvm.Compilations, ClassLoading) and the safepoints page (analysis.jvm.Safepoints);
# a JDK 25 recording with JDK 25's tool.
JIT=jdk.Compilation,jdk.Deoptimization,jdk.CodeCacheStatistics,jdk.CodeCacheConfiguration,jdk.CodeCacheFull,jdk.CompilerStatistics
JIT=$JIT,jdk.ClassLoadingStatistics,jdk.ClassLoaderStatistics,jdk.ClassLoad,jdk.ClassDefine,jdk.ClassUnload
SAFEPOINTS=jdk.SafepointBegin,jdk.SafepointStateSynchronization,jdk.SafepointEnd,jdk.ExecuteVMOperation
for name in jdk17-mixed jdk17-parallel-gc jdk17-safepoints; do whole "$name" jit "$JIT"; whole "$name" safepoints "$SAFEPOINTS"; done
for name in jdk25-mixed jdk25-zgc; do JFR=/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr whole "$name" jit "$JIT"; JFR=/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr whole "$name" safepoints "$SAFEPOINTS"; done
# For the CPU page's thread CPU top (analysis.jvm.ThreadCpu): every thread CPU load and context switch rate event.
THREADCPU=jdk.ThreadCPULoad,jdk.ThreadContextSwitchRate
for name in jdk17-mixed jdk25-mixed; do whole "$name" threadcpu "$THREADCPU"; done
# For the Memory page (analysis.jvm.AllocationRate, Metaspace): allocation samples and totals, metaspace summaries.
MEM=jdk.ObjectAllocationSample,jdk.ThreadAllocationStatistics,jdk.MetaspaceSummary
for name in jdk17-mixed jdk25-mixed; do whole "$name" mem "$MEM"; done
# For the leak candidates (analysis.jvm.OldObjects): every old-object sample with its allocation stack (64 frames).
old() {
    "$JFR" print --json --stack-depth 64 --events jdk.OldObjectSample "$1.jfr" | python3 -c '
import gzip, json, sys
with gzip.GzipFile(sys.argv[1], "wb", mtime=0) as f:
    f.write(json.dumps(json.load(sys.stdin), indent=0).encode())
' "print/$1.old.json.gz"
}
for name in jdk17-mixed jdk25-mixed; do old "$name"; done
# For kiln tree --value exceptions: the held-out ZGC recording's throws with their stacks (64 frames).
throws() {
    "$JFR" print --json --stack-depth 64 --events jdk.JavaExceptionThrow,jdk.JavaErrorThrow "print/$1.jfr" | python3 -c '
import gzip, json, sys
with gzip.GzipFile(sys.argv[1], "wb", mtime=0) as f:
    f.write(json.dumps(json.load(sys.stdin), indent=0).encode())
' "print/$1.throws.json.gz"
}
throws jdk17-zgc
# For the JIT page's deoptimization stacks: every deoptimization of jdk17-mixed with its stack (64 frames).
"$JFR" print --json --stack-depth 64 --events jdk.Deoptimization jdk17-mixed.jfr | python3 -c '
import gzip, json, sys
with gzip.GzipFile(sys.argv[1], "wb", mtime=0) as f:
    f.write(json.dumps(json.load(sys.stdin), indent=0).encode())
' print/jdk17-mixed.deopt.json.gz
