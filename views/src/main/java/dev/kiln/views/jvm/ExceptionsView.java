// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.jvm;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.jvm.ThrownExceptions;
import dev.kiln.analysis.tree.CallTree;
import dev.kiln.model.Profile;
import dev.kiln.views.common.BackgroundJob;
import dev.kiln.views.common.TableColumns;
import dev.kiln.views.flame.FlameGraphView;
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

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The Exceptions page of a JFR recording, as JMC's: the throw events a second and the rate of throwables created
 * ({@code jdk.ExceptionStatistics}) in a {@link SeriesChart} on the Threads tab's time axis; the thrown classes (count, share, first and last time) and
 * the class + message pairs in the capture's filter; and the throwing stacks as a flame graph, of every class or of
 * the class selected in the table (Esc clears the selection: all again). Counts come from
 * {@link ThrownExceptions}: each error once, errors only when the recording has no exception events.
 */
public final class ExceptionsView extends BorderPane {
    private final SeriesChart chart = new SeriesChart();
    private final Label heading = new Label(), status = new Label();
    private final TableView<ThrownExceptions.ClassRow> classes = new TableView<>();
    private final TableView<ThrownExceptions.MessageRow> messages = new TableView<>();
    private final FlameGraphView flame = new FlameGraphView();
    private final BackgroundJob<CallTree> job = new BackgroundJob<>("kiln-exceptions");
    private Profile profile;
    private Filter filter = Filter.NONE;
    private ThrownExceptions thrown;
    private String flameClass;

    public ExceptionsView() {
        setId("exceptions-view");
        heading.setStyle("-fx-font-weight: bold;");
        classes.setId("exception-classes");
        classes.getColumns().add(text("Class", ThrownExceptions.ClassRow::className, 330));
        classes.getColumns().add(TableColumns.number("Count", r -> (long) r.count(), ExceptionsView::count, 80));
        classes.getColumns().add(text("%", r -> share(r.count()), 60));
        classes.getColumns().add(text("First", r -> seconds(r.firstNanos()), 80));
        classes.getColumns().add(text("Last", r -> seconds(r.lastNanos()), 80));
        classes.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        classes.setPlaceholder(new Label("No exception or error was recorded in this range (JFR's default settings record errors only)"));
        messages.setId("exception-messages");
        messages.getColumns().add(TableColumns.number("Count", r -> (long) r.count(), ExceptionsView::count, 70));
        messages.getColumns().add(text("Class", ThrownExceptions.MessageRow::className, 230));
        messages.getColumns().add(text("Message", ThrownExceptions.MessageRow::message, 330));
        messages.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        messages.setPlaceholder(new Label("No message"));
        classes.addEventHandler(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == javafx.scene.input.KeyCode.ESCAPE) { classes.getSelectionModel().clearSelection(); e.consume(); }
        });
        classes.getSelectionModel().selectedItemProperty().addListener((o, a, r) -> selectClass(r == null ? null : r.className()));
        VBox left = new VBox(4, titled("By class (select one for its stacks and messages, Esc for all)"), classes, titled("By message"), messages);
        VBox.setVgrow(classes, javafx.scene.layout.Priority.ALWAYS);
        VBox.setVgrow(messages, javafx.scene.layout.Priority.ALWAYS);
        left.setPadding(new Insets(0, 4, 0, 8));
        VBox right = new VBox(2, status, flame);
        VBox.setVgrow(flame, javafx.scene.layout.Priority.ALWAYS);
        SplitPane split = new SplitPane(left, right);
        split.setOrientation(Orientation.HORIZONTAL);
        split.setDividerPositions(0.42);
        chart.setPrefHeight(150);
        chart.setMinHeight(120);
        VBox top = new VBox(4, heading, chart);
        top.setPadding(new Insets(8, 8, 4, 8));
        setTop(top);
        setCenter(split);
    }

    private static Label titled(String s) {
        Label l = new Label(s);
        l.setStyle("-fx-font-weight: bold;");
        l.setPadding(new Insets(4, 0, 0, 0));
        return l;
    }

    private static <R> TableColumn<R, String> text(String title, Function<R, String> value, double width) {
        TableColumn<R, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(value.apply(d.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    private static String count(long n) { return String.format(Locale.ROOT, "%,d", n); }

    private String share(int n) { return thrown == null || thrown.total() == 0 ? "" : String.format(Locale.ROOT, "%.1f%%", 100.0 * n / thrown.total()); }

    private String seconds(long epochNanos) { return String.format(Locale.ROOT, "%.3f s", (epochNanos - profile.startEpochNanos()) / 1e9); }

    /** Shows the recording's exceptions in the filter (time range and threads). */
    public void setProfile(Profile p, Filter f) {
        profile = p;
        ThrownExceptions all = ThrownExceptions.of(p, Filter.NONE);
        long start = p.startEpochNanos(), end = start + p.durationNanos();
        boolean rate = all.rate().size() > 0 || all.thrownRate().size() > 0;
        chart.setVisible(rate);
        chart.setManaged(rate);
        chart.setSeries(List.of(all.thrownRate(), all.rate()), start, end, start);
        setFilter(f);
    }

    /** Recounts the tables and the flame graph for another filter. */
    public void setFilter(Filter f) {
        filter = f == null ? Filter.NONE : f;
        chart.setTimeRange(filter);
        String keep = flameClass;
        thrown = ThrownExceptions.of(profile, filter);
        classes.getItems().setAll(thrown.byClass());
        flameClass = null;
        ThrownExceptions.ClassRow again = thrown.byClass().stream().filter(r -> r.className().equals(keep)).findFirst().orElse(null);
        if (again != null) classes.getSelectionModel().select(again);
        else selectClass(null);
        String src = thrown.source() == null ? "no throw events" : thrown.source();
        heading.setText(String.format(Locale.ROOT, "%,d throwables of %d classes%s (%s%s)", thrown.total(), thrown.byClass().size(),
                filter.isNone() ? "" : " in the filter", src,
                "; chart: the throw events a second" + (thrown.rate().size() > 0 ? " and jdk.ExceptionStatistics' throwables created a second" : "")));
    }

    private void selectClass(String className) {
        flameClass = className;
        messages.getItems().setAll(className == null ? thrown.byMessage()
                : thrown.byMessage().stream().filter(m -> m.className().equals(className)).toList());
        Profile p = profile;
        Filter f = filter;
        ThrownExceptions t = thrown;
        job.run(status, "Building the throwing stacks", progress -> CallTree.build(p, t.weight(p, className), f, CallTree.Options.DEFAULT, progress),
                tree -> {
                    flame.setTree(tree);
                    status.setText("Throwing stacks of " + (className == null ? "every class" : className));
                });
    }

    public SeriesChart chart() { return chart; }

    /** The chart's chosen range, which the shell ties to the shared filter. */
    public ObjectProperty<ThreadTimelineView.Range> timeRangeProperty() { return chart.timeRangeProperty(); }

    public TableView<ThrownExceptions.ClassRow> classTable() { return classes; }

    public TableView<ThrownExceptions.MessageRow> messageTable() { return messages; }

    public FlameGraphView flameGraph() { return flame; }

    public String headingText() { return heading.getText(); }

    public String statusText() { return status.getText(); }
}
