// SPDX-License-Identifier: Apache-2.0
package dev.kiln.bench;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.Weight;
import dev.kiln.analysis.Weights;
import dev.kiln.analysis.tree.CallTree;
import dev.kiln.analysis.tree.FlameLayout;
import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;

import dev.kiln.analysis.alloc.Allocations;
import dev.kiln.analysis.findings.Findings;
import dev.kiln.analysis.locks.ContentionSites;
import dev.kiln.analysis.locks.LockGraph;
import dev.kiln.analysis.timeline.GoroutineStates;
import dev.kiln.analysis.timeline.ThreadTimelines;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Loads one capture once, then times every analysis of it: the call tree (top-down and inverted) and flame
 * layout of every weight and a re-filter, then thread timelines, the lock graph, allocations and Kiln's findings.
 * Prints the median wall time of each over N runs (after one warm-up) and the peak heap each analysis reached
 * above the loaded profile. A measuring tool, not a test.
 */
public final class AnalysisBenchmark {
    private AnalysisBenchmark() { }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: AnalysisBenchmark FILE [runs=5]");
            System.exit(64);
        }
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long t0 = System.nanoTime();
        Profile p = ProfileLoader.load(Path.of(args[0]), ProgressSink.NONE);
        System.out.printf(Locale.ROOT, "loaded %s in %.2f s: %,d stacks, %,d frames%n", p.sourceName(), (System.nanoTime() - t0) / 1e9,
                p.stacks().size(), p.frames().size());
        long all = 0;
        for (Weight w : Weights.available(p)) {
            long[] top = new long[runs], inv = new long[runs], refilter = new long[runs];
            CallTree t = null, i = null;
            for (int r = 0; r < runs; r++) {
                long a = System.nanoTime();
                t = CallTree.build(p, w, Filter.NONE, CallTree.Options.DEFAULT);
                FlameLayout.of(t);
                long b = System.nanoTime();
                i = CallTree.build(p, w, Filter.NONE, CallTree.Options.DEFAULT.withInverted(true));
                long c = System.nanoTime();
                FlameLayout.of(t.withFilter(Filter.NONE.withThreadName(Pattern.compile("-1$"))));
                long d = System.nanoTime();
                top[r] = b - a; inv[r] = c - b; refilter[r] = d - c;
            }
            all += median(top) + median(inv);
            System.out.printf(Locale.ROOT, "%-30s rows-total %,18d  nodes %,8d / inverted %,8d  top-down+flame %7.1f ms  inverted %7.1f ms  refilter+flame %7.1f ms%n",
                    w, t.rootTotal(), t.size(), i.size(), median(top) / 1e6, median(inv) / 1e6, median(refilter) / 1e6);
        }
        System.out.printf(Locale.ROOT, "every weight, top-down + inverted: %.1f ms (medians summed)%n", all / 1e6);
        time("default call tree + flame layout", runs, () -> FlameLayout.of(CallTree.build(p, Weights.defaultWeight(p), Filter.NONE, CallTree.Options.DEFAULT)));
        if (p.format() == dev.kiln.model.SourceFormat.JFR) time("thread timelines", runs, () -> ThreadTimelines.of(p));
        if (GoroutineStates.applies(p)) time("goroutine states", runs, () -> GoroutineStates.of(p, Filter.NONE));
        if (LockGraph.applies(p)) time("lock graph + top locks", runs, () -> LockGraph.of(p, Filter.NONE, ProgressSink.NONE)
                .topLocks(LockGraph.By.CLASS, LockGraph.allKinds(), 10, 5));
        if (ContentionSites.applies(p)) time("contention sites", runs, () -> ContentionSites.of(p, Filter.NONE));
        if (Allocations.applies(p)) time("allocations", runs, () -> Allocations.of(p, Filter.NONE, ProgressSink.NONE));
        time("findings (without JMC's rules)", runs, () -> Findings.of(p));
    }

    private static void time(String what, int runs, Supplier<Object> analysis) {
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
        Object keep = analysis.get(); // warm-up
        long[] t = new long[runs], peak = new long[runs];
        for (int r = 0; r < runs; r++) {
            keep = null;
            System.gc();
            long base = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            pools.forEach(MemoryPoolMXBean::resetPeakUsage);
            long a = System.nanoTime();
            keep = analysis.get();
            t[r] = System.nanoTime() - a;
            peak[r] = pools.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum() - base;
        }
        if (keep == null) throw new IllegalStateException();
        System.out.printf(Locale.ROOT, "%-36s %8.1f ms   peak heap above the profile %8.1f MiB%n", what, median(t) / 1e6,
                Math.max(0, median(peak)) / 1048576.0);
    }

    private static long median(long[] a) {
        long[] s = a.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }
}
