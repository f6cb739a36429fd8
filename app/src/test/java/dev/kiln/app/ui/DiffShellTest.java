// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import dev.kiln.analysis.diff.DiffTree;
import dev.kiln.analysis.diff.Status;
import dev.kiln.views.common.RecordingSurface;
import dev.kiln.views.diff.DiffGeometry;
import dev.kiln.views.diff.DiffPainter;
import dev.kiln.views.diff.DiffView;
import javafx.scene.control.Label;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.kiln.app.ui.ShellTest.CAPTURES;
import static dev.kiln.app.ui.ShellTest.awaitFx;
import static dev.kiln.app.ui.ShellTest.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Comparing captures in the shell: {@code openDiff}, a two-file drop and a drop on an open capture's compare
 * target each open one diff tab; the regressed function of the JDK 17 diff pair (its self samples read from
 * both facts files) is the top GREW row and its box is red; a damaged file shows the usual error banner.
 */
@ExtendWith(ApplicationExtension.class)
class DiffShellTest {
    static final Path BASE = CAPTURES.resolve("jfr/jdk17-diff-baseline.jfr");
    static final Path TARGET = CAPTURES.resolve("jfr/jdk17-diff-regressed.jfr");
    static final String CHECKSUM = "DiffWorkload.computeChecksum";

    @TempDir
    Path dir;
    MainWindow window;

    @Start
    void start(Stage stage) {
        window = new MainWindow(stage, new RecentFiles(dir.resolve("recent.txt")));
        stage.show();
    }

    static long selfSamples(String facts, String method) throws Exception {
        Matcher m = Pattern.compile("^\\s+" + Pattern.quote(method) + "\\s+samples=(\\d+)", Pattern.MULTILINE)
                .matcher(Files.readString(CAPTURES.resolve("jfr").resolve(facts)));
        assertTrue(m.find(), method + " in " + facts);
        return Long.parseLong(m.group(1));
    }

    static void awaitDone(DiffTab tab) throws Exception {
        awaitFx(() -> tab.state() != CaptureTab.State.LOADING);
    }

    @Test
    void openDiffShowsTheRegressedFunctionAsTopGrewRowInRed() throws Exception {
        long b = selfSamples("jdk17-diff-baseline.facts.txt", CHECKSUM);
        long t = selfSamples("jdk17-diff-regressed.facts.txt", CHECKSUM);
        DiffTab tab = fx(() -> window.openDiff(BASE, TARGET));
        awaitDone(tab);
        assertEquals(CaptureTab.State.READY, fx(tab::state), fx(tab::error));
        assertEquals("jdk17-diff-baseline.jfr \u21c4 jdk17-diff-regressed.jfr", fx(tab::getText));
        assertEquals(1, fx(() -> window.tabs().getTabs().size()));
        DiffView view = tab.view();
        assertEquals(view, fx(tab::getContent));
        DiffView.DeltaRow top = fx(() -> view.functionTable().getItems().stream()
                .filter(r -> r.change().status() == Status.GREW).findFirst().orElse(null));
        assertNotNull(top);
        assertEquals(CHECKSUM, top.name());
        assertEquals(t - b, top.change().delta(), 1e-9);
        assertTrue(fx(window::statusInfo).contains("cpu/samples"), fx(window::statusInfo));

        // The flame painter colours the function's widest box red.
        RecordingSurface s = new RecordingSurface(1400, 800, 7);
        DiffGeometry g = fx(() -> { view.flameGraph().paint(s); return view.flameGraph().geometry(); });
        DiffTree tree = g.tree();
        int node = -1;
        for (int n = 1; n < tree.size(); n++) {
            if (tree.name(n).equals(CHECKSUM) && (node < 0 || tree.targetTotal(n) > tree.targetTotal(node))) node = n;
        }
        int box = g.boxOf(node);
        assertTrue(box >= 0);
        double x = g.x(box), y = g.depth(box) * DiffPainter.ROW_HEIGHT;
        Color fill = s.rects().stream().filter(o -> o.x() == x && o.y() == y).findFirst().orElseThrow().fill();
        assertTrue(fill.getRed() > fill.getBlue() + 0.3, "red: " + fill);
        assertTrue(fx(view::legendTexts).stream().anyMatch(l -> l.contains("Red: grew")));
    }

    @Test
    void twoDroppedFilesOpenOneDiffTab() throws Exception {
        List<javafx.scene.control.Tab> opened = fx(() -> window.openDropped(List.of(BASE.toFile(), TARGET.toFile())));
        assertEquals(1, opened.size());
        assertEquals(1, fx(() -> window.tabs().getTabs().size()));
        DiffTab tab = (DiffTab) opened.get(0);
        assertEquals(BASE, tab.base());
        assertEquals(TARGET, tab.target());
        awaitDone(tab);
        assertEquals(CaptureTab.State.READY, fx(tab::state), fx(tab::error));
    }

    @Test
    void oneFileDroppedOnAnOpenCaptureComparesWithIt() throws Exception {
        CaptureTab open = fx(() -> window.open(BASE));
        awaitFx(() -> open.state() != CaptureTab.State.LOADING);
        List<javafx.scene.control.Tab> opened = fx(() -> window.dropOnCapture(open, List.of(TARGET.toFile())));
        assertEquals(1, opened.size());
        DiffTab tab = (DiffTab) opened.get(0);
        awaitDone(tab);
        assertEquals(CaptureTab.State.READY, fx(tab::state), fx(tab::error));
        assertEquals(BASE, tab.base());
        // The open capture's profile is reused, not loaded again.
        assertTrue(fx(() -> tab.view().diff().base()) == open.profile());
        assertEquals(2, fx(() -> window.tabs().getTabs().size()));
    }

    @Test
    void aDamagedFileShowsTheErrorBanner() throws Exception {
        Path bad = CAPTURES.resolve("bad/corrupt-middle.jfr");
        DiffTab tab = fx(() -> window.openDiff(BASE, bad));
        awaitDone(tab);
        assertEquals(CaptureTab.State.FAILED, fx(tab::state));
        assertTrue(fx(tab::error).startsWith("Could not open corrupt-middle.jfr: "), fx(tab::error));
        Label title = fx(() -> ShellTest.labelWith(tab.getContent(), l -> l.getStyleClass().contains("error-title")));
        assertEquals("Could not open corrupt-middle.jfr", fx(title::getText));
    }
}
