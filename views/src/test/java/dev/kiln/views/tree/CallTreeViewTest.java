// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.tree;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.Weight;
import dev.kiln.analysis.Weights;
import dev.kiln.analysis.jvm.ThrownExceptions;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.TreeItem;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ApplicationExtension.class)
class CallTreeViewTest {
    private CallTreeView view;

    @Start
    void start(Stage stage) {
        view = new CallTreeView();
        stage.setScene(new Scene(view, 1400, 800));
        stage.show();
    }

    private CallTreeView.Data cpuData() {
        Profile p = TestProfiles.mixed();
        return CallTreeView.Data.compute(p, Weights.parse(p, "cpu/samples"), Filter.NONE, ProgressSink.NONE);
    }

    @Test
    void rootTotalIsExecutionSampleCountAndHotMethodsStartWithTopSelfMethod(FxRobot robot) {
        long samples = Long.parseLong(TestProfiles.fact("^== jdk\\.ExecutionSample: events=(\\d+)"));
        String topSelf = TestProfiles.firstEntryAfter("== jdk\\.ExecutionSample");
        CallTreeView.Data d = cpuData();
        robot.interact(() -> view.setData(d));
        TreeItem<Integer> root = view.table().getRoot();
        assertEquals(samples, view.shownTree().total(root.getValue()));
        assertEquals(0, view.table().getRow(root));
        robot.interact(() -> TestProfiles.screenshot(view, "screenshot-tree.png"));
        robot.interact(() -> view.setHotMethods(true));
        TreeItem<Integer> first = view.table().getRoot().getChildren().get(0);
        assertEquals(topSelf, view.shownTree().name(first.getValue()));
        assertEquals(first, view.table().getTreeItem(1), "first row under the root");
    }

    @Test
    void searchExpandsAndSelectsAndSelectFunctionNotifies(FxRobot robot) {
        CallTreeView.Data d = cpuData();
        robot.interact(() -> view.setData(d));
        AtomicInteger found = new AtomicInteger();
        robot.interact(() -> found.set(view.search("mixHeav")));
        assertTrue(found.get() > 0);
        assertEquals("MixedWorkload$Fractal.mixHeavy", view.selectedFunctionProperty().get());
        assertEquals(found.get(), view.selectedNodeProperty().get());
        // Children are created lazily: far fewer items than nodes.
        assertTrue(view.shownTree().size() > 300, "tree size " + view.shownTree().size());
        robot.interact(() -> view.selectFunction("MixedWorkload.spin"));
        assertEquals("MixedWorkload.spin", view.selectedFunctionProperty().get());
        TreeItem<Integer> sel = view.table().getSelectionModel().getSelectedItem();
        assertNotNull(sel);
        assertEquals("MixedWorkload.spin", view.shownTree().name(sel.getValue()));
    }

    @Test
    void setProfileComputesInBackground(FxRobot robot) throws Exception {
        Profile p = TestProfiles.mixed();
        robot.interact(() -> view.setProfile(p));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> view.getData() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(Weights.defaultWeight(p), view.getData().weight());
        assertEquals(view.getData().topDown().rootTotal(), view.shownTree().total(view.table().getRoot().getValue()));
    }

    /**
     * The exceptions weight chosen in the menu of a recording that threw (the held-out ZGC one: 417 exception events less
     * 6 error events per jfr summary) stays the menu's own item when a time range recomputes the trees: the menu's list
     * is made again, and the weight must be the same object in it.
     */
    @Test
    void exceptionsStayChosenAcrossATimeRange(FxRobot robot) throws Exception {
        Profile p = TestProfiles.load(TestProfiles.CAPTURES.resolve("jfr/print/jdk17-zgc.jfr"));
        robot.interact(() -> view.setProfile(p));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> view.getData() != null);
        @SuppressWarnings("unchecked")
        ComboBox<Weight> menu = robot.lookup(n -> n instanceof ComboBox<?>).queryAs(ComboBox.class);
        Weight exceptions = menu.getItems().stream().filter(w -> w.type().equals(ThrownExceptions.THROWN)).findFirst().orElseThrow();
        robot.interact(() -> menu.getSelectionModel().select(exceptions));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> view.getData().weight() == exceptions);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(417 - 6, view.shownTree().rootTotal());

        long from = p.startEpochNanos() + p.durationNanos() / 2;
        Filter half = Filter.NONE.withTimeRange(from, Long.MAX_VALUE);
        robot.interact(() -> view.setFilter(half));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> view.getData().filter() == half);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(exceptions, view.getData().weight());
        assertTrue(menu.getSelectionModel().getSelectedIndex() >= 0, "the chosen weight is one of the menu's items");
        assertEquals(exceptions, menu.getSelectionModel().getSelectedItem());
        long inRange = view.shownTree().rootTotal();
        assertTrue(inRange > 0 && inRange < 417 - 6, inRange + " in the second half");
        assertEquals(ThrownExceptions.of(p, half).total(), inRange, "as the Exceptions page counts them");
    }
}
