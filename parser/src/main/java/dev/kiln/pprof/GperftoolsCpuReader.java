// SPDX-License-Identifier: Apache-2.0
package dev.kiln.pprof;

import dev.kiln.job.ProgressSink;
import dev.kiln.model.FrameKind;
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
import java.util.List;

/**
 * Reads the legacy binary CPU profile of gperftools' {@code libprofiler} ({@code CPUPROFILE=...}), which Go before
 * 1.9 also wrote and {@code go tool pprof} still reads: machine words (32 or 64 bits, either byte order, told by
 * the header {@code 0, 3, 0, period_us, 0}), then records {@code count, depth, pc...} (leaf first) up to the
 * end marker {@code 0, 1, 0}, then the process's memory map as text ({@link LegacyMemoryMap}). A Java profilez
 * CPU profile has the same words with header {@code 0, 3, 1, period_us, 0}, and after the end marker one text line
 * per pc naming its Java frame ({@link JavaLegacyProfileParser.Locations}); its pcs are ids, not adjusted.
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
    /** Producer of a Java profilez CPU profile (the same words, header word 3 = 1, then Java locations as text). */
    public static final String JAVA_PRODUCER = "Java profilez CPU profile (legacy binary)";
    static final int MAX_FRAMES = 10_000;

    private GperftoolsCpuReader() { }

    /** Whether the first bytes are this format's header (in any of its four word layouts). */
    public static boolean looksLike(byte[] head, int length) { return layout(head, length) != null; }

    /** The words' layout, and whether the third header word says a Java profile (1) rather than C++ (0). */
    private record Layout(int wordBytes, ByteOrder order, boolean java) { }

    private static Layout layout(byte[] head, int length) {
        for (int w : new int[] {8, 4}) {
            if (length < 5 * w) continue;
            for (ByteOrder o : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
                ByteBuffer b = ByteBuffer.wrap(head, 0, 5 * w).order(o);
                long[] v = new long[5];
                for (int i = 0; i < 5; i++) v[i] = w == 8 ? b.getLong() : Integer.toUnsignedLong(b.getInt());
                if (v[0] == 0 && v[1] == 3 && (v[2] == 0 || v[2] == 1) && v[3] > 0 && v[3] < 1_000_000_000L && v[4] == 0) return new Layout(w, o, v[2] == 1);
            }
        }
        return null;
    }

    public static Profile read(InputStream in, String fileName, ProgressSink progress) throws IOException, ProfileFormatException {
        byte[] data = in.readAllBytes();
        Layout l = layout(data, data.length);
        if (l == null) throw new ProfileFormatException(fileName, 0, "not a gperftools CPU profile (no header 0, 3, 0 or 0, 3, 1)");
        ByteBuffer buf = ByteBuffer.wrap(data).order(l.order());
        int w = l.wordBytes();
        buf.position(3 * w);
        long periodMicros = word(buf, w);
        buf.position(5 * w);
        long periodNanos = periodMicros * 1000;
        ValueType samples = new ValueType("samples", "count"), cpu = new ValueType("cpu", "nanoseconds");
        ProfileBuilder b = new ProfileBuilder(SourceFormat.PPROF_LEGACY, fileName).producer(l.java() ? JAVA_PRODUCER : PRODUCER);
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
            if (!l.java()) for (int i = 2; i < r.length; i++) r[i]--; // return addresses: land on the call
            if (!l.java() && r.length > 2 && r[1] == r[2] + 1) { // the signal handler's duplicate of the leaf
                long[] shorter = new long[r.length - 1];
                shorter[0] = r[0];
                shorter[1] = r[1];
                System.arraycopy(r, 3, shorter, 2, r.length - 3);
                r = shorter;
            }
            records.add(r);
            if (++recordsSeen % 4096 == 0) { progress.checkCancelled(); progress.progress(buf.position(), data.length, "CPU samples"); }
        }
        String tail = ended ? new String(data, buf.position(), data.length - buf.position(), StandardCharsets.UTF_8) : "";
        if (!tail.isEmpty() && !tail.endsWith("\n")) { // the text after the words is cut inside its last line
            tail = tail.substring(0, tail.lastIndexOf('\n') + 1);
            b.incomplete("The " + (l.java() ? "locations" : "memory map") + " after the samples are cut (the file ends inside"
                    + " a line): that line was not read, and frames it would name are <unknown>");
        }
        if (!ended) {
            b.incomplete("The profile ends before its end-of-data marker: the file is cut; the " + records.size()
                    + " complete records were kept, and without the " + (l.java() ? "locations" : "memory map")
                    + " its frames are <unknown>");
        }
        int[] frames = new int[MAX_FRAMES];
        if (l.java()) {
            JavaLegacyProfileParser.Locations locations = JavaLegacyProfileParser.Locations.parse(tail, b);
            for (long[] r : records) {
                for (int i = 1; i < r.length; i++) frames[i - 1] = locations.frame(r[i]);
                t.add(r.length == 1 ? -1 : b.stackOfLeafFirst(frames, r.length - 1), -1, 0, -1, -1, new long[] {r[0], r[0] * periodNanos});
            }
            if (ended && locations.unnamed > 0) {
                b.incomplete(locations.unnamed + " frames have no location line (the file looks cut); they are named <unknown>");
            }
        } else {
            LegacyMemoryMap map = new LegacyMemoryMap(b);
            for (String line : tail.split("\n")) map.line(line);
            for (long[] r : records) {
                for (int i = 1; i < r.length; i++) frames[i - 1] = b.frame(map.functionAt(r[i]), 0, -1, FrameKind.UNKNOWN, r[i]);
                t.add(r.length == 1 ? -1 : b.stackOfLeafFirst(frames, r.length - 1), -1, 0, -1, -1, new long[] {r[0], r[0] * periodNanos});
            }
        }
        b.count(PprofReader.SAMPLE_COUNT_KEY, records.size());
        b.comment((l.java() ? "Java profilez CPU profile: " : "gperftools CPU profile: ") + w * 8 + "-bit words, " + (l.order() == ByteOrder.BIG_ENDIAN ? "big" : "little")
                + "-endian, sampling every " + periodMicros + " µs");
        return b.build();
    }

    private static long word(ByteBuffer b, int w) { return w == 8 ? b.getLong() : Integer.toUnsignedLong(b.getInt()); }
}
