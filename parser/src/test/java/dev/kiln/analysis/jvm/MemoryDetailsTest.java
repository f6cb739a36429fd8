// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.analysis.Filter;
import dev.kiln.model.Profile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.kiln.analysis.jvm.CpuLoadTest.epochNanos;
import static dev.kiln.analysis.jvm.CpuLoadTest.load;
import static dev.kiln.analysis.jvm.CpuLoadTest.truth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Memory page's analyses against jfr print --json: allocation rate and metaspace (*.mem.json.gz), GC causes and
 * phases (*.gc.json.gz), leak candidates with their stacks (*.old.json.gz).
 */
class MemoryDetailsTest {
    static List<JsonNode> of(List<JsonNode> events, String type) {
        return events.stream().filter(e -> e.path("type").asText().equals(type)).map(e -> e.path("values")).toList();
    }

    static long nanos(JsonNode duration) { return Duration.parse(duration.asText()).toNanos(); }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17-mixed", "jdk25-mixed"})
    void allocationRateSumsTheSamplesWeightsPerBucket(String name) throws Exception {
        List<JsonNode> samples = of(truth(name, "mem"), "jdk.ObjectAllocationSample");
        Profile p = load(name);
        AllocationRate a = AllocationRate.of(p);
        assertEquals(AllocationRate.SAMPLES, a.source());
        assertEquals(1_000_000_000L, a.bucketNanos(), "a recording of seconds has 1 s buckets");
        Map<Long, Long> bytes = new HashMap<>(); // bucket start -> weight
        long total = 0;
        for (JsonNode v : samples) {
            long t = epochNanos(v.path("startTime").asText());
            long bucket = p.startEpochNanos() + Math.floorDiv(t - p.startEpochNanos(), a.bucketNanos()) * a.bucketNanos();
            bytes.merge(bucket, v.path("weight").asLong(), Long::sum);
            total += v.path("weight").asLong();
        }
        assertEquals(total, a.totalBytes());
        assertTrue(total > 10_000_000, "the recording allocated megabytes: " + total);
        long covered = 0;
        for (int i = 0; i < a.rate().size(); i++) {
            long want = bytes.getOrDefault(a.rate().time(i), 0L);
            assertEquals(want, a.rate().value(i), 1e-6, "bucket at " + (a.rate().time(i) - p.startEpochNanos()));
            covered += want;
        }
        assertEquals(total, covered, "every sample is in a bucket");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17-mixed", "jdk25-mixed"})
    void withoutSamplesTheThreadTotalsGiveTheRate(String name) throws Exception {
        List<JsonNode> stats = new ArrayList<>(of(truth(name, "mem"), "jdk.ThreadAllocationStatistics"));
        stats.sort(Comparator.comparingLong(v -> epochNanos(v.path("startTime").asText())));
        // periods: the events within 100 ms of a period's first; the growth of the threads in two periods in a row
        List<Map<Long, Long>> periods = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        for (JsonNode v : stats) {
            long t = epochNanos(v.path("startTime").asText());
            if (starts.isEmpty() || t - starts.get(starts.size() - 1) > 100_000_000L) { starts.add(t); periods.add(new LinkedHashMap<>()); }
            periods.get(periods.size() - 1).put(v.path("thread").path("javaThreadId").asLong(), v.path("allocated").asLong());
        }
        AllocationRate a = AllocationRate.fromThreadTotals(load(name));
        assertEquals(AllocationRate.THREAD_TOTALS, a.source());
        assertEquals(periods.size() - 1, a.rate().size());
        assertTrue(a.rate().size() >= 1);
        for (int i = 1; i < periods.size(); i++) {
            long grown = 0;
            for (Map.Entry<Long, Long> e : periods.get(i).entrySet()) {
                Long before = periods.get(i - 1).get(e.getKey());
                if (before != null) grown += Math.max(0, e.getValue() - before);
            }
            assertEquals(starts.get(i - 1), a.rate().time(i - 1));
            assertEquals(grown * 1e9 / (starts.get(i) - starts.get(i - 1)), a.rate().value(i - 1), 1e-6);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17-mixed", "jdk25-mixed"})
    void metaspaceIsTheSummariesBeforeAndAfterGc(String name) throws Exception {
        List<JsonNode> ms = of(truth(name, "mem"), "jdk.MetaspaceSummary");
        Metaspace m = Metaspace.of(load(name));
        List<JsonNode> before = ms.stream().filter(v -> v.path("when").asText().equals("Before GC")).toList();
        List<JsonNode> after = ms.stream().filter(v -> v.path("when").asText().equals("After GC")).toList();
        assertFalse(before.isEmpty());
        assertEquals(before.size(), m.usedBefore().size());
        assertEquals(after.size(), m.usedAfter().size());
        assertEquals(ms.size(), m.committed().size());
        assertEquals(ms.size(), m.reserved().size());
        assertEquals(before.stream().mapToLong(v -> v.path("metaspace").path("used").asLong()).max().orElseThrow(), (long) m.usedBefore().max());
        assertEquals(after.stream().mapToLong(v -> v.path("metaspace").path("used").asLong()).sum(), (long) sum(m.usedAfter()));
        assertEquals(ms.stream().mapToLong(v -> v.path("metaspace").path("committed").asLong()).sum(), (long) sum(m.committed()));
        assertEquals(ms.stream().mapToLong(v -> v.path("metaspace").path("reserved").asLong()).max().orElseThrow(), (long) m.reserved().max());
    }

    static double sum(TimeSeries s) {
        double t = 0;
        for (int i = 0; i < s.size(); i++) t += s.value(i);
        return t;
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17-mixed", "jdk25-mixed", "jdk17-parallel-gc"})
    void causesAndThePhasesOfTheLongestPauses(String name) throws Exception {
        List<JsonNode> events = truth(name, "gc");
        List<JsonNode> gcs = of(events, "jdk.GarbageCollection");
        GcDetails d = GcDetails.of(load(name), Filter.NONE, 3);
        Map<String, long[]> causes = new LinkedHashMap<>();
        for (JsonNode v : gcs) {
            long[] c = causes.computeIfAbsent(v.path("cause").asText(), k -> new long[3]);
            c[0]++;
            c[1] += nanos(v.path("sumOfPauses"));
            c[2] = Math.max(c[2], nanos(v.path("longestPause")));
        }
        assertEquals(causes.size(), d.causes().size());
        for (GcDetails.Cause c : d.causes()) {
            long[] w = causes.get(c.cause());
            assertEquals(w[0], c.count(), c.cause());
            assertEquals(w[1], c.totalPauseNanos(), c.cause());
            assertEquals(w[2], c.longestPauseNanos(), c.cause());
        }
        List<JsonNode> longest = new ArrayList<>(gcs);
        longest.sort(Comparator.comparingLong((JsonNode v) -> -nanos(v.path("longestPause"))).thenComparingLong(v -> v.path("gcId").asLong()));
        assertEquals(Math.min(3, gcs.size()), d.longest().size());
        for (int i = 0; i < d.longest().size(); i++) {
            GcDetails.Collection c = d.longest().get(i);
            JsonNode w = longest.get(i);
            assertEquals(w.path("gcId").asLong(), c.gcId());
            assertEquals(w.path("name").asText(), c.name());
            assertEquals(nanos(w.path("longestPause")), c.longestPauseNanos());
            List<String> phases = new ArrayList<>();
            String[] types = {"jdk.GCPhasePause", "jdk.GCPhasePauseLevel1", "jdk.GCPhasePauseLevel2"};
            for (int level = 0; level < 3; level++) {
                for (JsonNode v : of(events, types[level])) {
                    if (v.path("gcId").asLong() == c.gcId()) phases.add(level + " " + v.path("name").asText() + " " + nanos(v.path("duration")));
                }
            }
            List<String> got = new ArrayList<>();
            for (GcDetails.Phase ph : c.phases()) got.add(ph.level() + " " + ph.name() + " " + ph.durationNanos());
            assertFalse(got.isEmpty(), "collection " + c.gcId() + " has phases");
            phases.sort(null);
            List<String> sortedGot = new ArrayList<>(got);
            sortedGot.sort(null);
            assertEquals(phases, sortedGot, "phases of " + c.gcId());
            assertTrue(got.get(0).startsWith("0 "), "a pause before its sub-phases: " + got);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17-mixed", "jdk25-mixed"})
    void leakCandidatesAreTheOldObjectSamples(String name) throws Exception {
        List<JsonNode> old = new ArrayList<>(of(truth(name, "old"), "jdk.OldObjectSample"));
        old.sort(Comparator.comparingLong(v -> epochNanos(v.path("allocationTime").asText())));
        Profile p = load(name);
        OldObjects o = OldObjects.of(p, Filter.NONE);
        assertEquals(old.size(), o.samples().size());
        for (int i = 0; i < old.size(); i++) {
            JsonNode w = old.get(i);
            OldObjects.Sample s = o.samples().get(i);
            assertEquals(epochNanos(w.path("allocationTime").asText()), s.allocationNanos());
            assertEquals(nanos(w.path("objectAge")), s.ageNanos());
            assertEquals(w.path("lastKnownHeapUsage").asLong(), s.lastKnownHeapUsageBytes());
            long elements = w.path("arrayElements").asLong();
            assertEquals(elements == Integer.MIN_VALUE ? -1 : elements, s.arrayElements());
            assertEquals(javaName(w.path("object").path("type").path("name").asText()), s.className());
            assertEquals(w.path("eventThread").path("javaName").asText(), p.threadName(s.thread()));
            List<String> frames = new ArrayList<>();
            for (JsonNode f : w.path("stackTrace").path("frames")) {
                frames.add(f.path("method").path("type").path("name").asText().replace('/', '.') + "." + f.path("method").path("name").asText());
            }
            List<String> got = new ArrayList<>();
            for (int st = s.stack(); st >= 0 && got.size() < 64; st = p.stacks().parent(st)) got.add(p.frameName(p.stacks().frame(st)));
            assertEquals(frames, got, "stack of sample " + i);
        }
        // a range keeps the objects allocated in it
        long from = o.samples().get(o.samples().size() / 2).allocationNanos();
        assertEquals(old.size() - old.size() / 2, OldObjects.of(p, Filter.NONE.withTimeRange(from, Long.MAX_VALUE)).samples().size());
    }

    /** A JVM class name ({@code java/util/HashMap$Node}, {@code [B}) as the model names classes. */
    static String javaName(String jvm) {
        int dims = 0;
        while (jvm.charAt(dims) == '[') dims++;
        String base = dims == 0 ? jvm : switch (jvm.charAt(dims)) {
            case 'B' -> "byte"; case 'C' -> "char"; case 'D' -> "double"; case 'F' -> "float"; case 'I' -> "int";
            case 'J' -> "long"; case 'S' -> "short"; case 'Z' -> "boolean";
            default -> jvm.substring(dims + 1, jvm.length() - 1);
        };
        return base.replace('/', '.') + "[]".repeat(dims);
    }
}
