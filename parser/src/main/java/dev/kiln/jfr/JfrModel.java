// SPDX-License-Identifier: Apache-2.0
package dev.kiln.jfr;

import dev.kiln.model.LongIntMap;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileBuilder;
import dev.kiln.model.ProfileBuilder.SampleTableBuilder;
import dev.kiln.model.SourceFormat;
import dev.kiln.model.ValueType;

import java.util.List;
import java.util.Map;

/**
 * What both JFR readers (JMC's and Kiln's streaming one) build in the same way: the sample tables per event type,
 * thread identity, the "host:port" details, the producer, sampling period and default value type. Keeping this in
 * one place is what lets the two readers produce the same {@link Profile} from the same file.
 */
final class JfrModel {
    /** Value types of the JFR sample tables, declared in the model so that analysis names them without a reader. */
    static final ValueType CPU_SAMPLES = ValueType.CPU_SAMPLES;
    static final ValueType CPU_TIME_SAMPLES = ValueType.CPU_TIME_SAMPLES;
    static final ValueType NATIVE_SAMPLES = ValueType.NATIVE_SAMPLES;
    static final ValueType ALLOC_BYTES = ValueType.ALLOC_BYTES;
    static final ValueType TLAB_BYTES = ValueType.TLAB_BYTES;

    final ProfileBuilder b;
    private final LongIntMap hostPortCache = new LongIntMap();
    private Map<String, Long> expected = Map.of();
    private SampleTableBuilder cpu, cpuTime, nativeSamples, alloc, tlab;
    String jdkVersion;
    long cpuPeriodNanos;
    boolean asyncProfiler;
    int truncatedStacks;

    JfrModel(String name) {
        this.b = new ProfileBuilder(SourceFormat.JFR, name);
    }

    /** Event counts known before reading, used to size the sample tables. */
    void expect(Map<String, Long> perType) { this.expected = perType; }

    /** The sample table of a sample or allocation event type, made on first use. */
    SampleTableBuilder sampleTableFor(String id) {
        switch (id) {
            case "jdk.ExecutionSample":
                if (cpu == null) cpu = newTable(id, CPU_SAMPLES, false, id);
                return cpu;
            case "jdk.CPUTimeSample":
                if (cpuTime == null) cpuTime = newTable(id, CPU_TIME_SAMPLES, false, id);
                return cpuTime;
            case "jdk.NativeMethodSample":
                if (nativeSamples == null) nativeSamples = newTable(id, NATIVE_SAMPLES, false, id);
                return nativeSamples;
            case "jdk.ObjectAllocationSample":
                if (alloc == null) alloc = newTable(id, ALLOC_BYTES, true, id);
                return alloc;
            default: // both TLAB event types share one table: bytes allocated in new TLABs or outside them
                if (tlab == null) {
                    tlab = newTable("jdk.ObjectAllocationInNewTLAB+OutsideTLAB", TLAB_BYTES, true,
                            "jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB");
                }
                return tlab;
        }
    }

    private SampleTableBuilder newTable(String name, ValueType type, boolean withClass, String... sourceTypes) {
        SampleTableBuilder t = b.sampleTable(name, List.of(type), true, withClass, false);
        long rows = 0;
        for (String source : sourceTypes) rows += expected.getOrDefault(source, 0L);
        if (rows > 0) t.ensure(t.size() + rows);
        return t;
    }

    /**
     * The thread row of a JFR thread. Java threads are keyed by their Java id; threads without one (JVM-internal
     * threads, or async-profiler's id 0) by name, with keys that never meet a Java id. Virtual threads (JDK 21+)
     * are the Java threads without a name, as JMC drops the 'virtual' field.
     */
    int thread(long javaId, String name) {
        if (name == null) name = "";
        boolean hasJavaId = javaId > 0;
        boolean isVirtual = hasJavaId && name.isEmpty();
        long key = hasJavaId ? javaId : Long.MIN_VALUE | (name.hashCode() & 0xffffffffL);
        return b.thread(key, name, hasJavaId ? javaId : -1, -1, isVirtual);
    }

    /** The "host:port" string index, without building the string for every event. */
    int hostPort(String host, long port) {
        String h = host == null ? "" : host;
        int hostIndex = b.string(h);
        long key = ((long) hostIndex << 32) | (port & 0xffffffffL);
        int detail = hostPortCache.get(key);
        if (detail < 0) {
            detail = b.string(h + (port > 0 ? ":" + port : ""));
            hostPortCache.put(key, detail);
        }
        return detail;
    }

    /** "OpenJDK 64-Bit Server VM (17.0.9+9-Debian-1) for linux-amd64 ..." → "17.0.9+9-Debian-1". */
    void jvmVersion(String version) {
        if (version == null) return;
        int open = version.indexOf('('), close = version.indexOf(')', open + 1);
        jdkVersion = open >= 0 && close > open ? version.substring(open + 1, close) : version;
    }

    /** A jdk.ActiveSetting: keeps the shortest execution-sample period. */
    void setting(String forType, String name, String value) {
        if ("jdk.ExecutionSample".equals(forType) && "period".equals(name) && value != null) {
            long period = parsePeriod(value);
            if (period > 0 && (cpuPeriodNanos == 0 || period < cpuPeriodNanos)) cpuPeriodNanos = period;
        }
    }

    /** Producer, period, default value type, warnings; then the immutable profile. */
    Profile build(long startEpochNanos, long endEpochNanos) {
        b.producer(asyncProfiler ? "async-profiler" + (jdkVersion == null ? "" : " on JDK " + jdkVersion)
                : jdkVersion == null ? "" : "JDK " + jdkVersion);
        if (cpuPeriodNanos > 0) b.period(new ValueType("cpu", "nanoseconds"), cpuPeriodNanos);
        if (cpu != null) b.defaultValueType(CPU_SAMPLES);
        else if (cpuTime != null) b.defaultValueType(CPU_TIME_SAMPLES);
        else if (alloc != null) b.defaultValueType(ALLOC_BYTES);
        else if (tlab != null) b.defaultValueType(TLAB_BYTES);
        long span = endEpochNanos - startEpochNanos;
        b.timeSpan(startEpochNanos, endEpochNanos < startEpochNanos ? 0 : span < 0 ? Long.MAX_VALUE : span);
        if (truncatedStacks > 0) {
            // a fact about how the file was recorded, with what to change next time (the Overview shows it as a note)
            b.warning(String.format(java.util.Locale.ROOT, "this recording's stack depth cut %,d stack trace%s short (truncated by the JVM: "
                    + "their frames nearest the root, such as main or Thread.run, are missing); to keep whole stacks next time, record "
                    + "with -XX:FlightRecorderOptions:stackdepth=256 (the default is 64 frames)", truncatedStacks, truncatedStacks == 1 ? "" : "s"));
        }
        return b.build();
    }

    /** "20 ms", "10ms", "1 s", "500 us" as nanoseconds; 0 for anything else ("everyChunk", "off"). */
    static long parsePeriod(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*(\\d+)\\s*(ns|us|ms|s|m|h)\\s*").matcher(text);
        if (!m.matches()) return 0;
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ns" -> n;
            case "us" -> n * 1_000L;
            case "ms" -> n * 1_000_000L;
            case "s" -> n * 1_000_000_000L;
            case "m" -> n * 60_000_000_000L;
            default -> n * 3_600_000_000_000L;
        };
    }
}
