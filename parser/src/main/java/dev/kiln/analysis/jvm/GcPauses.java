// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import dev.kiln.analysis.Filter;
import dev.kiln.model.EventKind;
import dev.kiln.model.EventTable;
import dev.kiln.model.LongList;
import dev.kiln.model.Profile;
import dev.kiln.model.SourceFormat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JFR recording's garbage collections ({@code jdk.GarbageCollection}) in a time range, for the Memory page: each
 * collection's pause (its {@code sumOfPauses}) as a series at its start, and per collector ({@code name}, such as
 * G1New) the count, total and longest pause, and the share of the range spent paused (GC overhead).
 *
 * @param pauses       pause per collection, in nanoseconds, at the collection's start
 * @param collectors   per collector, in order of first collection
 * @param rangeNanos   the length of the range the overhead is a share of
 */
public record GcPauses(TimeSeries pauses, List<Collector> collectors, long rangeNanos) {
    /** One collector's collections. */
    public record Collector(String name, int count, long totalNanos, long maxNanos) { }

    /** Whether the capture is a JFR recording with collections (a Go trace's GC_PAUSE events are stop-the-world pauses, not collections). */
    public static boolean applies(Profile p) {
        if (p.format() != SourceFormat.JFR) return false;
        EventTable ev = p.events();
        for (int r = 0; r < ev.size(); r++) if (ev.kind(r) == EventKind.GC_PAUSE) return true;
        return false;
    }

    /** The collections that start in the filter's time range (the whole recording for none). */
    public static GcPauses of(Profile p, Filter f) {
        EventTable ev = p.events();
        LongList t = new LongList();
        double[] v = new double[16];
        Map<String, long[]> by = new LinkedHashMap<>(); // name -> count, total, max
        for (int r = 0; r < ev.size(); r++) {
            if (ev.kind(r) != EventKind.GC_PAUSE || !f.acceptsTime(ev.startNanos(r))) continue;
            long d = ev.durationNanos(r);
            if (t.size() == v.length) v = Arrays.copyOf(v, 2 * v.length);
            v[t.size()] = d;
            t.add(ev.startNanos(r));
            long[] c = by.computeIfAbsent(ev.detail(r) < 0 ? "" : p.string(ev.detail(r)), k -> new long[3]);
            c[0]++;
            c[1] += d;
            c[2] = Math.max(c[2], d);
        }
        List<Collector> cs = new ArrayList<>();
        by.forEach((name, c) -> cs.add(new Collector(name, (int) c[0], c[1], c[2])));
        long start = p.startEpochNanos(), end = start + p.durationNanos();
        long range = Math.min(end, f.toNanos()) - Math.max(start, f.fromNanos());
        return new GcPauses(new TimeSeries("GC pause", "nanoseconds", t.toArray(), Arrays.copyOf(v, t.size())), List.copyOf(cs), Math.max(0, range));
    }

    public int count() { return pauses.size(); }

    public long totalNanos() {
        long s = 0;
        for (Collector c : collectors) s += c.totalNanos();
        return s;
    }

    /** Paused time as a share (0-1) of the range; 0 for an empty range. */
    public double overhead() { return rangeNanos <= 0 ? 0 : (double) totalNanos() / rangeNanos; }
}
