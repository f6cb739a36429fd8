// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.jvm;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.jvm.AllocationRate;
import dev.kiln.analysis.jvm.GcDetails;
import dev.kiln.analysis.jvm.GcPauses;
import dev.kiln.analysis.jvm.HeapSeries;
import dev.kiln.analysis.jvm.Metaspace;
import dev.kiln.analysis.jvm.OldObjects;
import dev.kiln.analysis.jvm.TimeSeries;
import dev.kiln.model.Profile;
import dev.kiln.model.Units;
import dev.kiln.views.common.TableColumns;
import dev.kiln.views.timeline.SeriesChart;
import dev.kiln.views.timeline.ThreadTimelineView;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The Memory page of a JFR recording, in four tabs that share one time range (a Shift+drag on any chart or on the
 * Threads tab chooses it):
 * <ul>
 * <li>Heap and GC: the heap used before and after each collection and committed (jdk.GCHeapSummary), the collections'
 *     pauses, and per collector the count, total and longest pause in the range with the GC overhead;</li>
 * <li>Allocation and metaspace: the allocation rate ({@link AllocationRate}, its source named) and the metaspace used
 *     before and after GC and committed, with the reserved size in the heading;</li>
 * <li>GC causes and phases: per cause the collections and their pauses, the collections with the longest pauses, and
 *     the pause phases of the selected one;</li>
 * <li>Leak candidates: the old-object samples allocated in the range (class, allocation time, age, heap then, array
 *     length, thread, GC root) and the allocation stack of the selected one.</li>
 * </ul>
 */
public final class MemoryView extends BorderPane {
    static final int LONGEST = 20;
    private final SeriesChart chart = new SeriesChart(), heapChart = new SeriesChart();
    private final SeriesChart allocChart = new SeriesChart(), metaChart = new SeriesChart();
    private final Label heading = new Label(), allocHeading = new Label(), metaHeading = new Label(), gcHeading = new Label(),
            leakHeading = new Label();
    private final TableView<GcPauses.Collector> table = new TableView<>();
    private final TableView<GcDetails.Cause> causes = new TableView<>();
    private final TableView<GcDetails.Collection> longest = new TableView<>();
    private final TableView<GcDetails.Phase> phases = new TableView<>();
    private final TableView<OldObjects.Sample> leaks = new TableView<>();
    private final TextArea leakStack = new TextArea();
    private final TabPane tabs = new TabPane();
    private Profile profile;

