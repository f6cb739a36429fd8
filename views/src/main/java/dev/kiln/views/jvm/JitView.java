// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.jvm;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.jvm.ClassLoading;
import dev.kiln.analysis.jvm.Compilations;
import dev.kiln.analysis.jvm.TimeSeries;
import dev.kiln.model.Profile;
import dev.kiln.model.Units;
import dev.kiln.views.common.TableColumns;
import dev.kiln.views.timeline.SeriesChart;
import dev.kiln.views.timeline.ThreadTimelineView;
import javafx.beans.property.ObjectProperty;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.List;
import java.util.Locale;

/**
 * The JIT and classes page of a JFR recording, after JMC's Compilations, Code Cache and Class Loading pages: the
 * longest compilations the JVM recorded, per compiler their count and time, the deoptimizations and their reasons (the
 * selected one's stack below them), the
 * class loaders, and two {@link SeriesChart}s on the Threads tab's time axis: classes loaded and unloaded, and the code
 * cache used per code heap. The tables follow the chosen time range (Shift+drag on a chart or on the Threads tab).
 */
public final class JitView extends BorderPane {
    private final Label heading = new Label();
    private final TableView<Compilations.Compilation> compilations = new TableView<>();
    private final TableView<Compilations.Compiler> compilers = new TableView<>();
    private final TableView<Compilations.Count> reasons = new TableView<>();
    private final TableView<Compilations.Deoptimization> deopts = new TableView<>();
    private final TableView<ClassLoading.Loader> loaders = new TableView<>();
    private final TextArea deoptStack = new TextArea();
    private final SeriesChart classChart = new SeriesChart(), codeChart = new SeriesChart();
    private Profile profile;

