// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.findings;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.jvm.Safepoints;
import dev.kiln.model.JfrEventTable;
import dev.kiln.model.JfrField;
import dev.kiln.model.Profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Findings from the JVM's own events in the profile's event store ({@link Profile#jfrEvents()}), where JMC's rules say
 * little; nothing without the events each needs:
 * <ul>
 * <li><b>gc-overhead</b>: the collections' pauses ({@code jdk.GarbageCollection}'s {@code sumOfPauses}) take more than
 *     {@link #GC_OVERHEAD_SHARE} of the recording (INFO), more than {@link #GC_OVERHEAD_HIGH_SHARE} (WARNING).</li>
 * <li><b>heap-growth</b>: the heap used after GC ({@code jdk.GCHeapSummary} "After GC") grows steadily: at least
 *     {@link #HEAP_MIN_POINTS} collections, a least-squares line through them with a correlation of at least
 *     {@link #HEAP_MIN_CORRELATION}, rising by more than {@link #HEAP_GROWTH_SHARE} of the mean over the recording: a leak
 *     suspect (WARNING).</li>
 * <li><b>exception-storm</b>: {@code jdk.ExceptionStatistics}' count of throwables grows by more than
 *     {@link #EXCEPTIONS_PER_SECOND} a second between its first and last reading (WARNING).</li>
 * <li><b>long-safepoint</b>: a safepoint ({@link Safepoints}: reaching it and the VM operations in it) stopped the Java
 *     threads for more than {@link #SAFEPOINT_LONG_NANOS} (WARNING; the longest is named with its operation, and the
 *     time to reach it when that was the larger part).</li>
 * </ul>
 */
public final class JvmFindings {
    public static final double GC_OVERHEAD_SHARE = 0.05, GC_OVERHEAD_HIGH_SHARE = 0.10;
    public static final int HEAP_MIN_POINTS = 8;
    public static final double HEAP_MIN_CORRELATION = 0.9, HEAP_GROWTH_SHARE = 0.2;
    public static final double EXCEPTIONS_PER_SECOND = 1000;
    public static final long SAFEPOINT_LONG_NANOS = 100_000_000L;

    private JvmFindings() { }

    public static List<Finding> of(Profile p) {
        List<Finding> out = new ArrayList<>();
        gcOverhead(p, out);
        heapGrowth(p, out);
        exceptionStorm(p, out);
        longSafepoint(p, out);
        return out;
    }

    private static JfrField column(Profile p, String type, String path, JfrField.Kind kind) {
        JfrEventTable t = p.jfrEvents().table(type);
        JfrField f = t == null || t.size() == 0 ? null : t.field(path);
        return f != null && f.kind() == kind ? f : null;
    }

    static void gcOverhead(Profile p, List<Finding> out) {
        JfrField pauses = column(p, "jdk.GarbageCollection", "sumOfPauses", JfrField.Kind.LONG);
        if (pauses == null || p.durationNanos() <= 0) return;
        JfrEventTable t = p.jfrEvents().table("jdk.GarbageCollection");
        long total = 0;
        for (int r = 0; r < t.size(); r++) total += Math.max(0, pauses.longValue(r));
        double share = (double) total / p.durationNanos();
        if (share <= GC_OVERHEAD_SHARE) return;
        out.add(new Finding("gc-overhead/pauses", share > GC_OVERHEAD_HIGH_SHARE ? Severity.WARNING : Severity.INFO,
                "GC pauses take " + Findings.pct(share) + " of the time",
                String.format(Locale.ROOT, "%,d collections paused the application %s ms in all, %s of the %s recording.",
                        t.size(), Findings.ms(total), Findings.pct(share), Findings.seconds(p.durationNanos())), null));
    }

    static void heapGrowth(Profile p, List<Finding> out) {
        JfrField when = column(p, "jdk.GCHeapSummary", "when", JfrField.Kind.STRING);
        JfrField used = column(p, "jdk.GCHeapSummary", "heapUsed", JfrField.Kind.LONG);
        if (when == null || used == null) return;
        JfrEventTable t = p.jfrEvents().table("jdk.GCHeapSummary");
        int n = 0;
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        long t0 = Long.MIN_VALUE, tMin = Long.MAX_VALUE, tMax = Long.MIN_VALUE;
        for (int r = 0; r < t.size(); r++) {
            if (!"After GC".equals(p.string(Math.max(0, when.index(r))))) continue;
            long time = t.startNanos(r);
            if (t0 == Long.MIN_VALUE) t0 = time;
            double x = (time - t0) / 1e9, y = used.longValue(r);
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            syy += y * y;
            sxy += x * y;
            tMin = Math.min(tMin, time);
            tMax = Math.max(tMax, time);
        }
        if (n < HEAP_MIN_POINTS) return;
        double vx = n * sxx - sx * sx, vy = n * syy - sy * sy;
        if (vx <= 0 || vy <= 0) return;
        double slope = (n * sxy - sx * sy) / vx, r = (n * sxy - sx * sy) / Math.sqrt(vx * vy), mean = sy / n;
        double growth = slope * (tMax - tMin) / 1e9;
        if (r < HEAP_MIN_CORRELATION || growth <= HEAP_GROWTH_SHARE * mean) return;
        out.add(new Finding("heap-growth/after-gc", Severity.WARNING, "Heap after GC grows steadily: leak suspect",
                String.format(Locale.ROOT, "After %d collections the live heap rises %.1f MB a minute (correlation %.2f), "
                        + "%.1f MB over %s, against a mean of %.1f MB.", n, slope * 60 / 1048576, r, growth / 1048576,
                        Findings.seconds(tMax - tMin), mean / 1048576), null));
    }

    static void exceptionStorm(Profile p, List<Finding> out) {
        JfrField count = column(p, "jdk.ExceptionStatistics", "throwables", JfrField.Kind.LONG);
        if (count == null) return;
        JfrEventTable t = p.jfrEvents().table("jdk.ExceptionStatistics");
        int first = -1, last = -1;
        for (int r = 0; r < t.size(); r++) {
            if (first < 0 || t.startNanos(r) < t.startNanos(first)) first = r;
            if (last < 0 || t.startNanos(r) >= t.startNanos(last)) last = r;
        }
        long span = t.startNanos(last) - t.startNanos(first), thrown = count.longValue(last) - count.longValue(first);
        if (span <= 0 || thrown <= 0) return;
        double rate = thrown / (span / 1e9);
        if (rate <= EXCEPTIONS_PER_SECOND) return;
        out.add(new Finding("exception-storm/throwables", Severity.WARNING, String.format(Locale.ROOT, "Exception storm: %,.0f a second", rate),
                String.format(Locale.ROOT, "%,d throwables were created in %s, %,.0f a second.", thrown, Findings.seconds(span), rate), null));
    }

    static void longSafepoint(Profile p, List<Finding> out) {
        List<Safepoints.Safepoint> all = Safepoints.of(p, Filter.NONE).longest();
        long over = all.stream().filter(s -> s.totalNanos() > SAFEPOINT_LONG_NANOS).count();
        if (over == 0) return;
        Safepoints.Safepoint s = all.get(0);
        String op = s.operation().isEmpty() ? "a VM operation" : s.operation();
        String reach = s.toSafepointNanos() < 0 ? "" : String.format(Locale.ROOT, " %s ms of it to reach the safepoint, %s ms in it.",
                Findings.ms(s.toSafepointNanos()), Findings.ms(s.inSafepointNanos()));
        List<Safepoints.Safepoint> slow = all.stream().filter(x -> x.totalNanos() > SAFEPOINT_LONG_NANOS && x.toSafepointNanos() > x.inSafepointNanos()).toList();
        if (!slow.isEmpty()) {
            reach += String.format(Locale.ROOT, " %d of them spent most of the pause reaching the safepoint (up to %s ms): a thread ran without "
                    + "a safepoint poll (a long counted loop, a large array copy or a JNI critical section).", slow.size(),
                    Findings.ms(slow.stream().mapToLong(Safepoints.Safepoint::toSafepointNanos).max().orElse(0)));
        }
        out.add(new Finding("long-safepoint/" + op, Severity.WARNING, "Long safepoint: " + op + " " + Findings.ms(s.totalNanos()) + " ms",
                String.format(Locale.ROOT, "%d safepoint(s) stopped every Java thread for longer than %s ms; the longest, for %s%s, %s ms.%s",
                        over, Findings.ms(SAFEPOINT_LONG_NANOS), op, s.caller().isEmpty() ? "" : " (requested by " + s.caller() + ")",
                        Findings.ms(s.totalNanos()), reach), null));
    }
}
