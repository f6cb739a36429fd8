// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import java.util.Arrays;

/**
 * A growable column of {@code int}s in blocks of {@value LongColumn#BLOCK} values, as {@link LongColumn}: a block
 * that holds only the {@code missing} value is not allocated, and blocks are never copied to grow. A block holds its
 * values in 1 byte each while they lie in the 255 values from {@code missing + 1}, or if its first value is not among
 * those, from that value less 127 (lanes of a stretch of a trace with few running threads; the byte 255 is the
 * missing value), in 2 while they lie in {@code [missing, missing + 65535)} (indices of threads, stacks and strings mostly do), in 4
 * from the first that does not. A {@code bytes} column holds values of 0-255 in a byte each
 * (event kinds). {@link #compact} makes a block of no more than 256 distinct values 1 byte a value, codes into the
 * block's sorted values (stack and string indices: a block's rows use a few hundred stacks and names at most).
 */
final class IntColumn {
    private static final int SHIFT = LongColumn.SHIFT, BLOCK = LongColumn.BLOCK, MASK = LongColumn.MASK;
    private static final int TINY = 0xff, NARROW = 0xffff;

    private final int missing;
    private final boolean bytes;
    /** {@code bytes}: the values; otherwise the blocks held as 1-byte offsets from their {@code tinyBase}. */
    private byte[][] small;
    private int[] tinyBase = new int[4];
    private char[][] narrow;
    private int[][] ints;
    /** Blocks held as 1-byte codes into these values (null: not so held). */
    private int[][] dict;
    /**
     * Blocks of 2-byte values held as offsets from their {@code charBase} rather than from {@code missing}: a
     * compacted block of lanes 65,535 or more, most within {@value #WINDOW} of each other, the few values outside that
     * window (a few long-lived goroutines' lanes) as codes {@value #WINDOW} and up into the block's {@code outliers},
     * 0xffff the missing value.
     */
    private boolean[] based;
    private int[] charBase;
    private int[][] outliers;
    private static final int WINDOW = 0xff00;
    private int size;
    /** Whether each block is compacted as soon as it is full (see {@link LongColumn#compactFull}). */
    private boolean compactFull;

    IntColumn(int missing, boolean bytes) {
        this.missing = missing;
        this.bytes = bytes;
        small = new byte[4][];
        if (!bytes) {
            narrow = new char[4][];
            ints = new int[4][];
            dict = new int[4][];
            based = new boolean[4];
            charBase = new int[4];
            outliers = new int[4][];
        }
    }

    int size() { return size; }

    /** As {@link LongColumn#compactFull}: from now on each block is compacted as soon as it is full. Returns this. */
    IntColumn compactFull() {
        compactFull = true;
        return this;
    }

    int get(int row) {
        int block = row >>> SHIFT;
        if (bytes) {
            byte[] b = small[block];
            return b == null ? missing : b[row & MASK] & 0xff;
        }
        byte[] t = small[block];
        if (t != null) {
            int v = t[row & MASK] & 0xff;
            int[] d = dict[block];
            return d != null ? d[v] : v == TINY ? missing : tinyBase[block] + v;
        }
        char[] c = narrow[block];
        if (c != null) {
            int v = c[row & MASK];
            return !based[block] ? v + missing : v < WINDOW ? charBase[block] + v : v == NARROW ? missing : outliers[block][v - WINDOW];
        }
        int[] b = ints[block];
        return b == null ? missing : b[row & MASK];
    }

    void add(int value) {
        int block = size >>> SHIFT;
        if (block == blocks()) grow(block * 2);
        size++;
        if (value != missing || allocated(block)) put(size - 1, value);
        if (compactFull && (size & MASK) == 0) compact(block);
    }

    /** Adds {@code src[order[i]]} (or {@code src[i]} when {@code order} is null) for {@code i} in {@code [from, to)}. */
    void addAll(int[] src, int from, int to, int[] order) {
        for (int i = from; i < to; i++) add(src[order == null ? i : order[i]]);
    }

