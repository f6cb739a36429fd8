// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kiln.app.CliTest.CAPTURES;
import static dev.kiln.app.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kiln tree} end to end on real captures; numbers come from the captures' fact files. */
class TreeCommandTest {
    private static final String REGRESSED = CAPTURES.resolve("jfr/jdk17-diff-regressed.jfr").toString();

    @Test
    void invertedTreeStartsWithTheTopSelfFunction() throws Exception {
        CliTest.Result r = run("tree", REGRESSED, "--inverted", "--max-depth", "1");
        assertEquals(0, r.code(), r.err());
        String[] top = CliTest.selfFacts("jdk17-diff-regressed.facts.txt").get(0);
        // header lines, then "all", then the largest leaf function
        String first = r.out().lines().filter(l -> l.endsWith("  all")).findFirst().orElseThrow();
        List<String> lines = r.out().lines().toList();
        String row = lines.get(lines.indexOf(first) + 1);
        assertTrue(row.trim().startsWith(String.format("%,d", Long.parseLong(top[1]))) && row.endsWith("    " + top[0]), row);
        assertTrue(r.out().contains("nodes not shown"), r.out());
    }

    @Test
    void collapsedStacksSumToTheSampleCount() throws Exception {
        CliTest.Result r = run("tree", REGRESSED, "--collapsed");
        assertEquals(0, r.code(), r.err());
        long sum = r.out().lines().mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
        // facts: "== jdk.ExecutionSample: events=2053 ..."
        String header = java.nio.file.Files.readAllLines(CAPTURES.resolve("jfr/jdk17-diff-regressed.facts.txt")).stream()
                .filter(l -> l.startsWith("== jdk.ExecutionSample:")).findFirst().orElseThrow();
        assertEquals(Long.parseLong(header.replaceAll(".*events=(\\d+).*", "$1")), sum);
        assertTrue(r.out().lines().anyMatch(l -> l.contains(";DiffWorkload.computeChecksum ")), "computeChecksum is a leaf");
    }

    /**
     * {@code --value exceptions}: one stack per throwable, against {@code jfr print --json} of the held-out ZGC recording's
     * throws (print/jdk17-zgc.throws.json.gz): the exception events less the error events (the JDK writes an Error once
     * more as an exception), all of them and those thrown under the workload's {@code Holdout.throwSome}.
     */
    @Test
    void exceptionsWeighTheThrowingStacks() throws Exception {
        JsonNode truth;
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(java.nio.file.Files.newInputStream(CAPTURES.resolve("jfr/print/jdk17-zgc.throws.json.gz")))) {
            truth = new ObjectMapper().readTree(in);
        }
        long all = 0, inThrowSome = 0;
        for (JsonNode e : truth.get("recording").get("events")) {
            int sign = e.get("type").asText().equals("jdk.JavaErrorThrow") ? -1 : 1;
            all += sign;
            for (JsonNode f : e.get("values").get("stackTrace").get("frames")) {
                if (f.get("method").get("name").asText().equals("throwSome") && f.get("method").get("type").get("name").asText().equals("Holdout")) {
                    inThrowSome += sign;
                    break;
                }
            }
        }
        CliTest.Result r = run("tree", CAPTURES.resolve("jfr/print/jdk17-zgc.jfr").toString(), "--value", "exceptions", "--collapsed");
        assertEquals(0, r.code(), r.err());
        long sum = 0, under = 0;
        for (String l : r.out().lines().toList()) {
            long n = Long.parseLong(l.substring(l.lastIndexOf(' ') + 1));
            sum += n;
            if (l.contains(";Holdout.throwSome;")) under += n;
        }
        assertEquals(all, sum);
        assertEquals(inThrowSome, under);
        assertTrue(under > 300, under + " throws under throwSome");
        CliTest.Result json = run("tree", CAPTURES.resolve("jfr/print/jdk17-zgc.jfr").toString(), "--value", "exceptions/count", "--json");
        assertEquals("exceptions", new ObjectMapper().readTree(json.out()).get("weight").asText());
        CliTest.Result bad = run("tree", CAPTURES.resolve("jfr/print/jdk17-zgc.jfr").toString(), "--value", "nope");
        assertTrue(bad.err().contains("exceptions/count"), bad.err()); // offered among the choices
    }

    @Test
    void jsonWithAThreadFilterCarriesThatThreadsSamples() throws Exception {
        CliTest.Result r = run("tree", REGRESSED, "--thread", "^request-worker-1$", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        // facts: "samples by sampledThread ... request-worker-1 samples=550"
        long expected = java.nio.file.Files.readAllLines(CAPTURES.resolve("jfr/jdk17-diff-regressed.facts.txt")).stream()
                .filter(l -> l.trim().startsWith("request-worker-1 ") && l.contains("samples="))
                .mapToLong(l -> Long.parseLong(l.replaceAll(".*samples=(\\d+).*", "$1"))).findFirst().orElseThrow();
        assertEquals(expected, json.get("total").asLong());
        assertEquals(expected, json.get("nodes").get(0).get("total").asLong());
        assertEquals("cpu", json.get("weight").asText());
    }

    @Test
    void badValueAndBadOptionsAreUsageErrors() {
        CliTest.Result r = run("tree", REGRESSED, "--value", "nope");
        assertEquals(Main.USAGE, r.code());
        assertTrue(r.err().contains("choices: ") && r.err().contains("cpu/samples") && r.err().contains("monitor-blocked/nanoseconds"), r.err());
        assertEquals(Main.USAGE, run("tree", REGRESSED, "--focus", "(").code());
        assertEquals(Main.USAGE, run("tree", REGRESSED, "--from", "5", "--to", "2").code());
        assertEquals(Main.USAGE, run("tree").code());
        assertEquals(Main.BAD_INPUT, run("tree", CAPTURES.resolve("bad/empty.jfr").toString()).code());
    }

    @Test
    void goTagFilterAndValue() {
        // cpu-regressed.tags.txt: "stage: ... 2.8s (74.15%): hash" of 3.8s; pprof -top: computeHash flat 2830ms
        CliTest.Result r = run("tree", CAPTURES.resolve("pprof/cpu-regressed.pb.gz").toString(), "--value", "cpu",
                "--tag", "stage=hash", "--inverted", "--max-depth", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Filter:  tag stage=hash"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.endsWith("  main.computeHash")), r.out());
    }

    @org.junit.jupiter.api.Test
    void aVeryDeepStackPrintsALinePerFrameWithoutRunawayIndentation(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        StringBuilder stack = new StringBuilder();
        for (int i = 0; i < 10_000; i++) stack.append(i == 0 ? "" : ";").append("f").append(i);
        java.nio.file.Path deep = java.nio.file.Files.writeString(dir.resolve("deep.collapsed"), stack + " 7\n");
        CliTest.Result r = run("tree", deep.toString());
        assertEquals(0, r.code(), r.err());
        long rows = r.out().lines().filter(l -> l.matches(".* f\\d+$")).count();
        assertEquals(10_000, rows, "a row per frame");
        assertTrue(r.out().length() < 3_000_000, "output size " + r.out().length());
        assertTrue(r.out().contains("[10000] f9999"), "the deepest row names its depth");
        assertTrue(r.out().contains("indentation stops at depth " + TreeCommand.MAX_INDENT));
    }
}
