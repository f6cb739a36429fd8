// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import java.util.Arrays;

/**
 * Open-addressing hash map from {@code long} keys to non-negative {@code int} values, with no boxing.
 * {@link #get} returns -1 for a missing key. Used to intern packed keys such as (parent stack, frame).
 */
public final class LongIntMap {
    private static final long EMPTY = Long.MIN_VALUE;
    private long[] keys;
    private int[] values;
    private int size;
    private boolean hasEmptyKey;
    private int emptyKeyValue;

    public LongIntMap() { this(64); }

    public LongIntMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(expected * 2, 16) - 1) << 1;
        keys = new long[capacity];
        Arrays.fill(keys, EMPTY);
        values = new int[capacity];
    }

    public int size() { return size + (hasEmptyKey ? 1 : 0); }

    /** The keys, in no particular order. */
    public long[] keys() {
        long[] out = new long[size()];
        int n = 0;
        if (hasEmptyKey) out[n++] = EMPTY;
        for (long k : keys) if (k != EMPTY) out[n++] = k;
        return out;
    }

    public int get(long key) {
        if (key == EMPTY) return hasEmptyKey ? emptyKeyValue : -1;
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) return values[i];
            if (k == EMPTY) return -1;
        }
    }

    public void put(long key, int value) {
        if (value < 0) throw new IllegalArgumentException("negative value " + value);
        if (key == EMPTY) {
            hasEmptyKey = true;
            emptyKeyValue = value;
            return;
        }
        if ((size + 1) * 2 > keys.length) rehash();
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) { values[i] = value; return; }
            if (k == EMPTY) { keys[i] = key; values[i] = value; size++; return; }
        }
    }

    private void rehash() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        values = new int[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) put(oldKeys[i], oldValues[i]);
        }
    }

    /** Murmur3's 64-bit finaliser: spreads packed keys whose entropy sits in the low bits (for other long-keyed tables too). */
    public static int mix(long key) {
        key ^= key >>> 33;
        key *= 0xff51afd7ed558ccdL;
        key ^= key >>> 33;
        key *= 0xc4ceb9fe1a85ec53L;
        key ^= key >>> 33;
        return (int) key;
    }
}
