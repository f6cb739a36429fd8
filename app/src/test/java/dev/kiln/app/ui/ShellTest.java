// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import dev.kiln.analysis.findings.Finding;
import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.JfrEventTable;
import dev.kiln.views.jvm.EventBrowserView;
import dev.kiln.views.timeline.ThreadTimelineView;
import dev.kiln.views.overview.OverviewView;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TitledPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shell on real captures, headless (Monocle): open, drop, a damaged file, cancel, finding navigation. */
@ExtendWith(ApplicationExtension.class)
class ShellTest {
    static final Path CAPTURES = Path.of("../parser/src/test/resources/captures");
    static final Path MIXED = CAPTURES.resolve("jfr/jdk17-mixed.jfr");
    static final long TIMEOUT_S = 180;

    @TempDir
    Path dir;
    MainWindow window;

    @Start
    void start(Stage stage) {
        window = new MainWindow(stage, new RecentFiles(dir.resolve("recent.txt")));
        stage.show();
    }

    static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    static void awaitFx(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(TIMEOUT_S, TimeUnit.SECONDS, () -> fx(condition));
    }

    static void awaitLoaded(CaptureTab tab) throws Exception {
        awaitFx(() -> tab.state() != CaptureTab.State.LOADING);
    }

    /** The events= count of a section of the facts file ("== jdk.ExecutionSample: events=2354 ..."). */
    static long factsEvents(String facts, String eventType) throws Exception {
        Matcher m = Pattern.compile("^== " + Pattern.quote(eventType) + ": events=(\\d+)", Pattern.MULTILINE)
                .matcher(Files.readString(CAPTURES.resolve("jfr").resolve(facts)));
        assertTrue(m.find(), eventType + " in " + facts);
        return Long.parseLong(m.group(1));
    }

    /** Every node under {@code n}, including scroll pane and titled pane contents. */
    static List<Node> all(Node n) {
        List<Node> out = new ArrayList<>();
        collect(n, out);
        return out;
    }

    private static void collect(Node n, List<Node> out) {
        if (n == null) return;
        out.add(n);
        if (n instanceof ScrollPane s) collect(s.getContent(), out);
        else if (n instanceof TitledPane t) collect(t.getContent(), out);
        else if (n instanceof Parent p) for (Node c : p.getChildrenUnmodifiable()) collect(c, out);
    }

    static Label labelWith(Node root, Predicate<Label> which) {
        return all(root).stream().filter(n -> n instanceof Label l && which.test(l)).map(n -> (Label) n).findFirst().orElse(null);
    }

    /** Waits until the Overview of a loaded tab has been built (its summary runs in the background). */
    static OverviewView awaitOverview(CaptureTab tab) throws Exception {
        awaitFx(() -> overviewOf(tab) != null);
        return fx(() -> overviewOf(tab));
    }

    private static OverviewView overviewOf(CaptureTab tab) {
        for (Node n : all(tab.viewNode("overview"))) if (n instanceof OverviewView o) return o;
        return null;
    }

    @Test
    void eachCaptureGetsTheTabsItHasSomethingFor() throws Exception {
        CaptureTab jfr = fx(() -> window.open(MIXED));
        awaitLoaded(jfr);
        assertEquals(List.of("overview", "flame", "tree", "graph", "peek", "source", "timeline", "locks", "allocs", "memory", "io", "cpu", "events", "exceptions", "environment", "jit", "safepoints"), fx(jfr::viewIds));
        CaptureTab heap = fx(() -> window.open(CAPTURES.resolve("pprof/heap-baseline.pb.gz")));
        awaitLoaded(heap);
        assertEquals(List.of("overview", "flame", "tree", "graph", "peek", "source", "allocs"), fx(heap::viewIds), "a heap profile has no threads or locks");
        CaptureTab block = fx(() -> window.open(CAPTURES.resolve("pprof/block.pb.gz")));
        awaitLoaded(block);
        assertEquals(List.of("overview", "flame", "tree", "graph", "peek", "source", "locks"), fx(block::viewIds));
        CaptureTab dump = fx(() -> window.open(CAPTURES.resolve("pprof/goroutine.debug2.txt")));
        awaitLoaded(dump);
        assertTrue(fx(dump::viewIds).contains("timeline"), "a goroutine dump shows goroutine states");
        assertFalse(fx(() -> heap.selectView("timeline")));
    }

