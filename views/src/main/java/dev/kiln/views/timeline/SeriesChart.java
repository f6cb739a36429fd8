// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.timeline;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.jvm.TimeSeries;
import dev.kiln.views.common.CanvasPalette;
import dev.kiln.views.common.CanvasTheme;
import dev.kiln.views.common.PulseRedraw;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ChangeListener;
import javafx.scene.canvas.Canvas;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;

import java.util.ArrayList;
import java.util.List;

/**
 * The time-series chart of the JVM pages: one canvas with the threads timeline's gutter (legend and value axis),
 * time axis and time mapping, so a chart lines up with the Threads tab; several {@link TimeSeries} of one unit drawn by
 * {@link SeriesPainter}, scaled from 0 to a round maximum. Hovering shows the time and each series' value there;
 * the wheel zooms, a drag pans, Shift+drag chooses a time range ({@link #timeRangeProperty()}, shown shaded). Redrawn at
 * most once per pulse.
 */
public final class SeriesChart extends Region {
    /** Pixels a press must move to become a drag. */
    static final double DRAG_THRESHOLD = 4, BOTTOM = 12;
    static final double ZOOM_STEP = 1.25;
    private final Canvas canvas = new Canvas();
    private final PulseRedraw redraw = new PulseRedraw(this::paintNow);
    private final ObjectProperty<ThreadTimelineView.Range> timeRange = new SimpleObjectProperty<>(this, "timeRange");
    /** Held here: the theme holds its listeners weakly. */
    private final ChangeListener<CanvasPalette> themeListener = CanvasTheme.onChange(this::markDirty);
    private List<TimeSeries> series = List.of();
    private String unit = "count";
    private double yMax = 1;
    private long origin;
    private TimelineLayout layout = TimelineLayout.of(600, 200, new int[0], 0, 1);
    private double hoverX = -1, pressX, lastX;
    private boolean dragging, rangeDrag;
    private List<String> readout = List.of();

    public SeriesChart() {
        getChildren().add(canvas);
        setMinSize(300, 120);
        setPrefSize(900, 220);
        getStyleClass().add("series-chart");
        timeRange.addListener((o, a, b) -> markDirty());
        setOnMouseMoved(e -> { hoverX = e.getX(); markDirty(); });
        setOnMouseExited(e -> { hoverX = -1; markDirty(); });
        setOnScroll(this::onScroll);
        setOnMousePressed(e -> {
            pressX = lastX = e.getX();
            dragging = false;
            rangeDrag = e.isShiftDown() && e.getX() >= TimelineLayout.GUTTER;
        });
        setOnMouseDragged(e -> {
            if (Math.abs(e.getX() - pressX) >= DRAG_THRESHOLD) dragging = true;
            if (dragging && !rangeDrag) layout = layout.pan(e.getX() - lastX, 0);
            lastX = e.getX();
            hoverX = e.getX();
            markDirty();
        });
        setOnMouseReleased(e -> {
            if (dragging && rangeDrag) selectTimeRange(layout.timeAt(clampX(pressX)), layout.timeAt(clampX(e.getX())));
            dragging = rangeDrag = false;
            markDirty();
        });
    }

    /**
     * Shows {@code s} (one unit, that of the first) over {@code [dataStart, dataEnd)}, labelling the axis from
     * {@code originNanos} as the timeline does.
     */
    public void setSeries(List<TimeSeries> s, long dataStart, long dataEnd, long originNanos) {
        series = List.copyOf(s);
        unit = series.isEmpty() ? "count" : series.get(0).unit();
        double max = 0;
        for (TimeSeries t : series) max = Math.max(max, t.max());
        yMax = TimeSeries.axisMax(unit, max);
        origin = originNanos;
        layout = TimelineLayout.of(Math.max(1, getWidth()), Math.max(1, getHeight()), new int[0], dataStart, dataEnd);
        markDirty();
    }

    /**
     * Scales a percent chart to its data (rounded up to 1, 2 or 5 x 10^k) instead of 0-100%, for loads that stay
     * small, such as one thread's CPU; other units are fitted already.
     */
    public void fitValues() {
        double max = 0;
        for (TimeSeries t : series) max = Math.max(max, t.max());
        if (TimeSeries.PERCENT.equals(unit) && max > 0) yMax = Math.min(1, TimeSeries.axisMax("count", max));
        markDirty();
    }

    public List<TimeSeries> series() { return series; }

    /** The top of the value axis. */
    public double yMax() { return yMax; }

    public TimelineLayout chartLayout() { return layout; }

    /** The chosen time range (null for none); the shell ties it to the shared filter's. */
    public ObjectProperty<ThreadTimelineView.Range> timeRangeProperty() { return timeRange; }

    /** Shows the filter's time range (none when the filter has no range, or an empty one). */
    public void setTimeRange(Filter f) {
        boolean none = f.fromNanos() == Long.MIN_VALUE && f.toNanos() == Long.MAX_VALUE || f.toNanos() <= f.fromNanos();
        timeRange.set(none ? null : new ThreadTimelineView.Range(f.fromNanos(), f.toNanos()));
    }

    /** The filter of the chosen time range: {@link Filter#NONE} when none is chosen. */
    public Filter rangeFilter() {
        ThreadTimelineView.Range r = timeRange.get();
        return r == null ? Filter.NONE : Filter.NONE.withTimeRange(r.fromNanos(), r.toNanos());
    }

