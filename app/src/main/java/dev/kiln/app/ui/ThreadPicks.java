// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import dev.kiln.analysis.timeline.GoroutineGroups;
import dev.kiln.analysis.timeline.NaturalOrder;
import dev.kiln.model.Profile;
import dev.kiln.model.SourceFormat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the capture tab's thread picker offers: a Go execution trace's goroutines grouped by start function (as
 * {@code go tool trace}'s Goroutines page; Ps left out), or every named thread of any other capture, in the order
 * people count ({@code worker-2} before {@code worker-10}), then the threads without a name (JDK 21+ virtual threads)
 * as one pick. Each pick is a set of thread rows for
 * {@link dev.kiln.analysis.Filter#withThreads}. Pure: built in the load job, shown on the FX thread.
 */
record ThreadPicks(String noun, List<Pick> picks) {
    /** One entry of the picker: what it says and the thread rows it stands for. */
    record Pick(String label, Set<Integer> threads) {
        @Override
        public String toString() { return label; }
    }

    /**
     * What the picker's title counts when nothing is checked: the thread rows of all picks for threads (same-named
     * threads are one pick, so that the count agrees with the status bar's), the groups for a Go trace.
     */
    int count() {
        if (!noun.equals("threads")) return picks.size();
        int n = 0;
        for (Pick p : picks) n += p.threads().size();
        return n;
    }

    static final ThreadPicks NONE = new ThreadPicks("threads", List.of());

    static ThreadPicks of(Profile p) {
        Map<String, Set<Integer>> byName = new TreeMap<>(NaturalOrder.INSTANCE);
        boolean trace = p.format() == SourceFormat.GO_TRACE;
        Set<Integer> unnamed = new LinkedHashSet<>();
        boolean allVirtual = true;
        for (int t = 0; t < p.threads().size(); t++) {
            if (trace && p.threads().goroutineId(t) < 0) continue; // a P
            String name = p.threadName(t);
            if (name == null || name.isBlank()) {
                unnamed.add(t);
                allVirtual &= p.threads().isVirtual(t);
                continue;
            }
            byName.computeIfAbsent(trace ? GoroutineGroups.startFunction(name) : name, k -> new LinkedHashSet<>()).add(t);
        }
        List<Pick> out = new ArrayList<>();
        byName.forEach((name, rows) -> out.add(new Pick(trace || rows.size() > 1 ? name + " (" + rows.size() + ")" : name, Set.copyOf(rows))));
        // threads the recording names with nothing (a JDK 21+ virtual thread has an empty name) are one pick, last
        if (!unnamed.isEmpty()) {
            String what = trace ? "<goroutines without a start function>" : allVirtual ? "<virtual threads, no name>" : "<threads without a name>";
            out.add(new Pick(what + " (" + String.format(java.util.Locale.ROOT, "%,d", unnamed.size()) + ")", Set.copyOf(unnamed)));
        }
        return new ThreadPicks(trace ? "goroutine groups" : "threads", List.copyOf(out));
    }
}
