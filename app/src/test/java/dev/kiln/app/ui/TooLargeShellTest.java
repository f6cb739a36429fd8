// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import dev.kiln.model.Profile;
import dev.kiln.testutil.FactsFile;
import dev.kiln.views.overview.OverviewView;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.GridPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import static dev.kiln.app.ui.ShellTest.all;
import static dev.kiln.app.ui.ShellTest.awaitFx;
import static dev.kiln.app.ui.ShellTest.awaitLoaded;
import static dev.kiln.app.ui.ShellTest.awaitOverview;
import static dev.kiln.app.ui.ShellTest.fx;
import static dev.kiln.app.ui.ShellTest.labelWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A recording too large for the heap (the heap Kiln assumes is capped with {@code -Dkiln.memoryLimit}), opened the
 * way a user opens it: the banner says so, "Open CPU samples only" then gives the CPU flame graph with every
 * execution sample, a notice, and the Overview still counts every event type.
 */
@ExtendWith(ApplicationExtension.class)
class TooLargeShellTest {
    static final String NAME = "jdk17-multichunk.jfr";

    @TempDir
    Path dir;
    MainWindow window;

    @Start
    void start(Stage stage) {
        window = new MainWindow(stage, new RecentFiles(dir.resolve("recent.txt")));
        stage.show();
    }

    @AfterEach
    void clearLimit() {
        System.clearProperty("kiln.memoryLimit");
    }

    /**
     * Caps the heap Kiln assumes at what is in use now plus three times the file: below what a whole load needs
     * (three times the file plus the chunks in flight), well above what its CPU samples need (an eighth of the file
     * plus the chunks), with a few MB of slack either way for the heap the test itself uses meanwhile.
     */
    static void limitBetweenCpuOnlyAndWhole(Path file) throws Exception {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        System.setProperty("kiln.memoryLimit", String.valueOf(used + 3 * Files.size(file)));
    }

    @Test
    void aRecordingTooLargeForTheHeapOffersItsCpuSamplesAndTheyOpen() throws Exception {
        Path file = ShellTest.CAPTURES.resolve("jfr").resolve(NAME);
        FactsFile facts = new FactsFile(ShellTest.CAPTURES.resolve("jfr").resolve(NAME.replace(".jfr", ".facts.txt")));
        Map<String, Long> factCounts = new HashMap<>();
        for (FactsFile.Row r : facts.section("event").rows()) factCounts.put(r.name(), r.getLong("count"));
        long cpuSamples = factCounts.get("jdk.ExecutionSample");
        try {
            limitBetweenCpuOnlyAndWhole(file);
            CaptureTab tab = fx(() -> window.open(file));
            awaitLoaded(tab);
            assertEquals(CaptureTab.State.FAILED, fx(tab::state), "refused whole");

            Label title = fx(() -> labelWith(tab.getContent(), l -> l.getStyleClass().contains("error-title")));
            assertNotNull(title, "error banner title");
            assertTrue(fx(title::getText).contains(NAME) && fx(title::getText).contains("too large"), fx(title::getText));
            Label reason = fx(() -> labelWith(tab.getContent(), l -> l.getStyleClass().contains("error-reason")));
            String why = fx(reason::getText).toLowerCase(Locale.ROOT);
            assertTrue(why.contains("memory") && why.contains("cpu samples only"), why);
            assertTrue(fx(tab::error).contains(NAME), fx(tab::error));

            Button cpuOnly = fx(() -> (Button) all(tab.getContent()).stream()
                    .filter(n -> "open-cpu-only".equals(n.getId())).findFirst().orElse(null));
            assertNotNull(cpuOnly, "the banner offers the CPU samples");
            assertEquals("Open CPU samples only", fx(cpuOnly::getText));
            limitBetweenCpuOnlyAndWhole(file); // measured again: the failed load and the banner left garbage behind
            fx(() -> { cpuOnly.fire(); return null; });
            awaitLoaded(tab);
            assertEquals(CaptureTab.State.READY, fx(tab::state), fx(tab::error));

            // the notice says only the CPU samples were loaded
            Node notice = fx(() -> tab.notices().stream().filter(n -> all(n).stream().anyMatch(c -> "cpu-only-ok".equals(c.getId())))
                    .findFirst().orElse(null));
            assertNotNull(notice, "CPU-only notice");
            Label noticeText = fx(() -> labelWith(notice, l -> l.getText().contains("CPU samples")));
            assertNotNull(noticeText, "notice text");
            assertTrue(fx(noticeText::getText).contains(NAME), fx(noticeText::getText));

            // the Overview lists every event type of the file with the facts' counts, not only the CPU samples
            OverviewView ov = awaitOverview(tab);
            Map<String, String> shown = fx(() -> eventCountsShown(ov));
            assertEquals(factCounts.size(), shown.size(), "event types listed: " + shown.keySet());
            for (String type : new String[] {"jdk.ExecutionSample", "jdk.ObjectAllocationSample", "jdk.JavaMonitorWait", "jdk.NativeMethodSample"}) {
                assertEquals(String.format(Locale.ROOT, "%,d", factCounts.get(type)), shown.get(type), type);
            }

            // the flame graph's root holds every execution sample
            assertTrue(fx(() -> tab.selectView("flame")));
            awaitFx(() -> tab.viewNode("flame") instanceof FlameTab f && f.view().tree() != null);
            FlameTab flame = (FlameTab) fx(() -> tab.viewNode("flame"));
            assertEquals(cpuSamples, fx(() -> flame.view().tree().rootTotal()));
        } finally {
            System.clearProperty("kiln.memoryLimit");
        }
    }

