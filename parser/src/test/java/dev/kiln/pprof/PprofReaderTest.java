// SPDX-License-Identifier: Apache-2.0
package dev.kiln.pprof;

import dev.kiln.analysis.FunctionTotals;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.LabelTable;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.ProfileValidator;
import dev.kiln.model.SampleTable;
import dev.kiln.model.SourceFormat;
import dev.kiln.model.ValueType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Reads every pprof capture of the corpus and checks it against the ground truth recorded next to it
 * ({@code .facts.txt} from {@code go tool pprof -raw}, {@code .top.txt} from {@code go tool pprof -top}). Every
 * expected number is read from those files; none is copied into this class.
 */
class PprofReaderTest {

    static Path pprofDir() throws URISyntaxException {
        URL url = PprofReaderTest.class.getResource("/captures/pprof");
        assertNotNull(url, "captures/pprof is not on the test classpath");
        return Path.of(url.toURI());
    }

    static Stream<Path> captures() throws IOException, URISyntaxException {
        List<Path> files;
        try (Stream<Path> s = Files.list(pprofDir())) {
            files = s.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".pb.gz") || n.endsWith(".pb");
            }).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no pprof captures found");
        return files.stream();
    }

    static byte[] uncompressed(Path file) throws IOException {
        byte[] raw = Files.readAllBytes(file);
        if (!file.getFileName().toString().endsWith(".gz")) return raw;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
            return in.readAllBytes();
        }
    }

    static Profile load(Path file) throws Exception {
        return PprofReader.read(new ByteArrayInputStream(uncompressed(file)), file.getFileName().toString(), ProgressSink.NONE);
    }

    static String baseName(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(".pb.gz") ? n.substring(0, n.length() - 6) : n.substring(0, n.length() - 3);
    }

    // ---------------------------------------------------------------- facts

    /** What a {@code .facts.txt} says. */
    record Facts(List<ValueType> types, ValueType marked, String periodType, long period, long records,
                 Map<ValueType, Long> sums, Map<String, Long> labelKeys, Double durationSeconds, Instant time,
                 String comment, int mappings) { }

    static Facts facts(Path file) throws IOException {
        Path f = file.resolveSibling(baseName(file) + ".facts.txt");
        Map<String, String> kv = new LinkedHashMap<>();
        Map<ValueType, Long> sums = new LinkedHashMap<>();
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            Matcher sum = Pattern.compile("^sum\\[([^/\\]]*)/([^\\[\\]]*)(\\[dflt])?]: (-?\\d+)$").matcher(line);
            if (sum.matches()) {
                sums.put(new ValueType(sum.group(1), sum.group(2)), Long.parseLong(sum.group(4)));
                continue;
            }
            int colon = line.indexOf(": ");
            if (colon > 0) kv.put(line.substring(0, colon), line.substring(colon + 2));
            else if (line.endsWith(":")) kv.put(line.substring(0, line.length() - 1), "");
        }
        List<ValueType> types = new ArrayList<>();
        ValueType marked = null;
        for (String t : kv.get("sample_types").trim().split("\\s+")) {
            boolean dflt = t.endsWith("[dflt]");
            if (dflt) t = t.substring(0, t.length() - 6);
            int slash = t.indexOf('/');
            ValueType vt = new ValueType(t.substring(0, slash), t.substring(slash + 1));
            types.add(vt);
            if (dflt) marked = vt;
        }
        Map<String, Long> labelKeys = new LinkedHashMap<>();
        String labels = null;
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            Matcher m = Pattern.compile("^label_keys \\(.*\\): (.*)$").matcher(line);
            if (m.matches()) labels = m.group(1).trim();
        }
        assertNotNull(labels, "no label_keys line in " + f);
        if (!labels.equals("none")) {
            for (String kc : labels.split("\\s+")) {
                int c = kc.lastIndexOf(':');
                labelKeys.put(kc.substring(0, c), Long.parseLong(kc.substring(c + 1)));
            }
        }
        int mappings = -1;
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            Matcher m = Pattern.compile("^locations: (\\d+)\\s+mappings: (\\d+)$").matcher(line);
            if (m.matches()) mappings = Integer.parseInt(m.group(2));
        }
        assertTrue(mappings >= 0, "no mappings line in " + f);
        return new Facts(types, marked, kv.get("PeriodType"), Long.parseLong(kv.get("Period").trim()),
                Long.parseLong(kv.get("sample_records").trim()), sums, labelKeys,
                kv.containsKey("Duration") ? Double.parseDouble(kv.get("Duration").trim()) : null,
                kv.containsKey("Time") ? goTime(kv.get("Time")) : null, kv.get("Comment"), mappings);
    }

    /** Go's {@code time.Time.String()}: {@code 2026-11-22 06:17:29.102102581 +0000 UTC}. */
    static Instant goTime(String s) {
        Matcher m = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d) (\\d\\d:\\d\\d:\\d\\d)(?:\\.(\\d+))? \\+0000 UTC$").matcher(s.trim());
        assertTrue(m.matches(), "unexpected time format: " + s);
        LocalDateTime t = LocalDateTime.parse(m.group(1) + "T" + m.group(2));
        long nanos = m.group(3) == null ? 0 : Long.parseLong((m.group(3) + "000000000").substring(0, 9));
        return t.toInstant(ZoneOffset.UTC).plusNanos(nanos);
    }

    /**
     * The Sample records as {@code go tool pprof -raw} lists them: pprof merges records with the same stack and
     * labels and drops records whose values are all zero; and the corpus' facts extractor only counts records that
     * print at least one location line (see {@link #threadcreateHasARecordWithoutLocations}). Returns one row index
     * per merged record.
     */
    static List<Integer> rawView(SampleTable t) {
        Set<Long> seen = new HashSet<>();
        List<Integer> rows = new ArrayList<>();
        for (int r = 0; r < t.size(); r++) {
            if (t.stack(r) < 0) continue;
            boolean zero = true;
            for (int v = 0; v < t.valueTypes().size(); v++) zero &= t.value(v, r) == 0;
            if (zero) continue;
            if (seen.add(((long) t.stack(r) << 32) | (t.labelSet(r) + 1L))) rows.add(r);
        }
        return rows;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void matchesFacts(Path file) throws Exception {
        Profile p = load(file);
        ProfileValidator.check(p);
        Facts f = facts(file);

        assertEquals(SourceFormat.PPROF, p.format());
        assertEquals(file.getFileName().toString(), p.sourceName());
        assertEquals(1, p.sampleTables().size());
        SampleTable t = p.sampleTables().get(0);
        assertEquals(PprofReader.TABLE_NAME, t.name());
        assertFalse(t.hasTime());
        assertEquals(f.types(), t.valueTypes(), "sample types and their order");
        // pprof's rule: default_sample_type when the file sets it (marked [dflt]), else the last sample type.
        assertEquals(f.marked() != null ? f.marked() : f.types().get(f.types().size() - 1), p.defaultValueType());

        if (f.periodType().isBlank()) {
            // The file has no period_type (pprof shows an empty one): the reader leaves it unknown.
            assertTrue(p.periodType() == null || p.periodType().equals(new ValueType("", "")), "period type " + p.periodType());
        } else {
            String[] pt = f.periodType().trim().split(" ");
            assertEquals(new ValueType(pt[0], pt[1]), p.periodType());
        }
        assertEquals(f.period(), p.period());

        assertEquals(t.size(), p.eventCounts().get(PprofReader.SAMPLE_COUNT_KEY), "one row per Sample record");
        List<Integer> raw = rawView(t);
        assertEquals(f.records(), raw.size(), "Sample records as pprof -raw lists them");
        for (int v = 0; v < f.types().size(); v++) {
            long sum = 0;
            for (int r = 0; r < t.size(); r++) if (t.stack(r) >= 0) sum += t.value(v, r);
            assertEquals(f.sums().get(f.types().get(v)), sum, "raw sum of " + f.types().get(v));
        }
        Map<String, Long> keys = new LinkedHashMap<>();
        LabelTable labels = p.labels();
        for (int r : raw) {
            int set = t.labelSet(r);
            if (set < 0) continue;
            Set<String> inSet = new HashSet<>();
            for (int i = labels.start(set); i < labels.end(set); i++) inSet.add(p.string(labels.key(i)));
            for (String k : inSet) keys.merge(k, 1L, Long::sum);
        }
        assertEquals(f.labelKeys(), keys, "label keys with the number of records carrying them");
        if (f.durationSeconds() != null) {
            assertEquals(f.durationSeconds(), p.durationNanos() / 1e9, 0.01, "duration");
        }
        if (f.time() != null) {
            Instant start = Instant.ofEpochSecond(0, p.startEpochNanos());
            assertEquals(f.time(), start, "time_nanos");
        }
        // pprof's merge keeps only mappings that some location uses (the files also map [vdso] and [vsyscall]).
        long usedMappings = p.mappings().stream().filter(m -> {
            for (int fr = 0; fr < p.frames().size(); fr++) {
                long a = p.frames().address(fr);
                if (Long.compareUnsigned(a, m.start()) >= 0 && Long.compareUnsigned(a, m.limit()) < 0) return true;
            }
            return false;
        }).count();
        assertEquals(f.mappings(), usedMappings, "mappings used by locations");
        assertTrue(p.mappings().size() >= f.mappings());
        if (f.comment() != null) {
            assertTrue(p.comments().contains(f.comment()), "comment " + f.comment() + " in " + p.comments());
            if (f.comment().contains("async-profiler")) assertEquals("async-profiler", p.producer());
        }
    }

    // ---------------------------------------------------------------- -top

    /** One row of {@code go tool pprof -top}, values in the base unit with the rounding of the printed digits. */
    record TopRow(String name, Measured flat, Measured cum) { }

    /** A printed value: base-unit value and how far the true value may be from it. */
    record Measured(double value, double tolerance, String text) {
        boolean matches(long actual) { return Math.abs(actual - value) <= tolerance + 1e-9 * Math.abs(value); }
    }

    record TopSection(String sampleIndex, Measured total, List<TopRow> rows) { }

    private static final Pattern MEASURE = Pattern.compile("^(-?[0-9]+(?:\\.([0-9]+))?)([a-zA-Zµ]*)$");

    static Measured measure(String text) {
        Matcher m = MEASURE.matcher(text);
        assertTrue(m.matches(), "cannot parse pprof value " + text);
        double number = Double.parseDouble(m.group(1));
        int decimals = m.group(2) == null ? 0 : m.group(2).length();
        String unit = m.group(3);
        double scale = switch (unit) {
            case "" -> 1;
            case "ns" -> 1;
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "mins" -> 60e9;
            case "hrs" -> 3600e9;
            case "B" -> 1;
            case "kB" -> 1024.0;
            case "MB" -> 1024.0 * 1024;
            case "GB" -> 1024.0 * 1024 * 1024;
            case "TB" -> 1024.0 * 1024 * 1024 * 1024;
            default -> throw new AssertionError("unknown pprof unit " + unit + " in " + text);
        };
        // Plain counts print exactly; scaled values print with "%.2f" and pprof trims a ".00" suffix.
        double tolerance = unit.isEmpty() ? 0.5 * Math.pow(10, -decimals)
                : (decimals == 0 || decimals == 2 ? 0.005 : 0.5 * Math.pow(10, -decimals));
        if (unit.isEmpty() && decimals == 0) tolerance = 0;
        return new Measured(number * scale, tolerance * scale, text);
    }

    static List<TopSection> topSections(Path file) throws IOException {
        Path f = file.resolveSibling(baseName(file) + ".top.txt");
        List<TopSection> sections = new ArrayList<>();
        String index = null;
        Measured total = null;
        List<TopRow> rows = null;
        boolean inTable = false;
        Pattern header = Pattern.compile("^### go tool pprof .*-sample_index=(\\S+) .*$");
        Pattern showing = Pattern.compile("^Showing nodes accounting for .* of (\\S+) total$");
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            Matcher h = header.matcher(line);
            if (h.matches()) {
                if (index != null) sections.add(new TopSection(index, total, rows));
                index = h.group(1);
                total = null;
                rows = new ArrayList<>();
                inTable = false;
                continue;
            }
            Matcher s = showing.matcher(line);
            if (s.matches()) total = measure(s.group(1));
            if (line.trim().startsWith("flat  flat%")) {
                inTable = true;
                continue;
            }
            if (inTable && !line.isBlank()) {
                String[] parts = line.trim().split("\\s+", 6);
                String name = parts[5].trim();
                if (name.endsWith(" (inline)")) name = name.substring(0, name.length() - " (inline)".length());
                rows.add(new TopRow(name, measure(parts[0]), measure(parts[3])));
            } else if (line.isBlank()) {
                inTable = false;
            }
        }
        if (index != null) sections.add(new TopSection(index, total, rows));
        assertFalse(sections.isEmpty(), "no sections in " + f);
        return sections;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void matchesTop(Path file) throws Exception {
        Profile p = load(file);
        List<TopSection> sections = topSections(file);
        assertEquals(p.valueTypes().size(), sections.size(), "one -top section per sample type");
        for (TopSection section : sections) {
            ValueType type = p.valueTypes().stream().filter(v -> v.kind().equals(section.sampleIndex())).findFirst()
                    .orElseThrow(() -> new AssertionError("no value type " + section.sampleIndex()));
            // One value type alone, and all of the table at once (as kiln summary computes them): both as pprof.
            SampleTable table = p.tableOf(type);
            for (FunctionTotals totals : List.of(FunctionTotals.of(p, type),
                    FunctionTotals.of(p, table).get(table.valueTypes().indexOf(type)))) {
                String where = file.getFileName() + " -sample_index=" + section.sampleIndex();
                assertNotNull(section.total(), where + ": no total line");
                assertTrue(section.total().matches(totals.grandTotal()),
                        where + ": total " + totals.grandTotal() + " vs pprof " + section.total().text());

                // pprof -top drops nodes whose cum is below nodefraction (0.005) of the total, then sorts by flat.
                long cutoff = (long) (Math.abs(totals.grandTotal()) * 0.005);
                List<FunctionTotals.Row> kept = totals.bySelf().stream().filter(r -> Math.abs(r.total()) >= cutoff).toList();
                List<TopRow> expected = section.rows();
                assertFalse(expected.isEmpty(), where + ": no rows");
                assertTrue(kept.size() >= expected.size(), where + ": only " + kept.size() + " functions");
                Map<String, FunctionTotals.Row> byName = new HashMap<>();
                for (FunctionTotals.Row r : kept) byName.put(r.name(), r);
                for (int i = 0; i < expected.size(); i++) {
                    TopRow e = expected.get(i);
                    FunctionTotals.Row mine = byName.get(e.name());
                    assertNotNull(mine, where + ": pprof row " + e.name() + " missing");
                    assertTrue(e.flat().matches(mine.self()), where + ": flat of " + e.name() + " " + mine.self() + " vs " + e.flat().text());
                    assertTrue(e.cum().matches(mine.total()), where + ": cum of " + e.name() + " " + mine.total() + " vs " + e.cum().text());
                    FunctionTotals.Row atRank = kept.get(i);
                    // Same order as pprof; rows may swap only with rows of equal flat weight.
                    assertTrue(atRank.name().equals(e.name()) || atRank.self() == mine.self(),
                            where + ": rank " + (i + 1) + " is " + atRank.name() + " (" + atRank.self() + "), pprof has " + e.name());
                }
            }
        }
    }

    /**
     * The length a caller says the message has (a gzip trailer's) only spares a copy: right, short, long, tiny or
     * absent, the same rows with the sums of pprof's facts.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void expectedLengthIsOnlyAHint(Path file) throws Exception {
        byte[] raw = uncompressed(file);
        Facts f = facts(file);
        for (long said : new long[] {raw.length, raw.length - 1, raw.length + 1, raw.length / 2, 1, 0}) {
            Profile p = PprofReader.read(new ByteArrayInputStream(raw), file.getFileName().toString(), ProgressSink.NONE, said);
            SampleTable t = p.sampleTables().get(0);
            assertEquals(f.records(), rawView(t).size(), "length said " + said);
            for (int v = 0; v < f.types().size(); v++) {
                long sum = 0;
                for (int r = 0; r < t.size(); r++) if (t.stack(r) >= 0) sum += t.value(v, r);
                assertEquals(f.sums().get(f.types().get(v)), sum, "length said " + said + ": raw sum of " + f.types().get(v));
            }
        }
    }

    // ---------------------------------------------------------------- threadcreate

    /**
     * The threadcreate facts say 1 record summing to 1, yet {@code -top} says 6 total. Decoding the file shows two
     * Sample records: one with value 5 and <em>no location ids</em> (Go 1.19's threadcreate profile loses most
     * stacks), and one with value 1 at runtime.allocm. {@code -raw} prints the location-less record without any
     * location line, so the facts extractor did not count it; {@code -top} does count it in its total. The text
     * form of the same profile ({@code threadcreate.debug1.txt}: "5 @" with no frames) agrees. The truth: 2 records,
     * total 6.
     */
    @org.junit.jupiter.api.Test
    void threadcreateHasARecordWithoutLocations() throws Exception {
        Path file = pprofDir().resolve("threadcreate.pb.gz");
        Profile p = load(file);
        SampleTable t = p.sampleTables().get(0);
        Map<String, String> debug1 = new HashMap<>();
        for (String line : Files.readAllLines(pprofDir().resolve("threadcreate.debug1.facts.txt"))) {
            Matcher m = Pattern.compile("^records: (\\d+)\\s+sum_of_counts: (\\d+)$").matcher(line);
            if (m.matches()) {
                debug1.put("records", m.group(1));
                debug1.put("sum", m.group(2));
            }
        }
        assertEquals(Long.parseLong(debug1.get("records")), t.size());
        assertEquals(Long.parseLong(debug1.get("sum")), t.total(0));
        Facts f = facts(file);
        int withoutStack = 0;
        long weightWithoutStack = 0;
        for (int r = 0; r < t.size(); r++) {
            if (t.stack(r) < 0) {
                withoutStack++;
                weightWithoutStack += t.value(0, r);
            }
        }
        assertEquals(t.size() - f.records(), withoutStack, "the records the facts miss are the location-less ones");
        assertEquals(t.total(0) - f.sums().get(t.valueTypes().get(0)), weightWithoutStack);
        assertEquals(t.total(0), FunctionTotals.of(p, t.valueTypes().get(0)).grandTotal());
    }

    // ---------------------------------------------------------------- bad input

    static final long TIME_LIMIT_MS = 10_000;

    /** Reads bytes that are not a valid profile: must end in ProfileFormatException naming the file, quickly. */
    static ProfileFormatException expectFormatError(byte[] bytes, String name) {
        return org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofMillis(TIME_LIMIT_MS), () -> {
            try {
                PprofReader.read(new ByteArrayInputStream(bytes), name, ProgressSink.NONE);
            } catch (ProfileFormatException e) {
                assertTrue(e.getMessage().contains(name), "message names the file: " + e.getMessage());
                assertEquals(name, e.fileName());
                assertFalse(e.reason().isBlank());
                return e;
            } catch (Throwable e) {
                throw new AssertionError(name + ": expected ProfileFormatException, got " + e, e);
            }
            throw new AssertionError(name + ": accepted as a valid profile");
        });
    }

    /** Bytes that may or may not be a valid profile: either a valid Profile or ProfileFormatException, nothing else. */
    static void expectValidOrFormatError(byte[] bytes, String name) {
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofMillis(TIME_LIMIT_MS), () -> {
            try {
                ProfileValidator.check(PprofReader.read(new ByteArrayInputStream(bytes), name, ProgressSink.NONE));
            } catch (ProfileFormatException e) {
                assertTrue(e.getMessage().contains(name), "message names the file: " + e.getMessage());
            } catch (Throwable e) {
                throw new AssertionError(name + ": expected a profile or ProfileFormatException, got " + e, e);
            }
        });
    }

    static Path badDir() throws URISyntaxException { return pprofDir().resolveSibling("bad"); }

    @org.junit.jupiter.api.Test
    void truncatedProtobufInValidGzip() throws Exception {
        Path file = badDir().resolve("truncated-protobuf-in-valid-gzip.pb.gz");
        byte[] bytes = uncompressed(file);
        ProfileFormatException e = expectFormatError(bytes, file.getFileName().toString());
        assertTrue(e.reason().startsWith("not a valid pprof profile"), e.getMessage());
        assertTrue(e.offset() > 0 && e.offset() <= bytes.length, "offset " + e.offset() + " within " + bytes.length);
    }

    @org.junit.jupiter.api.Test
    void emptyInput() throws Exception {
        Path file = badDir().resolve("empty.pb.gz");
        assertEquals(0, Files.size(file));
        ProfileFormatException e = expectFormatError(Files.readAllBytes(file), file.getFileName().toString());
        assertTrue(e.reason().contains("empty"), e.getMessage());
    }

    /** What a gzip layer delivers before it notices the stream is cut; the reader must reject that prefix. */
    @org.junit.jupiter.api.Test
    void truncatedGzipPrefix() throws Exception {
        Path file = badDir().resolve("truncated-gzip.pb.gz");
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        boolean eof = false;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            byte[] buf = new byte[512];
            for (int n; (n = in.read(buf)) > 0; ) got.write(buf, 0, n);
        } catch (EOFException e) {
            eof = true;
        }
        assertTrue(eof, "the gzip stream is cut");
        assertTrue(got.size() > 0);
        expectFormatError(got.toByteArray(), file.getFileName().toString());
    }

    /** Top-level field boundaries of a protobuf message (where a cut leaves a shorter but well-formed message). */
    static Set<Integer> topLevelBoundaries(byte[] b) {
        Set<Integer> out = new HashSet<>();
        int i = 0;
        out.add(0);
        while (i < b.length) {
            long[] tag = varint(b, i);
            i = (int) tag[1];
            switch ((int) (tag[0] & 7)) {
                case 0 -> i = (int) varint(b, i)[1];
                case 1 -> i += 8;
                case 2 -> {
                    long[] len = varint(b, i);
                    i = (int) (len[1] + len[0]);
                }
                case 5 -> i += 4;
                default -> throw new AssertionError("unexpected wire type in a good file");
            }
            out.add(i);
        }
        return out;
    }

    static long[] varint(byte[] b, int i) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            int c = b[i++] & 0xff;
            v |= (long) (c & 0x7f) << shift;
            if (c < 0x80) return new long[] {v, i};
        }
    }

    @org.junit.jupiter.api.Test
    void truncatedPrefixesOfAGoodFile() throws Exception {
        Path file = pprofDir().resolve("cpu-baseline-uncompressed.pb");
        byte[] good = Files.readAllBytes(file);
        Set<Integer> boundaries = topLevelBoundaries(good);
        java.util.Random random = new java.util.Random(42);
        Set<Integer> cuts = new java.util.TreeSet<>();
        for (int n = 1; n < good.length; n += 61) cuts.add(n);
        for (int k = 0; k < 200; k++) cuts.add(1 + random.nextInt(good.length - 1));
        for (int k = 1; k <= 40; k++) cuts.add(good.length - k);
        int rejected = 0;
        for (int n : cuts) {
            byte[] prefix = java.util.Arrays.copyOf(good, n);
            String name = "prefix-" + n + "-of-" + file.getFileName();
            if (boundaries.contains(n)) {
                expectValidOrFormatError(prefix, name);
            } else {
                expectFormatError(prefix, name);
                rejected++;
            }
        }
        assertTrue(rejected > 300, "cut inside a field " + rejected + " times");
    }

    @org.junit.jupiter.api.Test
    void garbledBytes() throws Exception {
        byte[] good = Files.readAllBytes(pprofDir().resolve("cpu-baseline-uncompressed.pb"));
        java.util.Random random = new java.util.Random(7);
        for (int k = 0; k < 300; k++) {
            byte[] b = good.clone();
            int flips = 1 + random.nextInt(8);
            for (int j = 0; j < flips; j++) b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            expectValidOrFormatError(b, "garbled-" + k + ".pb");
        }
        for (int k = 0; k < 100; k++) {
            byte[] b = new byte[1 + random.nextInt(4096)];
            random.nextBytes(b);
            expectValidOrFormatError(b, "random-" + k + ".pb");
        }
        // Not protobuf at all: a JFR recording under a pprof name.
        Path jfr = badDir().resolve("jfr-named-as.pb.gz");
        expectFormatError(Files.readAllBytes(jfr), jfr.getFileName().toString());
    }

    @org.junit.jupiter.api.Test
    void hugeDeclaredLengthsDoNotAllocate() {
        // string_table entry claiming 2 GiB - 1 bytes, followed by 3 bytes.
        expectFormatError(new byte[] {0x32, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 1, 2, 3}, "huge-string.pb");
        // sample claiming 2 GiB - 1 bytes.
        expectFormatError(new byte[] {0x12, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 0x08, 0x01}, "huge-sample.pb");
        // a negative length.
        expectFormatError(new byte[] {0x32, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}, "negative.pb");
        // a nested message longer than its parent.
        expectFormatError(new byte[] {0x12, 0x03, 0x1a, 0x10, 0x08, 0x32, 0x00}, "nested.pb");
    }

    // ---------------------------------------------------------------- hand-made profiles

    /** Minimal protobuf writer for hand-made profiles. */
    static final class Pb {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final com.google.protobuf.CodedOutputStream out = com.google.protobuf.CodedOutputStream.newInstance(bytes);

        Pb v(int field, long value) {
            try { out.writeUInt64(field, value); } catch (IOException e) { throw new AssertionError(e); }
            return this;
        }

        Pb s(int field, String value) {
            try { out.writeString(field, value); } catch (IOException e) { throw new AssertionError(e); }
            return this;
        }

        Pb m(int field, Pb message) {
            try { out.writeByteArray(field, message.bytes()); } catch (IOException e) { throw new AssertionError(e); }
            return this;
        }

        Pb packed(int field, long... values) {
            Pb body = new Pb();
            try {
                for (long x : values) body.out.writeUInt64NoTag(x);
                out.writeByteArray(field, body.bytes());
            } catch (IOException e) { throw new AssertionError(e); }
            return this;
        }

        byte[] bytes() {
            try { out.flush(); } catch (IOException e) { throw new AssertionError(e); }
            return bytes.toByteArray();
        }
    }

    static Pb valueType(long type, long unit) { return new Pb().v(1, type).v(2, unit); }

    /**
     * Samples before everything they refer to, sparse ids, packed and unpacked fields, inlined lines, a location
     * without lines, numeric labels with units, labels in different orders, no default_sample_type.
     */
    @org.junit.jupiter.api.Test
    void handMadeProfileResolvesLateSparseIds() throws Exception {
        String[] s = {"", "samples", "count", "cpu", "nanoseconds", "example.com/pkg/sub.(*T).Leaf", "main.caller",
                "main.main", "/src/a.go", "tenant", "acme", "bytes", "kilobytes", "/bin/app", "build-1", "region", "eu"};
        long big = 1_000_000_007L;
        Pb p = new Pb()
                // samples first: leaf-first location ids; one unpacked, one packed, one without locations
                .m(2, new Pb().v(1, big).v(1, 3).packed(2, 1, 10)
                        .m(3, new Pb().v(1, 9).v(2, 10)).m(3, new Pb().v(1, 15).v(2, 16)))
                .m(2, new Pb().packed(1, 77, 3).packed(2, 2, 20)
                        .m(3, new Pb().v(1, 15).v(2, 16)).m(3, new Pb().v(1, 9).v(2, 10)))
                .m(2, new Pb().packed(2, 5, 50).m(3, new Pb().v(1, 11).v(3, 4096).v(4, 12)).m(3, new Pb().v(1, 9)))
                .m(1, valueType(1, 2)).m(1, valueType(3, 4))
                .m(11, valueType(3, 4)).v(12, 10)
                // location big: two lines, line[0] (leaf) inlined into line[1]
                .m(4, new Pb().v(1, big).v(2, 1).v(3, 0x401000).m(4, new Pb().v(1, 501).v(2, 12)).m(4, new Pb().v(1, 502).v(2, 34)))
                .m(4, new Pb().v(1, 3).v(2, 1).v(3, 0x402000).m(4, new Pb().v(1, 503).v(2, 56)))
                .m(4, new Pb().v(1, 77).v(2, 1).v(3, 0x4f388e)) // unsymbolized, in mapping 1 (/bin/app)
                .m(3, new Pb().v(1, 1).v(2, 0x400000).v(3, 0x500000).v(5, 13).v(6, 14))
                .m(5, new Pb().v(1, 503).v(2, 7).v(3, 7).v(4, 8))
                .m(5, new Pb().v(1, 501).v(2, 5).v(3, 5).v(4, 8))
                .m(5, new Pb().v(1, 502).v(2, 6).v(3, 6).v(4, 8));
        for (String x : s) p.s(6, x);
        p.v(9, 1_700_000_000_000_000_000L).v(10, 2_500_000_000L);
        Profile profile = PprofReader.read(new ByteArrayInputStream(p.bytes()), "hand.pb", ProgressSink.NONE);
        ProfileValidator.check(profile);

        SampleTable t = profile.sampleTables().get(0);
        assertEquals(List.of(new ValueType("samples", "count"), new ValueType("cpu", "nanoseconds")), t.valueTypes());
        assertEquals(new ValueType("cpu", "nanoseconds"), profile.defaultValueType(), "last type without default_sample_type");
        assertEquals(3, t.size());
        assertEquals(3L, profile.eventCounts().get(PprofReader.SAMPLE_COUNT_KEY));
        assertEquals(8, t.total(0));
        assertEquals(80, t.total(1));
        assertEquals(-1, t.stack(2), "a record without locations has no stack");
        assertEquals(5, t.value(0, 2));

        // Row 0: Leaf (inlined) <- caller <- main, leaf first.
        List<String> names = new ArrayList<>();
        List<dev.kiln.model.FrameKind> kinds = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        for (int st = t.stack(0); st >= 0; st = profile.stacks().parent(st)) {
            int fr = profile.stacks().frame(st);
            names.add(profile.frameName(fr));
            kinds.add(profile.frames().kind(fr));
            lines.add(profile.frames().line(fr));
        }
        assertEquals(List.of("example.com/pkg/sub.(*T).Leaf", "main.caller", "main.main"), names);
        assertEquals(List.of(dev.kiln.model.FrameKind.INLINED, dev.kiln.model.FrameKind.UNKNOWN, dev.kiln.model.FrameKind.UNKNOWN), kinds);
        assertEquals(List.of(12, 34, 56), lines);
        int leafFunc = profile.frames().func(profile.stacks().frame(t.stack(0)));
        assertEquals("example.com/pkg/sub", profile.string(profile.functions().container(leafFunc)));
        assertEquals("/src/a.go", profile.string(profile.functions().file(leafFunc)));
        assertEquals(0x401000, profile.frames().address(profile.stacks().frame(t.stack(0))));

        // Row 1: an unsymbolized location named after its mapping's file, as go tool pprof -top names it; address kept.
        int leaf1 = profile.stacks().frame(t.stack(1));
        assertEquals("[app]", profile.frameName(leaf1));
        assertEquals(0x4f388e, profile.frames().address(leaf1));
        assertEquals("main.main", profile.frameName(profile.stacks().frame(profile.stacks().parent(t.stack(1)))));

        // Labels: the same string labels in another order are the same set; a numeric label keeps its unit; a
        // label with neither value nor unit is dropped, as pprof does.
        LabelTable labels = profile.labels();
        assertTrue(t.labelSet(0) >= 0);
        assertEquals(t.labelSet(0), t.labelSet(1), "label order does not matter");
        assertEquals(Map.of("tenant", "acme", "region", "eu"), labelMap(profile, t.labelSet(0)));
        assertEquals(Map.of("bytes", "4096 kilobytes"), labelMap(profile, t.labelSet(2)));
        assertEquals(2, labels.size());

        assertEquals(new ValueType("cpu", "nanoseconds"), profile.periodType());
        assertEquals(10, profile.period());
        assertEquals(1_700_000_000_000_000_000L, profile.startEpochNanos());
        assertEquals(2_500_000_000L, profile.durationNanos());
        assertEquals(1, profile.mappings().size());
        assertEquals(new dev.kiln.model.Mapping(0x400000, 0x500000, 0, "/bin/app", "build-1"), profile.mappings().get(0));
        // producer: a function in a .go file marks a Go profile
        assertEquals("Go runtime/pprof", profile.producer());
    }

    static Map<String, String> labelMap(Profile profile, int set) {
        LabelTable labels = profile.labels();
        Map<String, String> m = new HashMap<>();
        for (int i = labels.start(set); i < labels.end(set); i++) {
            m.put(profile.string(labels.key(i)), labels.str(i) >= 0 ? profile.string(labels.str(i))
                    : labels.num(i) + " " + profile.string(labels.numUnit(i)));
        }
        return m;
    }

    /**
     * Samples are decoded straight from the bytes when they have only the fields and wire types pprof writers use, and
     * by the general decoder otherwise: samples with unknown fields (in the sample, in a label), and a non-sample field
     * among the samples read as the same samples without them, in file order with the
     * plain ones around them; a sample's wrong wire type is worded by the general decoder.
     */
    @org.junit.jupiter.api.Test
    void samplesTheFastPathLeavesToTheDecoderReadTheSame() throws Exception {
        java.util.function.Function<Boolean, byte[]> profile = extra -> {
            Pb p = new Pb().m(1, valueType(1, 2));
            for (int i = 0; i < 5; i++) {
                Pb sample = new Pb().packed(1, i % 2 == 0 ? 1 : 2, 1).packed(2, 10 + i);
                Pb label = new Pb().v(1, 3).v(3, 100 + i).v(4, 3);
                if (extra && i == 1) sample.v(9, 42).m(10, new Pb().v(1, 1));
                if (extra && i == 2) label.v(7, 1);
                p.m(2, sample.m(3, label));
                if (extra && i == 3) p.v(12, 7); // period, among the samples
            }
            return p.m(4, new Pb().v(1, 1).m(4, new Pb().v(1, 1))).m(4, new Pb().v(1, 2).m(4, new Pb().v(1, 2)))
                    .m(5, new Pb().v(1, 1).v(2, 4)).m(5, new Pb().v(1, 2).v(2, 5))
                    .s(6, "").s(6, "samples").s(6, "count").s(6, "bytes").s(6, "main.a").s(6, "main.b").bytes();
        };
        Profile plain = PprofReader.read(new ByteArrayInputStream(profile.apply(false)), "plain.pb", ProgressSink.NONE);
        Profile extra = PprofReader.read(new ByteArrayInputStream(profile.apply(true)), "extra.pb", ProgressSink.NONE);
        SampleTable a = plain.sampleTables().get(0), b = extra.sampleTables().get(0);
        assertEquals(5, b.size());
        for (int r = 0; r < 5; r++) {
            assertEquals(10 + r, b.value(0, r));
            assertEquals(a.value(0, r), b.value(0, r));
            assertEquals(stackNames(plain, a.stack(r)), stackNames(extra, b.stack(r)), "row " + r);
            assertEquals(Map.of("bytes", (100 + r) + " bytes"), labelMap(extra, b.labelSet(r)), "row " + r);
        }
        assertEquals(List.of("main.a", "main.a"), stackNames(extra, b.stack(0)));
        assertEquals(List.of("main.b", "main.a"), stackNames(extra, b.stack(1)));
        assertEquals(7, extra.period());

        Pb wrongWire = new Pb().m(1, valueType(1, 2)).m(2, new Pb().packed(2, 1)).m(2, new Pb().packed(2, 1).v(3, 5))
                .s(6, "").s(6, "a").s(6, "b");
        ProfileFormatException e = expectFormatError(wrongWire.bytes(), "wrong-wire.pb");
        assertTrue(e.reason().contains("wrong protobuf wire type"), e.getMessage());
    }

    static List<String> stackNames(Profile p, int stack) {
        List<String> out = new ArrayList<>();
        for (int s = stack; s >= 0; s = p.stacks().parent(s)) out.add(p.frameName(p.stacks().frame(s)));
        return out;
    }

    @org.junit.jupiter.api.Test
    void danglingIdsAreFormatErrors() {
        Pb noLocation = new Pb().m(1, valueType(1, 2)).m(2, new Pb().v(1, 7).v(2, 1)).s(6, "").s(6, "a").s(6, "b");
        ProfileFormatException e = expectFormatError(noLocation.bytes(), "dangling-location.pb");
        assertTrue(e.reason().contains("location id 7"), e.getMessage());

        Pb noFunction = new Pb().m(1, valueType(1, 2)).m(2, new Pb().v(1, 1).v(2, 1))
                .m(4, new Pb().v(1, 1).m(4, new Pb().v(1, 42))).s(6, "").s(6, "a").s(6, "b");
        e = expectFormatError(noFunction.bytes(), "dangling-function.pb");
        assertTrue(e.reason().contains("function id 42"), e.getMessage());

        Pb badString = new Pb().m(1, valueType(0, 99)).s(6, "");
        e = expectFormatError(badString.bytes(), "bad-string.pb");
        assertTrue(e.reason().contains("string 99"), e.getMessage());

        Pb valueCount = new Pb().m(1, valueType(1, 2)).m(2, new Pb().packed(2, 1, 2)).s(6, "").s(6, "a").s(6, "b");
        e = expectFormatError(valueCount.bytes(), "value-count.pb");
        assertTrue(e.reason().contains("2 values"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void defaultSampleTypeWins() throws Exception {
        Pb p = new Pb().m(1, valueType(1, 2)).m(1, valueType(3, 2)).m(2, new Pb().packed(2, 1, 2)).v(14, 1)
                .s(6, "").s(6, "first").s(6, "count").s(6, "second").m(13, new Pb()).v(13, 4).s(6, "Produced by async-profiler");
        Profile profile = PprofReader.read(new ByteArrayInputStream(p.bytes()), "dflt.pb", ProgressSink.NONE);
        assertEquals(new ValueType("first", "count"), profile.defaultValueType());
        assertEquals(List.of("Produced by async-profiler"), profile.comments());
        assertEquals("async-profiler", profile.producer());
    }

    @org.junit.jupiter.api.Test
    void cancellationStopsReading() throws Exception {
        ProgressSink cancelled = new ProgressSink() {
            @Override
            public void progress(long done, long total, String what) { }

            @Override
            public boolean isCancelled() { return true; }
        };
        org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CancellationException.class,
                () -> PprofReader.read(new ByteArrayInputStream(syntheticSamples(10_000)), "big.pb", cancelled));
    }

    /** A valid profile with {@code n} one-location samples. */
    static byte[] syntheticSamples(int n) {
        Pb p = new Pb().m(1, valueType(1, 2));
        for (int i = 0; i < n; i++) p.m(2, new Pb().v(1, 1 + (i % 10)).v(2, 1));
        for (int l = 1; l <= 10; l++) p.m(4, new Pb().v(1, l).m(4, new Pb().v(1, l).v(2, l)));
        for (int f = 1; f <= 10; f++) p.m(5, new Pb().v(1, f).v(2, 3));
        p.s(6, "").s(6, "samples").s(6, "count").s(6, "main.f");
        return p.bytes();
    }

    /** A varint of {@code v} (unsigned), as protobuf writes it. */
    private static byte[] varint(long v) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while ((v & ~0x7FL) != 0) { out.write((int) ((v & 0x7F) | 0x80)); v >>>= 7; }
        out.write((int) v);
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(longs = {(1L << 32) + 3, 1L << 32, 1L << 63, 2200L << 20})
    void lengthsAreReadInSixtyFourBits(long declared) throws Exception {
        // appended to a real profile: a string_table entry (field 6) or an unknown field 99, each with a huge length
        // and 3 bytes of data. Read in 32 bits, 2^32 + 3 was taken as 3 and the file accepted.
        byte[] real = uncompressed(pprofDir().resolve("cpu-baseline.pb.gz"));
        for (byte[] tag : new byte[][] {{0x32}, varint(99 << 3 | 2)}) {
            java.io.ByteArrayOutputStream f = new java.io.ByteArrayOutputStream();
            f.write(real);
            f.write(tag);
            f.write(varint(declared));
            f.write(new byte[] {'a', 'b', 'c'});
            ProfileFormatException e = expectFormatError(f.toByteArray(), "huge-length.pb");
            assertTrue(e.getMessage().contains("declared length of " + Long.toUnsignedString(declared))
                    || e.getMessage().contains("ends in the middle of a message"), declared + ": " + e.getMessage());
            if (declared > Integer.MAX_VALUE) assertTrue(e.getMessage().contains("more than any profile holds"), e.getMessage());
        }
    }
}
