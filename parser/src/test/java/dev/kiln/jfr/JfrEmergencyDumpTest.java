// SPDX-License-Identifier: Apache-2.0
package dev.kiln.jfr;

import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileValidator;
import dev.kiln.testutil.Captures;
import dev.kiln.testutil.JfrSummary;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A crashed JVM's emergency dump (issue 24 e): read whole, and, when an event's type is missing from the metadata
 * (as in JDK 16's dumps), that event skipped with a warning naming it and the rest kept, every count equal to
 * {@code jfr summary}'s, which lists such events as {@code <id> (missing event metadata)}.
 */
public class JfrEmergencyDumpTest {

    private static Map<String, Long> nonZero(Profile p) {
        Map<String, Long> m = new TreeMap<>();
        p.eventCounts().forEach((k, v) -> { if (v > 0) m.put(k, v); });
        return m;
    }

    @Test
    void aJdk17EmergencyDumpReadsWhole() throws Exception {
        Path file = Captures.file("jfr", "jdk17-emergency-dump.jfr");
        Profile p = ProfileLoader.load(file, ProgressSink.NONE);
        ProfileValidator.check(p);
        assertFalse(p.isIncomplete(), p.warnings().toString());
        assertEquals(JfrSummary.counts(Captures.file("jfr", "jdk17-emergency-dump.summary.txt")), nonZero(p));
        assertTrue(p.sampleTables().stream().anyMatch(t -> t.name().equals("jdk.ExecutionSample") && t.size() == 83));
    }

    @Test
    void anEventOfAnUndeclaredTypeIsSkippedWithAWarningAndTheRestKept() throws Exception {
        Path file = Captures.file("jfr", "jdk17-emergency-dump-undeclared.jfr");
        Profile p = ProfileLoader.load(file, ProgressSink.NONE);
        ProfileValidator.check(p);
        Map<String, Long> truth = JfrSummary.counts(Captures.file("jfr", "jdk17-emergency-dump-undeclared.summary.txt"));
        assertEquals(1L, truth.get("16000 (missing event metadata)"));
        assertEquals(truth, nonZero(p));
        assertTrue(p.warnings().stream().anyMatch(w -> w.contains("1 event(s) of type id 16000") && w.contains("missing event metadata")),
                p.warnings().toString());
        Profile whole = ProfileLoader.load(Captures.file("jfr", "jdk17-emergency-dump.jfr"), ProgressSink.NONE);
        assertEquals(whole.sampleTables().size(), p.sampleTables().size());
        for (int i = 0; i < whole.sampleTables().size(); i++) assertEquals(whole.sampleTables().get(i).size(), p.sampleTables().get(i).size());
        assertEquals(whole.events().size(), p.events().size());
    }
}
