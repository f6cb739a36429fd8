// SPDX-License-Identifier: Apache-2.0
package dev.kiln.gotrace;

import dev.kiln.gotrace.Generation.Batch;
import dev.kiln.gotrace.Generation.BrokenTrace;
import dev.kiln.gotrace.Generation.Cursor;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.EventKind;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileFormatException;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.kiln.gotrace.GoTraceFormat.*;

/**
 * Reads a Go execution trace (runtime/trace, {@code go test -trace}, {@code /debug/pprof/trace}) of Go 1.22 or newer
 * into a {@link Profile}, one generation at a time: a generation's batches are read whole, its events put in order
 * by {@link GoTraceOrder}, and handed to {@link GoTraceModel}, which keeps goroutine states, Ps, GC, heap, CPU
 * samples, tasks, regions and logs as the model's tables. Memory is the model plus one generation's bytes.
 *
 * <p>The file is a 16-byte header ({@code go 1.23 trace} and three zero bytes) and then batches: a batch-type byte,
 * the generation, the M (thread) id, a time in ticks and a length, all unsigned LEB128, then that many bytes of
 * events. A generation's batches come together, and its strings, stacks, CPU samples and tick frequency are batches
 * of their own. Older traces (Go 1.21 and before, another format) are refused with a message saying so.
 *
 * <p>A trace that ends inside a batch (a program killed while tracing) keeps every complete generation and warns
 * about the cut one. A generation whose events contradict each other is an error in the first generation, and a
 * warning that keeps what came before it later on.
 */
public final class GoTraceReader {
    private static final byte[] PREFIX = "go 1.".getBytes(StandardCharsets.US_ASCII);
    /** The newest trace version this reader knows. */
    static final int NEWEST = 25;

    private GoTraceReader() { }

    /** Whether the bytes start like a Go execution trace of any version. */
    public static boolean looksLike(byte[] head, int n) {
        if (n < 16) return false;
        for (int i = 0; i < PREFIX.length; i++) if (head[i] != PREFIX[i]) return false;
        return new String(head, 0, 16, StandardCharsets.ISO_8859_1).matches("go 1\\.\\d{1,2} trace\0\0\0");
    }

    /** Reads a whole trace; {@code size} (bytes, or -1) is for progress only. */
    public static Profile read(InputStream in, String name, long size, ProgressSink progress)
            throws IOException, ProfileFormatException {
        return read(in, name, size, progress, null, null);
    }

    /**
     * As {@link #read}, with only the events of the given kinds in the event table (null: all), as the whole read has
     * them: for a command that needs some kinds only, as the scheduler-latency profile needs {@link EventKind#GO_SCHED_DELAY}.
     * The other tables (threads, stacks, strings, CPU samples, counts) are the whole read's.
     */
    public static Profile read(InputStream in, String name, long size, ProgressSink progress, Set<EventKind> kinds)
            throws IOException, ProfileFormatException {
        return read(in, name, size, progress, null, kinds);
    }

    /** As {@link #read}, telling {@code stats} (may be null) every ordered event and state transition. */
    static Profile read(InputStream raw, String name, long size, ProgressSink progress, GoTraceModel.Stats stats)
            throws IOException, ProfileFormatException {
        return read(raw, name, size, progress, stats, null);
    }

