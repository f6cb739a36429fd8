// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The narrow event columns give back every value they were given, whatever its width, and hold little for few or missing values. */
class ColumnsTest {
    private static final int N = 3 * LongColumn.BLOCK + 123;

    @Test
    void longColumnsKeepEveryValueNarrowOrWide() {
        Random r = new Random(7);
        for (boolean relative : new boolean[] {true, false}) {
            LongColumn c = new LongColumn(relative, 0);
            long[] want = new long[N];
            long t = 1_700_000_000_000_000_000L; // epoch nanoseconds: far from 0, rising
            for (int i = 0; i < N; i++) {
                t += r.nextInt(1000);
                long v = switch (i % 7) {
                    case 0 -> t;
                    case 1 -> 0;
                    case 2 -> Long.MAX_VALUE;
                    case 3 -> Long.MIN_VALUE;
                    case 4 -> Integer.MIN_VALUE; // the escape value as a value
                    case 5 -> -r.nextInt(100);
                    default -> r.nextLong();
                };
                if (i >= 2 * LongColumn.BLOCK && i < 3 * LongColumn.BLOCK) v = 0; // a block of nothing but missing
                want[i] = v;
                c.add(v);
            }
            assertArrayEquals(want, c.toArray());
            for (int i = 0; i < N; i += 5) { // changed after they were added
                long v = i % 2 == 0 ? t + i : (long) i << 40;
                want[i] = v;
                c.set(i, v);
            }
            assertArrayEquals(want, c.toArray());
            assertArrayEquals(want, c.picked(RowOrder.of(null, N, null), N).toArray());
        }
    }

    @Test
    void startTimesTakeFourBytesAndMissingBlocksNone() {
        LongColumn starts = new LongColumn(true, 0), unused = new LongColumn(false, 0);
        for (int i = 0; i < N; i++) {
            starts.add(1_700_000_000_000_000_000L + 1000L * i);
            unused.add(0);
        }
        assertTrue(starts.bytes() < 4.1 * N, starts.bytes() + " bytes for " + N + " starts");
        assertTrue(unused.bytes() < 1000, unused.bytes() + " bytes for a column of nothing");
        for (int i = 0; i < N; i += 1000) assertEquals(0, unused.get(i));
        LongColumn few = new LongColumn(false, 0);
        for (int i = 0; i < 3; i++) few.add(i + 1);
        assertTrue(few.bytes() < 300, few.bytes() + " bytes for 3 values");
        assertEquals(3, few.get(2));
    }

    @Test
    void intColumnsWidenABlockOnlyWhenAValueNeedsIt() {
        Random r = new Random(11);
        IntColumn c = new IntColumn(-1, false);
        int[] want = new int[N];
        for (int i = 0; i < N; i++) {
            int v = i < LongColumn.BLOCK ? r.nextInt(1000) - 1 // 2 bytes each
                    : i < 2 * LongColumn.BLOCK ? (i == LongColumn.BLOCK + 500 ? 70_000 : r.nextInt(65_000)) // widens at 500
                    : i < 3 * LongColumn.BLOCK ? -1 : r.nextInt() ;
            want[i] = v;
            c.add(v);
        }
        int[] got = new int[N];
        for (int i = 0; i < N; i++) got[i] = c.get(i);
        assertArrayEquals(want, got);
        long narrowBlock = 16 + 2L * LongColumn.BLOCK, wideBlock = 16 + 4L * LongColumn.BLOCK;
        assertTrue(c.bytes() <= narrowBlock + 2 * wideBlock + 200, c.bytes() + " bytes");
        c.set(5, Integer.MAX_VALUE);
        c.set(2 * LongColumn.BLOCK + 1, 3);
        assertEquals(Integer.MAX_VALUE, c.get(5));
        assertEquals(want[6], c.get(6));
        assertEquals(3, c.get(2 * LongColumn.BLOCK + 1));
        assertEquals(-1, c.get(2 * LongColumn.BLOCK + 2));
        c.extend(10);
        assertEquals(-1, c.get(N + 9));
        IntColumn kinds = new IntColumn(0, true);
        for (int i = 0; i < N; i++) kinds.add(i % 256);
        assertEquals(255, kinds.get(255));
        assertTrue(kinds.bytes() < 1.1 * N);
    }

    @Test
    void smallColumnsHoldAByteAValueAndTheFewLargeOnesBeside() {
        for (int width : new int[] {1, 2}) smallColumn(width, width == 1 ? 255 : 65535);
        assertThrows(IllegalArgumentException.class, () -> new LongColumn(true, 0, 1));
    }

