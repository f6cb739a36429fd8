// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import java.util.BitSet;

/**
 * An order of the event columns' rows, given one at a time front to back (and again after {@link #restart}), so that
 * putting the columns in it needs no array of a row each: the rows of an explicit order, or the columns' first rows
 * as they are with the rows appended after them (late rows) merged in at given places; the rows {@code dropped} left
 * out, and the positions {@link #skip}ped (those of the sequence after the drops) too.
 */
final class RowOrder {
    private static final int SHIFT = LongColumn.SHIFT, MASK = LongColumn.MASK;
    private static final int[] NONE = new int[0];

    /** The rows in order; null: the first {@code early} rows with {@code late} merged in. */
    private final int[] order;
    private final int length, early;
    /** The late rows in the order they come, each with how many of the first rows come before it. */
    private final int[] late, lateAt;
    private final BitSet dropped;
    /** Per block of positions, a bit for each position left out (null: none). */
    private long[][] skip;
    private int k, i, j, position;

    private RowOrder(int[] order, int length, int early, int[] late, int[] lateAt, BitSet dropped) {
        this.order = order;
        this.length = length;
        this.early = early;
        this.late = late;
        this.lateAt = lateAt;
        this.dropped = dropped;
    }

    /** The rows {@code order[0]} … {@code order[length - 1]} ({@code order} null: rows 0 … length - 1), less {@code dropped} (may be null). */
    static RowOrder of(int[] order, int length, BitSet dropped) {
        return order == null ? new RowOrder(null, length, length, NONE, NONE, dropped) : new RowOrder(order, length, 0, null, null, dropped);
    }

    /**
     * Rows {@code 0 … early - 1} with {@code late[j]} put after the first {@code lateAt[j]} of them ({@code lateAt}
     * ascending), less {@code dropped} (may be null).
     */
    static RowOrder merged(int early, int[] late, int[] lateAt, BitSet dropped) {
        return new RowOrder(null, early + late.length, early, late, lateAt, dropped);
    }

    /** Leaves out the positions whose bits are set (per block of {@value LongColumn#BLOCK} positions; a null block: none). */
    RowOrder skip(long[][] bits) {
        skip = bits;
        return this;
    }

    RowOrder restart() {
        k = i = j = position = 0;
        return this;
    }

    /** The next row; no more than the rows the order gives may be asked for. */
    int next() {
        while (true) {
            int row;
            if (order != null) {
                row = order[k++];
            } else if (j < late.length && lateAt[j] == i) {
                row = late[j++];
            } else {
                row = i++;
            }
            if (dropped != null && dropped.get(row)) continue;
            int p = position++;
            if (skip != null) {
                long[] w = skip[p >>> SHIFT];
                if (w != null && (w[(p & MASK) >>> 6] >>> (p & 63) & 1) != 0) continue;
            }
            return row;
        }
    }

    /** The rows the order gives before any are skipped: its length less the rows dropped. */
    int rows() { return length - (dropped == null ? 0 : dropped.cardinality()); }

    /**
     * The late rows' positions in the order, ascending, when the order is the first {@code early} rows with late rows
     * merged in and none dropped or skipped; else null. The late row at {@code positions[j]} is {@link #lateRow}{@code (j)}.
     */
    int[] latePositions() {
        if (order != null || dropped != null || skip != null || late.length == 0) return null;
        int[] at = new int[late.length];
        for (int j = 0; j < at.length; j++) at[j] = lateAt[j] + j;
        return at;
    }

    /** The {@code j}th late row in the order (see {@link #latePositions}). */
    int lateRow(int j) { return late[j]; }

    /** Whether the first {@code early} rows come as they are, none dropped or skipped: the columns need no reorder. */
    boolean identity() { return order == null && late.length == 0 && dropped == null && skip == null && early == length; }
}
