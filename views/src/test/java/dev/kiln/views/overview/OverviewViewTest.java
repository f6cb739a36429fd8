// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.overview;

import dev.kiln.views.tree.TestProfiles;
import dev.kiln.model.Profile;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The Overview of a pprof CPU profile shows pprof's -top of its default weight (ground truth: cpu-baseline.top.txt). */
@ExtendWith(ApplicationExtension.class)
class OverviewViewTest {
    private Stage stage;

    @Start
    void start(Stage stage) { this.stage = stage; }

    @Test
    void topTableIsGoToolPprofTop(FxRobot robot) throws Exception {
        Profile p = TestProfiles.load(TestProfiles.CAPTURES.resolve("pprof/cpu-baseline.pb.gz"));
        OverviewView.Data d = OverviewView.Data.of(p);
        OverviewView[] view = new OverviewView[1];
        robot.interact(() -> {
            view[0] = new OverviewView(d, link -> { });
            stage.setScene(new Scene(view[0], 1400, 900));
            stage.show();
        });
        GridPane top = robot.lookup("#overview-top").queryAs(GridPane.class);
        assertNotNull(top);
        // go tool pprof -top: "    1020ms 21.47% 21.47%     1030ms 21.68%  main.walkTree" after the header line
        List<String> pprof = Files.readAllLines(TestProfiles.CAPTURES.resolve("pprof/cpu-baseline.top.txt"));
        int header = 0;
        while (!pprof.get(header).trim().startsWith("flat")) header++;
        for (int row = 1; row <= 3; row++) {
            String[] want = pprof.get(header + row).trim().split("\\s+");
            assertEquals(want[5], cell(top, 5, row), "function of row " + row);
            assertEquals(want[1], cell(top, 1, row), "flat% of row " + row);
            assertEquals(want[2], cell(top, 2, row), "sum% of row " + row);
            assertEquals(want[4], cell(top, 4, row), "cum% of row " + row);
        }
        robot.interact(() -> TestProfiles.screenshot(view[0], "screenshot-overview-pprof.png"));
    }

    private static String cell(GridPane g, int column, int row) {
        for (Node n : g.getChildren()) {
            Integer c = GridPane.getColumnIndex(n), r = GridPane.getRowIndex(n);
            if (c != null && r != null && c == column && r == row && n instanceof Label l) return l.getText();
        }
        return null;
    }
}
