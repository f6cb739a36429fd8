// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.jvm;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.jvm.GcPauses;
import dev.kiln.analysis.jvm.HeapSeries;
import dev.kiln.model.Profile;
import dev.kiln.model.Units;
import dev.kiln.views.timeline.SeriesChart;
import dev.kiln.views.timeline.ThreadTimelineView;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The Memory page of a JFR recording: the heap used before and after each collection and the committed heap over
 * time (when the recording has jdk.GCHeapSummary), and its garbage collections' pauses, each in a {@link SeriesChart} on
 * the Threads tab's time axis; and per collector the count, total and longest pause in the chosen time range with the
 * share of the range spent paused (GC overhead). A Shift+drag on the chart or on the Threads tab chooses the range.
 */
public final class MemoryView extends BorderPane {
    private final SeriesChart chart = new SeriesChart();
    private final SeriesChart heapChart = new SeriesChart();
    private final Label heading = new Label();
    private final TableView<GcPauses.Collector> table = new TableView<>();
    private Profile profile;

    public MemoryView() {
        setId("memory-view");
        heading.setStyle("-fx-font-weight: bold;");
        table.getColumns().add(column("Collector", GcPauses.Collector::name, 220));
        table.getColumns().add(column("Collections", c -> Integer.toString(c.count()), 100));
        table.getColumns().add(column("Total pause", c -> Units.duration(c.totalNanos()), 110));
        table.getColumns().add(column("Longest pause", c -> Units.duration(c.maxNanos()), 130));
        table.setFixedCellSize(24);
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        VBox top = new VBox(6, heading, table);
        top.setPadding(new Insets(8));
        setTop(top);
        VBox charts = new VBox(4, heapChart, chart);
        VBox.setVgrow(heapChart, javafx.scene.layout.Priority.ALWAYS);
        VBox.setVgrow(chart, javafx.scene.layout.Priority.ALWAYS);
        setCenter(charts);
        chart.timeRangeProperty().addListener((o, a, r) -> update());
        // both charts show one range: choosing it on either is choosing it on the page
        heapChart.timeRangeProperty().bindBidirectional(chart.timeRangeProperty());
    }

    private static TableColumn<GcPauses.Collector, String> column(String title, Function<GcPauses.Collector, String> value, double width) {
        TableColumn<GcPauses.Collector, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(value.apply(d.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    public void setProfile(Profile p, Filter f) {
        profile = p;
        GcPauses all = GcPauses.of(p, Filter.NONE);
        long start = p.startEpochNanos(), end = start + p.durationNanos();
        chart.setSeries(List.of(all.pauses()), start, end, start);
        HeapSeries heap = HeapSeries.of(p);
        heapChart.setVisible(!heap.isEmpty());
        heapChart.setManaged(!heap.isEmpty());
        heapChart.setSeries(List.of(heap.usedBefore(), heap.usedAfter(), heap.committed()), start, end, start);
        setFilter(f);
    }

    /** Applies the filter's time range. */
    public void setFilter(Filter f) {
        chart.setTimeRange(f);
        update();
    }

    private void update() {
        if (profile == null) return;
        ThreadTimelineView.Range r = chart.timeRangeProperty().get();
        GcPauses g = GcPauses.of(profile, r == null ? Filter.NONE : Filter.NONE.withTimeRange(r.fromNanos(), r.toNanos()));
        table.getItems().setAll(g.collectors());
        table.setPrefHeight(24 * (Math.max(1, g.collectors().size()) + 1) + 6); // a row per collector, none empty
        heading.setText(String.format(Locale.ROOT, "%d garbage collections%s, paused %s (%.2f%% of the time)", g.count(),
                r == null ? "" : " in the chosen time range", Units.duration(g.totalNanos()), 100 * g.overhead()));
    }

    public SeriesChart chart() { return chart; }

    public SeriesChart heapChart() { return heapChart; }

    public ObjectProperty<ThreadTimelineView.Range> timeRangeProperty() { return chart.timeRangeProperty(); }

    public List<GcPauses.Collector> rows() { return List.copyOf(table.getItems()); }

    public String headingText() { return heading.getText(); }
}
