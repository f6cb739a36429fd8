// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis;

import dev.kiln.model.EventKind;
import dev.kiln.model.EventTable;
import dev.kiln.model.Profile;

import java.util.ArrayList;
import java.util.List;

/**
 * Minimum mutator utilization (MMU) of a Go execution trace: for a window length w, the lowest share of the Ps that
 * ran the program (not the GC) over any stretch of w, as {@code go tool trace}'s MMU page plots it. The input is the
 * trace's {@link EventKind#GO_UTILIZATION} points, a step function; the mean over a window is a difference of its
 * integral, which is linear between the points, so the lowest mean has a window edge on a point: each window length
 * takes one pass over the points with each edge on them, exact and linear in the points.
 */
public final class MutatorUtilization {
    /** One point of the curve: a window length and the lowest mutator share over any window that long. */
    public record Point(long windowNanos, double mmu) { }

    private final long[] time;
    private final double[] util, integral;

    private MutatorUtilization(long[] time, double[] util) {
        this.time = time;
        this.util = util;
        integral = new double[time.length];
        for (int i = 1; i < time.length; i++) integral[i] = integral[i - 1] + util[i - 1] * (time[i] - time[i - 1]);
    }

    /** Whether the profile has utilization points (a Go execution trace that names GOMAXPROCS). */
    public static boolean applies(Profile p) {
        EventTable ev = p.events();
        for (int r = 0; r < ev.size(); r++) if (ev.kind(r) == EventKind.GO_UTILIZATION) return true;
        return false;
    }

    public static MutatorUtilization of(Profile p) {
        EventTable ev = p.events();
        dev.kiln.model.LongList t = new dev.kiln.model.LongList();
        java.util.List<Double> u = new ArrayList<>();
        for (int r = 0; r < ev.size(); r++) {
            if (ev.kind(r) != EventKind.GO_UTILIZATION) continue;
            t.add(ev.startNanos(r));
            u.add(ev.amount(r) / 1e9);
        }
        return new MutatorUtilization(t.toArray(), u.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The span the points cover, in nanoseconds. */
    public long spanNanos() { return time.length < 2 ? 0 : time[time.length - 1] - time[0]; }

    /** The mean mutator share over all of the trace. */
    public double mean() { return spanNanos() == 0 ? 1 : integral[time.length - 1] / spanNanos(); }

    /** The lowest mean mutator share over any window of {@code windowNanos} (longer than the trace: the whole trace). */
    public double mmu(long windowNanos) {
        int n = time.length;
        if (n < 2) return 1;
        long w = Math.min(Math.max(1, windowNanos), spanNanos());
        long first = time[0], last = time[n - 1];
        double min = Double.MAX_VALUE;
        // windows starting on a point: the end moves forward with the start
        int e = 0;
        for (int i = 0; i < n && time[i] + w <= last; i++) {
            while (e + 1 < n && time[e + 1] <= time[i] + w) e++;
            min = Math.min(min, (at(e, time[i] + w) - integral[i]) / w);
        }
        // windows ending on a point
        int s = 0;
        for (int j = 0; j < n; j++) {
            long start = time[j] - w;
            if (start < first) continue;
            while (s + 1 < n && time[s + 1] <= start) s++;
            min = Math.min(min, (integral[j] - at(s, start)) / w);
        }
        return Math.max(0, Math.min(1, min));
    }

    /**
     * The curve at {@code samples} window lengths spaced evenly on a log scale, as Go's MMU page does: from where
     * it leaves 0 (the first of 1 s, 1 ms, 1 us, 1 ns whose MMU is below 0.0001), six orders of magnitude, at most
     * the trace's length.
     */
    public List<Point> curve(int samples) {
        long xMin = 1_000_000_000L;
        while (xMin > 1) {
            if (mmu(xMin) < 0.0001) break;
            xMin /= 1000;
        }
        long xMax = Math.min(xMin * 1_000_000L, Math.max(1, spanNanos()));
        List<Point> out = new ArrayList<>();
        double logMin = Math.log(xMin), logMax = Math.log(xMax);
        for (int i = 0; i < samples; i++) {
            long w = (long) Math.exp((double) i / (samples - 1) * (logMax - logMin) + logMin);
            out.add(new Point(w, mmu(w)));
        }
        return out;
    }

    /** The integral from the first point to {@code x}, where point {@code k} is the last at or before it. */
    private double at(int k, long x) { return integral[k] + util[k] * (x - time[k]); }
}
