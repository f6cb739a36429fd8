// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.timeline;

import java.util.Arrays;

/**
 * A premultiplied-ARGB pixel buffer the lane runs of one frame are written into, so a frame costs one image
 * upload instead of one canvas call per run. Runs are rounded to whole pixels (at least one column wide) and
 * clipped to the buffer; untouched pixels stay transparent. Tracks the rows written so only those are uploaded
 * and cleared. No JavaFX; not thread-safe.
 */
public final class LaneRaster {
    private int width, height;
    private int[] pixels = new int[0];
    private int dirtyTop = Integer.MAX_VALUE, dirtyBottom = 0;

    /** Resizes (and clears) the buffer if needed. */
    public void ensureSize(int w, int h) {
        w = Math.max(0, w);
        h = Math.max(0, h);
        if (w == width && h == height) return;
        width = w;
        height = h;
        pixels = new int[w * h];
        dirtyTop = Integer.MAX_VALUE;
        dirtyBottom = 0;
    }

    public int width() { return width; }

    public int height() { return height; }

    /** The pixel rows (row-major, {@link #width()} per row). Read-only for callers. */
    public int[] pixels() { return pixels; }

    /** Fills {@code [x, x+w) x [y, y+h)} rounded to pixels with an opaque {@code argb} colour. */
    public void fill(double x, double y, double w, double h, int argb) {
        int x0 = (int) Math.round(x), x1 = Math.max(x0 + 1, (int) Math.round(x + w));
        int y0 = (int) Math.round(y), y1 = Math.max(y0 + 1, (int) Math.round(y + h));
        x0 = Math.max(0, x0);
        x1 = Math.min(width, x1);
        y0 = Math.max(0, y0);
        y1 = Math.min(height, y1);
        if (x0 >= x1 || y0 >= y1) return;
        for (int row = y0; row < y1; row++) {
            int off = row * width;
            Arrays.fill(pixels, off + x0, off + x1, argb);
        }
        dirtyTop = Math.min(dirtyTop, y0);
        dirtyBottom = Math.max(dirtyBottom, y1);
    }

    /** First row written since the last {@link #clear()}, or {@code height} if none. */
    public int dirtyTop() { return Math.min(dirtyTop, height); }

    /** One past the last row written since the last {@link #clear()} (0 if none). */
    public int dirtyBottom() { return Math.min(dirtyBottom, height); }

    /** The pixel at {@code (x, y)} (0 = transparent). */
    public int pixel(int x, int y) { return pixels[y * width + x]; }

    /** Makes the written rows transparent again. */
    public void clear() {
        if (dirtyTop < dirtyBottom) Arrays.fill(pixels, dirtyTop * width, Math.min(dirtyBottom, height) * width, 0);
        dirtyTop = Integer.MAX_VALUE;
        dirtyBottom = 0;
    }

    /** Opaque premultiplied ARGB of a colour given as 0..1 components. */
    public static int argb(double r, double g, double b) {
        return 0xFF000000 | (int) Math.round(r * 255) << 16 | (int) Math.round(g * 255) << 8 | (int) Math.round(b * 255);
    }
}
