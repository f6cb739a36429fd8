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

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Loads one capture once, then builds the call tree (top-down and inverted) and flame layout of every weight,
 * and recomputes one with a thread filter; prints the median wall time of each over N runs. A measuring tool,
 * not a test.
 */
public final class TreeBenchmark {
    private TreeBenchmark() { }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: TreeBenchmark FILE [runs=5]");
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
    }

    private static long median(long[] a) {
        long[] s = a.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }
}
