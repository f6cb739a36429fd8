// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.locks;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.locks.LockGraph;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.views.tree.TestProfiles;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ApplicationExtension.class)
class LocksViewTest {
    private LocksView view;

    @Start
    void start(Stage stage) {
        view = new LocksView();
        stage.setScene(new Scene(view, 1400, 800));
        stage.show();
    }

    @Test
    void sharedLedgerFirstWithItsWaitersStacksAndOwners(FxRobot robot) {
        Profile p = TestProfiles.mixed();
        String topMonitor = TestProfiles.firstEntryAfter("== jdk\\.JavaMonitorEnter\\n");
        // The facts' six blocked threads (JavaMonitorEnter by thread).
        Set<String> fighters = Set.of(TestProfiles.fact("== jdk\\.JavaMonitorEnter\\n(?:.*\\n)*?  by thread[^\\n]*\\n((?:    \\S+ +events=\\d+ total_ms=[0-9.]+\\n)+)")
                .trim().split("\\n")).stream().map(l -> l.trim().split("\\s+")[0]).collect(Collectors.toSet());
        LocksView.Data d = LocksView.Data.compute(p, Filter.NONE, ProgressSink.NONE);
        robot.interact(() -> view.setData(d));
        assertEquals(topMonitor, view.locksTable().getItems().get(0).name());
        assertEquals(view.locksTable().getItems().get(0), view.locksTable().getSelectionModel().getSelectedItem());
        assertFalse(view.stacksTable().getItems().isEmpty());
        Set<String> waiting = view.waitersTable().getItems().stream().map(LockGraph.Party::name).collect(Collectors.toSet());
        assertEquals(fighters, waiting);
        assertFalse(view.ownersTable().getItems().isEmpty());
        assertTrue(fighters.containsAll(view.ownersTable().getItems().stream().map(LockGraph.Party::name).toList()),
                "owners of the ledger are lock fighters");
        robot.interact(() -> TestProfiles.screenshot(view, "screenshot-locks.png"));
        robot.interact(() -> view.kindBox().setValue(LocksView.KindChoice.PARKED));
        assertEquals(TestProfiles.firstEntryAfter("== jdk\\.ThreadPark\\n"), view.locksTable().getItems().get(0).name());
        assertTrue(view.ownersTable().getItems().isEmpty(), "parks name no owner");
    }
}
