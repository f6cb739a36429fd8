// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.timeline;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.timeline.GoroutineGroups;
import dev.kiln.analysis.timeline.GoroutineStates;
import dev.kiln.analysis.timeline.NaturalOrder;
import dev.kiln.analysis.timeline.RuntimeSeries;
import dev.kiln.analysis.timeline.ThreadState;
import dev.kiln.analysis.timeline.ThreadTimelines;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.EventKind;
import dev.kiln.model.EventTable;
import dev.kiln.model.Profile;
import dev.kiln.model.SampleTable;
import dev.kiln.model.Units;
import dev.kiln.views.common.BackgroundJob;
import dev.kiln.views.common.CanvasPalette;
import dev.kiln.views.common.CanvasTheme;
import javafx.application.Platform;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Thread states over time: one lane per thread ({@link ThreadTimelines}), coloured by {@link ThreadState} with a
 * legend, thread names in a left gutter, a time axis; mouse wheel or +/- zoom around the pointer, dragging pans,
 * hovering shows the interval's state, duration and evidence (event kind, monitor class, previous owner, top
 * frames), a click selects a lane and shows its per-state totals in the bottom row. A filter field keeps lanes
 * whose thread name matches a regex; lanes sort by name, blocked time or CPU (RUNNING) time. Only visible lanes
 * are drawn, at most once per pulse. For Go goroutine profiles (no timestamps) it shows the goroutine count per
 * state with the wait histogram and the "no timeline" note instead.
 *
 * <p>{@link #setProfile} computes in a background {@link Task}; {@link #setData} shows computed {@link Data} now.
 */
public class ThreadTimelineView extends BorderPane {
    /** Pointer travel (pixels) under which a press-release is a click, not a drag. */
    public static final double CLICK_SLOP = 4;
    /** Shading and edges of the chosen (or being dragged) time range. */
    static final javafx.scene.paint.Color RANGE_SHADE = javafx.scene.paint.Color.rgb(25, 113, 194, 0.18),
            RANGE_EDGE = javafx.scene.paint.Color.rgb(25, 113, 194, 0.9),
            MARK = javafx.scene.paint.Color.rgb(230, 73, 128, 0.95);
    /** Zoom factor of one wheel notch or one +/- key press. */
    public static final double ZOOM_STEP = 1.25;
    /** A trace with more lanes than this opens with its goroutine groups folded. */
    public static final int FOLD_ALL_ABOVE = 200;
    /** Number of top frames shown in the hover text. */
    public static final int TOOLTIP_FRAMES = 6;

    /** How lanes are ordered. */
    public enum Sort {
        NAME("Name"), BLOCKED("Blocked time"), CPU("CPU (running)");
        private final String label;

        Sort(String label) { this.label = label; }

        @Override
        public String toString() { return label; }
    }

    /** What the view shows, computed off the FX thread; immutable. {@code goroutines} is null unless Go. */
    public record Data(Profile profile, ThreadTimelines timelines, GoroutineStates goroutines, RuntimeSeries runtime) {
        public static Data compute(Profile p, Filter filter, ProgressSink progress) {
            Filter f = filter == null ? Filter.NONE : filter;
            GoroutineStates g = GoroutineStates.applies(p) ? GoroutineStates.of(p, f) : null;
            return new Data(p, ThreadTimelines.of(p, f, progress), g, RuntimeSeries.of(p));
        }
    }

    private final TextField filterField = org.controlsfx.control.textfield.TextFields.createClearableTextField();
    private final ComboBox<Sort> sortBox = new ComboBox<>();
    /** Folding groups of goroutines by start function (Go traces only). */
    private final CheckBox groupBox = new CheckBox("Group by start function");
    private LaneGroups groups;
    private final Label status = new Label("No profile");
    private final Label totalsRow = new Label("Click a lane to see its totals per state");
    private final Lanes lanes = new Lanes();
    /** GC, pauses and the heap above the lanes ({@link RuntimeBand}); no height when the capture has none. */
    private final Canvas band = new Canvas(0, 0);
    /** Repaints the lanes when the theme changes (held here: the theme holds it weakly). */
    private final javafx.beans.value.ChangeListener<CanvasPalette> themeListener =
            CanvasTheme.onChange(() -> lanes.requestPaint());
    private final ScrollBar vbar = new ScrollBar();
    private final ReadOnlyIntegerWrapper selectedLane = new ReadOnlyIntegerWrapper(this, "selectedLane", -1);
    private Data data;
    private String[] names = new String[0];
    private TimelineLayout layout = TimelineLayout.of(0, 0, new int[0], 0, 1);
    private long origin;
    /** What {@link #reveal} waits to show until the data is in: start, duration, thread; and the event it marks. */
    private long[] pendingReveal, mark;
    private final BackgroundJob<Data> job = new BackgroundJob<>("kiln-timeline");
    private final ObjectProperty<Range> timeRange = new SimpleObjectProperty<>(this, "timeRange", null);

    /** A chosen time range {@code [fromNanos, toNanos)} in the timelines' (epoch) nanoseconds. */
    public record Range(long fromNanos, long toNanos) {
        public Range {
            if (toNanos <= fromNanos) throw new IllegalArgumentException("empty range " + fromNanos + ".." + toNanos);
        }
    }

    public ThreadTimelineView() {
        filterField.setPromptText("Filter threads (regex)");
        filterField.setPrefColumnCount(18);
        filterField.textProperty().addListener((o, a, b) -> applyOrder());
        sortBox.getItems().setAll(Sort.values());
        sortBox.setValue(Sort.NAME);
        sortBox.valueProperty().addListener((o, a, b) -> applyOrder());
        groupBox.setSelected(true);
        groupBox.setVisible(false);
        groupBox.setManaged(false);
        groupBox.selectedProperty().addListener((o, a, b) -> applyOrder());
        // A flow, not a row: in a narrow window the legend wraps below the controls instead of being clipped.
        HBox controls = new HBox(8, fixed(new Label("Threads")), filterField, fixed(new Label("Sort")), sortBox, groupBox);
        controls.setAlignment(Pos.CENTER_LEFT);
        Label rangeHint = fixed(new Label("Shift+drag: use a time range"));
        rangeHint.setStyle("-fx-opacity: 0.75;"); // muted in either theme
        FlowPane bar = new FlowPane(16, 6, controls, legend(), rangeHint, fixed(status));
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6));
        setTop(bar);
        vbar.setOrientation(Orientation.VERTICAL);
        vbar.valueProperty().addListener((o, a, v) -> {
            if (v.doubleValue() != layout.scrollY()) {
                layout = layout.withScroll(v.doubleValue());
                lanes.requestPaint();
            }
        });
        band.setManaged(true);
        setCenter(new BorderPane(lanes, band, vbar, null, null));
        totalsRow.setPadding(new Insets(4, 6, 4, 6));
        setBottom(totalsRow);
        timeRange.addListener((o, a, b) -> lanes.requestPaint());
    }

    /** A label that keeps its full text: never shrunk to an ellipsis. */
    private static Label fixed(Label l) {
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }

    private static HBox legend() {
        HBox box = new HBox(8);
        box.setAlignment(Pos.CENTER_LEFT);
        box.setPadding(new Insets(0, 0, 0, 12));
        for (ThreadState s : ThreadState.values()) {
            Rectangle r = new Rectangle(12, 12, TimelinePainter.color(s));
            r.setStroke(javafx.scene.paint.Color.web("#adb5bd"));
            box.getChildren().add(fixed(new Label(s.displayName(), r)));
        }
        return box;
    }

    // ---- data

    /** Computes the timelines (or goroutine states) of {@code profile} in the background, then shows them. */
    public void setProfile(Profile profile) { setProfile(profile, Filter.NONE); }

    public void setProfile(Profile profile, Filter filter) {
        job.run(status, "Computing thread timelines…", progress -> Data.compute(profile, filter, progress), this::setData);
    }

    /** Shows computed data now (FX thread). */
    public void setData(Data d) {
        data = d;
        ThreadTimelines tl = d.timelines();
        if (tl.laneCount() == 0 && d.goroutines() != null) {
            setCenter(goroutinePane(d.goroutines()));
            status.setText(String.format(Locale.ROOT, "%,d goroutines", d.goroutines().goroutines()));
            totalsRow.setText(d.goroutines().note());
            return;
        }
        names = new String[tl.laneCount()];
        long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
        for (int l = 0; l < names.length; l++) {
            names[l] = d.profile().threadName(tl.laneThread(l));
            lo = Math.min(lo, tl.laneStartNanos(l));
            hi = Math.max(hi, tl.laneEndNanos(l));
        }
        if (names.length == 0) { lo = 0; hi = 1; }
        origin = d.profile().startEpochNanos() > 0 && d.profile().startEpochNanos() <= lo ? d.profile().startEpochNanos() : lo;
        // a trace's goroutines fold into groups by start function; with many, all start folded
        groups = GoroutineGroups.applies(d.profile()) ? LaneGroups.ofGoTrace(names, names.length > FOLD_ALL_ABOVE ? 0 : Integer.MAX_VALUE) : null;
        groupBox.setVisible(groups != null);
        groupBox.setManaged(groups != null);
        layout = TimelineLayout.of(lanes.getWidth(), lanes.getHeight(), new int[0], lo, hi);
        selectedLane.set(-1);
        applyOrder();
        if (groups != null) {
            int ps = 0;
            for (String n : names) if (n.startsWith("P ")) ps++;
            status.setText(String.format(Locale.ROOT, "%,d goroutines, %,d Ps · %,d intervals", names.length - ps, ps, tl.intervalCount()));
        } else {
            status.setText(String.format(Locale.ROOT, "%,d threads · %,d intervals", names.length, tl.intervalCount()));
        }
        if (pendingReveal != null) applyReveal();
    }

    public Data getData() { return data; }

    public TimelineLayout layoutNow() { return layout; }

    public TextField filterField() { return filterField; }

    public ComboBox<Sort> sortBox() { return sortBox; }

    /** The bottom row's text: the per-state totals of the selected lane, or a hint. */
    public String totalsText() { return totalsRow.getText(); }

    /** The selected lane (index into the timelines), or -1. */
    public ReadOnlyIntegerProperty selectedLaneProperty() { return selectedLane.getReadOnlyProperty(); }

    /** Lane order after the name filter and the sort, as lane indices. */
    public static int[] order(ThreadTimelines tl, String[] names, String filterRegex, Sort sort) {
        Pattern p = null;
        if (filterRegex != null && !filterRegex.isBlank()) {
            try {
                p = Pattern.compile(filterRegex, Pattern.CASE_INSENSITIVE);
            } catch (PatternSyntaxException e) {
                p = Pattern.compile(Pattern.quote(filterRegex), Pattern.CASE_INSENSITIVE);
            }
        }
        List<Integer> keep = new ArrayList<>();
        for (int l = 0; l < tl.laneCount(); l++) if (p == null || p.matcher(names[l]).find()) keep.add(l);
        Comparator<Integer> byName = Comparator.comparing((Integer l) -> names[l], NaturalOrder.INSTANCE).thenComparing(l -> l);
        Comparator<Integer> c = switch (sort) {
            case NAME -> byName;
            case BLOCKED -> Comparator.comparingLong((Integer l) -> -tl.total(l, ThreadState.BLOCKED)).thenComparing(byName);
            case CPU -> Comparator.comparingLong((Integer l) -> -tl.total(l, ThreadState.RUNNING)).thenComparing(byName);
        };
        keep.sort(c);
        return keep.stream().mapToInt(Integer::intValue).toArray();
    }

    private void applyOrder() {
        if (data == null) return;
        int[] order = order(data.timelines(), names, filterField.getText(), sortBox.getValue());
        layout = layout.withOrder(grouped() ? groups.rows(order) : order);
        updateScrollBar();
        lanes.requestPaint();
    }

    private void updateScrollBar() {
        vbar.setMax(layout.maxScroll());
        vbar.setVisibleAmount(Math.max(1, layout.height() - TimelineLayout.AXIS));
        vbar.setValue(layout.scrollY());
    }

    private boolean grouped() { return groups != null && groupBox.isSelected(); }

    /** The groups goroutine lanes fold into (null unless a Go trace). */
    public LaneGroups groups() { return groups; }

    public CheckBox groupBox() { return groupBox; }

    /** Zooms about the plot's middle by {@code factor} (&gt; 1 zooms in), as the + and - keys do. */
    public void zoomBy(double factor) {
        layout = layout.zoom(factor, TimelineLayout.GUTTER + layout.plotWidth() / 2);
        lanes.requestPaint();
    }

    /** Folds or unfolds a group of lanes (a click on its header row does it). */
    public void toggleGroup(int group) {
        groups.toggle(group);
        applyOrder();
    }

    /** Selects a lane (index into the timelines) and shows its per-state totals. */
    public void selectLane(int lane) {
        selectedLane.set(lane);
        if (lane < 0 || data == null) {
            totalsRow.setText("Click a lane to see its totals per state");
        } else {
            ThreadTimelines tl = data.timelines();
            StringBuilder sb = new StringBuilder(names[lane]).append(" — ")
                    .append(Units.duration(tl.laneLengthNanos(lane))).append(" alive:");
            for (ThreadState s : ThreadState.values()) {
                long v = tl.total(lane, s);
                if (v > 0) sb.append("   ").append(s.displayName()).append(' ').append(Units.duration(v))
                        .append(" (").append(Units.percent(v, tl.laneLengthNanos(lane))).append(')');
            }
            totalsRow.setText(sb.toString());
        }
        lanes.requestPaint();
    }

    /** Hover text of an interval: thread, state, duration, and its evidence. */
    public String describe(int interval) {
        ThreadTimelines tl = data.timelines();
        Profile p = data.profile();
        StringBuilder sb = new StringBuilder();
        sb.append(tl.state(interval).displayName()).append("  ").append(Units.duration(tl.endNanos(interval) - tl.startNanos(interval)))
                .append("\nat ").append(Units.duration(tl.startNanos(interval) - origin)).append(" since start");
        int row = tl.sourceRow(interval);
        int stack = -1;
        switch (tl.source(interval)) {
            case EVENT -> {
                EventTable ev = p.events();
                EventKind k = ev.kind(row);
                sb.append("\nevent: ").append(dev.kiln.analysis.DisplayNames.of(k)).append(" (whole event ").append(Units.duration(ev.durationNanos(row))).append(')');
                if (ev.clazz(row) >= 0) sb.append("\n").append(k == EventKind.THREAD_PARK ? "parked on: " : "monitor: ").append(p.className(ev.clazz(row)));
                if (ev.otherThread(row) >= 0 && k == EventKind.MONITOR_ENTER) sb.append("\nprevious owner: ").append(p.threadName(ev.otherThread(row)));
                if (ev.otherThread(row) >= 0 && k == EventKind.MONITOR_WAIT) sb.append("\nnotifier: ").append(p.threadName(ev.otherThread(row)));
                if (ev.detail(row) >= 0) sb.append("\n").append(p.string(ev.detail(row)));
                if (k == EventKind.GO_ON_P) sb.append("\ngoroutine: ").append(p.threadName((int) ev.amount(row)));
                if (ThreadState.ofEvent(k) == ThreadState.IO && ev.amount(row) > 0) sb.append("\nbytes: ").append(Units.bytes(ev.amount(row)));
                stack = ev.stack(row);
            }
            case EXECUTION_SAMPLE, NATIVE_SAMPLE -> {
                SampleTable t = tl.sampleTable(tl.source(interval));
                sb.append("\nsample of ").append(t.name());
                stack = t.stack(row);
            }
            case NONE -> sb.append("\nnothing recorded");
        }
        int n = 0;
        for (int s = stack; s >= 0 && n < TOOLTIP_FRAMES; s = p.stacks().parent(s), n++) {
            sb.append(n == 0 ? "\n  " : "\n  ").append(p.frameName(p.stacks().frame(s)));
        }
        if (stack >= 0 && n == TOOLTIP_FRAMES && p.stacks().parent(stack) >= 0) sb.append("\n  …");
        return sb.toString();
    }

    private static Region goroutinePane(GoroutineStates g) {
        TableView<GoroutineStates.StateGroup> table = new TableView<>();
        TableColumn<GoroutineStates.StateGroup, String> state = new TableColumn<>("State");
        state.setCellValueFactory(c -> new SimpleStringProperty(c.getValue().state()));
        state.setPrefWidth(220);
        TableColumn<GoroutineStates.StateGroup, Long> count = new TableColumn<>("Goroutines");
        count.setCellValueFactory(c -> new SimpleObjectProperty<>(c.getValue().goroutines()));
        table.getColumns().add(state);
        table.getColumns().add(count);
        for (int b = 0; b < g.waitBuckets().size(); b++) {
            int bucket = b;
            TableColumn<GoroutineStates.StateGroup, Long> col = new TableColumn<>("wait " + g.waitBuckets().get(b));
            col.setCellValueFactory(c -> new SimpleObjectProperty<>(c.getValue().waitHistogram()[bucket]));
            col.setPrefWidth(110);
            table.getColumns().add(col);
        }
        table.getItems().setAll(g.byState());
        Label note = new Label(g.note() + "  States " + g.stateSource() + ".");
        note.setWrapText(true);
        note.setPadding(new Insets(8));
        note.setStyle("-fx-font-weight: bold;");
        VBox.setVgrow(table, Priority.ALWAYS);
        return new VBox(note, table);
    }

    /** The lanes: one canvas sized to the viewport, repainted at most once per pulse. */
    private final class Lanes extends Region {
        private final Canvas canvas = new Canvas();
        private final RasterTimelineSurface surface = new RasterTimelineSurface(canvas.getGraphicsContext2D());
        private final Label hover = new Label();
        private boolean paintQueued;
        private double pressX, pressY, lastX, lastY;
        private boolean dragging, rangeDrag;

        Lanes() {
            getChildren().addAll(canvas, hover);
            hover.setManaged(false);
            hover.setVisible(false);
            hover.setMouseTransparent(true);
            hover.setStyle("-fx-background-color: rgba(33,37,41,0.92); -fx-text-fill: white; -fx-padding: 6;"
                    + " -fx-background-radius: 4; -fx-font-size: 11px;");
            setFocusTraversable(true);
            setMinSize(100, 60);
            setOnScroll(this::onScroll);
            setOnMousePressed(e -> {
                requestFocus();
                pressX = lastX = e.getX();
                pressY = lastY = e.getY();
                dragging = false;
                rangeDrag = e.isShiftDown() && data != null && e.getX() >= TimelineLayout.GUTTER;
            });
            setOnMouseDragged(e -> {
                if (Math.hypot(e.getX() - pressX, e.getY() - pressY) >= CLICK_SLOP) dragging = true;
                if (dragging && rangeDrag) {
                    requestPaint();
                } else if (dragging) {
                    layout = layout.pan(e.getX() - lastX, e.getY() - lastY);
                    vbar.setValue(layout.scrollY());
                    requestPaint();
                }
                lastX = e.getX();
                lastY = e.getY();
            });
            setOnMouseReleased(e -> {
                if (dragging && rangeDrag) {
                    rangeDrag = false;
                    selectTimeRange(layout.timeAt(clampX(pressX)), layout.timeAt(clampX(e.getX())));
                } else if (!dragging) {
                    int row = layout.rowAt(e.getY());
                    if (row >= 0 && layout.order()[row] < 0) toggleGroup(LaneGroups.groupOfRow(layout.order()[row]));
                    else selectLane(row < 0 ? -1 : layout.order()[row]);
                }
            });
            setOnMouseMoved(this::onMove);
            setOnMouseExited(e -> hover.setVisible(false));
            setOnKeyPressed(e -> {
                double mid = TimelineLayout.GUTTER + layout.plotWidth() / 2;
                if (e.getCode() == KeyCode.PLUS || e.getCode() == KeyCode.EQUALS || e.getCode() == KeyCode.ADD) zoom(ZOOM_STEP, mid);
                else if (e.getCode() == KeyCode.MINUS || e.getCode() == KeyCode.SUBTRACT) zoom(1 / ZOOM_STEP, mid);
                else if (e.getCode() == KeyCode.DIGIT0 || e.getCode() == KeyCode.HOME) zoom(1e-12, mid);
            });
        }

        private void onScroll(ScrollEvent e) {
            if (e.getDeltaY() == 0) return;
            if (e.isShiftDown()) { // scroll lanes
                layout = layout.withScroll(layout.scrollY() - e.getDeltaY());
                vbar.setValue(layout.scrollY());
                requestPaint();
            } else {
                zoom(e.getDeltaY() > 0 ? ZOOM_STEP : 1 / ZOOM_STEP, e.getX());
            }
            e.consume();
        }

        private void zoom(double factor, double x) {
            layout = layout.zoom(factor, x);
            requestPaint();
        }

        private void onMove(MouseEvent e) {
            if (data == null) return;
            int i = TimelinePainter.hit(layout, data.timelines(), e.getX(), e.getY());
            int row = layout.rowAt(e.getY());
            if (row >= 0 && layout.order()[row] < 0 && groups != null) {
                int g = LaneGroups.groupOfRow(layout.order()[row]);
                hover.setText(groups.name(g) + ": " + groups.size(g) + (groups.name(g).equals("Ps") ? " Ps" : " goroutines")
                        + "\nthe colour: the state most of them are in\nclick to " + (groups.folded(g) ? "unfold" : "fold"));
            } else if (i < 0) {
                hover.setVisible(false);
                return;
            } else {
                hover.setText(names[layout.order()[row]] + "\n" + describe(i));
            }
            hover.autosize();
            double x = e.getX() + 14, y = e.getY() + 14;
            if (x + hover.getWidth() > getWidth()) x = Math.max(0, e.getX() - hover.getWidth() - 8);
            if (y + hover.getHeight() > getHeight()) y = Math.max(0, e.getY() - hover.getHeight() - 8);
            hover.relocate(x, y);
            hover.setVisible(true);
        }

        private double clampX(double x) { return Math.max(TimelineLayout.GUTTER, Math.min(layout.width(), x)); }

        void requestPaint() {
            if (paintQueued) return;
            paintQueued = true;
            Platform.runLater(() -> {
                paintQueued = false;
                paintNow();
            });
        }

        void paintNow() {
            if (data == null) return;
            int selRow = -1;
            int sel = selectedLane.get();
            if (sel >= 0) for (int r = 0; r < layout.order().length; r++) if (layout.order()[r] == sel) selRow = r;
            TimelinePainter.paint(layout, data.timelines(), names, grouped() ? groups : null, origin, selRow,
                    surface.begin(canvas.getWidth(), canvas.getHeight()));
            paintBand();
            double x0 = Double.NaN, x1 = Double.NaN;
            Range r = timeRange.get();
            if (dragging && rangeDrag) {
                x0 = clampX(Math.min(pressX, lastX));
                x1 = clampX(Math.max(pressX, lastX));
            } else if (r != null) {
                x0 = clampX(layout.xOf(r.fromNanos()));
                x1 = clampX(layout.xOf(r.toNanos()));
            }
            if (x1 > x0) {
                surface.fillRect(x0, TimelineLayout.AXIS, Math.max(1, x1 - x0), Math.max(0, layout.height() - TimelineLayout.AXIS), RANGE_SHADE);
                surface.line(x0 + 0.5, TimelineLayout.AXIS, x0 + 0.5, layout.height(), RANGE_EDGE);
                surface.line(x1 - 0.5, TimelineLayout.AXIS, x1 - 0.5, layout.height(), RANGE_EDGE);
            }
            if (mark != null) { // the event shown by reveal: its start and end
                double m0 = layout.xOf(mark[0]), m1 = layout.xOf(mark[1]);
                if (m0 >= TimelineLayout.GUTTER && m0 <= layout.width()) surface.line(m0, TimelineLayout.AXIS, m0, layout.height(), MARK);
                if (m1 - m0 >= 2 && m1 >= TimelineLayout.GUTTER && m1 <= layout.width()) surface.line(m1, TimelineLayout.AXIS, m1, layout.height(), MARK);
            }
        }

        @Override
        protected void layoutChildren() {
            double w = getWidth(), h = getHeight();
            if (canvas.getWidth() != w || canvas.getHeight() != h) {
                canvas.setWidth(w);
                canvas.setHeight(h);
                layout = layout.withSize(w, h);
                updateScrollBar();
                paintNow();
            }
        }
    }

    /**
     * The time range chosen by dragging with Shift held (null when none). Shown shaded on the lanes; the shell
     * listens to apply it to other views, and may set it (or clear it with null) itself.
     */
    public ObjectProperty<Range> timeRangeProperty() { return timeRange; }

    /** What a Shift-drag calls when released: sets {@link #timeRangeProperty()} to {@code [from, to)} (ordered). */
    public void selectTimeRange(long from, long to) {
        long a = Math.min(from, to), b = Math.max(from, to);
        timeRange.set(b > a ? new Range(a, b) : null);
    }

    /**
     * Shows {@code [startNanos, startNanos + durationNanos)} (epoch ns) marked in the middle of the plot, zoomed to a
     * few times its length ({@link TimelineLayout#showing}), with the lane of {@code thread} (a ThreadTable row, -1 for
     * none) selected and scrolled to: an event's "Show in timeline". Before the timelines are computed, once they are.
     */
    public void reveal(long startNanos, long durationNanos, int thread) {
        pendingReveal = new long[]{startNanos, Math.max(0, durationNanos), thread};
        if (data != null && names != null) applyReveal();
    }

    /** The event {@link #reveal} marks, {start, end}, or null. */
    public long[] marked() { return mark == null ? null : mark.clone(); }

    private void applyReveal() {
        long[] r = pendingReveal;
        pendingReveal = null;
        mark = new long[]{r[0], r[0] + r[1]};
        layout = layout.showing(mark[0], mark[1]);
        ThreadTimelines tl = data.timelines();
        int lane = -1;
        for (int l = 0; l < tl.laneCount() && lane < 0; l++) if (tl.laneThread(l) == r[2]) lane = l;
        if (lane >= 0 && rowOf(lane) < 0 && !filterField.getText().isEmpty()) filterField.setText(""); // the lane filtered out
        int row = lane < 0 ? -1 : rowOf(lane);
        if (row >= 0) layout = layout.withScroll(row * TimelineLayout.LANE_HEIGHT - (layout.height() - TimelineLayout.AXIS) / 2);
        updateScrollBar();
        selectLane(lane);
    }

    private int rowOf(int lane) {
        int[] order = layout.order();
        for (int i = 0; i < order.length; i++) if (order[i] == lane) return i;
        return -1;
    }

    /** The time the axis labels 0 (the recording's start when known). */
    public long originNanos() { return origin; }

    private void paintBand() {
        double h = data == null ? 0 : RuntimeBand.height(data.runtime());
        if (band.getHeight() != h) band.setHeight(h);
        if (band.getWidth() != layout.width()) band.setWidth(layout.width());
        if (h == 0) return;
        javafx.scene.canvas.GraphicsContext g = band.getGraphicsContext2D();
        g.setFill(CanvasTheme.palette().background());
        g.fillRect(0, 0, band.getWidth(), h);
        RuntimeBand.paint(layout, data.runtime(), TimelineSurface.of(g));
    }

    /** The band's canvas (tests). */
    Canvas band() { return band; }

    /** Paints synchronously (tests, screenshots). */
    public void paintNow() {
        applyCss();
        layout();
        lanes.paintNow();
    }

    /** Counts lanes: for tests. */
    int[] laneOrder() { return Arrays.copyOf(layout.order(), layout.order().length); }
}
