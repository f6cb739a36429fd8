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
 * doubles; blocks are never copied to grow the column. A {@code small} column (of small values with a few large
 * ones, such as event amounts: task ids, P ids and lanes, with a heap size now and then; or durations, mostly under
 * 65 µs) holds a block in 1 or 2 bytes a value, the few values that do not fit (at most {@value #EXCEPTIONS} a block)
 * kept beside it by row, until there are more, when the block widens. {@link #compact}, for a column no one writes
 * any more, holds a relative column's block of 4-byte offsets in 2 bytes a value where it can: offsets from the least
 * value of each run of 16-256 rows (start times of a run of events lie within 65 µs), the few values far above it
 * beside. Not thread-safe while written; reading a column no one writes is.
 */
final class LongColumn {
    static final int SHIFT = 14, BLOCK = 1 << SHIFT, MASK = BLOCK - 1;
    /** Most exceptions a small block holds. */
    private static final int EXCEPTIONS = BLOCK / 5;

    private final boolean relative, small;
    /** A small block's value that means "the value is among the block's exceptions": the largest of its width. */
    private final int escape;
    private final long missing;
    /** Small blocks: {@code byte[]} or {@code char[]}. */
    private Object[] tiny = new Object[4];
    /** A small block's exceptions: their rows within the block (sorted) and values. */
    private char[][] excRows = new char[4][];
    private long[][] excValues = new long[4][];
    /** A compacted block's exceptions, when they fit: unsigned 4-byte offsets from the block's base (0 if not relative); its {@code excValues} null. */
    private int[][] excSmall = new int[4][];
    private int[] excCount = new int[4];
    private int[][] narrow = new int[4][];
    private long[][] wide = new long[4][];
    private long[] bases = new long[4];
    /** A relative column's blocks of 2-byte values: the least value of each run of {@code 1 << subShift} rows, above the block's base. */
    private int[][] subBases = new int[4][];
    private byte[] subShift = new byte[4];
    private int size;
    /** Whether each block is compacted as soon as it is full: for a column whose rows are not written again. */
    private boolean compactFull;

    LongColumn(boolean relative, long missing) { this(relative, missing, 0); }

    /**
     * {@code smallBytes} 1 or 2: blocks of 1- or 2-byte values with exceptions (only for a column of values from 0,
     * whose missing value is 0); 0: none.
     */
    LongColumn(boolean relative, long missing, int smallBytes) {
        if (smallBytes != 0 && (relative || missing != 0 || smallBytes > 2)) throw new IllegalArgumentException("a small column holds values from 0");
        this.relative = relative;
        this.missing = missing;
        this.small = smallBytes != 0;
        this.escape = smallBytes == 1 ? 0xff : 0xffff;
    }

    private static int at(Object t, int i) { return t instanceof byte[] b ? b[i] & 0xff : ((char[]) t)[i]; }

    private static void put(Object t, int i, int v) {
        if (t instanceof byte[] b) b[i] = (byte) v;
        else ((char[]) t)[i] = (char) v;
    }

    private static int length(Object t) { return t instanceof byte[] b ? b.length : ((char[]) t).length; }

    private Object tinyBlock(Object had, int len) {
        if (had == null) return escape == 0xff ? new byte[len] : new char[len];
        return had instanceof byte[] b ? Arrays.copyOf(b, len) : Arrays.copyOf((char[]) had, len);
    }

    int size() { return size; }

    /**
     * From now on each block is {@link #compact}ed as soon as its last row is added, so a column being filled holds its
     * full blocks narrow (a row written again later is still right, only its block wider). Returns this.
     */
    LongColumn compactFull() {
        compactFull = true;
        return this;
    }

    long get(int row) {
        int block = row >>> SHIFT;
        Object t = tiny[block];
        if (t != null) {
            int v = at(t, row & MASK);
            if (v == escape) return excValue(block, Arrays.binarySearch(excRows[block], 0, excCount[block], (char) (row & MASK)));
            int[] sub = subBases[block];
            return sub == null ? v : bases[block] + (sub[(row & MASK) >>> subShift[block]] & 0xFFFFFFFFL) + v;
        }
        int[] b = narrow[block];
        if (b != null) return relative ? bases[block] + (b[row & MASK] & 0xFFFFFFFFL) : b[row & MASK];
        long[] w = wide[block];
        return w == null ? missing : w[row & MASK];
    }

    void add(long value) {
        if (size >>> SHIFT == narrow.length) grow(narrow.length * 2);
        size++;
        if (value != missing || allocated((size - 1) >>> SHIFT)) put(size - 1, value);
        if (compactFull && (size & MASK) == 0) compact((size - 1) >>> SHIFT);
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
            if (tiny[sb] != null && tiny[db] != null && excCount[sb] == 0 && subBases[sb] == null && subBases[db] == null
                    && length(tiny[db]) >= di + len) {
                System.arraycopy(tiny[sb], si, tiny[db], di, len);
            } else if (narrow[sb] != null && narrow[db] != null && bases[sb] == bases[db] && narrow[db].length >= di + len) {
                System.arraycopy(narrow[sb], si, narrow[db], di, len);
            } else if (wide[sb] != null && wide[db] != null && wide[db].length >= di + len) {
                System.arraycopy(wide[sb], si, wide[db], di, len);
            } else {
                for (int r = hi - 1; r >= from; r--) set(r + k, get(r));
            }
            hi = from;
        }
    }

    /** A copy with the first {@code n} rows {@code order} gives, its full blocks compacted. */
    LongColumn picked(RowOrder order, int n) {
        LongColumn c = new LongColumn(relative, missing, small ? (escape == 0xff ? 1 : 2) : 0).compactFull();
        order.restart();
        for (int i = 0; i < n; i++) c.add(get(order.next()));
        return c;
    }

    long[] toArray() {
        long[] a = new long[size];
        for (int i = 0; i < size; i++) a[i] = get(i);
        return a;
    }

    /**
     * Makes each block of whole values whose values all fit 4 bytes (from their least, in a relative column) a block
     * of 4-byte offsets again. Rows written out of order, as an in-place merge does from the end of a block, make a
     * block whole although its values would fit: this is for when the column is written.
     */
    void compact() {
        for (int block = 0; block < wide.length; block++) compact(block);
    }

    /** {@link #compact} of one block. */
    private void compact(int block) {
        int rows = Math.max(0, Math.min(BLOCK, size - (block << SHIFT)));
        trim(block, rows);
        if (relative && narrow[block] != null) runs(block, rows);
        if (small && narrow[block] != null) resmall(block, rows);
        narrowExceptions(block);
        long[] w = wide[block];
        if (w == null) return;
        int n = Math.min(w.length, size - (block << SHIFT));
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        for (int j = 0; j < n; j++) {
            min = Math.min(min, w[j]);
            max = Math.max(max, w[j]);
        }
        long base = relative ? min : 0;
        if (n == 0 || relative && (max - base < 0 || !fits(max - base)) || !relative && !(fits(min) && fits(max))) return;
        int[] b = new int[w.length];
        for (int j = 0; j < n; j++) b[j] = (int) (w[j] - base);
        if (relative && !fits(missing - base)) {
            if (n < w.length) return; // unwritten slots must read as missing
        } else {
            Arrays.fill(b, n, b.length, (int) (missing - base));
        }
        bases[block] = base;
        narrow[block] = b;
        wide[block] = null;
        if (relative) runs(block, n);
        narrowExceptions(block);
    }

    /**
     * A small column's block that writing widened (more large values than a block being written may keep beside) held
     * small again, with all its large values beside, where that takes less room.
     */
    private void resmall(int block, int n) {
        int[] b = narrow[block];
        int far = 0;
        for (int j = 0; j < n; j++) if (b[j] < 0 || b[j] >= escape) far++;
        if ((escape == 0xff ? 1L : 2L) * n + 10L * far + 64 >= 4L * n) return;
        Object t = tinyBlock(null, n);
        char[] rows = new char[far];
        long[] values = new long[far];
        int k = 0;
        for (int j = 0; j < n; j++) {
            if (b[j] < 0 || b[j] >= escape) {
                rows[k] = (char) j;
                values[k++] = b[j];
                put(t, j, escape);
            } else {
                put(t, j, b[j]);
            }
        }
        tiny[block] = t;
        excRows[block] = rows;
        excValues[block] = values;
        excCount[block] = far;
        narrow[block] = null;
    }

    /** Cuts a block's arrays to its {@code n} rows. */
    private void trim(int block, int n) {
        if (tiny[block] != null && length(tiny[block]) > n) {
            tiny[block] = tinyBlock(tiny[block], n);
            int k = 0;
            while (k < excCount[block] && excRows[block][k] < n) k++;
            excCount[block] = k;
        }
        if (narrow[block] != null && narrow[block].length > n) narrow[block] = Arrays.copyOf(narrow[block], n);
        if (wide[block] != null && wide[block].length > n) wide[block] = Arrays.copyOf(wide[block], n);
        if (n == 0) {
            tiny[block] = null;
            narrow[block] = null;
            wide[block] = null;
            excRows[block] = null;
            excValues[block] = null;
            excSmall[block] = null;
            excCount[block] = 0;
        }
    }

    private long excValue(int block, int k) {
        long[] v = excValues[block];
        return v != null ? v[k] : (relative ? bases[block] : 0) + (excSmall[block][k] & 0xFFFFFFFFL);
    }

    /** A compacted block's exceptions in 6 bytes each (a 2-byte row, a 4-byte offset from the block's base) where they fit. */
    private void narrowExceptions(int block) {
        int n = excCount[block];
        if (n == 0 || excValues[block] == null) return;
        long base = relative ? bases[block] : 0;
        int[] small = new int[n];
        for (int k = 0; k < n; k++) {
            long offset = excValues[block][k] - base;
            if (offset < 0 || offset > 0xFFFFFFFFL) return;
            small[k] = (int) offset;
        }
        excRows[block] = Arrays.copyOf(excRows[block], n);
        excSmall[block] = small;
        excValues[block] = null;
    }

    /** Exceptions written again: whole values. */
    private void wideExceptions(int block) {
        int[] small = excSmall[block];
        long[] v = new long[Math.max(small.length, 16)];
        for (int k = 0; k < small.length; k++) v[k] = excValue(block, k);
        excRows[block] = Arrays.copyOf(excRows[block], v.length);
        excValues[block] = v;
        excSmall[block] = null;
    }

    /**
     * A relative block of 4-byte offsets as 2-byte offsets from the least value of each run of rows, where that takes
     * less room: the run length that takes least, the values 65,535 or more above their run's least beside.
     */
    private void runs(int block, int n) {
        int[] b = narrow[block];
        int best = -1;
        long bestBytes = 4L * n - 64; // what it takes now, less a margin
        for (int shift = 4; shift <= 8; shift++) {
            int far = far(block, b, n, shift, false);
            long bytes = 2L * n + 4L * ((n + (1 << shift) - 1) >>> shift) + 12L * far;
            if (far <= EXCEPTIONS && bytes < bestBytes) {
                best = shift;
                bestBytes = bytes;
            }
        }
        if (best < 0) return;
        char[] t = new char[n];
        int[] sub = new int[(n + (1 << best) - 1) >>> best];
        tiny[block] = t;
        subBases[block] = sub;
        subShift[block] = (byte) best;
        far(block, b, n, best, true);
        narrow[block] = null;
    }

    /** The values of {@code b} 65,535 or more above the least of their run of {@code 1 << shift}; {@code write}: held so. */
    private int far(int block, int[] b, int n, int shift, boolean write) {
        int far = 0;
        for (int from = 0; from < n; from += 1 << shift) {
            int to = Math.min(n, from + (1 << shift));
            long min = Long.MAX_VALUE;
            for (int j = from; j < to; j++) min = Math.min(min, b[j] & 0xFFFFFFFFL);
            if (write) subBases[block][from >>> shift] = (int) min;
            for (int j = from; j < to; j++) {
                long offset = (b[j] & 0xFFFFFFFFL) - min;
                if (offset >= escape) {
                    far++;
                    if (write) {
                        exception(block, j, bases[block] + (b[j] & 0xFFFFFFFFL));
                        ((char[]) tiny[block])[j] = (char) escape;
                    }
                } else if (write) {
                    ((char[]) tiny[block])[j] = (char) offset;
                }
            }
        }
        return far;
    }

    /** A block of runs written again: its values held whole. */
    private void unrun(int block) {
        long[] w = new long[length(tiny[block])];
        for (int j = 0; j < w.length; j++) w[j] = get((block << SHIFT) + j);
        tiny[block] = null;
        excRows[block] = null;
        excValues[block] = null;
        excSmall[block] = null;
        excCount[block] = 0;
        subBases[block] = null;
        narrow[block] = null;
        wide[block] = w;
    }

    /** Bytes held, roughly: the blocks and their bases. */
    long bytes() {
        long n = 40L * narrow.length;
        for (int i = 0; i < narrow.length; i++) {
            if (subBases[i] != null) n += 16 + 4L * subBases[i].length;
            if (tiny[i] != null) n += 16 + (escape == 0xff ? 1L : 2L) * length(tiny[i]) + (excRows[i] == null ? 0 : 32 + (excSmall[i] != null ? 6L : 10L) * excRows[i].length);
            if (narrow[i] != null) n += 16 + 4L * narrow[i].length;
            if (wide[i] != null) n += 16 + 8L * wide[i].length;
        }
        return n;
    }

    private boolean allocated(int block) { return tiny[block] != null || narrow[block] != null || wide[block] != null; }

    private void grow(int blocks) {
        tiny = Arrays.copyOf(tiny, blocks);
        excRows = Arrays.copyOf(excRows, blocks);
        excValues = Arrays.copyOf(excValues, blocks);
        excSmall = Arrays.copyOf(excSmall, blocks);
        excCount = Arrays.copyOf(excCount, blocks);
        narrow = Arrays.copyOf(narrow, blocks);
        wide = Arrays.copyOf(wide, blocks);
        bases = Arrays.copyOf(bases, blocks);
        subBases = Arrays.copyOf(subBases, blocks);
        subShift = Arrays.copyOf(subShift, blocks);
    }

    /** A new block's length: whole, but the last block starts small and doubles, so a few rows hold a few values. */
    private int length(int block) {
        return size >>> SHIFT > block ? BLOCK : Math.max(16, Integer.highestOneBit(size & MASK) * 2);
    }

    private static int grown(int had, int index) { return Math.min(BLOCK, Math.max(had * 2, index + 1)); }

    private void put(int row, long value) {
        int block = row >>> SHIFT, i = row & MASK;
        if (subBases[block] != null) unrun(block);
        if (excSmall[block] != null) wideExceptions(block);
        if (small && narrow[block] == null && wide[block] == null) {
            Object t = tiny[block];
            if (t == null || i >= length(t)) t = tiny[block] = tinyBlock(t, t == null ? length(block) : grown(length(t), i));
            if (value >= 0 && value < escape) {
                if (at(t, i) == escape) dropException(block, i);
                put(t, i, (int) value);
                return;
            }
            if (exception(block, i, value)) {
                put(t, i, escape);
                return;
            }
            widen(block);
        }
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

    /** Keeps a small block's large value by its row; false when the block has as many as it may hold. */
    private boolean exception(int block, int i, long value) {
        int n = excCount[block];
        char[] rows = excRows[block];
        int at = rows == null ? -1 : Arrays.binarySearch(rows, 0, n, (char) i);
        if (at >= 0) {
            excValues[block][at] = value;
            return true;
        }
        if (n == EXCEPTIONS) return false;
        if (rows == null || n == rows.length) {
            int len = rows == null ? 16 : Math.min(EXCEPTIONS, rows.length * 2);
            rows = excRows[block] = rows == null ? new char[len] : Arrays.copyOf(rows, len);
            excValues[block] = excValues[block] == null ? new long[len] : Arrays.copyOf(excValues[block], len);
        }
        int ins = -at - 1;
        System.arraycopy(rows, ins, rows, ins + 1, n - ins);
        System.arraycopy(excValues[block], ins, excValues[block], ins + 1, n - ins);
        rows[ins] = (char) i;
        excValues[block][ins] = value;
        excCount[block] = n + 1;
        return true;
    }

    private void dropException(int block, int i) {
        int n = excCount[block], at = Arrays.binarySearch(excRows[block], 0, n, (char) i);
        System.arraycopy(excRows[block], at + 1, excRows[block], at, n - at - 1);
        System.arraycopy(excValues[block], at + 1, excValues[block], at, n - at - 1);
        excCount[block] = n - 1;
    }

    /** A small block with too many large values becomes a block of 4- or 8-byte values. */
    private void widen(int block) {
        Object t = tiny[block];
        long[] values = new long[length(t)];
        boolean fit = true;
        for (int j = 0; j < values.length; j++) {
            int v = at(t, j);
            values[j] = v != escape ? v : excValue(block, Arrays.binarySearch(excRows[block], 0, excCount[block], (char) j));
            fit &= fits(values[j]);
        }
        tiny[block] = null;
        excRows[block] = null;
        excValues[block] = null;
        excCount[block] = 0;
        bases[block] = 0;
        if (fit) {
            int[] b = narrow[block] = new int[values.length];
            for (int j = 0; j < values.length; j++) b[j] = (int) values[j];
        } else {
            wide[block] = values;
        }
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