    public void selectTimeRange(long from, long to) {
        long a = Math.min(from, to), b = Math.max(from, to);
        timeRange.set(b > a ? new ThreadTimelineView.Range(a, b) : null);
    }

    /** The hover readout's lines after the last paint (empty when the mouse is not over the plot). */
    public List<String> readout() { return readout; }

    /** Where the mouse is, as a mouse move would set it (tests; -1 for nowhere). */
    public void hover(double x) { hoverX = x; markDirty(); }

    /** The time and each series' value at {@code t}: the hit test of the chart. */
    public static List<String> readoutAt(List<TimeSeries> series, long t, long origin) {
        List<String> out = new ArrayList<>();
        out.add(String.format(java.util.Locale.ROOT, "%.3f s", (t - origin) / 1e9));
        for (TimeSeries s : series) {
            int i = s.indexAt(t);
            out.add(s.label() + ": " + (i < 0 ? "-" : s.format(s.value(i))));
        }
        return out;
    }

    private void onScroll(ScrollEvent e) {
        if (e.getDeltaY() == 0) return;
        layout = layout.zoom(e.getDeltaY() > 0 ? ZOOM_STEP : 1 / ZOOM_STEP, e.getX());
        markDirty();
        e.consume();
    }

    private double clampX(double x) { return Math.max(TimelineLayout.GUTTER, Math.min(layout.width(), x)); }

    private void markDirty() { redraw.markDirty(); }

    @Override
    protected void layoutChildren() {
        double w = getWidth(), h = getHeight();
        if (canvas.getWidth() != w || canvas.getHeight() != h) {
            canvas.setWidth(w);
            canvas.setHeight(h);
            layout = layout.withSize(w, h);
            paintNow();
        }
    }

    /** Paints synchronously (tests, screenshots). */
    public void paintNow() {
        redraw.painted();
        paint(TimelineSurface.of(canvas.getGraphicsContext2D()), CanvasTheme.palette());
    }

    /** Paints the chart onto {@code g}: gutter with legend and value labels, axis, grid, series, range, hover. */
    void paint(TimelineSurface g, CanvasPalette p) {
        double w = layout.width(), h = layout.height(), top = TimelineLayout.AXIS + 8, plotH = Math.max(10, h - top - BOTTOM);
        g.fillRect(0, 0, w, h, p.background());
        g.fillRect(0, 0, TimelineLayout.GUTTER, h, p.panel());
        TimelinePainter.paintAxis(layout, origin, g, p);
        for (int q = 0; q <= 4; q++) {
            double v = yMax * q / 4, y = SeriesPainter.yOf(v, yMax, top, plotH);
            g.line(TimelineLayout.GUTTER, y + 0.5, w, y + 0.5, p.grid());
            g.text(TimeSeries.format(v, unit), TimelineLayout.GUTTER - 50, y + 4, 48, p.mutedText());
        }
        for (int i = 0; i < series.size(); i++) {
            Color c = SeriesPainter.COLORS[i % SeriesPainter.COLORS.length];
            double y = top + 28 + i * 16; // below the top value label
            g.fillRect(8, y - 8, 10, 10, c);
            g.text(series.get(i).label(), 22, y + 1, TimelineLayout.GUTTER - 76, p.text());
            SeriesPainter.line(layout, series.get(i), yMax, top, plotH, c, true, g);
        }
        double x0 = Double.NaN, x1 = Double.NaN;
        ThreadTimelineView.Range r = timeRange.get();
        if (dragging && rangeDrag) { x0 = clampX(Math.min(pressX, lastX)); x1 = clampX(Math.max(pressX, lastX)); }
        else if (r != null) { x0 = clampX(layout.xOf(r.fromNanos())); x1 = clampX(layout.xOf(r.toNanos())); }
        if (x1 > x0) {
            g.fillRect(x0, TimelineLayout.AXIS, x1 - x0, h - TimelineLayout.AXIS, ThreadTimelineView.RANGE_SHADE);
            g.line(x0 + 0.5, TimelineLayout.AXIS, x0 + 0.5, h, ThreadTimelineView.RANGE_EDGE);
            g.line(x1 - 0.5, TimelineLayout.AXIS, x1 - 0.5, h, ThreadTimelineView.RANGE_EDGE);
        }
        readout = hoverX >= TimelineLayout.GUTTER && hoverX <= w && !series.isEmpty()
                ? readoutAt(series, layout.timeAt(hoverX), origin) : List.of();
        if (readout.isEmpty()) return;
        g.line(hoverX + 0.5, TimelineLayout.AXIS, hoverX + 0.5, h, p.mutedText());
        double boxW = 210, boxH = 8 + 15 * readout.size();
        double bx = hoverX + 10 + boxW > w ? hoverX - 10 - boxW : hoverX + 10;
        g.fillRect(bx, top, boxW, boxH, Color.rgb(33, 37, 41, 0.92));
        for (int i = 0; i < readout.size(); i++) {
            Color c = i == 0 ? Color.WHITE : SeriesPainter.COLORS[(i - 1) % SeriesPainter.COLORS.length].brighter();
            g.text(readout.get(i), bx + 6, top + 16 + 15 * i, boxW - 12, c);
        }
    }
}
