// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.jvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.analysis.Filter;
import dev.kiln.model.Profile;
import dev.kiln.views.timeline.SeriesChart;
import dev.kiln.views.tree.TestProfiles;
import javafx.geometry.Point2D;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.io.InputStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CPU page on jdk17-mixed.jfr, against every jdk.CPULoad event of {@code jfr print --json} (print/jdk17-mixed.cpu.json.gz). */
@ExtendWith(ApplicationExtension.class)
class CpuViewTest {
    private CpuView view;

    @Start
    void start(Stage stage) {
        view = new CpuView();
        stage.setScene(new Scene(view, 1300, 560));
        stage.show();
    }

    /** (time, JVM user + system, machine total) of each sample, by time. */
    static List<double[]> truth() throws Exception {
        List<double[]> out = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(TestProfiles.CAPTURES.resolve("jfr/print/jdk17-mixed.cpu.json.gz")))) {
            for (JsonNode e : new ObjectMapper().readTree(in).path("recording").path("events")) {
                JsonNode v = e.path("values");
                Instant t = Instant.parse(v.path("startTime").asText());
                out.add(new double[]{t.getEpochSecond() * 1e9 + t.getNano(), v.path("jvmUser").asDouble() + v.path("jvmSystem").asDouble(), v.path("machineTotal").asDouble()});
            }
        }
        out.sort(Comparator.comparingDouble(a -> a[0]));
        return out;
    }

    static double percent(String s) { return Double.parseDouble(s.replace("%", "")) / 100; }

    @Test
    void chartAndTableShowTheRecordingsCpuLoad(FxRobot robot) throws Exception {
        Profile p = TestProfiles.mixed();
        List<double[]> truth = truth();
        robot.interact(() -> view.setProfile(p, Filter.NONE));
        assertEquals(truth.size(), view.chart().series().get(1).size());
        assertEquals(1.0, view.chart().yMax());
        List<CpuView.Row> rows = view.rows();
        assertEquals(truth.size(), rows.get(0).samples());
        double machineMax = truth.stream().mapToDouble(a -> a[2]).max().orElseThrow();
        double jvmMean = truth.stream().mapToDouble(a -> a[1]).average().orElseThrow();
        assertEquals(machineMax, percent(rows.get(1).max()), 0.0006);
        assertEquals(jvmMean, percent(rows.get(0).mean()), 0.0011);

        // hovering over the plot reads both series at that time
        double[] s5 = truth.get(5);
        long t5 = (long) s5[0] + 1_000_000; // just after sample 5: its value holds
        robot.interact(() -> {
            view.chart().hover(view.chart().chartLayout().xOf(t5) + 1);
            view.chart().paintNow();
        });
        List<String> readout = view.chart().readout();
        assertEquals(3, readout.size(), readout.toString());
        assertEquals(s5[2], percent(readout.get(2).replace("Machine total: ", "")), 0.0006, readout.toString());
        assertEquals(s5[1], percent(readout.get(1).replace("JVM (user+system): ", "")), 0.0011, readout.toString());
        robot.interact(() -> TestProfiles.screenshot(view, "screenshot-cpu.png"));
    }

    @Test
    void aShiftDragChoosesARangeAndTheTableFollowsIt(FxRobot robot) throws Exception {
        Profile p = TestProfiles.mixed();
        List<double[]> truth = truth();
        robot.interact(() -> view.setProfile(p, Filter.NONE));
        SeriesChart c = view.chart();
        // from just before sample 4 to just before sample 10: samples 4-9
        long from = (long) truth.get(4)[0] - 50_000_000, to = (long) truth.get(10)[0] - 50_000_000;
        Point2D a = c.localToScreen(c.chartLayout().xOf(from), c.getHeight() / 2), b = c.localToScreen(c.chartLayout().xOf(to), c.getHeight() / 2);
        robot.press(KeyCode.SHIFT).drag(a, MouseButton.PRIMARY).moveTo(b).release(MouseButton.PRIMARY).release(KeyCode.SHIFT);
        robot.interact(() -> { });
        assertNotNull(view.timeRangeProperty().get(), "the drag chose a range");
        assertEquals(6, view.rows().get(0).samples(), view.headingText());
        double max = 0;
        for (int i = 4; i <= 9; i++) max = Math.max(max, truth.get(i)[2]);
        assertEquals(max, percent(view.rows().get(1).max()), 0.0006);
        assertTrue(view.headingText().contains("chosen time range"), view.headingText());
        // the shared filter's range, set elsewhere (the Threads tab), is applied the same way
        robot.interact(() -> view.setFilter(Filter.NONE.withTimeRange((long) truth.get(0)[0], (long) truth.get(2)[0])));
        assertEquals(2, view.rows().get(0).samples());
        robot.interact(() -> view.setFilter(Filter.NONE));
        assertEquals(truth.size(), view.rows().get(0).samples());
    }
}