    void set(int row, int value) {
        if (row >= size) throw new IndexOutOfBoundsException(row);
        if (value != missing || allocated(row >>> SHIFT)) put(row, value);
    }

    /** Grows by {@code n} rows of {@code missing}, for an in-place merge. */
    void extend(int n) {
        int last = (size + n - 1) >>> SHIFT;
        if (last >= blocks()) grow(Math.max(last + 1, blocks() * 2));
        int from = size;
        size += n;
        for (int r = from; r < size; r++) if (allocated(r >>> SHIFT)) put(r, missing);
    }

    /**
     * Moves the values of rows {@code [lo, end)} to {@code [lo + k, end + k)} (rows that exist), block by block with
     * {@code System.arraycopy} where both sides hold values alike, for an in-place merge.
     */
    void shift(int lo, int end, int k) {
        for (int hi = end; hi > lo; ) {
            int dstBlockStart = ((hi - 1 + k) >>> SHIFT) << SHIFT, srcBlockStart = ((hi - 1) >>> SHIFT) << SHIFT;
            int from = Math.max(lo, Math.max(srcBlockStart, dstBlockStart - k)), len = hi - from;
            int sb = from >>> SHIFT, db = (from + k) >>> SHIFT, si = from & MASK, di = (from + k) & MASK;
            Object src = small[sb] != null ? small[sb] : bytes ? null : narrow[sb] != null ? narrow[sb] : ints[sb];
            Object dst = small[db] != null ? small[db] : bytes ? null : narrow[db] != null ? narrow[db] : ints[db];
            boolean alike = src != null && dst != null && src.getClass() == dst.getClass()
                    && (bytes || !(src instanceof byte[]) || tinyBase[sb] == tinyBase[db] && dict[sb] == null && dict[db] == null) // 1-byte blocks: one base
                    && (bytes || !(src instanceof char[]) || !based[sb] && !based[db]);
            if (alike && java.lang.reflect.Array.getLength(dst) >= di + len) {
                System.arraycopy(src, si, dst, di, len);
            } else {
                for (int r = hi - 1; r >= from; r--) set(r + k, get(r));
            }
            hi = from;
        }
    }

    /** A copy with the first {@code n} rows {@code order} gives, its full blocks compacted. */
    IntColumn picked(RowOrder order, int n) {
        IntColumn c = new IntColumn(missing, bytes).compactFull();
        order.restart();
        for (int i = 0; i < n; i++) c.add(get(order.next()));
        return c;
    }

    /**
     * For a column no one writes any more: each block's arrays cut to its rows, and a block of 2- or 4-byte values
     * of no more than 256 distinct ones held as 1-byte codes where that takes less room.
     */
    void compact() {
        for (int block = 0; block < blocks(); block++) compact(block);
    }

    /** {@link #compact} of one block. */
    private void compact(int block) {
        int n = Math.max(0, Math.min(BLOCK, size - (block << SHIFT)));
        if (n == 0) {
            small[block] = null;
            if (!bytes) {
                narrow[block] = null;
                ints[block] = null;
                dict[block] = null;
                based[block] = false;
                outliers[block] = null;
            }
            return;
        }
        if (small[block] != null && small[block].length > n) small[block] = Arrays.copyOf(small[block], n);
        if (bytes) return;
        if (narrow[block] != null && narrow[block].length > n) narrow[block] = Arrays.copyOf(narrow[block], n);
        if (ints[block] != null && ints[block].length > n) ints[block] = Arrays.copyOf(ints[block], n);
        if (narrow[block] == null && ints[block] == null || based[block]) return; // nothing to do, or compacted already
        int[] values = new int[n];
        for (int j = 0; j < n; j++) values[j] = get((block << SHIFT) + j);
        int[] d = distinct(values);
        long width = narrow[block] != null ? 2 : 4;
        if (d == null || width * n <= n + 4L * d.length + 16) {
            if (ints[block] != null) based(block, values);
            return;
        }
        byte[] codes = new byte[n];
        for (int j = 0; j < n; j++) codes[j] = (byte) Arrays.binarySearch(d, values[j]);
        small[block] = codes;
        dict[block] = d;
        narrow[block] = null;
        based[block] = false;
        outliers[block] = null;
        ints[block] = null;
    }

