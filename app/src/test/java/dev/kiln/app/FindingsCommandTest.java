// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.kiln.app.CliTest.CAPTURES;
import static dev.kiln.app.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kiln findings} end to end on real captures. */
class FindingsCommandTest {
    static final List<String> ORDER = List.of("CRITICAL", "WARNING", "INFO");

    /** Severity words that head the items of the text output, in order. */
    static List<String> severities(String out) {
        List<String> s = new ArrayList<>();
        for (String line : out.split("\n")) {
            String first = line.split(" ", 2)[0];
            if (ORDER.contains(first)) s.add(first);
        }
        return s;
    }

    @Test
    void goroutineLeakInText() throws Exception {
        String facts = Files.readString(CAPTURES.resolve("pprof/goroutine-leak.debug1.facts.txt"));
        Matcher rec = Pattern.compile("record 1: count=(\\d+) top=(\\S+)").matcher(facts);
        Matcher total = Pattern.compile("sum_of_counts: (\\d+)").matcher(facts);
        assertTrue(rec.find() && total.find());
        CliTest.Result r = run("findings", CAPTURES.resolve("pprof/goroutine-leak.debug1.txt").toString());
        assertEquals(Main.OK, r.code(), r.err());
        assertTrue(r.out().contains("WARNING   Goroutine leak suspect: " + rec.group(2)), r.out());
        assertTrue(r.out().contains(String.format(Locale.ROOT, "%,d of %,d goroutines",
                Long.parseLong(rec.group(1)), Long.parseLong(total.group(1)))), r.out());
        assertFalse(r.out().contains("JMC"), "no JMC for a Go profile");
    }

    @Test
    void jfrTextIsSortedBySeverityAndIncludesJmc() {
        CliTest.Result r = run("findings", CAPTURES.resolve("jfr/jdk17-mixed.jfr").toString());
        assertEquals(Main.OK, r.code(), r.err());
        List<String> sev = severities(r.out());
        assertTrue(sev.size() > 3, r.out());
        for (int i = 1; i < sev.size(); i++) {
            assertTrue(ORDER.indexOf(sev.get(i - 1)) <= ORDER.indexOf(sev.get(i)), "not sorted: " + sev);
        }
        assertTrue(r.out().contains("[lock-contention/MixedWorkload$SharedLedger]"), r.out());
        assertTrue(r.out().contains("[jmc JavaBlocking"), r.out());
        assertTrue(r.out().contains("JMC automated analysis: "), r.out());
    }

    @Test
    void jsonWithoutJmc() throws Exception {
        CliTest.Result r = run("findings", CAPTURES.resolve("jfr/jdk17-diff-regressed.jfr").toString(), "--json", "--no-jmc");
        assertEquals(Main.OK, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("jdk17-diff-regressed.jfr", json.get("file").asText());
        assertTrue(json.get("jmc").isNull());
        List<String> ids = new ArrayList<>();
        for (JsonNode f : json.get("findings")) ids.add(f.get("id").asText());
        assertTrue(ids.contains("lock-contention/DiffWorkload$InventoryLock"), ids.toString());
        JsonNode lock = json.get("findings").get(ids.indexOf("lock-contention/DiffWorkload$InventoryLock"));
        assertEquals("WARNING", lock.get("severity").asText());
        assertEquals("locks", lock.get("link").get("view").asText());
        assertEquals("DiffWorkload$InventoryLock", lock.get("link").get("value").asText());
    }

    @Test
    void jsonWithJmcCarriesEveryRuleResult() throws Exception {
        CliTest.Result r = run("findings", CAPTURES.resolve("jfr/jdk17-diff-baseline.jfr").toString(), "--json");
        assertEquals(Main.OK, r.code(), r.err());
        JsonNode jmc = new ObjectMapper().readTree(r.out()).get("jmc");
        assertTrue(jmc.get("complete").asBoolean());
        assertEquals(jmc.get("rulesTotal").asInt(), jmc.get("results").size());
        assertTrue(jmc.get("results").get(0).has("ruleId") && jmc.get("results").get(0).has("explanation"));
    }

    @Test
    void badInputAndUsage(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("notes.pb.gz");
        Files.writeString(junk, "not a profile");
        CliTest.Result bad = run("findings", junk.toString());
        assertEquals(Main.BAD_INPUT, bad.code());
        assertTrue(bad.err().startsWith("kiln: notes.pb.gz: "), bad.err());
        assertEquals(Main.USAGE, run("findings").code());
        assertEquals(Main.USAGE, run("findings", junk.toString(), "--frobnicate").code());
    }
}
