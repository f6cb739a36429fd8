// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.analysis.Filter;
import dev.kiln.analysis.diff.Diff;
import dev.kiln.analysis.diff.DiffRule;
import dev.kiln.analysis.diff.JvmDiff;
import dev.kiln.analysis.diff.Status;
import dev.kiln.testutil.JfrSummary;
import dev.kiln.model.Profile;
import dev.kiln.testutil.Captures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Diff#jvm()} of two JDK 17 recordings (jdk17-parallel-gc as base, jdk17-mixed as target) against numbers
 * recomputed from their {@code jfr print --json} (print-truth.sh's *.gc, *.exc and *.io json.gz).
 */
class JvmDiffTest {
    static final String BASE = "jdk17-parallel-gc", TARGET = "jdk17-mixed";
    static Profile base, target;
    static Diff diff;

    @BeforeAll
    static void load() throws Exception {
        base = CpuLoadTest.load(BASE);
        target = CpuLoadTest.load(TARGET);
        diff = Diff.of(base, target, Diff.Options.DEFAULT);
    }

    /** gc-count, gc-pause-p99, gc-pause-max, heap-after-gc-max, exceptions, compilations as jfr print gives them. */
    static long[] metrics(String name) throws Exception {
        List<JsonNode> gc = CpuLoadTest.truth(name, "gc"), exc = CpuLoadTest.truth(name, "exc");
        long[] pauses = gc.stream().filter(e -> e.path("type").asText().equals("jdk.GarbageCollection"))
                .mapToLong(e -> Duration.parse(e.path("values").path("sumOfPauses").asText()).toNanos()).sorted().toArray();
        long heap = gc.stream().filter(e -> e.path("type").asText().equals("jdk.GCHeapSummary")
                && e.path("values").path("when").asText().equals("After GC")).mapToLong(e -> e.path("values").path("heapUsed").asLong()).max().orElse(0);
        long compilations = exc.stream().filter(e -> e.path("type").asText().equals("jdk.Compilation")).count();
        long thrown = exceptions(name).values().stream().mapToLong(Long::longValue).sum();
        int p99 = (int) Math.ceil(0.99 * pauses.length) - 1;
        return new long[]{pauses.length, pauses[p99], pauses[pauses.length - 1], heap, thrown, compilations};
    }

    /** Thrown per class: jdk.JavaExceptionThrow, or jdk.JavaErrorThrow when there are none. */
    static Map<String, Long> exceptions(String name) throws Exception {
        List<JsonNode> exc = CpuLoadTest.truth(name, "exc");
        String type = exc.stream().anyMatch(e -> e.path("type").asText().equals("jdk.JavaExceptionThrow")) ? "jdk.JavaExceptionThrow" : "jdk.JavaErrorThrow";
        Map<String, Long> out = new HashMap<>();
        for (JsonNode e : exc) {
            if (e.path("type").asText().equals(type)) out.merge(e.path("values").path("thrownClass").path("name").asText().replace('/', '.'), 1L, Long::sum);
        }
        return out;
    }

    @Test
    void metricsAreTheRecordingsNumbers() throws Exception {
        long[] b = metrics(BASE), t = metrics(TARGET);
        // the recordings differ where the rows should show it (parallel GC with javac's exceptions vs G1 with I/O)
        assertTrue(b[0] > t[0] && b[4] > t[4] && t[5] > b[5], Arrays.toString(b) + " " + Arrays.toString(t));
        JvmDiff j = diff.jvm();
        assertEquals(JvmDiff.METRICS, j.metrics().stream().map(Diff.KeyDelta::key).toList());
        for (int i = 0; i < b.length; i++) {
            Diff.KeyDelta k = j.metrics().get(i);
            assertEquals(b[i], k.value().base(), k.key());
            assertEquals(t[i], k.value().target(), k.key());
            assertEquals(t[i] - b[i], k.value().delta(), 1e-9, k.key());
        }
        assertEquals(Status.SHRANK, j.metric("gc-count").value().status()); // 180 -> 15
    }

    @Test
    void exceptionsPerClassAndIoPerTarget() throws Exception {
        Map<String, Long> b = exceptions(BASE), t = exceptions(TARGET);
        assertEquals(1271L, b.get("java.lang.NumberFormatException"));
        JvmDiff j = diff.jvm();
        Map<String, Long> keys = new HashMap<>(b);
        t.keySet().forEach(k -> keys.putIfAbsent(k, 0L));
        assertEquals(keys.keySet(), Map.copyOf(j.exceptions().stream().collect(java.util.stream.Collectors.toMap(Diff.KeyDelta::key, x -> 0))).keySet());
        for (String k : keys.keySet()) {
            Diff.KeyDelta d = j.exception(k);
            assertEquals(b.getOrDefault(k, 0L), d.value().base(), k);
            assertEquals(t.getOrDefault(k, 0L), d.value().target(), k);
        }
        assertEquals(Status.GONE, j.exception("java.lang.NumberFormatException").value().status());
        // I/O: the base recorded none, the target's bytes per path and host:port are new
        Map<String, Long> io = new HashMap<>();
        for (Map.Entry<String, long[]> e : IoTargetsTest.truth(CpuLoadTest.truth(TARGET, "io"), null).entrySet()) {
            io.merge(e.getKey().substring(e.getKey().indexOf(' ') + 1), e.getValue()[1] + e.getValue()[3], Long::sum);
        }
        assertFalse(io.isEmpty());
        assertEquals(io.size(), j.io().size());
        for (Map.Entry<String, Long> e : io.entrySet()) {
            Diff.KeyDelta d = j.ioTarget(e.getKey());
            assertNotNull(d, e.getKey());
            assertEquals(0, d.value().base(), e.getKey());
            assertEquals(e.getValue(), d.value().target(), e.getKey());
        }
    }

    @Test
    void rulesOnJvmMetrics() throws Exception {
        long[] b = metrics(BASE), t = metrics(TARGET);
        double maxPct = 100.0 * (t[2] - b[2]) / b[2];
        DiffRule.Result r = DiffRule.parse("gc-pause-max>+0%").check(diff);
        assertEquals(b[2], r.base());
        assertEquals(t[2], r.target());
        assertEquals(maxPct, r.relativePct(), 1e-9);
        assertEquals(maxPct > 0, r.violated());
        // swapped, the target is the base: the opposite verdict for a limit between the two
        Diff back = Diff.of(target, base, Diff.Options.DEFAULT);
        double backPct = 100.0 * (b[2] - t[2]) / t[2];
        assertEquals(backPct, DiffRule.parse("gc-pause-max>+0%").check(back).relativePct(), 1e-9);
        assertTrue(DiffRule.parse("gc-count>+1000%").check(back).violated()); // 15 -> 180 is +1100%
        assertFalse(DiffRule.parse("gc-count>+1100%").check(back).violated());
        assertTrue(DiffRule.parse("exceptions:java.lang.NumberFormatException>+1270").check(back).violated());
        assertFalse(DiffRule.parse("exceptions:java.lang.NumberFormatException>+1271").check(back).violated());
        long ioTotal = diff.jvm().io().stream().mapToLong(k -> k.value().target()).sum();
        assertEquals(ioTotal, DiffRule.parse("io:*>+0").check(diff).delta(), 1e-9);
        assertTrue(DiffRule.parse("compilations>+0").check(diff).violated()); // 2 -> 6
        // every compilation over the threshold is recorded: a count that changed is a change, not sampling noise
        Diff.KeyDelta comp = diff.jvm().metric("compilations");
        assertEquals(b[5], comp.value().base());
        assertEquals(t[5], comp.value().target());
        assertEquals(t[5] > b[5] ? Status.GREW : Status.SHRANK, comp.value().status(), b[5] + " -> " + t[5]);
        assertFalse(DiffRule.parse("heap-after-gc-max>+50%").check(diff).violated());
    }

    /** Events per type, both sides, as jfr summary counts them; two held-out recordings of two JDKs (Serial vs Parallel). */
    @Test
    void eventTypesAreCountedAsJfrSummaryCountsThem() throws Exception {
        Path print = Captures.file("jfr", "print");
        Diff d = Diff.of(CpuLoadTest.load("jdk17-serial"), CpuLoadTest.load("jdk25-parallel"), Diff.Options.DEFAULT);
        Map<String, Long> b = JfrSummary.counts(print.resolve("jdk17-serial.summary.txt"));
        Map<String, Long> t = JfrSummary.counts(print.resolve("jdk25-parallel.summary.txt"));
        java.util.Set<String> types = new java.util.TreeSet<>(b.keySet());
        types.addAll(t.keySet());
        assertEquals(types, new java.util.TreeSet<>(d.jvm().events().stream().map(Diff.KeyDelta::key).toList()));
        for (String type : types) {
            Diff.KeyDelta k = d.jvm().eventType(type);
            assertEquals(b.getOrDefault(type, 0L), k.value().base(), type);
            assertEquals(t.getOrDefault(type, 0L), k.value().target(), type);
        }
        assertEquals(Status.NEW, d.jvm().eventType("jdk.ParallelOldGarbageCollection").value().status());
        for (Diff.KeyDelta k : d.jvm().events()) { // each type against its own counts, exact (the JVM wrote every event)
            long x = (long) k.value().base(), y = (long) k.value().target();
            Status want = x == y ? Status.SAME : x == 0 ? Status.NEW : y == 0 ? Status.GONE : Math.abs(y - x) < 0.01 * Math.max(x, y) ? Status.SAME
                    : y > x ? Status.GREW : Status.SHRANK;
            assertEquals(want, k.value().status(), k.key() + " " + x + " -> " + y);
        }
        assertTrue(DiffRule.parse("events:jdk.ParallelOldGarbageCollection>+0").check(d).violated());
        assertFalse(DiffRule.parse("events:jdk.NoSuchEvent>+0").check(d).violated());
    }

    @Test
    void theBaseFilterLimitsTheBaseSide() throws Exception {
        // the second half of the base recording only: fewer collections, none outside the range
        long mid = base.startEpochNanos() + base.durationNanos() / 2;
        Diff half = Diff.of(base, target, Diff.Options.DEFAULT.withFilters(Filter.NONE.withTimeRange(mid, Long.MAX_VALUE), Filter.NONE));
        long want = CpuLoadTest.truth(BASE, "gc").stream().filter(e -> e.path("type").asText().equals("jdk.GarbageCollection")
                && CpuLoadTest.epochNanos(e.path("values").path("startTime").asText()) >= mid).count();
        assertEquals(want, half.jvm().metric("gc-count").value().base());
        assertEquals(want, half.jvm().eventType("jdk.GarbageCollection").value().base());
        assertEquals(metrics(TARGET)[0], half.jvm().eventType("jdk.GarbageCollection").value().target());
        assertTrue(want > 0 && want < metrics(BASE)[0]);
    }
}
