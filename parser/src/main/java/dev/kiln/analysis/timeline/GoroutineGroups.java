// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.timeline;

import dev.kiln.model.EventKind;
import dev.kiln.model.EventTable;
import dev.kiln.model.Profile;
import dev.kiln.model.SourceFormat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The goroutines of a Go execution trace grouped by their start function, with the time each group spent per
 * state, as {@code go tool trace}'s Goroutines page shows them: execution (running), scheduler wait (runnable), sync
 * block (mutexes, wait groups, channels, select: {@link ThreadState#BLOCKED} and {@link ThreadState#WAITING}),
 * network wait, syscall, sleep, and GC mark assist (which overlaps execution). Ps are not goroutines and are left
 * out. Groups are sorted by execution time, largest first. Totals come from the {@link ThreadTimelines} given, so a
 * time range or thread filter applies as for the lanes.
 */
public record GoroutineGroups(List<Group> groups) {
    /** One start function's goroutines; times in nanoseconds. */
    public record Group(String startFunction, int goroutines, long execution, long schedulerWait, long syncBlock,
                        long networkWait, long syscall, long sleep, long gcAssist, long lifetime) { }

    /** Whether the profile is a Go execution trace. */
    public static boolean applies(Profile p) { return p.format() == SourceFormat.GO_TRACE; }

    /** The start function in a goroutine lane's name ({@code G12 main.worker}), or "(unknown)". */
    public static String startFunction(String threadName) {
        int sp = threadName.indexOf(' ');
        return sp < 0 ? "(unknown)" : threadName.substring(sp + 1);
    }

    public static GoroutineGroups of(Profile p, ThreadTimelines tl) {
        long[] assist = new long[p.threads().size()];
        EventTable ev = p.events();
        for (int r = 0; r < ev.size(); r++) {
            if (ev.kind(r) == EventKind.GO_MARK_ASSIST && ev.thread(r) >= 0) assist[ev.thread(r)] += ev.durationNanos(r);
        }
        Map<String, long[]> sums = new LinkedHashMap<>();
        for (int l = 0; l < tl.laneCount(); l++) {
            int t = tl.laneThread(l);
            if (p.threads().goroutineId(t) < 0) continue;
            long[] s = sums.computeIfAbsent(startFunction(p.threadName(t)), k -> new long[9]);
            s[0]++;
            s[1] += tl.total(l, ThreadState.RUNNING);
            s[2] += tl.total(l, ThreadState.RUNNABLE);
            s[3] += tl.total(l, ThreadState.BLOCKED) + tl.total(l, ThreadState.WAITING);
            s[4] += tl.total(l, ThreadState.IO);
            s[5] += tl.total(l, ThreadState.SYSCALL);
            s[6] += tl.total(l, ThreadState.SLEEPING);
            s[7] += assist[t];
            s[8] += tl.laneLengthNanos(l);
        }
        List<Group> out = new ArrayList<>();
        sums.forEach((k, s) -> out.add(new Group(k, (int) s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8])));
        out.sort(Comparator.comparingLong(Group::execution).reversed().thenComparing(Group::startFunction));
        return new GoroutineGroups(List.copyOf(out));
    }
}