    private static Profile read(InputStream raw, String name, long size, ProgressSink progress, GoTraceModel.Stats stats,
                                Set<EventKind> kinds) throws IOException, ProfileFormatException {
        Input in = new Input(raw instanceof BufferedInputStream ? raw : new BufferedInputStream(raw, 1 << 16));
        int version = header(in, name);
        GoTraceModel model = new GoTraceModel(name, version, stats, kinds);
        GoTraceOrder order = new GoTraceOrder(model);
        Batch spill = null;
        long spillGen = 0;
        int generations = 0;
        while (true) {
            progress.checkCancelled();
            long genStart = in.pos;
            Generation gen = null;
            String cut = null;
            long cutNext = 0;
            try {
                if (spill != null) {
                    gen = new Generation(spillGen);
                    take(gen, spill, version, name, in.pos);
                    spill = null;
                }
                while (true) {
                    long at = in.pos;
                    int type = in.read();
                    if (type < 0) break;
                    if (type != EV_EVENT_BATCH && (type != EV_EXPERIMENTAL_BATCH || version < 23)) {
                        throw new ProfileFormatException(name, at, "expected a batch, found byte " + type
                                + (generations == 0 && gen == null ? "" : " (a damaged trace)"));
                    }
                    int experiment = type == EV_EXPERIMENTAL_BATCH ? in.readByte() : 0;
                    long g = in.uvarint(), m = in.uvarint(), ticks = in.uvarint(), len = in.uvarint();
                    if (len < 0 || len > MAX_BATCH_SIZE) {
                        throw new ProfileFormatException(name, at, "a batch of " + Long.toUnsignedString(len)
                                + " bytes; the largest Go writes is " + MAX_BATCH_SIZE);
                    }
                    if (g == 0) throw new ProfileFormatException(name, at, "a batch of generation 0");
                    if (gen == null) gen = new Generation(g);
                    boolean next = g == gen.number + 1;
                    if (!next && g != gen.number) {
                        throw new ProfileFormatException(name, at, "generation " + g + " follows generation "
                                + gen.number + "; generations must be in order");
                    }
                    byte[] data;
                    try {
                        data = in.bytes((int) len);
                    } catch (EOFException e) {
                        if (!next) throw e;
                        cutNext = g; // the generation read so far is whole: read it, then warn
                        break;
                    }
                    if (next) {
                        spill = new Batch(m, ticks, data);
                        spillGen = g;
                        break;
                    }
                    if (experiment == 0) take(gen, new Batch(m, ticks, data), version, name, at);
                }
            } catch (EOFException e) {
                cut = "the trace ends inside a batch";
            }
            if (gen == null) break;
            if (cut != null) {
                if (generations == 0) throw new ProfileFormatException(name, in.pos, cut + " of its first generation, so no complete generation is left");
                model.incomplete(cutWarning(name, in.pos, gen.number, generations));
                break;
            }
            if (gen.nsPerTick <= 0) {
                if (generations == 0) throw new ProfileFormatException(name, genStart, "generation " + gen.number + " has no tick frequency");
                model.incomplete(name + ": generation " + gen.number + " has no tick frequency; it and what follows are not read");
                break;
            }
            try {
                run(gen, order, model, version);
            } catch (BrokenTrace e) {
                if (generations == 0) throw new ProfileFormatException(name, genStart, "the trace's events do not fit together: " + e.getMessage());
                model.incomplete(name + ": generation " + gen.number + " is damaged (" + e.getMessage()
                        + "); what came before it is kept");
                break;
            }
            generations++;
            progress.progress(in.pos, size, "Reading generation " + gen.number);
            if (cutNext != 0) {
                model.incomplete(cutWarning(name, in.pos, cutNext, generations));
                break;
            }
            if (spill == null) break;
        }
        progress.progress(-1, -1, "Building the goroutine timeline"); // no longer the last generation's full bar
        return model.build(generations);
    }

    private static String cutWarning(String name, long pos, long cutGeneration, int generations) {
        return String.format(java.util.Locale.ROOT, "%s: the trace is cut at byte %,d, inside generation %d; "
                + "the %d complete generation%s before it are read", name, pos, cutGeneration, generations,
                generations == 1 ? "" : "s");
    }

    /** Orders one generation's events and passes them, with its CPU samples, to the model. */
    private static void run(Generation gen, GoTraceOrder order, GoTraceModel model, int version) {
        model.startGeneration(gen);
        Frontier frontier = new Frontier(gen.batches.size());
        for (Map.Entry<Long, List<Batch>> e : gen.batches.entrySet()) {
            Cursor c = new Cursor(e.getKey(), e.getValue(), version);
            if (c.next(gen)) frontier.add(c);
        }
        int cpu = 0, cpuCount = gen.cpuTicks.size();
        long[] cpuTime = new long[cpuCount];
        Integer[] cpuOrder = new Integer[cpuCount];
        for (int i = 0; i < cpuCount; i++) { cpuTime[i] = gen.nanos(gen.cpuTicks.get(i)); cpuOrder[i] = i; }
        Arrays.sort(cpuOrder, (x, y) -> Long.compare(cpuTime[x], cpuTime[y]));
        while (frontier.size > 0) {
            int min = frontier.min();
            long minTime = frontier.times[min];
            while (cpu < cpuCount && cpuTime[cpuOrder[cpu]] < minTime) model.cpuSample(gen, cpuOrder[cpu++], cpuTime);
            if (!frontier.tryAdvance(gen, order, min)) {
                frontier.sort();
                boolean moved = false;
                for (int i = 1; i < frontier.size && !moved; i++) moved = frontier.tryAdvance(gen, order, i);
                if (!moved) throw new BrokenTrace("no thread's next event can come next (" + frontier.size + " threads waiting, "
                        + "the earliest " + name(frontier.cursors[0].ev.type) + " on thread " + frontier.cursors[0].m + ")");
            }
        }
        while (cpu < cpuCount) model.cpuSample(gen, cpuOrder[cpu++], cpuTime);
        model.endGeneration(gen);
    }

