// SPDX-License-Identifier: Apache-2.0
package dev.kiln.export;

import dev.kiln.analysis.tree.CallTree;
import dev.kiln.analysis.tree.FlameLayout;
import dev.kiln.model.IntList;
import dev.kiln.model.Units;

/**
 * The boxes of a flame graph image, shared by {@link FlameSvgWriter} and {@link FlamePngWriter} so that both
 * draw the same picture: one box per {@link FlameLayout} row at least {@value #MIN_WIDTH} pixel wide, root
 * at the bottom, {@code width} pixels for the root's total, {@code rowHeight} pixels per depth below a title
 * band of {@value #TITLE_HEIGHT} pixels. Colours are a warm hue per function name (stable across runs).
 */
final class FlameBoxes {
    static final double MIN_WIDTH = 0.1;
    static final int TITLE_HEIGHT = 24;

    final FlameLayout layout;
    final int width, height, rowHeight;
    final int[] nodes;
    /** Frames with weight left out because they are narrower than {@value #MIN_WIDTH} pixel at this width. */
    final int tooNarrow;

    private FlameBoxes(FlameLayout layout, int width, int height, int rowHeight, int[] nodes, int tooNarrow) {
        this.layout = layout;
        this.tooNarrow = tooNarrow;
        this.width = width;
        this.height = height;
        this.rowHeight = rowHeight;
        this.nodes = nodes;
    }

    /** Boxes for an image {@code width} wide with rows of {@code rowHeight}; the height follows from the depth. */
    static FlameBoxes of(FlameLayout layout, int width, int rowHeight) {
        return of(layout, width, TITLE_HEIGHT + (layout.maxDepth() + 1) * rowHeight, rowHeight);
    }

    /** Boxes fitted into {@code width} x {@code height}: rows as high as fit, at most 16 and at least 1 pixel. */
    static FlameBoxes fitted(FlameLayout layout, int width, int height) {
        int rowHeight = Math.max(1, Math.min(16, (height - TITLE_HEIGHT) / (layout.maxDepth() + 1)));
        return of(layout, width, height, rowHeight);
    }

    private static FlameBoxes of(FlameLayout layout, int width, int height, int rowHeight) {
        if (width < 1 || height < 1) throw new IllegalArgumentException("image size " + width + "x" + height);
        CallTree t = layout.tree();
        IntList kept = new IntList();
        int narrow = 0;
        for (int n = 0; n < t.size(); n++) {
            if (t.total(n) <= 0) continue;
            if (layout.fraction(n) * width >= MIN_WIDTH) kept.add(n);
            else narrow++;
        }
        return new FlameBoxes(layout, width, height, rowHeight, kept.toArray(), narrow);
    }

    double x(int node) { return layout.start(node) * width; }

    double w(int node) { return layout.fraction(node) * width; }

    /** Top edge: the root's row touches the bottom of the image. */
    int y(int node) { return height - (layout.depth(node) + 1) * rowHeight; }

    String label(int node) { return layout.tree().label(node); }

    /** Tooltip: name, total and share of the whole. */
    String title(int node) {
        CallTree t = layout.tree();
        String unit = t.weight().type().unit();
        return t.label(node) + " (" + Units.format(t.total(node), unit) + ", " + Units.percent(t.total(node), t.rootTotal())
                + "; self " + Units.format(t.self(node), unit) + ")";
    }

    /** The image's heading: what is shown, and how many frames were too narrow to draw. */
    String heading() {
        CallTree t = layout.tree();
        String h = t.profile().sourceName() + " - " + t.weight() + ", total " + Units.format(t.rootTotal(), t.weight().type().unit());
        if (tooNarrow > 0) {
            h += String.format(java.util.Locale.ROOT, " - %,d frames too narrow to draw at %d px (their weight is in the boxes below them)",
                    tooNarrow, width);
        }
        return h;
    }

    /** A warm colour as 0xRRGGBB, from the name's hash. */
    static int color(String name) {
        int h = name.hashCode();
        int r = 205 + Math.floorMod(h, 50), g = 80 + Math.floorMod(h >>> 8, 150), b = Math.floorMod(h >>> 16, 55);
        return (r << 16) | (g << 8) | b;
    }

    /** The label cut to fit {@code pixels} at {@code charWidth} per character, with ".." when cut; "" when nothing fits. */
    static String fit(String label, double pixels, double charWidth) {
        int chars = (int) ((pixels - 6) / charWidth);
        if (chars >= label.length()) return label;
        if (chars < 3) return "";
        return label.substring(0, chars - 2) + "..";
    }
}
