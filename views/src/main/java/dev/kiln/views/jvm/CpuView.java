// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.jvm;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.jvm.CpuLoad;
import dev.kiln.analysis.jvm.TimeSeries;
import dev.kiln.model.Profile;
import dev.kiln.views.timeline.SeriesChart;
import dev.kiln.views.timeline.ThreadTimelineView;
import javafx.beans.property.ObjectProperty;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;

import java.util.List;

/**
 * The CPU page of a JFR recording, as JMC's: the JVM's CPU load (user + system) and the machine's total over time in
 * one {@link SeriesChart} on the Threads tab's time axis, and a table of their mean and maximum in the chosen time
 * range (all of the recording when none), which a Shift+drag on the chart or on the Threads tab sets.
 */
public final class CpuView extends BorderPane {
    private final SeriesChart chart = new SeriesChart();
    private final Label heading = new Label();
    private final TableView<Row> table = new TableView<>();
    private CpuLoad cpu;

    /** A line of the table: a series' mean and maximum in the range, formatted. */
    public record Row(String series, String mean, String max, int samples) { }

    public CpuView() {
        setId("cpu-view");
        heading.setStyle("-fx-font-weight: bold;");
        table.getColumns().add(column("Series", Row::series, 220));
        table.getColumns().add(column("Mean", Row::mean, 100));
        table.getColumns().add(column("Max", Row::max, 100));
        table.getColumns().add(column("Samples", r -> Integer.toString(r.samples()), 90));
        table.setFixedCellSize(24);
        table.setPrefHeight(24 * 3 + 6); // the header and the two series, no empty rows
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        VBox top = new VBox(6, heading, table);
        top.setPadding(new Insets(8));
        setTop(top);
        setCenter(chart);
        chart.timeRangeProperty().addListener((o, a, r) -> update());
    }

    private static TableColumn<Row, String> column(String title, java.util.function.Function<Row, String> value, double width) {
        TableColumn<Row, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new javafx.beans.property.ReadOnlyStringWrapper(value.apply(d.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    /** Shows the recording's CPU load; the filter's time range becomes the chart's chosen range. */
    public void setProfile(Profile p, Filter f) {
        cpu = CpuLoad.of(p);
        long start = p.startEpochNanos(), end = start + p.durationNanos();
        if (cpu.jvm().size() > 0) {
            start = Math.min(start, cpu.jvm().time(0));
            end = Math.max(end, cpu.jvm().time(cpu.jvm().size() - 1));
        }
        chart.setSeries(List.of(cpu.jvm(), cpu.machine()), start, end, p.startEpochNanos());
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
        List<Row> rows = List.of(row(cpu.jvm(), from, to), row(cpu.machine(), from, to));
        table.getItems().setAll(rows);
        heading.setText("CPU load" + (r == null ? " of the whole recording" : " in the chosen time range")
                + " (jdk.CPULoad, " + rows.get(0).samples() + " samples)");
    }

    private static Row row(TimeSeries s, long from, long to) {
        double[] mm = s.meanMax(from, to);
        int n = 0;
        for (int i = 0; i < s.size(); i++) if (s.time(i) >= from && s.time(i) < to) n++;
        return new Row(s.label(), s.format(mm[0]), s.format(mm[1]), n);
    }

    public SeriesChart chart() { return chart; }

    /** The chart's chosen range, which the shell ties to the shared filter. */
    public ObjectProperty<ThreadTimelineView.Range> timeRangeProperty() { return chart.timeRangeProperty(); }

    public List<Row> rows() { return List.copyOf(table.getItems()); }

    public String headingText() { return heading.getText(); }
}
