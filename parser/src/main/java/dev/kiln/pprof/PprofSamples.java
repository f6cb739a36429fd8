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
        s.pos = dictionary.sampleRangeStart.get(r);
        try {
            s.decode(n);
        } catch (InvalidProtocolBufferException e) {
            throw new Failure(s.inStart + s.in.getTotalBytesRead(), e);
        } catch (IOException e) {
            throw new IllegalStateException("reading from memory", e); // CodedInputStream over an array: never
        } finally {
            s.in = null;
        }
        return s;
    }

    /** Where the next top-level field starts. */
    private int pos;
    /** Where {@link #in}, made for a field the fast path leaves to it, started. */
    private int inStart;

    private void decode(int n) throws IOException {
        byte[] data = dictionary.data;
        int length = dictionary.length;
        while (count < n) {
            if (pos < length && data[pos] == SAMPLE_TAG && fastSample(data, length)) continue;
            // Anything else, and a sample the fast path does not take (other fields, other wire types, bad data, which
            // this path words as it should), field by field with CodedInputStream.
            inStart = pos;
            in = CodedInputStream.newInstance(data, pos, length - pos);
            in.setSizeLimit(Integer.MAX_VALUE);
            int tag = in.readTag();
            if (tag == 0) throw ProtoFields.truncated(); // the first pass found n samples here
            if (WireFormat.getTagFieldNumber(tag) != 2) {
                ProtoFields.skip(in, tag); // a field among the samples, read in the first pass
            } else {
                sample(tag);
            }
            pos = inStart + in.getTotalBytesRead();
            in = null;
        }
    }

    private void sample(int tag) throws IOException {
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
        endSample();
    }

    private void endSample() {
        locEnd.add(slots.size());
        valEnd.add(values.size());
        labelEnd.add(labelKey.size());
        count++;
    }

    // ---- the fast path: a sample as pprof writers write it, decoded straight from the array ----

    /** Top-level field 2 (a sample), length-delimited; within it fields 1-3 packed or length-delimited, fields 1 and 2 also unpacked. */
    private static final byte SAMPLE_TAG = 0x12;
    private static final int LOCATION = 0x08, LOCATIONS = 0x0a, VALUE = 0x10, VALUES = 0x12, LABEL = 0x1a;
    private static final int LABEL_KEY = 0x08, LABEL_STR = 0x10, LABEL_NUM = 0x18, LABEL_UNIT = 0x20;
    /** Set by {@link #varint} and the fast path when the bytes are not what it takes. */
    private boolean bad;

    /**
     * The sample at {@link #pos} decoded without CodedInputStream, when it is well formed and has only the fields
     * and wire types pprof writers use; otherwise nothing is added, {@link #pos} is unchanged and false returned, for
     * the general path to decode it (and word its faults).
     */
    private boolean fastSample(byte[] d, int end) {
        int start = pos, slots0 = slots.size(), values0 = values.size(), labels0 = labelKey.size();
        bad = false;
        pos++;
        long len = varint(d, end);
        if (!bad && len >= 0 && len <= end - pos) {
            int mEnd = pos + (int) len;
            while (pos < mEnd && !bad) {
                long tag = varint(d, mEnd);
                if (tag == LOCATIONS) {
                    int e = limit(d, mEnd);
                    while (pos < e && !bad) location(varint(d, e));
                } else if (tag == VALUES) {
                    int e = limit(d, mEnd);
                    while (pos < e && !bad) values.add(varint(d, e));
                } else if (tag == LABEL) {
                    fastLabel(d, limit(d, mEnd));
                } else if (tag == LOCATION) {
                    location(varint(d, mEnd));
                } else if (tag == VALUE) {
                    values.add(varint(d, mEnd));
                } else {
                    bad = true;
                }
            }
            if (!bad && pos == mEnd) {
                endSample();
                return true;
            }
        }
        slots.truncate(slots0);
        values.truncate(values0);
        for (LongList l : new LongList[] {labelKey, labelStr, labelNum, labelUnit}) l.truncate(labels0);
        pos = start;
        return false;
    }

    private void location(long id) {
        int s = dictionary.slotOf(id);
        if (s < 0) bad = true;
        else if (!bad) slots.add(s);
    }

    private void fastLabel(byte[] d, int e) {
        long key = 0, str = 0, num = 0, unit = 0;
        while (pos < e && !bad) {
            long tag = varint(d, e);
            long v = varint(d, e);
            if (tag == LABEL_KEY) key = v;
            else if (tag == LABEL_STR) str = v;
            else if (tag == LABEL_NUM) num = v;
            else if (tag == LABEL_UNIT) unit = v;
            else bad = true;
        }
        if (bad || pos != e || str == 0 && num == 0 && unit == 0) return; // pprof drops such labels
        labelKey.add(key);
        labelStr.add(str);
        labelNum.add(num);
        labelUnit.add(unit);
    }

    /** The end of a length-delimited field whose length is at {@link #pos}, within {@code end}. */
    private int limit(byte[] d, int end) {
        long len = varint(d, end);
        if (bad || len < 0 || len > end - pos) {
            bad = true;
            return pos;
        }
        return pos + (int) len;
    }

    /** The varint at {@link #pos}, which must end before {@code end}; sets {@link #bad} when it does not. */
    private long varint(byte[] d, int end) {
        long r = 0;
        for (int shift = 0; shift < 64 && pos < end; shift += 7) {
            byte b = d[pos++];
            r |= (long) (b & 0x7f) << shift;
            if (b >= 0) return r;
        }
        bad = true;
        return 0;
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
