// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kiln.io.ProfileLoader;
import dev.kiln.jfr.JfrEvents;
import dev.kiln.jfr.JfrEvents.Event;
import dev.kiln.jfr.JfrEvents.Struct;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.Units;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code kiln gc FILE}: a JFR recording's garbage collections from the events the load does not keep, read in a pass of
 * their own ({@link JfrEvents}): the collections ({@code jdk.GarbageCollection}) by collector and by cause, the
 * stop-the-world pauses ({@code jdk.GCPhasePause}: count, total, longest, percentiles), the heap before and after
 * ({@code jdk.GCHeapSummary}), and the phases ({@code jdk.GCPhasePauseLevel1}, {@code Level2}) of the longest pauses.
 */
final class GcCommand {
    static final String USAGE = """
            usage: kiln gc FILE [--json] [--top N]   garbage collections of a JFR recording: pauses (count, total,
                                                 longest, p50/p90/p99) by collector and cause, heap before and after,
                                                 the phases of the N longest pauses (default 5)
            """;

    static final List<String> TYPES = List.of("jdk.GarbageCollection", "jdk.GCHeapSummary", "jdk.GCPhasePause",
            "jdk.GCPhasePauseLevel1", "jdk.GCPhasePauseLevel2");

    /** One phase of a pause: level 0 is the pause itself ({@code jdk.GCPhasePause}), 1 and 2 its phases. */
    record Phase(int level, String name, long startNanos, long durationNanos) { }

    /** One collection, with what the heap summaries and pause phases of its gcId say (-1: not recorded). */
    record Collection(long gcId, String name, String cause, long startNanos, long durationNanos, long sumOfPausesNanos,
                      long longestPauseNanos, long heapBeforeBytes, long heapAfterBytes, long committedAfterBytes, List<Phase> phases) { }

    record Group(String name, long count, long pauseTotalNanos, long longestPauseNanos) { }

    /** The stop-the-world pauses: percentiles by nearest rank. */
    record Pauses(long count, long totalNanos, long maxNanos, long p50Nanos, long p90Nanos, long p99Nanos, double shareOfRecording) { }

    /** Heap used before and after the collections (bytes; -1 when no summary was recorded; last: of the highest gcId), committed at its largest. */
    record Heap(long beforeMaxBytes, long afterMinBytes, long afterMaxBytes, long afterLastBytes, long committedMaxBytes) { }

    record GcJson(String file, double durationSeconds, long collections, Pauses pauses, List<Group> byCollector, List<Group> byCause,
                  Heap heap, List<Collection> longest) { }

