// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.FilteredStacks;
import dev.kiln.analysis.Weight;
import dev.kiln.analysis.jvm.JvmWeights;
import dev.kiln.analysis.jvm.ThrownExceptions;
import dev.kiln.analysis.locks.LockGraph;
import dev.kiln.analysis.tree.CallTree;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.views.locks.LocksView;
import dev.kiln.views.timeline.ThreadTimelineView;
import dev.kiln.views.tree.CallTreeView;
import dev.kiln.views.graph.GraphView;
import dev.kiln.views.tree.PeekView;
import dev.kiln.views.tree.SourceView;
import javafx.scene.control.Button;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;
import java.util.EnumSet;

import static dev.kiln.app.ui.ShellTest.MIXED;
import static dev.kiln.app.ui.ShellTest.awaitFx;
import static dev.kiln.app.ui.ShellTest.awaitLoaded;
import static dev.kiln.app.ui.ShellTest.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The views of one capture tab share the selected function and the time range chosen on the timeline. */
@ExtendWith(ApplicationExtension.class)
class CaptureSyncTest {
    static final String HEAVY = "MixedWorkload$Fractal.mixHeavy", SPIN = "MixedWorkload.spin";

    @TempDir
    Path dir;
    MainWindow window;

    @Start
    void start(Stage stage) {
        window = new MainWindow(stage, new RecentFiles(dir.resolve("recent.txt")));
        stage.show();
    }

    private static FlameTab flame(CaptureTab tab) throws Exception {
        assertTrue(fx(() -> tab.selectView("flame")));
        awaitFx(() -> tab.viewNode("flame") instanceof FlameTab f && f.view().tree() != null);
        return (FlameTab) fx(() -> tab.viewNode("flame"));
    }

    private static CallTreeView tree(CaptureTab tab) throws Exception {
        assertTrue(fx(() -> tab.selectView("tree")));
        awaitFx(() -> tab.viewNode("tree") instanceof CallTreeView v && v.getData() != null);
        return (CallTreeView) fx(() -> tab.viewNode("tree"));
    }

    @Test
    void selectingAFunctionInOneViewSelectsItInTheOther() throws Exception {
        CaptureTab tab = fx(() -> window.open(MIXED));
        awaitLoaded(tab);
        FlameTab flame = flame(tab);
        CallTreeView tree = tree(tab);

        assertTrue(fx(() -> tree.selectFunction(HEAVY)));
        assertEquals(HEAVY, fx(() -> flame.view().selectedFunctionProperty().get()));
        assertEquals(HEAVY, fx(() -> tab.selectedFunctionProperty().get()));

        fx(() -> { flame.view().selectFunction(SPIN); return null; });
        assertEquals(SPIN, fx(() -> tree.selectedFunctionProperty().get()));
        assertEquals(SPIN, fx(() -> tree.shownTree().name(tree.table().getSelectionModel().getSelectedItem().getValue())));

        // Hot methods (bottom-up) is the same view: selecting there reaches the flame graph too.
        fx(() -> { tree.setHotMethods(true); return null; });
        assertTrue(fx(() -> tree.selectFunction(HEAVY)));
        assertEquals(HEAVY, fx(() -> flame.view().selectedFunctionProperty().get()));
    }

    @Test
    void aViewBuiltLaterFollowsTheSelection() throws Exception {
        CaptureTab tab = fx(() -> window.open(MIXED));
        awaitLoaded(tab);
        FlameTab flame = flame(tab);
        fx(() -> { flame.view().selectFunction(HEAVY); return null; });
        CallTreeView tree = tree(tab); // created now, loads in the background, then selects the shared function
        awaitFx(() -> HEAVY.equals(tree.selectedFunctionProperty().get()));
    }

