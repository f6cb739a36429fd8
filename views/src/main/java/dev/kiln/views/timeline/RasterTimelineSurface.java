// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.timeline;

import javafx.geometry.Rectangle2D;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.PixelBuffer;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;

import java.nio.IntBuffer;

/**
 * The canvas surface of the timeline: rectangles, lines and text go straight to the graphics context, lane runs
 * are written into a {@link LaneRaster} and reach the canvas as one {@code drawImage} per frame in
 * {@link #flushLanes()}: the written rows are copied (no format conversion) into a {@link PixelBuffer} in
 * {@code INT_ARGB_PRE} that backs the image, inside {@link PixelBuffer#updateBuffer} so the renderer never sees a
 * half-painted frame. Reused across frames (the buffers and image are kept); FX thread only.
 */
final class RasterTimelineSurface implements TimelineSurface {
    private final LaneRaster raster = new LaneRaster();
    private final TimelineSurface direct;
    private final GraphicsContext g;
    private WritableImage image;
    private PixelBuffer<IntBuffer> buffer;
    private int[] shown = new int[0];
    private int shownTop, shownBottom; // rows of `shown` holding last frame's runs
    private Color lastColor;
    private int lastArgb;

    RasterTimelineSurface(GraphicsContext g) {
        this.g = g;
        this.direct = TimelineSurface.of(g);
    }

    /** Starts a frame on a canvas of {@code w x h} pixels. */
    RasterTimelineSurface begin(double w, double h) {
        int iw = (int) Math.ceil(w), ih = (int) Math.ceil(h);
        raster.ensureSize(iw, ih);
        raster.clear();
        if (image == null || (int) image.getWidth() != iw || (int) image.getHeight() != ih) {
            image = null;
            buffer = null;
            shownTop = shownBottom = 0;
            if (iw > 0 && ih > 0) {
                shown = new int[iw * ih];
                buffer = new PixelBuffer<>(iw, ih, IntBuffer.wrap(shown), PixelFormat.getIntArgbPreInstance());
                image = new WritableImage(buffer);
            }
        }
        return this;
    }

    @Override
    public void fillRect(double x, double y, double w, double h, Color color) { direct.fillRect(x, y, w, h, color); }

    @Override
    public void line(double x1, double y1, double x2, double y2, Color color) { direct.line(x1, y1, x2, y2, color); }

    @Override
    public void text(String text, double x, double y, double maxWidth, Color color) { direct.text(text, x, y, maxWidth, color); }

    @Override
    public void laneRun(double x, double y, double w, double h, Color color) {
        if (color != lastColor) {
            lastColor = color;
            lastArgb = LaneRaster.argb(color.getRed(), color.getGreen(), color.getBlue());
        }
        raster.fill(x, y, w, h, lastArgb);
    }

    @Override
    public void flushLanes() {
        if (image == null) return;
        int top = raster.dirtyTop(), bottom = raster.dirtyBottom(), w = raster.width();
        int copyTop = Math.min(top, shownTop), copyBottom = Math.max(bottom, shownBottom); // also erase last frame's rows
        if (shownBottom <= shownTop) { copyTop = top; copyBottom = bottom; }
        if (copyTop < copyBottom) {
            int from = copyTop, rows = copyBottom - copyTop;
            buffer.updateBuffer(b -> {
                System.arraycopy(raster.pixels(), from * w, shown, from * w, rows * w);
                return new Rectangle2D(0, from, w, rows);
            });
        }
        shownTop = top;
        shownBottom = bottom;
        if (top < bottom) g.drawImage(image, 0, top, w, bottom - top, 0, top, w, bottom - top);
    }
}