    private GcCommand() { }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String file = null;
        boolean json = false;
        int top = 5;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--json")) json = true;
            else if (a.equals("--top") && i + 1 < args.length && args[i + 1].matches("\\d{1,6}")) top = Integer.parseInt(args[++i]);
            else if (a.startsWith("-") || file != null) {
                err.println("kiln gc: " + (a.startsWith("-") ? (a.equals("--top") ? "--top wants a number" : "unknown option " + a) : "expected one FILE"));
                err.print(USAGE);
                return Main.USAGE;
            } else file = a;
        }
        if (file == null) {
            err.println("kiln gc: expected a FILE");
            err.print(USAGE);
            return Main.USAGE;
        }
        Path path = Path.of(file);
        int n = top;
        GcJson gc;
        try {
            gc = ProfileLoader.withJfrFile(path, ProgressSink.NONE, plain -> of(plain, path.getFileName().toString(), n, err));
        } catch (ProfileFormatException e) {
            err.println("kiln: " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (IOException e) {
            err.println("kiln: " + file + ": " + e.getMessage());
            return Main.BAD_INPUT;
        }
        if (json) {
            try {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(gc));
            } catch (IOException e) {
                err.println("kiln: cannot write JSON: " + e.getMessage());
                return Main.BAD_INPUT;
            }
        } else {
            print(gc, out);
        }
        return Main.OK;
    }

    static long num(Object v) {
        if (v instanceof Long l) return l;
        if (v instanceof JfrEvents.Quantity q) return q.value().longValue();
        if (v instanceof JfrEvents.Timespan t) return t.nanos();
        if (v instanceof JfrEvents.Timestamp t) return t.epochNanos();
        return -1;
    }

    static GcJson of(Path plain, String name, int top, PrintStream err) throws IOException, ProfileFormatException {
        Map<Long, Event> collections = new LinkedHashMap<>();
        Map<Long, long[]> heap = new HashMap<>(); // gcId → before, after, committed after
        Map<Long, List<Phase>> phases = new HashMap<>();
        List<Long> pauses = new ArrayList<>();
        JfrEvents.Decoded d = JfrEvents.events(plain, TYPES, 0, e -> {
            Struct v = e.values();
            long gcId = num(v.get("gcId"));
            switch (e.type()) {
                case "jdk.GarbageCollection" -> collections.put(gcId, e);
                case "jdk.GCHeapSummary" -> {
                    long[] h = heap.computeIfAbsent(gcId, k -> new long[] {-1, -1, -1});
                    boolean before = "Before GC".equals(v.get("when"));
                    h[before ? 0 : 1] = num(v.get("heapUsed"));
                    if (!before && v.get("heapSpace") instanceof Struct space) h[2] = num(space.get("committedSize"));
                }
                default -> {
                    int level = e.type().equals("jdk.GCPhasePause") ? 0 : e.type().charAt(e.type().length() - 1) - '0';
                    if (level == 0) pauses.add(e.durationNanos());
                    phases.computeIfAbsent(gcId, k -> new ArrayList<>()).add(new Phase(level, String.valueOf(v.get("name")), e.startNanos(), e.durationNanos()));
                }
            }
            return true;
        });
        for (String w : d.warnings()) err.println("kiln: warning: " + w);
        JfrEvents.Span span = JfrEvents.span(plain);
        long recording = Math.max(1, span.endEpochNanos() - span.startEpochNanos());
        List<Collection> all = new ArrayList<>();
        for (Map.Entry<Long, Event> c : collections.entrySet()) {
            Struct v = c.getValue().values();
            long[] h = heap.getOrDefault(c.getKey(), new long[] {-1, -1, -1});
            List<Phase> ph = new ArrayList<>(phases.getOrDefault(c.getKey(), List.of()));
            ph.sort(Comparator.comparingLong(Phase::startNanos).thenComparingInt(Phase::level));
            all.add(new Collection(c.getKey(), String.valueOf(v.get("name")), String.valueOf(v.get("cause")), c.getValue().startNanos(),
                    c.getValue().durationNanos(), num(v.get("sumOfPauses")), num(v.get("longestPause")), h[0], h[1], h[2], ph));
        }
        all.sort(Comparator.comparingLong(Collection::gcId));
        if (pauses.isEmpty()) for (Collection c : all) pauses.add(c.sumOfPausesNanos()); // no pause events: a collection's pauses as one
        pauses.sort(null);
        long total = 0;
        for (long p : pauses) total += p;
        Pauses p = new Pauses(pauses.size(), total, pauses.isEmpty() ? 0 : pauses.get(pauses.size() - 1), rank(pauses, 0.50),
                rank(pauses, 0.90), rank(pauses, 0.99), total / (double) recording);
        long beforeMax = -1, afterMin = -1, afterMax = -1, afterLast = -1, committedMax = -1;
        for (Collection c : all) {
            beforeMax = Math.max(beforeMax, c.heapBeforeBytes());
            if (c.heapAfterBytes() >= 0) {
                afterMin = afterMin < 0 ? c.heapAfterBytes() : Math.min(afterMin, c.heapAfterBytes());
                afterMax = Math.max(afterMax, c.heapAfterBytes());
                afterLast = c.heapAfterBytes();
            }
            committedMax = Math.max(committedMax, c.committedAfterBytes());
        }
        List<Collection> longest = new ArrayList<>(all);
        longest.sort(Comparator.comparingLong(Collection::longestPauseNanos).reversed().thenComparingLong(Collection::gcId));
        return new GcJson(name, recording / 1e9, all.size(), p, groups(all, true), groups(all, false),
                new Heap(beforeMax, afterMin, afterMax, afterLast, committedMax), List.copyOf(longest.subList(0, Math.min(top, longest.size()))));
    }

    /** The nearest-rank percentile of sorted values: the smallest value at least {@code q} of them do not exceed. */
    static long rank(List<Long> sorted, double q) {
        if (sorted.isEmpty()) return 0;
        int r = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size(), r) - 1));
    }

    private static List<Group> groups(List<Collection> all, boolean byCollector) {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (Collection c : all) {
            long[] g = m.computeIfAbsent(byCollector ? c.name() : c.cause(), k -> new long[3]);
            g[0]++;
            g[1] += Math.max(0, c.sumOfPausesNanos());
            g[2] = Math.max(g[2], c.longestPauseNanos());
        }
        List<Group> out = new ArrayList<>();
        m.forEach((k, g) -> out.add(new Group(k, g[0], g[1], g[2])));
        out.sort(Comparator.comparingLong(Group::pauseTotalNanos).reversed().thenComparing(Group::name));
        return out;
    }

    private static String bytes(long b) { return b < 0 ? "-" : Units.bytes(b); }

    private static void print(GcJson gc, PrintStream out) {
        out.printf(Locale.ROOT, "File:         %s (%.3f s)%n", gc.file(), gc.durationSeconds());
        out.printf(Locale.ROOT, "Collections:  %,d%n", gc.collections());
        Pauses p = gc.pauses();
        out.printf(Locale.ROOT, "Pauses:       %,d stop-the-world, %s in all (%.2f%% of the recording), longest %s; p50 %s, p90 %s, p99 %s%n",
                p.count(), Units.duration(p.totalNanos()), 100 * p.shareOfRecording(), Units.duration(p.maxNanos()),
                Units.duration(p.p50Nanos()), Units.duration(p.p90Nanos()), Units.duration(p.p99Nanos()));
        Heap h = gc.heap();
        out.printf(Locale.ROOT, "Heap:         before GC up to %s; after GC %s to %s, last %s; committed up to %s%n",
                bytes(h.beforeMaxBytes()), bytes(h.afterMinBytes()), bytes(h.afterMaxBytes()), bytes(h.afterLastBytes()), bytes(h.committedMaxBytes()));
        for (boolean byCollector : new boolean[] {true, false}) {
            out.println();
            out.printf(Locale.ROOT, "  %-36s %8s %14s %14s%n", byCollector ? "collector" : "cause", "count", "pauses", "longest");
            for (Group g : byCollector ? gc.byCollector() : gc.byCause()) {
                out.printf(Locale.ROOT, "  %-36s %,8d %14s %14s%n", g.name(), g.count(), Units.duration(g.pauseTotalNanos()), Units.duration(g.longestPauseNanos()));
            }
        }
        if (gc.longest().isEmpty()) return;
        out.println();
        out.println("Longest pauses");
        for (Collection c : gc.longest()) {
            out.printf(Locale.ROOT, "  gcId %d %s (%s): longest pause %s, %s in all; heap %s -> %s%n", c.gcId(), c.name(), c.cause(),
                    Units.duration(c.longestPauseNanos()), Units.duration(c.sumOfPausesNanos()), bytes(c.heapBeforeBytes()), bytes(c.heapAfterBytes()));
            for (Phase ph : c.phases()) {
                out.printf(Locale.ROOT, "    %s%-40s %12s%n", "  ".repeat(ph.level()), ph.name(), Units.duration(ph.durationNanos()));
            }
        }
    }
}
