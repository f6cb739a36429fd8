// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;

import java.nio.file.Path;
import java.util.Locale;

/**
 * For each capture given: a hash of every column of every row of its event table (through the table's public
 * accessors, so two builds that hold the rows differently compare equal only if they give the same rows), the rows
 * by kind and the bytes of each column. A measuring tool, not a test:
 * {@code java -cp parser/target/classes:parser/target/test-classes:DEPS dev.kiln.model.EventTableDump FILE...}.
 */
public final class EventTableDump {
    private EventTableDump() { }

    public static void main(String[] args) throws Exception {
        for (String f : args) {
            EventTable t = ProfileLoader.load(Path.of(f), ProgressSink.NONE).events();
            System.out.printf(Locale.ROOT, "%s: %,d rows, hash %016x, %.2f bytes a row%n", Path.of(f).getFileName(),
                    t.size(), hash(t), (double) t.bytes() / Math.max(1, t.size()));
            long[] byKind = new long[EventKind.values().length];
            for (int r = 0; r < t.size(); r++) byKind[t.kind(r).ordinal()]++;
            StringBuilder sb = new StringBuilder("  kinds:");
            for (EventKind k : EventKind.values()) if (byKind[k.ordinal()] > 0) sb.append(' ').append(k).append('=').append(byKind[k.ordinal()]);
            System.out.println(sb);
            System.out.println("  bytes a row: " + t.columnBytes() + "; rows held " + t.heldRows());
        }
    }

    /** A hash of every column of every row, in row order. */
    public static long hash(EventTable t) {
        long h = 1125899906842597L;
        for (int r = 0; r < t.size(); r++) {
            long[] v = {t.kind(r).ordinal(), t.thread(r), t.startNanos(r), t.durationNanos(r), t.stack(r), t.clazz(r),
                    t.address(r), t.otherThread(r), t.detail(r), t.amount(r)};
            for (long x : v) h = (h ^ x) * 0x100000001b3L + (h >>> 29);
        }
        return h;
    }
}