    /**
     * A block of 4-byte values held in 2 bytes from the least of the window of {@value #WINDOW} values that holds most
     * of them, where the values outside it are no more than 255 distinct ones.
     */
    private void based(int block, int[] values) {
        int[] sorted = new int[values.length];
        int m = 0;
        for (int v : values) if (v != missing) sorted[m++] = v;
        if (m == 0) return;
        sorted = Arrays.copyOf(sorted, m);
        Arrays.sort(sorted);
        int lo = 0;
        int from = lo, best = lo, bestCount = 0;
        for (int k = lo; k < sorted.length; k++) { // the window [sorted[from], sorted[k]] that holds most values
            while ((long) sorted[k] - sorted[from] >= WINDOW) from++;
            if (k - from + 1 > bestCount) {
                bestCount = k - from + 1;
                best = from;
            }
        }
        int base = sorted[best];
        int[] out = new int[256];
        int outside = 0;
        for (int k = lo; k < sorted.length; k++) {
            long offset = (long) sorted[k] - base;
            if (offset >= 0 && offset < WINDOW || outside > 0 && out[outside - 1] == sorted[k]) continue;
            if (outside == 255) return;
            out[outside++] = sorted[k];
        }
        int[] far = Arrays.copyOf(out, outside);
        char[] c = new char[values.length];
        for (int j = 0; j < c.length; j++) {
            int v = values[j];
            long offset = (long) v - base;
            c[j] = (char) (v == missing ? NARROW : offset >= 0 && offset < WINDOW ? offset : WINDOW + Arrays.binarySearch(far, v));
        }
        narrow[block] = c;
        based[block] = true;
        charBase[block] = base;
        outliers[block] = far.length == 0 ? null : far;
        ints[block] = null;
    }

    /** A block of 2-byte values from their own base written again: its values held whole. */
    private void unbase(int block) {
        char[] c = narrow[block];
        int[] all = new int[c.length];
        for (int j = 0; j < c.length; j++) all[j] = get((block << SHIFT) + j);
        narrow[block] = null;
        based[block] = false;
        outliers[block] = null;
        ints[block] = all;
    }

    long bytes() {
        long n = (bytes ? 8L : 33L) * blocks();
        for (int i = 0; i < blocks(); i++) {
            if (!bytes && dict[i] != null) n += 16 + 4L * dict[i].length;
            if (!bytes && outliers[i] != null) n += 16 + 4L * outliers[i].length;
            n += small[i] != null ? 16 + small[i].length : bytes ? 0
                    : narrow[i] != null ? 16 + 2L * narrow[i].length : ints[i] != null ? 16 + 4L * ints[i].length : 0;
        }
        return n;
    }

    /** A new block's length: whole, but the last block starts small and doubles, so a few rows hold a few values. */
    private int length(int block) {
        return size >>> SHIFT > block ? BLOCK : Math.max(16, Integer.highestOneBit(size & MASK) * 2);
    }

    private int blocks() { return small.length; }

    private boolean allocated(int block) { return small[block] != null || !bytes && (narrow[block] != null || ints[block] != null); }

    private void grow(int blocks) {
        small = Arrays.copyOf(small, blocks);
        tinyBase = Arrays.copyOf(tinyBase, blocks);
        if (!bytes) {
            narrow = Arrays.copyOf(narrow, blocks);
            ints = Arrays.copyOf(ints, blocks);
            dict = Arrays.copyOf(dict, blocks);
            based = Arrays.copyOf(based, blocks);
            charBase = Arrays.copyOf(charBase, blocks);
            outliers = Arrays.copyOf(outliers, blocks);
        }
    }

