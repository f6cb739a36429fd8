// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import dev.kiln.model.Units;

import java.util.Arrays;
import java.util.Locale;

/**
 * One quantity sampled over time, as the JVM pages chart it: {@code values[i]} holds from {@code timeNanos[i]} (epoch
 * nanoseconds, ascending) until the next sample (a step function). {@code unit} is {@link #PERCENT} (values 0-1),
 * {@code "bytes"}, {@code "bytes/s"}, {@code "nanoseconds"} or {@code "count"}. Immutable (the arrays are not shared).
 */
public record TimeSeries(String label, String unit, long[] timeNanos, double[] values) {
    public static final String PERCENT = "percent";

    public TimeSeries {
        if (timeNanos.length != values.length) throw new IllegalArgumentException(label + ": " + timeNanos.length + " times, " + values.length + " values");
        for (int i = 1; i < timeNanos.length; i++) {
            if (timeNanos[i] < timeNanos[i - 1]) throw new IllegalArgumentException(label + ": times not ascending at " + i);
        }
        timeNanos = timeNanos.clone();
        values = values.clone();
    }

    public int size() { return timeNanos.length; }

    /**
     * Whether the charts draw it as steps: a level or a rate per bucket, which holds from its sample until the next
     * (classes loaded, code cache, metaspace and heap sizes: count and bytes; throw and allocation rates). CPU loads
     * ({@link #PERCENT}: each sample is the mean of the period before it) and pauses (nanoseconds: one sample per pause)
     * are lines through their samples.
     */
    public boolean steps() { return !PERCENT.equals(unit) && !"nanoseconds".equals(unit); }

    public long time(int i) { return timeNanos[i]; }

    public double value(int i) { return values[i]; }

    @Override public long[] timeNanos() { return timeNanos.clone(); }

    @Override public double[] values() { return values.clone(); }

    /** The sample in force at {@code t}: the last one at or before it, or -1 before the first. */
    public int indexAt(long t) {
        int i = Arrays.binarySearch(timeNanos, t);
        if (i < 0) return -i - 2;
        while (i + 1 < timeNanos.length && timeNanos[i + 1] == t) i++;
        return i;
    }

    /** The largest value, 0 when there is none. */
    public double max() {
        double m = 0;
        for (double v : values) m = Math.max(m, v);
        return m;
    }

    /** Mean and maximum of the samples taken in {@code [fromNanos, toNanos)}; NaN when none was. */
    public double[] meanMax(long fromNanos, long toNanos) {
        double sum = 0, max = Double.NaN;
        int n = 0;
        for (int i = 0; i < timeNanos.length; i++) {
            if (timeNanos[i] < fromNanos || timeNanos[i] >= toNanos) continue;
            sum += values[i];
            max = n == 0 ? values[i] : Math.max(max, values[i]);
            n++;
        }
        return new double[]{n == 0 ? Double.NaN : sum / n, max};
    }

    /** The top of a value axis for series of {@code unit} up to {@code max}: 1 for percentages, else max rounded up to 1, 2 or 5 x 10^k. */
    public static double axisMax(String unit, double max) {
        if (PERCENT.equals(unit) || max <= 0) return 1;
        if (unit.startsWith("bytes")) { // 1, 2 or 5 x 10^k of the binary unit the axis labels use (KiB, MiB, GiB)
            double u = Math.pow(1024, Math.max(0, Math.floor(Math.log(max) / Math.log(1024))));
            return u * axisMax("count", max / u);
        }
        double p = Math.pow(10, Math.floor(Math.log10(max)));
        for (double m : new double[]{1, 2, 5}) if (max <= m * p) return m * p;
        return 10 * p;
    }

    /** A value of this series for people, in its unit. */
    public String format(double v) { return format(v, unit); }

    public static String format(double v, String unit) {
        if (Double.isNaN(v)) return "-";
        return switch (unit) {
            case PERCENT -> String.format(Locale.ROOT, "%.1f%%", 100 * v);
            case "bytes" -> Units.bytes(Math.round(v));
            case "bytes/s" -> Units.bytes(Math.round(v)) + "/s";
            case "nanoseconds" -> Units.duration(Math.round(v));
            default -> String.format(Locale.ROOT, v == Math.rint(v) ? "%,.0f" : "%,.2f", v);
        };
    }
}
