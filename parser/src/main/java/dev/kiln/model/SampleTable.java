// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import java.util.List;

/**
 * One family of samples (a JFR event type such as {@code jdk.ExecutionSample}, or all samples of a pprof
 * profile), as equal-length columns: stack, thread, timestamp, class, label set and one weight column per
 * {@link ValueType}. Optional columns are absent (the accessor returns -1) rather than filled.
 */
public final class SampleTable {
    private final String name;
    private final List<ValueType> valueTypes;
    private final int[] stack, thread, clazz, labelSet;
    private final long[] timeNanos;
    private final long[][] values;

    SampleTable(String name, List<ValueType> valueTypes, int[] stack, int[] thread, long[] timeNanos,
                int[] clazz, int[] labelSet, long[][] values) {
        this.name = name;
        this.valueTypes = List.copyOf(valueTypes);
        this.stack = stack;
        this.thread = thread;
        this.timeNanos = timeNanos;
        this.clazz = clazz;
        this.labelSet = labelSet;
        this.values = values;
    }

    /**
     * A table that is no part of a profile, of rows an analysis picked from a profile's other tables (the exceptions
     * of its JFR event store), so that call trees and flame graphs can weigh them: {@code stack}, {@code thread} and
     * {@code clazz} are rows of that profile's tables (-1 none), {@code weights} one value per row (0 leaves it out).
     * The arrays are copied.
     */
    public static SampleTable derived(String name, ValueType type, int[] stack, int[] thread, long[] timeNanos, int[] clazz, long[] weights) {
        int n = stack.length;
        if (thread.length != n || timeNanos.length != n || clazz.length != n || weights.length != n) {
            throw new IllegalArgumentException(name + ": columns of different lengths");
        }
        return new SampleTable(name, List.of(type), stack.clone(), thread.clone(), timeNanos.clone(), clazz.clone(), null,
                new long[][]{weights.clone()});
    }

    /** The event type or source this table holds ({@code jdk.ExecutionSample}, {@code pprof}). */
    public String name() { return name; }

    public List<ValueType> valueTypes() { return valueTypes; }

    public int size() { return stack.length; }

    public int stack(int row) { return stack[row]; }

    public int thread(int row) { return thread == null ? -1 : thread[row]; }

    public boolean hasTime() { return timeNanos != null; }

    /** Epoch nanoseconds, or {@link Long#MIN_VALUE} when the table has no time column. */
    public long timeNanos(int row) { return timeNanos == null ? Long.MIN_VALUE : timeNanos[row]; }

    public int clazz(int row) { return clazz == null ? -1 : clazz[row]; }

    public int labelSet(int row) { return labelSet == null ? -1 : labelSet[row]; }

    public long value(int valueIndex, int row) { return values[valueIndex][row]; }

    /** Sum of one weight column. */
    public long total(int valueIndex) {
        long sum = 0;
        for (long v : values[valueIndex]) sum += v;
        return sum;
    }

    /** The rows {@code keep} (ascending row indices) as a new table; absent columns stay absent. */
    SampleTable rows(int[] keep) {
        long[][] v = new long[values.length][];
        for (int c = 0; c < v.length; c++) v[c] = pick(values[c], keep);
        return new SampleTable(name, valueTypes, pick(stack, keep), pick(thread, keep),
                pick(timeNanos, keep), pick(clazz, keep), pick(labelSet, keep), v);
    }

    private static int[] pick(int[] a, int[] keep) {
        if (a == null) return null;
        int[] out = new int[keep.length];
        for (int i = 0; i < keep.length; i++) out[i] = a[keep[i]];
        return out;
    }

    private static long[] pick(long[] a, int[] keep) {
        if (a == null) return null;
        long[] out = new long[keep.length];
        for (int i = 0; i < keep.length; i++) out[i] = a[keep[i]];
        return out;
    }
}
