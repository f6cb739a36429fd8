// SPDX-License-Identifier: Apache-2.0
package dev.kiln.pprof;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.IntList;
import dev.kiln.model.LongIntMap;
import dev.kiln.model.LongList;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The protobuf half of {@link PprofReader}: decodes a {@code profile.proto} message field by field with
 * {@link CodedInputStream} into primitive buffers, as the file has it: string indices, ids and values, nothing
 * resolved (the reader's resolving half, which extends this class, turns them into a profile). Unknown fields are
 * skipped, packed and unpacked repeated integers are both read, and the top-level fields may come in any order
 * (samples before the string table, locations and functions).
 *
 * <p>Guarantees: a malformed message (truncated, wrong wire types, a negative length, a message that does not end
 * at its declared length, a location or function id defined twice) ends in an {@link InvalidProtocolBufferException}
 * whose reason {@link #describe} words for the user; {@link CodedInputStream} reads a declared length in pieces, so
 * a declared length larger than the data allocates no more than the data. Location ids are given dense slots as
 * they are first seen (in a sample or a definition): ids below {@value #DENSE_ID_LIMIT} through an array, larger
 * ones through a hash map. {@link #offset()} counts beyond 2 GiB. Progress is reported every
 * {@value #PROGRESS_BYTES} bytes and cancellation checked every {@value #CHECK_EVERY} top-level fields and
 * samples.
 */
abstract class PprofDecoder {
    static final int CHECK_EVERY = 4096;
    private static final long PROGRESS_BYTES = 1 << 20;
    /** Location ids up to this bound are looked up in a plain array; larger ones in a hash map. */
    private static final int DENSE_ID_LIMIT = 1 << 20;

    /** A format problem this reader detects while decoding; its message is the reason shown to the user. */
    private static final class FormatError extends InvalidProtocolBufferException {
        FormatError(String reason) { super(reason); }
    }

    private final CodedInputStream in;
    final String fileName;
    final ProgressSink progress;
    /** Bytes consumed before the last {@link CodedInputStream#resetSizeCounter()}. */
    private long base;
    private long nextProgress = PROGRESS_BYTES;

    // ---- raw top-level data ----
    final List<String> strings = new ArrayList<>();
    final LongList sampleTypeType = new LongList(), sampleTypeUnit = new LongList();
    long periodTypeType = -1, periodTypeUnit = -1, period, timeNanos, durationNanos;
    long defaultSampleType, dropFrames, keepFrames;
    final LongList commentIdx = new LongList();

    // ---- samples, buffered ----
    int sampleCount;
    final IntList sampleLocEnd = new IntList(1024), sampleValEnd = new IntList(1024);
    final IntList sampleLabelEnd = new IntList(1024);
    final IntList locRefs = new IntList(8192);
    final LongList values = new LongList(2048);
    final LongList labelKey = new LongList(), labelStr = new LongList(), labelNum = new LongList();
    final LongList labelUnit = new LongList();

    // ---- location slots: a dense index per location id, assigned on first sight ----
    private int[] denseSlot = new int[256]; // slot + 1, 0 = unseen
    private final LongIntMap sparseSlot = new LongIntMap();
    final LongList slotId = new LongList();
    final IntList slotDef = new IntList(); // definition index or -1

    // ---- locations, in definition order ----
    final LongList locAddress = new LongList(), locMapping = new LongList();
    final IntList locLineEnd = new IntList();
    final LongList lineFunc = new LongList(), lineNo = new LongList();

    // ---- functions and mappings ----
    final LongIntMap funcById = new LongIntMap();
    final LongList funcName = new LongList(), funcSystemName = new LongList(), funcFile = new LongList();
    final List<long[]> mappings = new ArrayList<>(); // id, start, limit, offset, file, buildId

    PprofDecoder(InputStream stream, String fileName, ProgressSink progress) {
        this.in = CodedInputStream.newInstance(stream, 1 << 16);
        this.in.setSizeLimit(Integer.MAX_VALUE);
        this.fileName = fileName;
        this.progress = progress;
    }

    long offset() { return base + in.getTotalBytesRead(); }

    static String describe(InvalidProtocolBufferException e) {
        if (e instanceof FormatError) return "not a valid pprof profile: " + e.getMessage();
        String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        String what;
        if (m.contains("ended unexpectedly") || m.contains("truncated")) what = "the data ends in the middle of a message (is the file truncated?)";
        else if (m.contains("invalid tag") || m.contains("invalid wire type") || m.contains("end-group tag"))
            what = "unexpected bytes where a field should start";
        else if (m.contains("malformed varint")) what = "a number is malformed";
        else if (m.contains("negative size")) what = "a length is negative";
        else if (m.contains("too large")) what = "a length is larger than the file";
        else what = "the data is not a protobuf message";
        return "not a valid pprof profile: " + what;
    }

    private static FormatError truncated() {
        return new FormatError("the data ends in the middle of a message (is the file truncated?)");
    }

    private InvalidProtocolBufferException wrongType(String what) {
        return new FormatError(what + " has the wrong protobuf wire type");
    }

    // ---- decoding ----

    void decodeProfile() throws IOException {
        int fields = 0;
        while (true) {
            int tag = in.readTag();
            if (tag == 0) break;
            int field = WireFormat.getTagFieldNumber(tag), wire = WireFormat.getTagWireType(tag);
            switch (field) {
                case 1 -> {
                    long[] vt = valueType(wire);
                    sampleTypeType.add(vt[0]);
                    sampleTypeUnit.add(vt[1]);
                }
                case 2 -> sample(wire);
                case 3 -> mapping(wire);
                case 4 -> location(wire);
                case 5 -> function(wire);
                case 6 -> {
                    if (wire != WireFormat.WIRETYPE_LENGTH_DELIMITED) throw wrongType("string_table");
                    strings.add(new String(in.readRawBytes(length()), java.nio.charset.StandardCharsets.UTF_8));
                }
                case 7 -> dropFrames = int64(wire);
                case 8 -> keepFrames = int64(wire);
                case 9 -> timeNanos = int64(wire);
                case 10 -> durationNanos = int64(wire);
                case 11 -> {
                    long[] vt = valueType(wire);
                    periodTypeType = vt[0];
                    periodTypeUnit = vt[1];
                }
                case 12 -> period = int64(wire);
                case 13 -> repeatedInt64(wire, commentIdx);
                case 14 -> defaultSampleType = int64(wire);
                default -> skip(tag);
            }
            // Keep offsets beyond 2 GiB representable: the counter restarts after every top-level field.
            if (in.getTotalBytesRead() > (1 << 30)) {
                base += in.getTotalBytesRead();
                in.resetSizeCounter();
            }
            if (++fields % CHECK_EVERY == 0) progress.checkCancelled();
            if (offset() >= nextProgress) {
                progress.progress(offset(), -1, "Reading pprof profile");
                nextProgress = offset() + PROGRESS_BYTES;
            }
        }
    }

    private long int64(int wire) throws IOException {
        if (wire != WireFormat.WIRETYPE_VARINT) throw wrongType("an integer field");
        return in.readRawVarint64();
    }

    /** A repeated integer field, packed or not. */
    private void repeatedInt64(int wire, LongList out) throws IOException {
        if (wire == WireFormat.WIRETYPE_VARINT) {
            out.add(in.readRawVarint64());
        } else if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int old = in.pushLimit(length());
            while (in.getBytesUntilLimit() > 0) out.add(in.readRawVarint64());
            endMessage(old);
        } else {
            throw wrongType("a repeated integer field");
        }
    }

    /**
     * A declared length, read as the 64-bit varint it is ({@code readRawVarint32} keeps the low 32 bits, so 2^32 + 3
     * would read as 3). No message Kiln reads is 2 GiB or longer; a length beyond the data fails when read.
     */
    private int length() throws IOException {
        long n = in.readRawVarint64();
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new FormatError("a declared length of " + Long.toUnsignedString(n) + " bytes is more than any profile holds");
        }
        return (int) n;
    }

    private int beginMessage(int wire, String what) throws IOException {
        if (wire != WireFormat.WIRETYPE_LENGTH_DELIMITED) throw wrongType(what);
        return in.pushLimit(length());
    }

    private void endMessage(int oldLimit) throws IOException {
        // In stream mode CodedInputStream reports the end of the data inside a message as a clean end of that
        // message when it falls between two fields; a message must end exactly at its declared length.
        if (in.getBytesUntilLimit() != 0) throw truncated();
        in.popLimit(oldLimit);
    }

    private long[] valueType(int wire) throws IOException {
        int old = beginMessage(wire, "a value type");
        long type = 0, unit = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> type = int64(WireFormat.getTagWireType(tag));
                case 2 -> unit = int64(WireFormat.getTagWireType(tag));
                default -> skip(tag);
            }
        }
        endMessage(old);
        return new long[] {type, unit};
    }

    private void skip(int tag) throws IOException {
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            in.skipRawBytes(length()); // through length(): CodedInputStream's own skip reads the length in 32 bits
            return;
        }
        if (!in.skipField(tag)) throw new FormatError("unexpected bytes where a field should start");
    }

    private void sample(int wire) throws IOException {
        int old = beginMessage(wire, "a sample");
        for (int tag; (tag = in.readTag()) != 0; ) {
            int w = WireFormat.getTagWireType(tag);
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> {
                    if (w == WireFormat.WIRETYPE_VARINT) {
                        locRefs.add(slotOf(in.readRawVarint64()));
                    } else if (w == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        int o = in.pushLimit(length());
                        while (in.getBytesUntilLimit() > 0) locRefs.add(slotOf(in.readRawVarint64()));
                        endMessage(o);
                    } else {
                        throw wrongType("location_id");
                    }
                }
                case 2 -> repeatedInt64(w, values);
                case 3 -> label(w);
                default -> skip(tag);
            }
        }
        endMessage(old);
        sampleLocEnd.add(locRefs.size());
        sampleValEnd.add(values.size());
        sampleLabelEnd.add(labelKey.size());
        if (++sampleCount % CHECK_EVERY == 0) progress.checkCancelled();
    }

    private void label(int wire) throws IOException {
        int old = beginMessage(wire, "a label");
        long key = 0, str = 0, num = 0, unit = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            int w = WireFormat.getTagWireType(tag);
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> key = int64(w);
                case 2 -> str = int64(w);
                case 3 -> num = int64(w);
                case 4 -> unit = int64(w);
                default -> skip(tag);
            }
        }
        endMessage(old);
        if (str == 0 && num == 0 && unit == 0) return; // pprof drops such labels
        labelKey.add(key);
        labelStr.add(str);
        labelNum.add(num);
        labelUnit.add(unit);
    }

    /** Dense slot of a location id, assigned when the id is first seen (in a sample or a definition). */
    private int slotOf(long id) {
        if (id > 0 && id < DENSE_ID_LIMIT) {
            int i = (int) id;
            if (i >= denseSlot.length) denseSlot = Arrays.copyOf(denseSlot, Math.max(i + 1, denseSlot.length * 2));
            int s = denseSlot[i] - 1;
            if (s < 0) {
                s = newSlot(id);
                denseSlot[i] = s + 1;
            }
            return s;
        }
        int s = sparseSlot.get(id);
        if (s < 0) {
            s = newSlot(id);
            sparseSlot.put(id, s);
        }
        return s;
    }

    private int newSlot(long id) {
        int s = slotId.size();
        slotId.add(id);
        slotDef.add(-1);
        return s;
    }

    private void mapping(int wire) throws IOException {
        int old = beginMessage(wire, "a mapping");
        long[] m = new long[6];
        for (int tag; (tag = in.readTag()) != 0; ) {
            int f = WireFormat.getTagFieldNumber(tag);
            if (f >= 1 && f <= 6) m[f - 1] = int64(WireFormat.getTagWireType(tag));
            else skip(tag);
        }
        endMessage(old);
        mappings.add(m);
    }

    private void location(int wire) throws IOException {
        int old = beginMessage(wire, "a location");
        long id = 0, mappingId = 0, address = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            int w = WireFormat.getTagWireType(tag);
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> id = int64(w);
                case 2 -> mappingId = int64(w);
                case 3 -> address = int64(w);
                case 4 -> line(w);
                default -> skip(tag);
            }
        }
        endMessage(old);
        int def = locAddress.size();
        locAddress.add(address);
        locMapping.add(mappingId);
        locLineEnd.add(lineFunc.size());
        int slot = slotOf(id);
        if (slotDef.get(slot) >= 0) throw new FormatError("location id " + Long.toUnsignedString(id) + " is defined twice");
        slotDef.set(slot, def);
    }

    private void line(int wire) throws IOException {
        int old = beginMessage(wire, "a line");
        long func = 0, line = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            int w = WireFormat.getTagWireType(tag);
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> func = int64(w);
                case 2 -> line = int64(w);
                default -> skip(tag);
            }
        }
        endMessage(old);
        lineFunc.add(func);
        lineNo.add(line);
    }

    private void function(int wire) throws IOException {
        int old = beginMessage(wire, "a function");
        long id = 0, name = 0, systemName = 0, file = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            int w = WireFormat.getTagWireType(tag);
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> id = int64(w);
                case 2 -> name = int64(w);
                case 3 -> systemName = int64(w);
                case 4 -> file = int64(w);
                default -> skip(tag);
            }
        }
        endMessage(old);
        if (funcById.get(id) >= 0) throw new FormatError("function id " + Long.toUnsignedString(id) + " is defined twice");
        funcById.put(id, funcName.size());
        funcName.add(name);
        funcSystemName.add(systemName);
        funcFile.add(file);
    }
}