    /**
     * The threads' cursors that have events left, in a list whose order breaks ties of time (the first of equal
     * times goes first), with their next events' times beside them for the search of the earliest.
     */
    private static final class Frontier {
        final Cursor[] cursors;
        final long[] times;
        int size;

        Frontier(int capacity) {
            cursors = new Cursor[capacity];
            times = new long[capacity];
        }

        void add(Cursor c) {
            cursors[size] = c;
            times[size++] = c.ev.time;
        }

        /** The index of the earliest next event, the first of equal ones. */
        int min() {
            int min = 0;
            for (int i = 1; i < size; i++) if (times[i] < times[min]) min = i;
            return min;
        }

        /** Moves cursor {@code i} on if the order takes its event; a cursor at its end leaves the list. */
        boolean tryAdvance(Generation gen, GoTraceOrder order, int i) {
            Cursor c = cursors[i];
            if (!order.advance(gen, c.ev, c.m)) return false;
            if (c.next(gen)) {
                times[i] = c.ev.time;
            } else {
                size--;
                System.arraycopy(cursors, i + 1, cursors, i, size - i);
                System.arraycopy(times, i + 1, times, i, size - i);
                cursors[size] = null;
            }
            return true;
        }

        /** Sorts the list by time, keeping the order of equal times. */
        void sort() {
            for (int i = 1; i < size; i++) {
                Cursor c = cursors[i];
                long t = times[i];
                int j = i;
                for (; j > 0 && times[j - 1] > t; j--) {
                    cursors[j] = cursors[j - 1];
                    times[j] = times[j - 1];
                }
                cursors[j] = c;
                times[j] = t;
            }
        }
    }

