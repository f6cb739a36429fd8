// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.Weight;
import dev.kiln.model.JfrEventTable;
import dev.kiln.model.JfrField;
import dev.kiln.model.LongList;
import dev.kiln.model.Profile;
import dev.kiln.model.SampleTable;
import dev.kiln.model.ValueType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The throwables a JFR recording saw created, for the Exceptions page, as JMC's: per class (count, share, first and
 * last time), per class and message, their stacks as a {@link #weight weight} for call trees and flame graphs, and the
 * rate of {@code jdk.ExceptionStatistics}' running count of throwables.
 *
 * <p>Sources. {@code jdk.JavaExceptionThrow} when the recording has any, else {@code jdk.JavaErrorThrow} (the default
 * settings record errors only). The JDK's {@code ThrowableTracer} writes an {@code Error} three times: a
 * {@code JavaExceptionThrow} from {@code Throwable}'s constructor, and from {@code Error}'s a {@code JavaErrorThrow}
 * and a second {@code JavaExceptionThrow} with the same time, thread, class and message (JDK 17 and 25 alike: 19
 * {@code NoSuchMethodError}s are 38 exception events and 19 error events). That second copy is dropped, one per error
 * event, so each throwable counts once; when only exceptions were recorded the copies cannot be told apart and an
 * error counts twice. The statistics count each error twice as well (the tracer increments its counter in both
 * constructors); the rate is the JDK's number as it is.
 *
 * @param source       the event type counted ({@code jdk.JavaExceptionThrow}), null when the recording has neither
 * @param total        throwables in the filter
 * @param byClass      per thrown class, most first (then by name)
 * @param byMessage    per class and message ({@code ""} for none), most first
 * @param rate         throwables created per second between consecutive {@code jdk.ExceptionStatistics} readings, at
 *                     the earlier one, over the whole recording (the pages shade a chosen range)
 * @param thrownRate   the throw events counted here per second, in {@link #bucketNanos(long) buckets} from the
 *                     recording's start to its end, over the whole recording (a reading every second or so is too
 *                     coarse for a short recording; the events show each burst)
 * @param stacks       one row per throwable of the whole recording (stack, thread, time, class; weight 1)
 */
public record ThrownExceptions(String source, int total, List<ClassRow> byClass, List<MessageRow> byMessage, TimeSeries rate,
                               TimeSeries thrownRate, SampleTable stacks) {
    public static final String EXCEPTIONS = "jdk.JavaExceptionThrow", ERRORS = "jdk.JavaErrorThrow", STATISTICS = "jdk.ExceptionStatistics";
    /** The weight's value type: throwables created. */
    public static final ValueType THROWN = new ValueType("exceptions", "count");

    /** One thrown class: how many, and the first and last time (epoch ns). */
    public record ClassRow(String className, int count, long firstNanos, long lastNanos) { }

    /** One class and message. */
    public record MessageRow(String className, String message, int count) { }

    /** Whether the recording has any thrown throwable or statistics reading. */
    public static boolean applies(Profile p) {
        return rows(p, EXCEPTIONS) > 0 || rows(p, ERRORS) > 0 || rows(p, STATISTICS) > 0;
    }

    /** Whether {@code p} has a throw event, so that {@link #of} finds at least one throwable (no table is made). */
    public static boolean threw(Profile p) {
        return rows(p, EXCEPTIONS) > 0 || rows(p, ERRORS) > 0;
    }

    private static int rows(Profile p, String type) {
        JfrEventTable t = p.jfrEvents().table(type);
        return t == null ? 0 : t.size();
    }

    /** The throwables created in the filter's time range on the threads it accepts. */
    public static ThrownExceptions of(Profile p, Filter f) {
        String source = rows(p, EXCEPTIONS) > 0 ? EXCEPTIONS : rows(p, ERRORS) > 0 ? ERRORS : null;
        TimeSeries rate = rate(p);
        if (source == null) return new ThrownExceptions(null, 0, List.of(), List.of(), rate, thrownRate(p, new long[0]), empty());
        JfrEventTable t = p.jfrEvents().table(source);
        JfrField cls = t.field("thrownClass"), msg = t.field("message");
        Map<List<Long>, Integer> copies = source.equals(EXCEPTIONS) ? errorKeys(p) : Map.of();
        int n = t.size(), kept = 0;
        int[] stack = new int[n], thread = new int[n], clazz = new int[n];
        long[] time = new long[n];
        Map<Integer, long[]> byClass = new LinkedHashMap<>(); // class -> count, first, last
        Map<List<Integer>, int[]> byMessage = new LinkedHashMap<>();
        int total = 0;
        for (int r = 0; r < n; r++) {
            int c = index(cls, r), m = index(msg, r);
            if (!copies.isEmpty()) {
                List<Long> key = List.of(t.startNanos(r), (long) t.thread(r), (long) c, (long) m);
                Integer left = copies.get(key);
                if (left != null && left > 0) { copies.put(key, left - 1); continue; }
            }
            stack[kept] = t.stack(r);
            thread[kept] = t.thread(r);
            time[kept] = t.startNanos(r);
            clazz[kept++] = c;
            if (!f.acceptsTime(t.startNanos(r)) || !f.acceptsThread(p, t.thread(r))) continue;
            total++;
            long[] s = byClass.computeIfAbsent(c, k -> new long[]{0, Long.MAX_VALUE, Long.MIN_VALUE});
            s[0]++;
            s[1] = Math.min(s[1], t.startNanos(r));
            s[2] = Math.max(s[2], t.startNanos(r));
            byMessage.computeIfAbsent(List.of(c, m), k -> new int[1])[0]++;
        }
        List<ClassRow> classes = new ArrayList<>();
        byClass.forEach((c, s) -> classes.add(new ClassRow(className(p, c), (int) s[0], s[1], s[2])));
        classes.sort(Comparator.comparingInt(ClassRow::count).reversed().thenComparing(ClassRow::className));
        List<MessageRow> messages = new ArrayList<>();
        byMessage.forEach((k, c) -> messages.add(new MessageRow(className(p, k.get(0)), k.get(1) < 0 ? "" : p.string(k.get(1)), c[0])));
        messages.sort(Comparator.comparingInt(MessageRow::count).reversed().thenComparing(MessageRow::className).thenComparing(MessageRow::message));
        long[] ones = new long[kept];
        Arrays.fill(ones, 1);
        SampleTable stacks = SampleTable.derived(source, THROWN, Arrays.copyOf(stack, kept), Arrays.copyOf(thread, kept),
                Arrays.copyOf(time, kept), Arrays.copyOf(clazz, kept), ones);
        return new ThrownExceptions(source, total, List.copyOf(classes), List.copyOf(messages), rate,
                thrownRate(p, Arrays.copyOf(time, kept)), stacks);
    }

    private static SampleTable empty() {
        return SampleTable.derived(EXCEPTIONS, THROWN, new int[0], new int[0], new long[0], new int[0], new long[0]);
    }

    private static int index(JfrField f, int row) { return f == null || f.kind() == JfrField.Kind.LONG ? -1 : f.index(row); }

    /** Class name as people read it; {@code <unknown>} for none. */
    private static String className(Profile p, int c) { return c < 0 ? "<unknown>" : p.className(c); }

    /** (time, thread, class, message) of every error event, with how many share it. */
    private static Map<List<Long>, Integer> errorKeys(Profile p) {
        JfrEventTable e = p.jfrEvents().table(ERRORS);
        Map<List<Long>, Integer> out = new HashMap<>();
        if (e == null) return out;
        JfrField cls = e.field("thrownClass"), msg = e.field("message");
        for (int r = 0; r < e.size(); r++) {
            out.merge(List.of(e.startNanos(r), (long) e.thread(r), (long) index(cls, r), (long) index(msg, r)), 1, Integer::sum);
        }
        return out;
    }

    /** Throwables a second between consecutive statistics readings (a count that falls, a new JVM, gives 0). */
    private static TimeSeries rate(Profile p) {
        JfrEventTable t = p.jfrEvents().table(STATISTICS);
        JfrField count = t == null ? null : t.field("throwables");
        if (count == null || count.kind() != JfrField.Kind.LONG || t.size() < 2) {
            return new TimeSeries("Throwables created / s", "count", new long[0], new double[0]);
        }
        long[][] rows = new long[t.size()][];
        for (int r = 0; r < rows.length; r++) rows[r] = new long[]{t.startNanos(r), count.longValue(r)};
        Arrays.sort(rows, Comparator.comparingLong(a -> a[0]));
        LongList times = new LongList();
        double[] v = new double[rows.length - 1];
        for (int i = 0; i + 1 < rows.length; i++) {
            long dt = rows[i + 1][0] - rows[i][0];
            v[i] = dt <= 0 ? 0 : Math.max(0, rows[i + 1][1] - rows[i][1]) / (dt / 1e9);
            times.add(rows[i][0]);
        }
        return new TimeSeries("Throwables created / s", "count", times.toArray(), v);
    }

    /** The width of the buckets of {@link #thrownRate}: 1, 2 or 5 x 10^k ms, at least 10 ms, for about 120 over {@code durationNanos}. */
    public static long bucketNanos(long durationNanos) {
        long want = Math.max(10_000_000L, durationNanos / 120);
        for (long p = 1_000_000L; p <= Long.MAX_VALUE / 50; p *= 10) for (long m : new long[]{1, 2, 5}) if (m * p >= want) return m * p;
        return want;
    }

    /** An hour: events further than this outside the recording (a damaged file's times) are left out of the chart. */
    private static final long SLACK_NANOS = 3_600_000_000_000L;

    private static TimeSeries thrownRate(Profile p, long[] times) {
        String label = "Throw events / s";
        long from = p.startEpochNanos(), to = from + Math.max(0, p.durationNanos());
        if (times.length == 0 || to < from || from < Long.MIN_VALUE + SLACK_NANOS || to > Long.MAX_VALUE - SLACK_NANOS) {
            return new TimeSeries(label, "count", new long[0], new double[0]);
        }
        long start = from, end = to;
        for (long t : times) {
            if (t < from - SLACK_NANOS || t > to + SLACK_NANOS) continue;
            start = Math.min(start, t);
            end = Math.max(end, t);
        }
        long w = bucketNanos(end - start);
        int n = (int) ((end - start) / w) + 1; // about 120: w is at least a 120th of the span
        long[] at = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) at[i] = start + i * w;
        for (long t : times) if (t >= start && t <= end) v[(int) ((t - start) / w)] += 1e9 / w;
        return new TimeSeries(label, "count", at, v);
    }

    /**
     * The throwing stacks as a weight (count of throwables) for {@code CallTree} and the flame graph of {@code p} (the
     * profile this was made of): all of them for null, else only those of {@code className}. The tree's filter applies.
     */
    public Weight weight(Profile p, String className) {
        if (className == null) return Weight.ofSamples(stacks, 0);
        int n = stacks.size();
        int[] stack = new int[n], thread = new int[n], clazz = new int[n];
        long[] time = new long[n], w = new long[n];
        Map<Integer, Boolean> match = new HashMap<>();
        for (int r = 0; r < n; r++) {
            stack[r] = stacks.stack(r);
            thread[r] = stacks.thread(r);
            time[r] = stacks.timeNanos(r);
            clazz[r] = stacks.clazz(r);
            w[r] = match.computeIfAbsent(clazz[r], c -> className(p, c).equals(className)) ? 1 : 0;
        }
        return Weight.ofSamples(SampleTable.derived(stacks.name(), THROWN, stack, thread, time, clazz, w), 0);
    }

    public boolean isEmpty() { return source == null && rate.size() == 0; }
}
