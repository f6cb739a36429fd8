// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis;

import dev.kiln.model.LongIntMap;
import dev.kiln.model.LongList;

import java.util.Arrays;

/**
 * Sums of a fixed number of {@code long} columns per packed {@code long} key, without boxing: each distinct key
 * gets a dense row (in first-seen order) and {@link #add} adds to that row's cells. Used by analyses that
 * aggregate events or samples into (thing, thing) pairs in one pass. Not thread-safe.
 */
public final class KeyedSums {
    private LongIntMap index; // made at the first row(): a caller that only appends rows needs none
    private final LongList keys;
    private final int width, expected;
    private long[] cells;

    /** Sums with {@code width} columns, sized for about {@code expected} keys. */
    public KeyedSums(int width, int expected) {
        this.width = width;
        this.expected = Math.max(16, expected);
        this.keys = new LongList(this.expected);
        this.cells = new long[Math.max(1, width) * this.expected];
    }

    /** Packs two ints into a key; both halves may be any int. */
    public static long pack(int high, int low) { return ((long) high << 32) | (low & 0xffffffffL); }

    public static int high(long key) { return (int) (key >> 32); }

    public static int low(long key) { return (int) key; }

    /** The row of a key, adding an all-zero row if it is new. */
    public int row(long key) {
        if (index == null) {
            if (keys.size() > 0) throw new IllegalStateException("rows were appended without an index");
            index = new LongIntMap(expected);
        }
        int r = index.get(key);
        if (r >= 0) return r;
        r = append(key);
        index.put(key, r);
        return r;
    }

    /**
     * Adds an all-zero row for a key that has none, without indexing it, for a caller that finds its keys' rows
     * itself (an array indexed by stack, say); such sums take no {@link #row} or {@link #find}.
     */
    public int append(long key) {
        int r = keys.size();
        keys.add(key);
        if ((long) (r + 1) * width > cells.length) cells = Arrays.copyOf(cells, Math.max(cells.length * 2, (r + 1) * width));
        return r;
    }

    /** The row of a key, or -1 when it was never added (by {@link #row}). */
    public int find(long key) { return index == null ? -1 : index.get(key); }

    /** Adds {@code value} to column {@code column} of the key's row and returns the row. */
    public int add(long key, int column, long value) {
        int r = row(key);
        cells[r * width + column] += value;
        return r;
    }

    /** Adds to columns 0 and 1 of the key's row and returns the row. */
    public int add2(long key, long v0, long v1) {
        int r = row(key);
        cells[r * width] += v0;
        cells[r * width + 1] += v1;
        return r;
    }

    /** Adds to a cell of a known row. */
    public void addAt(int row, int column, long value) { cells[row * width + column] += value; }

    public int size() { return keys.size(); }

    public int width() { return width; }

    public long key(int row) { return keys.get(row); }

    public long get(int row, int column) { return cells[row * width + column]; }
}
