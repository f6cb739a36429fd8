// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import java.util.Arrays;

/**
 * A column of {@code long}s written once, front to back, then read: a chunk's values of one field of the
 * {@link JfrEventStore}. Held in blocks of {@value #BLOCK} rows, each as its least value (the base) and, per row, the
 * offset from it in as few bytes as the block's largest offset needs (0 to 8): start times a block of events spans in
 * under 4.29 s take 4 bytes a row whatever order they are in, durations and sizes of one order of magnitude 1 to 3, a
 * block of one value (a flag never set, a key always the same) none. Rows come in through a buffer of one block,
 * packed when it is full and by {@link #finish}; reading is safe from then on, from any thread.
 */
public final class PackedColumn {
    static final int SHIFT = 10, BLOCK = 1 << SHIFT, MASK = BLOCK - 1;
    private static final java.lang.invoke.VarHandle LITTLE_ENDIAN_LONG =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private long[] bases;
    /** Per block its offsets: a {@code byte[]} (widths 1, 3, 5, 6, 7), {@code char[]}, {@code int[]}, {@code long[]}, or null (width 0). */
    private Object[] blocks;
    private byte[] widths;
    /** The rows of the block being written, or null once {@link #finish}ed. */
    private long[] pending;
    private int size;

    /** An empty column, to {@link #add} to. */
    public PackedColumn() {
        this(4 * BLOCK);
        pending = new long[BLOCK];
    }

    /** A finished column with room for the blocks of {@code rows} rows, for {@link #of}. */
    private PackedColumn(int rows) {
        int n = Math.max(1, (rows + MASK) >>> SHIFT);
        bases = new long[n];
        blocks = new Object[n];
        widths = new byte[n];
    }

    /**
     * The column of {@code src[order[i]]} ({@code src[i]} when {@code order} is null) for {@code i} in {@code [0, n)}, finished.
     * Gathered block by block into one buffer and packed from it, not {@link #add}ed value by value.
     */
    public static PackedColumn of(long[] src, int n, int[] order) {
        PackedColumn c = new PackedColumn(n);
        long[] p = new long[Math.min(n, BLOCK)];
        for (int from = 0; from < n; from += BLOCK) {
            int m = Math.min(BLOCK, n - from);
            if (order == null) System.arraycopy(src, from, p, 0, m);
            else gather(src, order, from, m, p);
            c.size = from + m;
            c.pack(p);
        }
        return c;
    }

    /** As {@link #of(long[], int, int[])}, for ints. */
    public static PackedColumn of(int[] src, int n, int[] order) {
        PackedColumn c = new PackedColumn(n);
        long[] p = new long[Math.min(n, BLOCK)];
        for (int from = 0; from < n; from += BLOCK) {
            int m = Math.min(BLOCK, n - from);
            gather(src, order, from, m, p);
            c.size = from + m;
            c.pack(p);
        }
        return c;
    }

    private static void gather(long[] src, int[] order, int from, int m, long[] into) {
        for (int i = 0; i < m; i++) into[i] = src[order[from + i]];
    }

    private static void gather(int[] src, int[] order, int from, int m, long[] into) {
        if (order == null) for (int i = 0; i < m; i++) into[i] = src[from + i];
        else for (int i = 0; i < m; i++) into[i] = src[order[from + i]];
    }

    public int size() { return size; }

    long get(int row) {
        if (row < 0 || row >= size) throw new IndexOutOfBoundsException(row);
        int block = row >>> SHIFT, i = row & MASK;
        if (pending != null && block == size >>> SHIFT) return pending[i];
        long base = bases[block];
        Object b = blocks[block];
        return switch (widths[block]) {
            case 0 -> base;
            case 1 -> base + (((byte[]) b)[i] & 0xffL);
            case 2 -> base + ((char[]) b)[i];
            case 4 -> base + (((int[]) b)[i] & 0xffffffffL);
            case 8 -> base + ((long[]) b)[i];
            default -> base + odd((byte[]) b, i, widths[block]);
        };
    }

    /** An offset of 3, 5, 6 or 7 bytes: the 8 at its place, little-endian, its own bytes kept (the block has room for 8). */
    private static long odd(byte[] b, int i, int width) {
        return (long) LITTLE_ENDIAN_LONG.get(b, i * width) & -1L >>> (64 - 8 * width);
    }

    public void add(long value) {
        pending[size & MASK] = value;
        if ((++size & MASK) == 0) pack(pending);
    }

    /** Packs the last block: no row is added after this. */
    public void finish() {
        if (pending == null) return;
        if ((size & MASK) != 0) pack(pending);
        pending = null;
    }

    long bytes() {
        long n = 16L * blocks.length + 48;
        for (int i = 0; i < blocks.length; i++) if (blocks[i] != null) n += 16 + (long) widths[i] * Math.min(BLOCK, size - (i << SHIFT));
        return n;
    }

    /** Packs the rows {@code p} of the last block (the rows up to {@link #size}), which is full or the last. */
    private void pack(long[] p) {
        int block = (size - 1) >>> SHIFT, n = size - (block << SHIFT);
        if (block >= blocks.length) {
            int len = Math.max(block + 1, blocks.length * 2);
            bases = Arrays.copyOf(bases, len);
            blocks = Arrays.copyOf(blocks, len);
            widths = Arrays.copyOf(widths, len);
        }
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, p[i]);
            max = Math.max(max, p[i]);
        }
        long range = max - min; // an unsigned offset: the whole range of long takes 8 bytes, wrapping alike
        int width = (64 - Long.numberOfLeadingZeros(range) + 7) >>> 3;
        bases[block] = min;
        widths[block] = (byte) width;
        blocks[block] = width == 0 ? null : offsets(p, n, min, width);
    }

    /**
     * The block's offsets from its base, {@code width} bytes each. A method of its own, with a loop per width outside
     * any switch expression: with the loops inside one (an array per case, yielded), neither C1 nor C2 could compile
     * pack's loop on the stack ("stack not empty at OSR entry point"), and with C1 alone (kiln-cli) pack never left the
     * interpreter: a third of a whole load's CPU time.
     */
    private static Object offsets(long[] p, int n, long min, int width) {
        if (width == 1) {
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) b[i] = (byte) (p[i] - min);
            return b;
        }
        if (width == 2) {
            char[] b = new char[n];
            for (int i = 0; i < n; i++) b[i] = (char) (p[i] - min);
            return b;
        }
        if (width == 4) {
            int[] b = new int[n];
            for (int i = 0; i < n; i++) b[i] = (int) (p[i] - min);
            return b;
        }
        if (width == 8) {
            long[] b = new long[n];
            for (int i = 0; i < n; i++) b[i] = p[i] - min;
            return b;
        }
        // each offset written as 8 bytes, little-endian, the next one over its top bytes: room for 8 - width more
        byte[] b = new byte[n * width + 8 - width];
        for (int i = 0; i < n; i++) LITTLE_ENDIAN_LONG.set(b, i * width, p[i] - min);
        return b;
    }
}
