// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.timeline;

import dev.kiln.analysis.timeline.RuntimeSeries;
import dev.kiln.model.Units;
import javafx.scene.paint.Color;

/**
 * The band above the lanes, on their time axis: the heap in use (filled) and the heap goal (a line) of a Go trace,
 * scaled to the largest value; a JFR recording's CPU load (the JVM's and the machine's, 0-100%, drawn by
 * {@link SeriesPainter} as on the CPU page); and below them a strip with GC cycles (light) and stop-the-world / GC
 * pauses (red). Stateless; draws through a {@link TimelineSurface} with the lanes' {@link TimelineLayout}.
 */
public final class RuntimeBand {
    public static final double HEAP_HEIGHT = 34, CPU_HEIGHT = 34, STRIP_HEIGHT = 10, HEIGHT = HEAP_HEIGHT + STRIP_HEIGHT + 4;
    static final Color HEAP = Color.web("#74c0fc"), GOAL = Color.web("#1c7ed6"), GC = Color.web("#ffd8a8"),
            PAUSE = Color.web("#e03131"), LABEL = Color.web("#868e96");
    /** The CPU lines: the JVM's and the machine's, in the CPU page's first two series colours. */
    static final Color CPU_JVM = SeriesPainter.COLORS[0], CPU_MACHINE = SeriesPainter.COLORS[1];

    private RuntimeBand() { }

    /** Height the band needs: 0 when there is nothing to show, only the strip without a heap or CPU series. */
    public static double height(RuntimeSeries s) {
        if (s == null || s.isEmpty()) return 0;
        return STRIP_HEIGHT + 4 + (s.heapTime().length == 0 ? 0 : HEAP_HEIGHT) + (s.cpu().isEmpty() ? 0 : CPU_HEIGHT);
    }

    public static void paint(TimelineLayout layout, RuntimeSeries s, TimelineSurface g) {
        if (s == null || s.isEmpty()) return;
        double stripY = height(s) - STRIP_HEIGHT - 2;
        double heapTop = 2, cpuTop = 2 + (s.heapTime().length == 0 ? 0 : HEAP_HEIGHT);
        if (s.heapTime().length > 0) g.text("heap " + Units.bytes(s.maxHeap()), 4, heapTop + 12, TimelineLayout.GUTTER - 8, LABEL);
        else if (s.cpu().isEmpty()) g.text("GC", 4, 14, TimelineLayout.GUTTER - 8, LABEL);
        g.text("GC / STW", 4, stripY + STRIP_HEIGHT, TimelineLayout.GUTTER - 8, LABEL);
        ranges(layout, s.gcStart(), s.gcEnd(), stripY, g, GC);
        ranges(layout, s.pauseStart(), s.pauseEnd(), stripY, g, PAUSE);
        if (!s.cpu().isEmpty()) {
            g.text("CPU 100%: JVM, machine", 4, cpuTop + 12, TimelineLayout.GUTTER - 8, LABEL);
            g.line(TimelineLayout.GUTTER, cpuTop + CPU_HEIGHT - 2.5, layout.width(), cpuTop + CPU_HEIGHT - 2.5, LABEL.deriveColor(0, 1, 1, 0.35));
            SeriesPainter.line(layout, s.cpu().machine(), 1, cpuTop + 1, CPU_HEIGHT - 4, CPU_MACHINE, g);
            SeriesPainter.line(layout, s.cpu().jvm(), 1, cpuTop + 1, CPU_HEIGHT - 4, CPU_JVM, g);
        }
        long max = s.maxHeap();
        if (s.heapTime().length == 0 || max <= 0) return;
        double left = TimelineLayout.GUTTER, right = layout.width();
        // one bar per pixel column: the largest heap value in it (a step function between samples)
        double lastX = -1;
        for (int i = 0; i < s.heapTime().length; i++) {
            double x0 = Math.max(left, layout.xOf(s.heapTime()[i]));
            double x1 = Math.min(right, i + 1 < s.heapTime().length ? layout.xOf(s.heapTime()[i + 1]) : layout.xOf(layout.dataEnd()));
            if (x1 < left || x0 > right || x1 <= x0 && Math.floor(x0) == lastX) continue;
            double top = heapTop + HEAP_HEIGHT * (1 - (double) s.heapBytes()[i] / max);
            g.fillRect(Math.floor(x0), top, Math.max(1, x1 - Math.floor(x0)), HEAP_HEIGHT + heapTop - top, HEAP);
            lastX = Math.floor(x0);
        }
        for (int i = 0; i + 1 < s.goalTime().length; i++) {
            double x0 = layout.xOf(s.goalTime()[i]), x1 = layout.xOf(s.goalTime()[i + 1]);
            if (x1 < left || x0 > right) continue;
            double y = heapTop + HEAP_HEIGHT * (1 - (double) s.goalBytes()[i] / max);
            g.line(Math.max(left, x0), y, Math.min(right, x1), y, GOAL);
        }
    }

    private static void ranges(TimelineLayout layout, long[] start, long[] end, double y, TimelineSurface g, Color c) {
        double left = TimelineLayout.GUTTER, right = layout.width();
        for (int i = 0; i < start.length; i++) {
            double x0 = Math.max(left, layout.xOf(start[i])), x1 = Math.min(right, layout.xOf(end[i]));
            if (x1 < left || x0 > right) continue;
            g.fillRect(x0, y, Math.max(1, x1 - x0), STRIP_HEIGHT, c);
        }
    }
}
