// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.findings;

import dev.kiln.model.EventKind;
import dev.kiln.model.EventTable;
import dev.kiln.model.Profile;
import dev.kiln.model.SourceFormat;
import dev.kiln.model.StackTable;
import dev.kiln.model.Units;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Findings of Go execution traces, what Go users hunt for in {@code go tool trace}:
 * <ul>
 * <li><b>goroutine-blocked-to-end</b>: user goroutines (not started in {@code runtime.}) that block at some point and
 *     stay blocked until the trace ends, for at least {@link #BLOCKED_TO_END_SHARE} of the trace, grouped by where
 *     they wait (the wait's first frame outside the runtime): leak suspects. WARNING from
 *     {@link #BLOCKED_TO_END_WARN} goroutines on one site, else INFO.</li>
 * <li><b>scheduler-latency</b>: goroutines were runnable (ready, waiting for a P) longer in all than they ran, and
 *     that time is at least {@link #MIN_SHARE_OF_TRACE} of the trace: too few Ps for the work (GOMAXPROCS, CPU
 *     limits) or long-running goroutines. Names the longest wait.</li>
 * <li><b>hot-mutex</b>: one caller of {@code sync.Mutex}/{@code RWMutex} lock methods holds more than
 *     {@link Findings#DOMINANT_SHARE} of all waiting on such locks, and that waiting is at least
 *     {@link #MIN_SHARE_OF_TRACE} of the trace (summed over goroutines). Wait groups and conditions are not locks.</li>
 * <li><b>gc-bound</b>: a GC cycle ran more than {@link #GC_SHARE} of the trace (WARNING above
 *     {@link Findings#DOMINANT_SHARE}), with the time goroutines spent assisting it.</li>
 * </ul>
 */
public final class GoTraceFindings {
    public static final double BLOCKED_TO_END_SHARE = 0.5;
    public static final int BLOCKED_TO_END_WARN = 10;
    public static final double MIN_SHARE_OF_TRACE = 0.1;
    public static final double GC_SHARE = 0.25;

    private GoTraceFindings() { }

    public static List<Finding> of(Profile p) {
        if (p.format() != SourceFormat.GO_TRACE || p.durationNanos() <= 0) return List.of();
        List<Finding> out = new ArrayList<>();
        EventTable ev = p.events();
        long end = p.startEpochNanos() + p.durationNanos(), length = p.durationNanos();
        long runnable = 0, running = 0, longestRunnable = 0, gc = 0, assist = 0, syncTotal = 0;
        int longestRow = -1;
        int[] lastWait = new int[p.threads().size()];
        java.util.Arrays.fill(lastWait, -1);
        Map<Integer, long[]> syncBySite = new LinkedHashMap<>();
        for (int r = 0; r < ev.size(); r++) {
            EventKind k = ev.kind(r);
            long d = ev.durationNanos(r);
            switch (k) {
                case GO_RUNNING -> running += d;
                case GO_RUNNABLE -> {
                    runnable += d;
                    if (d > longestRunnable) { longestRunnable = d; longestRow = r; }
                }
                case GO_GC -> gc += d;
                case GO_MARK_ASSIST -> assist += d;
                case GO_WAITING -> {
                    if (ev.thread(r) >= 0) lastWait[ev.thread(r)] = r;
                    String reason = ev.detail(r) < 0 ? "" : p.string(ev.detail(r));
                    int site = reason.startsWith("sync") && ev.stack(r) >= 0 ? callerOfSync(p, ev.stack(r)) : -1;
                    if (site >= 0) {
                        syncTotal += d;
                        syncBySite.computeIfAbsent(site, x -> new long[1])[0] += d;
                    }
                }
                default -> { }
            }
        }
        // Blocked until the end.
        Map<Integer, List<Integer>> bySite = new LinkedHashMap<>();
        for (int t = 0; t < lastWait.length; t++) {
            int r = lastWait[t];
            if (r < 0 || p.threads().goroutineId(t) < 0) continue;
            String name = p.threadName(t);
            if (name.indexOf(' ') < 0 || name.substring(name.indexOf(' ') + 1).startsWith("runtime")) continue;
            if (ev.startNanos(r) + ev.durationNanos(r) < end || ev.durationNanos(r) < BLOCKED_TO_END_SHARE * length) continue;
            int site = ev.stack(r) < 0 ? -1 : Findings.topUserFrame(p, ev.stack(r));
            bySite.computeIfAbsent(site, x -> new ArrayList<>()).add(t);
        }
        bySite.forEach((site, threads) -> {
            String where = site < 0 ? "an unknown place" : p.frameName(site);
            String loc = site < 0 ? "" : Findings.location(p, site);
            int first = threads.get(0);
            String reason = p.threads().state(first) < 0 ? "blocked" : p.string(p.threads().state(first));
            out.add(new Finding("goroutine-blocked-to-end/" + where, threads.size() >= BLOCKED_TO_END_WARN ? Severity.WARNING : Severity.INFO,
                    "Goroutines blocked until the end: " + where,
                    String.format(Locale.ROOT, "%,d goroutine%s (%s) block%s in \"%s\" at %s%s and stay%s blocked until the trace ends, "
                                    + "for at least %s of it: leak suspects.", threads.size(), threads.size() == 1 ? "" : "s",
                            p.threadName(first) + (threads.size() > 1 ? ", ..." : ""), threads.size() == 1 ? "s" : "", reason,
                            where, loc.isEmpty() ? "" : " (" + loc + ")", threads.size() == 1 ? "s" : "", Findings.pct(BLOCKED_TO_END_SHARE)),
                    new Finding.Link(Finding.Link.THREADS, Finding.Link.THREAD, p.threadName(first), null)));
        });
        if (runnable > running && runnable >= MIN_SHARE_OF_TRACE * length) {
            out.add(new Finding("scheduler-latency", Severity.WARNING, "Goroutines wait for a P longer than they run",
                    String.format(Locale.ROOT, "Goroutines were runnable for %s in all and ran for %s; the longest wait was %s (%s). "
                                    + "More work than Ps (GOMAXPROCS, CPU limits), or goroutines that run long without yielding.",
                            Units.duration(runnable), Units.duration(running), Units.duration(longestRunnable),
                            longestRow < 0 ? "" : p.threadName(ev.thread(longestRow))),
                    new Finding.Link(Finding.Link.FLAME, Finding.Link.FOCUS, ".", "sched/nanoseconds")));
        }
        if (syncTotal >= MIN_SHARE_OF_TRACE * length) {
            long allSync = syncTotal;
            syncBySite.forEach((site, v) -> {
                double share = (double) v[0] / allSync;
                if (share <= Findings.DOMINANT_SHARE || site < 0) return;
                String func = p.frameName(site);
                String loc = Findings.location(p, site);
                out.add(new Finding("hot-mutex/" + func, Severity.WARNING, "Hot lock: " + func,
                        String.format(Locale.ROOT, "Goroutines waited %s for a mutex locked at %s%s, %s of all waiting for mutexes (%s).",
                                Units.duration(v[0]), func, loc.isEmpty() ? "" : " (" + loc + ")", Findings.pct(share), Units.duration(allSync)),
                        new Finding.Link(Finding.Link.FLAME, Finding.Link.FOCUS, Findings.regexLiteral(func), "sync/nanoseconds")));
            });
        }
        double gcShare = (double) gc / length;
        if (gcShare > GC_SHARE) {
            out.add(new Finding("gc-bound", gcShare > Findings.DOMINANT_SHARE ? Severity.WARNING : Severity.INFO,
                    "GC ran " + Findings.pct(gcShare) + " of the time",
                    String.format(Locale.ROOT, "A GC cycle was running for %s of the trace's %s, and goroutines assisted it for %s: "
                            + "allocation drives the collector (GOGC, GOMEMLIMIT, allocation sites).", Units.duration(gc),
                            Units.duration(length), Units.duration(assist)),
                    new Finding.Link(Finding.Link.THREADS, Finding.Link.THREAD, "", null)));
        }
        return out;
    }

    /** The frame that called a {@code sync.Mutex} or {@code sync.RWMutex} lock method on this stack, or -1 if none. */
    private static int callerOfSync(Profile p, int stack) {
        StackTable st = p.stacks();
        boolean inLock = false;
        for (int s = stack; s >= 0; s = st.parent(s)) {
            String name = p.frameName(st.frame(s));
            if (name.startsWith("sync.(*Mutex).") || name.startsWith("sync.(*RWMutex).")) inLock = true;
            else if (inLock && !name.startsWith("sync.") && !name.startsWith("internal/sync.")) return st.frame(s);
        }
        return -1;
    }
}
