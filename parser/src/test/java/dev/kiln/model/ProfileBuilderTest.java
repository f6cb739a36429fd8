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
                runs(r, 200_000, 4000, 100_000_000_000L),                                     // as a JFR chunk's events come
                runs(r, 200_000, 4000, 1_000),                                                 // short span: many ties
                runs(r, 100_000, 4, 100_000_000_000L),                                         // a few sorted runs
        };
        for (long[] keys : cases) {
            assertArrayEquals(ProfileBuilder.mergeSortOrder(keys), ProfileBuilder.sortedOrder(keys));
        }
        assertNull(ProfileBuilder.sortedOrder(new long[] {1, 2, 2, 3}));
    }

    /** {@code n} keys in {@code runs} ascending runs of random length, each within {@code span} of 1.7e18. */
    private static long[] runs(Random r, int n, int runs, long span) {
        long[] keys = new long[n];
        for (int i = 0; i < n; ) {
            int len = Math.min(n - i, 1 + r.nextInt(2 * n / runs));
            long t = 1_700_000_000_000_000_000L + (long) (r.nextDouble() * span);
            for (int j = 0; j < len; j++) keys[i++] = t += r.nextInt(1000);
        }
        return keys;
    }

    @Test
    void sortedRunsWithRowsThatStartEarlierMakeTheSameTableAsRowsAddedOneByOne() {
        // Runs as the streaming JFR reader adds them: each chunk's events in start order, a few of them starting before
        // the previous chunks' last events, some at exactly the start of an earlier row (ties keep file order).
        for (int seed = 0; seed < 6; seed++) {
            Random r = new Random(seed);
            ProfileBuilder runs = builderWithThreadsAndClasses(), oneByOne = builderWithThreadsAndClasses();
            java.util.List<Long> starts = new java.util.ArrayList<>();
            long clock = 1_000;
            int id = 0;
            int runCount = seed == 5 ? 3 : 12;
            for (int run = 0; run < runCount; run++) {
                // seed 4: an empty run; seed 5: a run with more rows that start early than are set aside
                int n = seed == 4 && run == 1 ? 0 : seed == 5 && run == 2 ? 5000 : 1 + r.nextInt(300);
                long[] start = new long[n], duration = new long[n], address = new long[n], amount = new long[n];
                int[] kind = new int[n], thread = new int[n], stack = new int[n], clazz = new int[n], other = new int[n], detail = new int[n];
                for (int i = 0; i < n; i++) {
                    int pick = r.nextInt(10);
                    if (pick == 0 && !starts.isEmpty()) start[i] = starts.get(r.nextInt(starts.size()));  // a tie with an earlier row
                    else if (pick == 1) start[i] = r.nextLong(clock);                                        // starts earlier
                    else start[i] = clock += r.nextInt(3);                                                   // in order, ties too
                    if (seed == 5 && run == 2) start[i] = r.nextLong(clock);
                    kind[i] = r.nextInt(EventKind.values().length);
                    thread[i] = r.nextInt(3);
                    duration[i] = r.nextInt(5) - 1;
                    stack[i] = -1;
                    clazz[i] = r.nextBoolean() ? 0 : -1;
                    other[i] = -1;
                    detail[i] = -1;
                    address[i] = r.nextLong();
                    amount[i] = id++; // which row this is
                }
                for (int i = 0; i < n; i++) {
                    starts.add(start[i]);
                    oneByOne.event(EventKind.values()[kind[i]], thread[i], start[i], duration[i], stack[i], clazz[i], address[i],
                            other[i], detail[i], amount[i]);
                }
                runs.addEvents(n, ProfileBuilder.sortedOrder(java.util.Arrays.copyOf(start, n)), kind, thread, start, duration,
                        stack, clazz, address, other, detail, amount);
            }
            EventTable a = runs.build().events(), b = oneByOne.build().events();
            assertEquals(b.size(), a.size());
            for (int i = 0; i < a.size(); i++) {
                String row = "seed " + seed + " row " + i;
                assertEquals(b.amount(i), a.amount(i), row);
                assertEquals(b.startNanos(i), a.startNanos(i), row);
                assertEquals(b.kind(i) + " " + b.thread(i) + " " + b.durationNanos(i) + " " + b.clazz(i) + " " + b.address(i),
                        a.kind(i) + " " + a.thread(i) + " " + a.durationNanos(i) + " " + a.clazz(i) + " " + a.address(i), row);
            }
        }
    }

    @Test
    void aFewRowsOfLaterRunsThatStartEarlierAreGivenInStartOrderWithoutTheColumnsReordered() {
        // As a multi-chunk JFR recording's event rows come: three runs (chunks) of several column blocks each, in start
        // order, and a few rows of the later runs that start before the previous run's last row, some long before (at
        // the first rows), some at the start of an earlier row (after it: file order), some in one 64-row word.
        Random r = new Random(3);
        ProfileBuilder runs = builderWithThreadsAndClasses(), oneByOne = builderWithThreadsAndClasses();
        long clock = 1_700_000_000_000_000_000L;
        java.util.List<Long> starts = new java.util.ArrayList<>();
        int id = 0;
        for (int run = 0; run < 3; run++) {
            int n = 2 * LongColumn.BLOCK + r.nextInt(LongColumn.BLOCK);
            long[] start = new long[n], duration = new long[n], address = new long[n], amount = new long[n];
            int[] kind = new int[n], thread = new int[n], stack = new int[n], clazz = new int[n], other = new int[n], detail = new int[n];
            for (int i = 0; i < n; i++) {
                int pick = r.nextInt(2000);
                if (run > 0 && pick < 3) start[i] = starts.get(r.nextInt(Math.min(100, starts.size()))); // at the first rows
                else if (run > 0 && pick < 6) start[i] = starts.get(starts.size() - 1 - r.nextInt(Math.min(50_000, starts.size())));
                else if (run > 0 && pick < 9) start[i] = starts.get(starts.size() / 2) - 1;              // several in one word
                else start[i] = clock += r.nextInt(3);
                kind[i] = r.nextInt(EventKind.GO_RUNNING.ordinal());
                thread[i] = r.nextInt(3);
                duration[i] = r.nextInt(100_000);
                stack[i] = r.nextInt(4) - 1;
                clazz[i] = r.nextBoolean() ? 0 : -1;
                other[i] = r.nextInt(3) - 1;
                detail[i] = -1;
                address[i] = r.nextInt(1000);
                amount[i] = id++;
            }
            for (int i = 0; i < n; i++) {
                oneByOne.event(EventKind.values()[kind[i]], thread[i], start[i], duration[i], stack[i], clazz[i], address[i],
                        other[i], detail[i], amount[i]);
            }
            int[] order = ProfileBuilder.sortedOrder(java.util.Arrays.copyOf(start, n));
            for (int i = 0; i < n; i++) starts.add(start[order == null ? i : order[i]]);
            runs.addEvents(n, order, kind, thread, start, duration, stack, clazz, address, other, detail, amount);
        }
        EventTable a = runs.build().events(), b = oneByOne.build().events();
        org.junit.jupiter.api.Assertions.assertTrue(a.keepsLateRows(), "the late rows are kept after the others");
        assertEquals(b.size(), a.size());
        assertEquals(EventTableDump.hash(b), EventTableDump.hash(a));
        for (int i = 0; i < a.size(); i++) {
            assertEquals(b.amount(i), a.amount(i), "row " + i);
            assertEquals(b.kind(i) + " " + b.thread(i) + " " + b.startNanos(i) + " " + b.durationNanos(i) + " " + b.stack(i) + " "
                    + b.clazz(i) + " " + b.address(i) + " " + b.otherThread(i), a.kind(i) + " " + a.thread(i) + " " + a.startNanos(i)
                    + " " + a.durationNanos(i) + " " + a.stack(i) + " " + a.clazz(i) + " " + a.address(i) + " " + a.otherThread(i), "row " + i);
        }
        EventTable picked = a.rows(new int[] {0, 1, a.size() / 2, a.size() - 1});
        assertEquals(a.amount(a.size() / 2), picked.amount(2));
    }

    @Test
    void spansAddedAtTheirStartOrAtTheirEndMakeTheSameTableAsRowsAddedOneByOne() {
        // as the Go trace reader does: a span that begins now gets its row now and its duration when it ends; a span
        // learnt of only at its end (or starting before what is already there) comes late and is merged in at build; a row
        // taken back is left out
        for (int seed = 0; seed < 6; seed++) {
            Random r = new Random(seed);
            ProfileBuilder atStart = builderWithThreadsAndClasses(), sorted = builderWithThreadsAndClasses();
            java.util.List<long[]> spans = new java.util.ArrayList<>(); // start, duration, id, late?
            java.util.ArrayDeque<long[]> open = new java.util.ArrayDeque<>();
            java.util.Map<long[], Integer> rows = new java.util.IdentityHashMap<>();
            long clock = 1_700_000_000_000_000_000L; // far from 0: starts are held relative to their block
            for (int i = 0; i < 3 * LongColumn.BLOCK; i++) {
                clock += r.nextInt(4); // ties too
                while (!open.isEmpty() && r.nextInt(3) == 0) { // a span ends
                    long[] s = open.poll();
                    s[1] = clock - s[0] + (s[2] % 5 == 0 ? 5_000_000_000L : 0); // a few longer than an int holds
                    atStart.eventEnds(rows.get(s), s[1], 7);
                }
                long[] s = {clock, 0, i, 0};
                spans.add(s);
                if (r.nextInt(4) == 0) { // comes late, starting some time back
                    s[0] = clock - r.nextInt(1000);
                    s[1] = r.nextInt(50);
                    s[3] = 1;
                    atStart.lateEvent(EventKind.GO_SCHED_DELAY, 1, s[0], s[1], 7, -1, 0, -1, -1, i);
                } else if (r.nextInt(10) == 0) { // added at its start, then taken back (a span that never closed)
                    s[3] = 2;
                    atStart.dropEvent(atStart.event(EventKind.GO_RUNNING, 1, s[0], 0, -1, -1, 0, -1, -1, i));
                } else {
                    rows.put(s, atStart.event(EventKind.GO_RUNNING, 1, s[0], 0, -1, -1, 0, -1, -1, i));
                    open.add(s);
                }
            }
            spans.removeIf(s -> s[3] == 2);
            for (long[] s : open) atStart.eventEnds(rows.get(s), s[1] = 0, 7);
            spans.sort(java.util.Comparator.comparingLong((long[] s) -> s[0]).thenComparingLong(s -> s[3]).thenComparingLong(s -> s[2]));
            for (long[] s : spans) sorted.event(s[3] == 1 ? EventKind.GO_SCHED_DELAY : EventKind.GO_RUNNING, 1, s[0], s[1], 7, -1, 0, -1, -1, s[2]);
            EventTable a = atStart.build().events(), b = sorted.build().events();
            assertEquals(b.size(), a.size());
            for (int i = 0; i < a.size(); i++) {
                assertEquals(b.startNanos(i), a.startNanos(i), "seed " + seed + " row " + i);
                if (a.startNanos(i) != (i + 1 < a.size() ? a.startNanos(i + 1) : -1) && (i == 0 || a.startNanos(i - 1) != a.startNanos(i))) {
                    // rows of a start no other row has: the same row
                    assertEquals(b.amount(i) + " " + b.kind(i) + " " + b.durationNanos(i) + " " + b.stack(i),
                            a.amount(i) + " " + a.kind(i) + " " + a.durationNanos(i) + " " + a.stack(i), "seed " + seed + " row " + i);
                }
            }
        }
    }

    @Test
    void aRowTakenBackAfterTheEventsCameOutOfOrderIsLeftOut() {
        ProfileBuilder b = builderWithThreadsAndClasses();
        b.event(EventKind.GO_RUNNING, 1, 30, 1, -1, -1, 0, -1, -1, 30);
        b.event(EventKind.GO_RUNNING, 1, 10, 1, -1, -1, 0, -1, -1, 10); // out of order: build sorts them all
        b.dropEvent(b.event(EventKind.GO_RUNNING, 1, 20, 0, -1, -1, 0, -1, -1, 20));
        EventTable t = b.build().events();
        assertEquals(2, t.size());
        assertEquals(10, t.startNanos(0));
        assertEquals(30, t.amount(1));
    }

    @Test
    void eventsAddedAfterABuildLeaveTheBuiltProfileAsItWas() {
        ProfileBuilder b = builderWithThreadsAndClasses();
        int n = 14; // in columns of 16: little enough room to spare that the built table holds the builder's own arrays
        long[] start = new long[n], amount = new long[n];
        for (int i = 0; i < n; i++) {
            start[i] = 10 + i;
            amount[i] = 100 + i;
        }
        int[] none = new int[n];
        java.util.Arrays.fill(none, -1);
        b.addEvents(n, null, new int[n], new int[n], start, new long[n], none, none, new long[n], none, none, amount);
        Profile first = b.build();
        // a run with a row that starts before the rows built: merged in at the next build, which moves rows
        b.addEvents(2, null, new int[] {3, 3}, new int[] {2, 2}, new long[] {5, 30}, new long[] {1, 1}, new int[] {-1, -1},
                new int[] {-1, -1}, new long[] {0, 0}, new int[] {-1, -1}, new int[] {-1, -1}, new long[] {6, 9});
        Profile second = b.build();
        assertEquals(n, first.events().size());
        for (int i = 0; i < n; i++) assertEquals(100 + i, first.events().amount(i), "row " + i + " of the first build");
        assertEquals(n + 2, second.events().size());
        assertEquals(6, second.events().amount(0));
        assertEquals(100, second.events().amount(1));
        assertEquals(9, second.events().amount(n + 1));
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

    @Test
    void columnsAddedAtOnceMakeTheSameTablesAsRowsAddedOneByOne() {
        Random r = new Random(11);
        int n = 1000;
        int[] kind = new int[n + 3], thread = new int[n + 3], stack = new int[n + 3], clazz = new int[n + 3], other = new int[n + 3],
                detail = new int[n + 3];
        long[] start = new long[n + 3], duration = new long[n + 3], address = new long[n + 3], amount = new long[n + 3];
        for (int i = 0; i < n + 3; i++) { // longer than n: the rest must be left out
            kind[i] = r.nextInt(EventKind.values().length);
            thread[i] = r.nextInt(3);
            stack[i] = -1;
            clazz[i] = r.nextInt(2) - 1;
            other[i] = r.nextInt(4) - 1;
            detail[i] = -1;
            start[i] = r.nextInt(1_000_000);
            duration[i] = r.nextInt(2000) - 1000; // negative durations become 0 either way
            address[i] = r.nextLong();
            amount[i] = r.nextInt();
        }
        ProfileBuilder one = builderWithThreadsAndClasses(), all = builderWithThreadsAndClasses();
        ProfileBuilder.SampleTableBuilder t1 = one.sampleTable("s", java.util.List.of(new ValueType("alloc", "bytes")), true, true, false);
        ProfileBuilder.SampleTableBuilder t2 = all.sampleTable("s", java.util.List.of(new ValueType("alloc", "bytes")), true, true, false);
        for (int i = 0; i < n; i++) {
            one.event(EventKind.of(kind[i]), thread[i], start[i], duration[i], stack[i], clazz[i], address[i], other[i], detail[i], amount[i]);
            t1.add(stack[i], thread[i], start[i], clazz[i], amount[i]);
        }
        all.addEvents(n, kind, thread, start, duration, stack, clazz, address, other, detail, amount);
        t2.ensure(n * 2L);
        t2.addAll(n, stack, thread, start, clazz, amount);
        Profile a = one.build(), b = all.build();
        ProfileValidator.check(b);
        assertEquals(n, b.events().size());
        for (int i = 0; i < n; i++) {
            String ea = a.events().kind(i) + "|" + a.events().thread(i) + "|" + a.events().startNanos(i) + "|" + a.events().durationNanos(i)
                    + "|" + a.events().clazz(i) + "|" + a.events().address(i) + "|" + a.events().otherThread(i) + "|" + a.events().amount(i);
            String eb = b.events().kind(i) + "|" + b.events().thread(i) + "|" + b.events().startNanos(i) + "|" + b.events().durationNanos(i)
                    + "|" + b.events().clazz(i) + "|" + b.events().address(i) + "|" + b.events().otherThread(i) + "|" + b.events().amount(i);
            assertEquals(ea, eb, "event " + i);
        }
        SampleTable sa = a.sampleTables().get(0), sb = b.sampleTables().get(0);
        assertEquals(n, sb.size());
        for (int i = 0; i < n; i++) {
            assertEquals(sa.thread(i) + "|" + sa.timeNanos(i) + "|" + sa.clazz(i) + "|" + sa.value(0, i),
                    sb.thread(i) + "|" + sb.timeNanos(i) + "|" + sb.clazz(i) + "|" + sb.value(0, i), "sample " + i);
        }
    }

    private static ProfileBuilder builderWithThreadsAndClasses() {
        ProfileBuilder b = new ProfileBuilder(SourceFormat.JFR, "fixture");
        for (int t = 0; t < 3; t++) b.thread(t + 1, "t" + t, t + 1, -1, false);
        b.classIndex("A");
        return b;
    }

    @Test
    void primitiveListsGrowTruncateAndPermute() {
        IntList ints = new IntList(2);
        LongList longs = new LongList(2);
        ints.addAll(new int[] {5, 6, 7, 8}, 3);
        longs.addAll(new long[] {5, 6, 7, 8}, 3);
        ints.ensure(100);
        longs.ensure(100);
        assertArrayEquals(new int[] {7, 5, 6}, ints.permuted(new int[] {2, 0, 1}));
        assertArrayEquals(new long[] {7, 5, 6}, longs.permuted(new int[] {2, 0, 1}));
        assertArrayEquals(new int[] {5, 6, 7}, ints.permuted(null));
        ints.truncate(1);
        ints.set(0, 9);
        assertArrayEquals(new int[] {9}, ints.toArray());
        assertArrayEquals(new long[] {5, 6, 7}, longs.toArray());
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class, () -> ints.truncate(2));
        // added in a given order after what is there, as the streaming reader adds a chunk's events in start order
        ints.addAll(new int[] {10, 11, 12, 13}, 3, new int[] {2, 0, 1});
        longs.addAll(new long[] {10, 11, 12, 13}, 3, new int[] {1, 2, 0});
        assertArrayEquals(new int[] {9, 12, 10, 11}, ints.toArray());
        assertArrayEquals(new long[] {5, 6, 7, 11, 12, 10}, longs.toArray());
        ints.addAll(new int[] {20, 21}, 1, null);
        assertArrayEquals(new int[] {9, 12, 10, 11, 20}, ints.toArray());
    }
}
