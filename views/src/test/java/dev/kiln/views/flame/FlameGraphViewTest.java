// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.flame;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.FunctionTotals;
import dev.kiln.analysis.Weight;
import dev.kiln.analysis.jvm.ThrownExceptions;
import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.analysis.tree.CallTree;
import dev.kiln.model.Units;
import javafx.geometry.Point2D;
import javafx.scene.Scene;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.controlsfx.control.BreadCrumbBar;
import org.controlsfx.control.SegmentedButton;
import org.controlsfx.control.textfield.CustomTextField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ApplicationExtension.class)
class FlameGraphViewTest {
    FlameGraphView view;

    @Start
    void start(Stage stage) {
        view = new FlameGraphView();
        stage.setScene(new Scene(view, 1200, 700));
        stage.show();
    }

    void showMixed(FxRobot robot) throws Exception {
        CallTree t = Fixture.mixedCpuTree();
        robot.interact(() -> view.setTree(t));
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** The zoom path's buttons, read on the FX thread (reading them lays the bar out). */
    List<javafx.scene.control.Button> crumbs() throws Exception { return WaitForAsyncUtils.asyncFx(view::crumbs).get(); }

    Canvas canvas(FxRobot robot) { return robot.lookup(n -> n instanceof Canvas).queryAs(Canvas.class); }

    /** Screen point of the centre of the box of {@code node} at the view's current zoom. */
    Point2D centreOf(FxRobot robot, int node) {
        Canvas c = canvas(robot);
        FlameRows rows = new FlameRows(FlamePainter.ROW_HEIGHT, c.getHeight(), view.isIcicle(), 0);
        FlameGeometry g = FlameGeometry.compute(view.model().layout(), view.zoomRoot(), c.getWidth(), 0, 200);
        for (int i = 0; i < g.size(); i++) {
            if (g.node(i) == node) return c.localToScreen(g.x(i) + g.width(i) / 2, rows.y(g.depth(i)) + rows.rowHeight() / 2);
        }
        throw new AssertionError("node " + node + " not drawn");
    }

    /** The widest node at {@code depth}. */
    static int widestAt(CallTree t, int depth) {
        int best = -1;
        for (int n = 0; n < t.size(); n++) if (t.depth(n) == depth && (best < 0 || t.total(n) > t.total(best))) best = n;
        return best;
    }

    @Test
    void searchHighlightsAndReportsTheShareOfMixHeavy(FxRobot robot) throws Exception {
        showMixed(robot);
        CallTree t = view.tree();
        FunctionTotals ft = FunctionTotals.of(Fixture.mixed(), t.weight().type());
        assertEquals(1, ft.byTotal().stream().filter(r -> r.name().contains("mixHeavy")).count(), "one function matches");
        long expected = ft.row("MixedWorkload$Fractal.mixHeavy").total();
        assertEquals(Fixture.mixedExecutionSamples(), t.rootTotal());

        robot.interact(() -> view.setSearch("mixHeavy"));
        assertEquals(expected, view.matchedTotal());
        assertEquals("matched: " + Units.percent(expected, t.rootTotal()) + " of total", view.matchedText());
        int highlighted = 0;
        for (boolean b : view.matched()) if (b) highlighted++;
        assertTrue(highlighted > 0);

        robot.interact(() -> view.setSearch(""));
        assertNull(view.matched());
        assertEquals("", view.matchedText());
    }

    @Test
    void clickZoomsBackspaceZoomsOutDoubleClickResets(FxRobot robot) throws Exception {
        showMixed(robot);
        CallTree t = view.tree();
        int node = widestAt(t, 3);
        AtomicReference<FlameGraphView.NodeSelection> selected = new AtomicReference<>();
        robot.interact(() -> view.setOnNodeSelected(selected::set));
        assertEquals(1, crumbs().size());

        robot.clickOn(centreOf(robot, node), MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(node, view.zoomRoot());
        assertEquals(4, crumbs().size(), "all > d1 > d2 > d3");
        assertNotNull(selected.get());
        assertEquals(node, selected.get().node());
        assertEquals(t.name(node), view.selectedFunctionProperty().get());

        robot.type(KeyCode.BACK_SPACE);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(t.parent(node), view.zoomRoot());
        assertEquals(3, crumbs().size());

        robot.clickOn(crumbs().get(0));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0, view.zoomRoot());

        robot.clickOn(centreOf(robot, node));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(node, view.zoomRoot());
        robot.doubleClickOn(centreOf(robot, widestAt(t, 1)));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0, view.zoomRoot());
    }