    public JitView() {
        setId("jit-view");
        heading.setStyle("-fx-font-weight: bold;");
        heading.setPadding(new Insets(8));
        heading.setWrapText(true);
        compilations.getColumns().add(TableColumns.text("Method", Compilations.Compilation::method, 380));
        compilations.getColumns().add(TableColumns.text("Compiler", c -> c.compiler() + (c.level() >= 0 ? " (tier " + c.level() + ")" : ""), 90));
        compilations.getColumns().add(TableColumns.number("Duration", Compilations.Compilation::durationNanos, Units::duration, 80));
        compilations.getColumns().add(TableColumns.number("Code size", Compilations.Compilation::codeSizeBytes, Units::bytes, 80));
        compilations.getColumns().add(TableColumns.number("Inlined", Compilations.Compilation::inlinedBytes, Units::bytes, 75));
        compilations.getColumns().add(TableColumns.text("OSR", c -> c.osr() ? "yes" : "", 45));
        compilations.getColumns().add(TableColumns.text("Succeeded", c -> c.succeeded() ? "yes" : "no", 85));
        compilations.getColumns().add(TableColumns.number("Start", Compilations.Compilation::startNanos, this::offset, 70));
        compilations.setPlaceholder(new Label("No compilation recorded in this range (the JVM records those over 100 ms with the profile settings, 1 s by default)"));
        compilers.getColumns().add(TableColumns.text("Compiler", Compilations.Compiler::name, 80));
        compilers.getColumns().add(TableColumns.number("Recorded", c -> (long) c.count(), JitView::count, 75));
        compilers.getColumns().add(TableColumns.number("Total", Compilations.Compiler::totalNanos, Units::duration, 80));
        compilers.getColumns().add(TableColumns.number("Longest", Compilations.Compiler::maxNanos, Units::duration, 80));
        reasons.getColumns().add(TableColumns.text("Deoptimization reason", Compilations.Count::name, 230));
        reasons.getColumns().add(TableColumns.number("Count", c -> (long) c.count(), JitView::count, 70));
        deopts.getColumns().add(TableColumns.text("Deoptimized method", Compilations.Deoptimization::method, 330));
        deopts.getColumns().add(TableColumns.number("Line", d -> (long) d.line(), n -> n < 0 ? "" : Long.toString(n), 50));
        deopts.getColumns().add(TableColumns.text("Bytecode", Compilations.Deoptimization::instruction, 90));
        deopts.getColumns().add(TableColumns.text("Reason", Compilations.Deoptimization::reason, 170));
        deopts.getColumns().add(TableColumns.text("Action", Compilations.Deoptimization::action, 110));
        deopts.getColumns().add(TableColumns.number("Time", Compilations.Deoptimization::startNanos, this::offset, 70));
        deopts.setPlaceholder(new Label("No deoptimization in this range"));
        loaders.getColumns().add(TableColumns.text("Class loader", ClassLoading.Loader::name, 330));
        loaders.getColumns().add(TableColumns.number("Classes", ClassLoading.Loader::classes, JitView::count, 70));
        loaders.getColumns().add(TableColumns.number("Hidden", ClassLoading.Loader::hiddenClasses, JitView::count, 60));
        loaders.getColumns().add(TableColumns.number("Metaspace", ClassLoading.Loader::chunkBytes, n -> n < 0 ? "" : Units.bytes(n), 85));
        loaders.getColumns().add(TableColumns.number("Loaded", l -> (long) l.loads(), JitView::count, 65));
        loaders.getColumns().add(TableColumns.number("Unloaded", l -> (long) l.unloads(), JitView::count, 70));
        loaders.setPlaceholder(new Label("No class loader statistics"));

        for (TableView<?> t : List.of(compilations, compilers, reasons, deopts, loaders)) TableColumns.fitToWidth(t, 0);
        SplitPane side = new SplitPane(compilers, reasons);
        side.setOrientation(Orientation.VERTICAL);
        side.setDividerPositions(0.35);
        deoptStack.setEditable(false);
        deoptStack.setStyle("-fx-font-family: monospace;");
        deoptStack.setPromptText("Select a deoptimization for the stack it happened in");
        deopts.getSelectionModel().selectedItemProperty().addListener((o, a, d) -> showDeoptStack(d));
        SplitPane deoptBox = new SplitPane(deopts, deoptStack);
        deoptBox.setOrientation(Orientation.VERTICAL);
        deoptBox.setDividerPositions(0.6);
        SplitPane top = new SplitPane(compilations, side), middle = new SplitPane(deoptBox, loaders);
        top.setDividerPositions(0.66);
        middle.setDividerPositions(0.55);
        HBox charts = new HBox(4, titled("Classes loaded and unloaded (jdk.ClassLoadingStatistics)", classChart),
                titled("Code cache used per code heap (jdk.CodeCacheStatistics)", codeChart));
        SplitPane all = new SplitPane(top, middle, charts);
        all.setOrientation(Orientation.VERTICAL);
        all.setDividerPositions(0.32, 0.70);
        setTop(heading);
        setCenter(all);
        classChart.timeRangeProperty().addListener((o, a, r) -> update());
        codeChart.timeRangeProperty().bindBidirectional(classChart.timeRangeProperty());
    }

    private static Node titled(String title, SeriesChart chart) {
        Label l = new Label(title);
        l.setPadding(new Insets(2, 0, 0, 6));
        VBox box = new VBox(l, chart);
        VBox.setVgrow(chart, Priority.ALWAYS);
        HBox.setHgrow(box, Priority.ALWAYS);
        chart.setPrefSize(600, 180);
        return box;
    }

