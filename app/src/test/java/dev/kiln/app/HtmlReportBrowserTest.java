// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.analysis.FunctionTotals;
import dev.kiln.analysis.diff.JvmDiff;
import dev.kiln.io.ProfileLoader;
import dev.kiln.testutil.JfrSummary;
import dev.kiln.jfr.JfrReader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.EventKind;
import dev.kiln.model.FrameKind;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileBuilder;
import dev.kiln.model.SourceFormat;
import dev.kiln.report.HtmlReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code kiln report} and {@code kiln diff --html} opened in a real headless Chromium (Debian's
 * {@code /usr/bin/chromium}, driven by {@code playwright-core} from npm through {@code src/test/browser/}).
 * Needs node, npm (registry access on the first run: {@code npm ci} into {@code target/browser-harness}) and
 * chromium; fails with a clear message when one is missing.
 */
class HtmlReportBrowserTest {
    static final Path CAPTURES = CliTest.CAPTURES;
    static final Path OUT = Path.of("target/browser-reports").toAbsolutePath();
    static final String CHROMIUM = System.getProperty("kiln.chromium", "/usr/bin/chromium");
    static final String HOSTILE = "<script>alert(1)</script>";
    static final String HOSTILE_IMG = "<img src=x onerror=\"window.__kilnXss=true\">";

    static Map<String, JsonNode> seen = new LinkedHashMap<>();
    /** What {@code kiln diff} printed for the JVM diff whose HTML is jvmdiff.html. */
    static String jvmDiffText;

