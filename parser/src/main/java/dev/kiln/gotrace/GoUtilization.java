// SPDX-License-Identifier: Apache-2.0
package dev.kiln.gotrace;

import dev.kiln.model.IntList;
import dev.kiln.model.LongList;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The mutator utilization of a trace as {@code go tool trace}'s MMU page computes it by default (the system view,
 * counting stop-the-world pauses, background mark workers and mark assists, not sweeping): after each event, the
 * share of Ps not doing GC work; a stop-the-world takes all of them. Fed the events in order by {@link GoTraceModel},
 * it keeps a point wherever the share changes (at equal times the lowest), and a last point of 0 at the end.
 *
 * <p>As Go's analysis: nothing counts before the first GOMAXPROCS metric; a mark assist takes its goroutine's P while
 * it runs; a mark assist found already active in the first generation counts back to the trace's start; a run of a
 * mark worker goroutine takes its P when the run's label says it is one ("GC (dedicated)", "GC (fractional)", not
 * "GC (idle)").
 *
 * <p><b>Where Kiln differs from Go 1.23's.</b> The runtime labels a mark worker at the start of every run, and Go's
 * analysis counts a labelled goroutine from then on at every start as well as at every label, but takes it off only
 * at its stops: each run after the first leaves its P counted once more, so from the second run of a worker that P
 * seems to do GC work to the end of the trace (on the corpus's trace, after 0.9 ms of 404). Kiln counts each run once,
 * from its label to its stop, and an idle run not at all. {@code goCompatible} gives Go's accounting, for the tests
 * that compare with {@code go tool trace}.
 */
final class GoUtilization {
    private int[] gc = new int[0];
    private int procs, stw;
    /** How many Ps have GC work now ({@code gc[p] > 0}), kept as the counts change. */
    private int busyPs;
    private boolean seenSync;
    private final boolean goCompatible;
    private final Set<Long> inGC = new HashSet<>(), bgMark = new HashSet<>();
    /** Goroutines in a mark worker's run, with the P the run is counted on. */
    private final Map<Long, Integer> workerRun = new HashMap<>();
    /** The points: time, then Ps doing GC work of how many. */
    final LongList times = new LongList();
    final IntList gcPs = new IntList(), nProcs = new IntList();

    GoUtilization(boolean goCompatible) { this.goCompatible = goCompatible; }

    void sync() { seenSync = true; }

    void gomaxprocs(int n) {
        if (n < 0 || n > 1 << 16) return;
        int[] next = new int[n];
        System.arraycopy(gc, 0, next, 0, Math.min(n, procs));
        gc = next;
        procs = n;
        busyPs = 0;
        for (int c : gc) if (c > 0) busyPs++;
    }

    void stw(boolean begin, String kind) {
        if (procs == 0 || !kind.contains("GC")) return; // Go counts the GC's stop-the-worlds only
        stw += begin ? 1 : -1;
    }

    /** A mark assist begins or ends on P {@code p} for goroutine {@code g}. */
    void assist(boolean begin, long p, long g) {
        if (procs == 0 || !onP(p)) return;
        bump((int) p, begin ? 1 : -1);
        if (g > 0) {
            if (begin) inGC.add(g);
            else inGC.remove(g);
        }
    }

    /** A mark assist of goroutine {@code g} found active; {@code ctxExecuting}: whether the event's goroutine runs. */
    void assistActive(long p, long g, boolean ctxExecuting) {
        if (procs == 0 || seenSync || !ctxExecuting) return;
        // active since the trace began: one more P in GC at every point so far
        for (int i = 0; i < gcPs.size(); i++) gcPs.set(i, Math.min(nProcs.get(i), gcPs.get(i) + 1));
        assist(true, p, g);
    }

    void label(long p, long g, String label) {
        if (procs == 0 || !label.startsWith("GC ") || label.equals("GC (idle)")) return;
        if (goCompatible) {
            bgMark.add(g);
            if (onP(p)) bump((int) p, 1);
        } else if (onP(p) && !workerRun.containsKey(g)) {
            workerRun.put(g, (int) p);
            bump((int) p, 1);
        }
    }

    void transition(long p, long g, boolean wasExecuting, boolean executing) {
        if (procs == 0 || wasExecuting == executing) return;
        if (!executing && !goCompatible && !workerRun.isEmpty()) { // a worker's run ends
            Integer runP = workerRun.remove(g);
            if (runP != null && runP < procs) bump(runP, -1);
        }
        if (inGC.isEmpty() && bgMark.isEmpty()) return; // (no boxing of g on every transition)
        if (!(inGC.contains(g) || bgMark.contains(g)) || !onP(p)) return;
        bump((int) p, executing ? 1 : -1);
    }

    private void bump(int p, int by) {
        boolean was = gc[p] > 0;
        gc[p] += by;
        busyPs += (gc[p] > 0 ? 1 : 0) - (was ? 1 : 0);
    }

    /** After an event at {@code t}: the share now. */
    void after(long t) {
        if (procs == 0) return;
        add(t, stw > 0 ? procs : busyPs, procs);
    }

    /** The last point: nothing runs after the trace's end. */
    void end(long t) { if (procs > 0) add(t, procs, procs); }

    /** The mutator's share at point {@code i}, 0-1. */
    double util(int i) { return 1 - (double) gcPs.get(i) / nProcs.get(i); }

    private void add(long t, int busy, int n) {
        int last = times.size() - 1;
        if (last >= 0) {
            double u = 1 - (double) busy / n, had = util(last);
            if (u == had) return;
            if (times.get(last) == t) { // the lowest at one time
                if (u < had) {
                    gcPs.set(last, busy);
                    nProcs.set(last, n);
                }
                return;
            }
        }
        times.add(t);
        gcPs.add(busy);
        nProcs.add(n);
    }

    private boolean onP(long p) { return p >= 0 && p < procs; }
}
