// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.jvm;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.jvm.CpuLoad;
import dev.kiln.analysis.jvm.ThreadCpu;
import dev.kiln.analysis.jvm.TimeSeries;
import dev.kiln.model.Profile;
import dev.kiln.views.common.TableColumns;
import dev.kiln.views.timeline.SeriesChart;
import dev.kiln.views.timeline.ThreadTimelineView;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The CPU page of a JFR recording, as JMC's: the JVM's user and system CPU load, their sum and the machine's total over
 * time in one {@link SeriesChart} on the Threads tab's time axis, with a table of their mean and maximum in the chosen
 * time range (all of the recording when none; the machine's context switch rate beside them when recorded); below,
 * thread CPU top ({@code jdk.ThreadCPULoad}): the threads by mean load in the range, and the selected thread's user and
 * system load over time. A Shift+drag on either chart or on the Threads tab sets the range.
 */
public final class CpuView extends BorderPane {
    private final SeriesChart chart = new SeriesChart();
    private final SeriesChart threadChart = new SeriesChart();
    private final Label heading = new Label(), threadHeading = new Label();
    private final TableView<Row> table = new TableView<>();
    private final TableView<ThreadCpu.Row> threads = new TableView<>();
    private Profile profile;
    private CpuLoad cpu;
    private ThreadCpu all;
    private long start, end;

    /** A line of the table: a series' mean and maximum in the range, formatted. */
    public record Row(String series, String mean, String max, int samples) { }

    public CpuView() {
        setId("cpu-view");
        heading.setStyle("-fx-font-weight: bold;");
        threadHeading.setStyle("-fx-font-weight: bold;");
        table.getColumns().add(column("Series", Row::series, 260));
        table.getColumns().add(column("Mean", Row::mean, 100));
        table.getColumns().add(column("Max", Row::max, 100));
        table.getColumns().add(column("Samples", r -> Integer.toString(r.samples()), 90));
        table.setFixedCellSize(24);
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        VBox top = new VBox(6, heading, table);
        top.setPadding(new Insets(8));
        setTop(top);

        TableColumn<ThreadCpu.Row, String> name = new TableColumn<>("Thread");
        name.setCellValueFactory(d -> new ReadOnlyStringWrapper(d.getValue().name()));
        name.setPrefWidth(230);
        threads.getColumns().add(name);
        threads.getColumns().add(percentColumn("Mean", ThreadCpu.Row::meanTotal));
        threads.getColumns().add(percentColumn("Max", ThreadCpu.Row::maxTotal));
        threads.getColumns().add(percentColumn("User", ThreadCpu.Row::meanUser));
        threads.getColumns().add(percentColumn("System", ThreadCpu.Row::meanSystem));
        threads.getColumns().add(TableColumns.number("Samples", r -> (long) r.samples(), v -> Long.toString(v), 70));
        threads.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        threads.setPlaceholder(new Label("No jdk.ThreadCPULoad sample in this range (the profile settings take one per thread every 10 s)"));
        threads.getSelectionModel().selectedItemProperty().addListener((o, a, r) -> showThread(r));
        VBox threadBox = new VBox(4, threadHeading, threadChart);
        VBox.setVgrow(threadChart, javafx.scene.layout.Priority.ALWAYS);
        SplitPane bottom = new SplitPane(threads, threadBox);
        bottom.setDividerPositions(0.45);
        SplitPane center = new SplitPane(chart, bottom);
        center.setOrientation(Orientation.VERTICAL);
        center.setDividerPositions(0.5);
        setCenter(center);
        chart.timeRangeProperty().addListener((o, a, r) -> update());
        threadChart.timeRangeProperty().bindBidirectional(chart.timeRangeProperty());
    }

    private static TableColumn<Row, String> column(String title, Function<Row, String> value, double width) {
        TableColumn<Row, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(value.apply(d.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    /** A load (0-1) column, sortable by value: held in millionths. */
    private static TableColumn<ThreadCpu.Row, Long> percentColumn(String title, Function<ThreadCpu.Row, Double> value) {
        return TableColumns.number(title, r -> Math.round(value.apply(r) * 1e6), v -> TimeSeries.format(v / 1e6, TimeSeries.PERCENT), 72);
    }

    /** Shows the recording's CPU load; the filter's time range becomes the chart's chosen range. */
    public void setProfile(Profile p, Filter f) {
        profile = p;
        cpu = CpuLoad.of(p);
        all = ThreadCpu.of(p, Filter.NONE);
        start = p.startEpochNanos();
        end = start + p.durationNanos();
        if (cpu.jvm().size() > 0) {
            start = Math.min(start, cpu.jvm().time(0));
            end = Math.max(end, cpu.jvm().time(cpu.jvm().size() - 1));
        }
        chart.setSeries(cpu.charted(), start, end, p.startEpochNanos());
        setFilter(f);
    }

    /** Applies the filter's time range (the only part of a filter CPU load samples answer to). */
    public void setFilter(Filter f) {
        chart.setTimeRange(f);
        update();
    }

    private void update() {
        if (cpu == null) return;
        ThreadTimelineView.Range r = chart.timeRangeProperty().get();
        long from = r == null ? Long.MIN_VALUE : r.fromNanos(), to = r == null ? Long.MAX_VALUE : r.toNanos();
        List<Row> rows = new ArrayList<>();
        for (TimeSeries s : cpu.charted()) rows.add(row(s, from, to));
        if (all.contextSwitches().size() > 0) rows.add(row(all.contextSwitches(), from, to));
        table.getItems().setAll(rows);
        table.setPrefHeight(24 * (rows.size() + 1) + 6); // the header and the series, no empty rows
        heading.setText("CPU load" + (r == null ? " of the whole recording" : " in the chosen time range")
                + " (jdk.CPULoad, " + rows.get(0).samples() + " samples)");
        ThreadCpu.Row selected = threads.getSelectionModel().getSelectedItem();
        ThreadCpu t = ThreadCpu.of(profile, r == null ? Filter.NONE : Filter.NONE.withTimeRange(from, to));
        threads.getItems().setAll(t.threads());
        int keep = -1;
        for (int i = 0; selected != null && i < t.threads().size(); i++) if (t.threads().get(i).thread() == selected.thread()) keep = i;
        if (!t.threads().isEmpty()) threads.getSelectionModel().select(Math.max(0, keep));
        else showThread(null);
    }

    private void showThread(ThreadCpu.Row t) {
        if (t == null) {
            threadHeading.setText(all != null && all.threads().isEmpty() ? "No thread CPU load recorded (jdk.ThreadCPULoad)" : "Select a thread");
            threadChart.setSeries(List.of(), start, end, profile == null ? 0 : profile.startEpochNanos());
            return;
        }
        threadHeading.setText("CPU load of " + t.name() + " (jdk.ThreadCPULoad, of all CPUs)");
        threadChart.setSeries(List.of(t.user(), t.system()), start, end, profile.startEpochNanos());
        threadChart.fitValues();
    }

    private static Row row(TimeSeries s, long from, long to) {
        double[] mm = s.meanMax(from, to);
        int n = 0;
        for (int i = 0; i < s.size(); i++) if (s.time(i) >= from && s.time(i) < to) n++;
        return new Row(s.label(), s.format(mm[0]), s.format(mm[1]), n);
    }

    public SeriesChart chart() { return chart; }

    public SeriesChart threadChart() { return threadChart; }

    public TableView<ThreadCpu.Row> threadTable() { return threads; }

    /** The chart's chosen range, which the shell ties to the shared filter. */
    public ObjectProperty<ThreadTimelineView.Range> timeRangeProperty() { return chart.timeRangeProperty(); }

    public List<Row> rows() { return List.copyOf(table.getItems()); }

    public String headingText() { return heading.getText(); }

    public String threadHeadingText() { return threadHeading.getText(); }
}
