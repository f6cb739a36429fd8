// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.timeline;

/**
 * Where things are on the timeline canvas, without JavaFX: a left gutter for thread names, a time axis on top,
 * then one lane per row of {@code order} (lane indices of the {@code ThreadTimelines}), {@link #LANE_HEIGHT}
 * pixels each, scrolled by {@code scrollY} pixels. Time maps linearly to x over {@code [viewStart, viewEnd)}.
 * Immutable; zoom and pan return new layouts, clamped to the data's time bounds.
 */
public record TimelineLayout(double width, double height, int[] order, long dataStart, long dataEnd,
                             long viewStart, long viewEnd, double scrollY) {
    public static final double GUTTER = 180, AXIS = 24, LANE_HEIGHT = 18, LANE_GAP = 2;
    /** The shortest time span the view zooms in to (1 µs). */
    public static final long MIN_SPAN = 1_000;
    /** The shortest span {@link #showing} shows around an event (100 ms). */
    public static final long REVEAL_SPAN = 100_000_000;

    /** A layout showing all of {@code [dataStart, dataEnd)}, scrolled to the top. */
    public static TimelineLayout of(double width, double height, int[] order, long dataStart, long dataEnd) {
        long end = Math.max(dataEnd, dataStart + MIN_SPAN);
        return new TimelineLayout(width, height, order, dataStart, end, dataStart, end, 0);
    }

    public double plotWidth() { return Math.max(1, width - GUTTER); }

    public long span() { return viewEnd - viewStart; }

    /** x of a time (may lie outside the plot). */
    public double xOf(long time) { return GUTTER + (time - viewStart) * plotWidth() / span(); }

    /** Time at an x inside the plot. */
    public long timeAt(double x) { return viewStart + (long) ((x - GUTTER) * span() / plotWidth()); }

    /** Top y of row {@code row} of {@code order}. */
    public double yOfRow(int row) { return AXIS + row * LANE_HEIGHT - scrollY; }

    /** The row at {@code y}, or -1 outside the lanes (axis, gaps between lanes, below the last lane). */
    public int rowAt(double y) {
        if (y < AXIS) return -1;
        double off = y - AXIS + scrollY;
        int row = (int) Math.floor(off / LANE_HEIGHT);
        if (row < 0 || row >= order.length || off - row * LANE_HEIGHT >= LANE_HEIGHT - LANE_GAP) return -1;
        return row;
    }

    /** First row (partly) visible. */
    public int firstVisibleRow() { return Math.max(0, (int) Math.floor(scrollY / LANE_HEIGHT)); }

    /** One past the last row (partly) visible. */
    public int endVisibleRow() {
        return Math.min(order.length, (int) Math.ceil((scrollY + height - AXIS) / LANE_HEIGHT));
    }

    /** Largest scroll offset. */
    public double maxScroll() { return Math.max(0, order.length * LANE_HEIGHT - (height - AXIS)); }

    public TimelineLayout withSize(double w, double h) { return new TimelineLayout(w, h, order, dataStart, dataEnd, viewStart, viewEnd, scrollY).clamped(); }

    public TimelineLayout withOrder(int[] o) { return new TimelineLayout(width, height, o, dataStart, dataEnd, viewStart, viewEnd, scrollY).clamped(); }

    public TimelineLayout withScroll(double y) { return new TimelineLayout(width, height, order, dataStart, dataEnd, viewStart, viewEnd, y).clamped(); }

    /** Zooms by {@code factor} (&gt; 1 zooms in) keeping the time under {@code anchorX} in place. */
    public TimelineLayout zoom(double factor, double anchorX) {
        double ax = Math.max(GUTTER, Math.min(width, anchorX));
        long anchor = timeAt(ax);
        long newSpan = Math.max(MIN_SPAN, Math.min(dataEnd - dataStart, (long) (span() / factor)));
        long start = anchor - (long) ((ax - GUTTER) / plotWidth() * newSpan);
        return new TimelineLayout(width, height, order, dataStart, dataEnd, start, start + newSpan, scrollY).clamped();
    }

    /**
     * The view centred on {@code [from, to)}, three times as long, at least {@link #REVEAL_SPAN} (an instant event gets
     * some context), at most the data's span.
     */
    public TimelineLayout showing(long from, long to) {
        long span = Math.max(MIN_SPAN, Math.min(dataEnd - dataStart, Math.max(REVEAL_SPAN, 3 * Math.max(0, to - from))));
        long start = from + Math.max(0, to - from) / 2 - span / 2;
        return new TimelineLayout(width, height, order, dataStart, dataEnd, start, start + span, scrollY).clamped();
    }

    /** Moves the view by pixels: content follows the mouse ({@code dx > 0} shows earlier time). */
    public TimelineLayout pan(double dx, double dy) {
        long dt = (long) (dx * span() / plotWidth());
        return new TimelineLayout(width, height, order, dataStart, dataEnd, viewStart - dt, viewEnd - dt, scrollY - dy).clamped();
    }

    private TimelineLayout clamped() {
        long s = viewStart, e = viewEnd, sp = e - s;
        if (s < dataStart) { s = dataStart; e = s + sp; }
        if (e > dataEnd) { e = dataEnd; s = Math.max(dataStart, e - sp); }
        double y = Math.max(0, Math.min(maxScrollFor(), scrollY));
        return s == viewStart && e == viewEnd && y == scrollY ? this
                : new TimelineLayout(width, height, order, dataStart, dataEnd, s, e, y);
    }

    private double maxScrollFor() { return Math.max(0, order.length * LANE_HEIGHT - (height - AXIS)); }
}
