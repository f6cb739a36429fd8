// SPDX-License-Identifier: Apache-2.0
package dev.kiln.bench;

import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.item.IItemIterable;
import org.openjdk.jmc.flightrecorder.JfrLoaderToolkit;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Loads one capture with Kiln and, for JFR, with JMC's bare {@code JfrLoaderToolkit.loadEvents}, alternately in
 * one JVM: one warm-up each, then N timed runs each. Prints the medians of wall time, peak heap (sum of the
 * heap pools' peaks, reset before each run) and retained heap (after GC, result still referenced), and the
 * ratio Kiln / JMC. A measuring tool, not a test.
 */
public final class LoadBenchmark {
    private record Run(long nanos, long peakBytes, long retainedBytes) { }

    private LoadBenchmark() { }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: LoadBenchmark FILE [runs=5]");
            System.exit(64);
        }
        run(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 5, System.out);
    }

    public static void run(Path file, int runs, PrintStream out) throws Exception {
        long size = Files.size(file);
        byte[] head = head(file);
        boolean jfr = ProfileLoader.detect(head, head.length) == ProfileLoader.Detected.JFR;
        Callable<Object> kiln = () -> ProfileLoader.load(file, ProgressSink.NONE);
        Callable<Object> jmc = () -> {
            IItemCollection items = JfrLoaderToolkit.loadEvents(file.toFile());
            long n = 0;
            for (IItemIterable it : items) n += it.getItemCount();
            if (n < 0) throw new IllegalStateException();
            return items;
        };
        out.printf(Locale.ROOT, "file %s, %,d bytes; JVM %s, max heap %d MiB, %d cores; %d runs after 1 warm-up, medians%n",
                file.getFileName(), size, System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors(), runs);
        measure(kiln);
        if (jfr) measure(jmc);
        List<Run> k = new ArrayList<>(), j = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            k.add(measure(kiln));
            if (jfr) j.add(measure(jmc));
        }
        Run km = median(k);
        out.printf(Locale.ROOT, "%-34s %10s %14s %14s %12s%n", "reader", "time", "peak heap", "retained", "retained/file");
        print(out, "Kiln ProfileLoader.load", km, size);
        if (jfr) {
            Run jm = median(j);
            print(out, "JMC JfrLoaderToolkit.loadEvents", jm, size);
            out.printf(Locale.ROOT, "%-34s %9.2fx %13.2fx %13.2fx%n", "ratio Kiln / JMC", (double) km.nanos / jm.nanos,
                    (double) km.peakBytes / jm.peakBytes, (double) km.retainedBytes / jm.retainedBytes);
        }
    }

    private static byte[] head(Path file) throws Exception {
        try (var in = Files.newInputStream(file)) {
            return in.readNBytes(4);
        }
    }

    private static void print(PrintStream out, String name, Run r, long size) {
        out.printf(Locale.ROOT, "%-34s %8.0f ms %10.1f MiB %10.1f MiB %11.2fx%n", name, r.nanos / 1e6, r.peakBytes / 1048576.0,
                r.retainedBytes / 1048576.0, (double) r.retainedBytes / size);
    }

    private static Run measure(Callable<Object> load) throws Exception {
        long base = settledHeap();
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        pools.forEach(MemoryPoolMXBean::resetPeakUsage);
        long t0 = System.nanoTime();
        Object result = load.call();
        long nanos = System.nanoTime() - t0;
        long peak = pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() - base;
        long retained = settledHeap() - base;
        if (result instanceof Profile p && p.sourceName().isEmpty()) throw new IllegalStateException();
        result = null;
        return new Run(nanos, peak, retained);
    }

    private static long settledHeap() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    private static Run median(List<Run> runs) {
        long[] t = runs.stream().mapToLong(Run::nanos).sorted().toArray();
        long[] p = runs.stream().mapToLong(Run::peakBytes).sorted().toArray();
        long[] r = runs.stream().mapToLong(Run::retainedBytes).sorted().toArray();
        return new Run(t[t.length / 2], p[p.length / 2], r[r.length / 2]);
    }
}
