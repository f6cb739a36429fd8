// SPDX-License-Identifier: Apache-2.0
package dev.kiln.jfr;

import dev.kiln.jfr.JfrMetadata.Element;
import dev.kiln.jfr.JfrMetadata.Type;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.ProfileFormatException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every event type of a JFR recording and every event of one type with all its fields, decoded generically from the
 * recording's metadata: for {@code kiln events}, {@code kiln gc} and {@code kiln env}. A pass over the file of its own,
 * apart from the load ({@link JfrStreamReader}), which it neither slows nor enlarges: nothing here is kept in a
 * {@link dev.kiln.model.Profile}.
 * <p>
 * {@link #types} walks each chunk's events by their sizes, as the load does, and counts them per type as {@code jfr
 * summary} does (with {@code jdk.Metadata} and {@code jdk.CheckPoint}, and the types declared but never written, at
 * 0). {@link #events} decodes the events of one type into {@link Struct}s, in file order, chunk by chunk, with the
 * values {@code jfr print} gives: nested structs and arrays as such, constant-pool references resolved (a key not in
 * its pool is null), a type the metadata calls simple (of one field) as that field's value (a symbol as its text, a frame type as its
 * description), times as {@link Timestamp} and {@link Timespan}, numbers of another content type (bytes, percentages,
 * frequencies, addresses) as {@link Quantity}, stack traces cut to their top frames.
 */
public final class JfrEvents {
    /** The count key of the metadata events, and of the checkpoints, as JDK 17's {@code jfr summary} lists them. */
    public static final String METADATA = "jdk.Metadata", CHECKPOINT = "jdk.CheckPoint";
    /** The frames of a stack trace {@link #events} keeps by default: {@code jfr print}'s {@code --stack-depth}. */
    public static final int STACK_DEPTH = 5;

    private JfrEvents() { }

    /** A field of an event type: its type's name, whether it is an array, and its content type and unit when it has one. */
    public record FieldInfo(String name, String type, boolean array, String label, String contentType, String unit, boolean unsigned) { }

    /**
     * An event type: its id in the metadata (what {@code jdk.ActiveSetting}'s {@code id} refers to; -1 for the chunk's own
     * events), name, label, category path (outermost first), description (or null), its count in the file, its fields.
     */
    public record TypeInfo(long id, String name, String label, List<String> category, String description, long count, List<FieldInfo> fields) { }

    /**
     * What the recording declares: every event type with its count, most frequent first (then by name), as {@code jfr
     * summary} orders them; the span of its chunks (ns since 1970); warnings (a damaged tail, events of undeclared types).
     */
    public record Listing(long startEpochNanos, long endEpochNanos, int chunks, List<TypeInfo> types, List<String> warnings) { }

    /** A struct value: its type's name and its fields in the order the metadata declares them. */
    public record Struct(String type, Map<String, Object> fields) {
        public Object get(String field) { return fields.get(field); }
    }

    /** A point in time, ns since 1970; {@link Long#MIN_VALUE} and {@link Long#MAX_VALUE} are the recording's "none" and "forever". */
    public record Timestamp(long epochNanos) { }

    /**
     * A duration in ns, and the unit the recording wrote it in (TICKS, NANOSECONDS, MILLISECONDS, ...);
     * {@link Long#MIN_VALUE} and {@link Long#MAX_VALUE} as the recording wrote them ("none", "forever").
     */
    public record Timespan(long nanos, String unit) { }

    /** A number of a content type other than time: {@code DataAmount} (unit BYTES or BITS), {@code Percentage}, {@code Frequency}, {@code MemoryAddress}. */
    public record Quantity(Number value, String contentType, String unit) { }

    /** An event: its type, start and duration (ns; 0 when it has none), the name of its thread (or null), and its fields. */
    public record Event(String type, long startNanos, long durationNanos, String thread, Struct values) { }

    /** Takes the decoded events; answers false to stop reading. */
    @FunctionalInterface
    public interface Sink {
        boolean accept(Event e);
    }

    /** Every event type of the recording with its count, category path and fields. */
    public static Listing types(Path file) throws IOException, ProfileFormatException {
        Map<String, Long> counts = new HashMap<>();
        Map<String, TypeInfo> declared = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        ChunkScan scan = eachChunk(file, warnings, c -> {
            for (Map.Entry<String, Long> e : c.counts.entrySet()) counts.merge(e.getKey(), e.getValue(), Long::sum);
            counts.merge(METADATA, 1L, Long::sum);
            counts.merge(CHECKPOINT, (long) c.checkpoints.size(), Long::sum);
            warnings.addAll(c.headerWarnings);
            for (TypeInfo t : TypeInfos.of(c.meta).eventTypes()) declared.putIfAbsent(t.name(), t);
            return true;
        });
        List<TypeInfo> types = new ArrayList<>();
        for (TypeInfo t : declared.values()) {
            types.add(new TypeInfo(t.id(), t.name(), t.label(), t.category(), t.description(), counts.getOrDefault(t.name(), 0L), t.fields()));
        }
        for (Map.Entry<String, Long> e : counts.entrySet()) { // the chunk's own events, and those of undeclared types
            if (declared.containsKey(e.getKey())) continue;
            types.add(new TypeInfo(-1, e.getKey(), e.getKey(), List.of(), null, e.getValue(), List.of()));
        }
        types.sort(Comparator.comparingLong((TypeInfo t) -> -t.count()).thenComparing(TypeInfo::name));
        return new Listing(scan.startEpochNanos, scan.endEpochNanos, scan.completeChunks, types, warnings);
    }

