// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A column of {@code long}s written once, front to back, then read: the values of the {@link JfrEventStore}. Held in
 * blocks of {@value #BLOCK} rows, each as its least value (the base) and, per row, the offset from it in as few bytes
 * as the block's largest offset needs (0 to 8): start times a block of events spans in under 4.29 s take 4 bytes a row
 * whatever order they are in, durations and sizes of one order of magnitude 1 to 3, a block of one value (a field a
 * chunk lacks, a flag never set) none. Rows come in through a buffer of one block, packed when it is full and by
 * {@link #finish}; reading is safe from then on, from any thread.
 */
final class PackedColumn {
    static final int SHIFT = 10, BLOCK = 1 << SHIFT, MASK = BLOCK - 1;
    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] NONE = new byte[0];

    private long[] bases = new long[4];
    private byte[][] blocks = new byte[4][];
    private byte[] widths = new byte[4];
    /** The rows of the block being written, or null once {@link #finish}ed. */
    private long[] pending = new long[BLOCK];
    private int size;

    int size() { return size; }

    long get(int row) {
        if (row < 0 || row >= size) throw new IndexOutOfBoundsException(row);
        int block = row >>> SHIFT, i = row & MASK;
        if (pending != null && block == size >>> SHIFT) return pending[i];
        long base = bases[block];
        byte[] b = blocks[block];
        return switch (widths[block]) {
            case 0 -> base;
            case 1 -> base + (b[i] & 0xffL);
            case 2 -> base + ((short) SHORTS.get(b, i << 1) & 0xffffL);
            case 4 -> base + ((int) INTS.get(b, i << 2) & 0xffffffffL);
            case 8 -> base + (long) LONGS.get(b, i << 3);
            default -> base + odd(b, i, widths[block]);
        };
    }

    private static long odd(byte[] b, int i, int width) {
        long v = 0;
        for (int k = width - 1, at = i * width; k >= 0; k--) v = v << 8 | (b[at + k] & 0xffL);
        return v;
    }

    void add(long value) {
        pending[size & MASK] = value;
        if ((++size & MASK) == 0) pack();
    }

    /** Adds {@code src[order[i]]} ({@code src[i]} when {@code order} is null) for {@code i} in {@code [0, n)}. */
    void addAll(long[] src, int n, int[] order) {
        for (int i = 0; i < n; i++) add(src[order == null ? i : order[i]]);
    }

    /** As {@link #addAll(long[], int, int[])}, for ints. */
    void addAll(int[] src, int n, int[] order) {
        for (int i = 0; i < n; i++) add(src[order == null ? i : order[i]]);
    }

    /** Adds {@code n} rows of {@code value}. */
    void extend(int n, long value) {
        for (int i = 0; i < n; i++) add(value);
    }

    /** Packs the last block: no row is added after this. */
    void finish() {
        if (pending == null) return;
        if ((size & MASK) != 0) pack();
        pending = null;
    }

    long bytes() {
        long n = 16L * blocks.length + 48;
        for (byte[] b : blocks) if (b != null && b != NONE) n += 16 + b.length;
        return n;
    }

    /** Packs the rows of the pending block, which is full or the last. */
    private void pack() {
        int block = (size - 1) >>> SHIFT, n = size - (block << SHIFT);
        if (block >= blocks.length) {
            int len = Math.max(block + 1, blocks.length * 2);
            bases = Arrays.copyOf(bases, len);
            blocks = Arrays.copyOf(blocks, len);
            widths = Arrays.copyOf(widths, len);
        }
        long[] p = pending;
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, p[i]);
            max = Math.max(max, p[i]);
        }
        long range = max - min; // an unsigned offset: the whole range of long takes 8 bytes, wrapping alike
        int width = (64 - Long.numberOfLeadingZeros(range) + 7) >>> 3;
        bases[block] = min;
        widths[block] = (byte) width;
        byte[] b = width == 0 ? NONE : new byte[n * width];
        switch (width) {
            case 0 -> { }
            case 1 -> { for (int i = 0; i < n; i++) b[i] = (byte) (p[i] - min); }
            case 2 -> { for (int i = 0; i < n; i++) SHORTS.set(b, i << 1, (short) (p[i] - min)); }
            case 4 -> { for (int i = 0; i < n; i++) INTS.set(b, i << 2, (int) (p[i] - min)); }
            case 8 -> { for (int i = 0; i < n; i++) LONGS.set(b, i << 3, p[i] - min); }
            default -> {
                for (int i = 0; i < n; i++) {
                    long v = p[i] - min;
                    for (int k = 0, at = i * width; k < width; k++, v >>>= 8) b[at + k] = (byte) v;
                }
            }
        }
        blocks[block] = b;
    }
}
