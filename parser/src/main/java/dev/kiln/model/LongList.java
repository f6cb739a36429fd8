// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import java.util.Arrays;

/** A growable list of {@code long}s; used by builders so that no value is boxed. */
public final class LongList {
    private long[] data;
    private int size;

    public LongList() { this(16); }

    public LongList(int capacity) { data = new long[Math.max(capacity, 4)]; }

    public void add(long value) {
        if (size == data.length) data = Arrays.copyOf(data, IntList.grow(data.length));
        data[size++] = value;
    }

    /** Adds {@code src[0, n)}. */
    public void addAll(long[] src, int n) {
        ensure((long) size + n);
        System.arraycopy(src, 0, data, size, n);
        size += n;
    }

    /** Adds {@code src[order[0]], …, src[order[n - 1]]}, or {@code src[0, n)} when {@code order} is null. */
    public void addAll(long[] src, int n, int[] order) {
        if (order == null) {
            addAll(src, n);
            return;
        }
        ensure((long) size + n);
        for (int i = 0; i < n; i++) data[size + i] = src[order[i]];
        size += n;
    }

    public long get(int index) {
        if (index >= size) throw new IndexOutOfBoundsException(index);
        return data[index];
    }

    public void set(int index, long value) {
        if (index >= size) throw new IndexOutOfBoundsException(index);
        data[index] = value;
    }

    public int size() { return size; }

    public void clear() { size = 0; }

    /** Makes room for {@code total} values in all, growing at least as {@link #add} would. */
    public void ensure(long total) {
        if (total <= data.length) return;
        data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(total, IntList.grow(data.length))));
    }

    /** The values in the given order: {@code result[i] = get(order[i])}; a trimmed copy when {@code order} is null. */
    public long[] permuted(int[] order) {
        if (order == null) return toArray();
        long[] r = new long[order.length];
        for (int i = 0; i < r.length; i++) r[i] = data[order[i]];
        return r;
    }

    /** Drops the values from {@code newSize} on. */
    public void truncate(int newSize) {
        if (newSize < 0 || newSize > size) throw new IndexOutOfBoundsException(newSize);
        size = newSize;
    }

    /** A copy trimmed to the size. */
    public long[] toArray() { return Arrays.copyOf(data, size); }

    /** The backing array, its first {@link #size} values the list's; for a builder handing its columns over. */
    long[] array() { return data; }

    /** Gives the list a copy of its backing array, so that an array handed over (see {@link #array}) stays as it is. */
    void detach() { data = data.clone(); }

    /** Makes the list {@code count} values longer; what they are is up to the caller, who sets them in {@link #array}. */
    void extend(int count) {
        ensure((long) size + count);
        size += count;
    }
}
