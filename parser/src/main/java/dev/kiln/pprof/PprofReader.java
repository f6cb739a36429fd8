// SPDX-License-Identifier: Apache-2.0
package dev.kiln.pprof;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.FrameKind;
import dev.kiln.model.GoNames;
import dev.kiln.model.IntList;
import dev.kiln.model.Mapping;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileBuilder;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.SourceFormat;
import dev.kiln.model.ValueType;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * Reads a Go pprof profile ({@code profile.proto}, as written by {@code runtime/pprof}, async-profiler's
 * converter and other pprof writers) from an <em>uncompressed</em> protobuf stream into a {@link Profile}, in two
 * halves: {@link PprofDecoder} decodes the message field by field into primitive buffers (unknown fields are
 * skipped), and this class's resolver, which extends it, checks the ids and string indices and builds the profile.
 *
 * <p>What the resulting profile holds:
 * <ul>
 *   <li>One sample table named {@value #TABLE_NAME} with one weight column per {@code sample_type}, in file order,
 *       with the exact type and unit strings of the file; no time column; a label column only when some sample has
 *       labels. Every pprof {@code Sample} record becomes exactly one row, including records without locations
 *       (their stack is -1) and records whose values are all zero.</li>
 *   <li>Stacks: a sample's locations are listed leaf first; a location with several lines (inlined calls) becomes
 *       several frames, {@code line[0]} being the innermost. All frames of a location but the last (outermost) one
 *       are {@link FrameKind#INLINED}, the outermost one is {@link FrameKind#UNKNOWN} (pprof says nothing about how
 *       code ran). Every frame carries its location's address. A location without lines becomes a frame of a
 *       function named as {@code go tool pprof -top} names it: {@code [file]} after its mapping's file's base name,
 *       {@code <unknown>} without a mapping file; the address stays on the frame.</li>
 *   <li>Functions: the qualified name is pprof's function {@code name} ({@code system_name} when the name is
 *       empty), the file is its {@code filename}, the container is the Go package ({@code runtime/pprof} for
 *       {@code runtime/pprof.writeGoroutine}, {@code main} for {@code main.(*jobQueue).idleWorker}); for profiles
 *       produced by async-profiler it is the part before the last {@code .} (the Java class) or {@code ::} (C++).</li>
 *   <li>Labels: string labels and numeric labels (with their {@code num_unit}) as interned label sets; like pprof,
 *       a label with neither a string, a number nor a unit is dropped.</li>
 *   <li>Metadata: period type and period, {@code time_nanos} and {@code duration_nanos}, comments (plus
 *       {@code drop_frames: ...} / {@code keep_frames: ...} comments when the file sets them), mappings, the count
 *       {@code pprof.Sample} of sample records, and the default value type: {@code default_sample_type} when set
 *       and known, else the <em>last</em> sample type, which is what {@code go tool pprof} shows by default.
 *       Producer: {@code async-profiler} when a comment says "Produced by async-profiler", {@code Go runtime/pprof}
 *       when a function lives in Go's {@code runtime} package or in a {@code .go} file, otherwise "" (pprof files
 *       have no producer field).</li>
 * </ul>
 *
 * <p>Guarantees: the input may list samples before the string table, locations and functions (the message is held
 * in memory while it is read, at most 2 GiB: everything but the samples is decoded first, then the samples a range
 * at a time, the next ranges on another thread); ids need not be dense or ordered. Any malformed input
 * (truncated, garbled, wrong wire types, dangling ids, bad string indices, a declared length larger than the data)
 * ends in a {@link ProfileFormatException} naming the file, with the byte offset where known, never in another
 * exception type, a hang or an allocation proportional to a declared (rather than actual) length. An
 * {@link IOException} of the underlying stream itself (e.g. a broken gzip layer) is passed on unchanged.
 * Cancellation through {@link ProgressSink#checkCancelled()} surfaces as a {@link CancellationException}.
 */
public final class PprofReader {
    /** Name of the single sample table a pprof profile becomes. */
    public static final String TABLE_NAME = "pprof";
    /** Event-count key under which the number of {@code Sample} records is stored. */
    public static final String SAMPLE_COUNT_KEY = "pprof.Sample";

    private PprofReader() { }

    /**
     * Reads a whole pprof profile.
     *
     * @param uncompressedProtobuf the protobuf bytes (already gunzipped); read to its end, not closed
     * @param fileName             name used in the profile and in error messages
     * @param progress             receives progress (bytes read, then samples resolved) and is checked for
     *                             cancellation every few thousand samples
     * @throws ProfileFormatException when the bytes are not a valid pprof profile
     * @throws IOException           when the stream itself fails
     */
    public static Profile read(InputStream uncompressedProtobuf, String fileName, ProgressSink progress)
            throws ProfileFormatException, IOException {
        return read(uncompressedProtobuf, fileName, progress, 0);
    }

    /**
     * Like {@link #read(InputStream, String, ProgressSink)}, with the stream's length when known (e.g. from a gzip
     * file's trailer; 0 when not): the message is then read into one array of that length, not copied. A wrong
     * length costs a copy, never a wrong result; the caller bounds it (it is allocated before it is checked).
     */
    public static Profile read(InputStream uncompressedProtobuf, String fileName, ProgressSink progress, long expectedLength)
            throws ProfileFormatException, IOException {
        ProgressSink p = progress == null ? ProgressSink.NONE : progress;
        return new Resolver(PprofDecoder.readAll(uncompressedProtobuf, fileName, p, expectedLength), fileName, p).run();
    }

    /** A format problem found after decoding, while resolving ids; converted to ProfileFormatException. */
    static final class BadProfile extends Exception {
        BadProfile(String message) { super(message, null, false, false); }
    }

    /**
     * Decodes the message but the samples (see {@link PprofDecoder}), resolves what it buffered, then decodes and
     * resolves the samples range by range ({@link PprofSamples}, {@link PprofSampleRows}).
     */
    private static final class Resolver extends PprofDecoder {
        Resolver(Bytes bytes, String fileName, ProgressSink progress) {
            super(bytes, fileName, progress);
        }

        Profile run() throws ProfileFormatException, IOException {
            try {
                decodeProfile();
                return resolve();
            } catch (InvalidProtocolBufferException e) {
                throw new ProfileFormatException(fileName, offset(), ProtoFields.describe(e), e);
            } catch (PprofSamples.Failure e) {
                throw new ProfileFormatException(fileName, e.offset, ProtoFields.describe(e.reason), e.reason);
            } catch (BadProfile e) {
                throw new ProfileFormatException(fileName, -1, "not a valid pprof profile: " + e.getMessage());
            } catch (CancellationException e) {
                throw e;
            } catch (RuntimeException e) {
                // Defensive: garbage that slips past the checks must still end as a format error.
                throw new ProfileFormatException(fileName, offset(), "not a valid pprof profile: the data is inconsistent ("
                        + e.getClass().getSimpleName() + ")", e);
            }
        }

        // ---- resolving ----

        private String str(long index, String what) throws BadProfile {
            if (index < 0 || index >= strings.size()) {
                throw new BadProfile(what + " refers to string " + Long.toUnsignedString(index) + " but the string table has "
                        + strings.size() + " entries");
            }
            return strings.get((int) index);
        }

        private Profile resolve() throws BadProfile, PprofSamples.Failure {
            if (length == 0) throw new BadProfile("the file is empty");
            if (strings.isEmpty() || !strings.get(0).isEmpty()) {
                throw new BadProfile("the string table is missing or does not start with an empty string");
            }
            ProfileBuilder b = new ProfileBuilder(SourceFormat.PPROF, fileName);

            List<String> comments = new ArrayList<>();
            for (int i = 0; i < commentIdx.size(); i++) comments.add(str(commentIdx.get(i), "a comment"));
            boolean asyncProfiler = comments.stream().anyMatch(c -> c.contains("async-profiler"));

            // Value types.
            int nTypes = sampleTypeType.size();
            List<ValueType> types = new ArrayList<>(nTypes);
            for (int i = 0; i < nTypes; i++) {
                ValueType vt = new ValueType(str(sampleTypeType.get(i), "a sample type"), str(sampleTypeUnit.get(i), "a sample type"));
                if (types.contains(vt)) throw new BadProfile("sample type " + vt + " occurs twice");
                types.add(vt);
            }

            // Functions.
            boolean goRuntime = false;
            int[] funcIndex = new int[funcName.size()];
            for (int f = 0; f < funcIndex.length; f++) {
                String name = str(funcName.get(f), "a function name");
                if (name.isEmpty()) name = str(funcSystemName.get(f), "a function system name");
                if (name.isEmpty()) name = "<unknown>";
                String file = str(funcFile.get(f), "a function file name");
                if (name.startsWith("runtime.") || file.endsWith(".go")) goRuntime = true;
                funcIndex[f] = b.function(name, asyncProfiler ? javaContainer(name) : GoNames.packageOf(name), file);
            }

            // Unsymbolized locations are named as pprof names them at function granularity: by their mapping's
            // file ("[server]"), or <unknown> without one; the address stays on the frame.
            Map<Long, Integer> unsymbolizedFunc = new HashMap<>();
            for (long[] m : mappings) {
                String file = str(m[4], "a mapping file name");
                String base = file.substring(file.lastIndexOf('/') + 1);
                unsymbolizedFunc.putIfAbsent(m[0], b.function(base.isEmpty() ? "<unknown>" : "[" + base + "]", "", ""));
            }
            int unknownFunc = -1;

            // Locations -> frames, leaf first, flattened per slot (a location's slot is its definition's index).
            int slots = locAddress.size();
            int[] slotFrameEnd = new int[slots];
            IntList slotFrames = new IntList(Math.max(16, slots * 2));
            for (int s = 0; s < slots; s++) {
                int def = s;
                long address = locAddress.get(def);
                int lineStart = def == 0 ? 0 : locLineEnd.get(def - 1), lineEnd = locLineEnd.get(def);
                if (lineStart == lineEnd) {
                    Integer fn = unsymbolizedFunc.get(locMapping.get(def));
                    if (fn == null) {
                        if (unknownFunc < 0) unknownFunc = b.function("<unknown>", "", "");
                        fn = unknownFunc;
                    }
                    slotFrames.add(b.frame(fn, 0, -1, FrameKind.UNKNOWN, address));
                }
                for (int l = lineStart; l < lineEnd; l++) {
                    long fid = lineFunc.get(l);
                    int fdef = funcById.get(fid);
                    int fn;
                    if (fdef >= 0) {
                        fn = funcIndex[fdef];
                    } else if (fid == 0) {
                        fn = b.function(String.format("0x%x", address), "", "");
                    } else {
                        throw new BadProfile("location " + Long.toUnsignedString(locId.get(s)) + " refers to function id "
                                + Long.toUnsignedString(fid) + ", which the file does not define");
                    }
                    long ln = lineNo.get(l);
                    int line = ln < 0 || ln > Integer.MAX_VALUE ? 0 : (int) ln;
                    FrameKind kind = l < lineEnd - 1 ? FrameKind.INLINED : FrameKind.UNKNOWN;
                    slotFrames.add(b.frame(fn, line, -1, kind, address));
                }
                slotFrameEnd[s] = slotFrames.size();
            }

            // Samples, a range at a time: the next ranges are decoded on another thread while one is resolved.
            ProfileBuilder.SampleTableBuilder table = b.sampleTable(TABLE_NAME, types, false, false, true);
            table.ensure(sampleCount);
            PprofSampleRows rows = new PprofSampleRows(b, table, slotFrameEnd, slotFrames, strings, nTypes);
            try (PprofSamples.Ranges ranges = new PprofSamples.Ranges(this)) {
                for (int r = 0; r < sampleRangeStart.size(); r++) {
                    progress.checkCancelled();
                    rows.add(ranges.next());
                    progress.progress(table.size(), sampleCount, "Resolving pprof samples");
                }
            }
            progress.progress(sampleCount, sampleCount, "Resolving pprof samples");
            releaseBytes();

            // Metadata.
            if (periodTypeType >= 0) {
                b.period(new ValueType(str(periodTypeType, "the period type"), str(periodTypeUnit, "the period type")), period);
            } else if (period != 0) {
                b.period(null, period);
            }
            b.timeSpan(timeNanos, durationNanos);
            if (!types.isEmpty()) {
                ValueType dflt = types.get(types.size() - 1);
                if (defaultSampleType != 0) {
                    String kind = str(defaultSampleType, "default_sample_type");
                    for (ValueType t : types) {
                        if (t.kind().equals(kind)) { dflt = t; break; }
                    }
                }
                b.defaultValueType(dflt);
            }
            for (String c : comments) b.comment(c);
            if (dropFrames != 0) b.comment("drop_frames: " + str(dropFrames, "drop_frames"));
            if (keepFrames != 0) b.comment("keep_frames: " + str(keepFrames, "keep_frames"));
            for (long[] m : mappings) {
                b.mapping(new Mapping(m[1], m[2], m[3], str(m[4], "a mapping file name"), str(m[5], "a mapping build id")));
            }
            b.count(SAMPLE_COUNT_KEY, sampleCount);
            b.producer(asyncProfiler ? "async-profiler" : goRuntime ? "Go runtime/pprof" : "");
            return b.build();
        }
    }

    /**
     * Class of an async-profiler frame name: the text before the last {@code ::} (C++) or else before the last
     * {@code .} ({@code java/util/HashMap.get} gives {@code java/util/HashMap}); empty when there is neither.
     */
    static String javaContainer(String name) {
        int paren = name.indexOf('(');
        String head = paren < 0 ? name : name.substring(0, paren);
        int colons = head.lastIndexOf("::");
        if (colons > 0) return head.substring(0, colons);
        int dot = head.lastIndexOf('.');
        return dot <= 0 ? "" : head.substring(0, dot);
    }
}
