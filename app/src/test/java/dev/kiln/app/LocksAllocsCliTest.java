// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.kiln.app.CliTest.CAPTURES;
import static dev.kiln.app.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kiln locks} and {@code kiln allocs} end to end on real captures; numbers from the facts files. */
class LocksAllocsCliTest {
    /** The first row "name ... key=value ..." after a line starting with {@code header} in a JFR facts file. */
    static Matcher firstRowAfter(String facts, String section, String header) throws Exception {
        List<String> lines = Files.readAllLines(CAPTURES.resolve("jfr").resolve(facts));
        int s = lines.indexOf(lines.stream().filter(l -> l.startsWith("== " + section)).findFirst().orElseThrow());
        for (int i = s + 1; i < lines.size(); i++) {
            if (lines.get(i).startsWith("  " + header)) {
                Matcher m = Pattern.compile("^\\s+(\\S+)\\s+events=(\\d+) (?:total_ms|weight_bytes)=([\\d.]+)$").matcher(lines.get(i + 1));
                assertTrue(m.matches(), lines.get(i + 1));
                return m;
            }
        }
        throw new AssertionError(header);
    }

    @Test
    void locksJsonTopMonitorMatchesFacts() throws Exception {
        CliTest.Result r = run("locks", CAPTURES.resolve("jfr/jdk17-diff-regressed.jfr").toString(), "--json", "--kind", "blocked");
        assertEquals(0, r.code(), r.err());
        JsonNode lock = new ObjectMapper().readTree(r.out()).get("sections").get(0).get("locks").get(0);
        Matcher top = firstRowAfter("jdk17-diff-regressed.facts.txt", "jdk.JavaMonitorEnter", "by monitorClass");
        assertEquals(top.group(1), lock.get("className").asText());
        assertEquals(Long.parseLong(top.group(2)), lock.get("count").asLong());
        assertEquals(Double.parseDouble(top.group(3)), lock.get("nanos").asLong() / 1e6, 0.0015);
        assertTrue(lock.get("waiters").size() > 0);
    }

    @Test
    void locksTextShowsWaitersAndOwnersForOneThread() throws Exception {
        CliTest.Result r = run("locks", CAPTURES.resolve("jfr/jdk17-mixed.jfr").toString(), "--thread", "^lock-fighter-2$", "--by", "instance");
        assertEquals(0, r.code(), r.err());
        Matcher top = firstRowAfter("jdk17-mixed.facts.txt", "jdk.JavaMonitorEnter", "by monitorClass");
        assertTrue(r.out().contains("Blocked entering monitors"), r.out());
        assertTrue(r.out().contains(top.group(1) + "@0x"), r.out());
        assertTrue(r.out().contains("waiters: lock-fighter-2 "), r.out());
        assertTrue(r.out().contains("owners:  lock-fighter-"), r.out());
        assertTrue(!r.out().contains("waiters: lock-fighter-1 "), r.out());
    }

    @Test
    void locksOnGoBlockProfileSaysOwnersUnknown() throws Exception {
        CliTest.Result r = run("locks", CAPTURES.resolve("pprof/block.pb.gz").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Owners unknown"), r.out());
        // First row of "By contended function" = pprof -top's first flat row by delay.
        List<String> top = Files.readAllLines(CAPTURES.resolve("pprof/block.top.txt"));
        int delay = top.indexOf(top.stream().filter(l -> l.contains("-sample_index=delay")).findFirst().orElseThrow());
        String expected = top.subList(delay, top.size()).stream().filter(l -> l.matches("^\\s+[\\d.]+[a-zA-Z]*\\s+[\\d.]+%.*")).findFirst().orElseThrow()
                .replaceAll(".*%\\s+", "").trim();
        List<String> out = r.out().lines().toList();
        String firstRow = out.get(out.indexOf("By contended function") + 2);
        assertTrue(firstRow.endsWith("  " + expected), firstRow + " vs " + expected);
    }

    @Test
    void allocsBySiteJsonMatchesFacts() throws Exception {
        CliTest.Result r = run("allocs", CAPTURES.resolve("jfr/jdk17-mixed.jfr").toString(), "--by", "site", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        Matcher top = firstRowAfter("jdk17-mixed.facts.txt", "jdk.ObjectAllocationSample", "weight by top frame");
        JsonNode row = json.get("rows").get(0);
        assertEquals(top.group(1), row.get("name").asText());
        assertEquals(Long.parseLong(top.group(3)), row.get("values").get(0).asLong());
        assertEquals(Long.parseLong(top.group(2)), row.get("values").get(1).asLong());
    }

    /** The shared filter options reach allocs too: one thread's total is that thread's row in the facts. */
    @Test
    void allocsHonourTheThreadFilter() throws Exception {
        Matcher top = firstRowAfter("jdk17-mixed.facts.txt", "jdk.ObjectAllocationSample", "weight by thread");
        CliTest.Result r = run("allocs", CAPTURES.resolve("jfr/jdk17-mixed.jfr").toString(), "--thread", "^" + top.group(1) + "$", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(Long.parseLong(top.group(3)), json.get("totals").get(0).asLong());
        assertEquals(Long.parseLong(top.group(2)), json.get("totals").get(1).asLong());
        assertEquals(Main.USAGE, run("allocs", CAPTURES.resolve("jfr/jdk17-mixed.jfr").toString(), "--from", "5", "--to", "1").code());
    }

    @Test
    void allocsTextOnGoHeapShowsSites() throws Exception {
        CliTest.Result r = run("allocs", CAPTURES.resolve("pprof/heap-baseline.pb.gz").toString(), "--type", "alloc_space");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("by site, sorted by alloc_space/bytes"), r.out());
        // pprof -top's first flat row for alloc_space.
        List<String> top = Files.readAllLines(CAPTURES.resolve("pprof/heap-baseline.top.txt"));
        int at = top.indexOf(top.stream().filter(l -> l.contains("-sample_index=alloc_space")).findFirst().orElseThrow());
        String expected = top.subList(at, top.size()).stream().filter(l -> l.matches("^\\s+[\\d.]+[a-zA-Z]*\\s+[\\d.]+%.*")).findFirst().orElseThrow()
                .replaceAll(".*%\\s+", "").trim();
        String firstRow = r.out().lines().filter(l -> l.contains("%  ") && !l.contains("site  [")).findFirst().orElseThrow();
        assertTrue(firstRow.trim().endsWith("  " + expected), firstRow + " vs " + expected);
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertEquals(Main.USAGE, run("locks", "x.jfr", "--by", "color").code());
        assertEquals(Main.USAGE, run("allocs", "x.jfr", "--frobnicate").code());
        assertEquals(Main.USAGE, run("locks").code());
    }
}