    @Test
    void hoverDescribesTheBox(FxRobot robot) throws Exception {
        showMixed(robot);
        CallTree t = view.tree();
        int node = widestAt(t, 2);
        robot.moveTo(centreOf(robot, node));
        WaitForAsyncUtils.waitForFxEvents();
        String text = view.hoverText();
        assertTrue(text.startsWith(t.label(node) + "\n"), text);
        assertTrue(text.contains("Total: " + FlamePainter.amount(t.total(node), t.weight().type())
                + " (" + Units.percent(t.total(node), t.rootTotal()) + " of all)"), text);
    }

    @Test
    void ctrlFFocusesSearchAndEscapeClearsIt(FxRobot robot) throws Exception {
        showMixed(robot);
        robot.clickOn(canvas(robot));
        robot.press(KeyCode.CONTROL).type(KeyCode.F).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        TextField search = robot.lookup(n -> n instanceof TextField).queryAs(TextField.class);
        assertTrue(search.isFocused());
        robot.write("spin");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(view.matchedTotal() > 0);
        robot.type(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("", search.getText());
        assertEquals(0, view.matchedTotal());
    }

    @Test
    void focusFunctionZoomsToItsHeaviestBox(FxRobot robot) throws Exception {
        showMixed(robot);
        AtomicReference<Integer> node = new AtomicReference<>();
        robot.interact(() -> node.set(view.focusFunction("MixedWorkload$Fractal.mixHeavy")));
        CallTree t = view.tree();
        assertEquals("MixedWorkload$Fractal.mixHeavy", t.name(node.get()));
        assertEquals(node.get().intValue(), view.zoomRoot());
        assertEquals("MixedWorkload$Fractal.mixHeavy", view.selectedFunctionProperty().get());
        for (int n = 0; n < t.size(); n++) {
            if (t.name(n).equals("MixedWorkload$Fractal.mixHeavy")) assertTrue(t.total(n) <= t.total(node.get()));
        }
    }

    @Test
    void setProfileBuildsInTheBackgroundAndInvertedRebuilds(FxRobot robot) throws Exception {
        var p = Fixture.mixed();
        robot.interact(() -> view.setProfile(p));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !view.busyProperty().get() && view.tree() != null);
        assertEquals("cpu/samples", view.weight().type().toString());
        assertEquals(Fixture.mixedExecutionSamples(), view.tree().rootTotal());
        assertTrue(!view.tree().isInverted());

        robot.interact(() -> view.setInverted(true));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !view.busyProperty().get() && view.tree().isInverted());
        assertEquals(Fixture.mixedExecutionSamples(), view.tree().rootTotal());
    }

    /** ControlsFX: the clearable search field, the orientation's SegmentedButton and the zoom path's BreadCrumbBar. */
    @Test
    void controlsFxSearchOrientationAndZoomPath(FxRobot robot) throws Exception {
        showMixed(robot);
        CallTree t = view.tree();
        CustomTextField search = robot.lookup(n -> n instanceof CustomTextField).queryAs(CustomTextField.class);
        robot.clickOn(search).write("mixHeavy");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(view.matchedTotal() > 0);
        robot.clickOn(search.getRight()); // the field's clear button
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("", search.getText());
        assertEquals(0, view.matchedTotal());
        assertEquals("", view.matchedText());

        SegmentedButton orientation = robot.lookup("#flame-orientation").queryAs(SegmentedButton.class);
        assertEquals(List.of("Icicle", "Flame"), orientation.getButtons().stream().map(b -> b.getText()).toList());
        robot.clickOn(orientation.getButtons().get(1));
        assertFalse(view.isIcicle());
        robot.clickOn(orientation.getButtons().get(1));
        assertFalse(view.isIcicle(), "a second click keeps one mode selected");
        robot.clickOn(orientation.getButtons().get(0));
        assertTrue(view.isIcicle());

        int node = widestAt(t, 3);
        robot.interact(() -> view.zoomTo(node));
        BreadCrumbBar<?> bar = robot.lookup("#flame-crumbs").queryAs(BreadCrumbBar.class);
        List<javafx.scene.control.Button> crumbs = crumbs();
        assertEquals(4, crumbs.size());
        assertTrue(crumbs.stream().allMatch(b -> b instanceof BreadCrumbBar.BreadCrumbButton && b.getParent() == bar));
        assertEquals("all", crumbs.get(0).getText());
        assertTrue(crumbs.get(3).isDisabled(), "the zoom root's crumb");
        robot.clickOn(crumbs.get(1));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(t.parent(t.parent(node)), view.zoomRoot(), "the crumb of depth 1");
        assertEquals(2, crumbs().size());
    }

    /**
     * The weight menu offers {@code exceptions/count} for a recording that threw (the held-out ZGC one): chosen there, the
     * root is every throwable per {@code jfr print --json} (the exception events less the error events, which the JDK
     * writes once more as exceptions, print/jdk17-zgc.throws.json.gz); a time range keeps the choice and recounts, to the
     * throwables whose events start in it.
     */
    @Test
    void exceptionsFromTheMenuSurviveATimeRange(FxRobot robot) throws Exception {
        Profile p = ProfileLoader.load(Fixture.CAPTURES.resolve("jfr/print/jdk17-zgc.jfr"), ProgressSink.NONE);
        List<long[]> throwsTruth = throwsOf(Fixture.CAPTURES.resolve("jfr/print/jdk17-zgc.throws.json.gz")); // {epoch ns, +1 or -1}
        long all = throwsTruth.stream().mapToLong(e -> e[1]).sum();
        robot.interact(() -> view.setProfile(p));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !view.busyProperty().get() && view.tree() != null);
        @SuppressWarnings("unchecked")
        ComboBox<Weight> menu = robot.lookup("#flame-weight").queryAs(ComboBox.class);
        assertTrue(menu.getItems().stream().anyMatch(w -> w.type().equals(ThrownExceptions.THROWN)), menu.getItems().toString());
        robot.clickOn(menu); // opens its list
        WaitForAsyncUtils.waitForFxEvents();
        ListView<?> list = robot.lookup(n -> n instanceof ListView<?> l && l.getItems().equals(menu.getItems())).queryAs(ListView.class);
        robot.interact(() -> { list.scrollTo(list.getItems().size() - 1); list.applyCss(); list.layout(); });
        robot.clickOn(list.lookupAll(".list-cell").stream().filter(n -> n instanceof ListCell<?> c && "exceptions/count".equals(c.getText())).findFirst().orElseThrow());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !view.busyProperty().get() && view.tree().weight().type().equals(ThrownExceptions.THROWN));
        assertEquals(all, view.tree().rootTotal());
        assertEquals(417 - 6, all, "jfr summary: 417 jdk.JavaExceptionThrow, 6 jdk.JavaErrorThrow");

        // a range from the middle of the throws to past their end, its start between two events
        long[] times = throwsTruth.stream().mapToLong(e -> e[0]).sorted().distinct().toArray();
        int mid = times.length / 2;
        long from = times[mid - 1] + (times[mid] - times[mid - 1]) / 2, to = times[times.length - 1] + 1;
        long inRange = throwsTruth.stream().filter(e -> e[0] >= from && e[0] < to).mapToLong(e -> e[1]).sum();
        Weight chosen = view.weight();
        robot.interact(() -> view.setFilter(Filter.NONE.withTimeRange(from, to)));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !view.busyProperty().get() && view.tree().filter().fromNanos() == from);
        assertEquals(chosen, view.weight());
        assertEquals(chosen, menu.getSelectionModel().getSelectedItem(), "still the menu's own item");
        assertEquals(ThrownExceptions.THROWN, view.tree().weight().type());
        assertTrue(inRange > 0 && inRange < all, inRange + " of " + all);
        assertEquals(inRange, view.tree().rootTotal());
    }

    /** The (start time in epoch ns, +1 for an exception event, -1 for an error event) of each event of a {@code jfr print --json}. */
    static List<long[]> throwsOf(Path gz) throws Exception {
        List<long[]> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.UTF_8))) {
            long sign = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String l = line.trim();
                if (l.equals("\"type\": \"jdk.JavaExceptionThrow\",")) sign = 1;
                else if (l.equals("\"type\": \"jdk.JavaErrorThrow\",")) sign = -1;
                else if (sign != 0 && l.startsWith("\"startTime\": ")) {
                    Instant t = Instant.parse(l.substring(l.indexOf(": \"") + 3, l.lastIndexOf('"')));
                    out.add(new long[]{t.getEpochSecond() * 1_000_000_000L + t.getNano(), sign});
                    sign = 0;
                }
            }
        }
        return out;
    }
}