    private static int header(Input in, String name) throws IOException, ProfileFormatException {
        byte[] h = new byte[16];
        int n = in.readUpTo(h);
        if (n == 0) throw new ProfileFormatException(name, 0, "the file is empty");
        String s = new String(h, 0, n, StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher mt = java.util.regex.Pattern.compile("go 1\\.(\\d{1,2}) trace\0\0\0").matcher(s);
        if (n < 16 || !mt.matches()) throw new ProfileFormatException(name, 0, "not a Go execution trace (no 'go 1.N trace' header)");
        int v = Integer.parseInt(mt.group(1));
        if (v < 22) {
            throw new ProfileFormatException(name, 0, "a Go 1." + v + " execution trace: Kiln reads the trace format of Go 1.22 "
                    + "and newer; record the trace again with Go 1.22 or newer");
        }
        if (v == 24 || v > NEWEST) {
            throw new ProfileFormatException(name, 0, "a trace of format 'go 1." + v + "', which Kiln does not know "
                    + "(it reads 1.22, 1.23 and 1.25)");
        }
        return v;
    }

    /** Files a batch in its generation: the tables' batches are read now, the M batches kept as bytes. */
    private static void take(Generation gen, Batch b, int version, String name, long at) throws ProfileFormatException {
        byte[] d = b.data();
        if (d.length == 0) return;
        int kind = d[0] & 0xff;
        Bytes r = new Bytes(d, 1, name, at);
        switch (kind) {
            case EV_STRINGS -> {
                while (r.more()) {
                    r.expect(EV_STRING, "string");
                    long id = r.uvarint(), len = r.uvarint();
                    if (len < 0 || len > MAX_STRING_SIZE) throw r.error("a string of " + Long.toUnsignedString(len) + " bytes; the longest Go writes is " + MAX_STRING_SIZE);
                    String s = new String(r.bytes((int) len), StandardCharsets.UTF_8);
                    if (gen.strings.putIfAbsent(id, s) != null) throw r.error("string " + id + " defined twice");
                }
            }
            case EV_STACKS -> {
                while (r.more()) {
                    r.expect(EV_STACK, "stack");
                    long id = r.uvarint(), nf = r.uvarint();
                    if (nf < 0 || nf > MAX_FRAMES_PER_STACK) throw r.error("a stack of " + Long.toUnsignedString(nf) + " frames; the deepest Go writes is " + MAX_FRAMES_PER_STACK);
                    long[] frames = new long[(int) nf * 4];
                    for (int i = 0; i < frames.length; i++) frames[i] = r.uvarint();
                    if (gen.stacks.putIfAbsent(id, frames) != null) throw r.error("stack " + id + " defined twice");
                }
            }
            case EV_CPU_SAMPLES -> {
                while (r.more()) {
                    r.expect(EV_CPU_SAMPLE, "CPU sample");
                    gen.cpuTicks.add(r.uvarint());
                    gen.cpuM.add(r.uvarint());
                    gen.cpuP.add(r.uvarint());
                    gen.cpuG.add(r.uvarint());
                    gen.cpuStack.add(r.uvarint());
                }
            }
            // Before 1.25 the frequency is a batch of its own; since, it is in the sync batch (as Go's reader has it,
            // a lone frequency batch in a 1.25 trace is an M batch, whose first event is then not a timed one).
            case EV_FREQUENCY -> {
                if (version >= 25) throw r.error("a tick frequency outside a sync batch in a Go 1.25 trace");
                frequency(gen, r);
            }
            case EV_SYNC -> {
                if (version < 25) throw r.error("a sync batch, which only Go 1.25 and newer write, in a Go 1." + version + " trace");
                while (r.more()) {
                    int t = r.readByte();
                    if (t == EV_FREQUENCY) frequency(gen, r);
                    else if (t == CLOCK_SNAPSHOT) {
                        gen.snapshotTicks = b.ticks() + r.uvarint(); // a timed event: the batch's time plus its delta
                        r.uvarint(); // monotonic clock
                        long sec = r.uvarint(), nsec = r.uvarint();
                        gen.snapshotWallNanos = sec * 1_000_000_000L + nsec;
                    } else throw r.error("unexpected event type " + t + " in a sync batch");
                }
            }
            default -> gen.add(b);
        }
    }

    private static void frequency(Generation gen, Bytes r) throws ProfileFormatException {
        long f = r.uvarint();
        if (gen.nsPerTick != 0) throw r.error("two tick frequencies in generation " + gen.number);
        if (f == 0) throw r.error("a tick frequency of 0");
        gen.nsPerTick = 1.0 / ((double) f / 1e9); // as Go computes it: the same rounding, the same times
    }

    /** A table batch's bytes. */
    private static final class Bytes {
        private final byte[] d;
        private int i;
        private final String name;
        private final long at;

        Bytes(byte[] d, int i, String name, long at) { this.d = d; this.i = i; this.name = name; this.at = at; }

        boolean more() { return i < d.length; }

        int readByte() throws ProfileFormatException {
            if (i >= d.length) throw error("a table entry runs past the end of its batch");
            return d[i++] & 0xff;
        }

        void expect(int type, String what) throws ProfileFormatException {
            int t = readByte();
            if (t != type) throw error("expected a " + what + " entry, found event type " + t);
        }

        long uvarint() throws ProfileFormatException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = readByte();
                v |= (long) (b & 0x7f) << shift;
                if (b < 0x80) return v;
            }
            throw error("a number of more than 64 bits");
        }

        byte[] bytes(int n) throws ProfileFormatException {
            if (n > d.length - i) throw error("a table entry runs past the end of its batch");
            byte[] out = Arrays.copyOfRange(d, i, i + n);
            i += n;
            return out;
        }

        ProfileFormatException error(String reason) { return new ProfileFormatException(name, at, reason); }
    }

    /** The file, with its position. */
    private static final class Input {
        private final InputStream in;
        long pos;

        Input(InputStream in) { this.in = in; }

        int read() throws IOException {
            int b = in.read();
            if (b >= 0) pos++;
            return b;
        }

        int readByte() throws IOException {
            int b = read();
            if (b < 0) throw new EOFException();
            return b;
        }

        long uvarint() throws IOException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = readByte();
                v |= (long) (b & 0x7f) << shift;
                if (b < 0x80) return v;
            }
            return -1; // more than 64 bits: no length fits, the batch check refuses it
        }

        byte[] bytes(int n) throws IOException {
            byte[] b = in.readNBytes(n);
            pos += b.length;
            if (b.length < n) throw new EOFException();
            return b;
        }

        int readUpTo(byte[] b) throws IOException {
            int n = in.readNBytes(b, 0, b.length);
            pos += n;
            return n;
        }
    }
}