    @Test
    void anEventShownInTheTimelineSwitchesToTheThreadsTabAtItsTime() throws Exception {
        CaptureTab tab = fx(() -> window.open(MIXED));
        awaitLoaded(tab);
        assertTrue(fx(() -> tab.selectView("events")));
        EventBrowserView events = (EventBrowserView) fx(() -> tab.viewNode("events"));
        awaitFx(events::isReady);
        assertTrue(fx(() -> events.selectType("jdk.FileRead")));
        awaitFx(() -> events.isReady() && !events.table().getItems().isEmpty());
        JfrEventTable reads = fx(events::selectedType);
        int row = fx(() -> events.table().getItems().get(0));
        fx(() -> { events.showInTimelineButton().fire(); return null; });
        assertEquals("timeline", fx(tab::selectedView));
        ThreadTimelineView timeline = (ThreadTimelineView) fx(() -> tab.viewNode("timeline"));
        awaitFx(() -> timeline.marked() != null);
        assertEquals(reads.startNanos(row), timeline.marked()[0]);
        assertEquals(reads.startNanos(row) + reads.durationNanos(row), timeline.marked()[1]);
        int lane = fx(() -> timeline.selectedLaneProperty().get());
        assertEquals(reads.thread(row), fx(() -> timeline.getData().timelines().laneThread(lane)));
        assertTrue(fx(window::statusMessage).startsWith("Showing "), fx(window::statusMessage));
        assertEquals("", fx(tab::timeRangeText), "the shared filter is left alone");
    }

    @Test
    void openShowsTheCaptureWithItsSampleCountsInTheOverview() throws Exception {
        CaptureTab tab = fx(() -> window.open(MIXED));
        assertEquals("jdk17-mixed.jfr", fx(tab::getText));
        awaitLoaded(tab);
        assertEquals(CaptureTab.State.READY, fx(tab::state), fx(tab::error));
        assertEquals("overview", fx(tab::selectedView));
        OverviewView ov = awaitOverview(tab);

        long samples = factsEvents("jdk17-mixed.facts.txt", "jdk.ExecutionSample");
        Label count = fx(() -> labelWith(ov, l -> "samples:jdk.ExecutionSample:cpu/samples".equals(l.getUserData())));
        assertNotNull(count, "sample count label of jdk.ExecutionSample");
        assertEquals(String.format(Locale.ROOT, "%,d", samples), fx(count::getText));
        long alloc = factsEvents("jdk17-mixed.facts.txt", "jdk.ObjectAllocationSample");
        Label allocCount = fx(() -> labelWith(ov, l -> String.valueOf(l.getUserData()).startsWith("samples:jdk.ObjectAllocationSample:")));
        assertEquals(String.format(Locale.ROOT, "%,d", alloc), fx(allocCount::getText));

        String status = fx(window::statusInfo);
        assertTrue(status.startsWith("jdk17-mixed.jfr") && status.contains("JFR"), status);
        assertEquals(List.of(MIXED.toAbsolutePath().normalize()), new RecentFiles(dir.resolve("recent.txt")).list());
    }

    @Test
    void clickingAFindingSwitchesToItsView() throws Exception {
        CaptureTab tab = fx(() -> window.open(MIXED));
        awaitLoaded(tab);
        OverviewView ov = awaitOverview(tab);
        List<Finding> findings = fx(() -> ov.data().findings());
        assertFalse(findings.isEmpty(), "jdk17-mixed has lock contention (CORPUS-README)");
        Hyperlink first = fx(() -> (Hyperlink) all(ov).stream().filter(n -> n instanceof Hyperlink).findFirst().orElseThrow());
        Finding.Link link = (Finding.Link) fx(first::getUserData);
        fx(() -> { first.fire(); return null; });
        assertEquals(ViewRegistry.viewFor(link.view()), fx(tab::selectedView));
        assertTrue(fx(window::statusMessage).startsWith("Showing "), fx(window::statusMessage));

        assertFalse(fx(() -> tab.navigate(new Finding.Link("nosuch", Finding.Link.FOCUS, "x", null))));
        assertTrue(fx(window::statusMessage).contains("no nosuch view"), fx(window::statusMessage));
    }