    /** The distinct values, sorted; null when there are more than 256. */
    private static int[] distinct(int[] values) {
        int[] slots = new int[1024];
        boolean[] used = new boolean[1024];
        int[] found = new int[257];
        int count = 0;
        for (int v : values) {
            int h = (v * 0x9E3779B1) >>> 22;
            while (used[h] && slots[h] != v) h = (h + 1) & 1023;
            if (used[h]) continue;
            if (count == 256) return null;
            used[h] = true;
            slots[h] = v;
            found[count++] = v;
        }
        int[] d = Arrays.copyOf(found, count);
        Arrays.sort(d);
        return d;
    }

    /** A block of codes written again: its values held whole. */
    private void undict(int block) {
        byte[] codes = small[block];
        int[] d = dict[block], all = new int[codes.length];
        for (int j = 0; j < codes.length; j++) all[j] = d[codes[j] & 0xff];
        small[block] = null;
        dict[block] = null;
        ints[block] = all;
    }

    /** A block's length after room for {@code index}: double, up to a whole block. */
    private static int grown(int had, int index) { return Math.min(BLOCK, Math.max(had * 2, index + 1)); }

    private void put(int row, int value) {
        int block = row >>> SHIFT, i = row & MASK;
        if (bytes) {
            if (value < 0 || value > 255) throw new IllegalArgumentException("not a byte: " + value);
            byte[] b = small[block];
            if (b == null || i >= b.length) {
                int had = b == null ? 0 : b.length;
                b = small[block] = b == null ? new byte[length(block)] : Arrays.copyOf(b, grown(had, i));
                if (missing != 0) Arrays.fill(b, had, b.length, (byte) missing);
            }
            b[i] = (byte) value;
            return;
        }
        if (dict[block] != null) undict(block);
        if (based[block]) unbase(block);
        long offset = (long) value - missing;
        if (narrow[block] == null && ints[block] == null) {
            byte[] t = small[block];
            if (t == null) tinyBase[block] = (long) value - missing <= TINY ? missing + 1 : value - 127;
            long tiny = value == missing ? TINY : (long) value - tinyBase[block];
            if (tiny >= 0 && tiny <= TINY && (tiny < TINY || value == missing)) {
                if (t == null || i >= t.length) {
                    int had = t == null ? 0 : t.length;
                    t = small[block] = t == null ? new byte[length(block)] : Arrays.copyOf(t, grown(had, i));
                    Arrays.fill(t, had, t.length, (byte) TINY);
                }
                t[i] = (byte) tiny;
                return;
            }
        }
        if (small[block] != null) { // the block's first value that 1 byte cannot hold: it widens
            byte[] t = small[block];
            int[] all = new int[Math.max(t.length, i + 1)];
            Arrays.fill(all, missing);
            boolean fit = true;
            for (int j = 0; j < t.length; j++) {
                int v = t[j] & 0xff;
                all[j] = v == TINY ? missing : tinyBase[block] + v;
                fit &= (long) all[j] - missing >= 0 && (long) all[j] - missing < NARROW;
            }
            small[block] = null;
            if (fit) {
                char[] c = narrow[block] = new char[all.length];
                for (int j = 0; j < all.length; j++) c[j] = (char) (all[j] - missing);
            } else {
                ints[block] = all;
            }
        }
        if (ints[block] == null && offset >= 0 && offset < NARROW) {
            char[] c = narrow[block];
            if (c == null || i >= c.length) c = narrow[block] = c == null ? new char[length(block)] : Arrays.copyOf(c, grown(c.length, i));
            c[i] = (char) offset;
            return;
        }
        int[] b = ints[block];
        if (b == null) { // the block's first value that 2 bytes cannot hold: the block widens
            char[] c = narrow[block];
            b = ints[block] = new int[c == null ? length(block) : Math.max(c.length, i + 1)];
            Arrays.fill(b, missing);
            if (c != null) for (int j = 0; j < c.length; j++) b[j] = c[j] + missing;
            narrow[block] = null;
        } else if (i >= b.length) {
            int had = b.length;
            b = ints[block] = Arrays.copyOf(b, grown(had, i));
            if (missing != 0) Arrays.fill(b, had, b.length, missing);
        }
        b[i] = value;
    }
}
