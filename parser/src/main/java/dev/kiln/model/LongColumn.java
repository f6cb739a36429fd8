// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import java.util.Arrays;

/**
 * A growable column of {@code long}s held in 4 bytes a value where it can: values are stored in blocks of
 * {@value #BLOCK}, each as 4-byte offsets from the block's base until a value of the block does not fit, when that
 * block widens to whole {@code long}s. A {@code relative} column, for values that rise slowly such as sorted start
 * times, takes the block's first value as its base and holds offsets of 0 to 2^32-1 above it (4.29 s of
 * nanoseconds); another holds signed offsets from 0, such as durations that are mostly short. A block that holds only the {@code
 * missing} value is not allocated, so a column few rows use costs almost nothing; the last block starts small and
 * doubles; blocks are never copied to grow the column. Not thread-safe while written; reading a column no one writes
 * is.
 */
final class LongColumn {
    static final int SHIFT = 14, BLOCK = 1 << SHIFT, MASK = BLOCK - 1;

    private final boolean relative;
    private final long missing;
    private int[][] narrow = new int[4][];
    private long[][] wide = new long[4][];
    private long[] bases = new long[4];
    private int size;

    LongColumn(boolean relative, long missing) {
        this.relative = relative;
        this.missing = missing;
    }

    int size() { return size; }

    long get(int row) {
        int block = row >>> SHIFT;
        int[] b = narrow[block];
        if (b != null) return relative ? bases[block] + (b[row & MASK] & 0xFFFFFFFFL) : b[row & MASK];
        long[] w = wide[block];
        return w == null ? missing : w[row & MASK];
    }

    void add(long value) {
        if (size >>> SHIFT == narrow.length) grow(narrow.length * 2);
        size++;
        if (value != missing || allocated((size - 1) >>> SHIFT)) put(size - 1, value);
    }

    /**
     * Adds {@code src[order[i]]} (or {@code src[i]} when {@code order} is null) for {@code i} in {@code [from, to)};
     * {@code nonNegative}: negative values become 0 (durations).
     */
    void addAll(long[] src, int from, int to, int[] order, boolean nonNegative) {
        for (int i = from; i < to; i++) {
            long v = src[order == null ? i : order[i]];
            add(nonNegative ? Math.max(0, v) : v);
        }
    }

    void set(int row, long value) {
        if (row >= size) throw new IndexOutOfBoundsException(row);
        if (value != missing || allocated(row >>> SHIFT)) put(row, value);
    }

    /** Grows by {@code n} rows of {@code missing}, for an in-place merge. */
    void extend(int n) {
        int last = (size + n - 1) >>> SHIFT;
        if (last >= narrow.length) grow(Math.max(last + 1, narrow.length * 2));
        int from = size;
        size += n;
        for (int r = from; r < size; r++) if (allocated(r >>> SHIFT)) put(r, missing);
    }

    /**
     * Moves the values of rows {@code [lo, end)} to {@code [lo + k, end + k)} (rows that exist), block by block with
     * {@code System.arraycopy} where both sides hold values alike (both whole, or both offsets from one base), for an
     * in-place merge.
     */
    void shift(int lo, int end, int k) {
        for (int hi = end; hi > lo; ) {
            int dstBlockStart = ((hi - 1 + k) >>> SHIFT) << SHIFT, srcBlockStart = ((hi - 1) >>> SHIFT) << SHIFT;
            int from = Math.max(lo, Math.max(srcBlockStart, dstBlockStart - k)), len = hi - from;
            int sb = from >>> SHIFT, db = (from + k) >>> SHIFT, si = from & MASK, di = (from + k) & MASK;
            if (narrow[sb] != null && narrow[db] != null && bases[sb] == bases[db] && narrow[db].length >= di + len) {
                System.arraycopy(narrow[sb], si, narrow[db], di, len);
            } else if (wide[sb] != null && wide[db] != null && wide[db].length >= di + len) {
                System.arraycopy(wide[sb], si, wide[db], di, len);
            } else {
                for (int r = hi - 1; r >= from; r--) set(r + k, get(r));
            }
            hi = from;
        }
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

    /** Bytes held, roughly: the blocks and their bases. */
    long bytes() {
        long n = 24L * narrow.length;
        for (int i = 0; i < narrow.length; i++) {
            if (narrow[i] != null) n += 16 + 4L * narrow[i].length;
            if (wide[i] != null) n += 16 + 8L * wide[i].length;
        }
        return n;
    }

    private boolean allocated(int block) { return narrow[block] != null || wide[block] != null; }

    private void grow(int blocks) {
        narrow = Arrays.copyOf(narrow, blocks);
        wide = Arrays.copyOf(wide, blocks);
        bases = Arrays.copyOf(bases, blocks);
    }

    /** A new block's length: whole, but the last block starts small and doubles, so a few rows hold a few values. */
    private int length(int block) {
        return size >>> SHIFT > block ? BLOCK : Math.max(16, Integer.highestOneBit(size & MASK) * 2);
    }

    private static int grown(int had, int index) { return Math.min(BLOCK, Math.max(had * 2, index + 1)); }

    private void put(int row, long value) {
        int block = row >>> SHIFT, i = row & MASK;
        long[] w = wide[block];
        if (w != null) {
            if (i >= w.length) w = wide[block] = fill(Arrays.copyOf(w, grown(w.length, i)), w.length);
            w[i] = value;
            return;
        }
        int[] b = narrow[block];
        if (b == null) { // a new block: its base, and the rows before this one missing
            bases[block] = relative ? value : 0;
            long m = missing - bases[block];
            if (i > 0 && !fits(m)) { // missing rows far from the base: whole values
                w = wide[block] = fill(new long[length(block)], 0);
                w[i] = value;
                return;
            }
            b = narrow[block] = new int[length(block)];
            if (m != 0 && fits(m)) Arrays.fill(b, (int) m);
        } else if (i >= b.length) {
            int had = b.length;
            b = narrow[block] = Arrays.copyOf(b, grown(had, i));
        }
        long offset = value - bases[block];
        if (fits(offset)) {
            b[i] = (int) offset;
            return;
        }
        // the block's first value that 4 bytes cannot hold: the block widens
        w = wide[block] = new long[b.length];
        for (int j = 0; j < b.length; j++) w[j] = relative ? bases[block] + (b[j] & 0xFFFFFFFFL) : b[j];
        narrow[block] = null;
        w[i] = value;
    }

    /** The slots from {@code from} on set to the missing value. */
    private long[] fill(long[] w, int from) {
        if (missing != 0) Arrays.fill(w, from, w.length, missing);
        return w;
    }

    private boolean fits(long offset) {
        return relative ? offset >= 0 && offset <= 0xFFFFFFFFL : offset >= Integer.MIN_VALUE && offset <= Integer.MAX_VALUE;
    }
}