    /** What {@link #events} found: whether any chunk declares the type, how many of its events it decoded, warnings. */
    public record Decoded(boolean declared, long events, List<String> warnings) { }

    /**
     * Decodes the events of type {@code type} in file order into {@code sink}, with stack traces cut to {@code stackDepth}
     * frames, until the sink says stop. Events that cannot be decoded are skipped and counted in a warning.
     */
    public static Decoded events(Path file, String type, int stackDepth, Sink sink) throws IOException, ProfileFormatException {
        return events(file, List.of(type), stackDepth, sink);
    }

    /**
     * Like {@link #events(Path, String, int, Sink)} for several types in one pass: per chunk, the events of each type in
     * the order given; {@link Decoded#declared} says whether any of them is declared.
     */
    public static Decoded events(Path file, List<String> types, int stackDepth, Sink sink) throws IOException, ProfileFormatException {
        List<String> warnings = new ArrayList<>();
        long[] seen = {0, 0, 0}; // declared, decoded, damaged
        Map<JfrMetadata, TypeInfos> infos = new java.util.IdentityHashMap<>();
        long[] clock = new long[3];
        eachChunk(file, warnings, c -> {
            // The JDK's parser converts every chunk's ticks by the first chunk's clock (its start in ns and in ticks),
            // where the load takes each chunk's own: a later chunk's times come out some 100 ns apart. jfr print's
            // values are the reference here.
            if (c.index == 0) {
                clock[0] = c.startNanos;
                clock[1] = c.startTicks;
            } else if (c.ticksPerSecond == clock[2]) {
                c.startNanos = clock[0];
                c.startTicks = clock[1];
            }
            clock[2] = c.index == 0 ? c.ticksPerSecond : clock[2];
            Map<String, Type> byName = new HashMap<>();
            for (Type x : c.meta.types.values()) byName.put(x.name, x);
            EventDecoder d = new EventDecoder(c, infos.computeIfAbsent(c.meta, TypeInfos::of), stackDepth);
            try {
                for (String type : types) {
                    Type t = byName.get(type);
                    if (t == null) continue;
                    seen[0] = 1;
                    if (!c.counts.containsKey(type)) continue;
                    boolean more = d.decode(t, e -> {
                        seen[1]++;
                        return sink.accept(e);
                    });
                    if (!more) return false;
                }
                return true;
            } finally {
                seen[2] += d.damaged;
            }
        });
        if (seen[2] > 0) warnings.add(seen[2] + " event(s) of " + String.join(", ", types) + " could not be decoded and were skipped (their fields run past their size)");
        return new Decoded(seen[0] == 1, seen[1], warnings);
    }

    /** When the recording starts and ends, ns since 1970, by its chunk headers: the start is the origin of {@code --from} and {@code --to}. */
    public record Span(long startEpochNanos, long endEpochNanos) { }

    /** The recording's span by its complete chunks' headers (no event is read). */
    public static Span span(Path file) throws IOException, ProfileFormatException {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        ChunkScan scan = ChunkScan.of(file, name);
        return new Span(scan.startEpochNanos, scan.endEpochNanos);
    }

    /** A class name as the pool holds it ("java/lang/String", "[B") in Java's form ("java.lang.String", "byte[]"). */
    public static String binaryName(String internal) {
        return JfrStreamReader.binaryName(internal);
    }

    /** Chunk work for {@link #eachChunk}: false to stop. */
    private interface ChunkWork {
        boolean apply(Chunk c) throws ProfileFormatException;
    }

