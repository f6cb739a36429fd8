// SPDX-License-Identifier: Apache-2.0
package dev.kiln.bench;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.Weights;
import dev.kiln.analysis.tree.CallTree;
import dev.kiln.analysis.tree.FlameLayout;
import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the window does before it shows a capture's first flame graph, without the window: loads the file, builds
 * the call tree of the default weight and lays out its flame graph, as {@code FlameTab} does. Prints the time of
 * each step and of the whole, in this process (a cold JVM, as the app's is on a first open), then the same steps
 * again RUNS times (warm) with their medians. A measuring tool, not a test.
 *
 * <pre>
 *   java -cp kiln.jar:lib/*:parser/target/test-classes dev.kiln.bench.FirstFlameBenchmark FILE [RUNS=0]
 * </pre>
 */
public final class FirstFlameBenchmark {
    private FirstFlameBenchmark() { }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: FirstFlameBenchmark FILE [runs=0]");
            System.exit(64);
        }
        Path file = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        long sinceJvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        long[] cold = once(file);
        System.out.printf(Locale.ROOT, "cold: load %d ms, call tree %d ms, flame layout %d ms, first flame graph %d ms"
                + " (JVM up %d ms before); this thread's CPU: load %d ms, call tree %d ms%n", cold[0], cold[1], cold[2],
                cold[0] + cold[1] + cold[2], sinceJvmStart, cold[3], cold[4]);
        if (runs == 0) return;
        long[][] warm = new long[5][runs];
        for (int r = 0; r < runs; r++) {
            long[] t = once(file);
            for (int k = 0; k < 5; k++) warm[k][r] = t[k];
        }
        long l = median(warm[0]), c = median(warm[1]), f = median(warm[2]);
        System.out.printf(Locale.ROOT, "warm, median of %d: load %d ms, call tree %d ms, flame layout %d ms, first flame graph %d ms;"
                + " CPU: load %d ms, call tree %d ms%n", runs, l, c, f, l + c + f, median(warm[3]), median(warm[4]));
    }

    /**
     * Milliseconds of the load, the call tree and the layout, then this thread's CPU time in the load and the call
     * tree (less disturbed than wall time by other work on the machine).
     */
    private static long[] once(Path file) throws Exception {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long a = System.nanoTime(), ca = cpu.getCurrentThreadCpuTime();
        Profile p = ProfileLoader.load(file, ProgressSink.NONE);
        long b = System.nanoTime(), cb = cpu.getCurrentThreadCpuTime();
        CallTree tree = CallTree.build(p, Weights.defaultWeight(p), Filter.NONE, CallTree.Options.DEFAULT);
        long c = System.nanoTime(), cc = cpu.getCurrentThreadCpuTime();
        FlameLayout layout = FlameLayout.of(tree);
        long d = System.nanoTime();
        if (layout == null) throw new IllegalStateException();
        return new long[] {(b - a) / 1_000_000, (c - b) / 1_000_000, (d - c) / 1_000_000, (cb - ca) / 1_000_000,
                (cc - cb) / 1_000_000};
    }

    private static long median(long[] a) {
        long[] s = a.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }
}
