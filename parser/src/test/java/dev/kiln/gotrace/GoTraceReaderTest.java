// SPDX-License-Identifier: Apache-2.0
package dev.kiln.gotrace;

import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.testutil.Captures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The reader against the facts {@code go tool trace -d=1} (Go 1.23.5) gives for the same trace. */
class GoTraceReaderTest {
    static Path capture(String name) { return Captures.file("gotrace", name); }

    /** "events KIND N", "transition RESOURCE FROM->TO N", "goroutines N", "procs N" lines of a facts file. */
    static Map<String, Long> facts(Path file) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("#") || line.startsWith("file:") || line.isBlank()) continue;
            int sp = line.lastIndexOf(' ');
            out.put(line.substring(0, sp), Long.parseLong(line.substring(sp + 1)));
        }
        return out;
    }

    static Map<String, Long> counted(GoTraceModel.Stats s) {
        Map<String, Long> out = new TreeMap<>();
        s.kinds.forEach((k, v) -> out.put("events " + k, v));
        s.transitions.forEach((k, v) -> out.put("transition " + k, v));
        out.put("goroutines", (long) s.goroutines.size());
        out.put("procs", (long) s.procs.size());
        return out;
    }

    @Test
    void everyEventKindAndStateTransitionAsGoCountsThem() throws Exception {
        GoTraceModel.Stats stats = new GoTraceModel.Stats();
        Profile p;
        try (InputStream in = Files.newInputStream(capture("mixed.trace"))) {
            p = GoTraceReader.read(in, "mixed.trace", -1, ProgressSink.NONE, stats);
        }
        assertEquals(facts(capture("mixed.facts.txt")), counted(stats));
    }
}
