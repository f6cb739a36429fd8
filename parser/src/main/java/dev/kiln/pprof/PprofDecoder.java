// SPDX-License-Identifier: Apache-2.0
package dev.kiln.pprof;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.IntList;
import dev.kiln.model.LongIntMap;
import dev.kiln.model.LongList;
import dev.kiln.model.ProfileFormatException;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The first pass of {@link PprofReader} over a {@code profile.proto} message held in memory: decodes every top-level
 * field but the samples with {@link CodedInputStream} into primitive buffers, as the file has them (string indices,
 * ids, nothing resolved; the reader's resolving half, which extends this class, turns them into a profile), and
 * notes where the samples are, for {@link PprofSamples} to decode them range by range once the locations are known.
 * Unknown fields are skipped, packed and unpacked repeated integers are both read, and the top-level fields may come
 * in any order (samples before the string table, locations and functions).
 *
 * <p>Guarantees: a malformed message (truncated, wrong wire types, a negative length, a message that does not end
 * at its declared length, a location or function id defined twice) ends in an {@link InvalidProtocolBufferException}
 * whose reason {@link ProtoFields#describe} words for the user; a declared length larger than the data allocates
 * nothing. Each location gets a dense slot, its definition's index: ids below {@value #DENSE_ID_LIMIT} are looked up
 * through an array, larger ones through a hash map. The input is at most 2 GiB. Progress is reported every
 * {@value #PROGRESS_BYTES} bytes and cancellation checked every {@value #CHECK_EVERY} top-level fields.
 */
abstract class PprofDecoder {
    static final int CHECK_EVERY = 4096;
    /** Samples per range of {@link #sampleRangeStart}. */
    static final int RANGE_SAMPLES = 1 << 15;
    private static final int PROGRESS_BYTES = 1 << 20;
    /** Location ids up to this bound are looked up in a plain array; larger ones in a hash map. */
    private static final int DENSE_ID_LIMIT = 1 << 20;

    /** The whole message, {@code data[0, length)}; null once the samples are read ({@link #releaseBytes}). */
    byte[] data;
    final int length;
    private CodedInputStream in;
    final String fileName;
    final ProgressSink progress;

    // ---- raw top-level data ----
    final List<String> strings = new ArrayList<>();
    final LongList sampleTypeType = new LongList(), sampleTypeUnit = new LongList();
    long periodTypeType = -1, periodTypeUnit = -1, period, timeNanos, durationNanos;
    long defaultSampleType, dropFrames, keepFrames;
    final LongList commentIdx = new LongList();

    // ---- samples: how many, and the offset of the top-level tag of samples 0, RANGE_SAMPLES, 2 * RANGE_SAMPLES ...
    int sampleCount;
    final IntList sampleRangeStart = new IntList();

    // ---- locations, in definition order (a location's slot); the slot of each id ----
    private int[] denseSlot = new int[256]; // slot + 1, 0 = none
    private final LongIntMap sparseSlot = new LongIntMap();
    final LongList locId = new LongList(), locAddress = new LongList(), locMapping = new LongList();
    final IntList locLineEnd = new IntList();
    final LongList lineFunc = new LongList(), lineNo = new LongList();

    // ---- functions and mappings ----
    final LongIntMap funcById = new LongIntMap();
    final LongList funcName = new LongList(), funcSystemName = new LongList(), funcFile = new LongList();
    final List<long[]> mappings = new ArrayList<>(); // id, start, limit, offset, file, buildId

    PprofDecoder(Bytes bytes, String fileName, ProgressSink progress) {
        this.fileName = fileName;
        this.progress = progress;
        this.data = bytes.data();
        this.length = bytes.length();
        this.in = CodedInputStream.newInstance(data, 0, length);
        this.in.setSizeLimit(Integer.MAX_VALUE);
    }

    long offset() { return in == null ? length : in.getTotalBytesRead(); }

    /** Drops the message's bytes (the profile must not keep them). */
    void releaseBytes() {
        data = null;
        in = null;
    }

    /** A whole message: {@code data[0, length)}. */
    record Bytes(byte[] data, int length) { }

    /**
     * Reads the stream to its end into one array of its exact length, checking for cancellation: straight into one
     * array of {@code expectedLength} when that is given (e.g. by a gzip file's trailer; 0 when unknown) and right,
     * so that nothing is copied; otherwise into chunks (64 KiB, doubling up to 4 MiB), so that no array is copied as
     * it grows, then into one array of the length read.
     */
    static Bytes readAll(InputStream stream, String fileName, ProgressSink progress, long expectedLength)
            throws IOException, ProfileFormatException {
        List<byte[]> chunks = new ArrayList<>();
        long total = 0, nextProgress = PROGRESS_BYTES;
        if (expectedLength > 0 && expectedLength <= Integer.MAX_VALUE - 16) {
            byte[] all = new byte[(int) expectedLength];
            int at = 0;
            for (int n; at < all.length && (n = stream.readNBytes(all, at, Math.min(all.length - at, 4 << 20))) > 0; ) {
                at += n;
                progress.checkCancelled();
                progress.progress(at, -1, "Reading pprof profile");
            }
            if (at < all.length) return new Bytes(Arrays.copyOf(all, at), at); // shorter than said
            int more = stream.read();
            if (more < 0) return new Bytes(all, at); // the usual case: exactly as long as said
            chunks.add(all); // longer: the rest in chunks after it
            chunks.add(new byte[] {(byte) more});
            total = at + 1L;
            nextProgress = total + PROGRESS_BYTES;
        }
        for (int size = 1 << 16; ; size = Math.min(4 << 20, size * 2)) {
            byte[] chunk = new byte[size];
            int n = stream.readNBytes(chunk, 0, size);
            if (n < size) chunk = Arrays.copyOf(chunk, n);
            chunks.add(chunk);
            total += n;
            if (total > Integer.MAX_VALUE - 16) {
                throw new ProfileFormatException(fileName, total, "the profile is larger than 2 GiB uncompressed, more than Kiln reads");
            }
            if (total >= nextProgress) {
                progress.checkCancelled();
                progress.progress(total, -1, "Reading pprof profile");
                nextProgress = total + PROGRESS_BYTES;
            }
            if (n < size) break;
        }
        if (chunks.size() == 1) return new Bytes(chunks.get(0), (int) total);
        byte[] all = new byte[(int) total];
        int at = 0;
        for (byte[] c : chunks) {
            System.arraycopy(c, 0, all, at, c.length);
            at += c.length;
        }
        return new Bytes(all, (int) total);
    }

    /** The slot of a location id, or -1 when no location has it. Safe to call from any thread after decoding. */
    final int slotOf(long id) {
        if (id > 0 && id < DENSE_ID_LIMIT) return id < denseSlot.length ? denseSlot[(int) id] - 1 : -1;
        return sparseSlot.get(id);
    }

    // ---- decoding ----

    void decodeProfile() throws IOException {
        int fields = 0;
        while (true) {
            int at = (int) offset();
            int tag = in.readTag();
            if (tag == 0) break;
            int field = WireFormat.getTagFieldNumber(tag), wire = WireFormat.getTagWireType(tag);
            switch (field) {
                case 1 -> {
                    long[] vt = valueType(wire);
                    sampleTypeType.add(vt[0]);
                    sampleTypeUnit.add(vt[1]);
                }
                case 2 -> {
                    if (wire != WireFormat.WIRETYPE_LENGTH_DELIMITED) throw ProtoFields.wrongType("a sample");
                    if (sampleCount % RANGE_SAMPLES == 0) sampleRangeStart.add(at);
                    in.skipRawBytes(ProtoFields.length(in)); // decoded later, by PprofSamples
                    sampleCount++;
                }
                case 3 -> mapping(wire);
                case 4 -> location(wire);
                case 5 -> function(wire);
                case 6 -> {
                    if (wire != WireFormat.WIRETYPE_LENGTH_DELIMITED) throw ProtoFields.wrongType("string_table");
                    strings.add(new String(in.readRawBytes(ProtoFields.length(in)), java.nio.charset.StandardCharsets.UTF_8));
                }
                case 7 -> dropFrames = ProtoFields.int64(in, wire);
                case 8 -> keepFrames = ProtoFields.int64(in, wire);
                case 9 -> timeNanos = ProtoFields.int64(in, wire);
                case 10 -> durationNanos = ProtoFields.int64(in, wire);
                case 11 -> {
                    long[] vt = valueType(wire);
                    periodTypeType = vt[0];
                    periodTypeUnit = vt[1];
                }
                case 12 -> period = ProtoFields.int64(in, wire);
                case 13 -> ProtoFields.repeatedInt64(in, wire, commentIdx);
                case 14 -> defaultSampleType = ProtoFields.int64(in, wire);
                default -> ProtoFields.skip(in, tag);
            }
            if (++fields % CHECK_EVERY == 0) progress.checkCancelled();
        }
    }

    private long[] valueType(int wire) throws IOException {
        int old = ProtoFields.beginMessage(in, wire, "a value type");
        long type = 0, unit = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> type = ProtoFields.int64(in, WireFormat.getTagWireType(tag));
                case 2 -> unit = ProtoFields.int64(in, WireFormat.getTagWireType(tag));
                default -> ProtoFields.skip(in, tag);
            }
        }
        ProtoFields.endMessage(in, old);
        return new long[] {type, unit};
    }

    private void mapping(int wire) throws IOException {
        int old = ProtoFields.beginMessage(in, wire, "a mapping");
        long[] m = new long[6];
        for (int tag; (tag = in.readTag()) != 0; ) {
            int f = WireFormat.getTagFieldNumber(tag);
            if (f >= 1 && f <= 6) m[f - 1] = ProtoFields.int64(in, WireFormat.getTagWireType(tag));
            else ProtoFields.skip(in, tag);
        }
        ProtoFields.endMessage(in, old);
        mappings.add(m);
    }

    private void location(int wire) throws IOException {
        int old = ProtoFields.beginMessage(in, wire, "a location");
        long id = 0, mappingId = 0, address = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            int w = WireFormat.getTagWireType(tag);
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> id = ProtoFields.int64(in, w);
                case 2 -> mappingId = ProtoFields.int64(in, w);
                case 3 -> address = ProtoFields.int64(in, w);
                case 4 -> line(w);
                default -> ProtoFields.skip(in, tag);
            }
        }
        ProtoFields.endMessage(in, old);
        if (slotOf(id) >= 0) throw new ProtoFields.FormatError("location id " + Long.toUnsignedString(id) + " is defined twice");
        int slot = locAddress.size();
        locId.add(id);
        locAddress.add(address);
        locMapping.add(mappingId);
        locLineEnd.add(lineFunc.size());
        if (id > 0 && id < DENSE_ID_LIMIT) {
            int i = (int) id;
            if (i >= denseSlot.length) denseSlot = Arrays.copyOf(denseSlot, Math.max(i + 1, denseSlot.length * 2));
            denseSlot[i] = slot + 1;
        } else {
            sparseSlot.put(id, slot);
        }
    }

    private void line(int wire) throws IOException {
        int old = ProtoFields.beginMessage(in, wire, "a line");
        long func = 0, line = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            int w = WireFormat.getTagWireType(tag);
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> func = ProtoFields.int64(in, w);
                case 2 -> line = ProtoFields.int64(in, w);
                default -> ProtoFields.skip(in, tag);
            }
        }
        ProtoFields.endMessage(in, old);
        lineFunc.add(func);
        lineNo.add(line);
    }

    private void function(int wire) throws IOException {
        int old = ProtoFields.beginMessage(in, wire, "a function");
        long id = 0, name = 0, systemName = 0, file = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            int w = WireFormat.getTagWireType(tag);
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> id = ProtoFields.int64(in, w);
                case 2 -> name = ProtoFields.int64(in, w);
                case 3 -> systemName = ProtoFields.int64(in, w);
                case 4 -> file = ProtoFields.int64(in, w);
                default -> ProtoFields.skip(in, tag);
            }
        }
        ProtoFields.endMessage(in, old);
        if (funcById.get(id) >= 0) throw new ProtoFields.FormatError("function id " + Long.toUnsignedString(id) + " is defined twice");
        funcById.put(id, funcName.size());
        funcName.add(name);
        funcSystemName.add(systemName);
        funcFile.add(file);
    }
}
