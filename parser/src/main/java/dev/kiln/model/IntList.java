// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import java.util.Arrays;

/** A growable list of {@code int}s; used by builders so that no value is boxed. */
public final class IntList {
    private int[] data;
    private int size;

    public IntList() { this(16); }

    public IntList(int capacity) { data = new int[Math.max(capacity, 4)]; }

    public void add(int value) {
        if (size == data.length) data = Arrays.copyOf(data, grow(data.length));
        data[size++] = value;
    }

    /** Adds {@code src[0, n)}. */
    public void addAll(int[] src, int n) {
        ensure((long) size + n);
        System.arraycopy(src, 0, data, size, n);
        size += n;
    }

    /** Adds {@code src[order[0]], …, src[order[n - 1]]}, or {@code src[0, n)} when {@code order} is null. */
    public void addAll(int[] src, int n, int[] order) {
        if (order == null) {
            addAll(src, n);
            return;
        }
        ensure((long) size + n);
        for (int i = 0; i < n; i++) data[size + i] = src[order[i]];
        size += n;
    }

    public int get(int index) {
        if (index >= size) throw new IndexOutOfBoundsException(index);
        return data[index];
    }

    public void set(int index, int value) {
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
    public int[] permuted(int[] order) {
        if (order == null) return toArray();
        int[] r = new int[order.length];
        for (int i = 0; i < r.length; i++) r[i] = data[order[i]];
        return r;
    }

    /** Drops the values from {@code newSize} on. */
    public void truncate(int newSize) {
        if (newSize < 0 || newSize > size) throw new IndexOutOfBoundsException(newSize);
        size = newSize;
    }

    /** A copy trimmed to the size. */
    public int[] toArray() { return Arrays.copyOf(data, size); }

    /** The backing array, its first {@link #size} values the list's; for a builder handing its columns over. */
    int[] array() { return data; }

    /** Gives the list a copy of its backing array, so that an array handed over (see {@link #array}) stays as it is. */
    void detach() { data = data.clone(); }

    /** Makes the list {@code count} values longer; what they are is up to the caller, who sets them in {@link #array}. */
    void extend(int count) {
        ensure((long) size + count);
        size += count;
    }

    static int grow(int length) {
        long next = (long) length + (length >> 1) + 8;
        if (next > Integer.MAX_VALUE - 16) {
            if (length >= Integer.MAX_VALUE - 16) throw new OutOfMemoryError("table too large");
            next = Integer.MAX_VALUE - 16;
        }
        return (int) next;
    }
}
