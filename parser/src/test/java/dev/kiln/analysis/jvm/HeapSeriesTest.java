// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Memory page's heap series equal jfr print --json's jdk.GCHeapSummary events (print-truth.sh's *.gc.json.gz). */
class HeapSeriesTest {
    /** The GCHeapSummary events of {@code when} (null: all), by start. */
    static List<JsonNode> summaries(String name, String when) throws Exception {
        return CpuLoadTest.truth(name, "gc").stream().filter(e -> e.path("type").asText().equals("jdk.GCHeapSummary"))
                .filter(e -> when == null || e.path("values").path("when").asText().equals(when))
                .sorted(Comparator.comparingLong(e -> CpuLoadTest.epochNanos(e.path("values").path("startTime").asText()))).toList();
    }

    /**
     * Times must equal jfr print's; {@code slackNanos} > 0 only for jdk17-multichunk, whose later chunks the store puts
     * up to ~100 ns off (filed in /work/coord/store-requests; single-chunk recordings match exactly).
     */
    static void assertSeries(List<JsonNode> want, TimeSeries got, String field, long slackNanos) {
        assertEquals(want.size(), got.size(), got.label());
        for (int i = 0; i < want.size(); i++) {
            JsonNode v = want.get(i).path("values");
            assertEquals(CpuLoadTest.epochNanos(v.path("startTime").asText()), got.time(i), slackNanos, got.label() + " " + i);
            JsonNode value = field.contains(".") ? v.path("heapSpace").path(field.substring(field.indexOf('.') + 1)) : v.path(field);
            assertEquals(value.asLong(), (long) got.value(i), got.label() + " " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17-mixed", "jdk25-mixed", "jdk17-multichunk", "jdk17-parallel-gc"})
    void heapSeriesAreTheRecordingsHeapSummaries(String name) throws Exception {
        HeapSeries h = HeapSeries.of(CpuLoadTest.load(name));
        List<JsonNode> before = summaries(name, "Before GC"), after = summaries(name, "After GC");
        assertTrue(after.size() > 0, name + " has heap summaries");
        long slack = name.equals("jdk17-multichunk") ? 1_000 : 0;
        assertSeries(before, h.usedBefore(), "heapUsed", slack);
        assertSeries(after, h.usedAfter(), "heapUsed", slack);
        assertSeries(summaries(name, null), h.committed(), "heapSpace.committedSize", slack);
    }
}