    @Test
    void droppedFilesOpenOneTabEach() throws Exception {
        // Two files open a diff (DiffShellTest); three or more open one tab each.
        Path other = CAPTURES.resolve("pprof/cpu-regressed.pb.gz");
        Path third = CAPTURES.resolve("pprof/cpu-baseline.pb.gz");
        fx(() -> window.openDropped(List.of(MIXED.toFile(), other.toFile(), third.toFile())));
        List<CaptureTab> tabs = fx(window::captureTabs);
        assertEquals(3, tabs.size());
        assertEquals(List.of("jdk17-mixed.jfr", "cpu-regressed.pb.gz", "cpu-baseline.pb.gz"), fx(() -> window.tabs().getTabs().stream().map(t -> t.getText()).toList()));
        for (CaptureTab t : tabs) {
            awaitLoaded(t);
            assertEquals(CaptureTab.State.READY, fx(t::state), fx(t::error));
        }
    }

    @Test
    void aDamagedFileShowsOneMessageAndTheAppStillOpensFiles() throws Exception {
        Path bad = CAPTURES.resolve("bad/corrupt-middle.jfr");
        ProfileFormatException expected = assertThrows(ProfileFormatException.class, () -> ProfileLoader.load(bad, ProgressSink.NONE));
        CaptureTab tab = fx(() -> window.open(bad));
        awaitLoaded(tab);
        assertEquals(CaptureTab.State.FAILED, fx(tab::state));
        String error = fx(tab::error);
        assertTrue(error.startsWith("Could not open corrupt-middle.jfr: ") && error.contains(expected.reason()), error);
        Label title = fx(() -> labelWith(tab.getContent(), l -> l.getStyleClass().contains("error-title")));
        assertEquals("Could not open corrupt-middle.jfr", fx(title::getText));
        assertTrue(fx(() -> labelWith(tab.getContent(), l -> l.getText().toLowerCase(Locale.ROOT).contains(expected.reason().toLowerCase(Locale.ROOT)))) != null);
        assertTrue(new RecentFiles(dir.resolve("recent.txt")).list().isEmpty(), "a file that failed is not recent");
        assertEquals("corrupt-middle.jfr  \u00b7  could not be opened", fx(window::statusInfo));

        CaptureTab good = fx(() -> window.open(MIXED));
        awaitLoaded(good);
        assertEquals(CaptureTab.State.READY, fx(good::state), fx(good::error));
        assertEquals(2, fx(() -> window.tabs().getTabs().size()));
    }

    @Test
    void cancelStopsALoadAndLeavesTheAppUsable() throws Exception {
        // Open and press Cancel in one FX turn: the load cannot have finished (its success is delivered on this thread).
        CaptureTab tab = fx(() -> {
            CaptureTab t = window.open(MIXED);
            Button cancel = (Button) all(t.getContent()).stream().filter(n -> "cancel-load".equals(n.getId())).findFirst().orElseThrow();
            cancel.fire();
            return t;
        });
        awaitLoaded(tab);
        assertEquals(CaptureTab.State.CANCELLED, fx(tab::state));
        assertTrue(fx(window::statusInfo).contains("loading cancelled"), fx(window::statusInfo));
        assertEquals(null, fx(tab::profile));

        fx(() -> { window.closeSelectedTab(); return null; });
        assertEquals(0, fx(() -> window.tabs().getTabs().size()));
        CaptureTab again = fx(() -> window.open(MIXED));
        awaitLoaded(again);
        assertEquals(CaptureTab.State.READY, fx(again::state));
    }