    public MemoryView() {
        setId("memory-view");
        for (Label l : List.of(heading, allocHeading, metaHeading, gcHeading, leakHeading)) l.setStyle("-fx-font-weight: bold;");
        table.getColumns().add(column("Collector", GcPauses.Collector::name, 220));
        table.getColumns().add(column("Collections", c -> Integer.toString(c.count()), 100));
        table.getColumns().add(column("Total pause", c -> Units.duration(c.totalNanos()), 110));
        table.getColumns().add(column("Longest pause", c -> Units.duration(c.maxNanos()), 130));
        table.setFixedCellSize(24);
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        VBox top = new VBox(6, heading, table);
        top.setPadding(new Insets(8));
        BorderPane heap = new BorderPane(grow(new VBox(4, heapChart, chart), heapChart, chart), top, null, null, null);

        VBox alloc = grow(new VBox(4, allocHeading, allocChart, metaHeading, metaChart), allocChart, metaChart);
        alloc.setPadding(new Insets(8, 0, 0, 0));
        allocHeading.setPadding(new Insets(0, 8, 0, 8));
        metaHeading.setPadding(new Insets(0, 8, 0, 8));

        causes.getColumns().add(column("Cause", GcDetails.Cause::cause, 240));
        causes.getColumns().add(TableColumns.number("Collections", c -> (long) c.count(), v -> Long.toString(v), 95));
        causes.getColumns().add(TableColumns.number("Total pause", GcDetails.Cause::totalPauseNanos, Units::duration, 100));
        causes.getColumns().add(TableColumns.number("Longest pause", GcDetails.Cause::longestPauseNanos, Units::duration, 125));
        causes.setFixedCellSize(24);
        causes.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        longest.getColumns().add(TableColumns.number("GC id", GcDetails.Collection::gcId, v -> Long.toString(v), 60));
        longest.getColumns().add(column("Collector", GcDetails.Collection::name, 150));
        longest.getColumns().add(column("Cause", GcDetails.Collection::cause, 170));
        longest.getColumns().add(TableColumns.number("At", c -> c.startNanos() - origin(), MemoryView::seconds, 75));
        longest.getColumns().add(TableColumns.number("Longest pause", GcDetails.Collection::longestPauseNanos, Units::duration, 120));
        longest.getColumns().add(TableColumns.number("All pauses", GcDetails.Collection::sumOfPausesNanos, Units::duration, 90));
        longest.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        longest.getSelectionModel().selectedItemProperty().addListener((o, a, c) -> phases.getItems().setAll(c == null ? List.of() : c.phases()));
        phases.getColumns().add(column("Pause phase", ph -> "    ".repeat(ph.level()) + ph.name(), 300));
        phases.getColumns().add(TableColumns.number("At", ph -> ph.startNanos() - origin(), MemoryView::seconds, 75));
        phases.getColumns().add(TableColumns.number("Duration", GcDetails.Phase::durationNanos, Units::duration, 90));
        phases.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        phases.setPlaceholder(new Label("No pause phase recorded for this collection (jdk.GCPhasePause)"));
        phases.setSortPolicy(t -> false); // a pause before its sub-phases, by start
        SplitPane lower = new SplitPane(longest, phases);
        lower.setDividerPositions(0.55);
        VBox gc = grow(new VBox(6, gcHeading, causes, new Label("Collections with the longest pauses; the selected one's pause phases on the right"), lower), lower);
        gc.setPadding(new Insets(8));

        leaks.getColumns().add(column("Object class", OldObjects.Sample::className, 330));
        leaks.getColumns().add(TableColumns.number("Allocated at", s -> s.allocationNanos() - origin(), MemoryView::seconds, 95));
        leaks.getColumns().add(TableColumns.number("Age", OldObjects.Sample::ageNanos, Units::duration, 80));
        leaks.getColumns().add(TableColumns.number("Heap used then", OldObjects.Sample::lastKnownHeapUsageBytes, Units::bytes, 125));
        leaks.getColumns().add(TableColumns.number("Array length", OldObjects.Sample::arrayElements, v -> v < 0 ? "" : String.format(Locale.ROOT, "%,d", v), 105));
        leaks.getColumns().add(column("Thread", s -> profile == null ? "" : profile.threadName(s.thread()), 170));
        leaks.getColumns().add(column("GC root", OldObjects.Sample::root, 200));
        leaks.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        leaks.setPlaceholder(new Label("No old-object sample allocated in this range (jdk.OldObjectSample: the profile settings record it)"));
        leaks.getSelectionModel().selectedItemProperty().addListener((o, a, s) -> showLeakStack(s));
        leakStack.setEditable(false);
        leakStack.setStyle("-fx-font-family: monospace;");
        SplitPane leakSplit = new SplitPane(leaks, leakStack);
        leakSplit.setOrientation(Orientation.VERTICAL);
        leakSplit.setDividerPositions(0.6);
        VBox leak = grow(new VBox(6, leakHeading, leakSplit), leakSplit);
        leak.setPadding(new Insets(8));

        tabs.getTabs().addAll(tab("memory-heap", "Heap and GC", heap), tab("memory-alloc", "Allocation and metaspace", alloc),
                tab("memory-gc", "GC causes and phases", gc), tab("memory-leaks", "Leak candidates", leak));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        setCenter(tabs);
        chart.timeRangeProperty().addListener((o, a, r) -> update());
        // every chart shows one range: choosing it on any is choosing it on the page
        for (SeriesChart c : List.of(heapChart, allocChart, metaChart)) c.timeRangeProperty().bindBidirectional(chart.timeRangeProperty());
    }

    private static Tab tab(String id, String title, Node content) {
        Tab t = new Tab(title, content);
        t.setId(id);
        return t;
    }

    private static VBox grow(VBox box, Node... growing) {
        for (Node n : growing) VBox.setVgrow(n, Priority.ALWAYS);
        return box;
    }

    private long origin() { return profile == null ? 0 : profile.startEpochNanos(); }

    private static String seconds(long offsetNanos) { return String.format(Locale.ROOT, "%.3f s", offsetNanos / 1e9); }

    private static <R> TableColumn<R, String> column(String title, Function<R, String> value, double width) {
        TableColumn<R, String> c = new TableColumn<>(title);
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
        AllocationRate rate = AllocationRate.of(p);
        allocChart.setSeries(List.of(rate.rate()), start, end, start);
        allocHeading.setText(rate.isEmpty() ? "No allocation recorded (jdk.ObjectAllocationSample, jdk.ThreadAllocationStatistics)"
                : "Allocation rate from " + rate.source() + (rate.source().equals(AllocationRate.SAMPLES)
                ? String.format(Locale.ROOT, " per %d s: %s allocated in all", rate.bucketNanos() / 1_000_000_000L, Units.bytes(rate.totalBytes()))
                : ": the growth of the live threads' totals between two periods (threads that ended are missed)"));
        Metaspace meta = Metaspace.of(p);
        metaChart.setSeries(List.of(meta.usedBefore(), meta.usedAfter(), meta.committed()), start, end, start);
        metaHeading.setText(meta.isEmpty() ? "No metaspace summary recorded (jdk.MetaspaceSummary)"
                : "Metaspace (jdk.MetaspaceSummary), at the last summary: used " + last(meta.usedAfter().size() > 0 ? meta.usedAfter() : meta.usedBefore())
                + ", committed " + last(meta.committed()) + ", reserved " + last(meta.reserved()));
        setFilter(f);
        if (!leaks.getItems().isEmpty()) leaks.getSelectionModel().select(0);
    }

