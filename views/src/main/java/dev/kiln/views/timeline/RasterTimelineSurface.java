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
 * are written into a {@link LaneRaster} with one pixel row per lane (runs of one lane share their {@code y}) and
 * reach the canvas in {@link #flushLanes()} as one {@code drawImage} per lane that stretches the lane's row to the
 * lane's height (image smoothing off, so edges stay crisp). The rows are copied (no format conversion) into a
 * {@link PixelBuffer} in {@code INT_ARGB_PRE} that backs the image, inside {@link PixelBuffer#updateBuffer} so the
 * renderer never sees a half-painted frame. Reused across frames; FX thread only.
 */
final class RasterTimelineSurface implements TimelineSurface {
    private final LaneRaster raster = new LaneRaster();
    private final TimelineSurface direct;
    private final GraphicsContext g;
    private WritableImage image;
    private PixelBuffer<IntBuffer> buffer;
    private int[] shown = new int[0];
    private int shownRows; // rows of `shown` holding last frame's runs
    private double[] laneY = new double[0], laneH = new double[0];
    private int lanes;
    private Color lastColor;
    private int lastArgb;

    RasterTimelineSurface(GraphicsContext g) {
        this.g = g;
        this.direct = TimelineSurface.of(g);
    }

    /** Starts a frame on a canvas of {@code w x h} pixels. */
    RasterTimelineSurface begin(double w, double h) {
        int iw = (int) Math.ceil(w), rows = Math.max(1, (int) Math.ceil(h / 2)); // lanes are at least 2 px apart
        raster.ensureSize(iw, rows);
        raster.clear();
        lanes = 0;
        if (laneY.length < rows) {
            laneY = new double[rows];
            laneH = new double[rows];
        }
        if (image == null || (int) image.getWidth() != iw || (int) image.getHeight() != rows) {
            image = null;
            buffer = null;
            shownRows = 0;
            if (iw > 0) {
                shown = new int[iw * rows];
                buffer = new PixelBuffer<>(iw, rows, IntBuffer.wrap(shown), PixelFormat.getIntArgbPreInstance());
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
        if (lanes == 0 || laneY[lanes - 1] != y) {
            if (lanes == raster.height()) { // more lanes than expected: draw them directly
                direct.fillRect(x, y, w, h, color);
                return;
            }
            laneY[lanes] = y;
            laneH[lanes] = h;
            lanes++;
        }
        if (color != lastColor) {
            lastColor = color;
            lastArgb = LaneRaster.argb(color.getRed(), color.getGreen(), color.getBlue());
        }
        raster.fill(x, lanes - 1, w, 1, lastArgb);
    }

    @Override
    public void flushLanes() {
        if (image == null) return;
        int w = raster.width(), rows = Math.max(lanes, shownRows); // also erase last frame's extra rows
        if (rows > 0) {
            buffer.updateBuffer(b -> {
                System.arraycopy(raster.pixels(), 0, shown, 0, rows * w);
                return new Rectangle2D(0, 0, w, rows);
            });
        }
        shownRows = lanes;
        boolean smooth = g.isImageSmoothing();
        g.setImageSmoothing(false);
        for (int i = 0; i < lanes; i++) g.drawImage(image, 0, i, w, 1, 0, laneY[i], w, laneH[i]);
        g.setImageSmoothing(smooth);
    }
}
