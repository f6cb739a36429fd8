// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The event store's packed column gives back every value, at every width a block can take, and holds each block in its width. */
class PackedColumnTest {
    @Test
    void everyWidthKeepsItsValues() {
        Random r = new Random(11);
        PackedColumn c = new PackedColumn();
        int blocks = 10;
        long[] want = new long[blocks * PackedColumn.BLOCK + 77]; // a last block part full
        for (int i = 0; i < want.length; i++) {
            int block = i >>> PackedColumn.SHIFT;
            long base = 1_700_000_000_000_000_000L - block;
            // block k spans values of k bytes (0: one value; 9: the whole range of long)
            want[i] = block == 0 ? -1 : block >= 9 ? r.nextLong() : base + (r.nextLong() >>> (64 - 8 * block));
            if (block == 9 && i % 3 == 0) want[i] = i % 2 == 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
            c.add(want[i]);
            if (i % 1000 == 0) assertEquals(want[i], c.get(i), "read while written"); // from the pending block
        }
        c.finish();
        assertEquals(want.length, c.size());
        for (int i = 0; i < want.length; i++) assertEquals(want[i], c.get(i), "row " + i);
        assertThrows(IndexOutOfBoundsException.class, () -> c.get(want.length));
        long packed = 0;
        for (int k = 1; k < 9; k++) packed += (long) k * PackedColumn.BLOCK;
        packed += 8L * (PackedColumn.BLOCK + 77);
        assertTrue(c.bytes() < packed + 1000, c.bytes() + " bytes for " + packed + " bytes of offsets");
        assertTrue(c.bytes() > packed, "the offsets are held");
    }

    @Test
    void timesOfEventsOrderedByEndTakeFourBytes() {
        PackedColumn c = new PackedColumn();
        Random r = new Random(3);
        int n = 8 * PackedColumn.BLOCK;
        long t = 1_700_000_000_000_000_000L;
        for (int i = 0; i < n; i++) {
            t += r.nextInt(1_000_000); // 1 K events in about 0.5 s
            c.add(t - r.nextInt(10_000_000)); // started up to 10 ms before the end they are ordered by
        }
        c.finish();
        assertTrue(c.bytes() < 4L * n + 500, c.bytes() + " bytes for " + n + " times");
    }
}
