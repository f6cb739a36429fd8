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

    public int get(int index) {
        if (index >= size) throw new IndexOutOfBoundsException(index);
        return data[index];
    }

    public void set(int index, int value) {
        if (index >= size) throw new IndexOutOfBoundsException(index);
        data[index] = value;
    }

    public int size() { return size; }

    /** Makes room for {@code more} further values without growing step by step. */
    public void reserve(int more) {
        long need = (long) size + more;
        if (need > data.length) data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 16, need));
    }

    public void clear() { size = 0; }

    /** A copy trimmed to the size. */
    public int[] toArray() { return Arrays.copyOf(data, size); }

    static int grow(int length) {
        long next = (long) length + (length >> 1) + 8;
        if (next > Integer.MAX_VALUE - 16) {
            if (length >= Integer.MAX_VALUE - 16) throw new OutOfMemoryError("table too large");
            next = Integer.MAX_VALUE - 16;
        }
        return (int) next;
    }
}
