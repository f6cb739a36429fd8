// SPDX-License-Identifier: Apache-2.0
package dev.kiln.export;

import com.google.protobuf.CodedOutputStream;
import dev.kiln.analysis.Filter;
import dev.kiln.analysis.FilteredStacks;
import dev.kiln.analysis.StackTransform;
import dev.kiln.analysis.Weight;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.LabelTable;
import dev.kiln.model.Profile;
import dev.kiln.model.SampleTable;
import dev.kiln.model.ValueType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes any {@link Profile} as a gzipped pprof protobuf ({@code profile.proto}'s Profile message), encoded
 * field by field, that {@code go tool pprof} reads. What the file holds:
 * <ul>
 * <li>one {@code sample_type} per exported {@link Weight}: its unit, and as type its kind, made unique by
 *     {@link #sampleTypeName}; {@code default_sample_type} is the first weight;</li>
 * <li>one sample per distinct (stack after the filter's hide/collapse, thread, label set), with the kept weight
 *     of every exported weight (rows of a weight are those {@link FilteredStacks} keeps); a sample whose values
 *     are all 0 is not written;</li>
 * <li>one location per profile frame used (its address, one line: function and source line), one function per
 *     function used (name, system name, file), one mapping that says functions, files and lines are present;</li>
 * <li>the thread name as a string label {@code thread}, and the sample's own pprof labels;</li>
 * <li>{@code time_nanos} (start of the capture, or of the time filter when later), {@code duration_nanos} (the
 *     capture's length clipped to the time filter), period type and period when the profile has them.</li>
 * </ul>
 * Weights summed over the same stack and thread therefore keep their totals per function exactly.
 */
public final class PprofWriter {
    // Field numbers of pprof's messages.
    private static final int P_SAMPLE_TYPE = 1, P_SAMPLE = 2, P_MAPPING = 3, P_LOCATION = 4, P_FUNCTION = 5,
            P_STRING = 6, P_TIME = 9, P_DURATION = 10, P_PERIOD_TYPE = 11, P_PERIOD = 12, P_COMMENT = 13,
            P_DEFAULT_TYPE = 14;
    private static final int VT_TYPE = 1, VT_UNIT = 2;
    private static final int S_LOCATION = 1, S_VALUE = 2, S_LABEL = 3;
    private static final int L_KEY = 1, L_STR = 2, L_NUM = 3, L_NUM_UNIT = 4;
    private static final int M_ID = 1, M_HAS_FUNCTIONS = 7, M_HAS_FILENAMES = 8, M_HAS_LINES = 9;
    private static final int LOC_ID = 1, LOC_MAPPING = 2, LOC_ADDRESS = 3, LOC_LINE = 4;
    private static final int LINE_FUNCTION = 1, LINE_LINE = 2;
    private static final int F_ID = 1, F_NAME = 2, F_SYSTEM_NAME = 3, F_FILE = 4;

    /** A sample key: derived stack, thread and label set. */
    private record Key(int stack, int thread, int labelSet) { }

    private PprofWriter() { }

    /** Writes the gzipped profile to {@code target} via {@link AtomicFiles}. */
    public static void write(Profile p, List<Weight> weights, Filter filter, Path target, ProgressSink progress) throws IOException {
        AtomicFiles.write(target, out -> write(p, weights, filter, out, progress));
    }

    /** Writes the gzipped profile to a stream (not closed). */
    public static void write(Profile p, List<Weight> weights, Filter filter, OutputStream out, ProgressSink progress) throws IOException {
        if (weights.isEmpty()) throw new IllegalArgumentException("no weight to export");
        GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16);
        writeProto(p, weights, filter, gz, progress);
        gz.finish();
    }

    private static void writeProto(Profile p, List<Weight> weights, Filter filter, OutputStream raw, ProgressSink progress) throws IOException {
        StackTransform transform = StackTransform.of(p, filter);
        int nw = weights.size();
        Map<Key, Integer> keyIndex = new HashMap<>();
        List<Key> keys = new ArrayList<>();
        long[][][] values = {new long[nw][256]}; // [0][weight][key], grown by doubling
        for (int w = 0; w < nw; w++) {
            Weight weight = weights.get(w);
            SampleTable t = weight.table();
            int col = w;
            FilteredStacks.of(transform, weight, filter, progress).forEach((row, stack, v) -> {
                int thread = t == null ? p.events().thread(row) : t.thread(row);
                int labels = t == null ? -1 : t.labelSet(row);
                Key k = new Key(stack, thread, labels);
                Integer i = keyIndex.get(k);
                if (i == null) {
                    i = keys.size();
                    keyIndex.put(k, i);
                    keys.add(k);
                    if (i == values[0][0].length) {
                        for (int c = 0; c < nw; c++) values[0][c] = Arrays.copyOf(values[0][c], i * 2);
                    }
                }
                values[0][col][i] += v;
            });
        }
        long[][] sums = values[0];

        Strings strings = new Strings();
        CodedOutputStream out = CodedOutputStream.newInstance(raw, 1 << 16);
        Message m = new Message();
        for (Weight w : weights) {
            m.out.writeInt64(VT_TYPE, strings.of(sampleTypeName(weights, w)));
            m.out.writeInt64(VT_UNIT, strings.of(w.type().unit()));
            m.writeTo(out, P_SAMPLE_TYPE);
        }
        boolean[] frameUsed = new boolean[p.frames().size()];
        boolean[] funcUsed = new boolean[p.functions().size()];
        int threadKey = strings.of("thread");
        LabelTable lt = p.labels();
        Message locs = new Message();
        for (int i = 0; i < keys.size(); i++) {
            if ((i & 0xFFF) == 0) progress.checkCancelled();
            boolean any = false;
            for (long[] l : sums) any |= l[i] != 0;
            if (!any) continue;
            Key k = keys.get(i);
            for (int s = k.stack; s >= 0; s = transform.parent(s)) {
                int f = transform.frame(s);
                frameUsed[f] = true;
                funcUsed[p.frames().func(f)] = true;
                locs.out.writeUInt64NoTag(f + 1L);
            }
            if (k.stack >= 0) locs.writeTo(m.out, S_LOCATION);
            for (long[] l : sums) m.body.out.writeInt64NoTag(l[i]);
            m.body.writeTo(m.out, S_VALUE);
            if (k.thread >= 0) {
                m.body.out.writeInt64(L_KEY, threadKey);
                m.body.out.writeInt64(L_STR, strings.of(p.threadName(k.thread)));
                m.body.writeTo(m.out, S_LABEL);
            }
            if (k.labelSet >= 0) {
                for (int l = lt.start(k.labelSet); l < lt.end(k.labelSet); l++) {
                    m.body.out.writeInt64(L_KEY, strings.of(p.string(lt.key(l))));
                    if (lt.str(l) >= 0) {
                        m.body.out.writeInt64(L_STR, strings.of(p.string(lt.str(l))));
                    } else {
                        m.body.out.writeInt64(L_NUM, lt.num(l));
                        if (lt.numUnit(l) > 0) m.body.out.writeInt64(L_NUM_UNIT, strings.of(p.string(lt.numUnit(l))));
                    }
                    m.body.writeTo(m.out, S_LABEL);
                }
            }
            m.writeTo(out, P_SAMPLE);
        }
        m.out.writeUInt64(M_ID, 1);
        m.out.writeBool(M_HAS_FUNCTIONS, true);
        m.out.writeBool(M_HAS_FILENAMES, true);
        m.out.writeBool(M_HAS_LINES, true);
        m.writeTo(out, P_MAPPING);
        for (int f = 0; f < frameUsed.length; f++) {
            if (!frameUsed[f]) continue;
            m.out.writeUInt64(LOC_ID, f + 1L);
            m.out.writeUInt64(LOC_MAPPING, 1);
            if (p.frames().address(f) != 0) m.out.writeUInt64(LOC_ADDRESS, p.frames().address(f));
            m.body.out.writeUInt64(LINE_FUNCTION, p.frames().func(f) + 1L);
            if (p.frames().line(f) > 0) m.body.out.writeInt64(LINE_LINE, p.frames().line(f));
            m.body.writeTo(m.out, LOC_LINE);
            m.writeTo(out, P_LOCATION);
        }
        for (int fn = 0; fn < funcUsed.length; fn++) {
            if (!funcUsed[fn]) continue;
            int name = strings.of(p.string(p.functions().name(fn)));
            m.out.writeUInt64(F_ID, fn + 1L);
            m.out.writeInt64(F_NAME, name);
            m.out.writeInt64(F_SYSTEM_NAME, name);
            if (p.functions().file(fn) > 0) m.out.writeInt64(F_FILE, strings.of(p.string(p.functions().file(fn))));
            m.writeTo(out, P_FUNCTION);
        }
        long start = p.startEpochNanos(), end = p.durationNanos() > 0 ? start + p.durationNanos() : 0;
        if (start != 0 && filter.fromNanos() > start) start = filter.fromNanos();
        if (end != 0 && filter.toNanos() < end) end = filter.toNanos();
        if (start != 0) out.writeInt64(P_TIME, start);
        if (end > start) out.writeInt64(P_DURATION, end - start);
        ValueType pt = p.periodType();
        if (pt != null && p.period() != 0) {
            m.out.writeInt64(VT_TYPE, strings.of(pt.kind()));
            m.out.writeInt64(VT_UNIT, strings.of(pt.unit()));
            m.writeTo(out, P_PERIOD_TYPE);
            out.writeInt64(P_PERIOD, p.period());
        }
        out.writeInt64(P_COMMENT, strings.of("exported by Kiln from " + p.sourceName()));
        out.writeInt64(P_DEFAULT_TYPE, strings.of(sampleTypeName(weights, weights.get(0))));
        // The string table last: every index above is already interned.
        for (String s : strings.list) out.writeString(P_STRING, s);
        out.flush();
    }

    /**
     * The pprof {@code sample_type} name of a weight: its kind ({@code cpu}), or {@code kind_unit}
     * ({@code park_nanoseconds}, {@code park_count}) when several exported weights share the kind, so that
     * {@code go tool pprof -sample_index=NAME} picks each one.
     */
    public static String sampleTypeName(List<Weight> weights, Weight w) {
        long same = weights.stream().filter(x -> x.type().kind().equals(w.type().kind())).count();
        return same > 1 ? w.type().kind() + "_" + w.type().unit() : w.type().kind();
    }

    /** The string table: index 0 is "". */
    private static final class Strings {
        final Map<String, Integer> index = new LinkedHashMap<>();
        final List<String> list = new ArrayList<>();

        Strings() { of(""); }

        int of(String s) {
            Integer i = index.get(s);
            if (i != null) return i;
            index.put(s, list.size());
            list.add(s);
            return list.size() - 1;
        }
    }

    /** A reusable buffer for one embedded message (and one nested level below it). */
    private static final class Message {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CodedOutputStream out = CodedOutputStream.newInstance(bytes, 256);
        Message body;

        Message() { this(true); }

        private Message(boolean nested) { if (nested) body = new Message(false); }

        /** Writes the collected bytes as field {@code field} of {@code target} and clears the buffer. */
        void writeTo(CodedOutputStream target, int field) throws IOException {
            out.flush();
            target.writeByteArray(field, bytes.toByteArray());
            bytes.reset();
        }
    }
}
