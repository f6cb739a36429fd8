// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import dev.kiln.analysis.Filter;
import dev.kiln.model.Profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JFR recording's JIT compiler, for the JIT and classes page, as JMC's Compilations and Code Cache pages show it: the
 * compilations the JVM recorded ({@code jdk.Compilation}: only those over the settings' threshold, 100 ms with
 * {@code profile}, 1 s by default) longest first, per compiler their count, total and longest time; the
 * deoptimizations ({@code jdk.Deoptimization}) in time order and their count by reason; the JVM's own totals from the
 * last {@code jdk.CompilerStatistics} (every compilation, not only the recorded ones); and the code cache used per code
 * heap over time ({@code jdk.CodeCacheStatistics}: reserved range minus unallocated capacity) with the number of
 * {@code jdk.CodeCacheFull} events. Events in the filter's time range (by start); the code cache series are the whole
 * recording's. Empty lists when the recording has none.
 */
public record Compilations(List<Compilation> compilations, List<Compiler> compilers, List<Deoptimization> deoptimizations,
                           List<Count> deoptimizationReasons, Statistics statistics, List<TimeSeries> codeCacheUsed,
                           long codeCacheReservedBytes, int codeCacheFull) {
    /** One recorded compilation; {@code level} is the tier (1-3 C1, 4 C2), -1 when not recorded. */
    public record Compilation(long startNanos, long durationNanos, long compileId, String method, String compiler, int level,
                              long codeSizeBytes, long inlinedBytes, boolean osr, boolean succeeded) { }

    /** One compiler's ({@code c1}, {@code c2}) recorded compilations. */
    public record Compiler(String name, int count, long totalNanos, long maxNanos) { }

    /** One deoptimization; {@code stack} is a StackTable row, -1 for none. */
    public record Deoptimization(long startNanos, String method, int line, int bci, String instruction, String reason,
                                 String action, String compiler, int stack) { }

    /** A name and how often it occurs. */
    public record Count(String name, int count) { }

    /** The JVM's compilation totals at the last {@code jdk.CompilerStatistics}, of every compilation since it started. */
    public record Statistics(long compileCount, long osrCompileCount, long bailoutCount, long invalidatedCount,
                             long totalTimeNanos, long peakTimeNanos) { }

    public static boolean applies(Profile p) {
        return StoreColumns.of(p, "jdk.Compilation") != null || StoreColumns.of(p, "jdk.Deoptimization") != null
                || StoreColumns.of(p, "jdk.CompilerStatistics") != null || StoreColumns.of(p, "jdk.ClassLoadingStatistics") != null;
    }

    public static Compilations of(Profile p, Filter f) {
        List<Compilation> comps = new ArrayList<>();
        Map<String, long[]> byCompiler = new LinkedHashMap<>(); // count, total, max
        StoreColumns c = StoreColumns.of(p, "jdk.Compilation");
        for (int r = 0; c != null && r < c.size(); r++) {
            long start = c.table().startNanos(r), d = c.table().durationNanos(r);
            if (!f.acceptsTime(start)) continue;
            String compiler = c.text("compiler", r);
            // JDK 17 and 25 spell it "succeded"
            boolean ok = c.table().field("succeded") != null ? c.bool("succeded", r) : c.bool("succeeded", r);
            comps.add(new Compilation(start, d, c.number("compileId", r), c.method("method", r), compiler, (int) c.number("compileLevel", r),
                    c.number("codeSize", r), c.number("inlinedBytes", r), c.bool("isOsr", r), ok));
            long[] t = byCompiler.computeIfAbsent(compiler, k -> new long[3]);
            t[0]++;
            t[1] += d;
            t[2] = Math.max(t[2], d);
        }
        comps.sort(Comparator.comparingLong(Compilation::durationNanos).reversed().thenComparingLong(Compilation::startNanos));
        List<Compiler> compilers = new ArrayList<>();
        byCompiler.forEach((name, t) -> compilers.add(new Compiler(name, (int) t[0], t[1], t[2])));
        compilers.sort(Comparator.comparingLong(Compiler::totalNanos).reversed());

        List<Deoptimization> deopts = new ArrayList<>();
        Map<String, Integer> reasons = new LinkedHashMap<>();
        StoreColumns d = StoreColumns.of(p, "jdk.Deoptimization");
        for (int r = 0; d != null && r < d.size(); r++) {
            long start = d.table().startNanos(r);
            if (!f.acceptsTime(start)) continue;
            String reason = d.text("reason", r);
            deopts.add(new Deoptimization(start, d.method("method", r), (int) d.number("lineNumber", r), (int) d.number("bci", r),
                    d.text("instruction", r), reason, d.text("action", r), d.text("compiler", r), d.table().stack(r)));
            reasons.merge(reason, 1, Integer::sum);
        }
        deopts.sort(Comparator.comparingLong(Deoptimization::startNanos));

        Statistics stats = null;
        StoreColumns s = StoreColumns.of(p, "jdk.CompilerStatistics");
        int last = s == null ? -1 : ClassLoading.latest(s);
        if (last >= 0) {
            stats = new Statistics(s.number("compileCount", last), s.number("osrCompileCount", last), s.number("bailoutCount", last),
                    s.number("invalidatedCount", last), s.number("totalTimeSpent", last), s.number("peakTimeSpent", last));
        }
        StoreColumns conf = StoreColumns.of(p, "jdk.CodeCacheConfiguration");
        StoreColumns full = StoreColumns.of(p, "jdk.CodeCacheFull");
        int fulls = 0;
        for (int r = 0; full != null && r < full.size(); r++) if (f.acceptsTime(full.table().startNanos(r))) fulls++;
        return new Compilations(List.copyOf(comps), List.copyOf(compilers), List.copyOf(deopts), counts(reasons), stats,
                codeCache(p), conf == null ? -1 : conf.number("reservedSize", ClassLoading.latest(conf)), fulls);
    }

    /** Names by count, most first. */
    static List<Count> counts(Map<String, Integer> by) {
        List<Count> out = new ArrayList<>();
        by.forEach((k, v) -> out.add(new Count(k, v)));
        out.sort(Comparator.comparingInt(Count::count).reversed().thenComparing(Count::name));
        return List.copyOf(out);
    }

    /** Per code heap, the bytes used at each jdk.CodeCacheStatistics. */
    private static List<TimeSeries> codeCache(Profile p) {
        StoreColumns s = StoreColumns.of(p, "jdk.CodeCacheStatistics");
        if (s == null) return List.of();
        Map<String, List<long[]>> by = new LinkedHashMap<>();
        for (int r = 0; r < s.size(); r++) {
            long used = s.number("reservedTopAddress", r) - s.number("startAddress", r) - s.number("unallocatedCapacity", r);
            by.computeIfAbsent(s.text("codeBlobType", r), k -> new ArrayList<>()).add(new long[]{s.table().startNanos(r), used});
        }
        List<TimeSeries> out = new ArrayList<>();
        by.forEach((heap, rows) -> out.add(StoreColumns.series(heap, "bytes", rows)));
        return List.copyOf(out);
    }

    /** The code cache series labelled for a chart: {@code CodeHeap 'profiled nmethods'} as {@code profiled nmethods}. */
    public List<TimeSeries> codeCacheChart() {
        List<TimeSeries> out = new ArrayList<>();
        for (TimeSeries t : codeCacheUsed) out.add(new TimeSeries(t.label().replaceAll("^CodeHeap '(.*)'$", "$1"), t.unit(), t.timeNanos(), t.values()));
        return List.copyOf(out);
    }

    /** Recorded compilation time of all compilers. */
    public long totalNanos() {
        long t = 0;
        for (Compiler c : compilers) t += c.totalNanos();
        return t;
    }
}
