// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.timeline;

import dev.kiln.analysis.jvm.TimeSeries;
import javafx.scene.paint.Color;

/**
 * Draws {@link TimeSeries} on the timeline's time axis ({@link TimelineLayout#xOf}), each as a line through its
 * samples, or as steps for a series that {@link TimeSeries#steps holds its value} until the next sample, in a band of the canvas scaled from 0 (bottom) to {@code yMax} (top); the one painter of every time-series
 * chart: {@link SeriesChart} and the Threads tab's {@link RuntimeBand}. Stateless.
 */
public final class SeriesPainter {
    /** Colours of a chart's series, in order (blue, orange, green, red, violet, teal). */
    public static final Color[] COLORS = {Color.web("#1c7ed6"), Color.web("#f08c00"), Color.web("#2f9e44"),
            Color.web("#e03131"), Color.web("#7048e8"), Color.web("#0c8599")};

    private SeriesPainter() { }

    /** y of {@code v} in the band {@code [top, top + height]}. */
    public static double yOf(double v, double yMax, double top, double height) {
        double share = yMax <= 0 ? 0 : Math.max(0, Math.min(1, v / yMax));
        return top + height * (1 - share);
    }

    /** A line (or {@link TimeSeries#steps steps}) through the samples of {@code s} that fall on the plot (and the one on each side of it). */
    public static void line(TimelineLayout l, TimeSeries s, double yMax, double top, double height, Color c, TimelineSurface g) {
        line(l, s, yMax, top, height, c, false, g);
    }

    /** {@link #line}, with a dot on each sample when {@code dots} and they are at least 6 pixels apart on average. */
    public static void line(TimelineLayout l, TimeSeries s, double yMax, double top, double height, Color c, boolean dots, TimelineSurface g) {
        double left = TimelineLayout.GUTTER, right = l.width();
        int from = Math.max(0, s.indexAt(l.viewStart())), to = Math.min(s.size() - 1, s.indexAt(l.viewEnd()) + 1);
        double px = Double.NaN, py = 0;
        boolean step = s.steps();
        for (int i = from; i <= to; i++) {
            double x = l.xOf(s.time(i)), y = yOf(s.value(i), yMax, top, height);
            if (!Double.isNaN(px) && step) {
                clipped(px, py, x, py, left, right, c, g); // the level held until this sample
                if (x >= left && x <= right && y != py) g.line(x, py, x, y, c);
            } else if (!Double.isNaN(px)) clipped(px, py, x, y, left, right, c, g);
            else if (from == to && x >= left && x <= right) g.fillRect(x - 1.5, y - 1.5, 3, 3, c); // a lone sample
            px = x;
            py = y;
        }
        if (!dots || (to - from + 1) * 6 > l.plotWidth()) return;
        for (int i = from; i <= to; i++) {
            double x = l.xOf(s.time(i));
            if (x >= left && x <= right) g.fillRect(x - 1.5, yOf(s.value(i), yMax, top, height) - 1.5, 3, 3, c);
        }
    }

    /** The segment's part in {@code [left, right]}. */
    private static void clipped(double x0, double y0, double x1, double y1, double left, double right, Color c, TimelineSurface g) {
        if (x1 < left || x0 > right || x1 <= x0) {
            if (x1 == x0 && x0 >= left && x0 <= right) g.line(x0, y0, x1, y1, c);
            return;
        }
        double ax = Math.max(left, x0), bx = Math.min(right, x1);
        double ay = y0 + (y1 - y0) * (ax - x0) / (x1 - x0), by = y0 + (y1 - y0) * (bx - x0) / (x1 - x0);
        g.line(ax, ay, bx, by, c);
    }

}
