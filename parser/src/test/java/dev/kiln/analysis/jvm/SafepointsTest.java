// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.analysis.Filter;
import dev.kiln.model.Profile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.kiln.analysis.jvm.CompilationsTest.nanos;
import static dev.kiln.analysis.jvm.CompilationsTest.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The safepoints page's analysis against {@code jfr print --json}'s SafepointBegin, SafepointStateSynchronization,
 * SafepointEnd and ExecuteVMOperation events (print-truth.sh's *.safepoints.json.gz), joined here by safepointId.
 */
public class SafepointsTest {
    /** Per safepoint id: start, end, time to safepoint (sync, else begin; -1). */
    public static Map<Long, long[]> truth(String name) throws Exception {
        Map<Long, long[]> by = new HashMap<>();
        for (JsonNode e : CpuLoadTest.truth(name, "safepoints")) {
            JsonNode v = e.path("values");
            String type = e.path("type").asText();
            if (type.equals("jdk.ExecuteVMOperation") && !v.path("safepoint").asBoolean()) continue;
            long[] t = by.computeIfAbsent(v.path("safepointId").asLong(), k -> new long[]{Long.MAX_VALUE, Long.MIN_VALUE, -1, -1});
            t[0] = Math.min(t[0], start(v));
            t[1] = Math.max(t[1], start(v) + nanos(v, "duration"));
            if (type.equals("jdk.SafepointStateSynchronization")) t[2] = nanos(v, "duration");
            if (type.equals("jdk.SafepointBegin")) t[3] = nanos(v, "duration");
        }
        return by;
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17-mixed", "jdk25-mixed", "jdk17-parallel-gc", "jdk25-zgc", "jdk17-safepoints"})
    void safepointsAndOperationsAreTheRecordedOnes(String name) throws Exception {
        Profile p = CpuLoadTest.load(name);
        Safepoints s = Safepoints.of(p, Filter.NONE);
        Map<Long, long[]> want = truth(name);
        assertTrue(want.size() > 10, name);
        assertEquals(want.size(), s.safepoints().size());
        long total = 0;
        for (long[] t : want.values()) total += t[1] - t[0];
        assertEquals(total, s.totalNanos());
        List<Map.Entry<Long, long[]>> longest = want.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<Long, long[]> e) -> e.getValue()[1] - e.getValue()[0]).reversed()).toList();
        for (int i = 0; i < 5; i++) {
            Safepoints.Safepoint got = s.longest().get(i);
            long[] t = longest.get(i).getValue();
            assertEquals(t[1] - t[0], got.totalNanos(), name + " " + i);
            assertEquals(longest.get(i).getKey(), got.id());
            assertEquals(t[2] >= 0 ? t[2] : t[3], got.toSafepointNanos());
        }
        List<TimeSeries> series = s.series();
        assertEquals(want.size(), series.get(0).size());
        assertEquals(s.maxNanos(), (long) series.get(0).max());

        List<JsonNode> ops = CpuLoadTest.truth(name, "safepoints").stream().filter(e -> e.path("type").asText().equals("jdk.ExecuteVMOperation"))
                .map(e -> e.path("values")).toList();
        assertEquals(ops.size(), s.operations().size());
        Map<String, long[]> per = new HashMap<>(); // count, at safepoint, total, max
        for (JsonNode v : ops) {
            long[] t = per.computeIfAbsent(v.path("operation").asText(), k -> new long[4]);
            t[0]++;
            if (v.path("safepoint").asBoolean()) t[1]++;
            t[2] += nanos(v, "duration");
            t[3] = Math.max(t[3], nanos(v, "duration"));
        }
        assertEquals(per.size(), s.byOperation().size());
        for (Safepoints.OperationTotal o : s.byOperation()) {
            long[] t = per.get(o.operation());
            assertEquals(t[0], o.count(), o.operation());
            assertEquals(t[1], o.atSafepoint(), o.operation());
            assertEquals(t[2], o.totalNanos(), o.operation());
            assertEquals(t[3], o.maxNanos(), o.operation());
        }
        JsonNode first = ops.stream().min(Comparator.comparingLong(CompilationsTest::start)).orElseThrow();
        assertEquals(first.path("caller").path("javaName").asText(first.path("caller").path("osName").asText()), s.operations().get(0).caller());
    }

    /**
     * The recording made to stop the JVM long (gen/Safepoints.java): the longest pause is a heap dump reached while a
     * thread spins in a loop without polls, so that getting to the safepoint takes over 100 ms; before the spinning
     * starts, the longest is a stack dump of 400 threads, reached at once.
     */
    @Test
    void longPausesOfTheSafepointsRecording() throws Exception {
        Profile p = CpuLoadTest.load("jdk17-safepoints");
        Safepoints s = Safepoints.of(p, Filter.NONE);
        Safepoints.Safepoint top = s.longest().get(0);
        assertEquals("HeapDumper", top.operation());
        assertEquals("main", top.caller());
        assertTrue(top.threads() > 400, top.toString());
        assertTrue(top.toSafepointNanos() > 100_000_000L, top.toString());
        assertTrue(s.safepoints().stream().anyMatch(x -> x.toSafepointNanos() > 100_000_000L && x.inSafepointNanos() < x.toSafepointNanos()));
        long to = s.safepoints().stream().filter(x -> x.operation().equals("HeapDumper")).mapToLong(Safepoints.Safepoint::startNanos).min().orElseThrow();
        Safepoints early = Safepoints.of(p, Filter.NONE.withTimeRange(Long.MIN_VALUE, to));
        Safepoints.Safepoint dump = early.longest().get(0);
        assertEquals("ThreadDump", dump.operation());
        assertTrue(dump.toSafepointNanos() < 1_000_000L && dump.inSafepointNanos() > 300_000_000L, dump.toString());
        assertTrue(early.safepoints().size() < s.safepoints().size());
    }
}
