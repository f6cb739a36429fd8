// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.locks;

import dev.kiln.analysis.Filter;
import dev.kiln.job.ProgressSink;
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

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The drawn lock graph of jdk17-mixed.jfr against its facts file (JavaMonitorEnter: one monitor, six fighters). */
@ExtendWith(ApplicationExtension.class)
class LockGraphViewTest {
    private LocksView view;

    @Start
    void start(Stage stage) {
        view = new LocksView();
        stage.setScene(new Scene(view, 1400, 900));
        stage.show();
    }

    /** The facts' JavaMonitorEnter by-thread rows: thread name -> total ms, in the file's order (largest first). */
    static Map<String, Double> blockedMs() {
        String block = TestProfiles.fact("== jdk\\.JavaMonitorEnter\\n(?:.*\\n)*?  by thread[^\\n]*\\n((?:    \\S+ +events=\\d+ total_ms=[0-9.]+\\n)+)");
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        Matcher m = Pattern.compile("(\\S+) +events=\\d+ total_ms=([0-9.]+)").matcher(block);
        while (m.find()) out.put(m.group(1), Double.parseDouble(m.group(2)));
        return out;
    }

    @Test
    void ledgerIsTheFirstAndBiggestLockWithTheFightersEdgesAndClickingSelectsInTheTable(FxRobot robot) throws Exception {
        String ledger = TestProfiles.firstEntryAfter("== jdk\\.JavaMonitorEnter\\n");
        Map<String, Double> fighters = blockedMs();
        assertEquals(6, fighters.size(), "facts name six blocked threads");
        LocksView.Data d = LocksView.Data.compute(TestProfiles.mixed(), Filter.NONE, ProgressSink.NONE);
        robot.interact(() -> view.setData(d));
        WaitForAsyncUtils.waitForFxEvents();
        LockGraphLayout l = fx(() -> view.graph().graphLayout());

        List<LockGraphLayout.Node> locks = l.nodes().stream().filter(n -> n.role() == LockGraphLayout.Role.LOCK).toList();
        assertTrue(locks.size() > 1, "more than one lock drawn");
        LockGraphLayout.Node first = locks.get(0);
        assertEquals(ledger, first.label());
        for (LockGraphLayout.Node n : locks) {
            assertTrue(n.y() >= first.y() && n.h() <= first.h(), n.label() + " is below and not bigger than the ledger");
        }
        int ledgerNode = l.nodes().indexOf(first);
        // Edges into the ledger: exactly the facts' blocked threads, each weighted by its blocked time.
        Map<String, Double> edgeMs = new HashMap<>();
        LockGraphLayout.Edge widest = null;
        for (LockGraphLayout.Edge e : l.edges()) {
            if (e.to() != ledgerNode) continue;
            edgeMs.put(l.nodes().get(e.from()).label(), e.nanos() / 1e6);
            if (widest == null || e.width() > widest.width()) widest = e;
        }
        assertEquals(fighters.keySet(), edgeMs.keySet());
        fighters.forEach((t, ms) -> assertEquals(ms, edgeMs.get(t), 1.0, t + " blocked time"));
        assertEquals(fighters.keySet().iterator().next(), l.nodes().get(widest.from()).label(), "widest edge = most blocked thread");
        // Owners: the ledger's previous owners are fighters too.
        l.edges().stream().filter(e -> e.from() == ledgerNode)
                .forEach(e -> assertTrue(fighters.containsKey(l.nodes().get(e.to()).label())));
        assertTrue(l.edges().stream().anyMatch(e -> e.from() == ledgerNode), "the ledger has owner edges");

        // What is drawn: the ledger's name, and its edges in the selected colour, labelled with their times.
        RecordingSurface s = new RecordingSurface(l.width(), l.height(), 7);
        robot.interact(() -> view.graph().paint(s));
        assertTrue(s.texts().stream().anyMatch(t -> t.text().equals(ledger)), "ledger label drawn");
        long selectedLines = s.lines().stream().filter(o -> o.fill().equals(LockGraphPainter.SELECTED_EDGE)).count();
        long ledgerEdges = l.edges().stream().filter(e -> e.from() == ledgerNode || e.to() == ledgerNode).count();
        assertEquals(ledgerEdges, selectedLines);
        assertEquals(l.edges().size(), s.lines().size());

        // Clicking the second lock's box selects it in the table, clicking the ledger selects it again.
        click(robot, locks.get(1));
        assertEquals(1, view.locksTable().getSelectionModel().getSelectedIndex());
        assertEquals(locks.get(1).label(), view.locksTable().getSelectionModel().getSelectedItem().name());
        assertEquals(1, view.graph().selectedRow());
        click(robot, first);
        assertEquals(ledger, view.locksTable().getSelectionModel().getSelectedItem().name());
        assertEquals(fighters.keySet(), waiterNames(view));
        int hovered = l.nodes().indexOf(first);
        assertTrue(view.graph().describe(hovered).startsWith(ledger + "\nWaited: "));
        robot.interact(() -> TestProfiles.screenshot(view, "screenshot-lock-graph.png"));
    }

    static <T> T fx(java.util.concurrent.Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static java.util.Set<String> waiterNames(LocksView v) {
        return v.waitersTable().getItems().stream().map(p -> p.name()).collect(java.util.stream.Collectors.toSet());
    }

    private void click(FxRobot robot, LockGraphLayout.Node n) throws Exception {
        Point2D p = fx(() -> view.graph().localToScreen(n.x() + n.w() / 2, n.y() + n.h() / 2));
        robot.clickOn(p);
        WaitForAsyncUtils.waitForFxEvents();
    }
}