    @BeforeAll
    static void openReportsInChromium() throws Exception {
        Files.createDirectories(OUT);
        report("jfr/jdk17-mixed.jfr", "mixed.html");
        report("pprof/cpu-regressed.pb.gz", "cpu.html");
        report("jfr/print/jdk17-parallel-gc.jfr", "exceptions.html");
        report("pprof/goroutine-leak.debug2.txt", "goroutines.html");
        report("gotrace/mixed.trace", "trace.html");
        report("jfr/print/jdk17-safepoints.jfr", "safepoints.html");
        int rc = Main.run(new String[] {"diff", CAPTURES.resolve("pprof/cpu-baseline.pb.gz").toString(),
                CAPTURES.resolve("pprof/cpu-regressed.pb.gz").toString(), "--html", OUT.resolve("diff.html").toString()},
                new PrintStream(new ByteArrayOutputStream()), System.err);
        assertEquals(Main.OK, rc);
        ByteArrayOutputStream jvmText = new ByteArrayOutputStream();
        rc = Main.run(new String[] {"diff", CAPTURES.resolve("jfr/jdk17-diff-baseline.jfr").toString(),
                CAPTURES.resolve("jfr/jdk17-diff-regressed.jfr").toString(), "--html", OUT.resolve("jvmdiff.html").toString()},
                new PrintStream(jvmText), System.err);
        assertEquals(Main.OK, rc);
        jvmDiffText = jvmText.toString(StandardCharsets.UTF_8);
        HtmlReport.write(hostileProfile(), HtmlReport.Options.DEFAULT, OUT.resolve("hostile.html"));

        ObjectMapper json = new ObjectMapper();
        List<Map<String, Object>> pages = new ArrayList<>();
        pages.add(Map.of("file", OUT.resolve("mixed.html").toString(), "search", "mixHeavy",
                "screenshot", OUT.resolve("screenshot-report.png").toString(), "cpuShot", OUT.resolve("screenshot-report-cpu.png").toString(), "envSearch", "java.vm.version",
                "clicks", List.of(Map.of("click", "#leaks tr:nth-child(3)", "read", "#leak-stack")),
                "shots", Map.of("#memory-section", OUT.resolve("screenshot-report-memory.png").toString(),
                        "#leaks-section", OUT.resolve("screenshot-report-leaks.png").toString(),
                        "#events-section", OUT.resolve("screenshot-report-events.png").toString())));
        pages.add(Map.of("file", OUT.resolve("cpu.html").toString(), "search", "computeHash"));
        pages.add(Map.of("file", OUT.resolve("exceptions.html").toString(), "search", "main"));
        pages.add(Map.of("file", OUT.resolve("goroutines.html").toString(), "search", "fetchWithTimeout.func1"));
        pages.add(Map.of("file", OUT.resolve("diff.html").toString(), "search", "computeHash"));
        pages.add(Map.of("file", OUT.resolve("jvmdiff.html").toString(), "shots", Map.of("#diffjvm-section", OUT.resolve("screenshot-report-jvmdiff.png").toString())));
        pages.add(Map.of("file", OUT.resolve("trace.html").toString(), "search", "trace.WithRegion"));
        pages.add(Map.of("file", OUT.resolve("safepoints.html").toString(), "search", "HashMap"));
        pages.add(Map.of("file", OUT.resolve("hostile.html").toString(), "search", "alert", "needle", HOSTILE));
        Path spec = OUT.resolve("spec.json");
        json.writeValue(spec.toFile(), Map.of("chromium", CHROMIUM, "pages", pages));
        Path harness = harness();
        Process p = new ProcessBuilder("node", harness.resolve("report-check.mjs").toString(), spec.toString())
                .directory(harness.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] stdout = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) { p.destroyForcibly(); fail("browser harness timed out"); }
        assertEquals(0, p.exitValue(), "browser harness failed: " + new String(stdout, StandardCharsets.UTF_8));
        for (JsonNode r : json.readTree(stdout).get("results")) {
            seen.put(Path.of(r.get("file").asText()).getFileName().toString(), r);
        }
        System.out.println("browser results: " + seen);
    }

    private static void report(String capture, String out) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"report", CAPTURES.resolve(capture).toString(), "-o", OUT.resolve(out).toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        assertEquals(Main.OK, rc, err.toString());
    }

    /**
     * A tool the test needs is not installed: a failure in CI (which installs it, and sets CI=true), a skip with
     * the reason elsewhere, so that `mvn verify` works on a machine with only the JDK and Maven.
     */
    static void missingTool(String why) {
        dev.kiln.testutil.ExternalTools.missing(why);
    }

    /** Copies the harness to target/browser-harness and installs playwright-core there once (npm ci). */
    static Path harness() throws Exception {
        if (!Files.isExecutable(Path.of(CHROMIUM))) {
            missingTool("the browser tests need Chromium at " + CHROMIUM + " (apt-get install chromium; or -Dkiln.chromium=PATH)");
        }
        for (String tool : List.of("node", "npm")) {
            try {
                Process v = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
                v.getInputStream().readAllBytes();
                if (v.waitFor() != 0) missingTool(tool + " --version failed");
            } catch (IOException e) {
                missingTool("the browser tests need " + tool + " on the PATH (apt-get install nodejs npm): " + e.getMessage());
            }
        }
        Path src = Path.of("src/test/browser"), dir = Path.of("target/browser-harness").toAbsolutePath();
        Files.createDirectories(dir);
        boolean changed = false;
        for (String f : List.of("package.json", "package-lock.json", "report-check.mjs")) {
            Path to = dir.resolve(f);
            changed |= !f.endsWith(".mjs") && (!Files.exists(to) || Files.mismatch(src.resolve(f), to) != -1);
            Files.copy(src.resolve(f), to, StandardCopyOption.REPLACE_EXISTING);
        }
        if (changed || !Files.isDirectory(dir.resolve("node_modules/playwright-core"))) {
            ProcessBuilder npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts")
                    .directory(dir.toFile()).redirectErrorStream(true);
            npm.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
            Process p = npm.start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) fail("npm ci in " + dir + " failed (needs the npm registry once):\n" + log);
        }
        return dir;
    }

    /** A JFR-shaped profile whose names are markup: function, thread, classes (allocation and lock) and source. */
    static Profile hostileProfile() {
        ProfileBuilder b = new ProfileBuilder(SourceFormat.JFR, HOSTILE + ".jfr");
        int th = b.thread(1, HOSTILE, 1, 1, false);
        int other = b.thread(2, HOSTILE_IMG, 2, 2, false);
        int main = b.frame(b.function("Main.main", "Main", "Main.java"), 1, 0, FrameKind.JIT, 0);
        int bad = b.frame(b.function(HOSTILE, HOSTILE_IMG, "x.java"), 2, 0, FrameKind.JIT, 0);
        int stack = b.stack(b.stack(-1, main), bad);
        ProfileBuilder.SampleTableBuilder cpu = b.sampleTable("jdk.ExecutionSample", List.of(JfrReader.CPU_SAMPLES), true, false, false);
        ProfileBuilder.SampleTableBuilder alloc = b.sampleTable("jdk.ObjectAllocationSample", List.of(JfrReader.ALLOC_BYTES), true, true, false);
        long t0 = 1_700_000_000_000_000_000L;
        for (int i = 0; i < 20; i++) {
            cpu.add(stack, th, t0 + i * 10_000_000L, -1, 1);
            alloc.add(stack, other, t0 + i * 10_000_000L, b.classIndex(HOSTILE_IMG), 1024);
        }
        b.event(EventKind.MONITOR_ENTER, other, t0, 50_000_000L, stack, b.classIndex(HOSTILE), 0x1000, th, -1, 0);
        b.defaultValueType(JfrReader.CPU_SAMPLES).timeSpan(t0, 200_000_000L).producer(HOSTILE);
        return b.build();
    }

    private static void assertLoadedCleanly(JsonNode r) {
        assertEquals(0, r.get("consoleErrors").size(), "console errors: " + r.get("consoleErrors"));
        assertEquals(0, r.get("requests").size(), "network requests: " + r.get("requests"));
        assertEquals(0, r.get("dialogs").size(), "dialogs: " + r.get("dialogs"));
        assertTrue(r.get("initial").get("drawnBoxes").asInt() > 1, "flame graph drawn: " + r.get("initial"));
        assertEquals(r.get("initial").get("drawnBoxes").asInt(), r.get("initial").get("canvasDrawn").asInt());
        assertEquals("all", r.get("initial").get("rootLabel").asText());
        // Clicking the widest frame under the root zooms to it.
        assertNotEquals("all", r.get("afterClick").get("rootLabel").asText());
        assertEquals(r.get("clicked").asText(), r.get("afterClick").get("rootLabel").asText());
        assertTrue(r.get("tooltip").asText().startsWith(r.get("clicked").asText()), "tooltip " + r.get("tooltip"));
        assertTrue(r.get("highlightedPixels").asInt() > 0, "search highlights frames");
        assertTrue(r.get("loadMillis").asLong() < 5000, "loaded in " + r.get("loadMillis") + " ms");
    }

    private static double share(String capture, String function) throws Exception {
        Profile p = ProfileLoader.load(CAPTURES.resolve(capture), ProgressSink.NONE);
        FunctionTotals ft = FunctionTotals.of(p, p.defaultValueType());
        List<FunctionTotals.Row> rows = ft.byTotal().stream().filter(r -> r.name().contains(function)).toList();
        assertEquals(1, rows.size(), "one function matches " + function + ": " + rows);
        return 100.0 * rows.get(0).total() / ft.grandTotal();
    }

    @Test
    void jfrReportDrawsSearchesAndZooms() throws Exception {
        JsonNode r = seen.get("mixed.html");
        assertLoadedCleanly(r);
        double expected = share("jfr/jdk17-mixed.jfr", "mixHeavy");
        assertEquals(expected, r.get("afterSearch").get("matchedShare").asDouble(), 0.005);
        assertTrue(r.get("matchedText").asText().contains(String.format(java.util.Locale.ROOT, "%.2f%%", expected)), r.get("matchedText").asText());
        for (String s : List.of("flame-section", "top-section", "graph-section", "timeline-section", "alloc-section", "locks-section", "findings-section")) {
            assertTrue(r.get("sections").toString().contains("\"" + s + "\""), s + " shown: " + r.get("sections"));
        }
        Files.createDirectories(OUT);
        assertTrue(Files.size(OUT.resolve("screenshot-report.png")) > 10_000);
    }

    /**
     * The JFR report's CPU section: its table and inline chart show every jdk.CPULoad sample of jfr print --json
     * (print/jdk17-mixed.cpu.json.gz): mean and max per series, and one point (with its value on hover) per sample.
     */
    @Test
    void jfrReportChartsTheCpuLoad() throws Exception {
        JsonNode r = seen.get("mixed.html");
        assertTrue(r.get("sections").toString().contains("\"cpu-section\""), "cpu-section shown: " + r.get("sections"));
        List<double[]> truth = new ArrayList<>(); // (JVM user + system, machine total, time) by time
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(CAPTURES.resolve("jfr/print/jdk17-mixed.cpu.json.gz")))) {
            for (JsonNode e : new ObjectMapper().readTree(in).path("recording").path("events")) {
                JsonNode v = e.path("values");
                java.time.Instant at = java.time.Instant.parse(v.path("startTime").asText());
                truth.add(new double[]{v.path("jvmUser").asDouble() + v.path("jvmSystem").asDouble(), v.path("machineTotal").asDouble(),
                        at.getEpochSecond() * 1e9 + at.getNano(), v.path("jvmUser").asDouble(), v.path("jvmSystem").asDouble()});
            }
        }
        truth.sort(java.util.Comparator.comparingDouble(a -> a[2]));
        JsonNode table = r.get("tables").get("cpu");
        assertEquals(6, table.size(), table.toString()); // JVM user, system, both, machine, context switches
        double jvmMean = truth.stream().mapToDouble(a -> a[0]).average().orElseThrow();
        double machineMax = truth.stream().mapToDouble(a -> a[1]).max().orElseThrow();
        assertEquals("JVM (user+system)", table.get(3).get(0).asText(), table.toString());
        assertEquals(jvmMean, Double.parseDouble(table.get(3).get(1).asText().replace("%", "")) / 100, 0.0011, table.toString());
        assertEquals("Machine total", table.get(4).get(0).asText(), table.toString());
        assertEquals(machineMax, Double.parseDouble(table.get(4).get(2).asText().replace("%", "")) / 100, 0.0006, table.toString());
        assertEquals(String.valueOf(truth.size()), table.get(4).get(3).asText());
        assertEquals(truth.stream().mapToDouble(a -> a[3]).average().orElseThrow(), Double.parseDouble(table.get(1).get(1).asText().replace("%", "")) / 100, 0.0006, table.toString());
        assertEquals(truth.stream().mapToDouble(a -> a[4]).max().orElseThrow(), Double.parseDouble(table.get(2).get(2).asText().replace("%", "")) / 100, 0.0006, table.toString());
        JsonNode chart = r.get("cpuChart");
        assertTrue(chart.get("width").asDouble() > 400, chart.toString());
        assertEquals(4, chart.get("points").size());
        for (JsonNode n : chart.get("points")) assertEquals(truth.size(), n.asInt(), "a point per sample");
        assertEquals(4 * truth.size(), chart.get("titles").size());
        // the machine series' titles, in time order, carry jfr print's values
        List<String> machine = new ArrayList<>();
        for (JsonNode t : chart.get("titles")) if (t.asText().contains("Machine total")) machine.add(t.asText());
        assertEquals(truth.size(), machine.size());
        int i = 0;
        for (String t : machine) {
            double shown = Double.parseDouble(t.replaceAll(".* ([0-9.]+)%$", "$1")) / 100;
            assertEquals(truth.get(i++)[1], shown, 0.0006, t);
        }
    }

    private static List<JsonNode> jdkEvents(String file) throws IOException {
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(CAPTURES.resolve("jfr/print/" + file)))) {
            List<JsonNode> out = new ArrayList<>();
            new ObjectMapper().readTree(in).path("recording").path("events").forEach(out::add);
            return out;
        }
    }

    /**
     * The JFR report's Exceptions section against jfr print --json (print/jdk17-parallel-gc.exceptions.json.gz): per class
     * the exception events less the error events (the JDK writes an Error as one of each more), the rate chart, and
     * the throwing stacks as a weight of the flame graph; the Environment section's properties and search
     * (print/jdk17-mixed.env.json.gz).
     */
    @Test
    void jfrReportShowsExceptionsAndEnvironment() throws Exception {
        JsonNode r = seen.get("exceptions.html");
        assertLoadedCleanly(r);
        assertTrue(r.get("sections").toString().contains("\"exceptions-section\""), r.get("sections").toString());
        Map<String, Long> want = new java.util.TreeMap<>();
        for (JsonNode e : jdkEvents("jdk17-parallel-gc.exceptions.json.gz")) {
            String cls = e.path("values").path("thrownClass").path("name").asText().replace('/', '.');
            if (e.path("type").asText().equals("jdk.JavaExceptionThrow")) want.merge(cls, 1L, Long::sum);
            if (e.path("type").asText().equals("jdk.JavaErrorThrow")) want.merge(cls, -1L, Long::sum);
        }
        Map<String, Long> got = new java.util.TreeMap<>();
        JsonNode classes = r.get("tables").get("exc-classes");
        for (int i = 1; i < classes.size(); i++) got.put(classes.get(i).get(0).asText(), classes.get(i).get(1).asLong());
        assertEquals(want, got);
        long total = want.values().stream().mapToLong(Long::longValue).sum();
        long messages = 0;
        JsonNode ms = r.get("tables").get("exc-messages");
        for (int i = 1; i < ms.size(); i++) messages += ms.get(i).get(0).asLong();
        assertEquals(Math.min(total, messages), messages); // the first 100 pairs
        assertEquals(2, r.get("excChart").asInt(), "two series in the rate chart");
        Profile p = ProfileLoader.load(CAPTURES.resolve("jfr/print/jdk17-parallel-gc.jfr"), ProgressSink.NONE);
        @SuppressWarnings("unchecked") List<Map<String, Object>> weights = (List<Map<String, Object>>) HtmlReport.data(p, HtmlReport.Options.DEFAULT, ProgressSink.NONE).get("weights");
        Map<String, Object> thrown = weights.stream().filter(w -> w.get("name").equals("exceptions/count")).findFirst().orElseThrow();
        assertEquals(total, ((Number) thrown.get("total")).longValue(), "the flame graph's exceptions weight");

        JsonNode mixed = seen.get("mixed.html");
        assertTrue(mixed.get("sections").toString().contains("\"environment-section\""), mixed.get("sections").toString());
        Map<String, String> properties = new LinkedHashMap<>();
        for (JsonNode e : jdkEvents("jdk17-mixed.env.json.gz")) {
            if (e.path("type").asText().equals("jdk.InitialSystemProperty")) properties.putIfAbsent(e.path("values").path("key").asText(), e.path("values").path("value").asText());
        }
        Map<String, String> shownProps = new LinkedHashMap<>();
        JsonNode env = mixed.get("tables").get("env");
        boolean inProps = false;
        for (JsonNode row : env) {
            if (row.get(0).asText().startsWith("System properties (")) { inProps = true; continue; }
            if (inProps && row.get(1).asText().isEmpty() && row.get(0).asText().contains("(")) break;
            if (inProps) shownProps.put(row.get(0).asText(), row.get(1).asText());
        }
        assertEquals(properties, shownProps);
        JsonNode shown = mixed.get("envShown");
        assertEquals(2, shown.size(), shown.toString()); // the group's heading and the one row
        assertEquals(List.of("java.vm.version", properties.get("java.vm.version")), List.of(shown.get(1).get(0).asText(), shown.get(1).get(1).asText()));
    }

    /** The JFR report's Event types section: every type with events, counted as jfr summary counts it, under its category. */
    @Test
    void jfrReportCountsEveryEventTypeAsJfrSummary() throws Exception {
        JsonNode r = seen.get("mixed.html");
        assertTrue(r.get("sections").toString().contains("\"events-section\""), r.get("sections").toString());
        JsonNode t = r.get("tables").get("eventtypes");
        Map<String, Long> got = new java.util.TreeMap<>();
        long groupSum = 0, groupCount = -1;
        int groups = 0;
        for (int i = 1; i <= t.size(); i++) {
            boolean end = i == t.size() || t.get(i).get(1).asText().isEmpty();
            if (end && groupCount >= 0) assertEquals(groupCount, groupSum, "the category's count is its types' sum");
            if (i == t.size()) break;
            JsonNode row = t.get(i);
            if (end) { groupCount = row.get(2).asLong(); groupSum = 0; groups++; continue; }
            got.put(row.get(1).asText(), row.get(2).asLong());
            groupSum += row.get(2).asLong();
        }
        assertEquals(JfrSummary.counts(CAPTURES.resolve("jfr/jdk17-mixed.summary.txt")), got);
        assertTrue(groups > 10, groups + " categories");
    }

    /** The JFR report's GC and I/O sections against jfr print --json (print/jdk17-mixed.gc.json.gz, .io.json.gz). */
    @Test
    void jfrReportShowsCollectionsAndIo() throws Exception {
        JsonNode r = seen.get("mixed.html");
        for (String s : List.of("gc-section", "io-section")) assertTrue(r.get("sections").toString().contains("\"" + s + "\""), s + " shown: " + r.get("sections"));
        ObjectMapper json = new ObjectMapper();
        int gcs = 0;
        long longest = 0;
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(CAPTURES.resolve("jfr/print/jdk17-mixed.gc.json.gz")))) {
            for (JsonNode e : json.readTree(in).path("recording").path("events")) {
                if (!e.path("type").asText().equals("jdk.GarbageCollection")) continue;
                gcs++;
                longest = Math.max(longest, java.time.Duration.parse(e.path("values").path("sumOfPauses").asText()).toNanos());
            }
        }
        assertFalse(seen.get("trace.html").get("sections").toString().contains("gc-section"), "a Go trace's stop-the-world pauses are not JVM collections");
        JsonNode gc = r.get("tables").get("gc");
        assertEquals(2, gc.size(), gc.toString()); // one collector, G1New
        assertEquals(String.valueOf(gcs), gc.get(1).get(1).asText());
        assertEquals(String.format(java.util.Locale.ROOT, "%.1f ms", longest / 1e6), gc.get(1).get(3).asText());
        java.util.Set<String> targets = new java.util.HashSet<>();
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(CAPTURES.resolve("jfr/print/jdk17-mixed.io.json.gz")))) {
            for (JsonNode e : json.readTree(in).path("recording").path("events")) {
                JsonNode v = e.path("values");
                targets.add(v.has("path") ? v.path("path").asText() : v.path("host").asText() + ":" + v.path("port").asLong());
            }
        }
        JsonNode io = r.get("tables").get("io");
        assertEquals(targets.size() + 1, io.size(), io.toString());
        for (int i = 1; i < io.size(); i++) assertTrue(targets.contains(io.get(i).get(1).asText()), io.get(i).toString());
    }

    /**
     * The JFR report's JIT and safepoints sections on the long-safepoints recording against jfr print --json
     * (print/jdk17-safepoints.jit.json.gz, .safepoints.json.gz): the longest pause and its operation, every VM
     * operation counted, the compilations and deoptimizations counted, and a chart point per safepoint.
     */
    @Test
    void jfrReportShowsJitAndSafepoints() throws Exception {
        JsonNode r = seen.get("safepoints.html");
        assertEquals(0, r.get("consoleErrors").size(), "console errors: " + r.get("consoleErrors"));
        for (String s : List.of("jit-section", "safepoints-section")) assertTrue(r.get("sections").toString().contains("\"" + s + "\""), s + " shown: " + r.get("sections"));
        Map<Long, long[]> by = new java.util.HashMap<>(); // safepoint id -> start, end
        Map<Long, String> ops = new java.util.HashMap<>();
        int operations = 0;
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(CAPTURES.resolve("jfr/print/jdk17-safepoints.safepoints.json.gz")))) {
            for (JsonNode e : new ObjectMapper().readTree(in).path("recording").path("events")) {
                JsonNode v = e.path("values");
                java.time.Instant at = java.time.Instant.parse(v.path("startTime").asText());
                long s = at.getEpochSecond() * 1_000_000_000L + at.getNano(), d = java.time.Duration.parse(v.path("duration").asText()).toNanos();
                long[] t = by.computeIfAbsent(v.path("safepointId").asLong(), k -> new long[]{Long.MAX_VALUE, Long.MIN_VALUE});
                t[0] = Math.min(t[0], s);
                t[1] = Math.max(t[1], s + d);
                if (e.path("type").asText().equals("jdk.ExecuteVMOperation")) { operations++; ops.put(v.path("safepointId").asLong(), v.path("operation").asText()); }
            }
        }
        Map.Entry<Long, long[]> longest = by.entrySet().stream().max(java.util.Comparator.comparingLong(e -> e.getValue()[1] - e.getValue()[0])).orElseThrow();
        JsonNode sp = r.get("tables").get("safepoints");
        assertEquals(Math.min(by.size(), 20) + 1, sp.size(), sp.toString());
        assertEquals(String.valueOf(longest.getKey()), sp.get(1).get(0).asText());
        assertEquals(String.format(java.util.Locale.ROOT, "%.1f ms", (longest.getValue()[1] - longest.getValue()[0]) / 1e6), sp.get(1).get(2).asText());
        assertEquals(ops.get(longest.getKey()), sp.get(1).get(5).asText());
        int counted = 0;
        JsonNode vmops = r.get("tables").get("vmops");
        for (int i = 1; i < vmops.size(); i++) counted += Integer.parseInt(vmops.get(i).get(1).asText().replace(",", ""));
        assertEquals(operations, counted);
        assertEquals(by.size(), r.get("charts").get("safepoints-chart").get(0).asInt(), "a point per safepoint: " + r.get("charts"));
        int compilations = 0, deopts = 0;
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(CAPTURES.resolve("jfr/print/jdk17-safepoints.jit.json.gz")))) {
            for (JsonNode e : new ObjectMapper().readTree(in).path("recording").path("events")) {
                if (e.path("type").asText().equals("jdk.Compilation")) compilations++;
                if (e.path("type").asText().equals("jdk.Deoptimization")) deopts++;
            }
        }
        assertEquals(compilations + 1, r.get("tables").get("jit").size());
        int reasons = 0;
        JsonNode dt = r.get("tables").get("deopts");
        for (int i = 1; i < dt.size(); i++) reasons += Integer.parseInt(dt.get(i).get(1).asText());
        assertEquals(deopts, reasons);
        assertTrue(r.get("charts").has("class-chart") && r.get("charts").has("code-chart"), r.get("charts").toString());
    }

    @Test
    void pprofReportMatchesPprofTop() throws Exception {
        JsonNode r = seen.get("cpu.html");
        assertLoadedCleanly(r);
        // go tool pprof -top (the capture's .top.txt) gives main.computeHash's cum% of cpu.
        String top = Files.readString(CAPTURES.resolve("pprof/cpu-regressed.top.txt"));
        String cpuBlock = top.substring(top.indexOf("-sample_index=cpu"));
        Matcher m = Pattern.compile("([\\d.]+)%\\s+main\\.computeHash\\n").matcher(cpuBlock);
        assertTrue(m.find(), "computeHash in the -top output");
        assertEquals(Double.parseDouble(m.group(1)), r.get("afterSearch").get("matchedShare").asDouble(), 0.006);
        assertEquals(share("pprof/cpu-regressed.pb.gz", "computeHash"), r.get("afterSearch").get("matchedShare").asDouble(), 0.005);
        // The call graph drawn in the page has the nodes go tool pprof -dot keeps (its default 80 nodes), in its order.
        List<String> want = new ArrayList<>();
        Matcher n = Pattern.compile("(?m)^N\\d+ \\[label=.* tooltip=\"(.*) \\([^()]*\\)\" color=").matcher(
                Files.readString(CAPTURES.resolve("pprof/cpu-regressed.graph80.dot")));
        while (n.find()) want.add(n.group(1));
        List<String> got = new ArrayList<>();
        r.get("graph").get("nodes").forEach(x -> got.add(x.asText()));
        assertEquals(want, got);
        assertTrue(r.get("graph").get("edges").asInt() >= want.size() - 1, "edges drawn: " + r.get("graph"));
        assertTrue(r.get("graph").get("width").asDouble() > 300, "the SVG has a size: " + r.get("graph"));
        assertTrue(r.get("graph").get("note").asText().startsWith("cpu/nanoseconds: " + want.size() + " functions"), r.get("graph").toString());
        assertTrue(r.get("sections").toString().contains("\"graph-section\""), r.get("sections").toString());
    }

    @Test
    void goroutineReportShowsTheStateHistogram() throws Exception {
        JsonNode r = seen.get("goroutines.html");
        assertLoadedCleanly(r);
        assertTrue(r.get("sections").toString().contains("goroutine-section"));
        assertFalse(r.get("sections").toString().contains("timeline-section"));
        // The facts file: 800 of 951 goroutines have main.fetchWithTimeout.func1 on top.
        String facts = Files.readString(CAPTURES.resolve("pprof/goroutine-leak.debug2.facts.txt"));
        long all = Long.parseLong(find(facts, "goroutines: (\\d+)")), leak = Long.parseLong(find(facts, "(\\d+)\\s+main\\.fetchWithTimeout\\.func1"));
        assertEquals(100.0 * leak / all, r.get("afterSearch").get("matchedShare").asDouble(), 0.005);
    }

    @Test
    void goTraceReportShowsTheTraceGoroutineGroupsAndLanes() throws Exception {
        JsonNode r = seen.get("trace.html");
        assertLoadedCleanly(r);
        assertEquals(share("gotrace/mixed.trace", "trace.WithRegion"), r.get("afterSearch").get("matchedShare").asDouble(), 0.005);
        for (String s : List.of("trace-section", "timeline-section", "flame-section")) {
            assertTrue(r.get("sections").toString().contains("\"" + s + "\""), s + " shown: " + r.get("sections"));
        }
        // go tool trace -d=1's facts: 22 goroutines on 2 Ps
        String facts = Files.readString(CAPTURES.resolve("gotrace/mixed.facts.txt"));
        int goroutines = Integer.parseInt(find(facts, "\\ngoroutines (\\d+)")), procs = Integer.parseInt(find(facts, "\\nprocs (\\d+)"));
        Map<String, String> traceFacts = new LinkedHashMap<>();
        for (JsonNode row : r.get("tables").get("tracefacts")) traceFacts.put(row.get(0).asText(), row.get(1).asText());
        assertEquals(String.valueOf(goroutines), traceFacts.get("Goroutines"), traceFacts.toString());
        assertEquals(String.valueOf(procs), traceFacts.get("Ps"), traceFacts.toString());
        // one lane per goroutine and P, in the order people count
        List<String> lanes = new ArrayList<>();
        r.get("lanes").forEach(n -> lanes.add(n.asText()));
        assertEquals(goroutines + procs, lanes.size(), lanes.toString());
        List<String> sorted = new ArrayList<>(lanes);
        sorted.sort(dev.kiln.analysis.timeline.NaturalOrder.INSTANCE);
        assertEquals(sorted, lanes);
        assertTrue(lanes.indexOf("P 0") > lanes.indexOf(lanes.stream().filter(l -> l.startsWith("G")).reduce((a, b) -> b).get()));
        // the groups table: as the engine's goroutine groups, every goroutine in one
        Profile p = ProfileLoader.load(CAPTURES.resolve("gotrace/mixed.trace"), ProgressSink.NONE);
        var groups = dev.kiln.analysis.timeline.GoroutineGroups.of(p,
                dev.kiln.analysis.timeline.ThreadTimelines.of(p, dev.kiln.analysis.Filter.NONE, ProgressSink.NONE)).groups();
        JsonNode rows = r.get("tables").get("groups");
        assertEquals(groups.size() + 1, rows.size(), rows.toString());
        int sum = 0;
        for (int i = 1; i < rows.size(); i++) {
            assertEquals(groups.get(i - 1).startFunction(), rows.get(i).get(0).asText());
            sum += rows.get(i).get(1).asInt();
        }
        assertEquals(goroutines, sum);
    }

    static List<JsonNode> printed(String file, String type) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(CAPTURES.resolve("jfr/print/" + file)))) {
            for (JsonNode e : new ObjectMapper().readTree(in).path("recording").path("events")) if (e.path("type").asText().equals(type)) out.add(e.path("values"));
        }
        return out;
    }

    /**
     * The JFR report's thread CPU top, allocation rate, metaspace, GC causes and leak candidates against jfr print --json
     * (print/jdk17-mixed.threadcpu, .mem, .gc and .old .json.gz); a click on a leak candidate shows its allocation stack.
     */
    @Test
    void jfrReportShowsThreadCpuMemoryAndLeakCandidates() throws Exception {
        JsonNode r = seen.get("mixed.html");
        for (String s : List.of("memory-section", "leaks-section")) assertTrue(r.get("sections").toString().contains("\"" + s + "\""), s + " shown: " + r.get("sections"));
        // thread CPU top: a row per thread, the busiest first, its mean as jfr print's samples give it
        Map<String, double[]> threads = new LinkedHashMap<>();
        for (JsonNode v : printed("jdk17-mixed.threadcpu.json.gz", "jdk.ThreadCPULoad")) {
            double[] a = threads.computeIfAbsent(v.path("eventThread").path("javaName").asText(), k -> new double[2]);
            a[0]++;
            a[1] += v.path("user").asDouble() + v.path("system").asDouble();
        }
        JsonNode tc = r.get("tables").get("threadcpu");
        assertEquals(Math.min(30, threads.size()) + 1, tc.size(), tc.toString()); // the report keeps the 30 busiest
        Map.Entry<String, double[]> busiest = threads.entrySet().stream().max(java.util.Comparator.comparingDouble(e -> e.getValue()[1] / e.getValue()[0])).orElseThrow();
        assertEquals(busiest.getKey(), tc.get(1).get(0).asText());
        assertEquals(100 * busiest.getValue()[1] / busiest.getValue()[0], Double.parseDouble(tc.get(1).get(1).asText().replace("%", "")), 0.06);
        assertEquals(String.valueOf((int) busiest.getValue()[0]), tc.get(1).get(5).asText());
        // allocation rate (a point per second) and metaspace (a point per summary) as inline charts
        JsonNode mem = r.get("svgCharts").get("memory-chart");
        assertEquals(2, mem.size(), mem.toString());
        assertEquals(List.of("Allocation rate"), new ObjectMapper().convertValue(mem.get(0).get("legend"), List.class));
        List<JsonNode> meta = printed("jdk17-mixed.mem.json.gz", "jdk.MetaspaceSummary");
        assertEquals(meta.size(), mem.get(1).get("points").get(2).asInt(), "committed: a point per summary");
        long weight = printed("jdk17-mixed.mem.json.gz", "jdk.ObjectAllocationSample").stream().mapToLong(v -> v.path("weight").asLong()).sum();
        assertTrue(r.get("sections").toString().contains("memory-section"));
        JsonNode causes = r.get("tables").get("gccauses");
        List<JsonNode> gcs = printed("jdk17-mixed.gc.json.gz", "jdk.GarbageCollection");
        assertEquals(gcs.stream().map(v -> v.path("cause").asText()).distinct().count() + 1, causes.size(), causes.toString());
        assertEquals(String.valueOf(gcs.size()), causes.get(1).get(1).asText()); // one cause, G1 Evacuation Pause
        // leak candidates, oldest first; the third row clicked shows its stack
        List<JsonNode> old = new ArrayList<>(printed("jdk17-mixed.old.json.gz", "jdk.OldObjectSample"));
        old.sort(java.util.Comparator.comparing(v -> java.time.Instant.parse(v.path("allocationTime").asText())));
        JsonNode leaks = r.get("tables").get("leaks");
        assertEquals(old.size() + 1, leaks.size(), leaks.toString());
        String stack = r.get("clicks").get(0).asText();
        JsonNode top = old.get(1).path("stackTrace").path("frames").get(0).path("method"); // row 3 = the second sample
        String frame = top.path("type").path("name").asText().replace('/', '.') + "." + top.path("name").asText();
        assertTrue(stack.lines().skip(1).findFirst().orElse("").equals("  at " + frame), stack);
        assertEquals(Math.min(40, old.get(1).path("stackTrace").path("frames").size()), stack.lines().count() - 1, stack);
        System.out.println("allocated (jfr print): " + weight);
    }

    /** kiln diff --html of two JFR recordings carries the JVM rows kiln diff prints, with the counts jfr summary gives. */
    @Test
    void jvmDiffReportCarriesTheJvmRows() throws Exception {
        JsonNode r = seen.get("jvmdiff.html");
        assertEquals(0, r.get("consoleErrors").size(), "console errors: " + r.get("consoleErrors"));
        assertTrue(r.get("sections").toString().contains("diffjvm-section"), r.get("sections").toString());
        JsonNode t = r.get("tables").get("diffjvm");
        // the text's rows: key base -> target delta delta% status, between "JVM:" and the next heading
        List<String[]> text = new ArrayList<>();
        boolean in = false;
        for (String line : jvmDiffText.lines().toList()) {
            if (line.equals("JVM:")) { in = true; continue; }
            if (line.isEmpty()) in = false;
            else if (in && line.startsWith("  ")) text.add(line.trim().split("\\s+"));
        }
        // the text shows the first 10 changed rows of a group, the report 30: every text row is a report row, the metrics alike
        Map<String, JsonNode> byKey = new LinkedHashMap<>();
        for (int i = 1; i < t.size(); i++) byKey.put(t.get(i).get(0).asText(), t.get(i));
        assertTrue(text.size() <= byKey.size(), jvmDiffText + "\n" + t);
        for (String[] want : text) {
            JsonNode got = byKey.get(want[0]);
            assertNotNull(got, want[0] + " in the report's rows");
            assertEquals(want[want.length - 1], got.get(6).asText(), "status of " + want[0]);
        }
        for (int i = 0; i < JvmDiff.METRICS.size(); i++) assertEquals(JvmDiff.METRICS.get(i), t.get(i + 1).get(0).asText());
        Path base = CAPTURES.resolve("jfr/jdk17-diff-baseline.summary.txt"), target = CAPTURES.resolve("jfr/jdk17-diff-regressed.summary.txt");
        // the event types that changed, with their counts as jfr summary gives them
        int eventRows = 0;
        Map<String, Long> b0 = JfrSummary.counts(base), t0 = JfrSummary.counts(target);
        for (JsonNode x : byKey.values()) {
            if (!x.get(1).asText().equals("Events")) continue;
            String type = x.get(0).asText();
            assertEquals(String.valueOf(b0.getOrDefault(type, 0L)), x.get(2).asText(), type);
            assertEquals(String.valueOf(t0.getOrDefault(type, 0L)), x.get(3).asText(), type);
            assertNotEquals("SAME", x.get(6).asText(), type);
            eventRows++;
        }
        assertTrue(eventRows > 0 && jvmDiffText.contains("\nEvents by type:\n"), jvmDiffText);
        for (String[] m : List.of(new String[]{"gc-count", "jdk.GarbageCollection"}, new String[]{"compilations", "jdk.Compilation"})) {
            JsonNode row = null;
            for (JsonNode x : t) if (x.get(0).asText().equals(m[0])) row = x;
            assertTrue(row != null, m[0]);
            long b = summaryCount(base, m[1]), g = summaryCount(target, m[1]);
            assertEquals(String.valueOf(b), row.get(2).asText(), m[0]);
            assertEquals(String.valueOf(g), row.get(3).asText(), m[0]);
            assertEquals(b == g ? "SAME" : b < g ? "GREW" : "SHRANK", row.get(6).asText(), m[0] + " " + b + " -> " + g);
        }
    }

    static long summaryCount(Path summary, String type) throws Exception {
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(type) + "\\s+(\\d+)\\s+\\d+\\s*$").matcher(Files.readString(summary));
        assertTrue(m.find(), type);
        return Long.parseLong(m.group(1));
    }

    @Test
    void diffReportDrawsTheDifferentialGraph() {
        JsonNode r = seen.get("diff.html");
        assertLoadedCleanly(r);
        assertTrue(r.get("tooltip").asText().contains("delta"), r.get("tooltip").asText());
        assertTrue(r.get("sections").toString().contains("difffn-section"));
        assertFalse(r.get("sections").toString().contains("graph-section"), "a diff has no call graph");
    }

    @Test
    void capturedNamesAreTextNeverMarkup() throws IOException {
        JsonNode r = seen.get("hostile.html");
        assertLoadedCleanly(r);
        assertFalse(r.get("xssFlag").asBoolean(), "an onerror handler ran");
        assertEquals(2, r.get("scriptElements").asInt(), "only the report's own two script elements");
        assertTrue(r.get("needleShown").asBoolean(), "the name is shown as text");
        assertTrue(r.get("title").asText().contains(HOSTILE));
        assertEquals(100.0, r.get("afterSearch").get("matchedShare").asDouble(), 1e-9);
        String html = Files.readString(OUT.resolve("hostile.html"));
        assertFalse(html.contains(HOSTILE), "raw markup in the file");
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex);
        return m.group(1);
    }
}
