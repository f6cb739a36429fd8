// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.kiln.app.CliTest.CAPTURES;
import static dev.kiln.app.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kiln diff} end to end: exit codes 0/1/2/64, the text tables and the JSON file; numbers from the facts. */
class DiffCommandTest {
    static String jfr(String name) { return CAPTURES.resolve("jfr").resolve(name).toString(); }

    static String pprof(String name) { return CAPTURES.resolve("pprof").resolve(name).toString(); }

    /** Self samples of a function in a JFR facts file. */
    static long self(String facts, String function) throws Exception {
        Pattern p = Pattern.compile("^\\s+" + Pattern.quote(function) + "\\s+samples=(\\d+)$");
        for (String l : Files.readAllLines(CAPTURES.resolve("jfr").resolve(facts))) {
            Matcher m = p.matcher(l);
            if (m.matches()) return Long.parseLong(m.group(1));
        }
        throw new AssertionError(function);
    }

    @Test
    void regressionFoundExitsOneAndListsRules() throws Exception {
        CliTest.Result r = run("diff", jfr("jdk17-diff-baseline.jfr"), jfr("jdk17-diff-regressed.jfr"),
                "--fail-on", "total>+10%", "--fail-on", "lock:*>+20%,goroutines>+100");
        assertEquals(DiffCommand.REGRESSION, r.code(), r.err());
        String firstRegression = r.out().substring(r.out().indexOf("Top regressions")).lines().skip(2).findFirst().orElseThrow();
        long b = self("jdk17-diff-baseline.facts.txt", "DiffWorkload.computeChecksum");
        long t = self("jdk17-diff-regressed.facts.txt", "DiffWorkload.computeChecksum");
        assertTrue(firstRegression.matches("\\s+DiffWorkload\\.computeChecksum\\s+" + String.format("%,d", b) + "\\s+"
                + String.format("%,d", t) + "\\s+\\+" + String.format("%,d", t - b) + "\\s+.*GREW"), firstRegression);
        assertTrue(r.out().contains("VIOLATED  total>+10%"), r.out());
        assertTrue(r.out().contains("VIOLATED  lock:*>+20%"), r.out());
        assertTrue(r.out().contains("ok        goroutines>+100"), r.out());
        assertTrue(r.out().contains("DiffWorkload$InventoryLock"), r.out());
    }

    @Test
    void captureAgainstItselfExitsZero() {
        CliTest.Result r = run("diff", jfr("jdk17-mixed.jfr"), jfr("jdk17-mixed.jfr"), "--fail-on",
                "total>+0%,lock:*>+0%,self:MixedWorkload.spin>+0%,total:MixedWorkload.spin>+0,goroutines>+0");
        assertEquals(Main.OK, r.code(), r.err());
        assertTrue(r.out().contains("Top regressions (self samples): none beyond noise"), r.out());
        assertTrue(!r.out().contains("VIOLATED"), r.out());
    }