    @Test
    void themeToggleSwapsTheDarkStylesheet() throws Exception {
        fx(() -> { window.setDark(true); return null; });
        assertTrue(fx(() -> window.scene().getStylesheets().stream().anyMatch(s -> s.endsWith(MainWindow.DARK_CSS))));
        fx(() -> { window.setDark(false); return null; });
        assertFalse(fx(() -> window.scene().getStylesheets().stream().anyMatch(s -> s.endsWith(MainWindow.DARK_CSS))));
    }

    /** File > Export writes a pprof file that Kiln reads back with every execution sample of the recording. */
    @Test
    void exportFromTheAppWritesALoadableProfile() throws Exception {
        CaptureTab tab = fx(() -> window.open(MIXED));
        awaitLoaded(tab);
        Path out = dir.resolve("mixed.pb.gz");
        javafx.concurrent.Task<Path> task = fx(() -> window.export(tab, "pprof", out));
        awaitFx(task::isDone);
        assertEquals(javafx.concurrent.Worker.State.SUCCEEDED, fx(task::getState));
        dev.kiln.model.Profile back = dev.kiln.io.ProfileLoader.load(out, dev.kiln.job.ProgressSink.NONE);
        assertEquals(dev.kiln.model.SourceFormat.PPROF, back.format());
        assertEquals(factsEvents("jdk17-mixed.facts.txt", "jdk.ExecutionSample"),
                dev.kiln.analysis.FunctionTotals.of(back, back.defaultValueType()).grandTotal());
        assertTrue(fx(window::statusMessage).startsWith("Exported jdk17-mixed.jfr"), fx(window::statusMessage));
    }

    /** File > Export refuses to write over the capture it shows, and says why; the capture is unchanged. */
    @Test
    void exportNeverWritesOverTheCapture() throws Exception {
        Path copy = dir.resolve("copy.jfr");
        java.nio.file.Files.copy(MIXED, copy);
        byte[] before = java.nio.file.Files.readAllBytes(copy);
        CaptureTab tab = fx(() -> window.open(copy));
        awaitLoaded(tab);
        javafx.concurrent.Task<Path> task = fx(() -> window.export(tab, "collapsed", copy));
        awaitFx(task::isDone);
        assertEquals(javafx.concurrent.Worker.State.FAILED, fx(task::getState));
        assertTrue(fx(window::statusMessage).contains("never writes over its input"), fx(window::statusMessage));
        assertTrue(java.util.Arrays.equals(before, java.nio.file.Files.readAllBytes(copy)));
    }

    /** Right-click > Save as image writes the flame graph on screen as a well-formed SVG naming its hottest frame. */
    @Test
    void flameGraphSavesAsImage() throws Exception {
        CaptureTab tab = fx(() -> window.open(MIXED));
        awaitLoaded(tab);
        assertTrue(fx(() -> tab.selectView("flame")));
        awaitFx(() -> tab.viewNode("flame") instanceof FlameTab f && f.view().tree() != null);
        FlameTab flame = (FlameTab) fx(() -> tab.viewNode("flame"));
        Path svg = dir.resolve("flame.svg");
        javafx.concurrent.Task<Path> task = fx(() -> flame.saveImage("svg", svg));
        awaitFx(task::isDone);
        assertEquals(javafx.concurrent.Worker.State.SUCCEEDED, fx(task::getState));
        javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        assertTrue(Files.readString(svg).contains("MixedWorkload$Fractal.mixHeavy"));
    }

    /** File > Export as an HTML report: one self-contained page naming the capture, with no outside resources. */
    @Test
    void exportHtmlReportFromTheApp() throws Exception {
        CaptureTab tab = fx(() -> window.open(MIXED));
        awaitLoaded(tab);
        Path out = dir.resolve("mixed.html");
        javafx.concurrent.Task<Path> task = fx(() -> window.export(tab, "html", out));
        awaitFx(task::isDone);
        assertEquals(javafx.concurrent.Worker.State.SUCCEEDED, fx(task::getState), String.valueOf(fx(task::getException)));
        String html = Files.readString(out);
        assertTrue(html.contains("jdk17-mixed.jfr"));
        assertTrue(!html.matches("(?s).*(src|href)=\"https?://.*"), "no outside resources");
    }
}