    @Test
    void peekFollowsTheSelectionAndPublishesWhereItGoes() throws Exception {
        CaptureTab tab = fx(() -> window.open(MIXED));
        awaitLoaded(tab);
        CallTreeView tree = tree(tab);
        assertTrue(fx(() -> tree.selectFunction(SPIN)));
        assertTrue(fx(() -> tab.selectView("peek")));
        awaitFx(() -> tab.viewNode("peek") instanceof PeekView v && SPIN.equals(v.functionProperty().get()));
        PeekView peek = (PeekView) fx(() -> tab.viewNode("peek"));
        assertTrue(fx(() -> !peek.callersTable().getItems().isEmpty()), "spin has callers");
        String caller = fx(() -> peek.callersTable().getItems().get(0).name());
        fx(() -> { peek.peek(caller); return null; });
        awaitFx(() -> caller.equals(tab.selectedFunctionProperty().get()));
        assertEquals(caller, fx(() -> tree.selectedFunctionProperty().get()));
    }

    @Test
    void theGraphTabDrawsTheCaptureAndOutlinesTheSelectedFunction() throws Exception {
        CaptureTab tab = fx(() -> window.open(MIXED));
        awaitLoaded(tab);
        CallTreeView tree = tree(tab);
        assertTrue(fx(() -> tree.selectFunction(SPIN)));
        assertTrue(fx(() -> tab.selectView("graph")));
        awaitFx(() -> tab.viewNode("graph") instanceof GraphView v && v.getData() != null && SPIN.equals(v.functionProperty().get()));
        GraphView graph = (GraphView) fx(() -> tab.viewNode("graph"));
        assertTrue(fx(() -> graph.getData().graph().nodes().size()) > 5, "a drawn graph");
    }

    @Test
    void sourceShowsTheSelectedFunctionFromTheRememberedSourceFolders() throws Exception {
        SourceRoots saved = ViewRegistry.sourceRoots;
        try {
            SourceRoots roots = new SourceRoots(dir.resolve("roots.properties"));
            roots.add(MIXED, ShellTest.CAPTURES.resolve("sources/java"));
            ViewRegistry.sourceRoots = new SourceRoots(dir.resolve("roots.properties")); // as read at the next start
            CaptureTab tab = fx(() -> window.open(MIXED));
            awaitLoaded(tab);
            CallTreeView tree = tree(tab);
            assertTrue(fx(() -> tree.selectFunction(HEAVY)));
            assertTrue(fx(() -> tab.selectView("source")));
            awaitFx(() -> tab.viewNode("source") instanceof SourceView v && v.getData() != null && HEAVY.equals(v.getData().function()));
            SourceView source = (SourceView) fx(() -> tab.viewNode("source"));
            assertTrue(fx(() -> source.getData().listings().get(0).location()).endsWith("MixedWorkload.java"));
            assertTrue(fx(() -> source.table().getItems().stream().anyMatch(r -> r.cum() > 0 && r.text() != null)));
        } finally {
            ViewRegistry.sourceRoots = saved;
        }
    }

