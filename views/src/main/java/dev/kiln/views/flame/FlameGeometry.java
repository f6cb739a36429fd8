// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.flame;

import dev.kiln.analysis.tree.CallTree;
import dev.kiln.analysis.tree.FlameLayout;

import java.util.Arrays;

/**
 * The boxes of a {@link FlameLayout} visible in a viewport, in pixels: the zoom root spans the full
 * {@code width}, its subtree is scaled by {@code width / total(zoomRoot)}, and the zoom root's ancestors are
 * drawn full width above it (flagged {@link #isAncestor}). Only rows in {@code [firstDepth, lastDepth]} are
 * produced, and a box narrower than {@link #MIN_BOX_WIDTH} is skipped with its whole subtree; adjacent
 * skipped siblings are merged into one box (flagged {@link #isMerged}, node -1 for hit tests) when together
 * they are at least that wide. So the number of boxes is bounded by the pixels on screen, not by the tree.
 *
 * <p>Boxes are stored in columns in tree order (ancestors first); for each: {@link #node}, {@link #x},
 * {@link #width}, {@link #depth}. Immutable; pure (no JavaFX).
 */
public final class FlameGeometry {
    /** Boxes narrower than this many pixels are not drawn (they are merged with narrow siblings). */
    public static final double MIN_BOX_WIDTH = 0.5;

    private static final byte ANCESTOR = 1, MERGED = 2;

    private final FlameLayout layout;
    private final int zoomRoot;
    private final double viewWidth;
    private int size;
    private int[] node = new int[64], depth = new int[64];
    private double[] x = new double[64], w = new double[64];
    private byte[] flags = new byte[64];

    private FlameGeometry(FlameLayout layout, int zoomRoot, double viewWidth) {
        this.layout = layout;
        this.zoomRoot = zoomRoot;
        this.viewWidth = viewWidth;
    }

    /**
     * The visible boxes of {@code layout} zoomed to {@code zoomRoot} in a viewport {@code width} pixels wide
     * showing rows {@code firstDepth..lastDepth} (inclusive).
     */
    public static FlameGeometry compute(FlameLayout layout, int zoomRoot, double width, int firstDepth, int lastDepth) {
        CallTree t = layout.tree();
        FlameGeometry g = new FlameGeometry(layout, zoomRoot, width);
        int zd = t.depth(zoomRoot);
        // Ancestors, outermost first.
        for (int d = 0; d < zd; d++) {
            int a = zoomRoot;
            while (t.depth(a) > d) a = t.parent(a);
            if (d >= firstDepth && d <= lastDepth) g.add(a, 0, width, d, ANCESTOR);
        }
        long zw = layout.width(zoomRoot);
        if (zw == 0 || width <= 0) {
            if (zd >= firstDepth && zd <= lastDepth) g.add(zoomRoot, 0, width, zd, (byte) 0);
            return g;
        }
        double scale = width / zw;
        long x0 = layout.x(zoomRoot);
        int levels = Math.max(0, lastDepth - zd + 1);
        // One pending run of narrow siblings per depth: its parent, left and right edges.
        int[] runParent = new int[levels + 1];
        Arrays.fill(runParent, -1);
        double[] runStart = new double[levels + 1], runEnd = new double[levels + 1];
        int end = t.subtreeEnd(zoomRoot);
        for (int i = zoomRoot; i < end; ) {
            int d = t.depth(i);
            if (d > lastDepth) { i = t.subtreeEnd(i); continue; }
            long total = t.total(i);
            if (total == 0) { i = t.subtreeEnd(i); continue; }
            double bx = (layout.x(i) - x0) * scale, bw = total * scale;
            int level = d - zd;
            if (bw < MIN_BOX_WIDTH) {
                if (d >= firstDepth) {
                    int p = t.parent(i);
                    if (runParent[level] == p && Math.abs(runEnd[level] - bx) < 1e-6 * width) {
                        runEnd[level] = bx + bw;
                    } else {
                        g.flush(runParent, runStart, runEnd, level, d);
                        runParent[level] = p;
                        runStart[level] = bx;
                        runEnd[level] = bx + bw;
                    }
                }
                i = t.subtreeEnd(i);
                continue;
            }
            g.flush(runParent, runStart, runEnd, level, d);
            if (d >= firstDepth) g.add(i, bx, bw, d, (byte) 0);
            i++;
        }
        for (int level = 0; level < levels; level++) g.flush(runParent, runStart, runEnd, level, zd + level);
        return g;
    }

    private void flush(int[] runParent, double[] runStart, double[] runEnd, int level, int d) {
        if (runParent[level] < 0) return;
        double rw = runEnd[level] - runStart[level];
        if (rw >= MIN_BOX_WIDTH) add(-1, runStart[level], rw, d, MERGED);
        runParent[level] = -1;
    }

    private void add(int n, double bx, double bw, int d, byte f) {
        if (size == node.length) {
            int c = size * 2;
            node = Arrays.copyOf(node, c);
            depth = Arrays.copyOf(depth, c);
            x = Arrays.copyOf(x, c);
            w = Arrays.copyOf(w, c);
            flags = Arrays.copyOf(flags, c);
        }
        node[size] = n;
        x[size] = bx;
        w[size] = bw;
        depth[size] = d;
        flags[size] = f;
        size++;
    }

    public FlameLayout layout() { return layout; }

    public int zoomRoot() { return zoomRoot; }

    /** Width of the viewport the boxes were computed for. */
    public double viewWidth() { return viewWidth; }

    /** Number of boxes. */
    public int size() { return size; }

    /** Call-tree row of box {@code i}; -1 for a merged box. */
    public int node(int i) { return node[i]; }

    public double x(int i) { return x[i]; }

    public double width(int i) { return w[i]; }

    public int depth(int i) { return depth[i]; }

    /** Whether box {@code i} is an ancestor of the zoom root (drawn full width, dimmed). */
    public boolean isAncestor(int i) { return (flags[i] & ANCESTOR) != 0; }

    /** Whether box {@code i} stands for several adjacent boxes each too narrow to draw. */
    public boolean isMerged(int i) { return (flags[i] & MERGED) != 0; }

    /** The box at pixel {@code px} in row {@code d}, or -1. */
    public int boxAt(double px, int d) {
        for (int i = 0; i < size; i++) {
            if (depth[i] == d && px >= x[i] && px < x[i] + w[i]) return i;
        }
        return -1;
    }

    /** Hit test: the call-tree row drawn at pixel (px, py) under {@code rows}; -1 for none or a merged box. */
    public int nodeAt(FlameRows rows, double px, double py) {
        int d = rows.depthAt(py);
        if (d < 0) return -1;
        int b = boxAt(px, d);
        return b < 0 ? -1 : node[b];
    }
}
