// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.diff;

import dev.kiln.analysis.diff.DiffTree;

import java.util.Arrays;

/**
 * The boxes of a differential flame graph in pixels, icicle style (root on top): the rows of one
 * {@link DiffTree.Shape} ({@link DiffTree#rows}), each as wide as its {@link DiffTree#width} scaled so that the
 * root spans {@code viewWidth}, children laid out left to right in table order starting at their parent's left
 * edge. Rows deeper than {@code lastDepth} and boxes narrower than {@link #MIN_BOX_WIDTH} (with their subtrees)
 * are left out, so the number of boxes is bounded by the pixels on screen. Columns per box: {@link #node},
 * {@link #x}, {@link #width}, {@link #depth}, in table order. Immutable; pure (no JavaFX).
 */
public final class DiffGeometry {
    /** Boxes narrower than this many pixels are not drawn. */
    public static final double MIN_BOX_WIDTH = 0.5;

    private final DiffTree tree;
    private final DiffTree.Shape shape;
    private int size;
    private int[] node = new int[64], depth = new int[64];
    private double[] x = new double[64], w = new double[64];

    private DiffGeometry(DiffTree tree, DiffTree.Shape shape) {
        this.tree = tree;
        this.shape = shape;
    }

    /** The boxes of {@code shape} in a viewport {@code viewWidth} pixels wide showing rows {@code 0..lastDepth}. */
    public static DiffGeometry compute(DiffTree tree, DiffTree.Shape shape, double viewWidth, int lastDepth) {
        DiffGeometry g = new DiffGeometry(tree, shape);
        long rootWidth = tree.width(0, shape);
        if (viewWidth <= 0) return g;
        g.add(0, 0, viewWidth, 0);
        if (rootWidth == 0) return g;
        double scale = viewWidth / rootWidth;
        // Left edge of the next child of each row; NaN for rows that are not drawn.
        double[] next = new double[tree.size()];
        Arrays.fill(next, Double.NaN);
        next[0] = 0;
        for (int n = 1; n < tree.size(); ) {
            long width = tree.width(n, shape);
            int p = tree.parent(n);
            if (width == 0 || Double.isNaN(next[p]) || tree.depth(n) > lastDepth) { n = tree.subtreeEnd(n); continue; }
            double bx = next[p], bw = width * scale;
            next[p] = bx + bw;
            if (bw < MIN_BOX_WIDTH) { n = tree.subtreeEnd(n); continue; }
            next[n] = bx;
            g.add(n, bx, bw, tree.depth(n));
            n++;
        }
        return g;
    }

    private void add(int n, double bx, double bw, int d) {
        if (size == node.length) {
            int c = size * 2;
            node = Arrays.copyOf(node, c);
            depth = Arrays.copyOf(depth, c);
            x = Arrays.copyOf(x, c);
            w = Arrays.copyOf(w, c);
        }
        node[size] = n;
        x[size] = bx;
        w[size] = bw;
        depth[size] = d;
        size++;
    }

    public DiffTree tree() { return tree; }

    public DiffTree.Shape shape() { return shape; }

    /** Number of boxes. */
    public int size() { return size; }

    /** Diff-tree row of box {@code i}. */
    public int node(int i) { return node[i]; }

    public double x(int i) { return x[i]; }

    public double width(int i) { return w[i]; }

    public int depth(int i) { return depth[i]; }

    /** The box index of a diff-tree row, or -1 when it is not drawn. */
    public int boxOf(int treeNode) {
        for (int i = 0; i < size; i++) if (node[i] == treeNode) return i;
        return -1;
    }

    /** Hit test: the diff-tree row drawn at pixel {@code (px, py)} with rows {@code rowHeight} tall, or -1. */
    public int nodeAt(double px, double py, double rowHeight) {
        if (py < 0) return -1;
        int d = (int) (py / rowHeight);
        for (int i = 0; i < size; i++) {
            if (depth[i] == d && px >= x[i] && px < x[i] + w[i]) return node[i];
        }
        return -1;
    }
}
