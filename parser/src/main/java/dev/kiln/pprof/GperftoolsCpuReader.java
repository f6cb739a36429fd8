// SPDX-License-Identifier: Apache-2.0
package dev.kiln.pprof;

import dev.kiln.job.ProgressSink;
import dev.kiln.model.FrameKind;
import dev.kiln.model.Mapping;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileBuilder;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.SourceFormat;
import dev.kiln.model.ValueType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the legacy binary CPU profile of gperftools' {@code libprofiler} ({@code CPUPROFILE=...}), which Go before
 * 1.9 also wrote and {@code go tool pprof} still reads: machine words (32 or 64 bits, either byte order, told by
 * the header {@code 0, 3, 0, period_us, 0}), then records {@code count, depth, pc...} (leaf first) up to the
 * end marker {@code 0, 1, 0}, then the process's memory map as text.
 *
 * <p>Guarantees, as {@code go tool pprof} reads the file: value types {@code samples/count} and
 * {@code cpu/nanoseconds} (count times the period), period type {@code cpu/nanoseconds}; every address but the
 * leaf is its return address minus one, and a second frame equal to the leaf (the signal handler's duplicate) is
 * dropped; frames are unsymbolized, named {@code [file]} after the base name of the mapping they fall in, or
 * {@code <unknown>}, the address kept. A file that ends before the end marker keeps its complete records and is
 * flagged incomplete (also one cut inside a record). A depth above {@value #MAX_FRAMES} frames is a format error.
 */
public final class GperftoolsCpuReader {
    public static final String PRODUCER = "gperftools CPU profiler (legacy binary)";
    static final int MAX_FRAMES = 10_000;
    private static final Pattern MAPS_LINE = Pattern.compile(
            "([0-9a-fA-F]+)-([0-9a-fA-F]+)\\s+\\S+\\s+([0-9a-fA-F]+)\\s+\\S+\\s+\\d+\\s*(.*)");

    private GperftoolsCpuReader() { }

    /** Whether the first bytes are this format's header (in any of its four word layouts). */
    public static boolean looksLike(byte[] head, int length) { return layout(head, length) != null; }

    private record Layout(int wordBytes, ByteOrder order) { }

    private static Layout layout(byte[] head, int length) {
        for (int w : new int[] {8, 4}) {
            if (length < 5 * w) continue;
            for (ByteOrder o : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
                ByteBuffer b = ByteBuffer.wrap(head, 0, 5 * w).order(o);
                long[] v = new long[5];
                for (int i = 0; i < 5; i++) v[i] = w == 8 ? b.getLong() : Integer.toUnsignedLong(b.getInt());
                if (v[0] == 0 && v[1] == 3 && v[2] == 0 && v[3] > 0 && v[3] < 1_000_000_000L && v[4] == 0) return new Layout(w, o);
            }
        }
        return null;
    }

    public static Profile read(InputStream in, String fileName, ProgressSink progress) throws IOException, ProfileFormatException {
        byte[] data = in.readAllBytes();
        Layout l = layout(data, data.length);
        if (l == null) throw new ProfileFormatException(fileName, 0, "not a gperftools CPU profile (no header 0, 3, 0)");
        ByteBuffer buf = ByteBuffer.wrap(data).order(l.order());
        int w = l.wordBytes();
        buf.position(3 * w);
        long periodMicros = word(buf, w);
        buf.position(5 * w);
        long periodNanos = periodMicros * 1000;
        ValueType samples = new ValueType("samples", "count"), cpu = new ValueType("cpu", "nanoseconds");
        ProfileBuilder b = new ProfileBuilder(SourceFormat.PPROF_LEGACY, fileName).producer(PRODUCER);
        b.period(cpu, periodNanos).defaultValueType(cpu);
        ProfileBuilder.SampleTableBuilder t = b.sampleTable(PprofReader.TABLE_NAME, List.of(samples, cpu), false, false, false);
        List<long[]> records = new ArrayList<>(); // count, then addresses leaf first (adjusted)
        boolean ended = false;
        long recordsSeen = 0;
        while (buf.remaining() >= 2L * w) {
            long offset = buf.position();
            long count = word(buf, w), depth = word(buf, w);
            if (depth < 0 || depth > MAX_FRAMES) { // a negative word is a huge unsigned one
                throw new ProfileFormatException(fileName, offset, "a record at byte " + offset + " declares "
                        + Long.toUnsignedString(depth) + " frames, more than the " + MAX_FRAMES + " a stack can have");
            }
            if (depth > buf.remaining() / w) break; // the file is cut inside this record: flagged below
            long[] r = new long[(int) depth + 1];
            r[0] = count;
            for (int i = 0; i < depth; i++) r[i + 1] = word(buf, w);
            if (count == 0 && depth == 1 && r[1] == 0) { ended = true; break; }
            for (int i = 2; i < r.length; i++) r[i]--; // return addresses: land on the call
            if (r.length > 2 && r[1] == r[2] + 1) { // the signal handler's duplicate of the leaf
                long[] shorter = new long[r.length - 1];
                shorter[0] = r[0];
                shorter[1] = r[1];
                System.arraycopy(r, 3, shorter, 2, r.length - 3);
                r = shorter;
            }
            records.add(r);
            if (++recordsSeen % 4096 == 0) { progress.checkCancelled(); progress.progress(buf.position(), data.length, "CPU samples"); }
        }
        List<long[]> maps = new ArrayList<>();
        List<Integer> mapFunc = new ArrayList<>();
        Map<String, Integer> funcByName = new HashMap<>();
        if (ended) {
            String text = new String(data, buf.position(), data.length - buf.position(), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                Matcher m = MAPS_LINE.matcher(line.trim());
                if (!m.matches()) continue;
                String file = m.group(4).trim();
                long start = Long.parseUnsignedLong(m.group(1), 16), limit = Long.parseUnsignedLong(m.group(2), 16);
                if (file.isEmpty() || file.startsWith("[") || Long.compareUnsigned(limit, start) <= 0) continue;
                b.mapping(new Mapping(start, limit, Long.parseUnsignedLong(m.group(3), 16), file, ""));
                String name = "[" + file.substring(file.lastIndexOf('/') + 1) + "]";
                maps.add(new long[] {start, limit});
                mapFunc.add(funcByName.computeIfAbsent(name, n -> b.function(n, "", "")));
            }
        } else {
            b.incomplete("The profile ends before its end-of-data marker: the file is cut; the " + records.size()
                    + " complete records were kept, and without the memory map its frames are <unknown>");
        }
        int unknown = -1;
        int[] frames = new int[MAX_FRAMES];
        for (long[] r : records) {
            int n = 0;
            for (int i = 1; i < r.length; i++) {
                int fn = -1;
                for (int m = 0; m < maps.size() && fn < 0; m++) {
                    if (Long.compareUnsigned(r[i], maps.get(m)[0]) >= 0 && Long.compareUnsigned(r[i], maps.get(m)[1]) < 0) fn = mapFunc.get(m);
                }
                if (fn < 0) {
                    if (unknown < 0) unknown = b.function("<unknown>", "", "");
                    fn = unknown;
                }
                frames[n++] = b.frame(fn, 0, -1, FrameKind.UNKNOWN, r[i]);
            }
            t.add(n == 0 ? -1 : b.stackOfLeafFirst(frames, n), -1, 0, -1, -1, new long[] {r[0], r[0] * periodNanos});
        }
        b.count(PprofReader.SAMPLE_COUNT_KEY, records.size());
        b.comment("gperftools CPU profile: " + w * 8 + "-bit words, " + (l.order() == ByteOrder.BIG_ENDIAN ? "big" : "little")
                + "-endian, sampling every " + periodMicros + " µs");
        return b.build();
    }

    private static long word(ByteBuffer b, int w) { return w == 8 ? b.getLong() : Integer.toUnsignedLong(b.getInt()); }
}
