// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import java.util.Arrays;

/**
 * A growable column of {@code long}s held in 4 bytes a value where it can: values are stored in blocks of
 * {@value #BLOCK} as {@code int} offsets from the block's base (the block's first value for a {@code relative}
 * column, such as start times that rise slowly; 0 otherwise, such as durations that are mostly short). A value whose
 * offset does not fit is kept whole in a side map. A block that holds only the {@code missing} value is not
 * allocated, so a column few rows use costs almost nothing. Blocks are never copied to grow, so a column built row by
 * row needs no room beyond its values. Not thread-safe while written; reading a column no one writes is.
 */
final class LongColumn {
    static final int SHIFT = 14, BLOCK = 1 << SHIFT, MASK = BLOCK - 1;
    private static final int ESCAPE = Integer.MIN_VALUE;

    private final boolean relative;
    private final long missing;
    private int[][] blocks = new int[4][];
    private long[] bases = new long[4];
    /** Row → index into {@link #wide} for the values whose offset does not fit an int. */
    private LongIntMap wideIndex;
    private LongList wide;
    private int size;

    LongColumn(boolean relative, long missing) {
        this.relative = relative;
        this.missing = missing;
    }

    int size() { return size; }

    long get(int row) {
        int[] b = blocks[row >>> SHIFT];
        if (b == null) return missing;
        int v = b[row & MASK];
        return v == ESCAPE ? wide.get(wideIndex.get(row)) : bases[row >>> SHIFT] + v;
    }

    void add(long value) {
        int block = size >>> SHIFT;
        if (block == blocks.length) {
            blocks = Arrays.copyOf(blocks, block * 2);
            bases = Arrays.copyOf(bases, block * 2);
        }
        size++;
        if (blocks[block] == null && value == missing) return;
        put(size - 1, value);
    }

    /** Adds {@code n} values that are {@code missing}. */
    void addMissing(int n) {
        int last = (size + n - 1) >>> SHIFT;
        if (last >= blocks.length) {
            blocks = Arrays.copyOf(blocks, Math.max(last + 1, blocks.length * 2));
            bases = Arrays.copyOf(bases, blocks.length);
        }
        for (int row = size; row < size + n; ) {
            int[] b = blocks[row >>> SHIFT];
            int end = Math.min(size + n, ((row >>> SHIFT) + 1) << SHIFT);
            if (b != null) for (int r = row; r < end; r++) put(r, missing);
            row = end;
        }
        size += n;
    }

    void set(int row, long value) {
        if (row >= size) throw new IndexOutOfBoundsException(row);
        if (blocks[row >>> SHIFT] == null && value == missing) return;
        put(row, value);
    }

    private void put(int row, long value) {
        int block = row >>> SHIFT;
        int[] b = blocks[block];
        if (b == null) {
            // the last block starts small and doubles: a column of a few rows holds a few values
            b = blocks[block] = new int[size >>> SHIFT > block ? BLOCK : Math.max(16, Integer.highestOneBit(size & MASK) * 2)];
            bases[block] = relative ? value : 0;
            long m = missing - bases[block];
            int fill = m > ESCAPE && m <= Integer.MAX_VALUE ? (int) m : ESCAPE;
            if (fill != 0) Arrays.fill(b, fill);
            if (fill == ESCAPE) { // the block's other rows so far hold the missing value whole
                for (int r = block << SHIFT, end = Math.min(size, r + BLOCK); r < end; r++) if (r != row) putWide(r, missing);
            }
        } else if ((row & MASK) >= b.length) {
            int had = b.length;
            b = blocks[block] = Arrays.copyOf(b, Math.min(BLOCK, Math.max(had * 2, (row & MASK) + 1)));
        }
        long offset = value - bases[block];
        if (offset > ESCAPE && offset <= Integer.MAX_VALUE) {
            b[row & MASK] = (int) offset;
        } else {
            b[row & MASK] = ESCAPE;
            putWide(row, value);
        }
    }

    private void putWide(int row, long value) {
        if (wide == null) {
            wide = new LongList();
            wideIndex = new LongIntMap(16);
        }
        int at = wideIndex.get(row);
        if (at >= 0) {
            wide.set(at, value);
        } else {
            wideIndex.put(row, wide.size());
            wide.add(value);
        }
    }

    /** Grows by {@code n} rows of {@code missing}, for an in-place merge. */
    void extend(int n) { addMissing(n); }

    /** Whether every value is {@code missing}. */
    boolean unused() {
        for (int i = 0; i < size; i += BLOCK) {
            int[] b = blocks[i >>> SHIFT];
            if (b == null) continue;
            for (int r = i, end = Math.min(size, i + BLOCK); r < end; r++) if (get(r) != missing) return false;
        }
        return true;
    }

    /** A copy with the values {@code result[i] = get(order[i])} ({@code order} null: the first n as they are). */
    LongColumn picked(int[] order, int n) {
        LongColumn c = new LongColumn(relative, missing);
        for (int i = 0; i < n; i++) c.add(get(order == null ? i : order[i]));
        return c;
    }

    long[] toArray() {
        long[] a = new long[size];
        for (int i = 0; i < size; i++) a[i] = get(i);
        return a;
    }

    /** Bytes held, roughly: the blocks, their bases and the whole values. */
    long bytes() {
        long n = 16L * blocks.length;
        for (int[] b : blocks) if (b != null) n += 16 + 4L * b.length;
        if (wide != null) n += 20L * wide.size();
        return n;
    }
}
