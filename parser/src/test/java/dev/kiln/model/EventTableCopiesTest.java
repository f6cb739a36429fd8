// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The P-lane rows the table gives from the running row before them read exactly as the rows it was given. */
class EventTableCopiesTest {
    @Test
    void copiedRowsReadAsGivenAndOthersStayHeld() {
        ProfileBuilder b = new ProfileBuilder(SourceFormat.GO_TRACE, "fixture");
        int p0 = b.addThread("P 0", -1, -1, false, -1, null, -1, -1), p1 = b.addThread("P 1", -1, -1, false, -1, null, -1, -1);
        int odd = b.addThread("P 7", -1, -1, false, -1, null, -1, -1);
        List<long[]> want = new ArrayList<>();
        Random r = new Random(5);
        long t = 1_000_000;
        for (int i = 0; i < 3 * LongColumn.BLOCK; i++) {
            t += r.nextInt(3000);
            int g = 10 + r.nextInt(500), stack = r.nextInt(50) - 1;
            long p = r.nextInt(2), d = r.nextInt(100_000);
            add(b, want, EventKind.GO_RUNNING, g, t, d, stack, -1, p);
            int k = r.nextInt(10);
            if (k < 7) add(b, want, EventKind.GO_ON_P, p == 0 ? p0 : p1, t, d, stack, -1, g); // a copy
            else if (k == 7) add(b, want, EventKind.GO_ON_P, p == 0 ? p0 : p1, t, d + 1, stack, -1, g); // differs: held
            else if (k == 8) add(b, want, EventKind.GO_REGION, g, t, d, stack, 3, 0);
            if (i == 1000) { // P 7 on two lanes: its rows stay held
                add(b, want, EventKind.GO_RUNNING, g, t, d, stack, -1, 7);
                add(b, want, EventKind.GO_ON_P, odd, t, d, stack, -1, g);
                add(b, want, EventKind.GO_RUNNING, g, t, d, stack, -1, 7);
                add(b, want, EventKind.GO_ON_P, p0, t, d, stack, -1, g);
            }
        }
        Profile profile = b.build();
        EventTable e = profile.events();
        assertEquals(want.size(), e.size());
        for (int i = 0; i < want.size(); i++) {
            long[] w = want.get(i);
            String at = "row " + i;
            assertEquals(EventKind.of((int) w[0]), e.kind(i), at);
            assertEquals(w[1], e.thread(i), at);
            assertEquals(w[2], e.startNanos(i), at);
            assertEquals(w[3], e.durationNanos(i), at);
            assertEquals(w[4], e.stack(i), at);
            assertEquals(w[5], e.detail(i), at);
            assertEquals(w[6], e.amount(i), at);
            assertEquals(-1, e.clazz(i), at);
            assertEquals(-1, e.otherThread(i), at);
            assertEquals(0, e.address(i), at);
        }
        long copies = 0;
        for (int i = 1; i < want.size(); i++) copies += want.get(i)[0] == EventKind.GO_ON_P.ordinal() && want.get(i)[3] == want.get(i - 1)[3] && want.get(i)[1] != odd && want.get(i - 1)[6] != 7 ? 1 : 0;
        assertEquals(want.size() - copies, e.heldRows());
        // a slice copies rows through the table, copies again copies
        Profile slice = profile.timeSlice(want.get(20_000)[2], want.get(30_000)[2]);
        EventTable s = slice.events();
        int first = 0;
        while (e.startNanos(first) + e.durationNanos(first) < want.get(20_000)[2]) first++;
        assertEquals(e.kind(first), s.kind(0));
        assertEquals(e.thread(first), s.thread(0));
        assertEquals(EventTableDump.hash(s), EventTableDump.hash(new EventTable(s.columns(null))));
    }

    private static void add(ProfileBuilder b, List<long[]> want, EventKind kind, int thread, long start, long d, int stack, int detail, long amount) {
        b.event(kind, thread, start, d, stack, -1, 0, -1, detail, amount);
        want.add(new long[] {kind.ordinal(), thread, start, d, stack, detail, amount});
    }
}