    private static void smallColumn(int width, int limit) {
        Random r = new Random(5);
        LongColumn c = new LongColumn(false, 0, width);
        long[] want = new long[N];
        for (int i = 0; i < N; i++) {
            int block = i / LongColumn.BLOCK;
            boolean large = block == 1 ? r.nextInt(4) == 0 // too many large values: the block widens
                    : block == 2 ? i % 3 == 0 && r.nextBoolean() : r.nextInt(16) == 0; // many large ones, past 4 bytes
            long v = !large ? r.nextInt(limit) : block == 2 ? r.nextLong() : limit + r.nextInt(1 << 30);
            if (i % 1001 == 0) v = -r.nextInt(10); // negative: an exception
            c.add(want[i] = v);
        }
        assertArrayEquals(want, c.toArray());
        LongColumn mostlySmall = new LongColumn(false, 0, width);
        for (int i = 0; i < LongColumn.BLOCK; i++) mostlySmall.add(i % 20 == 0 ? 1L << 40 : i % 7);
        assertTrue(mostlySmall.bytes() < (width + 0.8) * LongColumn.BLOCK, mostlySmall.bytes() + " bytes");
        for (int i = 0; i < N; i += 3) { // changed after they were added: small to large, large to small, in any order
            int row = (int) ((i * 7919L) % N);
            long v = row % 2 == 0 ? r.nextInt(limit + 50) : Long.MIN_VALUE + row;
            c.set(row, want[row] = v);
        }
        assertArrayEquals(want, c.toArray());
        assertArrayEquals(want, c.picked(RowOrder.of(null, N, null), N).toArray());
        int k = 9, lo = 40;
        c.extend(k);
        c.shift(lo, N, k);
        long[] moved = java.util.Arrays.copyOf(want, N + k);
        System.arraycopy(want, lo, moved, lo + k, N - lo);
        for (int i = 0; i < N + k; i++) if (i < lo || i >= lo + k) assertEquals(moved[i], c.get(i), "row " + i);
    }

    @Test
    void intColumnsHoldAByteAValueWhileABlockFitsAndWidenAsNeeded() {
        IntColumn c = new IntColumn(-1, false);
        int[] want = new int[N];
        for (int i = 0; i < N; i++) {
            int block = i / LongColumn.BLOCK;
            int v = block == 0 ? i % 254 - 1 : block == 1 ? (i % 5000 == 4999 ? 300 : i % 200) : block == 2 ? (i == 2 * LongColumn.BLOCK + 9 ? 1 << 20 : i % 100) : -1;
            c.add(want[i] = v);
        }
        int[] got = new int[N];
        for (int i = 0; i < N; i++) got[i] = c.get(i);
        assertArrayEquals(want, got);
        IntColumn lanes = new IntColumn(-1, false);
        for (int i = 0; i < N; i++) lanes.add(i % 250);
        assertTrue(lanes.bytes() < 1.1 * N, lanes.bytes() + " bytes for " + N + " lanes below 255");
        c.set(3, 70_000);
        assertEquals(70_000, c.get(3));
        assertEquals(want[4], c.get(4));
        IntColumn far = new IntColumn(-1, false); // 1-byte blocks of other bases: moving rows between them
        int n = 3 * LongColumn.BLOCK;
        int[] w = new int[n];
        for (int i = 0; i < n; i++) far.add(w[i] = i % 9 == 0 ? -1 : 1000 * (1 + i / LongColumn.BLOCK) + i % 100);
        int k = 5, lo = 17;
        far.extend(k);
        far.shift(lo, n, k);
        for (int i = n - 1; i >= lo; i--) if (i + k < n) w[i + k] = w[i];
        for (int i = 0; i < n; i++) if (i < lo || i >= lo + k) assertEquals(w[i], far.get(i), "row " + i);
    }

    @Test
    void compactingNarrowsTheBlocksAMergeLeftWide() {
        LongColumn starts = new LongColumn(true, 0);
        int n = 2 * LongColumn.BLOCK + 77;
        long[] want = new long[n];
        for (int i = 0; i < n; i++) want[i] = 1_700_000_000_000_000_000L + 1000L * i;
        starts.extend(n);
        for (int i = n - 1; i >= 0; i--) starts.set(i, want[i]); // from the end, as an in-place merge writes
        long before = starts.bytes();
        starts.compact();
        assertArrayEquals(want, starts.toArray());
        assertTrue(before > 7.9 * n && starts.bytes() < 4.1 * n, before + " then " + starts.bytes() + " bytes");
        LongColumn gappy = new LongColumn(true, 0); // the first rows of the block never written: they stay missing
        gappy.extend(10);
        gappy.set(9, 1_700_000_000_000_000_000L);
        gappy.compact();
        assertEquals(0, gappy.get(3));
        assertEquals(1_700_000_000_000_000_000L, gappy.get(9));
    }

