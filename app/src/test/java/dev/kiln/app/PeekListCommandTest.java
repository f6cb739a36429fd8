// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static dev.kiln.app.CliTest.CAPTURES;
import static dev.kiln.app.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kiln peek} and {@code kiln list} end to end, against {@code go tool pprof -peek} and {@code -list} of the
 * same profiles ({@code captures/pprof/*.peek.txt}, {@code *.list.txt}, made by {@code list-truth.sh}).
 */
class PeekListCommandTest {
    /** pprof's -peek as text rows: "caller NAME VALUE", "node NAME FLAT CUM", "callee NAME VALUE", "--" between functions. */
    private static List<String> pprofPeek(String file) throws Exception {
        List<String> out = new ArrayList<>();
        boolean started = false, seenNode = false;
        for (String line : Files.readAllLines(CAPTURES.resolve("pprof/" + file))) {
            if (line.startsWith("-----")) {
                if (started && seenNode) out.add("--");
                started = true;
                seenNode = false;
                continue;
            }
            if (!started || line.contains("calls%") || !line.contains("|")) continue;
            String left = line.substring(0, line.indexOf('|')).trim(), name = line.substring(line.indexOf('|') + 1).trim()
                    .replace(" (inline)", "");
            String[] v = left.split("\\s+");
            if (v.length >= 5) {
                out.add("node " + name + " " + num(v[0]) + " " + num(v[3]));
                seenNode = true;
            } else {
                out.add((seenNode ? "callee " : "caller ") + name + " " + num(v[0]));
            }
        }
        return out;
    }

    private static long num(String s) { return Long.parseLong(s.replaceAll("[^0-9]+$", "")); }

    @ParameterizedTest
    @CsvSource({"cpu-regressed, cpu", "block, delay"})
    void peekIsGoToolPprofPeek(String name, String value) throws Exception {
        CliTest.Result r = run("peek", CAPTURES.resolve("pprof/" + name + ".pb.gz").toString(), "main\\.", "--value", value, "--json");
        assertEquals(0, r.code(), r.err());
        List<String> got = new ArrayList<>();
        for (JsonNode f : new ObjectMapper().readTree(r.out()).get("functions")) {
            for (JsonNode e : f.get("callers")) got.add("caller " + e.get("name").asText() + " " + e.get("total").asLong());
            got.add("node " + f.get("function").asText() + " " + f.get("self").asLong() + " " + f.get("total").asLong());
            for (JsonNode e : f.get("callees")) got.add("callee " + e.get("name").asText() + " " + e.get("total").asLong());
            got.add("--");
        }
        List<String> want = pprofPeek(name + ".peek.txt");
        assertFalse(want.isEmpty());
        // pprof orders equal edges its own way: compare each function's block as a set of rows, blocks in order
        assertEquals(blocks(want), blocks(got));
    }

    private static List<List<String>> blocks(List<String> rows) {
        List<List<String>> out = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        for (String row : rows) {
            if (row.equals("--")) { cur.sort(null); out.add(cur); cur = new ArrayList<>(); } else cur.add(row);
        }
        return out;
    }

    @Test
    void listPrintsTheSourceLinesWithPprofsValues() throws Exception {
        CliTest.Result r = run("list", CAPTURES.resolve("pprof/cpu-baseline.pb.gz").toString(), "^main\\.walkTree$",
                "--source-root", CAPTURES.resolve("sources").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ROUTINE ======================== main.walkTree in /kiln-corpus/go/cpuprof/main.go"), r.out());
        // go tool pprof -list main.walkTree: line 95 860ms flat, 870ms cum; line 97 10ms, 1.02s
        assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s+860\\.00 ms\\s+870\\.00 ms\\s+95:\\s+v = v\\*6364136223846793005.*")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s+10\\.00 ms\\s+1\\.02 s\\s+97:.*walkTree\\(n\\.left.*")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s+\\.\\s+\\.\\s+89:func walkTree\\(.*")), r.out());
        assertFalse(r.out().contains("not found"), r.out());
    }

    @Test
    void listWithoutSourcesStillShowsTheLinesAndSaysWhatToDo() throws Exception {
        CliTest.Result r = run("list", CAPTURES.resolve("pprof/cpu-baseline.pb.gz").toString(), "^main\\.walkTree$", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode routine = new ObjectMapper().readTree(r.out()).get("routines").get(0);
        assertTrue(routine.get("source").isNull());
        assertEquals(3, routine.get("lines").size(), "the sampled lines 94, 95, 97");
        CliTest.Result text = run("list", CAPTURES.resolve("pprof/cpu-baseline.pb.gz").toString(), "^main\\.walkTree$");
        assertTrue(text.out().contains("--source-root DIR"), text.out());
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertEquals(Main.USAGE, run("peek", "only-a-file").code());
        assertEquals(Main.USAGE, run("list", "f", "(unclosed").code());
        assertEquals(Main.USAGE, run("peek", "f", "x", "--source-root", "d").code());
        assertEquals(Main.BAD_INPUT, run("peek", CAPTURES.resolve("pprof/missing.pb.gz").toString(), "x").code());
    }

    @Test
    void listFindsAJavaClassesSourceByItsPackagePath() throws Exception {
        // JFR frames name no file: MixedWorkload$Fractal's source is MixedWorkload.java under the root
        CliTest.Result r = run("list", CAPTURES.resolve("jfr/jdk17-mixed.jfr").toString(), "Fractal\\.mixHeavy$",
                "--source-root", CAPTURES.resolve("sources/java").toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode routine = new ObjectMapper().readTree(r.out()).get("routines").get(0);
        assertTrue(routine.get("source").asText().endsWith("MixedWorkload.java"), routine.toString());
        // facts: MixedWorkload$Fractal.mixHeavy has 1,096 self samples; every one is on a line of its body
        String self = Files.readAllLines(CAPTURES.resolve("jfr/jdk17-mixed.facts.txt")).stream()
                .filter(l -> l.trim().startsWith("MixedWorkload$Fractal.mixHeavy ")).findFirst().orElseThrow();
        assertEquals(Long.parseLong(self.replaceAll(".*samples=(\\d+).*", "$1")), routine.get("flat").asLong());
        long onLines = 0;
        for (JsonNode l : routine.get("lines")) {
            onLines += l.get("flat").asLong();
            if (l.get("flat").asLong() > 0) assertFalse(l.get("text").isNull(), "a sampled line has its text");
        }
        assertEquals(routine.get("flat").asLong(), onLines);
    }
}
