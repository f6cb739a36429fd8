// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.diff;

import dev.kiln.analysis.diff.Diff;
import dev.kiln.analysis.tree.CallTree;
import dev.kiln.views.flame.FlameGraphView;
import dev.kiln.views.tree.TestProfiles;
import javafx.geometry.Point2D;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The side-by-side mode of the diff view on the JDK 17 diff pair (CORPUS-README: computeChecksum regressed). */
@ExtendWith(ApplicationExtension.class)
class SideBySideDiffTest {
    private DiffView view;

    @Start
    void start(Stage stage) {
        view = new DiffView();
        stage.setScene(new Scene(view, 1500, 900));
        stage.show();
    }

    static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(30, TimeUnit.SECONDS);
    }

    @Test
    void zoomingComputeChecksumInOnePaneZoomsTheOtherToTheSamePath(FxRobot robot) throws Exception {
        long baseSamples = Long.parseLong(DiffViewTest.fact("jdk17-diff-baseline.facts.txt", "^== jdk\\.ExecutionSample: events=(\\d+)"));
        long targetSamples = Long.parseLong(DiffViewTest.fact("jdk17-diff-regressed.facts.txt", "^== jdk\\.ExecutionSample: events=(\\d+)"));
        Diff d = Diff.of(DiffViewTest.baseline(), DiffViewTest.regressed(), Diff.Options.DEFAULT);
        robot.interact(() -> view.setDiff(d));
        assertEquals(null, view.sideBySide(), "the differential graph is the default");
        robot.interact(() -> view.setSideBySide(true));
        WaitForAsyncUtils.waitForFxEvents();
        SideBySideFlames sides = view.sideBySide();
        FlameGraphView base = sides.baseView(), target = sides.targetView();
        assertEquals(baseSamples, base.tree().rootTotal(), "left pane is the baseline");
        assertEquals(targetSamples, target.tree().rootTotal(), "right pane is the regressed run");

        // Zoom the base to computeChecksum's heaviest box: the target follows to the same call path.
        int node = fx(() -> base.focusFunction(DiffViewTest.CHECKSUM));
        assertTrue(node > 0);
        String[] path = base.tree().path(node);
        assertEquals(DiffViewTest.CHECKSUM, path[path.length - 1]);
        CallTree tt = target.tree();
        assertNotEquals(0, target.zoomRoot());
        assertArrayEquals(path, tt.path(target.zoomRoot()), "target zoomed to " + Arrays.toString(tt.path(target.zoomRoot())));
        assertEquals(DiffViewTest.CHECKSUM, target.selectedFunctionProperty().get(), "selection follows");
        assertEquals("", sides.targetNote());
        assertTrue(tt.total(target.zoomRoot()) > base.tree().total(node), "the regressed run spends more there");

        // Vertical scroll follows.
        robot.interact(() -> target.setScrollOffset(target.scrollOffset() + 20));
        assertEquals(target.scrollOffset(), base.scrollOffset(), 1e-9);

        // A real double-click on the target resets its zoom, and the base's with it.
        // Zoomed to computeChecksum's caller, both sides show it beside its siblings (the screenshot).
        robot.interact(() -> base.zoomTo(base.tree().parent(node)));
        assertArrayEquals(base.tree().path(base.zoomRoot()), tt.path(target.zoomRoot()));
        robot.interact(() -> {
            view.applyCss();
            view.layout();
            base.redrawNow();
            target.redrawNow();
            TestProfiles.screenshot(view, "screenshot-diff-side-by-side.png");
        });
        Point2D p = fx(() -> target.localToScreen(target.getWidth() / 2, target.getHeight() - 20));
        robot.doubleClickOn(p);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0, target.zoomRoot());
        assertEquals(0, base.zoomRoot());

        // Back to the differential graph.
        robot.interact(() -> view.setSideBySide(false));
        assertTrue(view.legendTexts().stream().anyMatch(l -> l.startsWith("Red: grew")));
    }

    @Test
    void findMatchesTheLongestPrefix() {
        CallTree t = Diff.of(DiffViewTest.baseline(), DiffViewTest.regressed(), Diff.Options.DEFAULT).targetTree();
        int leaf = -1;
        for (int n = 1; n < t.size(); n++) if (t.name(n).equals(DiffViewTest.CHECKSUM)) { leaf = n; break; }
        String[] path = t.path(leaf);
        assertArrayEquals(new int[] {leaf, path.length}, SideBySideFlames.find(t, path));
        String[] longer = Arrays.copyOf(path, path.length + 1);
        longer[path.length] = "no.such.Function";
        assertArrayEquals(new int[] {leaf, path.length}, SideBySideFlames.find(t, longer));
        assertArrayEquals(new int[] {0, 0}, SideBySideFlames.find(t, new String[] {"no.such.Function"}));
    }
}