    @Test
    void theLatestPartThatFitsOpensWithEverythingOfItsChunks() throws Exception {
        Path file = ShellTest.CAPTURES.resolve("jfr").resolve(NAME);
        long allSamples = new FactsFile(ShellTest.CAPTURES.resolve("jfr").resolve(NAME.replace(".jfr", ".facts.txt")))
                .section("event").rows().stream().filter(r -> r.name().equals("jdk.ExecutionSample")).findFirst().orElseThrow().getLong("count");
        try {
            limitBetweenCpuOnlyAndWhole(file);
            CaptureTab tab = fx(() -> window.open(file));
            awaitLoaded(tab);
            assertEquals(CaptureTab.State.FAILED, fx(tab::state), "refused whole");
            Button latest = fx(() -> (Button) all(tab.getContent()).stream()
                    .filter(n -> "open-latest".equals(n.getId())).findFirst().orElse(null));
            assertNotNull(latest, "the banner offers the latest part");
            limitBetweenCpuOnlyAndWhole(file);
            fx(() -> { latest.fire(); return null; });
            awaitLoaded(tab);
            assertEquals(CaptureTab.State.READY, fx(tab::state), fx(tab::error));

            Node notice = fx(() -> tab.notices().stream().filter(n -> all(n).stream().anyMatch(c -> "latest-ok".equals(c.getId())))
                    .findFirst().orElse(null));
            assertNotNull(notice, "latest-part notice");
            Label noticeText = fx(() -> labelWith(notice, l -> l.getText().contains("only the last")));
            assertNotNull(noticeText, "notice says how many chunks");

            // its flame graph holds the part's execution samples: some, not all, and as many as the part counts
            Profile p = fx(tab::profile);
            long part = p.eventCounts().get("jdk.ExecutionSample");
            assertTrue(part > 0 && part < allSamples, part + " of " + allSamples);
            assertTrue(fx(() -> tab.selectView("flame")));
            awaitFx(() -> tab.viewNode("flame") instanceof FlameTab f && f.view().tree() != null);
            FlameTab flame = (FlameTab) fx(() -> tab.viewNode("flame"));
            assertEquals(part, fx(() -> flame.view().tree().rootTotal()));
        } finally {
            System.clearProperty("kiln.memoryLimit");
        }
    }

    @Test
    void whenEvenTheCpuSamplesDoNotFitTheBannerSaysSoAndOffersNothingMore() throws Exception {
        Path file = ShellTest.CAPTURES.resolve("jfr").resolve(NAME);
        try {
            limitBetweenCpuOnlyAndWhole(file);
            CaptureTab tab = fx(() -> window.open(file));
            awaitLoaded(tab);
            assertEquals(CaptureTab.State.FAILED, fx(tab::state), "refused whole");
            Button cpuOnly = fx(() -> (Button) all(tab.getContent()).stream()
                    .filter(n -> "open-cpu-only".equals(n.getId())).findFirst().orElseThrow());
            System.setProperty("kiln.memoryLimit", "1"); // nothing free, whatever the collector frees meanwhile
            fx(() -> { cpuOnly.fire(); return null; });
            awaitLoaded(tab);
            assertEquals(CaptureTab.State.FAILED, fx(tab::state));
            Label reason = fx(() -> labelWith(tab.getContent(), l -> l.getStyleClass().contains("error-reason")));
            assertTrue(fx(reason::getText).startsWith("Even its CPU samples alone need about"), fx(reason::getText));
            assertTrue(fx(() -> all(tab.getContent()).stream().noneMatch(n -> "open-cpu-only".equals(n.getId()))), "not offered again");
            Label title = fx(() -> labelWith(tab.getContent(), l -> l.getStyleClass().contains("error-title")));
            assertEquals("Could not open " + NAME, fx(title::getText));
        } finally {
            System.clearProperty("kiln.memoryLimit");
        }
    }

    /** Event type -> count text of the Overview's "All event types" table. */
    private static Map<String, String> eventCountsShown(OverviewView ov) {
        TitledPane pane = (TitledPane) all(ov).stream()
                .filter(n -> n instanceof TitledPane t && t.getText().startsWith("All event types")).findFirst().orElseThrow();
        GridPane g = (GridPane) pane.getContent();
        Map<Integer, String> names = new HashMap<>(), counts = new HashMap<>();
        for (Node n : g.getChildren()) {
            Integer row = GridPane.getRowIndex(n), col = GridPane.getColumnIndex(n);
            if (!(n instanceof Label l) || row == null) continue;
            (col == null || col == 0 ? names : counts).put(row, l.getText());
        }
        Map<String, String> out = new HashMap<>();
        names.forEach((row, name) -> out.put(name, counts.get(row)));
        return out;
    }
}
