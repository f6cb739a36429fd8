// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.jvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.analysis.Filter;
import dev.kiln.analysis.jvm.ThreadCpu;
import dev.kiln.analysis.jvm.TimeSeries;
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

    /** (time, JVM user + system, machine total, JVM user, JVM system) of each sample, by time. */
    static List<double[]> truth() throws Exception {
        List<double[]> out = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(TestProfiles.CAPTURES.resolve("jfr/print/jdk17-mixed.cpu.json.gz")))) {
            for (JsonNode e : new ObjectMapper().readTree(in).path("recording").path("events")) {
                JsonNode v = e.path("values");
                Instant t = Instant.parse(v.path("startTime").asText());
                out.add(new double[]{t.getEpochSecond() * 1e9 + t.getNano(), v.path("jvmUser").asDouble() + v.path("jvmSystem").asDouble(), v.path("machineTotal").asDouble(),
                        v.path("jvmUser").asDouble(), v.path("jvmSystem").asDouble()});
            }
        }
        out.sort(Comparator.comparingDouble(a -> a[0]));
        return out;
    }

    CpuView.Row row(String series) {
        return view.rows().stream().filter(r -> r.series().equals(series)).findFirst().orElseThrow(() -> new AssertionError(series + " in " + view.rows()));
    }

    static double percent(String s) { return Double.parseDouble(s.replace("%", "")) / 100; }

    @Test
    void chartAndTableShowTheRecordingsCpuLoad(FxRobot robot) throws Exception {
        Profile p = TestProfiles.mixed();
        List<double[]> truth = truth();
        robot.interact(() -> view.setProfile(p, Filter.NONE));
        assertEquals(List.of("JVM user", "JVM system", "JVM (user+system)", "Machine total"),
                view.chart().series().stream().map(TimeSeries::label).toList());
        assertEquals(truth.size(), view.chart().series().get(3).size());
        assertEquals(1.0, view.chart().yMax());
        List<CpuView.Row> rows = view.rows();
        assertEquals(truth.size(), rows.get(0).samples());
        double machineMax = truth.stream().mapToDouble(a -> a[2]).max().orElseThrow();
        double jvmMean = truth.stream().mapToDouble(a -> a[1]).average().orElseThrow();
        assertEquals(machineMax, percent(row("Machine total").max()), 0.0006);
        assertEquals(jvmMean, percent(row("JVM (user+system)").mean()), 0.0011);
        assertEquals(truth.stream().mapToDouble(a -> a[3]).average().orElseThrow(), percent(row("JVM user").mean()), 0.0006);
        assertEquals(truth.stream().mapToDouble(a -> a[4]).max().orElseThrow(), percent(row("JVM system").max()), 0.0006);

        // hovering over the plot reads both series at that time
        double[] s5 = truth.get(5);
        long t5 = (long) s5[0] + 1_000_000; // just after sample 5: its value holds
        robot.interact(() -> {
            view.chart().hover(view.chart().chartLayout().xOf(t5) + 1);
            view.chart().paintNow();
        });
        List<String> readout = view.chart().readout();
        assertEquals(5, readout.size(), readout.toString());
        assertEquals(s5[3], percent(readout.get(1).replace("JVM user: ", "")), 0.0006, readout.toString());
        assertEquals(s5[4], percent(readout.get(2).replace("JVM system: ", "")), 0.0006, readout.toString());
        assertEquals(s5[1], percent(readout.get(3).replace("JVM (user+system): ", "")), 0.0011, readout.toString());
        assertEquals(s5[2], percent(readout.get(4).replace("Machine total: ", "")), 0.0006, readout.toString());
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
        assertEquals(max, percent(row("Machine total").max()), 0.0006);
        assertTrue(view.headingText().contains("chosen time range"), view.headingText());
        // the shared filter's range, set elsewhere (the Threads tab), is applied the same way
        robot.interact(() -> view.setFilter(Filter.NONE.withTimeRange((long) truth.get(0)[0], (long) truth.get(2)[0])));
        assertEquals(2, view.rows().get(0).samples());
        robot.interact(() -> view.setFilter(Filter.NONE));
        assertEquals(truth.size(), view.rows().get(0).samples());
    }

    /** Per thread name: (samples, mean user + system, max user + system) of its jdk.ThreadCPULoad events in [from, to), from jfr print --json. */
    static java.util.Map<String, double[]> threadTruth(long from, long to) throws Exception {
        java.util.Map<String, double[]> by = new java.util.HashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(TestProfiles.CAPTURES.resolve("jfr/print/jdk17-mixed.threadcpu.json.gz")))) {
            for (JsonNode e : new ObjectMapper().readTree(in).path("recording").path("events")) {
                if (!e.path("type").asText().equals("jdk.ThreadCPULoad")) continue;
                JsonNode v = e.path("values");
                Instant t = Instant.parse(v.path("startTime").asText());
                long at = t.getEpochSecond() * 1_000_000_000L + t.getNano();
                if (at < from || at >= to) continue;
                double load = v.path("user").asDouble() + v.path("system").asDouble();
                double[] a = by.computeIfAbsent(v.path("eventThread").path("javaName").asText(), k -> new double[3]);
                a[0]++;
                a[1] += load;
                a[2] = Math.max(a[2], load);
            }
        }
        by.values().forEach(a -> a[1] /= a[0]);
        return by;
    }

    @Test
    void threadCpuTopRanksTheThreadsAndShowsTheSelectedOne(FxRobot robot) throws Exception {
        Profile p = TestProfiles.mixed();
        robot.interact(() -> view.setProfile(p, Filter.NONE));
        java.util.Map<String, double[]> want = threadTruth(Long.MIN_VALUE, Long.MAX_VALUE);
        List<ThreadCpu.Row> rows = view.threadTable().getItems();
        assertEquals(want.size(), rows.size());
        String busiest = want.entrySet().stream().max(java.util.Map.Entry.comparingByValue(Comparator.comparingDouble(a -> a[1]))).orElseThrow().getKey();
        assertEquals(busiest, rows.get(0).name(), "the busiest thread first");
        for (ThreadCpu.Row r : rows) {
            double[] w = want.get(r.name());
            assertNotNull(w, r.name());
            assertEquals((int) w[0], r.samples(), r.name());
            assertEquals(w[1], r.meanTotal(), 1e-6, r.name());
            assertEquals(w[2], r.maxTotal(), 1e-6, r.name());
        }
        // the first row is selected: its chart shows its user and system load, scaled to it
        assertEquals(rows.get(0), view.threadTable().getSelectionModel().getSelectedItem());
        assertTrue(view.threadHeadingText().contains(busiest), view.threadHeadingText());
        assertEquals(rows.get(0).samples(), view.threadChart().series().get(0).size());
        assertTrue(view.threadChart().yMax() < 1 && view.threadChart().yMax() >= rows.get(0).user().max(), "fitted: " + view.threadChart().yMax());
        // clicking another thread shows that one
        ThreadCpu.Row other = rows.get(2);
        robot.clickOn(robot.lookup(".table-row-cell").queryAllAs(javafx.scene.control.TableRow.class).stream()
                .filter(c -> c.getItem() == other).findFirst().orElseThrow());
        assertTrue(view.threadHeadingText().contains(other.name()), view.threadHeadingText());
        assertEquals(other.user(), view.threadChart().series().get(0));
        robot.interact(() -> view.threadTable().getSelectionModel().select(0));
        robot.interact(() -> { view.chart().paintNow(); view.threadChart().paintNow(); TestProfiles.screenshot(view, "screenshot-cpu.png"); });
        // a range: the table counts only the samples in it and keeps the selected thread
        List<double[]> truth = truth();
        long from = (long) truth.get(4)[0], to = (long) truth.get(10)[0];
        robot.interact(() -> view.threadTable().getSelectionModel().select(other));
        robot.interact(() -> view.setFilter(Filter.NONE.withTimeRange(from, to)));
        java.util.Map<String, double[]> inRange = threadTruth(from, to);
        assertEquals(inRange.size(), view.threadTable().getItems().size());
        for (ThreadCpu.Row r : view.threadTable().getItems()) assertEquals((int) inRange.get(r.name())[0], r.samples(), r.name());
        if (inRange.containsKey(other.name())) assertEquals(other.name(), view.threadTable().getSelectionModel().getSelectedItem().name());
        // the context switch rate (one sample in this recording) is a row of the series table
        assertTrue(view.rows().stream().anyMatch(r -> r.series().startsWith("Context switches")), view.rows().toString());
    }
}
