// SPDX-License-Identifier: Apache-2.0
package dev.kiln.gotrace;

import dev.kiln.model.LongList;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One generation of a Go execution trace, read whole: its per-M event batches (kept as bytes, decoded by
 * {@link Cursor}), its string and stack tables (ids are local to the generation), its CPU samples, and the tick
 * frequency. A trace is a sequence of generations; the runtime starts a new one about every second, and each is
 * self-contained except for the goroutine, P and GC states carried over, which {@link GoTraceOrder} keeps.
 */
final class Generation {
    /** A per-M batch: the M (thread) id, the base time in ticks, the events' bytes. */
    record Batch(long m, long ticks, byte[] data) { }

    final long number;
    /** Nanoseconds per tick; 0 until the frequency event is read. */
    double nsPerTick;
    /** Go 1.25's clock snapshot: trace ticks and wall-clock nanoseconds at the same moment (0 when absent). */
    long snapshotTicks, snapshotWallNanos;
    final Map<Long, List<Batch>> batches = new LinkedHashMap<>();
    final LongMap<String> strings = new LongMap<>();
    /** Stack id to its frames, leaf first, four numbers each: pc, function string id, file string id, line. */
    final LongMap<long[]> stacks = new LongMap<>();
    /** CPU samples: time in ticks, M, P, goroutine (0 = none), stack id. */
    final LongList cpuTicks = new LongList(), cpuM = new LongList(), cpuP = new LongList(), cpuG = new LongList(),
            cpuStack = new LongList();

    Generation(long number) { this.number = number; }

    void add(Batch b) { batches.computeIfAbsent(b.m(), k -> new ArrayList<>()).add(b); }

    long nanos(long ticks) { return (long) (ticks * nsPerTick); }

    String string(long id) { return strings.get(id); }

    int batchCount() {
        int n = 0;
        for (List<Batch> l : batches.values()) n += l.size();
        return n;
    }

    /** Reads the next timed event of one M's batches, in the order the M wrote them. */
    static final class Cursor {
        final long m;
        private final List<Batch> list;
        private final int version;
        private int index = -1, offset;
        private long lastNanos;
        private byte[] data;
        final Event ev = new Event();

        Cursor(long m, List<Batch> list, int version) {
            this.m = m;
            this.list = list;
            this.version = version;
        }

        /** Decodes the next event into {@link #ev}; false at the end of the M's batches. */
        boolean next(Generation gen) {
            while (data == null || offset >= data.length) {
                if (++index >= list.size()) return false;
                data = list.get(index).data();
                offset = 0;
                lastNanos = gen.nanos(list.get(index).ticks());
            }
            int type = data[offset++] & 0xff;
            int n = GoTraceFormat.argCount(type);
            if (n < 0) throw new BrokenTrace("unknown event type " + type + " in a batch of thread " + m);
            if (!GoTraceFormat.isTimed(type, version)) {
                throw new BrokenTrace(GoTraceFormat.name(type) + " (event type " + type + ") in a batch of thread " + m
                        + ", which Go 1." + version + " traces do not have");
            }
            long dt = uvarint();
            for (int i = 0; i < n - 1; i++) ev.args[i] = uvarint();
            for (int i = n - 1; i < GoTraceFormat.MAX_ARGS; i++) ev.args[i] = 0;
            ev.type = type;
            ev.time = gen.nanos(dt) + lastNanos;
            ev.extra = 0;
            lastNanos = ev.time;
            return true;
        }

        private long uvarint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (offset >= data.length) throw new BrokenTrace("an event runs past the end of its batch (thread " + m + ")");
                int b = data[offset++] & 0xff;
                v |= (long) (b & 0x7f) << shift;
                if (b < 0x80) return v;
            }
            throw new BrokenTrace("a number of more than 64 bits in a batch of thread " + m);
        }
    }

    /** A decoded timed event: type, time in trace nanoseconds, arguments after the time delta, and one extra value. */
    static final class Event {
        int type;
        long time;
        final long[] args = new long[GoTraceFormat.MAX_ARGS];
        /** Set by the ordering: the state before a status event, the P status before a steal. */
        long extra;

        Event copy() {
            Event e = new Event();
            e.type = type;
            e.time = time;
            e.extra = extra;
            System.arraycopy(args, 0, e.args, 0, args.length);
            return e;
        }
    }

    /** The trace's events cannot be put in an order the runtime could have written them in. */
    static final class BrokenTrace extends RuntimeException {
        BrokenTrace(String message) { super(message, null, false, false); }
    }
}
