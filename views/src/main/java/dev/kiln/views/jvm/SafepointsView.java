// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.jvm;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.jvm.Safepoints;
import dev.kiln.model.Profile;
import dev.kiln.model.Units;
import dev.kiln.views.common.TableColumns;
import dev.kiln.views.timeline.SeriesChart;
import dev.kiln.views.timeline.ThreadTimelineView;
import javafx.beans.property.ObjectProperty;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;

import java.util.List;
import java.util.Locale;

/**
 * The safepoints page of a JFR recording, after JMC's VM Operations page: each safepoint's pause and its time to
 * safepoint over time in a {@link SeriesChart} on the Threads tab's time axis; the safepoints longest first with the
 * time to reach them, the time in them, their VM operation and who asked for it; and per VM operation (at a safepoint
 * or not) the count, total and longest time. The tables follow the chosen time range (Shift+drag on the chart or on
 * the Threads tab).
 */
public final class SafepointsView extends BorderPane {
    private final Label heading = new Label();
    private final SeriesChart chart = new SeriesChart();
    private final TableView<Safepoints.Safepoint> safepoints = new TableView<>();
    private final TableView<Safepoints.OperationTotal> operations = new TableView<>();
    private Profile profile;

    public SafepointsView() {
        setId("safepoints-view");
        heading.setStyle("-fx-font-weight: bold;");
        heading.setPadding(new Insets(8));
        heading.setWrapText(true);
        safepoints.getColumns().add(TableColumns.number("Safepoint", Safepoints.Safepoint::id, n -> Long.toString(n), 75));
        safepoints.getColumns().add(TableColumns.number("Start", Safepoints.Safepoint::startNanos, this::offset, 75));
        safepoints.getColumns().add(TableColumns.number("Pause", Safepoints.Safepoint::totalNanos, Units::duration, 80));
        safepoints.getColumns().add(TableColumns.number("Time to safepoint", Safepoints.Safepoint::toSafepointNanos, n -> n < 0 ? "" : Units.duration(n), 135));
        safepoints.getColumns().add(TableColumns.number("In safepoint", Safepoints.Safepoint::inSafepointNanos, Units::duration, 100));
        safepoints.getColumns().add(TableColumns.text("VM operation", Safepoints.Safepoint::operation, 190));
        safepoints.getColumns().add(TableColumns.text("Caller", Safepoints.Safepoint::caller, 120));
        safepoints.getColumns().add(TableColumns.number("Threads", s -> (long) s.threads(), n -> n < 0 ? "" : Long.toString(n), 65));
        safepoints.setPlaceholder(new Label("No safepoint in this range (jdk.SafepointBegin and jdk.ExecuteVMOperation are on in the default and profile settings)"));
        operations.getColumns().add(TableColumns.text("VM operation", Safepoints.OperationTotal::operation, 200));
        operations.getColumns().add(TableColumns.number("Count", o -> (long) o.count(), SafepointsView::count, 65));
        operations.getColumns().add(TableColumns.number("At safepoint", o -> (long) o.atSafepoint(), SafepointsView::count, 100));
        operations.getColumns().add(TableColumns.number("Total", Safepoints.OperationTotal::totalNanos, Units::duration, 80));
        operations.getColumns().add(TableColumns.number("Longest", Safepoints.OperationTotal::maxNanos, Units::duration, 80));
        TableColumns.fitToWidth(safepoints, 5);
        TableColumns.fitToWidth(operations, 0);
        SplitPane tables = new SplitPane(safepoints, operations);
        tables.setDividerPositions(0.67);
        chart.setPrefSize(900, 200);
        SplitPane all = new SplitPane(chart, tables);
        all.setOrientation(Orientation.VERTICAL);
        all.setDividerPositions(0.38);
        setTop(heading);
        setCenter(all);
        chart.timeRangeProperty().addListener((o, a, r) -> update());
    }

    private static String count(long n) { return String.format(Locale.ROOT, "%,d", n); }

    private String offset(long t) {
        return profile == null ? "" : String.format(Locale.ROOT, "%.3f s", (t - profile.startEpochNanos()) / 1e9);
    }

    public void setProfile(Profile p, Filter f) {
        profile = p;
        long start = p.startEpochNanos(), end = start + p.durationNanos();
        chart.setSeries(Safepoints.of(p, Filter.NONE).series(), start, end, start);
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
        Safepoints s = Safepoints.of(profile, chart.rangeFilter());
        safepoints.getItems().setAll(s.longest());
        operations.getItems().setAll(s.byOperation());
        long span = r == null ? profile.durationNanos() : r.toNanos() - r.fromNanos();
        long noSafepoint = s.operations().stream().filter(o -> !o.safepoint()).count();
        String longest = s.safepoints().isEmpty() ? "" : ", longest " + Units.duration(s.maxNanos())
                + (s.longest().get(0).operation().isEmpty() ? "" : " (" + s.longest().get(0).operation() + ")");
        heading.setText(String.format(Locale.ROOT, "%,d safepoints%s stopped the Java threads for %s (%.2f%% of the time)%s; %,d VM operations, %,d of them without a safepoint",
                s.safepoints().size(), r == null ? "" : " in the chosen time range", Units.duration(s.totalNanos()),
                span <= 0 ? 0 : 100.0 * s.totalNanos() / span, longest, s.operations().size(), noSafepoint));
        if (!safepoints.getItems().isEmpty()) safepoints.getSelectionModel().select(0);
    }

    public SeriesChart chart() { return chart; }

    public ObjectProperty<ThreadTimelineView.Range> timeRangeProperty() { return chart.timeRangeProperty(); }

    public TableView<Safepoints.Safepoint> safepoints() { return safepoints; }

    public TableView<Safepoints.OperationTotal> operations() { return operations; }

    public String headingText() { return heading.getText(); }
}
