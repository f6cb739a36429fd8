// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import dev.kiln.analysis.Filter;
import dev.kiln.model.JfrEventTable;
import dev.kiln.model.JfrField;
import dev.kiln.model.Profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JFR recording's garbage collections in a time range with their causes and pause phases, for the Memory page, as
 * {@code kiln gc} counts them: per {@code jdk.GarbageCollection} cause the collections, their total pause
 * ({@code sumOfPauses}) and longest pause, most paused first; and the collections with the longest pauses
 * ({@code longestPause}, ties by gcId), each with its phases ({@code jdk.GCPhasePause} at level 0,
 * {@code GCPhasePauseLevel1} and {@code Level2} below, joined by {@code gcId}, by start). Read from the event store.
 */
public record GcDetails(List<Cause> causes, List<Collection> longest) {
    public record Cause(String cause, int count, long totalPauseNanos, long longestPauseNanos) { }

    public record Phase(int level, String name, long startNanos, long durationNanos) { }

    public record Collection(long gcId, String name, String cause, long startNanos, long sumOfPausesNanos,
                             long longestPauseNanos, List<Phase> phases) { }

    static final String[] PHASE_TYPES = {"jdk.GCPhasePause", "jdk.GCPhasePauseLevel1", "jdk.GCPhasePauseLevel2"};

    /** The collections that start in the filter's range; {@code top} of them with their phases. */
    public static GcDetails of(Profile p, Filter f, int top) {
        JfrEventTable gc = p.jfrEvents().table("jdk.GarbageCollection");
        if (gc == null || gc.field("gcId") == null) return new GcDetails(List.of(), List.of());
        JfrField id = gc.field("gcId"), name = gc.field("name"), cause = gc.field("cause"),
                sum = gc.field("sumOfPauses"), longest = gc.field("longestPause");
        List<long[]> rows = new ArrayList<>(); // row, gcId, longest
        Map<String, long[]> causes = new LinkedHashMap<>();
        for (int r = 0; r < gc.size(); r++) {
            if (!f.acceptsTime(gc.startNanos(r))) continue;
            long l = longest == null ? 0 : longest.longValue(r), s = sum == null ? 0 : sum.longValue(r);
            rows.add(new long[]{r, id.longValue(r), l});
            long[] c = causes.computeIfAbsent(text(p, cause, r), k -> new long[3]);
            c[0]++;
            c[1] += Math.max(0, s);
            c[2] = Math.max(c[2], l);
        }
        List<Cause> cs = new ArrayList<>();
        causes.forEach((k, c) -> cs.add(new Cause(k, (int) c[0], c[1], c[2])));
        cs.sort(Comparator.comparingLong(Cause::totalPauseNanos).reversed().thenComparing(Cause::cause));
        rows.sort(Comparator.comparingLong((long[] a) -> -a[2]).thenComparingLong(a -> a[1]));
        List<long[]> chosen = rows.subList(0, Math.min(top, rows.size()));
        Map<Long, List<Phase>> phases = new HashMap<>();
        for (long[] c : chosen) phases.put(c[1], new ArrayList<>());
        for (int level = 0; level < PHASE_TYPES.length; level++) {
            JfrEventTable t = p.jfrEvents().table(PHASE_TYPES[level]);
            JfrField pid = t == null ? null : t.field("gcId"), pname = t == null ? null : t.field("name");
            for (int r = 0; pid != null && r < t.size(); r++) {
                List<Phase> l = phases.get(pid.longValue(r));
                if (l != null) l.add(new Phase(level, text(p, pname, r), t.startNanos(r), t.durationNanos(r)));
            }
        }
        List<Collection> out = new ArrayList<>();
        for (long[] c : chosen) {
            int r = (int) c[0];
            List<Phase> ph = phases.get(c[1]);
            ph.sort(Comparator.comparingLong(Phase::startNanos).thenComparingInt(Phase::level));
            out.add(new Collection(c[1], text(p, name, r), text(p, cause, r), gc.startNanos(r), sum == null ? 0 : sum.longValue(r), c[2], List.copyOf(ph)));
        }
        return new GcDetails(List.copyOf(cs), List.copyOf(out));
    }

    private static String text(Profile p, JfrField f, int r) {
        int s = f == null ? -1 : f.index(r);
        return s < 0 ? "" : p.string(s);
    }
}