    private static String last(TimeSeries s) { return s.size() == 0 ? "-" : s.format(s.value(s.size() - 1)); }

    /** Applies the filter's time range. */
    public void setFilter(Filter f) {
        chart.setTimeRange(f);
        update();
    }

    private void update() {
        if (profile == null) return;
        ThreadTimelineView.Range r = chart.timeRangeProperty().get();
        Filter range = chart.rangeFilter();
        String where = r == null ? "" : " in the chosen time range";
        GcPauses g = GcPauses.of(profile, range);
        table.getItems().setAll(g.collectors());
        table.setPrefHeight(24 * (Math.max(1, g.collectors().size()) + 1) + 6); // a row per collector, none empty
        heading.setText(String.format(Locale.ROOT, "%d garbage collections%s, paused %s (%.2f%% of the time)", g.count(),
                where, Units.duration(g.totalNanos()), 100 * g.overhead()));

        GcDetails d = GcDetails.of(profile, range, LONGEST);
        causes.getItems().setAll(d.causes());
        causes.setPrefHeight(24 * (Math.max(1, d.causes().size()) + 1) + 6);
        causes.setMinHeight(causes.getPrefHeight());
        gcHeading.setText("Collections by cause (jdk.GarbageCollection)" + where);
        long selected = longest.getSelectionModel().getSelectedItem() == null ? -1 : longest.getSelectionModel().getSelectedItem().gcId();
        longest.getItems().setAll(d.longest());
        int keep = 0;
        for (int i = 0; i < d.longest().size(); i++) if (d.longest().get(i).gcId() == selected) keep = i;
        if (!d.longest().isEmpty()) longest.getSelectionModel().select(keep);
        else phases.getItems().clear();

        OldObjects old = OldObjects.of(profile, range);
        OldObjects.Sample was = leaks.getSelectionModel().getSelectedItem();
        leaks.getItems().setAll(old.samples());
        if (was != null && old.samples().contains(was)) leaks.getSelectionModel().select(was);
        else if (!old.samples().isEmpty()) leaks.getSelectionModel().select(0);
        else showLeakStack(null);
        leakHeading.setText(String.format(Locale.ROOT, "%d leak candidates%s: objects sampled at allocation still alive at the end "
                + "(jdk.OldObjectSample), oldest first%s", old.samples().size(), r == null ? "" : " allocated in the chosen time range",
                old.samples().stream().anyMatch(s -> !s.root().isEmpty()) ? "" : "; no GC roots (record with path-to-gc-roots=true for them)"));
    }

    private void showLeakStack(OldObjects.Sample s) {
        if (s == null || profile == null) { leakStack.setText(""); return; }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s allocated at %s, %s old, on %s:%n", s.className(),
                seconds(s.allocationNanos() - origin()), Units.duration(s.ageNanos()), profile.threadName(s.thread())));
        leakStack.setText(StackText.append(b, profile, s.stack()).toString());
    }

    public SeriesChart chart() { return chart; }

    public SeriesChart heapChart() { return heapChart; }

    public SeriesChart allocationChart() { return allocChart; }

    public SeriesChart metaspaceChart() { return metaChart; }

    public TabPane tabs() { return tabs; }

    public TableView<GcDetails.Cause> causeTable() { return causes; }

    public TableView<GcDetails.Collection> longestTable() { return longest; }

    public TableView<GcDetails.Phase> phaseTable() { return phases; }

    public TableView<OldObjects.Sample> leakTable() { return leaks; }

    public String leakStackText() { return leakStack.getText(); }

    public String allocationHeadingText() { return allocHeading.getText(); }

    public String metaspaceHeadingText() { return metaHeading.getText(); }

    public ObjectProperty<ThreadTimelineView.Range> timeRangeProperty() { return chart.timeRangeProperty(); }

    public List<GcPauses.Collector> rows() { return List.copyOf(table.getItems()); }

    public String headingText() { return heading.getText(); }
}
