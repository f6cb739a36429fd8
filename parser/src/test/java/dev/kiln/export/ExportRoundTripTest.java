// SPDX-License-Identifier: Apache-2.0
package dev.kiln.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.analysis.Filter;
import dev.kiln.analysis.FilteredStacks;
import dev.kiln.analysis.FunctionTotals;
import dev.kiln.analysis.Weight;
import dev.kiln.analysis.Weights;
import dev.kiln.analysis.tree.CallTree;
import dev.kiln.analysis.tree.FlameLayout;
import dev.kiln.formats.CollapsedReader;
import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.FrameKind;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileBuilder;
import dev.kiln.model.SourceFormat;
import dev.kiln.model.ValueType;
import dev.kiln.testutil.Captures;
import dev.kiln.testutil.PprofTop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Exports of real captures read back by Kiln and by {@code go tool pprof}; expected numbers come from Kiln's own analysis of the source and the corpus facts. */
class ExportRoundTripTest {
    /** A function name with every character some format treats specially. */
    static final String WEIRD = "Weird;name \"quoted\" 'single' <script>alert(1)</script> & ünïcødé 日本 \uD83D\uDD25";

    static Profile load(Path p) throws Exception { return ProfileLoader.load(p, ProgressSink.NONE); }

    /** The {@code go} binary: on the PATH, or Debian's golang-go location. */
    static String goBinary() {
        for (String dir : (System.getenv("PATH") + File.pathSeparator + "/usr/lib/go/bin").split(File.pathSeparator)) {
            Path go = Path.of(dir, "go");
            if (Files.isExecutable(go)) return go.toString();
        }
        return dev.kiln.testutil.ExternalTools.missing("the `go` binary is needed for this test (apt-get install golang-go); it is not on the PATH");
    }


