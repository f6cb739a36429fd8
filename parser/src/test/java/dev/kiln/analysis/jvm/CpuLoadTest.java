// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.analysis.Filter;
import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CPU page's series equal every {@code jdk.CPULoad} event of {@code jfr print --json} (print-truth.sh's *.cpu.json.gz). */
class CpuLoadTest {
    static final Path JFR = Path.of("src/test/resources/captures/jfr");

    /** The events of a {@code jfr print --json} file written by print-truth.sh. */
    static List<JsonNode> truth(String name, String what) throws Exception {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(JFR.resolve("print/" + name + "." + what + ".json.gz")))) {
            List<JsonNode> out = new ArrayList<>();
            new ObjectMapper().readTree(in).path("recording").path("events").forEach(out::add);
            return out;
        }
    }

    static Profile load(String name) throws Exception {
        Path p = JFR.resolve(name + ".jfr");
        return ProfileLoader.load(Files.exists(p) ? p : JFR.resolve("print/" + name + ".jfr"), ProgressSink.NONE);
    }

    static long epochNanos(String iso) {
        Instant t = Instant.parse(iso);
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17-mixed", "jdk25-mixed", "jdk17-parallel-gc"})
    void seriesAreTheRecordingsCpuLoadEvents(String name) throws Exception {
        List<JsonNode> events = truth(name, "cpu");
        CpuLoad cpu = CpuLoad.of(load(name));
        assertEquals(events.size(), cpu.jvm().size());
        assertEquals(events.size(), cpu.machine().size());
        // jfr print orders a chunk's events by their end; CPU load samples are instants, so by start as the series
        events.sort((a, b) -> Long.compare(epochNanos(a.path("values").path("startTime").asText()), epochNanos(b.path("values").path("startTime").asText())));
        for (int i = 0; i < events.size(); i++) {
            JsonNode v = events.get(i).path("values");
            assertEquals(epochNanos(v.path("startTime").asText()), cpu.jvm().time(i), "time of sample " + i);
            assertEquals(v.path("jvmUser").asDouble() + v.path("jvmSystem").asDouble(), cpu.jvm().value(i), 0.0011, "JVM load of sample " + i);
            assertEquals(v.path("machineTotal").asDouble(), cpu.machine().value(i), 0.00051, "machine load of sample " + i);
            assertEquals(v.path("jvmUser").asDouble(), cpu.jvmUser().value(i), 1e-7, "JVM user of sample " + i);
            assertEquals(v.path("jvmSystem").asDouble(), cpu.jvmSystem().value(i), 1e-7, "JVM system of sample " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17-mixed"})
    void aTimeRangeKeepsTheSamplesTakenInIt(String name) throws Exception {
        List<JsonNode> events = truth(name, "cpu");
        Profile p = load(name);
        long from = epochNanos(events.get(3).path("values").path("startTime").asText());
        long to = epochNanos(events.get(8).path("values").path("startTime").asText());
        long expected = events.stream().map(e -> epochNanos(e.path("values").path("startTime").asText())).filter(t -> t >= from && t < to).count();
        CpuLoad cpu = CpuLoad.of(p, Filter.NONE.withTimeRange(from, to));
        assertEquals(expected, cpu.jvm().size());
        assertTrue(expected >= 4, "the range holds several samples");
        double[] mm = CpuLoad.of(p).machine().meanMax(from, to);
        double sum = 0, max = 0;
        for (JsonNode e : events) {
            long t = epochNanos(e.path("values").path("startTime").asText());
            if (t < from || t >= to) continue;
            sum += e.path("values").path("machineTotal").asDouble();
            max = Math.max(max, e.path("values").path("machineTotal").asDouble());
        }
        assertEquals(sum / expected, mm[0], 0.00051);
        assertEquals(max, mm[1], 0.00051);
    }
}
