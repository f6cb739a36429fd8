// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.FilteredStacks;
import dev.kiln.analysis.Weights;
import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.testutil.JfrSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.kiln.app.CliTest.CAPTURES;
import static dev.kiln.app.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kiln export} end to end; expected numbers come from the captures' fact files. */
class ExportCommandTest {
    private static final String REGRESSED = CAPTURES.resolve("jfr/jdk17-diff-regressed.jfr").toString();

    /** facts: "samples by sampledThread ... request-worker-1 samples=N". */
    private static long worker1Samples() throws Exception {
        return Files.readAllLines(CAPTURES.resolve("jfr/jdk17-diff-regressed.facts.txt")).stream()
                .filter(l -> l.trim().startsWith("request-worker-1 ") && l.contains("samples="))
                .mapToLong(l -> Long.parseLong(l.replaceAll(".*samples=(\\d+).*", "$1"))).findFirst().orElseThrow();
    }

    @Test
    void pprofExportWithAThreadFilterSaysWhatWasKept(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("w1.pb.gz");
        CliTest.Result r = run("export", REGRESSED, "--to", "pprof", "-o", out.toString(), "--value", "cpu", "--thread", "^request-worker-1$");
        assertEquals(0, r.code(), r.err());
        long expected = worker1Samples();
        String events = Files.readAllLines(CAPTURES.resolve("jfr/jdk17-diff-regressed.facts.txt")).stream()
                .filter(l -> l.startsWith("== jdk.ExecutionSample:")).findFirst().orElseThrow();
        long all = Long.parseLong(events.replaceAll(".*events=(\\d+).*", "$1"));
        assertTrue(r.out().contains("Filter:  thread ~ ^request-worker-1$"), r.out());
        assertTrue(r.out().contains(String.format("kept %,d of %,d", expected, all)), r.out());
        Profile back = ProfileLoader.load(out, ProgressSink.NONE);
        assertEquals(expected, FilteredStacks.of(back, Weights.parse(back, "cpu"), Filter.NONE).total());
    }

    @Test
    void aPprofExportOfARecordingThatThrewCarriesItsExceptions(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("zgc.pb.gz");
        CliTest.Result r = run("export", CAPTURES.resolve("jfr/print/jdk17-zgc.jfr").toString(), "--to", "pprof", "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Long> summary = JfrSummary.counts(CAPTURES.resolve("jfr/print/jdk17-zgc.summary.txt"));
        Profile back = ProfileLoader.load(out, ProgressSink.NONE);
        // every weight in one file: the samples and, after them, one throwable per count (an error is written once more as an exception)
        assertEquals(summary.get("jdk.JavaExceptionThrow") - summary.get("jdk.JavaErrorThrow"),
                FilteredStacks.of(back, Weights.parse(back, "exceptions"), Filter.NONE).total());
        assertEquals((long) summary.get("jdk.ExecutionSample"), FilteredStacks.of(back, Weights.parse(back, "cpu"), Filter.NONE).total());
    }

    @Test
    void everyFormatIsWrittenAndReadable(@TempDir Path dir) throws Exception {
        for (String format : new String[] {"collapsed", "speedscope"}) {
            Path out = dir.resolve("x." + format);
            CliTest.Result r = run("export", REGRESSED, "--to", format, "-o", out.toString(), "--value", "cpu", "--from", "0", "--to", "1000");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("Filter:  time range"), r.out());
            Profile back = ProfileLoader.load(out, ProgressSink.NONE);
            long sum = back.sampleTables().get(0).total(0);
            String header = Files.readAllLines(CAPTURES.resolve("jfr/jdk17-diff-regressed.facts.txt")).stream()
                    .filter(l -> l.startsWith("== jdk.ExecutionSample:")).findFirst().orElseThrow();
            assertEquals(Long.parseLong(header.replaceAll(".*events=(\\d+).*", "$1")), sum, format);
        }
        Path png = dir.resolve("f.png");
        assertEquals(0, run("export", REGRESSED, "--to", "png", "-o", png.toString(), "--width", "300", "--height", "200").code());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(300, img.getWidth());
        assertEquals(200, img.getHeight());
        Path svg = dir.resolve("f.svg");
        assertEquals(0, run("export", REGRESSED, "--format", "svg", "-o", svg.toString()).code());
        assertTrue(Files.readString(svg).startsWith("<?xml"));
    }

    @Test
    void usageErrorsAndAnUnwritableOutput(@TempDir Path dir) throws Exception {
        assertEquals(Main.USAGE, run("export", REGRESSED).code());
        CliTest.Result bad = run("export", REGRESSED, "--to", "gif");
        assertEquals(Main.USAGE, bad.code());
        assertEquals(Main.USAGE, run("export", REGRESSED, "--to", "svg", "--value", "cpu", "--value", "alloc").code());
        assertEquals(Main.USAGE, run("export", REGRESSED, "--to", "pprof", "--value", "nope", "-o", dir.resolve("x").toString()).code());
        CliTest.Result help = run("export", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--to FORMAT"), help.out());
        assertTrue(run("--help").out().contains("kiln export FILE"));
        Path existing = dir.resolve("keep.pb.gz");
        Files.writeString(existing, "keep me");
        CliTest.Result r = run("export", REGRESSED, "--to", "pprof", "-o", dir.resolve("missing/x.pb.gz").toString());
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().startsWith("kiln export: cannot write "), r.err());
        CliTest.Result intoFolder = run("export", REGRESSED, "--to", "pprof", "-o", dir.toString());
        assertEquals(Main.BAD_INPUT, intoFolder.code());
        assertEquals("keep me", Files.readString(existing));
    }

    @Test
    void noCommandWritesOverItsInput(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("a.pb.gz"), jfr = dir.resolve("r.jfr");
        java.nio.file.Files.copy(CAPTURES.resolve("pprof/cpu-baseline.pb.gz"), in);
        java.nio.file.Files.copy(CAPTURES.resolve("jfr/jdk17-diff-baseline.jfr"), jfr);
        byte[] before = java.nio.file.Files.readAllBytes(in), jfrBefore = java.nio.file.Files.readAllBytes(jfr);
        Path link = java.nio.file.Files.createSymbolicLink(dir.resolve("link.pb.gz"), in);
        for (String[] args : List.of(
                new String[] {"export", in.toString(), "--to", "pprof", "-o", in.toString()},
                new String[] {"export", in.toString(), "--to", "pprof", "-o", link.toString()},
                new String[] {"export", jfr.toString(), "--to", "collapsed", "-o", jfr.toString()},
                new String[] {"report", in.toString(), "-o", in.toString()},
                new String[] {"diff", in.toString(), jfr.toString(), "--html", jfr.toString()},
                new String[] {"diff", in.toString(), jfr.toString(), "--json", in.toString()})) {
            CliTest.Result r = run(args);
            assertEquals(Main.USAGE, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().contains("never writes over its input"), r.err());
        }
        assertArrayEquals(before, java.nio.file.Files.readAllBytes(in));
        assertArrayEquals(jfrBefore, java.nio.file.Files.readAllBytes(jfr));
    }
}
