// SPDX-License-Identifier: Apache-2.0
package dev.kiln.pprof;

import dev.kiln.model.FrameKind;
import dev.kiln.model.ProfileBuilder;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.ValueType;
import dev.kiln.pprof.GoText.LineReader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the legacy text profiles of Java servers that {@code go tool pprof} reads ({@code legacy_java_profile.go}):
 * {@code --- heapz 1 ---} and {@code --- contentionz 1 ---}, each followed by {@code key = value} attributes
 * ({@code format = java}, {@code resolution = <unit>}, {@code sampling period}, {@code ms since reset}), records
 * {@code <value> <count> @ <ids>} (the opposite order to the C++ and Go records), and one line per id naming its
 * frame: {@code 0x<id> <method> (<file>:<line>)}, {@code 0x<id> <method> (<library path>)}, or a bare name such as
 * {@code GC} or {@code VM}. The ids are not return addresses: they are not adjusted.
 *
 * <p>Guarantees, as pprof reads them: a heap profile has value types {@code inuse_objects/count} and
 * {@code inuse_space/<resolution>}, each record unsampled at Java's fixed rate of 512 KiB with pprof's
 * {@code scaleHeapSample} and labelled {@code bytes} (its average object size); a contention profile has
 * {@code contentions/count} and {@code delay/<resolution>}, both multiplied by the sampling period (pprof gives
 * contentions the resolution's unit too; Kiln counts them), duration from {@code ms since reset}. The default value
 * type is the last. A frame's method is its function (its package the container), its file the base name of a
 * library path; an id no line names is {@value LegacyMemoryMap#UNKNOWN}. The text ends after the last location
 * line; one cut inside its records keeps the complete ones and is flagged incomplete, and so is one cut before
 * every record's ids are named. A heap record of 0 objects is a format error, as in pprof.
 */
final class JavaLegacyProfileParser extends GoTextParser {
    static final Pattern HEADER = Pattern.compile("--- (heapz|contentionz) 1 ---\\s*");
    private static final Pattern ATTRIBUTE = Pattern.compile("\\s*([\\w ]+?)\\s*=\\s*([\\w ]+?)\\s*");
    private static final Pattern RECORD = Pattern.compile(" *(\\d+) +(\\d+) +@ +((?:0x[0-9a-fA-F]+ *)*)");
    /** Java's heapz samples once per 512 KiB allocated (pprof's {@code javaHeapzSamplingRate}). */
    static final long HEAP_SAMPLING_RATE = 524_288;
    static final String PRODUCER = "Java heapz / contentionz profile (legacy text)";

    JavaLegacyProfileParser(LineReader in, String fileName) {
        super(in, fileName);
        b.producer(PRODUCER);
    }

    /** Whether the line after a {@code --- contentionz 1 ---} header says this is the Java form. */
    static boolean isJavaAttribute(String line) {
        Matcher m = ATTRIBUTE.matcher(line);
        return m.matches() && (m.group(1).equals("format") || m.group(1).equals("resolution"));
    }

    void read(String header, Matcher hm) throws IOException, ProfileFormatException {
        boolean heap = hm.group(1).equals("heapz");
        kindLabel = heap ? "Java heapz" : "Java contentionz";
        b.comment(header.trim());
        String unit = heap ? "bytes" : "microseconds";
        long period = 0;
        String line;
        while ((line = in.next()) != null) {
            if (line.isBlank()) continue;
            Matcher m = ATTRIBUTE.matcher(line);
            if (!m.matches() || !in.terminated()) { in.pushBack(); break; }
            String key = m.group(1), value = m.group(2);
            switch (key) {
                case "format" -> {
                    if (!value.equals("java")) throw malformed("format " + GoText.quote(value) + " is not java");
                }
                case "resolution" -> unit = value;
                case "sampling period" -> { if (!heap) period = number(value); }
                case "ms since reset" -> {
                    long ms = number(value);
                    if (!heap && ms >= 0 && ms <= Long.MAX_VALUE / 1_000_000L) b.timeSpan(0, ms * 1_000_000L);
                }
                default -> b.warning("Unknown attribute " + GoText.quote(key) + " on line " + in.lineNumber() + " ignored");
            }
            b.comment(key + " = " + value);
        }
        List<ValueType> types = heap
                ? List.of(new ValueType("inuse_objects", "count"), new ValueType("inuse_space", unit))
                : List.of(new ValueType("contentions", "count"), new ValueType("delay", unit));
        if (!heap) b.period(types.get(0), period);
        b.defaultValueType(types.get(1));
        ProfileBuilder.SampleTableBuilder t = b.sampleTable(heap ? "heap" : "contention", types, false, false, heap);
        List<long[]> records = new ArrayList<>(); // value0, value1, ids...
        List<Integer> labels = new ArrayList<>();
        int bytesKey = b.string("bytes");
        while ((line = in.next()) != null) {
            if (line.isBlank()) continue;
            Matcher m = RECORD.matcher(line);
            if (!m.matches()) { in.pushBack(); break; }
            if (!in.terminated()) {
                incomplete("Incomplete " + kindLabel + " profile: the text ends inside line " + in.lineNumber()
                        + "; that record was dropped, the " + records.size() + " complete records before it were kept");
                break;
            }
            if (records.size() >= GoTextReader.MAX_RECORDS) {
                incomplete("Stopped after " + GoTextReader.MAX_RECORDS + " records; the rest of the file was not read");
                break;
            }
            String[] ids = m.group(3).trim().isEmpty() ? new String[0] : m.group(3).trim().split(" +");
            int depth = Math.min(ids.length, GoTextReader.MAX_FRAMES);
            if (depth < ids.length) b.warning("Some records have more than " + GoTextReader.MAX_FRAMES + " frames; the callers beyond were dropped");
            long[] r = new long[2 + depth];
            long count = number(m.group(2)), value = number(m.group(1));
            if (heap) {
                if (count == 0) throw malformed("a heap record of 0 objects (" + value + " bytes)");
                labels.add(b.labelSet(new int[] {bytesKey}, new int[] {-1}, new long[] {value / count}, new int[] {bytesKey}, 1));
                long[] scaled = LegacyTextProfileParser.scaleHeapSample(count, value, HEAP_SAMPLING_RATE);
                count = scaled[0];
                value = scaled[1];
            } else if (period != 0) {
                count *= period;
                value *= period;
            }
            r[0] = count;
            r[1] = value;
            for (int i = 0; i < depth; i++) r[2 + i] = GoText.parseHex(ids[i]);
            records.add(r);
        }
        StringBuilder rest = new StringBuilder();
        while ((line = in.next()) != null) {
            if (in.terminated()) rest.append(line).append('\n');
            else incomplete("Incomplete " + kindLabel + " profile: the text ends inside line " + in.lineNumber()
                    + " (a location line); the frame it names is " + LegacyMemoryMap.UNKNOWN);
        }
        Locations locations = Locations.parse(rest.toString(), b);
        int[] frames = new int[GoTextReader.MAX_FRAMES];
        for (int i = 0; i < records.size(); i++) {
            long[] r = records.get(i);
            for (int f = 2; f < r.length; f++) frames[f - 2] = locations.frame(r[f]);
            t.add(r.length == 2 ? -1 : b.stackOfLeafFirst(frames, r.length - 2), -1, 0, -1, heap ? labels.get(i) : -1,
                    new long[] {r[0], r[1]});
        }
        kept = records.size();
        if (locations.unnamed > 0 && !incomplete) {
            incomplete("Incomplete " + kindLabel + " profile: " + locations.unnamed + " frames of its records have no location"
                    + " line (the file looks cut); they are named " + LegacyMemoryMap.UNKNOWN);
        }
    }

    /**
     * The location lines of a Java legacy profile (text, or the tail of a Java profilez CPU profile), id to frame,
     * named as pprof names them.
     */
    static final class Locations {
        private static final Pattern LOCATION = Pattern.compile("\\s*0x([0-9a-fA-F]+)\\s+(.*?)\\s*");
        private static final Pattern FILE_LINE = Pattern.compile("(.*)\\s+\\((.+):(-?\\d+)\\)");
        private static final Pattern PATH = Pattern.compile("(.*)\\s+\\((.*)\\)");
        private final ProfileBuilder b;
        private final Map<Long, Integer> frameById = new HashMap<>();
        private int unknown = -1;
        int unnamed;

        private Locations(ProfileBuilder b) { this.b = b; }

        static Locations parse(String text, ProfileBuilder b) {
            Locations l = new Locations(b);
            for (String line : text.split("\n")) {
                Matcher m = LOCATION.matcher(line);
                if (!m.matches()) continue;
                long id = GoText.parseHex(m.group(1));
                String what = m.group(2), name, file = "";
                int lineNo = 0;
                Matcher fl = FILE_LINE.matcher(what), p;
                if (fl.matches()) {
                    name = fl.group(1);
                    file = fl.group(2);
                    int n = GoText.isDigits(fl.group(3), 0) ? GoText.sourceLine(fl.group(3)) : 0;
                    lineNo = Math.max(n, 0);
                } else if ((p = PATH.matcher(what)).matches()) {
                    name = p.group(1);
                    file = p.group(2).substring(p.group(2).lastIndexOf('/') + 1);
                } else if (what.contains("generated stub/JIT")) {
                    name = "STUB";
                } else {
                    name = what; // the agent's states: GC, VM, Compile
                }
                int dot = name.lastIndexOf('.');
                int func = b.function(name, dot > 0 ? name.substring(0, dot) : "", file);
                l.frameById.putIfAbsent(id, b.frame(func, lineNo, -1, FrameKind.UNKNOWN, 0));
            }
            return l;
        }

        int frame(long id) {
            Integer f = frameById.get(id);
            if (f != null) return f;
            unnamed++;
            if (unknown < 0) unknown = b.frame(b.function(LegacyMemoryMap.UNKNOWN, "", ""), 0, -1, FrameKind.UNKNOWN, 0);
            return unknown;
        }
    }
}
