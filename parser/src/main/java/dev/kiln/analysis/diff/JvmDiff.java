// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.diff;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.jvm.GcPauses;
import dev.kiln.analysis.jvm.HeapSeries;
import dev.kiln.analysis.jvm.IoTargets;
import dev.kiln.analysis.jvm.TimeSeries;
import dev.kiln.analysis.timeline.UserRanges;
import dev.kiln.model.JfrEventTable;
import dev.kiln.model.JfrField;
import dev.kiln.model.Profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JVM side of a {@link Diff} of two JFR recordings, each side in its own filter's time range:
 * <ul>
 * <li>{@link #metrics()}: {@code gc-count} (collections, {@link GcPauses}), {@code gc-pause-p99} and
 *     {@code gc-pause-max} (nearest-rank 99th percentile and longest pause of one collection, nanoseconds),
 *     {@code heap-after-gc-max} (peak heap used after a collection, bytes, {@link HeapSeries}), {@code exceptions}
 *     (thrown, all classes) and {@code compilations} ({@code jdk.Compilation} events);</li>
 * <li>{@link #exceptions()}: thrown per class ({@code java.lang.NumberFormatException}), from
 *     {@code jdk.JavaExceptionThrow}, or from {@code jdk.JavaErrorThrow} when the recording has no
 *     {@code JavaExceptionThrow} event (the default settings record errors only);</li>
 * <li>{@link #io()}: bytes read plus written per file path and socket {@code host:port} ({@link IoTargets});</li>
 * <li>{@link #events()}: events per event type ({@code jdk.GarbageCollection}), every type either side wrote, counted
 *     as {@code jfr summary} counts them when the filter keeps the whole recording, each row against its own counts
 *     (jdk.GCHeapSummary 360 -> 30 is SHRANK, however many events of other types there are).</li>
 * </ul>
 * Empty when either side is not a JFR recording with an event store. Values compare raw (never normalized) and
 * exactly: the JVM records every collection, compilation (over its threshold) and throw, so a count that changed is
 * GREW or SHRANK beyond 1% of the larger side (the diff's noise fraction), without the Poisson allowance that sampled
 * counts get ({@link Change}): compilations 2 -> 6 is +200%, GREW.
 */
public record JvmDiff(List<Diff.KeyDelta> metrics, List<Diff.KeyDelta> exceptions, List<Diff.KeyDelta> io,
                      List<Diff.KeyDelta> events) {
    public static final JvmDiff EMPTY = new JvmDiff(List.of(), List.of(), List.of(), List.of());

    /** The metric names of {@link #metrics()}, in order, with their units. */
    public static final List<String> METRICS = List.of("gc-count", "gc-pause-p99", "gc-pause-max", "heap-after-gc-max",
            "exceptions", "compilations");

    public static String unit(String metric) {
        return switch (metric) {
            case "gc-pause-p99", "gc-pause-max" -> "nanoseconds";
            case "heap-after-gc-max" -> "bytes";
            default -> "count";
        };
    }

    static JvmDiff of(Profile base, Profile target, Diff.Options o) {
        if (base.jfrEvents().isEmpty() || target.jfrEvents().isEmpty()) return EMPTY;
        Side b = Side.of(base, o.baseFilter()), t = Side.of(target, o.targetFilter());
        List<Diff.KeyDelta> metrics = new ArrayList<>();
        for (int i = 0; i < METRICS.size(); i++) {
            String m = METRICS.get(i);
            metrics.add(new Diff.KeyDelta(m, Comparison.exact(b.metrics[i], t.metrics[i], o).change(b.metrics[i], t.metrics[i])));
        }
        return new JvmDiff(List.copyOf(metrics), keyed(b.exceptions, t.exceptions, o), keyed(b.io, t.io, o),
                eachOwn(b.events, t.events, o));
    }

    /** The metric of that name (one of {@link #METRICS}), or null when there is none. */
    public Diff.KeyDelta metric(String name) { return find(metrics, name); }

    /** The exception class's row, or null. */
    public Diff.KeyDelta exception(String className) { return find(exceptions, className); }

    /** The path's or host:port's row, or null. */
    public Diff.KeyDelta ioTarget(String name) { return find(io, name); }

    /** The event type's row ({@code jdk.GarbageCollection}), or null when neither side wrote one. */
    public Diff.KeyDelta eventType(String name) { return find(events, name); }

    public boolean isEmpty() { return metrics.isEmpty(); }

    private static Diff.KeyDelta find(List<Diff.KeyDelta> l, String key) {
        for (Diff.KeyDelta d : l) if (d.key().equals(key)) return d;
        return null;
    }

    private static List<Diff.KeyDelta> keyed(Map<String, Long> b, Map<String, Long> t, Diff.Options o) {
        Map<String, long[]> rows = new LinkedHashMap<>();
        long[] sums = new long[2];
        b.forEach((k, v) -> { rows.computeIfAbsent(k, x -> new long[2])[0] += v; sums[0] += v; });
        t.forEach((k, v) -> { rows.computeIfAbsent(k, x -> new long[2])[1] += v; sums[1] += v; });
        Comparison c = Comparison.exact(sums[0], sums[1], o);
        List<Diff.KeyDelta> out = new ArrayList<>();
        rows.forEach((k, v) -> out.add(new Diff.KeyDelta(k, c.change(v[0], v[1]))));
        Diff.sortKeys(out);
        return List.copyOf(out);
    }

    /** Rows compared each against itself: a type's count changed when it moved beyond 1% of its own larger side. */
    private static List<Diff.KeyDelta> eachOwn(Map<String, Long> b, Map<String, Long> t, Diff.Options o) {
        Map<String, long[]> rows = new LinkedHashMap<>();
        b.forEach((k, v) -> rows.computeIfAbsent(k, x -> new long[2])[0] = v);
        t.forEach((k, v) -> rows.computeIfAbsent(k, x -> new long[2])[1] = v);
        List<Diff.KeyDelta> out = new ArrayList<>();
        rows.forEach((k, v) -> out.add(new Diff.KeyDelta(k, Comparison.exact(v[0], v[1], o).change(v[0], v[1]))));
        Diff.sortKeys(out);
        return List.copyOf(out);
    }

    /** One recording's numbers in a filter's range. */
    private record Side(long[] metrics, Map<String, Long> exceptions, Map<String, Long> io, Map<String, Long> events) {
        static Side of(Profile p, Filter f) {
            GcPauses gc = GcPauses.of(p, f);
            long[] pauses = new long[gc.count()];
            for (int i = 0; i < pauses.length; i++) pauses[i] = (long) gc.pauses().value(i);
            Arrays.sort(pauses);
            long p99 = pauses.length == 0 ? 0 : UserRanges.quantile(pauses, 0.99), max = pauses.length == 0 ? 0 : pauses[pauses.length - 1];
            TimeSeries after = HeapSeries.of(p).usedAfter();
            long heap = 0;
            for (int i = 0; i < after.size(); i++) if (f.acceptsTime(after.time(i))) heap = Math.max(heap, (long) after.value(i));
            Map<String, Long> exceptions = new LinkedHashMap<>();
            JfrEventTable thrown = p.jfrEvents().table("jdk.JavaExceptionThrow");
            if (thrown == null || thrown.size() == 0) thrown = p.jfrEvents().table("jdk.JavaErrorThrow");
            long exceptionCount = 0;
            JfrField cls = thrown == null ? null : thrown.field("thrownClass");
            for (int r = 0; cls != null && r < thrown.size(); r++) {
                if (!f.acceptsTime(thrown.startNanos(r))) continue;
                int c = cls.index(r);
                exceptions.merge(c < 0 ? "<unknown>" : p.className(c), 1L, Long::sum);
                exceptionCount++;
            }
            JfrEventTable comp = p.jfrEvents().table("jdk.Compilation");
            long compilations = 0;
            for (int r = 0; comp != null && r < comp.size(); r++) if (f.acceptsTime(comp.startNanos(r))) compilations++;
            Map<String, Long> io = new LinkedHashMap<>();
            for (IoTargets.Target t : IoTargets.of(p, f).targets()) io.merge(t.name(), t.bytesRead() + t.bytesWritten(), Long::sum);
            return new Side(new long[]{gc.count(), p99, max, heap, exceptionCount, compilations}, exceptions, io, events(p, f));
        }

        /** Events per type in the filter's time range; a type's whole table when the filter has none. */
        private static Map<String, Long> events(Profile p, Filter f) {
            boolean all = f.fromNanos() == Long.MIN_VALUE && f.toNanos() == Long.MAX_VALUE;
            Map<String, Long> out = new LinkedHashMap<>();
            for (JfrEventTable t : p.jfrEvents().tables()) {
                long n = all ? t.size() : 0;
                for (int r = 0; !all && r < t.size(); r++) if (f.acceptsTime(t.startNanos(r))) n++;
                if (t.size() > 0) out.put(t.name(), n);
            }
            return out;
        }
    }
}
