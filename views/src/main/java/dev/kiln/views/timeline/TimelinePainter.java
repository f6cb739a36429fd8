// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.timeline;

import dev.kiln.analysis.timeline.ThreadState;
import dev.kiln.analysis.timeline.ThreadTimelines;
import dev.kiln.views.common.CanvasPalette;
import dev.kiln.views.common.CanvasTheme;
import javafx.scene.paint.Color;

import java.util.Locale;

/**
 * Draws thread lanes through a {@link TimelineSurface}: the time axis, thread names in the gutter, and per lane
 * the state of each pixel column (the state at the column's first instant). Only visible lanes are visited;
 * within a lane the columns walk forward through the intervals with a galloping search, and runs of one state
 * become one {@link TimelineSurface#laneRun}, so a frame costs O(visible lanes x plot width x log(intervals per
 * column)) however many intervals there are. Background, gutter, stripes, text, grid and the selected row take the
 * current {@link CanvasTheme} palette; the state colours are the same in both themes (as in the legend). Also the
 * hit test (point to interval). Stateless.
 */
public final class TimelinePainter {
    private static final Color[] STATE_COLORS = {
            Color.web("#37b24d"), // RUNNING green
            Color.web("#1fa39a"), // RUNNABLE_NATIVE teal
            Color.web("#e03131"), // BLOCKED red
            Color.web("#f76707"), // WAITING orange
            Color.web("#fab005"), // PARKED amber
            Color.web("#339af0"), // SLEEPING blue
            Color.web("#9c36b5"), // IO purple
            Color.web("#a9e34b"), // RUNNABLE lime
            Color.web("#e64980"), // SYSCALL pink
            Color.web("#e4e7eb"), // UNKNOWN light grey
    };
    /** Wanted pixels between two axis ticks. */
    static final double TICK_SPACING = 110;

    private TimelinePainter() { }

    public static Color color(ThreadState s) { return STATE_COLORS[s.ordinal()]; }

    /**
     * Paints everything. {@code names[lane]} is the thread name of a lane, {@code origin} the time labelled 0 on
     * the axis, {@code selectedRow} a highlighted row (or -1).
     */
    public static void paint(TimelineLayout l, ThreadTimelines tl, String[] names, long origin, int selectedRow, TimelineSurface g) {
        paint(l, tl, names, null, origin, selectedRow, g);
    }

    /**
     * Paints everything, with the header rows of {@code groups} (null: no groups): a header row shows its group's
     * name and, per column, the state most of its lanes are in ({@link LaneGroups#pixelStates}).
     */
    public static void paint(TimelineLayout l, ThreadTimelines tl, String[] names, LaneGroups groups, long origin, int selectedRow,
                             TimelineSurface g) {
        CanvasPalette p = CanvasTheme.palette();
        g.fillRect(0, 0, l.width(), l.height(), p.background());
        int first = l.firstVisibleRow(), end = l.endVisibleRow();
        double plotEnd = l.width();
        for (int row = first; row < end; row++) {
            int lane = l.order()[row];
            double y = l.yOfRow(row), h = TimelineLayout.LANE_HEIGHT - TimelineLayout.LANE_GAP;
            if (row == selectedRow) g.fillRect(0, y, l.width(), TimelineLayout.LANE_HEIGHT, p.selection());
            else if ((row & 1) == 1) g.fillRect(TimelineLayout.GUTTER, y, l.plotWidth(), TimelineLayout.LANE_HEIGHT, p.stripe());
            if (lane >= 0) paintLane(l, tl, lane, y, h, plotEnd, g);
            else if (groups != null) paintHeader(groups.pixelStates(LaneGroups.groupOfRow(lane), l, tl), y, h, g);
        }
        g.flushLanes();
        // Gutter and axis over the lanes' edges.
        g.fillRect(0, TimelineLayout.AXIS, TimelineLayout.GUTTER - 1, Math.max(0, l.height() - TimelineLayout.AXIS), p.panel());
        for (int row = first; row < end; row++) {
            double y = l.yOfRow(row);
            if (row == selectedRow) g.fillRect(0, y, TimelineLayout.GUTTER - 1, TimelineLayout.LANE_HEIGHT, p.selection());
            int lane = l.order()[row];
            String name = lane >= 0 ? names[lane] : groups == null ? "" : groups.headerText(LaneGroups.groupOfRow(lane));
            g.text(name, lane >= 0 && groups != null ? 16 : 6, y + TimelineLayout.LANE_HEIGHT - 5, TimelineLayout.GUTTER - 12, p.text());
        }
        g.line(TimelineLayout.GUTTER - 0.5, TimelineLayout.AXIS, TimelineLayout.GUTTER - 0.5, l.height(), p.grid());
        paintAxis(l, origin, g, p);
    }

