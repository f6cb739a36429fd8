// SPDX-License-Identifier: Apache-2.0
package dev.kiln.export;

import dev.kiln.analysis.jvm.TimeSeries;

import java.util.List;
import java.util.Locale;

/**
 * A time-series chart as an inline {@code <svg>} element (no script, no external reference), as the app's chart draws
 * it: time since {@code originNanos} across, 0 to a round maximum up (the series share the first one's unit), one
 * polyline per series in the app's series colours (steps for a series that {@link TimeSeries#steps holds its value}), a legend, and a {@code <title>} per sample with its time and value
 * (the browser shows it on hover).
 */
public final class SeriesSvgWriter {
    /** The app's series colours (views.timeline.SeriesPainter), in order. */
    static final String[] COLORS = {"#1c7ed6", "#f08c00", "#2f9e44", "#e03131", "#7048e8", "#0c8599"};
    static final int LEFT = 84, RIGHT = 12, TOP = 28, BOTTOM = 24;

    private SeriesSvgWriter() { }

    public static String svg(List<TimeSeries> series, long startNanos, long endNanos, long originNanos, int width, int height) {
        String unit = series.isEmpty() ? "count" : series.get(0).unit();
        double max = 0;
        for (TimeSeries s : series) max = Math.max(max, s.max());
        double yMax = TimeSeries.axisMax(unit, max);
        long span = Math.max(1, endNanos - startNanos);
        double plotW = width - LEFT - RIGHT, plotH = height - TOP - BOTTOM;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"series\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">",
                width, height, width, height));
        for (int q = 0; q <= 4; q++) {
            double y = TOP + plotH * (1 - q / 4.0);
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#dee2e6\"/>", LEFT, y, width - RIGHT, y));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#495057\">%s</text>", LEFT - 4, y + 4,
                    FlameSvgWriter.escape(TimeSeries.format(yMax * q / 4, unit))));
        }
        long step = tickStep(span, plotW);
        for (long t = ceilTo(startNanos - originNanos, step) + originNanos; t <= endNanos; t += step) {
            double x = LEFT + (t - startNanos) * plotW / span;
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#495057\">%s</text>", x, height - 6,
                    FlameSvgWriter.escape(seconds(t - originNanos, step))));
        }
        for (int i = 0; i < series.size(); i++) {
            TimeSeries s = series.get(i);
            String c = COLORS[i % COLORS.length];
            b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"8\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"17\" fill=\"#212529\">%s</text>",
                    LEFT + i * 190, c, LEFT + i * 190 + 14, FlameSvgWriter.escape(s.label())));
            b.append("<g class=\"series-line\"><polyline fill=\"none\" stroke=\"").append(c).append("\" stroke-width=\"1.5\" points=\"");
            for (int k = 0; k < s.size(); k++) {
                double x = LEFT + (s.time(k) - startNanos) * plotW / span;
                // a level held until this sample first (TimeSeries#steps), then the sample
                if (k > 0 && s.steps()) b.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, TOP + plotH * (1 - Math.min(1, s.value(k - 1) / yMax))));
                b.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, TOP + plotH * (1 - Math.min(1, s.value(k) / yMax))));
            }
            b.append("\"/>");
            for (int k = 0; k < s.size(); k++) {
                b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"%s\"><title>%s</title></circle>",
                        LEFT + (s.time(k) - startNanos) * plotW / span, TOP + plotH * (1 - Math.min(1, s.value(k) / yMax)), c,
                        FlameSvgWriter.escape(String.format(Locale.ROOT, "%.3f s: %s %s", (s.time(k) - originNanos) / 1e9, s.label(), s.format(s.value(k))))));
            }
            b.append("</g>");
        }
        return b.append("</svg>").toString();
    }

    private static long tickStep(long span, double plotW) {
        double raw = Math.max(1, span * 100 / plotW);
        long p = 1;
        while (p * 10 <= raw) p *= 10;
        return raw <= p ? p : raw <= 2 * p ? 2 * p : raw <= 5 * p ? 5 * p : 10 * p;
    }

    private static long ceilTo(long v, long step) { return Math.floorDiv(v + step - 1, step) * step; }

    private static String seconds(long offset, long step) {
        return step >= 1_000_000_000L ? offset / 1_000_000_000L + " s" : String.format(Locale.ROOT, "%.2f s", offset / 1e9);
    }
}
