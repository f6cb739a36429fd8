// SPDX-License-Identifier: Apache-2.0
package dev.kiln.gotrace;

import dev.kiln.model.LongIntMap;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A hash map from {@code long} keys (goroutine, P and thread ids) to objects, open-addressed, with no boxing: the
 * reader looks a goroutine up on every event. Values are non-null; {@link #get} gives null for a missing key.
 */
final class LongMap<V> {
    private long[] keys = new long[16];
    private Object[] values = new Object[16];
    private int size;

    int size() { return size; }

    boolean isEmpty() { return size == 0; }

    @SuppressWarnings("unchecked")
    V get(long key) {
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) return null;
            if (keys[i] == key) return (V) v;
        }
    }

    boolean containsKey(long key) { return get(key) != null; }

    void put(long key, V value) {
        if (value == null) throw new IllegalArgumentException("null value");
        if ((size + 1) * 2 > keys.length) rehash();
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            if (values[i] == null) { keys[i] = key; values[i] = value; size++; return; }
            if (keys[i] == key) { values[i] = value; return; }
        }
    }

    /** Puts the value unless the key has one; gives the value it had (null: none, the value is put). */
    V putIfAbsent(long key, V value) {
        V old = get(key);
        if (old == null) put(key, value);
        return old;
    }

    /** Removes the key's value, returning it (null: none). */
    @SuppressWarnings("unchecked")
    V remove(long key) {
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (true) {
            if (values[i] == null) return null;
            if (keys[i] == key) break;
            i = (i + 1) & mask;
        }
        V old = (V) values[i];
        values[i] = null;
        // backward shift: each later entry of the run moves into the hole when the hole lies on its probe path
        for (int hole = i, j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = mix(keys[j]) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                values[j] = null;
                hole = j;
            }
        }
        size--;
        return old;
    }

    /** Each value, in no particular order. */
    @SuppressWarnings("unchecked")
    void forEachValue(Consumer<V> action) {
        for (Object v : values) if (v != null) action.accept((V) v);
    }

    /** A key with its value. */
    interface Entry<V> { void accept(long key, V value); }

    /** Each key with its value, in no particular order. */
    @SuppressWarnings("unchecked")
    void forEach(Entry<V> action) {
        for (int i = 0; i < keys.length; i++) if (values[i] != null) action.accept(keys[i], (V) values[i]);
    }

    @SuppressWarnings("unchecked")
    private void rehash() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) if (oldValues[i] != null) put(oldKeys[i], (V) oldValues[i]);
    }

    private static int mix(long key) { return LongIntMap.mix(key); }
}