    private void showDeoptStack(Compilations.Deoptimization d) {
        if (d == null || profile == null) { deoptStack.setText(""); return; }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s deoptimized at %s (%s, %s), top frame first:%n", d.method(),
                offset(d.startNanos()), d.reason(), d.action()));
        deoptStack.setText(StackText.append(b, profile, d.stack()).toString());
    }

    /** The selected deoptimization's stack as shown. */
    public String deoptStackText() { return deoptStack.getText(); }

    private static String count(long n) { return n < 0 ? "" : String.format(Locale.ROOT, "%,d", n); }

    /** A time as seconds since the recording's start. */
    private String offset(long t) {
        return profile == null ? "" : String.format(Locale.ROOT, "%.3f s", (t - profile.startEpochNanos()) / 1e9);
    }

    public void setProfile(Profile p, Filter f) {
        profile = p;
        long start = p.startEpochNanos(), end = start + p.durationNanos();
        ClassLoading cl = ClassLoading.of(p, Filter.NONE);
        classChart.setSeries(List.of(cl.loaded(), cl.unloaded()), start, end, start);
        codeChart.setSeries(Compilations.of(p, Filter.NONE).codeCacheChart(), start, end, start);
        setFilter(f);
    }

    /** Applies the filter's time range. */
    public void setFilter(Filter f) {
        classChart.setTimeRange(f);
        update();
    }

    private void update() {
        if (profile == null) return;
        ThreadTimelineView.Range r = classChart.timeRangeProperty().get();
        Filter f = classChart.rangeFilter();
        Compilations c = Compilations.of(profile, f);
        ClassLoading cl = ClassLoading.of(profile, f);
        compilations.getItems().setAll(c.compilations());
        compilers.getItems().setAll(c.compilers());
        reasons.getItems().setAll(c.deoptimizationReasons());
        deopts.getItems().setAll(c.deoptimizations());
        loaders.getItems().setAll(cl.loaders());
        boolean classEvents = cl.loadEvents() + cl.unloadEvents() > 0; // the Loaded and Unloaded columns, only when recorded
        loaders.getColumns().get(4).setVisible(classEvents);
        loaders.getColumns().get(5).setVisible(classEvents);
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%,d compilations recorded%s (%s)", c.compilations().size(),
                r == null ? "" : " in the chosen time range", Units.duration(c.totalNanos())));
        if (c.statistics() != null) {
            b.append(String.format(Locale.ROOT, " of %,d the JVM compiled (%s in all, %,d OSR, %,d bailouts)", c.statistics().compileCount(),
                    Units.duration(c.statistics().totalTimeNanos()), c.statistics().osrCompileCount(), c.statistics().bailoutCount()));
        }
        b.append(String.format(Locale.ROOT, "; %,d deoptimizations", c.deoptimizations().size()));
        if (!c.codeCacheUsed().isEmpty()) {
            double used = 0;
            for (TimeSeries s : c.codeCacheUsed()) used += s.size() == 0 ? 0 : s.value(s.size() - 1);
            b.append("; code cache ").append(Units.bytes((long) used)).append(c.codeCacheReservedBytes() > 0 ? " used of " + Units.bytes(c.codeCacheReservedBytes()) : " used")
                    .append(c.codeCacheFull() > 0 ? ", full " + c.codeCacheFull() + " times" : "");
        }
        if (cl.loaded().size() > 0) {
            b.append(String.format(Locale.ROOT, "; %,d classes loaded, %,d unloaded", (long) cl.loaded().value(cl.loaded().size() - 1),
                    (long) cl.unloaded().value(cl.unloaded().size() - 1)));
        }
        if (cl.loadEvents() + cl.unloadEvents() > 0) {
            b.append(String.format(Locale.ROOT, " (%,d class load and %,d unload events%s)", cl.loadEvents(), cl.unloadEvents(), r == null ? "" : " in the range"));
        }
        heading.setText(b.toString());
        if (!compilations.getItems().isEmpty()) compilations.getSelectionModel().select(0);
        if (!deopts.getItems().isEmpty()) deopts.getSelectionModel().select(0);
        else showDeoptStack(null);
    }

    public SeriesChart classChart() { return classChart; }

    public SeriesChart codeChart() { return codeChart; }

    public ObjectProperty<ThreadTimelineView.Range> timeRangeProperty() { return classChart.timeRangeProperty(); }

    public TableView<Compilations.Compilation> compilations() { return compilations; }

    public TableView<Compilations.Compiler> compilers() { return compilers; }

    public TableView<Compilations.Count> reasons() { return reasons; }

    public TableView<Compilations.Deoptimization> deoptimizations() { return deopts; }

    public TableView<ClassLoading.Loader> loaders() { return loaders; }

    public String headingText() { return heading.getText(); }
}
