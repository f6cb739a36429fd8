// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ProfileBuilderTest {
    @Test
    void sortedOrderIsTheStableOrderForAnyKeys() {
        Random r = new Random(7);
        long[][] cases = {
                r.longs(5000, 1_700_000_000_000_000_000L, 1_700_000_600_000_000_000L).toArray(), // 10 minutes
                r.longs(5000, 0, 50).toArray(),                                                // many ties
                r.longs(5000).toArray(),                                                       // absurd, full range
                {Long.MAX_VALUE, Long.MIN_VALUE, 0, Long.MAX_VALUE, Long.MIN_VALUE},
        };
        for (long[] keys : cases) {
            assertArrayEquals(ProfileBuilder.mergeSortOrder(keys), ProfileBuilder.sortedOrder(keys));
        }
        assertNull(ProfileBuilder.sortedOrder(new long[] {1, 2, 2, 3}));
    }

    @Test
    void stacksAreAPrefixTree() {
        ProfileBuilder b = new ProfileBuilder(SourceFormat.PPROF, "fixture");
        int main = b.frame(b.function("main", "", ""), 0, -1, FrameKind.UNKNOWN, 0);
        int work = b.frame(b.function("work", "", ""), 0, -1, FrameKind.UNKNOWN, 0);
        int idle = b.frame(b.function("idle", "", ""), 0, -1, FrameKind.UNKNOWN, 0);
        int s1 = b.stackOfLeafFirst(new int[] {work, main}, 2);
        int s2 = b.stackOfLeafFirst(new int[] {idle, main}, 2);
        assertEquals(s1, b.stackOfLeafFirst(new int[] {work, main}, 2));
        Profile p = b.build();
        ProfileValidator.check(p);
        assertEquals(3, p.stacks().size());
        assertEquals(p.stacks().parent(s1), p.stacks().parent(s2));
        assertEquals(2, p.stacks().depth(s2));
    }
}
