// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import dev.kiln.model.JfrEventTable;
import dev.kiln.model.JfrField;
import dev.kiln.model.LongList;
import dev.kiln.model.Profile;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * The Java heap allocation rate over time, in bytes per second, for the Memory page. From the {@code weight} of
 * {@code jdk.ObjectAllocationSample} (JDK 16+: each sample stands for the bytes its thread allocated since its previous
 * sample) summed per time bucket of {@code bucketNanos} and divided by the bucket's length, the bucket's rate held at
 * its start. A recording without those samples falls back on the {@code allocated} totals of
 * {@code jdk.ThreadAllocationStatistics} (one per live thread and period): between two periods, the growth of the threads
 * seen at both, per second (threads that ended in between are not counted). {@code source} names which one was used.
 * Read from the event store ({@link Profile#jfrEvents()}): empty without it.
 */
public record AllocationRate(TimeSeries rate, String source, long totalBytes, long bucketNanos) {
    public static final String SAMPLES = "jdk.ObjectAllocationSample weight", THREAD_TOTALS = "jdk.ThreadAllocationStatistics deltas";
    private static final long SECOND = 1_000_000_000L;

    public boolean isEmpty() { return rate.size() == 0; }

    public static AllocationRate of(Profile p) {
        JfrEventTable s = p.jfrEvents().table("jdk.ObjectAllocationSample");
        return s != null && s.size() > 0 && s.field("weight") != null ? fromSamples(p) : fromThreadTotals(p);
    }

    /** The bucket for a recording of {@code durationNanos}: 1 s, or whole seconds for at most about 300 buckets. */
    public static long bucketFor(long durationNanos) {
        return Math.max(1, (durationNanos / SECOND + 299) / 300) * SECOND;
    }

    /** From the samples' weights, bucketed from the recording's start. */
    public static AllocationRate fromSamples(Profile p) {
        JfrEventTable t = p.jfrEvents().table("jdk.ObjectAllocationSample");
        JfrField w = t == null ? null : t.field("weight");
        long bucket = bucketFor(p.durationNanos());
        if (w == null || t.size() == 0) return new AllocationRate(empty(), SAMPLES, 0, bucket);
        long origin = p.startEpochNanos(), first = Long.MAX_VALUE, last = Long.MIN_VALUE;
        for (int r = 0; r < t.size(); r++) { first = Math.min(first, t.startNanos(r)); last = Math.max(last, t.startNanos(r)); }
        // buckets over the samples' own span (a damaged header's duration says nothing), aligned to the recording's
        // start when the samples begin just after it
        long span = last - first;
        if (span < 0 || last > Long.MAX_VALUE / 2) return new AllocationRate(empty(), SAMPLES, 0, bucket);
        bucket = Math.max(bucket, bucketFor(span));
        long lead = first - origin;
        if (origin > first || lead < 0 || lead > 300 * bucket) origin = first;
        long b0 = Math.floorDiv(first - origin, bucket), b1 = Math.floorDiv(last - origin, bucket);
        long[] bytes = new long[(int) (b1 - b0 + 1)];
        long total = 0;
        for (int r = 0; r < t.size(); r++) {
            bytes[(int) (Math.floorDiv(t.startNanos(r) - origin, bucket) - b0)] += w.longValue(r);
            total += w.longValue(r);
        }
        long[] times = new long[bytes.length];
        double[] rates = new double[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            times[i] = origin + (b0 + i) * bucket;
            rates[i] = bytes[i] * (double) SECOND / bucket;
        }
        return new AllocationRate(new TimeSeries("Allocation rate", "bytes/s", times, rates), SAMPLES, total, bucket);
    }

    /** From the threads' allocation totals: a period is the events within 100 ms of its first one. */
    public static AllocationRate fromThreadTotals(Profile p) {
        JfrEventTable t = p.jfrEvents().table("jdk.ThreadAllocationStatistics");
        JfrField a = t == null ? null : t.field("allocated"), th = t == null ? null : t.field("thread");
        if (a == null || th == null || t.size() == 0) return new AllocationRate(empty(), THREAD_TOTALS, 0, 0);
        Integer[] order = new Integer[t.size()];
        for (int r = 0; r < t.size(); r++) order[r] = r;
        Arrays.sort(order, Comparator.comparingLong(t::startNanos));
        Map<Integer, Long> previous = new HashMap<>(), current = new HashMap<>();
        LongList times = new LongList();
        double[] rates = new double[16];
        long periodStart = t.startNanos(order[0]), previousStart = Long.MIN_VALUE, total = 0;
        for (int i = 0; i <= order.length; i++) {
            boolean end = i == order.length || t.startNanos(order[i]) - periodStart > SECOND / 10;
            if (end) { // close the period that began at periodStart
                if (previousStart != Long.MIN_VALUE) {
                    long grown = 0;
                    for (Map.Entry<Integer, Long> e : current.entrySet()) {
                        Long before = previous.get(e.getKey());
                        if (before != null) grown += Math.max(0, e.getValue() - before);
                    }
                    if (times.size() == rates.length) rates = Arrays.copyOf(rates, 2 * rates.length);
                    rates[times.size()] = grown * (double) SECOND / Math.max(1, periodStart - previousStart);
                    times.add(previousStart);
                    total += grown;
                }
                previous = current;
                current = new HashMap<>();
                previousStart = periodStart;
                if (i == order.length) break;
                periodStart = t.startNanos(order[i]);
            }
            current.put(th.index(order[i]), a.longValue(order[i]));
        }
        return new AllocationRate(new TimeSeries("Allocation rate", "bytes/s", times.toArray(), Arrays.copyOf(rates, times.size())),
                THREAD_TOTALS, total, 0);
    }

    private static TimeSeries empty() { return new TimeSeries("Allocation rate", "bytes/s", new long[0], new double[0]); }
}
