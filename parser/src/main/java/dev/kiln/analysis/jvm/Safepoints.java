// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import dev.kiln.analysis.Filter;
import dev.kiln.model.Profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A JFR recording's safepoints and VM operations, for the safepoints page, as JMC's VM Operations page shows them.
 * A safepoint joins the events of its {@code safepointId}: {@code jdk.SafepointBegin} (from the request until every
 * Java thread stopped and the cleanup ran), {@code jdk.SafepointStateSynchronization} (reaching the safepoint; off in
 * the JDK's settings), the {@code jdk.ExecuteVMOperation}s run in it and {@code jdk.SafepointEnd} (off in the JDK's
 * settings). Its pause runs from the first of them to start to the last to end; its time to safepoint is the
 * synchronization's duration, else the begin event's (which adds the cleanup), -1 when neither was recorded; the rest
 * is the time in the safepoint. The VM operations are every {@code jdk.ExecuteVMOperation}, at a safepoint or not,
 * with per operation their count and total and longest time. Safepoints (by start) and operations that start in the
 * filter's time range.
 */
public record Safepoints(List<Safepoint> safepoints, List<Operation> operations, List<OperationTotal> byOperation) {
    /** One safepoint; {@code operation} names its VM operations ("" when none was recorded), {@code caller} the first one's requesting thread. */
    public record Safepoint(long id, long startNanos, long totalNanos, long toSafepointNanos, String operation, String caller,
                            int threads, int jniCriticalThreads) {
        /** The pause less the time to reach the safepoint (all of it when that is unknown). */
        public long inSafepointNanos() { return totalNanos - Math.max(0, toSafepointNanos); }
    }

    /** One VM operation; {@code safepointId} is 0 for one that ran without a safepoint. */
    public record Operation(long startNanos, long durationNanos, String operation, boolean safepoint, boolean blocking,
                            String caller, long safepointId) { }

    public record OperationTotal(String operation, int count, int atSafepoint, long totalNanos, long maxNanos) { }

    public static boolean applies(Profile p) {
        return StoreColumns.of(p, "jdk.SafepointBegin") != null || StoreColumns.of(p, "jdk.ExecuteVMOperation") != null;
    }

    public static Safepoints of(Profile p, Filter f) {
        // id -> start, end, time to safepoint (sync), time to safepoint (begin), threads, jni
        Map<Long, long[]> by = new TreeMap<>();
        Map<Long, String> ops = new LinkedHashMap<>(), callers = new LinkedHashMap<>();
        String[] types = {"jdk.SafepointBegin", "jdk.SafepointStateSynchronization", "jdk.SafepointEnd"};
        for (int k = 0; k < types.length; k++) {
            StoreColumns s = StoreColumns.of(p, types[k]);
            for (int r = 0; s != null && r < s.size(); r++) {
                long[] t = span(by, s.number("safepointId", r), s.table().startNanos(r), s.table().durationNanos(r));
                if (k == 0) { t[3] = s.table().durationNanos(r); t[4] = s.number("totalThreadCount", r); t[5] = s.number("jniCriticalThreadCount", r); }
                if (k == 1) t[2] = s.table().durationNanos(r);
            }
        }
        List<Operation> operations = new ArrayList<>();
        Map<String, long[]> totals = new LinkedHashMap<>(); // count, at safepoint, total, max
        StoreColumns o = StoreColumns.of(p, "jdk.ExecuteVMOperation");
        for (int r = 0; o != null && r < o.size(); r++) {
            long start = o.table().startNanos(r), d = o.table().durationNanos(r), id = o.number("safepointId", r);
            boolean atSafepoint = o.bool("safepoint", r);
            String name = o.text("operation", r), caller = o.text("caller", r);
            if (atSafepoint && id > 0) {
                span(by, id, start, d);
                ops.merge(id, name, (a, b) -> a + ", " + b);
                callers.putIfAbsent(id, caller);
            }
            if (!f.acceptsTime(start)) continue;
            operations.add(new Operation(start, d, name, atSafepoint, o.bool("blocking", r), caller, Math.max(0, id)));
            long[] t = totals.computeIfAbsent(name, x -> new long[4]);
            t[0]++;
            if (atSafepoint) t[1]++;
            t[2] += d;
            t[3] = Math.max(t[3], d);
        }
        operations.sort(Comparator.comparingLong(Operation::startNanos));
        List<Safepoint> safepoints = new ArrayList<>();
        by.forEach((id, t) -> {
            if (!f.acceptsTime(t[0])) return;
            safepoints.add(new Safepoint(id, t[0], t[1] - t[0], t[2] >= 0 ? t[2] : t[3], ops.getOrDefault(id, ""),
                    callers.getOrDefault(id, ""), (int) t[4], (int) t[5]));
        });
        safepoints.sort(Comparator.comparingLong(Safepoint::startNanos));
        List<OperationTotal> byOp = new ArrayList<>();
        totals.forEach((name, t) -> byOp.add(new OperationTotal(name, (int) t[0], (int) t[1], t[2], t[3])));
        byOp.sort(Comparator.comparingLong(OperationTotal::totalNanos).reversed().thenComparing(OperationTotal::operation));
        return new Safepoints(List.copyOf(safepoints), List.copyOf(operations), List.copyOf(byOp));
    }

    /** Widens safepoint {@code id}'s span to cover an event. */
    private static long[] span(Map<Long, long[]> by, long id, long start, long duration) {
        long[] t = by.computeIfAbsent(id, x -> new long[]{Long.MAX_VALUE, Long.MIN_VALUE, -1, -1, -1, -1});
        t[0] = Math.min(t[0], start);
        t[1] = Math.max(t[1], start + duration);
        return t;
    }

    /** The safepoints, longest pause first. */
    public List<Safepoint> longest() {
        List<Safepoint> out = new ArrayList<>(safepoints);
        out.sort(Comparator.comparingLong(Safepoint::totalNanos).reversed().thenComparingLong(Safepoint::startNanos));
        return out;
    }

    /** Each safepoint's pause, and its time to safepoint, at its start. */
    public List<TimeSeries> series() {
        List<long[]> pause = new ArrayList<>(), ttsp = new ArrayList<>();
        for (Safepoint s : safepoints) {
            pause.add(new long[]{s.startNanos(), s.totalNanos()});
            ttsp.add(new long[]{s.startNanos(), Math.max(0, s.toSafepointNanos())});
        }
        return List.of(StoreColumns.series("Safepoint pause", "nanoseconds", pause), StoreColumns.series("Time to safepoint", "nanoseconds", ttsp));
    }

    public long totalNanos() {
        long t = 0;
        for (Safepoint s : safepoints) t += s.totalNanos();
        return t;
    }

    public long maxNanos() {
        long m = 0;
        for (Safepoint s : safepoints) m = Math.max(m, s.totalNanos());
        return m;
    }
}
