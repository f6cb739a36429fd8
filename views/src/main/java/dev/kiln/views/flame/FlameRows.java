// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.flame;

/**
 * Vertical placement of flame-graph rows in a viewport of {@code height} pixels: row {@code depth} (0 = root)
 * is {@code rowHeight} tall; {@code icicle} puts the root on top and grows downward, otherwise (a classic
 * flame graph) the root sits at the bottom and stacks grow upward. {@code scroll} moves the content away from
 * the root's edge by that many pixels (0 shows the root). Pure value; no JavaFX.
 */
public record FlameRows(double rowHeight, double height, boolean icicle, double scroll) {
    public FlameRows {
        if (rowHeight <= 0) throw new IllegalArgumentException("rowHeight must be positive");
    }

    /** Top edge of row {@code depth}. */
    public double y(int depth) {
        return icicle ? depth * rowHeight - scroll : height - (depth + 1) * rowHeight + scroll;
    }

    /** The row at pixel {@code y}, or -1 when y lies before the root's edge. */
    public int depthAt(double y) {
        double fromRoot = icicle ? y + scroll : height - y + scroll;
        if (fromRoot < 0) return -1;
        return icicle ? (int) Math.floor(fromRoot / rowHeight) : (int) Math.ceil(fromRoot / rowHeight) - 1;
    }

    /** Shallowest row at least partly visible. */
    public int firstVisibleDepth() { return Math.max(0, (int) Math.floor(scroll / rowHeight)); }

    /** Deepest row at least partly visible. */
    public int lastVisibleDepth() { return Math.max(0, (int) Math.ceil((scroll + height) / rowHeight) - 1); }

    /** The largest useful scroll for a graph {@code maxDepth} rows deep: its deepest row at the far edge. */
    public double maxScroll(int maxDepth) { return Math.max(0, (maxDepth + 1) * rowHeight - height); }

    public FlameRows withScroll(double s) { return new FlameRows(rowHeight, height, icicle, s); }
}