    @Test
    void timeRangeFromTheTimelineFiltersTheOtherViews() throws Exception {
        CaptureTab tab = fx(() -> window.open(MIXED));
        awaitLoaded(tab);
        Profile p = fx(tab::profile);
        FlameTab flame = flame(tab);
        long fullTotal = fx(() -> flame.view().tree().rootTotal());
        assertTrue(fx(() -> tab.selectView("locks")));
        awaitFx(() -> tab.viewNode("locks") instanceof LocksView v && v.getData() != null);
        LocksView locks = (LocksView) fx(() -> tab.viewNode("locks"));
        assertTrue(fx(() -> tab.selectView("timeline")));
        awaitFx(() -> tab.viewNode("timeline") instanceof ThreadTimelineView v && v.getData() != null);
        ThreadTimelineView timeline = (ThreadTimelineView) fx(() -> tab.viewNode("timeline"));

        long start = p.startEpochNanos();
        assertTrue(start > 0);
        long from = start + 2_000_000_000L, to = start + 5_500_000_000L;
        fx(() -> { timeline.selectTimeRange(from, to); return null; }); // what a Shift-drag calls on release
        assertEquals("Time range: 2.0-5.5 s", fx(tab::timeRangeText));

        Filter range = Filter.NONE.withTimeRange(from, to);
        awaitFx(() -> flame.view().tree().filter().equals(range));
        CallTree shown = fx(() -> flame.view().tree());
        long expected = FilteredStacks.of(p, shown.weight(), range).total();
        assertEquals(expected, shown.rootTotal());
        assertTrue(expected > 0 && expected < fullTotal, expected + " vs " + fullTotal);

        EnumSet<LockGraph.Kind> all = EnumSet.allOf(LockGraph.Kind.class);
        long lockEvents = LockGraph.of(p, range, ProgressSink.NONE).totalCount(all);
        assertTrue(lockEvents < LockGraph.of(p, Filter.NONE, ProgressSink.NONE).totalCount(all));
        awaitFx(() -> locks.getData().graph().totalCount(all) == lockEvents);

        // The call tree, built only now, starts filtered.
        CallTreeView tree = tree(tab);
        assertEquals(range, fx(() -> tree.getData().filter()));
        assertEquals(expected, fx(() -> tree.getData().topDown().rootTotal()));

        // The chip's [x] clears the range everywhere, including the timeline's shading.
        Button clear = (Button) fx(() -> tab.getContent().lookup("#clear-time-range"));
        assertNotNull(clear);
        fx(() -> { clear.fire(); return null; });
        assertEquals("", fx(tab::timeRangeText));
        assertEquals(null, fx(() -> timeline.timeRangeProperty().get()));
        awaitFx(() -> flame.view().tree().filter().isNone() && flame.view().tree().rootTotal() == fullTotal);
    }

    /**
     * Exceptions chosen in the flame graph's menu (the held-out ZGC recording threw; jfr summary: 417 exception events
     * less 6 error events) stay chosen when a Shift-drag on the timeline picks a time range, and the graph recounts the
     * throwables in it; the call tree's menu offers them too.
     */
    @Test
    void exceptionsChosenInTheFlameGraphSurviveATimeRange() throws Exception {
        CaptureTab tab = fx(() -> window.open(ShellTest.CAPTURES.resolve("jfr/print/jdk17-zgc.jfr")));
        awaitLoaded(tab);
        Profile p = fx(tab::profile);
        FlameTab flame = flame(tab);
        Weight exceptions = JvmWeights.exceptions(p); // the one weight of the profile that the menu lists
        awaitFx(() -> !flame.view().busyProperty().get());
        fx(() -> { flame.view().setWeight(exceptions); return null; });
        awaitFx(() -> !flame.view().busyProperty().get() && flame.view().tree().weight() == exceptions);
        assertEquals(417 - 6, fx(() -> flame.view().tree().rootTotal()));

        assertTrue(fx(() -> tab.selectView("timeline")));
        awaitFx(() -> tab.viewNode("timeline") instanceof ThreadTimelineView v && v.getData() != null);
        ThreadTimelineView timeline = (ThreadTimelineView) fx(() -> tab.viewNode("timeline"));
        long from = p.startEpochNanos() + p.durationNanos() / 2, to = p.startEpochNanos() + p.durationNanos();
        fx(() -> { timeline.selectTimeRange(from, to); return null; }); // what a Shift-drag calls on release
        Filter range = Filter.NONE.withTimeRange(from, to);
        awaitFx(() -> !flame.view().busyProperty().get() && flame.view().tree().filter().equals(range));
        assertEquals(exceptions, fx(() -> flame.view().weight()));
        long inRange = fx(() -> flame.view().tree().rootTotal());
        assertEquals(ThrownExceptions.of(p, range).total(), inRange);
        assertTrue(inRange > 0 && inRange < 417 - 6, inRange + " in the second half");

        CallTreeView tree = tree(tab);
        assertTrue(fx(() -> tree.getData().weights().contains(exceptions)));
    }
}
