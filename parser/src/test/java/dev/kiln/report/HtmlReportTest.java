// SPDX-License-Identifier: Apache-2.0
package dev.kiln.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.analysis.Filter;
import dev.kiln.analysis.FunctionTotals;
import dev.kiln.analysis.Weight;
import dev.kiln.analysis.Weights;
import dev.kiln.analysis.tree.CallTree;
import dev.kiln.io.ProfileLoader;
import dev.kiln.jfr.JfrReader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.FrameKind;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileBuilder;
import dev.kiln.model.SourceFormat;
import dev.kiln.model.ValueType;
import dev.kiln.testutil.Captures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTML report's data, escaping, pruning and size (the browser checks are in the app module). */
class HtmlReportTest {
    private static final ValueType SAMPLES = new ValueType("samples", "count");

    /** A trace with too many goroutines for one row each gets a row per goroutine group, holding all their time. */
    @Test
    @SuppressWarnings("unchecked")
    void aTraceWithManyGoroutinesShowsARowPerGroup() throws Exception {
        Profile p = ProfileLoader.load(Captures.file("gotrace", "mixed.trace"), ProgressSink.NONE);
        dev.kiln.analysis.timeline.ThreadTimelines tl = dev.kiln.analysis.timeline.ThreadTimelines.of(p, Filter.NONE, ProgressSink.NONE);
        Map<String, Object> each = HtmlReport.timeline(tl, p, 200), grouped = HtmlReport.timeline(tl, p, 200, 10);
        List<Map<String, Object>> lanes = (List<Map<String, Object>>) each.get("lanes"), rows = (List<Map<String, Object>>) grouped.get("lanes");
        assertEquals(24, lanes.size());
        assertEquals(15 + 2, rows.size()); // kiln threads' 15 start functions, and the 2 Ps
        assertEquals(Boolean.TRUE, grouped.get("grouped"));
        assertEquals("main.main.func2 (4 goroutines)", rows.stream().map(r -> (String) r.get("thread"))
                .filter(n -> n.startsWith("main.main.func2 ")).findFirst().orElseThrow());
        long[] a = new long[dev.kiln.analysis.timeline.ThreadState.COUNT], b = new long[a.length];
        for (Map<String, Object> l : lanes) for (int s = 0; s < a.length; s++) a[s] += ((long[]) l.get("totals"))[s];
        for (Map<String, Object> r : rows) for (int s = 0; s < b.length; s++) b[s] += ((long[]) r.get("totals"))[s];
        assertArrayEquals(a, b);
    }

    @Test
    void jsonCannotEndTheScriptBlock() throws IOException {
        String nasty = "</script><script>alert(1)</script>&\u2028\u2029<!--";
        String json = HtmlReport.scriptSafeJson(Map.of("name", nasty));
        for (char c : "<>&\u2028\u2029".toCharArray()) assertEquals(-1, json.indexOf(c), "raw " + (int) c + " in " + json);
        assertEquals(nasty, new ObjectMapper().readTree(json).get("name").asText());
    }

    /** root 10 -> a 6 (a1 4, a2 2), b 4 (b1 1): leaf-only samples a1=4, a2=2, a(self)=0, b(self)=3, b1=1. */
    private static Profile fixture() {
        ProfileBuilder b = new ProfileBuilder(SourceFormat.PPROF, "fixture");
        int th = b.thread(1, "t", 1, -1, false);
        ProfileBuilder.SampleTableBuilder t = b.sampleTable("pprof", List.of(SAMPLES), false, false, false);
        int a = b.stack(-1, frame(b, "a")), bb = b.stack(-1, frame(b, "b"));
        t.add(b.stack(a, frame(b, "a1")), th, Long.MIN_VALUE, -1, 4);
        t.add(b.stack(a, frame(b, "a2")), th, Long.MIN_VALUE, -1, 2);
        t.add(bb, th, Long.MIN_VALUE, -1, 3);
        t.add(b.stack(bb, frame(b, "b1")), th, Long.MIN_VALUE, -1, 1);
        return b.build();
    }

    private static int frame(ProfileBuilder b, String name) {
        return b.frame(b.function(name, "", "f.go"), 0, -1, FrameKind.UNKNOWN, 0);
    }

    @SuppressWarnings("unchecked")
    @Test
    void pruningKeepsTheLargestNodesAsATree() {
        Profile p = fixture();
        CallTree t = CallTree.build(p, Weights.defaultWeight(p), Filter.NONE, CallTree.Options.DEFAULT);
        assertEquals(6, t.size());
        Map<String, Object> all = HtmlReport.prune(t, HtmlReport.Options.DEFAULT);
        assertEquals(6, ((int[]) all.get("f")).length);
        // Four nodes: totals sorted 1,2,4,4,6,10 -> threshold 4 keeps all(10), a(6), a1(4), b(4).
        Map<String, Object> four = HtmlReport.prune(t, new HtmlReport.Options(null, 0, 4, 10, 10));
        List<String> names = (List<String>) four.get("names");
        int[] f = (int[]) four.get("f");
        String[] kept = new String[f.length];
        for (int i = 0; i < f.length; i++) kept[i] = names.get(f[i]);
        assertArrayEquals(new String[] {"all", "a", "a1", "b"}, kept);
        assertArrayEquals(new int[] {-1, 0, 1, 0}, (int[]) four.get("p"));
        assertArrayEquals(new long[] {10, 6, 4, 4}, (long[]) four.get("v"));
        assertEquals(4L, four.get("threshold"));
    }

