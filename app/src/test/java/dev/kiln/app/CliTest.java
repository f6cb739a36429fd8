// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kiln summary} end to end on real captures (the parser module's copies of the corpus). */
class CliTest {
    static final Path CAPTURES = Path.of("../parser/src/test/resources/captures");

    record Result(int code, String out, String err) { }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** "name ... samples=N" rows of the facts' self table of jdk.ExecutionSample. */
    static List<String[]> selfFacts(String facts) throws Exception {
        List<String> lines = Files.readAllLines(CAPTURES.resolve("jfr").resolve(facts));
        int start = -1;
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith("  self samples by method")) { start = i; break; }
        Pattern row = Pattern.compile("^\\s+(\\S+)\\s+samples=(\\d+)$");
        return lines.subList(start + 1, start + 4).stream().map(l -> {
            Matcher m = row.matcher(l);
            assertTrue(m.matches(), l);
            return new String[] {m.group(1), m.group(2)};
        }).toList();
    }

    @Test
    void summaryPrintsTheTopSelfFunctionsOfTheRecording() throws Exception {
        Result r = run("summary", CAPTURES.resolve("jfr/jdk17-mixed.jfr").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Format:     JFR recording"), r.out());
        assertTrue(r.out().contains("Producer:   JDK 17.0.15"), r.out());
        String cpu = r.out().substring(r.out().indexOf("Top functions by cpu/samples"));
        String firstRow = cpu.lines().skip(3).findFirst().orElseThrow();
        String[] top = selfFacts("jdk17-mixed.facts.txt").get(0);
        assertTrue(firstRow.endsWith(top[0]) && firstRow.trim().startsWith(String.format("%,d", Long.parseLong(top[1]))), firstRow);
    }

    @Test
    void jsonCarriesTheSameNumbers() throws Exception {
        Result r = run("summary", CAPTURES.resolve("jfr/jdk25-diff-regressed.jfr").toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("JFR recording", json.get("format").asText());
        JsonNode cpu = json.get("sampleTypes").get(0);
        assertEquals("cpu", cpu.get("type").asText());
        List<String[]> facts = selfFacts("jdk25-diff-regressed.facts.txt");
        for (int i = 0; i < facts.size(); i++) {
            assertEquals(facts.get(i)[0], cpu.get("topSelf").get(i).get("name").asText());
            assertEquals(Long.parseLong(facts.get(i)[1]), cpu.get("topSelf").get(i).get("self").asLong());
        }
    }

    @Test
    void badInputExitsWithTwoAndNamesTheFile(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("notes.jfr");
        Files.writeString(junk, "hello, this is not a profile");
        Result r = run("summary", junk.toString());
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().startsWith("kiln: notes.jfr: "), r.err());
        assertEquals("", r.out());
    }

    @Test
    void usageErrors() {
        assertEquals(Main.USAGE, run("summary").code());
        assertEquals(Main.USAGE, run("--bogus").code());
        assertEquals(Main.OK, run("--help").code());
    }

    /** README's run command: {@code kiln --sample} opens the bundled sample (here with no display: its summary). */
    @Test
    void sampleOptionOpensTheBundledSample() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.kiln.app.Main", "--sample").redirectErrorStream(true);
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("kiln: cannot open the window: no display"), out);
        assertTrue(out.contains("File:       kiln-sample-jdk17-mixed.jfr") && out.contains("Format:     JFR"), out);
    }

    @Test
    void noArgumentsWithoutADisplaySummarisesTheBundledSample() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Gui.fallback("no display (test)", Gui.filesOrSample(List.of()), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("kiln: cannot open the window: no display (test)."));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("kiln-sample-jdk17-mixed.jfr"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void headlessFallbackSummarisesEveryFile() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        Path a = CAPTURES.resolve("jfr/jdk17-mixed.jfr"), b = CAPTURES.resolve("jfr/jdk17-diff-baseline.jfr");
        int code = Gui.fallback("no display", List.of(a, b), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("File:       jdk17-mixed.jfr") && text.contains("File:       jdk17-diff-baseline.jfr"), text);
    }

    @Test
    void aDisplayIsNeededOnLinuxUnlessMonocleIsChosen() {
        assertTrue(Gui.whyNoDisplay(java.util.Map.of(), "Linux", null).contains("DISPLAY"));
        assertEquals(null, Gui.whyNoDisplay(java.util.Map.of("DISPLAY", ":0"), "Linux", null));
        assertEquals(null, Gui.whyNoDisplay(java.util.Map.of("WAYLAND_DISPLAY", "wayland-0"), "Linux", null));
        assertEquals(null, Gui.whyNoDisplay(java.util.Map.of(), "Linux", "Monocle"));
        assertEquals(null, Gui.whyNoDisplay(java.util.Map.of(), "Mac OS X", null));
    }

    @Test
    void anOptionAmongFilesIsAUsageError() {
        assertEquals(Main.USAGE, run(CAPTURES.resolve("jfr/jdk17-mixed.jfr").toString(), "--bogus").code());
    }

    @Test
    void anUnknownCommandWordSaysSoAndListsTheCommands() {
        Result r = run("top", "x.pb.gz");
        assertEquals(Main.USAGE, r.code());
        assertTrue(r.err().startsWith("kiln: unknown command 'top'"), r.err());
        assertTrue(r.err().contains("summary, tree, peek, list, graph, threads"), r.err());
        assertTrue(r.err().contains("events, gc, env"), r.err());
        for (String c : Main.COMMANDS) { // every word listed is a command
            Result h = run(c, "--help");
            assertFalse(h.err().contains("unknown command"), c + ": " + h.err());
        }
        assertEquals("", r.out());
        assertTrue(Main.looksLikeCommand("sumary"));
        assertFalse(Main.looksLikeCommand("profile.pb.gz"), "a file name, even one that does not exist, goes to the window");
        assertFalse(Main.looksLikeCommand("captures/cpu"));
        assertFalse(Main.looksLikeCommand(CAPTURES.toString()));
        assertFalse(Main.looksLikeCommand("src"), "an existing file without a dot");
    }

    @Test
    void summaryNamesEventKindsForPeopleAndSaysWhatAPprofProfileDoesNotRecord() throws Exception {
        Result jfr = run("summary", CAPTURES.resolve("jfr/jdk17-mixed.jfr").toString());
        assertTrue(jfr.out().contains("  Monitor enter          jdk.JavaMonitorEnter"), jfr.out());
        assertFalse(jfr.out().contains("MONITOR_ENTER"), jfr.out());
        Result json = run("summary", CAPTURES.resolve("jfr/jdk17-mixed.jfr").toString(), "--json");
        JsonNode kinds = new ObjectMapper().readTree(json.out()).get("eventKinds");
        boolean found = false;
        for (JsonNode k : kinds) found |= k.get("kind").asText().equals("MONITOR_ENTER") && k.get("name").asText().equals("Monitor enter");
        assertTrue(found, "JSON keeps the constant and adds the name: " + kinds);
        Result pprof = run("summary", CAPTURES.resolve("pprof/heap-baseline.pb.gz").toString());
        assertFalse(pprof.out().contains("Threads:    0"), pprof.out());
        assertTrue(pprof.out().contains("Threads:    none: pprof protobuf records stacks and their values, not threads"), pprof.out());
        assertTrue(pprof.out().contains("samples counts the file's sample records; total sums their values"), pprof.out());
    }

    /**
     * A recording that threw lists {@code exceptions/count} among its sample types, as the Overview does: one per
     * throwable, counted from {@code jfr print --json} of print/jdk17-zgc's throws (exception events less error events:
     * the JDK writes an Error once more as an exception). A pprof profile lists none.
     */
    @Test
    void summaryListsTheExceptionsOfARecordingThatThrew() throws Exception {
        long thrown = 0;
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(java.nio.file.Files.newInputStream(CAPTURES.resolve("jfr/print/jdk17-zgc.throws.json.gz")))) {
            for (JsonNode e : new ObjectMapper().readTree(in).get("recording").get("events")) thrown += e.get("type").asText().equals("jdk.JavaErrorThrow") ? -1 : 1;
        }
        Result json = run("summary", CAPTURES.resolve("jfr/print/jdk17-zgc.jfr").toString(), "--json");
        assertEquals(0, json.code(), json.err());
        JsonNode exceptions = null;
        for (JsonNode t : new ObjectMapper().readTree(json.out()).get("sampleTypes")) if (t.get("type").asText().equals("exceptions")) exceptions = t;
        assertTrue(exceptions != null, json.out());
        assertEquals("count", exceptions.get("unit").asText());
        assertEquals(thrown, exceptions.get("samples").asLong());
        assertEquals(thrown, exceptions.get("total").asLong());
        String count = String.format(java.util.Locale.ROOT, "%,d", thrown);
        Result text = run("summary", CAPTURES.resolve("jfr/print/jdk17-zgc.jfr").toString());
        assertTrue(text.out().lines().anyMatch(l -> l.trim().startsWith("exceptions/count ") && l.contains(count)), text.out());
        Result pprof = run("summary", CAPTURES.resolve("pprof/heap-baseline.pb.gz").toString());
        assertFalse(pprof.out().contains("exceptions/count"), pprof.out());
    }
}