    @Test
    void shiftingRowsUpKeepsEveryValueAcrossBlocksOfEveryKind() {
        Random r = new Random(3);
        for (int k : new int[] {1, 7, LongColumn.BLOCK - 1, LongColumn.BLOCK + 5}) {
            IntColumn ints = new IntColumn(-1, false), kinds = new IntColumn(0, true);
            LongColumn starts = new LongColumn(true, 0), durations = new LongColumn(false, 0);
            int n = 3 * LongColumn.BLOCK + 50;
            long[] want = new long[n + k], wantD = new long[n + k];
            int[] wantI = new int[n + k], wantK = new int[n + k];
            long t = 1_700_000_000_000_000_000L;
            for (int i = 0; i < n; i++) {
                t += r.nextInt(400_000); // blocks of starts that span more and less than 4.29 s
                long d = i % 1000 == 0 ? 5_000_000_000L : r.nextInt(1000);
                int v = i > 2 * LongColumn.BLOCK && i % 97 == 0 ? 100_000 : i % 3 == 0 ? -1 : r.nextInt(60_000);
                starts.add(want[i] = t);
                durations.add(wantD[i] = d);
                ints.add(wantI[i] = v);
                kinds.add(wantK[i] = i % 20);
            }
            for (IntColumn c : new IntColumn[] {ints, kinds}) c.extend(k);
            for (LongColumn c : new LongColumn[] {starts, durations}) c.extend(k);
            int lo = 123;
            starts.shift(lo, n, k);
            durations.shift(lo, n, k);
            ints.shift(lo, n, k);
            kinds.shift(lo, n, k);
            for (int i = n - 1; i >= lo; i--) {
                want[i + k] = want[i];
                wantD[i + k] = wantD[i];
                wantI[i + k] = wantI[i];
                wantK[i + k] = wantK[i];
            }
            for (int i = 0; i < n + k; i++) {
                if (i >= lo && i < lo + k) continue; // the gap the merge fills
                assertEquals(want[i], starts.get(i), "start " + i + " k " + k);
                assertEquals(wantD[i], durations.get(i), "duration " + i);
                assertEquals(wantI[i], ints.get(i), "int " + i);
                assertEquals(wantK[i], kinds.get(i), "kind " + i);
            }
        }
    }

    @Test
    void compactedColumnsTakeLessAndGiveBackEveryValueAndTakeWritesAgain() {
        Random r = new Random(3);
        LongColumn starts = new LongColumn(true, 0);
        IntColumn stacks = new IntColumn(-1, false);
        long[] wantS = new long[N];
        int[] wantI = new int[N];
        long t = 1_700_000_000_000_000_000L;
        for (int i = 0; i < N; i++) {
            t += i % 500 == 0 ? 200_000 : r.nextInt(1500); // runs of close starts, now and then a gap wider than 2 bytes
            wantS[i] = t;
            wantI[i] = i % 3 == 0 ? -1 : 1000 * r.nextInt(200); // 2-byte values, fewer than 256 distinct a block
            starts.add(t);
            stacks.add(wantI[i]);
        }
        long sBytes = starts.bytes(), iBytes = stacks.bytes();
        starts.compact();
        stacks.compact();
        assertTrue(starts.bytes() < 0.65 * sBytes, starts.bytes() + " bytes, " + sBytes + " before");
        assertTrue(stacks.bytes() < 0.6 * iBytes, stacks.bytes() + " bytes, " + iBytes + " before");
        assertArrayEquals(wantS, starts.toArray());
        for (int i = 0; i < N; i++) assertEquals(wantI[i], stacks.get(i), "row " + i);
        for (int i = 0; i < N; i += 97) { // written again after compacting: the block is held whole again
            wantS[i] = i % 2 == 0 ? 0 : wantS[i] + (1L << 40);
            wantI[i] = i % 2 == 0 ? 70_000 + i : -1;
            starts.set(i, wantS[i]);
            stacks.set(i, wantI[i]);
        }
        starts.add(42);
        stacks.add(42);
        assertArrayEquals(java.util.Arrays.copyOf(wantS, N), java.util.Arrays.copyOf(starts.toArray(), N));
        assertEquals(42, starts.get(N));
        for (int i = 0; i < N; i++) assertEquals(wantI[i], stacks.get(i), "row " + i);
        assertEquals(42, stacks.get(N));
    }

