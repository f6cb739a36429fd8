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
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * A recording that threw lists {@code exceptions/count} among its sample types, as every weight menu offers it: 411
     * throwables (jfr summary of the held-out ZGC recording: 417 jdk.JavaExceptionThrow less the 6 jdk.JavaErrorThrow the
     * JDK writes once more as exceptions).
     */
    @Test
    void recordingThatThrewListsItsExceptions(FxRobot robot) throws Exception {
        Profile p = TestProfiles.load(TestProfiles.CAPTURES.resolve("jfr/print/jdk17-zgc.jfr"));
        OverviewView.Data d = OverviewView.Data.of(p);
        robot.interact(() -> {
            stage.setScene(new Scene(new OverviewView(d, link -> { }), 1400, 900));
            stage.show();
        });
        Label n = (Label) robot.lookup(x -> "samples:jdk.JavaExceptionThrow:exceptions/count".equals(x.getUserData())).query();
        assertEquals("411", n.getText());
        Label t = (Label) robot.lookup(x -> "total:jdk.JavaExceptionThrow:exceptions/count".equals(x.getUserData())).query();
        assertEquals("411", t.getText());
        // the default weight (CPU samples) stays first, so the top table is still of it
        var first = d.summary().sampleTypes().get(0);
        assertEquals(d.summary().defaultValueType(), first.type() + "/" + first.unit());
        assertEquals("cpu", first.type());
    }

    /** A Go trace's Overview: goroutines, GC, stop-the-world and the minimum mutator utilization curve. */
    @Test
    void goTraceOverviewShowsTheTraceAndItsMmuCurve(FxRobot robot) throws Exception {
        Profile p = TestProfiles.load(TestProfiles.CAPTURES.resolve("gotrace/mixed.trace"));
        OverviewView.Data d = OverviewView.Data.of(p);
        OverviewView[] view = new OverviewView[1];
        robot.interact(() -> {
            view[0] = new OverviewView(d, link -> { });
            stage.setScene(new Scene(view[0], 1400, 1400));
            stage.show();
        });
        java.util.Set<String> texts = new java.util.HashSet<>();
        for (Node n : robot.lookup(".label").queryAll()) texts.add(((Label) n).getText());
        assertTrue(texts.contains("22 on 2 Ps"), texts.toString()); // mixed.facts.txt: goroutines 22, procs 2
        assertTrue(texts.contains("62 cycles, 57.80 ms in GC"), texts.toString());
        assertTrue(texts.stream().anyMatch(t -> t.startsWith("1 ms ") && t.contains(", 10 ms ") && t.contains(", 100 ms ")), texts.toString());
        MmuChart chart = robot.lookup("#overview-mmu").queryAs(MmuChart.class);
        assertNotNull(chart);
        // the curve the engine computes, rising from 0 (windows inside a stop-the-world) to most of the Ps
        var curve = dev.kiln.analysis.MutatorUtilization.of(p).curve(100);
        assertEquals(curve, chart.curve());
        assertEquals(0, curve.get(0).mmu());
        assertTrue(curve.get(99).mmu() > 0.5);
        // and it is drawn: the curve's colour at its last point
        javafx.scene.image.WritableImage img = new javafx.scene.image.WritableImage((int) MmuChart.WIDTH, (int) MmuChart.HEIGHT);
        robot.interact(() -> chart.snapshot(null, img));
        int x = (int) Math.round(chart.xOf(curve.get(98).windowNanos())), y = (int) Math.round(MmuChart.yOf(curve.get(98).mmu()));
        boolean drawn = false;
        for (int dx = -2; dx <= 2; dx++) for (int dy = -2; dy <= 2; dy++) {
            javafx.scene.paint.Color c = img.getPixelReader().getColor(Math.max(0, Math.min((int) img.getWidth() - 1, x + dx)), Math.max(0, y + dy));
            drawn |= Math.abs(c.getBlue() - MmuChart.CURVE.getBlue()) < 0.15 && c.getRed() < 0.4;
        }
        assertTrue(drawn, "the curve is drawn near " + x + "," + y);
        robot.interact(() -> TestProfiles.screenshot(view[0], "screenshot-overview-gotrace.png"));
    }

    private static String cell(GridPane g, int column, int row) {
        for (Node n : g.getChildren()) {
            Integer c = GridPane.getColumnIndex(n), r = GridPane.getRowIndex(n);
            if (c != null && r != null && c == column && r == row && n instanceof Label l) return l.getText();
        }
        return null;
    }
}