    private static void paintLane(TimelineLayout l, ThreadTimelines tl, int lane, double y, double h, double plotEnd,
                                  TimelineSurface g) {
        double x0 = Math.max(TimelineLayout.GUTTER, l.xOf(tl.laneStartNanos(lane)));
        double x1 = Math.min(plotEnd, l.xOf(tl.laneEndNanos(lane)));
        if (x1 <= x0) return;
        int px = (int) Math.floor(x0), pEnd = (int) Math.ceil(x1);
        int runState = -1;
        double runStart = 0;
        long laneStart = tl.laneStartNanos(lane);
        int cursor = tl.firstInterval(lane), last = tl.endInterval(lane);
        while (px < pEnd) {
            long t = Math.max(laneStart, l.timeAt(px));
            // Columns move forward in time: gallop from the previous interval instead of a full binary search.
            cursor = firstEndingAfter(tl, cursor, last, t);
            int i = cursor < last && tl.startNanos(cursor) <= t ? cursor : -1;
            int next;
            int st;
            if (i < 0) {
                st = -1;
                next = px + 1;
            } else {
                st = tl.state(i).ordinal();
                next = Math.max(px + 1, (int) Math.ceil(l.xOf(tl.endNanos(i))));
            }
            if (st != runState) {
                if (runState >= 0) g.laneRun(runStart, y, Math.max(px, runStart + 1) - runStart, h, STATE_COLORS[runState]);
                runState = st;
                runStart = Math.max(x0, px);
            }
            px = next;
        }
        if (runState >= 0) g.laneRun(runStart, y, Math.max(Math.min(px, x1), runStart + 1) - runStart, h, STATE_COLORS[runState]);
    }

    /** A group's header: runs of its columns' states, drawn a little lower than a lane so that it reads as a summary. */
    private static void paintHeader(int[] states, double y, double h, TimelineSurface g) {
        double top = y + h * 0.3, height = h * 0.7;
        int start = 0;
        for (int c = 1; c <= states.length; c++) {
            if (c < states.length && states[c] == states[start]) continue;
            if (states[start] >= 0) g.laneRun(TimelineLayout.GUTTER + start, top, c - start, height, STATE_COLORS[states[start]]);
            start = c;
        }
    }

    /** The first interval in {@code [from, to)} whose end is after {@code t} (intervals are sorted), or {@code to}. */
    static int firstEndingAfter(ThreadTimelines tl, int from, int to, long t) {
        if (from >= to || tl.endNanos(from) > t) return from;
        int step = 1, lo = from; // end(lo) <= t
        while (lo + step < to && tl.endNanos(lo + step) <= t) {
            lo += step;
            step <<= 1;
        }
        int hi = Math.min(to, lo + step); // end(hi) > t or hi == to
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (tl.endNanos(mid) <= t) lo = mid;
            else hi = mid;
        }
        return hi;
    }

    /** The time axis on top of the plot, labelled from {@code origin}; shared with {@link SeriesChart}. */
    static void paintAxis(TimelineLayout l, long origin, TimelineSurface g, CanvasPalette p) {
        g.fillRect(0, 0, l.width(), TimelineLayout.AXIS, p.panel());
        g.line(0, TimelineLayout.AXIS - 0.5, l.width(), TimelineLayout.AXIS - 0.5, p.grid());
        long step = tickStep(l.span(), l.plotWidth());
        long firstTick = Math.floorDiv(l.viewStart() - origin, step) * step + origin;
        for (long t = firstTick; t <= l.viewEnd(); t += step) {
            double x = l.xOf(t);
            if (x < TimelineLayout.GUTTER || x > l.width() - 30) continue;
            g.line(x, TimelineLayout.AXIS - 6, x, TimelineLayout.AXIS, p.mutedText());
            g.text(axisLabel(t - origin, step), x + 3, TimelineLayout.AXIS - 8, TICK_SPACING - 6, p.mutedText());
        }
        g.text("time since start", 6, TimelineLayout.AXIS - 8, TimelineLayout.GUTTER - 12, p.mutedText());
    }

    /** A 1/2/5 x 10^k nanosecond step giving about {@link #TICK_SPACING} pixels between ticks. */
    static long tickStep(long span, double plotWidth) {
        double raw = Math.max(1, span * TICK_SPACING / plotWidth);
        long p = 1;
        while (p * 10 <= raw) p *= 10;
        return raw <= p ? p : raw <= 2 * p ? 2 * p : raw <= 5 * p ? 5 * p : 10 * p;
    }

    /** An axis label: seconds with as many decimals as the step needs, or ms / µs for small steps. */
    static String axisLabel(long offset, long step) {
        if (step >= 1_000_000_000L) return String.format(Locale.ROOT, "%d s", offset / 1_000_000_000L);
        if (step >= 1_000_000L) {
            int dec = step >= 100_000_000L ? 1 : step >= 10_000_000L ? 2 : 3;
            return String.format(Locale.ROOT, "%." + dec + "f s", offset / 1e9);
        }
        return String.format(Locale.ROOT, "%.3f ms", offset / 1e6);
    }

    /** The interval under a point, or -1 (gutter, axis, gaps, outside the lane's time). */
    public static int hit(TimelineLayout l, ThreadTimelines tl, double x, double y) {
        if (x < TimelineLayout.GUTTER || x >= l.width()) return -1;
        int row = l.rowAt(y);
        if (row < 0 || l.order()[row] < 0) return -1; // a group's header has no interval of its own
        return tl.intervalAt(l.order()[row], l.timeAt(x));
    }
}