    @Test
    void lanesOfTensOfThousandsTakeTwoBytesWhereABlockLiesWithinAWindow() {
        Random r = new Random(11);
        IntColumn lanes = new IntColumn(-1, false).compactFull(), plain = new IntColumn(-1, false);
        int[] want = new int[N];
        for (int i = 0; i < N; i++) {
            int block = i / LongColumn.BLOCK;
            // blocks 0-2: lanes 70,000-130,000 (beyond 2 bytes from -1, within 65,535 of each other), some missing;
            // the last, partial block: lanes far apart
            // blocks 0-2 with a few long-lived lanes far below the others
            int v = block < 3 ? (i % 50 == 0 ? -1 : i % 7 == 0 ? 5 + i % 11 : 70_000 + block * 1000 + r.nextInt(60_000)) : r.nextInt(1 << 24);
            want[i] = v;
            lanes.add(v);
            plain.add(v);
        }
        for (int i = 0; i < N; i++) assertEquals(want[i], lanes.get(i), "row " + i);
        plain.compact();
        for (int i = 0; i < N; i++) assertEquals(want[i], plain.get(i), "row " + i);
        long full = 3L * LongColumn.BLOCK;
        assertTrue(plain.bytes() < 2.1 * full + 4.1 * (N - full), plain.bytes() + " bytes");
        assertTrue(plain.bytes() < 0.6 * 4 * N, plain.bytes() + " bytes, not 4 a row");
        for (int i = 0; i < N; i += 97) { // written after they were compacted: out of the window, missing, in it
            int v = i % 3 == 0 ? 1 << 30 : i % 3 == 1 ? -1 : 71_000;
            want[i] = v;
            lanes.set(i, v);
            plain.set(i, v);
        }
        for (int i = 0; i < N; i++) {
            assertEquals(want[i], lanes.get(i), "row " + i);
            assertEquals(want[i], plain.get(i), "row " + i);
        }
    }

    @Test
    void columnsCompactedAsTheyFillReadAsWritten() {
        Random r = new Random(5);
        LongColumn starts = new LongColumn(true, 0).compactFull(), small = new LongColumn(false, 0, 1).compactFull();
        long[] wantStart = new long[N], wantSmall = new long[N];
        long t = 1_700_000_000_000_000_000L;
        for (int i = 0; i < N; i++) {
            t += r.nextInt(3000);
            wantStart[i] = i % 1000 == 0 ? t + 1_000_000_000L : t; // a few far above their run: kept beside
            wantSmall[i] = i % 40 == 0 ? 1L << 40 : r.nextInt(200);
            starts.add(wantStart[i]);
            small.add(wantSmall[i]);
        }
        assertArrayEquals(wantStart, starts.toArray());
        assertArrayEquals(wantSmall, small.toArray());
        assertTrue(starts.bytes() < 2.6 * N, starts.bytes() + " bytes for " + N + " starts: compacted as they filled");
        for (int i = 0; i < N; i += 31) { // rows of full (compacted) blocks written again
            wantStart[i] = t + i;
            wantSmall[i] = i % 2 == 0 ? 7 : 1L << 50;
            starts.set(i, wantStart[i]);
            small.set(i, wantSmall[i]);
        }
        assertArrayEquals(wantStart, starts.toArray());
        assertArrayEquals(wantSmall, small.toArray());
    }

    @Test
    void rowOrderMergesLateRowsLeavesOutDroppedRowsAndSkippedPlaces() {
        java.util.BitSet dropped = new java.util.BitSet();
        dropped.set(2);
        // rows 0-4, late rows 5 (before row 0) and 6 (after rows 0-2), row 2 dropped
        RowOrder o = RowOrder.merged(5, new int[] {5, 6}, new int[] {0, 3}, dropped);
        assertEquals(6, o.rows());
        int[] got = new int[6];
        for (int k = 0; k < 2; k++) { // and the same again after a restart
            o.restart();
            for (int i = 0; i < 6; i++) got[i] = o.next();
            assertArrayEquals(new int[] {5, 0, 1, 6, 3, 4}, got);
        }
        long[][] skip = {new long[LongColumn.BLOCK / 64]};
        skip[0][0] = 1L << 1 | 1L << 3; // the second and fourth places: rows 0 and 6
        o.skip(skip).restart();
        int[] kept = new int[4];
        for (int i = 0; i < 4; i++) kept[i] = o.next();
        assertArrayEquals(new int[] {5, 1, 3, 4}, kept);
        assertTrue(RowOrder.of(null, 9, null).identity());
        assertTrue(!RowOrder.of(null, 9, dropped).identity() && !RowOrder.of(new int[] {1, 0}, 2, null).identity());
    }
}