    static String goToolPprofTop(Path file, String sampleIndex, Path workDir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(goBinary(), "tool", "pprof", "-top", "-nodecount=5", "-nodefraction=0",
                "-sample_index=" + sampleIndex, file.toString()).redirectErrorStream(true);
        pb.environment().put("HOME", workDir.toString());
        pb.environment().put("PPROF_TMPDIR", workDir.toString());
        pb.environment().put("GOCACHE", workDir.resolve("gocache").toString());
        pb.environment().put("GOFLAGS", "");
        Process proc = pb.start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(120, TimeUnit.SECONDS), "go tool pprof did not finish");
        assertEquals(0, proc.exitValue(), out);
        return out;
    }

    @Test
    void jfrToPprofReadsInGoToolPprofAsKilnsTopTable(@TempDir Path dir) throws Exception {
        Profile jfr = load(Captures.file("jfr", "jdk17-diff-regressed.jfr"));
        Weight cpu = Weights.parse(jfr, "cpu"), alloc = Weights.parse(jfr, "alloc");
        Path out = dir.resolve("regressed.pb.gz");
        PprofWriter.write(jfr, List.of(cpu, alloc), Filter.NONE, out, ProgressSink.NONE);
        for (Weight w : List.of(cpu, alloc)) {
            String top = goToolPprofTop(out, w.type().kind(), dir);
            Path topFile = dir.resolve(w.type().kind() + ".top.txt");
            Files.writeString(topFile, "### go tool pprof -top -nodecount=5 -sample_index=" + w.type().kind() + " x\n" + top);
            List<PprofTop.Row> pprof = PprofTop.read(topFile).get(w.type().kind());
            List<FunctionTotals.Row> kiln = FunctionTotals.of(jfr, w.type()).bySelf();
            assertEquals(5, pprof.size(), top);
            for (int i = 0; i < 5; i++) {
                assertEquals(kiln.get(i).name(), pprof.get(i).name(), "row " + i + " of\n" + top);
                assertEquals(kiln.get(i).self(), pprof.get(i).flat(), pprof.get(i).tolerance(), "row " + i + " of\n" + top);
            }
        }
        // Kiln reads its own pprof back with the same per-function totals for every exported weight.
        Profile back = load(out);
        assertEquals(SourceFormat.PPROF, back.format());
        for (Weight w : List.of(cpu, alloc)) {
            ValueType t = new ValueType(w.type().kind(), w.type().unit());
            assertEquals(FunctionTotals.of(jfr, w.type()).bySelf(), FunctionTotals.of(back, t).bySelf());
        }
        // Threads travel as the string label "thread".
        long worker1 = FilteredStacks.of(jfr, cpu, Filter.NONE.withThreadName(java.util.regex.Pattern.compile("^request-worker-1$"))).total();
        Weight backCpu = Weights.parse(back, "cpu");
        assertEquals(worker1, FilteredStacks.of(back, backCpu, Filter.NONE.withLabels(List.of("thread=request-worker-1"))).total());
    }

    @Test
    void pprofToCollapsedReloadsWithTheSameFunctionTotals(@TempDir Path dir) throws Exception {
        Path src = Captures.file("pprof", "cpu-baseline.pb.gz");
        Profile pprof = load(src);
        for (String type : List.of("samples/count", "cpu/nanoseconds")) {
            Weight w = Weights.parse(pprof, type);
            Path out = dir.resolve(w.type().kind() + ".collapsed.txt");
            CollapsedWriter.write(CallTree.build(pprof, w, Filter.NONE, CallTree.Options.DEFAULT), out);
            Profile back = load(out);
            assertEquals(SourceFormat.COLLAPSED, back.format());
            FunctionTotals expected = FunctionTotals.of(pprof, w.type());
            FunctionTotals got = FunctionTotals.of(back, CollapsedReader.VALUE_TYPE);
            assertEquals(PprofTop.rawSum(Captures.file("pprof", "cpu-baseline.facts.txt"), type), got.grandTotal());
            assertEquals(expected.bySelf(), got.bySelf());
        }
    }

    @Test
    void speedscopeHasTheRequiredFieldsAndReloadsWithTheSameTotals(@TempDir Path dir) throws Exception {
        Profile jfr = load(Captures.file("jfr", "jdk17-diff-regressed.jfr"));
        List<Weight> weights = List.of(Weights.parse(jfr, "cpu"), Weights.parse(jfr, "alloc"), Weights.parse(jfr, "park/nanoseconds"));
        Path out = dir.resolve("r.speedscope.json");
        SpeedscopeWriter.write(jfr, weights, Filter.NONE, out, ProgressSink.NONE);
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        assertEquals(SpeedscopeWriter.SCHEMA, json.get("$schema").asText());
        assertEquals("jdk17-diff-regressed.jfr", json.get("name").asText());
        assertEquals(0, json.get("activeProfileIndex").asInt());
        assertEquals("Kiln", json.get("exporter").asText());
        JsonNode frames = json.get("shared").get("frames");
        for (JsonNode f : frames) assertTrue(f.get("name").isTextual(), f.toString());
        assertEquals(weights.size(), json.get("profiles").size());
        for (int i = 0; i < weights.size(); i++) {
            JsonNode p = json.get("profiles").get(i);
            assertEquals("sampled", p.get("type").asText());
            assertEquals(weights.get(i).type().toString(), p.get("name").asText());
            assertEquals(SpeedscopeWriter.unit(weights.get(i).type().unit()), p.get("unit").asText());
            assertTrue(List.of("none", "nanoseconds", "bytes").contains(p.get("unit").asText()));
            assertEquals(0, p.get("startValue").asLong());
            assertEquals(p.get("samples").size(), p.get("weights").size());
            long sum = 0;
            for (JsonNode v : p.get("weights")) sum += v.asLong();
            assertEquals(FilteredStacks.of(jfr, weights.get(i), Filter.NONE).total(), sum);
            assertEquals(sum, p.get("endValue").asLong());
            for (JsonNode s : p.get("samples")) for (JsonNode f : s) assertTrue(f.asInt() >= 0 && f.asInt() < frames.size());
        }
        Profile back = load(out);
        assertEquals(SourceFormat.SPEEDSCOPE, back.format());
        for (Weight w : weights.subList(0, 2)) assertEquals(FunctionTotals.of(jfr, w.type()).bySelf(), FunctionTotals.of(back, w.type()).bySelf());
        assertEquals(FilteredStacks.of(jfr, weights.get(2), Filter.NONE).total(),
                FunctionTotals.of(back, weights.get(2).type()).grandTotal());
    }

    @Test
    void eventedSpeedscopeBecomesIntervalWeights(@TempDir Path dir) throws Exception {
        // a open 0..10 ms, b open 2..5 ms inside it: a self 7 ms, total 10 ms; b 3 ms. One profile = one thread.
        Path f = dir.resolve("evented.json");
        Files.writeString(f, """
                {"$schema": "https://www.speedscope.app/file-format-schema.json",
                 "shared": {"frames": [{"name": "a"}, {"name": "b", "file": "b.go", "line": 7}]},
                 "profiles": [{"type": "evented", "name": "main thread", "unit": "milliseconds", "startValue": 0, "endValue": 10,
                   "events": [{"type": "O", "frame": 0, "at": 0}, {"type": "O", "frame": 1, "at": 2},
                              {"type": "C", "frame": 1, "at": 5}, {"type": "C", "frame": 0, "at": 10}]}]}
                """);
        Profile p = load(f);
        FunctionTotals t = FunctionTotals.of(p, new ValueType("time", "nanoseconds"));
        assertEquals(new FunctionTotals.Row("a", 7_000_000, 10_000_000), t.row("a"));
        assertEquals(new FunctionTotals.Row("b", 3_000_000, 3_000_000), t.row("b"));
        assertEquals("main thread", p.threadName(0));
    }

    /** main;WEIRD 5 and main 2, on thread "t1". */
    static Profile weirdProfile() {
        ProfileBuilder b = new ProfileBuilder(SourceFormat.PPROF, "weird");
        int main = b.frame(b.function("main", "", "main.go"), 3, -1, FrameKind.UNKNOWN, 0);
        int weird = b.frame(b.function(WEIRD, "", "wéird <file>.go"), 9, -1, FrameKind.UNKNOWN, 0);
        int thread = b.thread(1, "t1", 1, -1, false);
        ProfileBuilder.SampleTableBuilder t = b.sampleTable("pprof", List.of(new ValueType("samples", "count")), false, false, false);
        t.add(b.stack(b.stack(-1, main), weird), thread, Long.MIN_VALUE, -1, 5);
        t.add(b.stack(-1, main), thread, Long.MIN_VALUE, -1, 2);
        return b.build();
    }

    @Test
    void aStrangeNameSurvivesEveryFormat(@TempDir Path dir) throws Exception {
        Profile p = weirdProfile();
        Weight w = Weights.defaultWeight(p);
        CallTree tree = CallTree.build(p, w, Filter.NONE, CallTree.Options.DEFAULT);
        ValueType samples = new ValueType("samples", "count");
        FunctionTotals.Row expected = FunctionTotals.of(p, samples).row(WEIRD);
        assertEquals(new FunctionTotals.Row(WEIRD, 5, 5), expected);

        Path pb = dir.resolve("w.pb.gz");
        PprofWriter.write(p, List.of(w), Filter.NONE, pb, ProgressSink.NONE);
        assertEquals(expected, FunctionTotals.of(load(pb), samples).row(WEIRD));

        Path ss = dir.resolve("w.json");
        SpeedscopeWriter.write(p, List.of(w), Filter.NONE, ss, ProgressSink.NONE);
        assertEquals(expected, FunctionTotals.of(load(ss), samples).row(WEIRD));

        // Collapsed stacks cannot carry ';' (the frame separator): it becomes ':'; everything else is kept.
        Path col = dir.resolve("w.txt");
        CollapsedWriter.write(tree, col);
        String carried = WEIRD.replace(";", CollapsedWriter.SEMICOLON);
        assertEquals(new FunctionTotals.Row(carried, 5, 5), FunctionTotals.of(load(col), CollapsedReader.VALUE_TYPE).row(carried));

        Path svg = dir.resolve("w.svg");
        FlameSvgWriter.write(FlameLayout.of(tree), 800, svg);
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(svg.toFile());
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        assertEquals(0, doc.getElementsByTagNameNS("*", "script").getLength());
        assertFalse(Files.readString(svg).contains("<script"));
        NodeList titles = doc.getElementsByTagNameNS("*", "title");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < titles.getLength(); i++) texts.add(titles.item(i).getTextContent());
        assertTrue(texts.stream().anyMatch(s -> s.startsWith(WEIRD + " (5, ")), texts.toString());
        // one box per node with weight: all, main, WEIRD
        assertEquals(3, doc.getElementsByTagNameNS("*", "rect").getLength() - 1);
    }

    @Test
    void svgOfARealCaptureIsWellFormedAndPngHasTheRequestedSize(@TempDir Path dir) throws Exception {
        Profile jfr = load(Captures.file("jfr", "jdk17-diff-regressed.jfr"));
        FlameLayout layout = FlameLayout.of(CallTree.build(jfr, Weights.parse(jfr, "cpu"), Filter.NONE, CallTree.Options.DEFAULT));
        Path svg = dir.resolve("f.svg");
        FlameSvgWriter.write(layout, 1200, svg);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        assertEquals(String.valueOf((layout.maxDepth() + 1) * FlameSvgWriter.ROW_HEIGHT + FlameBoxes.TITLE_HEIGHT),
                doc.getDocumentElement().getAttribute("height"));
        assertTrue(doc.getElementsByTagName("rect").getLength() > layout.maxDepth());
        Path png = dir.resolve("f.png");
        FlamePngWriter.write(layout, 640, 480, png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "ImageIO decodes the PNG");
        assertEquals(640, img.getWidth());
        assertEquals(480, img.getHeight());
        // The root box spans the bottom row: its colour, not the white background.
        assertTrue((img.getRGB(320, 478) & 0xFFFFFF) != 0xFFFFFF);
    }

    @Test
    void aFailedExportLeavesTheExistingFileAndNoTemporaryFile(@TempDir Path dir) throws Exception {
        Profile jfr = load(Captures.file("jfr", "jdk17-diff-regressed.jfr"));
        Weight cpu = Weights.parse(jfr, "cpu");
        Path target = dir.resolve("good.pb.gz");
        Files.writeString(target, "the good file");
        ProgressSink cancelling = new ProgressSink() {
            @Override
            public void progress(long done, long total, String what) { }

            @Override
            public boolean isCancelled() { return true; }
        };
        assertThrows(CancellationException.class, () -> PprofWriter.write(jfr, List.of(cpu), Filter.NONE, target, cancelling));
        assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[100_000]);
            throw new IOException("disk full");
        }));
        assertEquals("the good file", Files.readString(target));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(target), s.toList());
        }
        // A folder that does not exist, a path that is a folder, a place nobody may write to.
        assertThrows(IOException.class, () -> SpeedscopeWriter.write(jfr, List.of(cpu), Filter.NONE, dir.resolve("no/such/x.json"), ProgressSink.NONE));
        assertThrows(IOException.class, () -> CollapsedWriter.write(CallTree.build(jfr, cpu, Filter.NONE, CallTree.Options.DEFAULT), dir));
        assertThrows(IOException.class, () -> PprofWriter.write(jfr, List.of(cpu), Filter.NONE, Path.of("/proc/kiln-export.pb.gz"), ProgressSink.NONE));
        assertTrue(Files.isDirectory(dir));
        // A successful export replaces the file and keeps its permissions.
        PprofWriter.write(jfr, List.of(cpu), Filter.NONE, target, ProgressSink.NONE);
        assertArrayEquals(new byte[] {0x1f, (byte) 0x8b}, java.util.Arrays.copyOf(Files.readAllBytes(target), 2));
    }

    @Test
    void detectionByContent() {
        byte[] collapsed = "main;a;b 12\nmain;c 3\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(ProfileLoader.Detected.COLLAPSED, ProfileLoader.detect(collapsed, collapsed.length));
        byte[] ss = "{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals(ProfileLoader.Detected.SPEEDSCOPE, ProfileLoader.detect(ss, ss.length));
        byte[] otherJson = "{\"$schema\":\"https://json-schema.org/x\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals(ProfileLoader.Detected.UNKNOWN, ProfileLoader.detect(otherJson, otherJson.length));
        byte[] prose = "hello, this is not a profile\n".getBytes(StandardCharsets.UTF_8);
        assertNotEquals(ProfileLoader.Detected.COLLAPSED, ProfileLoader.detect(prose, prose.length));
    }
}
