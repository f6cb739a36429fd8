// SPDX-License-Identifier: Apache-2.0
package dev.kiln.pprof;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.kiln.model.IntList;
import dev.kiln.model.LongList;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The second pass of {@link PprofReader}: the samples of one range of a profile (at most
 * {@link PprofDecoder#RANGE_SAMPLES}), decoded from the bytes {@link PprofDecoder} held and found into primitive
 * buffers, as the file has them but for location ids, which are replaced by their slots. Ranges do not depend on
 * each other, so they may be decoded on another thread while the reader resolves the range before.
 *
 * <p>Per sample {@code i}: its slots (leaf first) are {@code slots[locEnd(i - 1), locEnd(i))}, its values
 * {@code values[valEnd(i - 1), valEnd(i))}, its labels {@code label*[labelEnd(i - 1), labelEnd(i))} (labels with
 * neither a string, a number nor a unit are dropped, as pprof drops them).
 */
final class PprofSamples {
    /** A malformed sample: the reason and the offset in the message where it was found. */
    static final class Failure extends Exception {
        final long offset;
        final InvalidProtocolBufferException reason;

        Failure(long offset, InvalidProtocolBufferException reason) {
            super(reason.getMessage(), reason, false, false);
            this.offset = offset;
            this.reason = reason;
        }
    }

    /**
     * The ranges of a profile in order, each decoded ahead on a thread of its own while the one before is resolved
     * (at most {@value #AHEAD} ahead, so that memory holds a few ranges at a time); on the caller's thread when there
     * is only one. Closing stops the thread.
     */
    static final class Ranges implements AutoCloseable {
        private static final int AHEAD = 2;
        private final PprofDecoder dictionary;
        private final ExecutorService thread;
        private final ArrayDeque<Future<PprofSamples>> ahead = new ArrayDeque<>();
        /** Ranges resolved, whose buffers the next ranges reuse (no new arrays for every range). */
        private final ConcurrentLinkedQueue<PprofSamples> spare = new ConcurrentLinkedQueue<>();
        private PprofSamples lent;
        private int taken, submitted;

        Ranges(PprofDecoder dictionary) {
            this.dictionary = dictionary;
            this.thread = dictionary.sampleRangeStart.size() < 2 ? null : Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "kiln-pprof-samples");
                t.setDaemon(true);
                return t;
            });
        }

        /** The next range; the range returned before is no longer used. */
        PprofSamples next() throws Failure {
            int n = dictionary.sampleRangeStart.size();
            if (taken >= n) throw new IllegalStateException("no range left");
            if (lent != null) spare.add(lent);
            lent = null;
            if (thread == null) return lent = decode(dictionary, taken++, spare.poll());
            while (submitted < n && submitted - taken <= AHEAD) {
                int r = submitted++;
                ahead.add(thread.submit(() -> decode(dictionary, r, spare.poll())));
            }
            taken++;
            try {
                return lent = ahead.remove().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Failure f) throw f;
                if (cause instanceof RuntimeException r) throw r;
                if (cause instanceof Error err) throw err;
                throw new IllegalStateException(cause);
            }
        }

        @Override
        public void close() {
            if (thread != null) thread.shutdownNow();
        }
    }

    /** Index of the range's first sample in the profile. */
    int first;
    int count;
    final IntList locEnd = new IntList(), valEnd = new IntList(), labelEnd = new IntList(), slots = new IntList();
    final LongList values = new LongList();
    final LongList labelKey = new LongList(), labelStr = new LongList(), labelNum = new LongList(), labelUnit = new LongList();

    private PprofDecoder dictionary;
    private CodedInputStream in;

    private PprofSamples() { }

    /**
     * Range {@code r} (of {@link PprofDecoder#sampleRangeStart}) of the samples {@code dictionary} found, decoded into
     * {@code reuse} (a range no longer used) or new buffers.
     */
    static PprofSamples decode(PprofDecoder dictionary, int r, PprofSamples reuse) throws Failure {
        PprofSamples s = reuse != null ? reuse : new PprofSamples();
        s.dictionary = dictionary;
        s.first = r * PprofDecoder.RANGE_SAMPLES;
        s.count = 0;
        for (IntList l : new IntList[] {s.locEnd, s.valEnd, s.labelEnd, s.slots}) l.clear();
        for (LongList l : new LongList[] {s.values, s.labelKey, s.labelStr, s.labelNum, s.labelUnit}) l.clear();
        int n = Math.min(PprofDecoder.RANGE_SAMPLES, dictionary.sampleCount - s.first);
        for (IntList l : new IntList[] {s.locEnd, s.valEnd, s.labelEnd}) l.ensure(n);
        s.slots.ensure(8L * n); // grown if need be
        s.values.ensure((long) n * Math.max(1, dictionary.sampleTypeType.size()));
        int start = dictionary.sampleRangeStart.get(r);
        s.in = CodedInputStream.newInstance(dictionary.data, start, dictionary.length - start);
        s.in.setSizeLimit(Integer.MAX_VALUE);
        try {
            s.decode(n);
        } catch (InvalidProtocolBufferException e) {
            throw new Failure(start + s.in.getTotalBytesRead(), e);
        } catch (IOException e) {
            throw new IllegalStateException("reading from memory", e); // CodedInputStream over an array: never
        } finally {
            s.in = null;
        }
        return s;
    }

    private void decode(int n) throws IOException {
        while (count < n) {
            int tag = in.readTag();
            if (tag == 0) throw ProtoFields.truncated(); // the first pass found n samples here
            if (WireFormat.getTagFieldNumber(tag) != 2) {
                ProtoFields.skip(in, tag); // a field among the samples, read in the first pass
                continue;
            }
            int old = ProtoFields.beginMessage(in, WireFormat.getTagWireType(tag), "a sample");
            for (int t; (t = in.readTag()) != 0; ) {
                int w = WireFormat.getTagWireType(t);
                switch (WireFormat.getTagFieldNumber(t)) {
                    case 1 -> {
                        if (w == WireFormat.WIRETYPE_VARINT) {
                            slots.add(slot(in.readRawVarint64()));
                        } else if (w == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                            int o = in.pushLimit(ProtoFields.length(in));
                            while (in.getBytesUntilLimit() > 0) slots.add(slot(in.readRawVarint64()));
                            ProtoFields.endMessage(in, o);
                        } else {
                            throw ProtoFields.wrongType("location_id");
                        }
                    }
                    case 2 -> ProtoFields.repeatedInt64(in, w, values);
                    case 3 -> label(w);
                    default -> ProtoFields.skip(in, t);
                }
            }
            ProtoFields.endMessage(in, old);
            locEnd.add(slots.size());
            valEnd.add(values.size());
            labelEnd.add(labelKey.size());
            count++;
        }
    }

    private int slot(long id) throws ProtoFields.FormatError {
        int s = dictionary.slotOf(id);
        if (s < 0) {
            throw new ProtoFields.FormatError("a sample refers to location id " + Long.toUnsignedString(id)
                    + ", which the file does not define");
        }
        return s;
    }

    private void label(int wire) throws IOException {
        int old = ProtoFields.beginMessage(in, wire, "a label");
        long key = 0, str = 0, num = 0, unit = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            int w = WireFormat.getTagWireType(tag);
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> key = ProtoFields.int64(in, w);
                case 2 -> str = ProtoFields.int64(in, w);
                case 3 -> num = ProtoFields.int64(in, w);
                case 4 -> unit = ProtoFields.int64(in, w);
                default -> ProtoFields.skip(in, tag);
            }
        }
        ProtoFields.endMessage(in, old);
        if (str == 0 && num == 0 && unit == 0) return; // pprof drops such labels
        labelKey.add(key);
        labelStr.add(str);
        labelNum.add(num);
        labelUnit.add(unit);
    }
}
