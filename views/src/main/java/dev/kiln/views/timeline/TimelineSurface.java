// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.timeline;

import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;

/**
 * The few drawing calls the timeline painter makes, so tests can record them without a canvas. (The timeline's
 * own small surface, made before the shared {@code dev.kiln.views.common.DrawSurface} existed.)
 */
public interface TimelineSurface {
    void fillRect(double x, double y, double w, double h, Color color);

    void line(double x1, double y1, double x2, double y2, Color color);

    /** Text with its baseline at {@code y}, clipped to {@code maxWidth} pixels. */
    void text(String text, double x, double y, double maxWidth, Color color);

    /**
     * One run of lane pixels in a state colour. Surfaces may buffer runs (a canvas surface writes them into one
     * image) and must draw them by {@link #flushLanes()} at the latest; the default fills a rectangle at once.
     */
    default void laneRun(double x, double y, double w, double h, Color color) { fillRect(x, y, w, h, color); }

    /** Called once after all lane runs of a frame, before the gutter and axis are painted over them. */
    default void flushLanes() { }

    /** A surface drawing on a canvas's graphics context, one call per run (see {@link RasterTimelineSurface}). */
    static TimelineSurface of(GraphicsContext g) {
        return new TimelineSurface() {
            @Override
            public void fillRect(double x, double y, double w, double h, Color color) {
                g.setFill(color);
                g.fillRect(x, y, w, h);
            }

            @Override
            public void line(double x1, double y1, double x2, double y2, Color color) {
                g.setStroke(color);
                g.setLineWidth(1);
                g.strokeLine(x1, y1, x2, y2);
            }

            @Override
            public void text(String text, double x, double y, double maxWidth, Color color) {
                g.setFill(color);
                g.fillText(text, x, y, maxWidth);
            }
        };
    }
}
