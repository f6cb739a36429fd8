// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.kiln.app.CliTest.CAPTURES;
import static dev.kiln.app.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kiln threads} end to end on real captures; expected numbers come from the corpus' fact files. */
class ThreadsCommandTest {
    /** "name ... events=N total_ms=X" rows of the "by thread" table under a "== section" of a JFR facts file. */
    static Map<String, Double> byThreadMs(String facts, String section) throws Exception {
        List<String> lines = Files.readAllLines(CAPTURES.resolve("jfr").resolve(facts));
        Map<String, Double> r = new LinkedHashMap<>();
        Pattern row = Pattern.compile("^\\s{4}(\\S+)\\s+events=\\d+ total_ms=([\\d.]+)$");
        boolean inSection = false, inTable = false;
        for (String l : lines) {
            if (l.startsWith("== ")) inSection = l.startsWith("== " + section);
            else if (inSection && l.startsWith("  by thread")) inTable = true;
            else if (inTable) {
                Matcher m = row.matcher(l);
                if (!m.matches()) break;
                r.put(m.group(1), Double.parseDouble(m.group(2)));
            }
        }
        assertFalse(r.isEmpty(), section + " by thread");
        return r;
    }

    @Test
    void jsonGivesTheBlockedTimeOfEachLockFighter() throws Exception {
        CliTest.Result r = run("threads", CAPTURES.resolve("jfr/jdk17-mixed.jfr").toString(), "--thread", "^lock-fighter-",
                "--sort", "blocked", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertTrue(json.get("hasTimeline").asBoolean());
        assertEquals("BLOCKED", json.get("sortedBy").asText());
        Map<String, Double> facts = byThreadMs("jdk17-mixed.facts.txt", "jdk.JavaMonitorEnter");
        JsonNode threads = json.get("threads");
        assertEquals(facts.size(), threads.size());
        long previous = Long.MAX_VALUE;
        for (JsonNode t : threads) {
            String name = t.get("thread").asText();
            long blocked = t.get("stateNanos").get("BLOCKED").asLong();
            assertEquals(facts.get(name), blocked / 1e6, 0.0005, name);
            assertTrue(blocked <= previous, "sorted by blocked time");
            previous = blocked;
            long sum = 0;
            for (JsonNode v : t.get("stateNanos")) sum += v.asLong();
            assertEquals(t.get("lifetimeNanos").asLong(), sum, name);
        }
    }

    @Test
    void textHasOneRowPerThreadWithSleepingTime() throws Exception {
        CliTest.Result r = run("threads", CAPTURES.resolve("jfr/jdk17-mixed.jfr").toString(), "--thread", "^sleeper-");
        assertEquals(0, r.code(), r.err());
        Map<String, Double> facts = byThreadMs("jdk17-mixed.facts.txt", "jdk.ThreadSleep");
        List<String> rows = r.out().lines().filter(l -> l.startsWith("  sleeper-")).toList();
        assertEquals(2, rows.size(), r.out());
        for (String row : rows) {
            String name = row.trim().split("\\s+")[0];
            // Units.duration prints seconds with two decimals
            String sleeping = String.format(java.util.Locale.ROOT, "%.2f s", facts.get(name) / 1000);
            assertTrue(row.contains(sleeping), row + " lacks " + sleeping);
        }
        assertTrue(r.out().contains(" Sleeping"), "states for people");
        assertFalse(r.out().contains("SLEEPING"));
        assertFalse(r.out().contains("lock-fighter"));
    }

    @Test
    void goroutineDumpSaysThereIsNoTimeline() throws Exception {
        CliTest.Result r = run("threads", CAPTURES.resolve("pprof/goroutine-leak.debug2.txt").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("NO TIMELINE"), r.out());
        long chanSend = -1;
        for (String l : Files.readAllLines(CAPTURES.resolve("pprof/goroutine-leak.debug2.facts.txt"))) {
            Matcher m = Pattern.compile("^\\s+(\\d+)\\s+chan send$").matcher(l);
            if (m.matches()) chanSend = Long.parseLong(m.group(1));
        }
        String expected = String.format(java.util.Locale.ROOT, "%,d", chanSend);
        assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s+chan send\\s+" + expected + "\\s.*")), r.out());

        CliTest.Result j = run("threads", CAPTURES.resolve("pprof/goroutine-leak.debug2.txt").toString(), "--json");
        JsonNode json = new ObjectMapper().readTree(j.out());
        assertFalse(json.get("hasTimeline").asBoolean());
        assertEquals("chan send", json.get("byState").get(0).get("state").asText());
        assertEquals(chanSend, json.get("byState").get(0).get("goroutines").asLong());
    }

    @Test
    void profilesWithoutThreadStatesAndBadArguments() {
        CliTest.Result cpu = run("threads", CAPTURES.resolve("pprof/cpu-baseline.pb.gz").toString());
        assertEquals(Main.BAD_INPUT, cpu.code());
        assertTrue(cpu.err().startsWith("kiln: cpu-baseline.pb.gz: "), cpu.err());
        assertEquals(Main.USAGE, run("threads").code());
        assertEquals(Main.USAGE, run("threads", "x.jfr", "--thread", "(").code());
        assertEquals(Main.USAGE, run("threads", "x.jfr", "--sort", "speed").code());
        assertEquals(Main.BAD_INPUT, run("threads", CAPTURES.resolve("bad/empty.jfr").toString()).code());
    }
}
