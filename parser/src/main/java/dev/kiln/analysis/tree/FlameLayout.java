// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.tree;

/**
 * Flame-graph geometry of a {@link CallTree}, in weight units: each row is a box at {@link #x} (offset from
 * the left edge), {@link #width} (its total) and {@link #depth} (0 = the root {@code all}, then one level
 * per frame). Children sit left-aligned inside their parent in the tree's sibling order (by function name,
 * the flame-graph convention), each starting where the previous one ends; the parent's self weight is the
 * uncovered space at its right. So for every row: {@code x(parent) <= x(n)} and
 * {@code x(n) + width(n) <= x(parent) + width(parent)}, and siblings do not overlap.
 *
 * <p>What is cached and what is not: the row order and depths belong to the tree's structure, which
 * {@link CallTree#withFilter} keeps when only threads, time, labels, focus or ignore change; this layout
 * holds just the {@code x} column, recomputed in one linear pass over the rows ({@code of(tree.withFilter(f))}).
 * A change of hide or collapse-recursion rebuilds the tree itself. Rows of width 0 (outside the filter) are
 * kept and simply have no area.
 */
public final class FlameLayout {
    private final CallTree tree;
    private final long[] x;
    private final int maxDepth;

    private FlameLayout(CallTree tree, long[] x, int maxDepth) {
        this.tree = tree;
        this.x = x;
        this.maxDepth = maxDepth;
    }

    public static FlameLayout of(CallTree tree) {
        int n = tree.size();
        long[] x = new long[n];
        long[] cursor = new long[n]; // where the next child of a row starts
        int maxDepth = 0;
        for (int i = 1; i < n; i++) {
            int p = tree.parent(i);
            x[i] = cursor[p];
            cursor[p] += tree.total(i);
            cursor[i] = x[i];
            if (tree.total(i) != 0) maxDepth = Math.max(maxDepth, tree.depth(i));
        }
        return new FlameLayout(tree, x, maxDepth);
    }

    public CallTree tree() { return tree; }

    /** Left edge of a row, in weight units from the left edge of the root. */
    public long x(int node) { return x[node]; }

    /** Width of a row: its total. */
    public long width(int node) { return tree.total(node); }

    public int depth(int node) { return tree.depth(node); }

    /** Left edge as a fraction of the root's width (0 when the root is empty). */
    public double start(int node) { return tree.rootTotal() == 0 ? 0 : (double) x[node] / tree.rootTotal(); }

    /** Width as a fraction of the root's width. */
    public double fraction(int node) { return tree.rootTotal() == 0 ? 0 : (double) tree.total(node) / tree.rootTotal(); }

    /** Deepest depth of a row with non-zero width. */
    public int maxDepth() { return maxDepth; }
}
