// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TreeIndexTest {
    /** Against a map of (parent, key): narrow and wide parents, roots, negative keys, thousands of nodes. */
    @Test
    void internsEachParentAndKeyOnce() {
        TreeIndex t = new TreeIndex(); // grows past several blocks
        Map<Long, Integer> expected = new HashMap<>();
        Random r = new Random(3);
        for (int i = 0; i < 200_000; i++) {
            int parent = t.size() == 0 || r.nextInt(10) == 0 ? -1 : r.nextInt(t.size());
            // a few parents get many children (wide), most a few
            int key = parent % 7 == 0 ? r.nextInt(100) - 50 : r.nextInt(3);
            long k = ((long) parent << 32) ^ (key & 0xffffffffL);
            Integer want = expected.get(k);
            int got = t.child(parent, key);
            if (want == null) {
                assertEquals(expected.size(), got, "new nodes are numbered in order");
                expected.put(k, got);
            } else {
                assertEquals(want, got);
            }
            assertEquals(parent, t.parent(got));
            assertEquals(key, t.key(got));
        }
        int[] parents = t.parents(), keys = t.keys();
        assertEquals(t.size(), parents.length);
        for (int n = 0; n < parents.length; n++) {
            assertTrue(parents[n] < n, "parent before child");
            assertEquals(n, t.child(parents[n], keys[n]));
        }
        assertEquals(expected.size(), t.size());
    }

    @Test
    void refusesAParentThatIsNoNode() {
        TreeIndex t = new TreeIndex();
        assertThrows(IllegalArgumentException.class, () -> t.child(0, 1));
        assertEquals(0, t.child(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> t.child(-2, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> t.key(1));
    }
}
