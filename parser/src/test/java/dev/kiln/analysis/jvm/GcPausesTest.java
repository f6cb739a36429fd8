// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.analysis.Filter;
import dev.kiln.model.Profile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Memory page's collections equal the jdk.GarbageCollection events of jfr print --json (print-truth.sh's *.gc.json.gz). */
class GcPausesTest {
    static long nanos(JsonNode iso) { return Duration.parse(iso.asText()).toNanos(); }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17-mixed", "jdk25-mixed", "jdk17-multichunk", "jdk17-parallel-gc"})
    void collectorsAndPausesAreTheRecordingsCollections(String name) throws Exception {
        List<JsonNode> gcs = CpuLoadTest.truth(name, "gc").stream().filter(e -> e.path("type").asText().equals("jdk.GarbageCollection")).toList();
        assertTrue(gcs.size() > 0, name + " has collections");
        Map<String, long[]> by = new LinkedHashMap<>();
        for (JsonNode e : gcs) {
            long[] c = by.computeIfAbsent(e.path("values").path("name").asText(), k -> new long[3]);
            long d = nanos(e.path("values").path("sumOfPauses"));
            c[0]++;
            c[1] += d;
            c[2] = Math.max(c[2], d);
        }
        Profile p = CpuLoadTest.load(name);
        GcPauses g = GcPauses.of(p, Filter.NONE);
        assertEquals(gcs.size(), g.count());
        assertEquals(by.size(), g.collectors().size(), g.collectors().toString());
        for (GcPauses.Collector c : g.collectors()) {
            long[] want = by.get(c.name());
            assertEquals(want[0], c.count(), c.name());
            assertEquals(want[1], c.totalNanos(), c.name());
            assertEquals(want[2], c.maxNanos(), c.name());
        }
        long total = by.values().stream().mapToLong(c -> c[1]).sum();
        assertEquals((double) total / p.durationNanos(), g.overhead(), 1e-9);
        // a range: the collections from the 3rd start on
        gcs = gcs.stream().sorted((a, b) -> Long.compare(CpuLoadTest.epochNanos(a.path("values").path("startTime").asText()),
                CpuLoadTest.epochNanos(b.path("values").path("startTime").asText()))).toList();
        if (gcs.size() < 3) return;
        long from = CpuLoadTest.epochNanos(gcs.get(2).path("values").path("startTime").asText());
        GcPauses later = GcPauses.of(p, Filter.NONE.withTimeRange(from, Long.MAX_VALUE));
        assertEquals(gcs.size() - 2, later.count());
        assertEquals(nanos(gcs.get(2).path("values").path("sumOfPauses")), (long) later.pauses().value(0));
    }
}
