// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import dev.kiln.views.common.CanvasPalette;
import dev.kiln.views.common.CanvasTheme;
import dev.kiln.views.common.RecordingSurface;
import dev.kiln.views.common.RecordingSurface.Op;
import dev.kiln.views.flame.FlameGraphView;
import dev.kiln.views.locks.LockGraphView;
import dev.kiln.views.locks.LocksView;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;
import java.util.List;

import static dev.kiln.app.ui.ShellTest.MIXED;
import static dev.kiln.app.ui.ShellTest.all;
import static dev.kiln.app.ui.ShellTest.awaitFx;
import static dev.kiln.app.ui.ShellTest.awaitLoaded;
import static dev.kiln.app.ui.ShellTest.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * View &gt; Theme reaches the canvas views: on jdk17-mixed.jfr opened through the app, choosing Dark repaints the flame
 * graph and the lock graph on a dark background with labels that contrast with what they are drawn on (WCAG ratio
 * at least 4.5), and Light brings the white background back.
 */
@ExtendWith(ApplicationExtension.class)
class DarkCanvasTest {
    /** WCAG AA for normal text. */
    static final double MIN_CONTRAST = 4.5;

    @TempDir
    Path dir;
    MainWindow window;

    @Start
    void start(Stage stage) {
        window = new MainWindow(stage, new RecentFiles(dir.resolve("recent.txt")));
        stage.show();
    }

    @AfterEach
    void light() throws Exception {
        fx(() -> { CanvasTheme.setDark(false); return null; }); // the palette is application-wide
    }

    private void choose(String id) throws Exception {
        fx(() -> {
            ((RadioMenuItem) window.themeMenu().getItems().stream().filter(i -> id.equals(i.getId())).findFirst().orElseThrow()).fire();
            return null;
        });
    }

    private static RecordingSurface record(javafx.scene.Node view, java.util.function.Consumer<RecordingSurface> paint) throws Exception {
        return fx(() -> {
            RecordingSurface s = new RecordingSurface(Math.max(400, view.getLayoutBounds().getWidth()), Math.max(300, view.getLayoutBounds().getHeight()), 7);
            paint.accept(s);
            return s;
        });
    }

    /** The fill of the first call: the background over the whole surface. */
    private static Color background(RecordingSurface s) {
        Op first = s.ops().get(0);
        assertEquals(RecordingSurface.Kind.FILL_RECT, first.kind());
        assertEquals(0, first.x());
        assertEquals(0, first.y());
        assertEquals(s.width(), first.w());
        return first.fill();
    }

    /**
     * For every label: the colour of the last rectangle drawn before it that contains the label's start (its box,
     * or the background) and its contrast with the label's colour. Returns how many labels were checked.
     */
    private static int assertLabelsContrast(RecordingSurface s) {
        List<Op> ops = s.ops();
        int checked = 0;
        for (int i = 0; i < ops.size(); i++) {
            Op t = ops.get(i);
            if (t.kind() != RecordingSurface.Kind.TEXT) continue;
            Color under = null;
            for (int j = i - 1; j >= 0 && under == null; j--) {
                Op r = ops.get(j);
                if (r.kind() == RecordingSurface.Kind.FILL_RECT && t.x() >= r.x() && t.x() < r.x() + r.w()
                        && t.y() - 4 >= r.y() && t.y() - 4 < r.y() + r.h()) under = r.fill();
            }
            assertTrue(under != null, "something under " + t.text());
            double c = CanvasPalette.contrast(t.fill(), under);
            assertTrue(c >= MIN_CONTRAST, String.format("label '%s' %s on %s: contrast %.2f", t.text(), t.fill(), under, c));
            checked++;
        }
        return checked;
    }

    private static boolean isDark(Color c) { return CanvasPalette.luminance(c) < 0.05; }

    @Test
    void darkThemeRepaintsTheFlameGraphAndTheLockGraph() throws Exception {
        CaptureTab tab = fx(() -> window.open(MIXED));
        awaitLoaded(tab);
        assertTrue(fx(() -> tab.selectView("flame")));
        awaitFx(() -> tab.viewNode("flame") instanceof FlameTab f && f.view().tree() != null);
        FlameGraphView flame = fx(() -> ((FlameTab) tab.viewNode("flame")).view());
        Canvas canvas = fx(() -> (Canvas) all(flame).stream().filter(n -> n instanceof Canvas).findFirst().orElseThrow());
        // the flame graph lays its boxes out for its canvas's size: wait for the layout pass that gives it one (failed
        // in CI with no label painted when painted before it)
        awaitFx(() -> canvas.getWidth() >= 400 && canvas.getHeight() >= 200);

        RecordingSurface light = record(flame, flame::paint);
        assertEquals(Color.WHITE, background(light));

        choose("theme-dark");
        RecordingSurface dark = record(flame, flame::paint);
        Color bg = background(dark);
        assertTrue(isDark(bg), "dark background, was " + bg);
        int labels = assertLabelsContrast(dark);
        assertTrue(labels >= 5, "labels checked: " + labels);
        assertTrue(dark.texts().stream().anyMatch(t -> t.text().startsWith("all (")), "the root box is labelled");
        // The canvas itself was repainted at once (no resize, no other change): the gap under the root box at the
        // right edge shows the background.
        awaitFx(() -> {
            Color px = canvas.snapshot(null, null).getPixelReader().getColor((int) canvas.getWidth() - 1, 17);
            return isDark(px);
        });

        assertTrue(fx(() -> tab.selectView("locks")));
        awaitFx(() -> tab.viewNode("locks") instanceof LocksView v && v.getData() != null);
        // through the view, not the scene graph: the SplitPane holding it gets its skin (children) a pulse later
        LockGraphView graph = fx(() -> ((LocksView) tab.viewNode("locks")).graph());
        // the graph lays its boxes out for its own size: wait for the layout pass that gives it one (failed once in CI
        // when painted before it, with only the column headings fitting)
        awaitFx(() -> graph.getWidth() >= 400 && graph.getHeight() >= 200);
        RecordingSurface locksDark = record(graph, graph::paint);
        assertTrue(isDark(background(locksDark)), "lock graph background " + background(locksDark));
        int lockLabels = assertLabelsContrast(locksDark);
        assertTrue(lockLabels >= 3, "lock graph labels checked: " + lockLabels + " (jdk17-mixed has contended locks)");

        choose("theme-light");
        assertEquals(Color.WHITE, background(record(flame, flame::paint)));
        assertEquals(Color.WHITE, background(record(graph, graph::paint)));
        awaitFx(() -> canvas.snapshot(null, null).getPixelReader().getColor((int) canvas.getWidth() - 1, 17).equals(Color.WHITE));
    }
}