    /** Reads each complete chunk, its metadata, counts and constant-pool index, into {@code work}, one at a time. */
    private static ChunkScan eachChunk(Path file, List<String> warnings, ChunkWork work) throws IOException, ProfileFormatException {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        ChunkScan scan = ChunkScan.of(file, name);
        if (scan.major < 2) throw new ProfileFormatException(name, 4, "a JDK 9 or 10 recording (format " + scan.major + "." + scan.minor
                + "): Kiln lists and prints the events of JDK 11 and later");
        if (scan.tailProblem != null) warnings.add(scan.tailProblem + "; read the " + scan.completeChunks + " complete chunk(s) before it");
        JfrMetadata.Seen seen = new JfrMetadata.Seen();
        int n = scan.chunks.size();
        byte[] data = new byte[0];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int i = 0; i < n; i++) {
                long[] range = scan.chunks.get(i);
                if (range[1] > Integer.MAX_VALUE - JfrStreamReader.PADDING) {
                    throw new ProfileFormatException(name, range[0], "chunk " + (i + 1) + " is " + range[1] + " bytes, more than Kiln reads in one piece");
                }
                int size = (int) range[1];
                if (data.length < size + JfrStreamReader.PADDING) data = new byte[size + JfrStreamReader.PADDING];
                ByteBuffer buf = ByteBuffer.wrap(data, 0, size);
                while (buf.position() < size) {
                    if (ch.read(buf, range[0] + buf.position()) < 0) throw new ProfileFormatException(name, range[0], "the file ended while reading chunk " + (i + 1));
                }
                Chunk c = new Chunk(null, name, i, n, range[0], data, size, ProgressSink.NONE);
                c.seen = seen;
                c.seenStacks = null;
                c.scan(Set.of());
                c.indexPools();
                if (!work.apply(c)) break;
            }
        }
        return scan;
    }

    /** The labels, categories and content types of a chunk's metadata, from its tree, which the load does not read. */
    record TypeInfos(List<TypeInfo> eventTypes, Map<JfrMetadata.Field, FieldInfo> fields, Set<Type> simpleTypes) {
        static TypeInfos of(JfrMetadata meta) {
            Map<Long, Element> classes = new HashMap<>();
            for (Element section : meta.root.children()) {
                if (!section.name().equals("metadata")) continue;
                for (Element c : section.children()) if (c.name().equals("class")) classes.put(Long.parseLong(c.attr("id")), c);
            }
            // a content type is an annotation that is itself annotated with jdk.jfr.ContentType
            Set<Long> contentTypes = new java.util.HashSet<>();
            for (Map.Entry<Long, Element> e : classes.entrySet()) {
                for (Element a : e.getValue().children()) {
                    if (a.name().equals("annotation") && "jdk.jfr.ContentType".equals(nameOf(classes, a))) contentTypes.add(e.getKey());
                }
            }
            Map<JfrMetadata.Field, FieldInfo> fields = new java.util.IdentityHashMap<>();
            List<TypeInfo> events = new ArrayList<>();
            Set<Type> simple = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (Map.Entry<Long, Element> e : classes.entrySet()) {
                Element c = e.getValue();
                Type t = meta.types.get(e.getKey());
                if (t == null) continue;
                if ("true".equals(c.attr("simpleType")) && t.fields.size() == 1 && !t.fields.get(0).array) simple.add(t);
                List<FieldInfo> list = new ArrayList<>();
                int i = 0;
                for (Element f : c.children()) {
                    if (!f.name().equals("field")) continue;
                    String label = null, content = null, unit = null;
                    boolean unsigned = false;
                    for (Element a : f.children()) {
                        if (!a.name().equals("annotation")) continue;
                        String an = nameOf(classes, a);
                        if ("jdk.jfr.Label".equals(an)) label = a.attr("value");
                        else if ("jdk.jfr.Unsigned".equals(an)) unsigned = true;
                        else if (an != null && contentTypes.contains(Long.parseLong(a.attr("class")))) {
                            content = an.substring(an.lastIndexOf('.') + 1);
                            unit = a.attr("value");
                        }
                    }
                    Element type = classes.get(Long.parseLong(f.attr("class")));
                    String dims = f.attr("dimension");
                    FieldInfo info = new FieldInfo(f.attr("name"), type == null ? "?" : type.attr("name"), dims != null && !dims.equals("0"),
                            label, content, unit, unsigned);
                    list.add(info);
                    if (i < t.fields.size()) fields.put(t.fields.get(i), info);
                    i++;
                }
                if (!"jdk.jfr.Event".equals(c.attr("superType"))) continue;
                String label = null, description = null;
                List<String> category = List.of();
                for (Element a : c.children()) {
                    if (!a.name().equals("annotation")) continue;
                    String an = nameOf(classes, a);
                    if ("jdk.jfr.Label".equals(an)) label = a.attr("value");
                    else if ("jdk.jfr.Description".equals(an)) description = a.attr("value");
                    else if ("jdk.jfr.Category".equals(an)) category = values(a);
                }
                events.add(new TypeInfo(t.id, t.name, label == null ? t.name : label, category, description, 0, List.copyOf(list)));
            }
            return new TypeInfos(events, fields, simple);
        }

        private static String nameOf(Map<Long, Element> classes, Element annotation) {
            String id = annotation.attr("class");
            if (id == null) return null;
            Element c = classes.get(Long.parseLong(id));
            return c == null ? null : c.attr("name");
        }

        /** An annotation's array value, written as the attributes value-0, value-1, ... (or one value). */
        private static List<String> values(Element annotation) {
            List<String> out = new ArrayList<>();
            for (int i = 0; annotation.attr("value-" + i) != null; i++) out.add(annotation.attr("value-" + i));
            if (out.isEmpty() && annotation.attr("value") != null) out.add(annotation.attr("value"));
            return List.copyOf(out);
        }
    }
}
