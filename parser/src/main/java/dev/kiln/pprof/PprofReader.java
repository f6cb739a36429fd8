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
import java.util.Arrays;
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
 * <p>Guarantees: the input may list samples before the string table, locations and functions (everything is
 * buffered in primitive arrays and resolved at the end); ids need not be dense or ordered. Any malformed input
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
        return new Resolver(uncompressedProtobuf, fileName, progress == null ? ProgressSink.NONE : progress).run();
    }

    /** A format problem found after decoding, while resolving ids; converted to ProfileFormatException. */
    private static final class BadProfile extends Exception {
        BadProfile(String message) { super(message, null, false, false); }
    }

    /** Decodes the message (see {@link PprofDecoder}), then resolves what it buffered into the profile. */
    private static final class Resolver extends PprofDecoder {
        Resolver(InputStream stream, String fileName, ProgressSink progress) {
            super(stream, fileName, progress);
        }

        Profile run() throws ProfileFormatException, IOException {
            try {
                decodeProfile();
                return resolve();
            } catch (InvalidProtocolBufferException e) {
                if (e.getCause() instanceof IOException io && !(io instanceof InvalidProtocolBufferException)) throw io;
                throw new ProfileFormatException(fileName, offset(), describe(e), e);
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

        private Profile resolve() throws BadProfile {
            if (offset() == 0) throw new BadProfile("the file is empty");
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

            // Locations -> frames, leaf first, flattened per slot.
            int slots = slotId.size();
            int[] slotFrameEnd = new int[slots];
            IntList slotFrames = new IntList(Math.max(16, slots * 2));
            for (int s = 0; s < slots; s++) {
                int def = slotDef.get(s);
                if (def < 0) {
                    throw new BadProfile("a sample refers to location id " + Long.toUnsignedString(slotId.get(s))
                            + ", which the file does not define");
                }
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
                        throw new BadProfile("location " + Long.toUnsignedString(slotId.get(s)) + " refers to function id "
                                + Long.toUnsignedString(fid) + ", which the file does not define");
                    }
                    long ln = lineNo.get(l);
                    int line = ln < 0 || ln > Integer.MAX_VALUE ? 0 : (int) ln;
                    FrameKind kind = l < lineEnd - 1 ? FrameKind.INLINED : FrameKind.UNKNOWN;
                    slotFrames.add(b.frame(fn, line, -1, kind, address));
                }
                slotFrameEnd[s] = slotFrames.size();
            }

            // Samples.
            boolean withLabels = labelKey.size() > 0;
            ProfileBuilder.SampleTableBuilder table = b.sampleTable(TABLE_NAME, types, false, false, withLabels);
            int[] sampleStack = sampleStacks(b, slotFrameEnd, slotFrames);
            long[] row = new long[Math.max(1, nTypes)];
            int[] lk = new int[8], ls = new int[8], lu = new int[8];
            long[] ln = new long[8];
            int[] order = new int[8];
            int[] builderString = new int[strings.size()];
            Arrays.fill(builderString, -1);
            int prevLabelStart = -1, prevLabelEnd = -1, prevLabelSet = -1;
            int locStart = 0, valStart = 0, labelStart = 0;
            for (int r = 0; r < sampleCount; r++) {
                int locEnd = sampleLocEnd.get(r), valEnd = sampleValEnd.get(r), labelEnd = sampleLabelEnd.get(r);
                if (valEnd - valStart != nTypes) {
                    throw new BadProfile("sample " + (r + 1) + " has " + (valEnd - valStart) + " values but the profile has "
                            + nTypes + " sample types");
                }
                int stack = sampleStack[r];
                for (int v = 0; v < nTypes; v++) row[v] = values.get(valStart + v);
                int labelSet = -1;
                int nl = labelEnd - labelStart;
                if (nl > 0) {
                    if (prevLabelStart >= 0 && sameLabels(prevLabelStart, prevLabelEnd, labelStart, labelEnd)) {
                        labelSet = prevLabelSet;
                    } else {
                        if (nl > lk.length) {
                            lk = new int[nl];
                            ls = new int[nl];
                            lu = new int[nl];
                            ln = new long[nl];
                            order = new int[nl];
                        }
                        for (int i = 0; i < nl; i++) {
                            int j = labelStart + i;
                            lk[i] = mapString(b, builderString, labelKey.get(j), "a label key");
                            long sIdx = labelStr.get(j);
                            ls[i] = sIdx != 0 ? mapString(b, builderString, sIdx, "a label value") : -1;
                            lu[i] = sIdx == 0 && labelUnit.get(j) != 0
                                    ? mapString(b, builderString, labelUnit.get(j), "a label unit") : -1;
                        }
                        // All indices are valid now; intern the labels in canonical order.
                        labelOrder(labelStart, labelEnd, order);
                        for (int i = 0; i < nl; i++) {
                            int j = order[i];
                            long sIdx = labelStr.get(j);
                            lk[i] = builderString[(int) labelKey.get(j)];
                            ls[i] = sIdx != 0 ? builderString[(int) sIdx] : -1;
                            ln[i] = sIdx != 0 ? 0 : labelNum.get(j);
                            lu[i] = sIdx == 0 && labelUnit.get(j) != 0 ? builderString[(int) labelUnit.get(j)] : -1;
                        }
                        labelSet = b.labelSet(lk, ls, ln, lu, nl);
                        prevLabelSet = labelSet;
                    }
                    prevLabelStart = labelStart;
                    prevLabelEnd = labelEnd;
                }
                table.add(stack, -1, 0, -1, labelSet, row);
                locStart = locEnd;
                valStart = valEnd;
                labelStart = labelEnd;
                if ((r + 1) % CHECK_EVERY == 0) {
                    progress.checkCancelled();
                    progress.progress(r + 1, sampleCount, "Resolving pprof samples");
                }
            }
            progress.progress(sampleCount, sampleCount, "Resolving pprof samples");

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

        /**
         * The stack of every sample. pprof lists a sample's locations leaf first, and neighbouring samples often
         * share their callers: a sample starts from the stack of the root-most locations it shares with the sample
         * before it and interns only the rest. {@code depthStack[k]} is the stack of the root-most k + 1 locations of
         * the sample before.
         */
        private int[] sampleStacks(ProfileBuilder b, int[] slotFrameEnd, IntList slotFrames) {
            int[] out = new int[sampleCount];
            int[] depthStack = new int[64];
            int prevStart = 0, prevEnd = 0, locStart = 0;
            for (int r = 0; r < sampleCount; r++) {
                int locEnd = sampleLocEnd.get(r);
                int depth = locEnd - locStart, shared = 0;
                int maxShared = Math.min(depth, prevEnd - prevStart);
                while (shared < maxShared && locRefs.get(locEnd - 1 - shared) == locRefs.get(prevEnd - 1 - shared)) shared++;
                if (depth > depthStack.length) depthStack = Arrays.copyOf(depthStack, Math.max(depth, depthStack.length * 2));
                int stack = shared == 0 ? -1 : depthStack[shared - 1];
                for (int k = shared; k < depth; k++) {
                    int slot = locRefs.get(locEnd - 1 - k);
                    int fStart = slot == 0 ? 0 : slotFrameEnd[slot - 1];
                    for (int f = slotFrameEnd[slot] - 1; f >= fStart; f--) stack = b.stack(stack, slotFrames.get(f));
                    depthStack[k] = stack;
                }
                prevStart = locStart;
                prevEnd = locEnd;
                out[r] = stack;
                locStart = locEnd;
            }
            return out;
        }

        /**
         * Order of a sample's labels {@code start..end-1}, canonical (key, then string value, then number, then
         * unit), so that equal label sets written in different orders (Go writes them from a map) intern to one
         * set, as pprof treats them. Indices must already have been checked.
         */
        private int[] labelOrder(int start, int end, int[] order) {
            int n = end - start;
            for (int i = 0; i < n; i++) {
                int j = i;
                for (; j > 0 && compareLabel(order[j - 1], start + i) > 0; j--) order[j] = order[j - 1];
                order[j] = start + i;
            }
            return order;
        }

        private int compareLabel(int x, int y) {
            int c = strings.get((int) labelKey.get(x)).compareTo(strings.get((int) labelKey.get(y)));
            if (c != 0) return c;
            long sx = labelStr.get(x), sy = labelStr.get(y);
            if (sx != sy) {
                if (sx == 0 || sy == 0) return Long.compare(sx, sy);
                c = strings.get((int) sx).compareTo(strings.get((int) sy));
                if (c != 0) return c;
            }
            c = Long.compare(labelNum.get(x), labelNum.get(y));
            return c != 0 ? c : strings.get((int) labelUnit.get(x)).compareTo(strings.get((int) labelUnit.get(y)));
        }

        private boolean sameLabels(int aStart, int aEnd, int bStart, int bEnd) {
            if (aEnd - aStart != bEnd - bStart) return false;
            for (int i = 0; i < aEnd - aStart; i++) {
                int a = aStart + i, c = bStart + i;
                if (labelKey.get(a) != labelKey.get(c) || labelStr.get(a) != labelStr.get(c)
                        || labelNum.get(a) != labelNum.get(c) || labelUnit.get(a) != labelUnit.get(c)) return false;
            }
            return true;
        }

        private int mapString(ProfileBuilder b, int[] cache, long index, String what) throws BadProfile {
            String s = str(index, what);
            int i = (int) index;
            if (cache[i] < 0) cache[i] = b.string(s);
            return cache[i];
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
