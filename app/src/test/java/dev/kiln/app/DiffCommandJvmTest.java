// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.model.Units;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static dev.kiln.app.CliTest.CAPTURES;
import static dev.kiln.app.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kiln diff} of two JDK 17 recordings (parallel GC vs G1): the JVM table and the GC / exception rules, with the
 * longest pause recomputed from {@code jfr print --json} (print-truth.sh's *.gc.json.gz).
 */
class DiffCommandJvmTest {
    static final String PARALLEL = CAPTURES.resolve("jfr/print/jdk17-parallel-gc.jfr").toString(),
            G1 = CAPTURES.resolve("jfr/jdk17-mixed.jfr").toString();

    /** The longest sumOfPauses of the recording's jdk.GarbageCollection events, in nanoseconds. */
    static long maxPause(String name) throws Exception {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(CAPTURES.resolve("jfr/print/" + name + ".gc.json.gz")))) {
            List<JsonNode> events = new ArrayList<>();
            new ObjectMapper().readTree(in).path("recording").path("events").forEach(events::add);
            return events.stream().filter(e -> e.path("type").asText().equals("jdk.GarbageCollection"))
                    .mapToLong(e -> Duration.parse(e.path("values").path("sumOfPauses").asText()).toNanos()).max().orElseThrow();
        }
    }

    @Test
    void shorterPausesPassTheBudget() throws Exception {
        CliTest.Result r = run("diff", PARALLEL, G1, "--fail-on", "gc-pause-max>+20%,gc-count>+0,exceptions>+0%");
        assertEquals(Main.OK, r.code(), r.err() + r.out());
        String base = Units.format(maxPause("jdk17-parallel-gc"), "nanoseconds"), target = Units.format(maxPause("jdk17-mixed"), "nanoseconds");
        assertTrue(Pattern.compile("(?m)^\\s+gc-pause-max\\s+" + Pattern.quote(base) + " ->\\s+" + Pattern.quote(target) + "\\s+.*SHRANK$")
                .matcher(r.out()).find(), r.out());
        assertTrue(r.out().contains("ok        gc-pause-max>+20%: " + base + " -> " + target), r.out());
        assertTrue(r.out().contains("java.lang.NumberFormatException"), r.out()); // 1,271 -> 0
    }

    @Test
    void longerPausesViolateIt(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("diff.json");
        CliTest.Result r = run("diff", G1, PARALLEL, "--fail-on", "gc-pause-max>+20%", "--fail-on",
                "exceptions:java.lang.NumberFormatException>+100,heap-after-gc-max>+50%", "--json", json.toString());
        assertEquals(DiffCommand.REGRESSION, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("VIOLATED  gc-pause-max>+20%"), r.out());
        assertTrue(r.out().contains("VIOLATED  exceptions:java.lang.NumberFormatException>+100: 0 -> 1,271"), r.out());
        assertTrue(r.out().contains("ok        heap-after-gc-max>+50%"), r.out());
        JsonNode metrics = new ObjectMapper().readTree(json.toFile()).path("jvm").path("metrics");
        JsonNode max = null;
        for (JsonNode m : metrics) if (m.path("key").asText().equals("gc-pause-max")) max = m.path("value");
        assertEquals(maxPause("jdk17-mixed"), max.path("base").asLong(), metrics.toString());
        assertEquals(maxPause("jdk17-parallel-gc"), max.path("target").asLong());
    }

    /**
     * {@code --value exceptions}: the throwing stacks of both sides compared, their totals the throwables jfr summary
     * counts (exception events less error events: the JDK writes an Error once more as an exception); an event type's
     * count as a rule.
     */
    @Test
    void exceptionsCompareAsAWeight(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("diff.json");
        String zgc = CAPTURES.resolve("jfr/print/jdk17-zgc.jfr").toString();
        CliTest.Result r = run("diff", PARALLEL, zgc, "--value", "exceptions", "--json", json.toString(),
                "--fail-on", "events:jdk.ZPageAllocation>+1");
        assertEquals(DiffCommand.REGRESSION, r.code(), r.err() + r.out()); // ZGC's page allocations: 0 -> 2
        assertTrue(r.out().contains("VIOLATED  events:jdk.ZPageAllocation>+1: 0 -> 2"), r.out());
        JsonNode d = new ObjectMapper().readTree(json.toFile());
        assertEquals("exceptions/count", d.path("compared").asText(), d.path("compared").toString());
        Path b = CAPTURES.resolve("jfr/print/jdk17-parallel-gc.summary.txt"), t = CAPTURES.resolve("jfr/print/jdk17-zgc.summary.txt");
        assertEquals(HtmlReportBrowserTest.summaryCount(b, "jdk.JavaExceptionThrow") - HtmlReportBrowserTest.summaryCount(b, "jdk.JavaErrorThrow"),
                d.path("total").path("base").asLong());
        assertEquals(HtmlReportBrowserTest.summaryCount(t, "jdk.JavaExceptionThrow") - HtmlReportBrowserTest.summaryCount(t, "jdk.JavaErrorThrow"),
                d.path("total").path("target").asLong());
    }

    @Test
    void badJvmRuleIsUsage() {
        assertEquals(Main.USAGE, run("diff", G1, G1, "--fail-on", "gc-count:G1New>+1").code());
        assertEquals(Main.USAGE, run("diff", G1, G1, "--fail-on", "io>+1").code());
    }
}
