// SPDX-License-Identifier: Apache-2.0
package dev.kiln.jfr;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class SeenStacksTest {
    /** The entries one after another, with the 7 bytes of room {@link JfrStreamReader#hashOf} reads past the last. */
    private static byte[] chunk(String... entries) {
        return Arrays.copyOf(String.join("", entries).getBytes(StandardCharsets.ISO_8859_1), String.join("", entries).length() + 8);
    }

    private static int[] lookUp(SeenStacks s, String run, String... entries) {
        byte[] data = chunk(entries);
        int n = entries.length;
        int[] from = new int[n], to = new int[n], out = new int[n];
        long[] hash = new long[n];
        for (int i = 0, at = 0; i < n; at += entries[i].length(), i++) {
            from[i] = at;
            to[i] = at + entries[i].length();
            hash[i] = JfrStreamReader.hashOf(data, from[i], to[i]);
        }
        s.lookUp(run, data, from, to, hash, n, out, new boolean[n]);
        return out;
    }

    private static void add(SeenStacks s, String run, long[] hashes, int[] stacks, String... entries) {
        byte[] data = chunk(entries);
        int[] ends = new int[entries.length];
        for (int i = 0, at = 0; i < entries.length; i++) ends[i] = at += entries[i].length();
        s.add(run, data, ends, hashes, stacks, new boolean[entries.length], entries.length);
    }

    private static long[] hashes(String... entries) {
        byte[] data = chunk(entries);
        long[] h = new long[entries.length];
        for (int i = 0, at = 0; i < entries.length; at += entries[i].length(), i++) h[i] = JfrStreamReader.hashOf(data, at, at + entries[i].length());
        return h;
    }

    @Test
    void aStackIsFoundByItsBytesInChunksOfTheSameRunOnly() {
        SeenStacks s = new SeenStacks();
        String[] entries = {"frames of a", "frames of b, longer than eight bytes", "c"};
        add(s, "run 1", hashes(entries), new int[] {7, -1, 3}, entries);
        int miss = SeenStacks.MISS;
        assertArrayEquals(new int[] {3, miss, 7, -1}, lookUp(s, "run 1", "c", "frames of x", "frames of a", "frames of b, longer than eight bytes"));
        assertArrayEquals(new int[] {miss, miss}, lookUp(s, "run 2", "c", "frames of a"));
        assertArrayEquals(new int[] {miss}, lookUp(s, null, "c"));
        assertEquals(3, s.hits());

        add(s, "run 2", hashes("c"), new int[] {9}, "c");
        assertArrayEquals(new int[] {9, miss}, lookUp(s, "run 2", "c", "frames of a"));
        assertArrayEquals(new int[] {miss}, lookUp(s, "run 1", "c"));
    }

    @Test
    void entriesOfEqualHashAreToldApartByTheirBytes() {
        SeenStacks s = new SeenStacks();
        long[] same = {42, 42, 42};
        add(s, "run", same, new int[] {1, 2, 3}, "first", "second", "third");
        byte[] data = chunk("second", "third", "fourth");
        int[] out = new int[3];
        s.lookUp("run", data, new int[] {0, 6, 11}, new int[] {6, 11, 17}, new long[] {42, 42, 42}, 3, out, new boolean[3]);
        assertArrayEquals(new int[] {2, 3, SeenStacks.MISS}, out);
    }

    @Test
    void theHashReadsEveryByteOfTheRangeAndNoneAfter() {
        byte[] a = chunk("0123456789abcdefXYZ"), b = chunk("0123456789abcdefXYZ");
        assertEquals(JfrStreamReader.hashOf(a, 0, 11), JfrStreamReader.hashOf(b, 0, 11));
        b[11] = 'Q'; // after the range
        assertEquals(JfrStreamReader.hashOf(a, 0, 11), JfrStreamReader.hashOf(b, 0, 11));
        for (int i = 0; i < 11; i++) {
            byte[] c = a.clone();
            c[i] ^= 1;
            assertNotEquals(JfrStreamReader.hashOf(a, 0, 11), JfrStreamReader.hashOf(c, 0, 11), "byte " + i);
        }
    }
}