    @Test
    void topFunctionsMatchFunctionTotalsAndTheFactsFile() throws Exception {
        Path file = Captures.file("jfr", "jdk17-mixed.jfr");
        Profile p = ProfileLoader.load(file, ProgressSink.NONE);
        Weight w = Weights.parse(p, "cpu/samples");
        CallTree t = CallTree.build(p, w, Filter.NONE, CallTree.Options.DEFAULT);
        FunctionTotals ft = FunctionTotals.of(p, JfrReader.CPU_SAMPLES);
        List<Object[]> top = HtmlReport.topFunctions(t, 300);
        assertEquals(300, top.size());
        for (Object[] r : top) {
            FunctionTotals.Row expected = ft.row((String) r[0]);
            assertNotNull(expected, (String) r[0]);
            assertEquals(expected, new FunctionTotals.Row((String) r[0], (long) r[1], (long) r[2]));
        }
        // The facts file's self samples of the hottest method (jfr print ground truth).
        Matcher m = Pattern.compile("MixedWorkload\\$Fractal\\.mixHeavy\\s+samples=(\\d+)")
                .matcher(Files.readString(Captures.file("jfr", "jdk17-mixed.facts.txt")));
        assertTrue(m.find());
        long facts = Long.parseLong(m.group(1));
        assertTrue(top.stream().anyMatch(r -> r[0].equals("MixedWorkload$Fractal.mixHeavy") && (long) r[1] == facts));
    }

    @Test
    void writesAtomicallyAndNotIntoAMissingFolder(@TempDir Path dir) throws IOException {
        Profile p = fixture();
        Path out = dir.resolve("r.html");
        HtmlReport.write(p, HtmlReport.Options.DEFAULT, out);
        String html = Files.readString(out);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertFalse(html.contains("@@KILN_DATA@@"));
        assertFalse(html.matches("(?s).*(src|href)=\"https?:.*"), "no network resources");
        try (var s = Files.list(dir)) { assertEquals(1, s.count(), "no temporary file left"); }
        assertThrows(IOException.class, () -> HtmlReport.write(p, HtmlReport.Options.DEFAULT, dir.resolve("no/such/r.html")));
    }

    @Test
    void theCallGraphIsAnInlineSvgOfPprofsNodes(@TempDir Path dir) throws Exception {
        Profile p = dev.kiln.io.ProfileLoader.load(Captures.file("pprof", "cpu-regressed.pb.gz"), dev.kiln.job.ProgressSink.NONE);
        Path out = dir.resolve("r.html");
        HtmlReport.write(p, HtmlReport.Options.DEFAULT, out);
        String html = Files.readString(out);
        assertFalse(html.contains("@@KILN_GRAPH@@"));
        int svg = html.indexOf("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"kiln-graph\"");
        assertTrue(svg > 0 && svg < html.indexOf("id=\"kiln-data\""), "the graph is in the page, before the data");
        // go tool pprof -dot keeps 32 nodes of cpu-regressed.pb.gz with its default 80 (cpu-regressed.graph80.dot)
        long dotNodes = Files.readAllLines(Captures.file("pprof", "cpu-regressed.graph80.dot")).stream().filter(l -> l.matches("^N\\d+ \\[label=.*")).count();
        assertEquals(dotNodes, Pattern.compile("<g class=\"node\">").matcher(html).results().count());
        assertTrue(html.contains("<title>main.computeHash (2.84 s)</title>"), "a node's tooltip");
    }

    /** The ~100 MB recording: run with -Dkiln.bigJfr (optionally =PATH). */
    @Test
    void bigRecordingStaysUnderTenMegabytes(@TempDir Path dir) throws Exception {
        String prop = System.getProperty("kiln.bigJfr");
        org.junit.jupiter.api.Assumptions.assumeTrue(prop != null, "set -Dkiln.bigJfr to run");
        Path big = Path.of(prop.isBlank() || prop.equals("true") ? "/work/big-corpus2/jdk17-big.jfr" : prop);
        Profile p = ProfileLoader.load(big, ProgressSink.NONE);
        Path out = dir.resolve("big.html");
        long t0 = System.nanoTime();
        HtmlReport.write(p, HtmlReport.Options.DEFAULT, out);
        long size = Files.size(out);
        System.out.printf("big report: %,d bytes in %.1f s%n", size, (System.nanoTime() - t0) / 1e9);
        assertTrue(size < 10L * 1024 * 1024, "report of " + big + " is " + size + " bytes");
    }

    /** {@code --value exceptions}: the throwing stacks shown first, once, with the throwables jfr summary counts (events less errors). */
    @Test
    @SuppressWarnings("unchecked")
    void exceptionsCanBeTheWeightShownFirst() throws Exception {
        Profile p = ProfileLoader.load(Captures.file("jfr", "print/jdk17-zgc.jfr"), ProgressSink.NONE);
        List<Map<String, Object>> weights = (List<Map<String, Object>>) HtmlReport.data(p, HtmlReport.Options.DEFAULT.withValue("exceptions"),
                ProgressSink.NONE).get("weights");
        assertEquals("exceptions/count", weights.get(0).get("name"));
        assertEquals(1, weights.stream().filter(w -> w.get("name").equals("exceptions/count")).count());
        Map<String, Long> summary = dev.kiln.testutil.JfrSummary.counts(Captures.file("jfr", "print/jdk17-zgc.summary.txt"));
        assertEquals(summary.get("jdk.JavaExceptionThrow") - summary.get("jdk.JavaErrorThrow"), ((Number) weights.get(0).get("total")).longValue());
    }
}
