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
import dev.kiln.model.ThreadTable;
import dev.kiln.model.ValueType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Reads every Go text capture ({@code *.debug1.txt}, {@code *.debug2.txt}) of the corpus and checks it against the
 * facts in its {@code .facts.txt}, which are parsed here (no number of the corpus is written in this test).
 */
class GoTextReaderTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    // ------------------------------------------------------------------ corpus access

    static Path folder(String name) {
        URL url = GoTextReaderTest.class.getClassLoader().getResource("captures/" + name);
        assertNotNull(url, "captures/" + name + " is not on the test classpath");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    static Stream<String> captures() throws IOException {
        List<String> names;
        try (Stream<Path> s = Files.list(folder("pprof"))) {
            names = s.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches(".*\\.debug[12]\\.txt") && !n.endsWith(".facts.txt")).sorted().toList();
        }
        assertTrue(names.size() >= 9, "expected the Go text captures in captures/pprof, found " + names);
        return names.stream();
    }

    static Profile load(Path file) throws IOException, ProfileFormatException {
        try (InputStream in = Files.newInputStream(file)) {
            return GoTextReader.read(in, file.getFileName().toString(), ProgressSink.NONE);
        }
    }

    static Profile load(String text, String name) throws IOException, ProfileFormatException {
        return GoTextReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), name, ProgressSink.NONE);
    }

    static List<String> facts(Path capture) throws IOException {
        String name = capture.getFileName().toString();
        Path f = capture.resolveSibling(name.substring(0, name.length() - ".txt".length()) + ".facts.txt");
        assertTrue(Files.exists(f), "no facts file " + f);
        return Files.readAllLines(f);
    }

    static String fact(List<String> facts, String prefix) {
        for (String l : facts) if (l.startsWith(prefix)) return l.substring(prefix.length()).trim();
        return null;
    }

    static Matcher need(Pattern p, String text) {
        assertNotNull(text, "fact missing for " + p);
        Matcher m = p.matcher(text);
        assertTrue(m.find(), "fact '" + text + "' does not match " + p);
        return m;
    }

    /** The "<count>  <name>" lines under a section title of a debug=2 facts file. */
    static Map<String, Long> section(List<String> facts, String title) {
        Map<String, Long> out = new LinkedHashMap<>();
        boolean in = false;
        Pattern row = Pattern.compile("^\\s+(\\d+)\\s+(.+)$");
        for (String l : facts) {
            if (l.startsWith(title)) { in = true; continue; }
            if (!in) continue;
            Matcher m = row.matcher(l);
            if (!m.matches()) break;
            out.put(m.group(2), Long.parseLong(m.group(1)));
        }
        assertFalse(out.isEmpty(), "facts have no section " + title);
        return out;
    }

    static String topFrame(Profile p, int stack) {
        return stack < 0 ? "<no frames>" : p.frameName(p.stacks().frame(stack));
    }

    static Map<String, String> labels(Profile p, int set) {
        Map<String, String> m = new LinkedHashMap<>();
        if (set < 0) return m;
        LabelTable l = p.labels();
        for (int i = l.start(set); i < l.end(set); i++) {
            m.put(p.string(l.key(i)), l.str(i) >= 0 ? p.string(l.str(i)) : Long.toString(l.num(i)));
        }
        return m;
    }

    static <K> Map<K, Long> countBy(int n, java.util.function.IntFunction<K> key) {
        Map<K, Long> m = new HashMap<>();
        for (int i = 0; i < n; i++) m.merge(key.apply(i), 1L, Long::sum);
        return m;
    }

    // ------------------------------------------------------------------ every capture against its facts

    @ParameterizedTest
    @MethodSource("captures")
    void captureMatchesFacts(String name) throws Exception {
        Path file = folder("pprof").resolve(name);
        List<String> facts = facts(file);
        Profile p = assertTimeoutPreemptively(LIMIT, () -> load(file));
        ProfileValidator.check(p);
        assertEquals(SourceFormat.GO_TEXT, p.format());
        assertEquals(name, p.sourceName());
        assertEquals(GoTextReader.PRODUCER, p.producer());
        assertFalse(p.isIncomplete(), () -> "complete capture marked incomplete: " + p.warnings());
        assertEquals(List.of(), p.warnings());
        assertEquals(1, p.sampleTables().size());
        String format = fact(facts, "format:");
        assertNotNull(format, "facts have no format line");
        if (format.startsWith("count profile")) checkCount(p, facts);
        else if (format.contains("debug=2")) checkTracebacks(p, facts);
        else if (format.startsWith("legacy heap")) checkHeap(p, file, facts);
        else if (format.startsWith("legacy contention")) checkContention(p, facts);
        else fail("unknown format in facts: " + format);
    }

    private void checkCount(Profile p, List<String> facts) {
        Matcher h = need(Pattern.compile("^(\\S+) profile: total (\\d+)$"), fact(facts, "first line:"));
        ValueType vt = new ValueType(h.group(1), "count");
        assertEquals(List.of(vt), p.valueTypes());
        assertEquals(vt, p.periodType());
        assertEquals(1, p.period());
        assertEquals(vt, p.defaultValueType());
        assertTrue(p.comments().contains(fact(facts, "first line:")));
        SampleTable t = p.sampleTables().get(0);
        Matcher r = need(Pattern.compile("records: (\\d+)\\s+sum_of_counts: (\\d+)"), fact(facts, "records:") == null
                ? null : "records: " + fact(facts, "records:"));
        int records = Integer.parseInt(r.group(1));
        assertEquals(records, t.size());
        assertEquals(Long.parseLong(r.group(2)), t.total(0));
        assertEquals(Long.parseLong(h.group(2)), t.total(0), "header total");
        assertEquals(Map.of(h.group(1) + " records", (long) records), p.eventCounts());
        Pattern rec = Pattern.compile("^\\s*record (\\d+): count=(\\d+) top=(.+)$");
        Pattern lab = Pattern.compile("^\\s*record (\\d+) # labels: (\\{.*\\})$");
        Map<Integer, Map<String, String>> expectedLabels = new HashMap<>();
        int seen = 0;
        for (String l : facts) {
            Matcher m = rec.matcher(l);
            if (m.matches()) {
                int row = Integer.parseInt(m.group(1)) - 1;
                assertEquals(Long.parseLong(m.group(2)), t.value(0, row), "count of record " + (row + 1));
                assertEquals(m.group(3), topFrame(p, t.stack(row)), "top frame of record " + (row + 1));
                seen++;
            }
            Matcher lm = lab.matcher(l);
            if (lm.matches()) {
                Map<String, String> kv = new LinkedHashMap<>();
                Matcher pair = Pattern.compile("\"([^\"]*)\":\"([^\"]*)\"").matcher(lm.group(2));
                while (pair.find()) kv.put(pair.group(1), pair.group(2));
                expectedLabels.put(Integer.parseInt(lm.group(1)) - 1, kv);
            }
        }
        assertEquals(records, seen, "facts list every record");
        for (int row = 0; row < t.size(); row++) {
            assertEquals(expectedLabels.getOrDefault(row, Map.of()), labels(p, t.labelSet(row)), "labels of record " + (row + 1));
        }
        // Self weight per top function agrees with the records.
        FunctionTotals ft = FunctionTotals.of(p, vt);
        assertEquals(t.total(0), ft.grandTotal());
    }

    private void checkTracebacks(Profile p, List<String> facts) {
        int n = Integer.parseInt(fact(facts, "goroutines:"));
        ValueType vt = new ValueType("goroutine", "count");
        assertEquals(List.of(vt), p.valueTypes());
        SampleTable t = p.sampleTables().get(0);
        assertEquals(n, t.size());
        assertEquals(n, t.total(0));
        ThreadTable th = p.threads();
        assertEquals(n, th.size());
        assertEquals(Map.of("goroutine records", (long) n), p.eventCounts());
        java.util.Set<Long> ids = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
            assertTrue(ids.add(th.goroutineId(i)), "goroutine id twice");
            assertEquals("goroutine " + th.goroutineId(i), p.threadName(i));
            assertEquals(i, t.thread(i), "sample " + i + " points at its goroutine");
            assertEquals(p.string(th.state(i)), labels(p, t.labelSet(i)).get("state"));
        }
        assertEquals(section(facts, "states"), countBy(n, i -> p.string(th.state(i))));
        assertEquals(section(facts, "top frame function"), countBy(n, i -> topFrame(p, t.stack(i))));
        Map<String, Long> created = new HashMap<>(countBy(n, i -> th.createdByStack(i) < 0 ? null
                : topFrame(p, th.createdByStack(i))));
        created.remove(null);
        assertEquals(section(facts, "created by"), created);
        FunctionTotals ft = FunctionTotals.of(p, vt);
        section(facts, "top frame function").forEach((f, c) -> assertEquals(c, ft.row(f).self(), "self of " + f));
    }

    private static final Pattern HEAP_HEADER = Pattern.compile(
            "heap profile: (\\d+): (\\d+) \\[(\\d+): (\\d+)\\] @ heap/(\\d+)");
    private static final Pattern HEAP_RECORD = Pattern.compile("^(\\d+): (\\d+) \\[(\\d+): (\\d+)\\] @", Pattern.MULTILINE);

    private void checkHeap(Profile p, Path file, List<String> facts) throws IOException {
        String first = fact(facts, "first line:");
        Matcher h = need(HEAP_HEADER, first);
        assertTrue(p.comments().contains(first));
        List<ValueType> types = List.of(new ValueType("alloc_objects", "count"), new ValueType("alloc_space", "bytes"),
                new ValueType("inuse_objects", "count"), new ValueType("inuse_space", "bytes"));
        assertEquals(types, p.valueTypes());
        assertEquals(new ValueType("inuse_space", "bytes"), p.defaultValueType());
        long rate = Long.parseLong(h.group(5)) / 2;
        assertEquals(rate, p.period());
        SampleTable t = p.sampleTables().get(0);
        int records = Integer.parseInt(fact(facts, "records:"));
        assertEquals(records, t.size());
        assertEquals(Map.of("heap records", (long) records), p.eventCounts());
        // Independent oracle: the raw record values of the text, unsampled with pprof's formula.
        String text = Files.readString(file);
        Matcher m = HEAP_RECORD.matcher(text);
        long[] raw = new long[4], scaled = new long[4];
        int row = 0;
        while (m.find()) {
            long io = Long.parseLong(m.group(1)), ib = Long.parseLong(m.group(2));
            long ao = Long.parseLong(m.group(3)), ab = Long.parseLong(m.group(4));
            raw[0] += io; raw[1] += ib; raw[2] += ao; raw[3] += ab;
            long[] a = unsample(ao, ab, rate), u = unsample(io, ib, rate);
            long[] expected = {a[0], a[1], u[0], u[1]};
            for (int v = 0; v < 4; v++) {
                assertEquals(expected[v], t.value(v, row), "value " + types.get(v) + " of record " + (row + 1));
                scaled[v] += expected[v];
            }
            long objects = io != 0 ? io : ao, bytes = io != 0 ? ib : ab;
            assertEquals(Map.of("bytes", Long.toString(objects == 0 ? 0 : bytes / objects)), labels(p, t.labelSet(row)));
            row++;
        }
        assertEquals(records, row);
        // The header totals are the raw sums of the records.
        assertArrayEquals(new long[] {Long.parseLong(h.group(1)), Long.parseLong(h.group(2)), Long.parseLong(h.group(3)),
                Long.parseLong(h.group(4))}, raw);
        for (int v = 0; v < 4; v++) assertEquals(scaled[v], t.total(v), types.get(v).toString());
        // The facts say the text holds the same data as the protobuf written right before it, which the Go runtime
        // unsamples with the same formula: the unsampled totals must be exactly the protobuf's sums.
        String name = file.getFileName().toString();
        Path pb = file.resolveSibling(name.replace(".debug1.txt", ".facts.txt"));
        assertTrue(Files.exists(pb), "no facts of the protobuf twin " + pb);
        List<String> pbFacts = Files.readAllLines(pb);
        for (int v = 0; v < 4; v++) {
            String s = fact(pbFacts, "sum[" + types.get(v) + "]:");
            assertNotNull(s, "no sum of " + types.get(v) + " in " + pb.getFileName());
            assertEquals(Long.parseLong(s), t.total(v), types.get(v) + " vs " + pb.getFileName());
        }
        // MemStats lines of the facts are kept as comments.
        Pattern ms = Pattern.compile("^\\s*memstats (\\w+) = (.+)$");
        int memstats = 0;
        for (String l : facts) {
            Matcher mm = ms.matcher(l);
            if (mm.matches()) {
                assertTrue(p.comments().contains("MemStats." + mm.group(1) + " = " + mm.group(2)), l);
                memstats++;
            }
        }
        assertTrue(memstats > 0, "facts list memstats");
    }

    /** pprof's scaleHeapSample, written out again as the oracle. */
    private static long[] unsample(long count, long size, long rate) {
        if (count == 0 || size == 0) return new long[] {0, 0};
        double scale = 1 / (1 - Math.exp(-((double) size / count) / rate));
        return new long[] {(long) (count * scale), (long) (size * scale)};
    }

    private void checkContention(Profile p, List<String> facts) {
        String first = fact(facts, "first line:");
        Matcher h = need(Pattern.compile("^--- (contention|mutex):$"), first);
        assertTrue(p.comments().contains(first));
        ValueType contentions = new ValueType("contentions", "count"), delay = new ValueType("delay", "nanoseconds");
        assertEquals(List.of(contentions, delay), p.valueTypes());
        assertEquals(delay, p.defaultValueType());
        String periodFact = fact(facts, "sampling period:");
        long period = periodFact == null ? 1 : Long.parseLong(periodFact);
        assertEquals(period, p.period());
        double hz = Double.parseDouble(fact(facts, "cycles/second:"));
        Matcher r = need(Pattern.compile("(\\d+)\\s+sum_count\\(contentions\\): (\\d+)\\s+sum_cycles: (\\d+)\\s+delay_seconds: ([0-9.]+)"),
                fact(facts, "records:"));
        int records = Integer.parseInt(r.group(1));
        SampleTable t = p.sampleTables().get(0);
        assertEquals(records, t.size());
        assertEquals(Map.of(h.group(1) + " records", (long) records), p.eventCounts());
        assertEquals(Long.parseLong(r.group(2)) * period, t.total(0));
        double delaySeconds = t.total(1) / 1e9;
        // delay_seconds is rounded to 6 decimals; each record's nanoseconds are truncated (< 1 ns each).
        assertEquals(Double.parseDouble(r.group(4)), delaySeconds, 0.5e-6 + records * 1e-9);
        assertEquals(Long.parseLong(r.group(3)) * period / (hz / 1e9), t.total(1), records + 1.0);
        for (int row = 0; row < t.size(); row++) assertTrue(t.stack(row) >= 0, "record " + (row + 1) + " has frames");
    }

    // ------------------------------------------------------------------ detection

    @ParameterizedTest
    @MethodSource("captures")
    void detectsEveryCaptureFromItsHead(String name) throws IOException {
        byte[] all = Files.readAllBytes(folder("pprof").resolve(name));
        for (int len : new int[] {16, 64, 4096}) {
            int n = Math.min(len, all.length);
            assertTrue(GoTextReader.looksLikeGoText(all, n), name + " head of " + n + " bytes");
        }
    }

    @Test
    void rejectsOtherHeads() throws IOException {
        for (String other : new String[] {"pprof/goroutine.pb.gz", "pprof/cpu-baseline-uncompressed.pb", "jfr/jdk17-mixed.jfr"}) {
            byte[] b = Files.readAllBytes(folder("").resolve(other));
            assertFalse(GoTextReader.looksLikeGoText(b, Math.min(b.length, 4096)), other);
        }
        assertFalse(GoTextReader.looksLikeGoText(new byte[0], 0));
        assertFalse(GoTextReader.looksLikeGoText("hello world\n".getBytes(StandardCharsets.US_ASCII), 12));
        assertFalse(GoTextReader.looksLikeGoText("goroutinez 1 [running]:\n".getBytes(StandardCharsets.US_ASCII), 24));
        byte[] cut = "goroutine 1 [runn".getBytes(StandardCharsets.US_ASCII);
        assertTrue(GoTextReader.looksLikeGoText(cut, cut.length), "a header cut by the end of the head");
    }

    // ------------------------------------------------------------------ damaged files

    /**
     * The count profile is cut inside the symbol lines of its last record. Go ends every record with an empty
     * line, so the reader knows that record is cut: it keeps the complete records (their numbers match the
     * records of the full capture) and drops the cut one, marking the profile incomplete. ({@code go tool pprof}
     * counts the cut record's value without symbols: 51; we prefer not to show a stack we know to be cut.)
     */
    @Test
    void truncatedCountProfileKeepsCompleteRecords() throws Exception {
        Path bad = folder("bad").resolve("truncated-goroutine.debug1.txt");
        Profile p = assertTimeoutPreemptively(LIMIT, () -> load(bad));
        ProfileValidator.check(p);
        assertTrue(p.isIncomplete());
        assertTrue(p.warnings().stream().anyMatch(w -> w.contains("dropped")), p.warnings().toString());
        String text = Files.readString(bad);
        int complete = text.split("\n\n", -1).length - 1; // each complete record ends with an empty line
        long started = Pattern.compile("(?m)^\\d+ @").matcher(text).results().count();
        assertTrue(complete < started, "the damaged file really has a cut record");
        Profile full = load(folder("pprof").resolve("goroutine.debug1.txt"));
        SampleTable t = p.sampleTables().get(0), ft = full.sampleTables().get(0);
        assertEquals(complete, t.size());
        long sum = 0;
        for (int r = 0; r < complete; r++) {
            assertEquals(ft.value(0, r), t.value(0, r));
            assertEquals(topFrame(full, ft.stack(r)), topFrame(p, t.stack(r)));
            sum += ft.value(0, r);
        }
        assertEquals(sum, t.total(0));
    }

    /**
     * The goroutine dump is cut inside a goroutine header. Better than {@code go tool pprof} (which rejects the
     * file), the reader keeps every goroutine before it, identical to the same goroutines of the full capture,
     * and marks the profile incomplete.
     */
    @Test
    void truncatedGoroutineDumpKeepsCompleteGoroutines() throws Exception {
        Path bad = folder("bad").resolve("truncated-goroutine.debug2.txt");
        Profile p = assertTimeoutPreemptively(LIMIT, () -> load(bad));
        ProfileValidator.check(p);
        assertTrue(p.isIncomplete());
        assertTrue(p.warnings().stream().anyMatch(w -> w.contains("Incomplete")), p.warnings().toString());
        String text = Files.readString(bad);
        long headers = Pattern.compile("(?m)^goroutine \\d+ \\[[^\\]]*\\]:\n").matcher(text).results().count();
        assertTrue(headers > 0);
        Profile full = load(folder("pprof").resolve("goroutine-leak.debug2.txt"));
        assertEquals(headers, p.threads().size());
        assertTrue(p.threads().size() < full.threads().size());
        SampleTable t = p.sampleTables().get(0), ft = full.sampleTables().get(0);
        for (int i = 0; i < p.threads().size(); i++) {
            assertEquals(full.threads().goroutineId(i), p.threads().goroutineId(i));
            assertEquals(full.string(full.threads().state(i)), p.string(p.threads().state(i)));
            assertEquals(topFrame(full, ft.stack(i)), topFrame(p, t.stack(i)));
            assertEquals(full.stacks().depth(ft.stack(i)), p.stacks().depth(t.stack(i)));
            assertEquals(topFrame(full, full.threads().createdByStack(i)), topFrame(p, p.threads().createdByStack(i)));
        }
    }

    @Test
    void countProfileCutBetweenRecordsIsIncomplete() throws Exception {
        String full = Files.readString(folder("pprof").resolve("goroutine.debug1.txt"));
        String cut = full.substring(0, full.indexOf("\n\n") + 2); // header + first complete record
        Profile p = load(cut, "cut.txt");
        ProfileValidator.check(p);
        assertEquals(1, p.sampleTables().get(0).size());
        assertTrue(p.isIncomplete(), "header total larger than the records read");
    }

    @ParameterizedTest
    @ValueSource(strings = {"empty", "blank", "hello", "random", "json", "jfr", "pb", "longline", "nul"})
    void garbageIsRejectedWithFileName(String kind) throws IOException {
        byte[] data = switch (kind) {
            case "empty" -> new byte[0];
            case "blank" -> "\n\n   \n".getBytes(StandardCharsets.US_ASCII);
            case "hello" -> "hello world\nthis is not a profile\n".getBytes(StandardCharsets.US_ASCII);
            case "random" -> { byte[] b = new byte[1 << 16]; new Random(42).nextBytes(b); yield b; }
            case "json" -> "{\"goroutine\": 1}\n".getBytes(StandardCharsets.US_ASCII);
            case "jfr" -> Files.readAllBytes(folder("jfr").resolve("jdk17-mixed.jfr"));
            case "pb" -> Files.readAllBytes(folder("pprof").resolve("cpu-baseline-uncompressed.pb"));
            case "longline" -> "goroutine profile: total 1".repeat(200_000).getBytes(StandardCharsets.US_ASCII);
            case "nul" -> new byte[3 << 20];
            default -> throw new AssertionError(kind);
        };
        String name = "garbage-" + kind + ".txt";
        ProfileFormatException e = assertTimeoutPreemptively(LIMIT, () -> assertThrows(ProfileFormatException.class,
                () -> GoTextReader.read(new ByteArrayInputStream(data), name, ProgressSink.NONE)));
        assertEquals(name, e.fileName());
        assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
        assertTrue(e.reason().contains("not a Go profile") || e.reason().contains("longer than"), e.reason());
        assertTrue(e.offset() >= 0 && e.offset() <= data.length, "offset " + e.offset());
    }

    @Test
    void malformedLineInsideAProfileNamesTheLine() {
        String text = "goroutine profile: total 3\n2 @ 0x1 0x2\n#\t0x1\tmain.a+0x1\t/x.go:3\n\nthis is wrong\n";
        ProfileFormatException e = assertThrows(ProfileFormatException.class, () -> load(text, "bad.txt"));
        assertTrue(e.reason().contains("line 5"), e.reason());
        assertEquals(text.indexOf("this is wrong"), e.offset());
    }

    @Test
    void cancelStopsReading() {
        ProgressSink cancelled = new ProgressSink() {
            @Override
            public void progress(long done, long total, String what) { }

            @Override
            public boolean isCancelled() { return true; }
        };
        Path big = folder("pprof").resolve("goroutine-leak.debug2.txt");
        assertThrows(CancellationException.class, () -> {
            try (InputStream in = Files.newInputStream(big)) {
                GoTextReader.read(in, "x", cancelled);
            }
        });
    }

    // ------------------------------------------------------------------ syntax of other Go versions

    @Test
    void tracebackSyntaxOfNewerGo() throws Exception {
        String text = """
                goroutine 7 [chan receive, 5 minutes, locked to thread]:
                main.worker(0xc000012345, {0x1, 0x2})
                \t/src/app/main.go:12 +0x4f
                main.(*pool).run[...](...)
                \t/src/app/pool.go:40
                ...additional frames elided...
                created by main.start in goroutine 1
                \t/src/app/main.go:30 +0x93

                goroutine 9 [chan receive (nil chan)]:
                main.stuck()
                \t/src/app/main.go:50 +0x1d

                goroutine 3 [syscall]:
                syscall.Syscall(0x0, 0x1, 0x2, 0x3)
                \t/usr/lib/go/src/syscall/syscall_linux.go:68 +0x5
                created by os/signal.Notify.func1.1
                \t/usr/lib/go/src/os/signal/signal.go:151 +0x2a
                """;
        Profile p = load("\uFEFF" + text.replace("\n", "\r\n"), "new.txt"); // with a BOM and CRLF line ends
        ProfileValidator.check(p);
        assertFalse(p.isIncomplete(), p.warnings().toString());
        ThreadTable th = p.threads();
        assertEquals(3, th.size());
        assertEquals(7, th.goroutineId(0));
        assertEquals("chan receive", p.string(th.state(0)));
        assertEquals(5L * 60 * 1_000_000_000L, th.waitNanos(0));
        assertEquals("main.start", topFrame(p, th.createdByStack(0)));
        assertEquals(Map.of("state", "chan receive", "locked_to_thread", "true", "created_by_goroutine", "1"),
                labels(p, p.sampleTables().get(0).labelSet(0)));
        assertEquals(Map.of("state", "syscall"), labels(p, p.sampleTables().get(0).labelSet(2)));
        int s0 = p.sampleTables().get(0).stack(0);
        assertEquals("main.worker", topFrame(p, s0));
        assertEquals(12, p.frames().line(p.stacks().frame(s0)));
        assertEquals(2, p.stacks().depth(s0));
        assertEquals("main.(*pool).run[...]", topFrame(p, p.stacks().parent(s0)));
        assertTrue(p.warnings().stream().anyMatch(w -> w.contains("elided")));
        assertEquals("chan receive (nil chan)", p.string(th.state(1)));
        assertEquals(-1, th.waitNanos(1));
        assertEquals(-1, th.createdByStack(1));
        assertEquals("syscall", p.string(th.state(2)));
        assertEquals("os/signal.Notify.func1.1", topFrame(p, th.createdByStack(2)));
        assertEquals("os/signal", p.string(p.functions().container(p.frames().func(p.stacks().frame(th.createdByStack(2))))));
    }

    @Test
    void heapWithoutSeparateAllocTotalsHasPprofsTwoTypes() throws Exception {
        String text = "heap profile: 2: 2048 [2: 2048] @ heap/1048576\n"
                + "2: 2048 [2: 2048] @ 0x10\n#\t0x10\tmain.alloc+0x1\t/m.go:3\n\n"
                + "\n# runtime.MemStats\n# Alloc = 5\n# PauseNs = [1 2 3]\n";
        Profile p = load(text, "heap.txt");
        ProfileValidator.check(p);
        assertEquals(List.of(new ValueType("objects", "count"), new ValueType("space", "bytes")), p.valueTypes());
        assertEquals(new ValueType("space", "bytes"), p.defaultValueType());
        double scale = 1 / (1 - Math.exp(-1024.0 / 524288));
        assertEquals((long) (2 * scale), p.sampleTables().get(0).value(0, 0));
        assertEquals((long) (2048 * scale), p.sampleTables().get(0).value(1, 0));
        assertTrue(p.comments().contains("MemStats.Alloc = 5"));
        assertTrue(p.comments().stream().noneMatch(c -> c.startsWith("MemStats.PauseNs")));
        assertFalse(p.isIncomplete(), p.warnings().toString());
    }

    @Test
    void heapHeaderLargerThanRecordsIsIncomplete() throws Exception {
        String text = "heap profile: 3: 3072 [3: 3072] @ heap/1048576\n"
                + "2: 2048 [2: 2048] @ 0x10\n#\t0x10\tmain.alloc+0x1\t/m.go:3\n\n";
        Profile p = load(text, "heap.txt");
        assertTrue(p.isIncomplete());
        assertEquals(1, p.sampleTables().get(0).size());
    }

    @Test
    void countProfileLabelsAreUnquotedLikeGo() throws Exception {
        String text = "goroutine profile: total 2\n"
                + "2 @ 0x10 0x20\n# labels: {\"a\\\"b\":\"x\\ty\", \"k\":\"\\u00e9\"}\n#\t0x10\tmain.f+0x1\t/m.go:3\n\n";
        Profile p = load(text, "labels.txt");
        assertEquals(Map.of("a\"b", "x\ty", "k", "\u00e9"), labels(p, p.sampleTables().get(0).labelSet(0)));
        assertEquals(0x10, p.frames().address(0));
        assertEquals("/m.go", p.string(p.functions().file(0)));
        assertEquals(List.of(), new ArrayList<>(p.warnings()));
    }

    // ---- hostile numbers and long lines (found by a differential run of the split readers)

    @Test
    void anOutOfRangeTimeSinceResetIsAWarningNotACrash() throws Exception {
        Profile p = load("--- mutex:\ncycles/second=1000000000\nsampling period=1\nms since reset=99999999999999\n"
                + "100 2 @ 0x1\n#\t0x1\tmain.lock+0x1\t/src/main.go:3\n\n", "mutex.txt");
        assertEquals(0, p.durationNanos());
        assertTrue(p.warnings().stream().anyMatch(w -> w.contains("ms since reset")), p.warnings().toString());
        assertEquals(1, p.sampleTables().get(0).size());
    }

    @Test
    void aHugeGoroutineWaitSaturatesInsteadOfWrapping() throws Exception {
        Profile p = load("goroutine 1 [chan receive, 999999999 minutes]:\nmain.main()\n\t/src/main.go:5 +0x1\n\n", "g.txt");
        assertTrue(p.threads().waitNanos(0) > 0 && p.threads().waitNanos(0) >= Long.MAX_VALUE / 2, "" + p.threads().waitNanos(0));
    }

    @Test
    void aLabelsLineOfManyStringsReadsInLinearTime() {
        StringBuilder labels = new StringBuilder("# labels: {");
        for (int i = 0; i < 60_000; i++) labels.append(i == 0 ? "" : ", ").append("\"k").append(i).append("\":\"v\"");
        String text = "goroutine profile: total 1\n1 @ 0x1\n" + labels + "}\n#\t0x1\tmain.f+0x1\t/src/main.go:3\n\n";
        // quadratic before: a buffer of four times the rest of the line per string (about 20 s for such a line)
        Profile p = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> load(text, "goroutine.txt"));
        int set = p.sampleTables().get(0).labelSet(0);
        assertEquals(60_000, p.labels().end(set) - p.labels().start(set));
    }

    @ParameterizedTest
    @ValueSource(strings = {"threadcreate.debug1.txt", "goroutine.debug1.txt", "block.debug1.txt", "mutex.debug1.txt"})
    void aLastRecordWithoutItsEmptyLineIsKept(String name) throws Exception {
        // Other writers end the text after the last record's lines (google/pprof's own test files do); pprof keeps it.
        Path file = dev.kiln.testutil.Captures.file("pprof", name);
        String text = Files.readString(file);
        String cut = text.replaceAll("\\n+$", "\n");
        if (text.contains("\n# runtime.MemStats")) return; // heap profiles end with their MemStats, not a record
        Profile whole = load(text, name), noBlank = load(cut, name);
        assertFalse(noBlank.isIncomplete(), noBlank.warnings().toString());
        SampleTable a = whole.sampleTables().get(0), b = noBlank.sampleTables().get(0);
        assertEquals(a.size(), b.size(), "records");
        for (int v = 0; v < a.valueTypes().size(); v++) assertEquals(a.total(v), b.total(v), a.valueTypes().get(v).toString());
        // a cut inside the last line still drops that record and says so
        Profile inside = load(cut.substring(0, cut.length() - 3), name);
        assertTrue(inside.isIncomplete());
        assertEquals(a.size() - 1, inside.sampleTables().get(0).size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"goroutine.debug1.txt", "block.debug1.txt", "mutex.debug1.txt", "heap-baseline.debug1.txt"})
    void addressOnlyRecordsKeepTheirFrames(String name) throws Exception {
        // Without its '#' symbol lines every record still has its stack: one frame per address, named <unknown>
        // as go tool pprof -top names them (checked with Go 1.19's pprof on these stripped files), address - 1 kept.
        String text = Files.readString(dev.kiln.testutil.Captures.file("pprof", name));
        String stripped = text.lines().filter(l -> !l.startsWith("#\t")).collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        Profile whole = load(text, name), bare = load(stripped, name);
        SampleTable a = whole.sampleTables().get(0), b = bare.sampleTables().get(0);
        assertEquals(a.size(), b.size());
        for (int v = 0; v < a.valueTypes().size(); v++) assertEquals(a.total(v), b.total(v), a.valueTypes().get(v).toString());
        Matcher first = Pattern.compile("(?m)^[^#\\n]* @ (0x[0-9a-f]+)((?: 0x[0-9a-f]+)*)$").matcher(stripped);
        assertTrue(first.find());
        int depth = 0;
        for (int st = b.stack(0); st >= 0; st = bare.stacks().parent(st)) {
            assertEquals("<unknown>", bare.frameName(bare.stacks().frame(st)));
            depth++;
        }
        assertEquals(first.group(0).substring(first.group(0).indexOf('@') + 1).trim().split(" ").length, depth, "a frame per address");
        int leaf = bare.stacks().frame(b.stack(0));
        assertEquals(Long.parseLong(first.group(1).substring(2), 16) - 1, bare.frames().address(leaf));
        assertTrue(bare.warnings().stream().anyMatch(w -> w.contains("no symbols")), bare.warnings().toString());
        ProfileValidator.check(bare);
    }

    @Test
    void aGperftoolsHeapProfileReadsAsGoToolPprofReadsIt() throws Exception {
        // tcmalloc's text: padded columns, no symbols, a MAPPED_LIBRARIES section (it was refused as a malformed Go heap profile)
        Path file = dev.kiln.testutil.Captures.file("cpp", "gperftools.heap");
        Profile p = load(file);
        ProfileValidator.check(p);
        assertFalse(p.isIncomplete(), p.warnings().toString());
        assertTrue(p.warnings().stream().noneMatch(w -> w.contains("MemStats")), p.warnings().toString());
        assertFalse(p.mappings().isEmpty());
        // ground truth: go tool pprof -symbolize=none -top, one section per value type: "  flat flat% sum% cum cum% name"
        List<String> truth = Files.readAllLines(file.resolveSibling("gperftools.heap.top.txt"));
        int checked = 0;
        String type = null;
        for (String line : truth) {
            if (line.startsWith("Type: ")) { type = line.substring(6).trim(); continue; }
            String[] f = line.trim().split("\\s+");
            if (f.length != 6 || !f[0].matches("\\d+B?")) continue;
            String vt = type;
            ValueType valueType = p.sampleTables().get(0).valueTypes().stream().filter(v -> v.kind().equals(vt)).findFirst().orElseThrow();
            FunctionTotals.Row row = FunctionTotals.of(p, valueType).row(f[5]);
            assertNotNull(row, f[5]);
            assertEquals(Long.parseLong(f[0].replace("B", "")), row.self(), type + " flat of " + f[5]);
            assertEquals(Long.parseLong(f[3].replace("B", "")), row.total(), type + " cum of " + f[5]);
            checked++;
        }
        assertEquals(4, checked);
    }
}
