// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.graph;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.graph.CallGraph;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.views.common.CanvasPalette;
import dev.kiln.views.common.CanvasTheme;
import dev.kiln.views.common.RecordingSurface;
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

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Graph view on cpu-regressed.pb.gz with 20 nodes, the graph {@code go tool pprof -dot -nodecount=20} draws
 * ({@code captures/pprof/cpu-regressed.graph20.dot}): the painted labels are its nodes' names and values, a click on a
 * box focuses the graph on that function, the search outlines matches, and the dark theme paints on a dark ground.
 */
@ExtendWith(ApplicationExtension.class)
class GraphViewTest {
    private GraphView view;

    @Start
    void start(Stage stage) {
        view = new GraphView();
        stage.setScene(new Scene(view, 1400, 900));
        stage.show();
    }

    private GraphView.Data show(FxRobot robot) {
        Profile p = TestProfiles.load(TestProfiles.CAPTURES.resolve("pprof/cpu-regressed.pb.gz"));
        GraphView.Data d = GraphView.Data.compute(p, null, Filter.NONE, null, 20, ProgressSink.NONE);
        robot.interact(() -> view.setData(d));
        WaitForAsyncUtils.waitForFxEvents();
        return d;
    }

    private List<String> paintedTexts(FxRobot robot) {
        RecordingSurface s = new RecordingSurface(view.canvas().getWidth(), view.canvas().getHeight(), 5);
        robot.interact(() -> view.canvas().paint(s));
        return s.texts().stream().map(RecordingSurface.Op::text).toList();
    }

    @Test
    void paintsPprofsNodesWithTheirFlatAndCum(FxRobot robot) {
        GraphView.Data d = show(robot);
        // go tool pprof -dot -nodecount=20: these eight boxes (the rest of the budget goes to label nodelets)
        assertEquals(List.of("runtime/pprof.Do", "main.worker", "main.computeHash", "main.parsePayload", "main.walkTree",
                "main.rankResults.func1", "sort.partition_func", "sort.pdqsort_func"), d.graph().nodes().stream().map(CallGraph.Node::name).toList());
        List<String> texts = paintedTexts(robot);
        for (String s : List.of("computeHash", "parsePayload", "walkTree", "pdqsort_func", "worker", "2.83 s (42.05%)", "of 2.84 s (42.20%)",
                "0 of 6.68 s (99.26%)", "6.67 s")) {
            assertTrue(texts.contains(s), s + " is painted: " + texts);
        }
        assertTrue(view.statusLabel().getText().contains("Showing top 8 nodes out of 32"), view.statusLabel().getText());
    }

    @Test
    void clickingABoxFocusesOnItsFunction(FxRobot robot) {
        GraphView.Data d = show(robot);
        int walk = d.graph().indexOf("main.walkTree");
        double[] c = view.canvas().centreOf(walk);
        Point2D onScreen = view.canvas().localToScreen(c[0], c[1]);
        robot.clickOn(onScreen);
        try {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> view.getData().focus() != null);
        } catch (Exception e) {
            throw new AssertionError("no focus after the click", e);
        }
        GraphView.Data f = view.getData();
        assertEquals("main.walkTree", f.focus());
        assertEquals("main.walkTree", view.functionProperty().get());
        CallGraph.Node n = f.graph().nodes().get(f.graph().indexOf("main.walkTree"));
        assertEquals(f.graph().total(), n.cum(), "every kept stack goes through the focus");
        assertTrue(f.graph().indexOf("main.computeHash") < 0);
        assertTrue(!view.clearFocusButton().isDisabled());
    }

    @Test
    void searchOutlinesMatchesAndTheDarkThemeIsDark(FxRobot robot) {
        show(robot);
        robot.interact(() -> view.searchField().setText("sort\\."));
        assertEquals("2 of 8 functions match", view.statusLabel().getText());
        robot.interact(() -> CanvasTheme.setDark(true));
        try {
            RecordingSurface s = new RecordingSurface(view.canvas().getWidth(), view.canvas().getHeight(), 5);
            robot.interact(() -> view.canvas().paint(s));
            assertEquals(CanvasPalette.DARK.background(), s.rects().get(0).fill());
            long outlined = s.ops().stream().filter(o -> o.kind() == RecordingSurface.Kind.STROKE_RECT && o.lineWidth() == 3).count();
            assertEquals(2, outlined, "the two sort functions are outlined");
        } finally {
            robot.interact(() -> CanvasTheme.setDark(false));
        }
    }
}
