// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.analysis.Filter;
import dev.kiln.model.Profile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The I/O page's targets equal the file and socket events of jfr print --json (print-truth.sh's *.io.json.gz). */
class IoTargetsTest {
    /** reads, bytesRead, writes, bytesWritten, forces, total ns, max ns per "FILE path" / "SOCKET host:port". */
    static Map<String, long[]> truth(List<JsonNode> events, String threadRegex) {
        Map<String, long[]> by = new HashMap<>();
        Pattern thread = threadRegex == null ? null : Pattern.compile(threadRegex);
        for (JsonNode e : events) {
            JsonNode v = e.path("values");
            if (thread != null && !thread.matcher(v.path("eventThread").path("javaName").asText()).find()) continue;
            String type = e.path("type").asText();
            boolean socket = type.startsWith("jdk.Socket");
            String key = socket ? "SOCKET " + v.path("host").asText() + (v.path("port").asLong() > 0 ? ":" + v.path("port").asLong() : "")
                    : "FILE " + v.path("path").asText();
            long[] t = by.computeIfAbsent(key, k -> new long[7]);
            if (type.endsWith("Read")) { t[0]++; t[1] += v.path("bytesRead").asLong(); }
            else if (type.endsWith("Write")) { t[2]++; t[3] += v.path("bytesWritten").asLong(); }
            else t[4]++;
            long d = Duration.parse(v.path("duration").asText()).toNanos();
            t[5] += d;
            t[6] = Math.max(t[6], d);
        }
        return by;
    }

    static void assertSame(Map<String, long[]> want, IoTargets got) {
        assertEquals(want.size(), got.targets().size(), want.keySet() + " vs " + got.targets());
        for (IoTargets.Target t : got.targets()) {
            long[] w = want.get(t.kind() + " " + t.name());
            assertNotNull(w, t.kind() + " " + t.name());
            assertEquals(w[0], t.reads(), t.name());
            assertEquals(w[1], t.bytesRead(), t.name());
            assertEquals(w[2], t.writes(), t.name());
            assertEquals(w[3], t.bytesWritten(), t.name());
            assertEquals(w[4], t.forces(), t.name());
            assertEquals(w[5], t.totalNanos(), t.name());
            assertEquals(w[6], t.maxNanos(), t.name());
        }
        for (int i = 1; i < got.targets().size(); i++) assertTrue(got.targets().get(i - 1).totalNanos() >= got.targets().get(i).totalNanos());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17-mixed", "jdk25-mixed"})
    void targetsAreTheRecordingsFileAndSocketEvents(String name) throws Exception {
        List<JsonNode> events = CpuLoadTest.truth(name, "io");
        Profile p = CpuLoadTest.load(name);
        IoTargets all = IoTargets.of(p, Filter.NONE);
        assertSame(truth(events, null), all);
        assertTrue(all.targets().stream().anyMatch(t -> t.kind() == IoTargets.Kind.FILE) && all.targets().stream().anyMatch(t -> t.kind() == IoTargets.Kind.SOCKET));
        assertTrue(all.targets().stream().allMatch(t -> t.longestStack() >= 0), "each target's longest event has its stack");
        // the thread filter of the views applies too
        assertSame(truth(events, "^echo-client"), IoTargets.of(p, Filter.NONE.withThreadName(Pattern.compile("^echo-client"))));
    }
}