    /** Two time ranges of one recording: together they hold every execution sample the facts count. */
    @Test
    void timeRangesOfOneCapture(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path json = dir.resolve("ranges.json");
        CliTest.Result r = run("diff", jfr("jdk17-mixed.jfr"), "--base-range", "0:8", "--target-range", "8:100000",
                "--value", "cpu", "--json", json.toString());
        assertEquals(Main.OK, r.code(), r.err());
        String facts = java.nio.file.Files.readString(CAPTURES.resolve("jfr/jdk17-mixed.facts.txt"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("== jdk.ExecutionSample: events=(\\d+)").matcher(facts);
        assertTrue(m.find());
        com.fasterxml.jackson.databind.JsonNode total = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile()).get("total");
        long base = total.get("base").asLong(), target = total.get("target").asLong();
        assertTrue(base > 0 && target > 0, total.toString());
        assertEquals(Long.parseLong(m.group(1)), base + target);
        assertEquals(Main.USAGE, run("diff", jfr("jdk17-mixed.jfr"), "--base-range", "8:2", "--target-range", "0:1").code());
    }

    @Test
    void goroutineLeakIsReported() {
        CliTest.Result r = run("diff", pprof("goroutine.debug2.txt"), pprof("goroutine-leak.debug2.txt"), "--fail-on", "goroutines>+100");
        assertEquals(DiffCommand.REGRESSION, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*\\+800 goroutines chan send at main\\.fetchWithTimeout\\.func1.*"), r.out());
    }

    @Test
    void cannotCompareExitsTwo() {
        CliTest.Result bad = run("diff", CAPTURES.resolve("bad/bad-magic.jfr").toString(), jfr("jdk17-mixed.jfr"));
        assertEquals(Main.BAD_INPUT, bad.code());
        assertTrue(!bad.err().isBlank());
        CliTest.Result alloc = run("diff", pprof("cpu-baseline.pb.gz"), pprof("cpu-regressed.pb.gz"), "--value", "alloc");
        assertEquals(Main.BAD_INPUT, alloc.code());
        assertTrue(alloc.err().contains("cannot compare"), alloc.err());
        CliTest.Result kinds = run("diff", pprof("cpu-baseline.pb.gz"), pprof("allocs-baseline.pb.gz"));
        assertEquals(Main.BAD_INPUT, kinds.code());
        assertTrue(kinds.err().contains("cannot compare"), kinds.err());
    }

    /** Two pprof profiles load at once (DiffCommand.loadBoth); a failing one is reported as one after the other would. */
    @Test
    void pprofLoadedAtOnceReportTheFailingOne(@TempDir Path dir) throws Exception {
        Path truncated = CAPTURES.resolve("bad/truncated-protobuf-in-valid-gzip.pb.gz");
        CliTest.Result target = run("diff", pprof("cpu-baseline.pb.gz"), truncated.toString());
        assertEquals(Main.BAD_INPUT, target.code());
        assertTrue(target.err().startsWith("kiln: " + truncated.getFileName()), target.err());
        Path other = Files.copy(truncated, dir.resolve("other.pb.gz"));
        CliTest.Result base = run("diff", truncated.toString(), other.toString());
        assertEquals(Main.BAD_INPUT, base.code());
        assertTrue(base.err().startsWith("kiln: " + truncated.getFileName()), base.err());
        assertTrue(!base.err().contains("other.pb.gz"), "only the base's error, as when the target is not loaded: " + base.err());
        CliTest.Result fine = run("diff", truncated.toString().replace("bad/truncated-protobuf-in-valid-gzip", "pprof/cpu-baseline"),
                pprof("cpu-regressed.pb.gz"));
        assertEquals(Main.OK, fine.code(), fine.err());
        assertTrue(fine.err().isEmpty(), fine.err());
    }

    @Test
    void usageExitsSixtyFour() {
        assertEquals(Main.USAGE, run("diff", jfr("jdk17-mixed.jfr")).code());
        assertEquals(Main.USAGE, run("diff", jfr("jdk17-mixed.jfr"), jfr("jdk17-mixed.jfr"), "--fail-on", "total<10%").code());
        assertEquals(Main.USAGE, run("diff", jfr("jdk17-mixed.jfr"), jfr("jdk17-mixed.jfr"), "--bogus").code());
        CliTest.Result help = run("diff", "--help");
        assertEquals(Main.OK, help.code());
        assertTrue(help.out().contains("--fail-on"));
    }

    @Test
    void jsonFileWritten(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("diff.json");
        CliTest.Result r = run("diff", pprof("cpu-baseline.pb.gz"), pprof("cpu-regressed.pb.gz"), "--value", "samples",
                "--json", out.toString(), "--normalize");
        assertEquals(Main.OK, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(out.toFile());
        assertEquals("samples/count", j.get("compared").asText());
        assertTrue(j.get("normalized").asBoolean());
        assertEquals("main.computeHash", j.get("functions").get(0).get("name").asText());
        JsonNode tree = j.get("tree");
        assertEquals(j.get("total").get("base").asLong(), tree.get("baseTotal").get(0).asLong());
        assertEquals(j.get("total").get("target").asLong(), tree.get("targetTotal").get(0).asLong());
        try (var s = Files.list(dir)) { assertEquals(1, s.count()); } // no temp file left
    }
}
