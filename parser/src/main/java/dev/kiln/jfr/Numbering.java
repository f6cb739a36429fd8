// SPDX-License-Identifier: Apache-2.0
package dev.kiln.jfr;

import dev.kiln.model.LongIntMap;
import dev.kiln.model.LongList;

/**
 * Numbers keys 1, 2, … in order of first sight and keeps them in that order. Keys are looked up per event, so
 * the small non-negative ones JDK recordings use (threads, stacks and classes count up from 0) are found in an
 * array; others in a hash map.
 * <p>
 * A key's number never changes, and {@link #keys} holds the key numbered n at n - 1. A chunk has one per kind of key
 * its events and frames refer to ({@link ChunkStacks}), used by the chunk's worker alone.
 */
final class Numbering {
    private static final int DENSE_LIMIT = 1 << 18;
    final LongList keys = new LongList();
    private int[] dense = new int[256];
    private final LongIntMap sparse = new LongIntMap();

    /** The key's number, given on first sight; 0 for no key ({@code Long.MIN_VALUE}). */
    int of(long key) {
        if (key >= 0 && key < DENSE_LIMIT) {
            int k = (int) key;
            if (k >= dense.length) dense = java.util.Arrays.copyOf(dense, Math.max(k + 1, Math.min(DENSE_LIMIT, 2 * dense.length)));
            int n = dense[k];
            if (n == 0) {
                keys.add(key);
                n = dense[k] = keys.size();
            }
            return n;
        }
        // No key (an event without a stack, say) is answered here, not in ofLarge: the JIT profiles a method
        // once for all its callers, and ofLarge, inlined in the frame loop, was compiled as if every key were none
        // when these came first; the first method key then threw the frame loop's code away.
        if (key == Long.MIN_VALUE) return 0;
        return ofLarge(key);
    }

    /**
     * As {@link #of}, through the hash map only, for keys that are large as a rule: JDK method keys carry their
     * class's id in their high bits. Not through {@code of}: the JIT compiles {@code of} for the small keys it saw
     * first (events' threads and stacks), and the first large key would throw away the code it was inlined in.
     */
    int ofLarge(long key) {
        if (key == Long.MIN_VALUE) return 0;
        int n = sparse.get(key);
        if (n < 0) {
            keys.add(key);
            n = keys.size();
            sparse.put(key, n);
        }
        return n;
    }
}
