// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.testutil.JfrSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static dev.kiln.app.CliTest.CAPTURES;
import static dev.kiln.app.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kiln events} end to end: the types and counts against the JDK's {@code jfr summary} of every corpus recording
 * ({@code captures/jfr/*.summary.txt}), the events of every type against the JDK's {@code jfr print --json} of eleven
 * recordings, the held-out ones of gen/record-holdout.sh among them ({@code captures/jfr/print/*.print.json.gz}, made by {@code print-truth.sh}: per type the count and the
 * first and last three events), compared field by field; the filters and the usage errors.
 */
class EventsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A recording of the corpus, or one under print/ that only these tests read (a made-for-them one, see jfr/gen/README.md). */
    static Path recording(String name, String suffix) {
        Path corpus = CAPTURES.resolve("jfr/" + name + suffix);
        return Files.exists(corpus) ? corpus : CAPTURES.resolve("jfr/print/" + name + suffix);
    }

    /** Every row of a jfr summary table, zero counts too; JDK 25 names the checkpoints jdk.Checkpoint, JDK 17 jdk.CheckPoint. */
    private static Map<String, Long> summary(Path file) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        JfrSummary.rows(file).forEach((name, n) -> counts.put(name.equals("jdk.Checkpoint") ? "jdk.CheckPoint" : name, n));
        return counts;
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17-mixed", "jdk17-multichunk", "jdk17-diff-baseline", "jdk17-diff-regressed", "jdk17-emergency-dump",
            "jdk17-emergency-dump-undeclared", "jdk25-mixed", "jdk25-diff-baseline", "jdk25-diff-regressed", "jdk25-cputime-methodtiming",
            "asprof-jdk17-mixed", "jdk17-parallel-gc", "jdk25-zgc", "jdk17-zgc", "jdk17-serial", "jdk25-parallel", "jdk25-serial"})
    void everyTypeIsCountedAsJfrSummaryCountsIt(String name) throws Exception {
        CliTest.Result r = run("events", recording(name, ".jfr").toString(), "--json");
        assertEquals(0, r.code(), r.err());
        Map<String, Long> got = new TreeMap<>();
        for (JsonNode t : JSON.readTree(r.out())) {
            assertTrue(t.get("category").isArray() && t.get("fields").isArray(), t.toString());
            got.put(t.get("name").asText(), t.get("count").asLong());
        }
        assertEquals(summary(recording(name, ".summary.txt")), got);
    }

    @Test
    void typesCarryTheirCategoryAndFieldUnits() throws Exception {
        CliTest.Result r = run("events", CAPTURES.resolve("jfr/jdk17-mixed.jfr").toString(), "--json");
        JsonNode park = null;
        for (JsonNode t : JSON.readTree(r.out())) if (t.get("name").asText().equals("jdk.ThreadPark")) park = t;
        assertEquals("[\"Java Application\"]", park.get("category").toString());
        assertEquals(2775, park.get("count").asLong());
        List<String> fields = new ArrayList<>();
        for (JsonNode f : park.get("fields")) {
            fields.add(f.get("name").asText() + ":" + f.get("type").asText() + ":" + f.get("contentType").asText() + ":" + f.get("unit").asText());
        }
        assertEquals(List.of("startTime:long:Timestamp:TICKS", "duration:long:Timespan:TICKS", "eventThread:java.lang.Thread:null:null",
                "stackTrace:jdk.types.StackTrace:null:null", "parkedClass:java.lang.Class:null:null", "timeout:long:Timespan:NANOSECONDS",
                "until:long:Timestamp:MILLISECONDS_SINCE_EPOCH", "address:long:MemoryAddress:null"), fields);
        CliTest.Result text = run("events", CAPTURES.resolve("jfr/jdk17-mixed.jfr").toString());
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().lines().anyMatch(l -> l.matches("\\s+6,148\\s+jdk\\.GCPhaseParallel\\s+Java Virtual Machine / GC / Phases")), text.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17-mixed", "jdk17-multichunk", "jdk25-mixed", "asprof-jdk17-mixed", "jdk17-emergency-dump", "jdk17-parallel-gc",
            "jdk25-zgc", "jdk17-zgc", "jdk17-serial", "jdk25-parallel", "jdk25-serial"})
    void everyTypePrintsTheValuesOfJfrPrintJson(String name) throws Exception {
        JsonNode truth;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(CAPTURES.resolve("jfr/print/" + name + ".print.json.gz")))) {
            truth = JSON.readTree(in);
        }
        String file = recording(name, ".jfr").toString();
        int types = 0, events = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = truth.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> t = it.next();
            CliTest.Result r = run("events", file, "--type", t.getKey(), "--json");
            assertEquals(0, r.code(), r.err());
            JsonNode got = JSON.readTree(r.out()).get("recording").get("events");
            int n = t.getValue().get("count").asInt();
            assertEquals(n, got.size(), t.getKey());
            JsonNode head = t.getValue().get("head"), tail = t.getValue().get("tail");
            boolean jdk17Tool = !JDK25_TOOL.contains(name);
            for (int i = 0; i < head.size(); i++) same(head.get(i), got.get(i), t.getKey() + "[" + i + "]", jdk17Tool);
            for (int i = 0; i < tail.size(); i++) {
                same(tail.get(i), got.get(n - tail.size() + i), t.getKey() + "[" + (n - tail.size() + i) + "]", jdk17Tool);
            }
            types++;
            events += head.size() + tail.size();
        }
        assertTrue(types >= 12 && events >= 50, types + " types, " + events + " events");
        if (name.endsWith("-zgc")) assertTrue(truth.has("jdk.ZPageAllocation") && truth.has("jdk.ZRelocationSet"), name); // ZGC's own types
    }

    /** The recordings whose truth JDK 25's tool wrote (print-truth.sh); JDK 17's wrote the others. */
    private static final java.util.Set<String> JDK25_TOOL = java.util.Set.of("jdk25-zgc", "jdk25-parallel", "jdk25-serial");
    /**
     * "Forever" (a timespan of the greatest long) as JDK 17's tool wrote it, the greatest value of the field's unit (ns,
     * µs, ms, s), and as JDK 25's writes it and Kiln does, {@code ChronoUnit.FOREVER}.
     */
    private static final java.util.Set<String> JDK17_FOREVER = java.util.Set.of(java.time.Duration.ofNanos(Long.MAX_VALUE).toString(),
            java.time.Duration.of(Long.MAX_VALUE, java.time.temporal.ChronoUnit.MICROS).toString(),
            java.time.Duration.ofMillis(Long.MAX_VALUE).toString(), java.time.Duration.ofSeconds(Long.MAX_VALUE).toString());
    private static final String FOREVER = java.time.temporal.ChronoUnit.FOREVER.getDuration().toString();
    private static final java.math.BigDecimal TWO_TO_64 = new java.math.BigDecimal(java.math.BigInteger.ONE.shiftLeft(64));

    /** {@link #same(JsonNode, JsonNode, String, boolean)} against a truth of JDK 17's tool. */
    static void same(JsonNode want, JsonNode got, String where) { same(want, got, where, true); }

    /**
     * Equal JSON, field names in the same order; numbers by value, as each tool formats them its own way (0.0 and 0E0,
     * 1.0E-5 and 1e-05). Kiln writes what JDK 25's tool writes; against a truth of JDK 17's tool ({@code jdk17Tool}) its
     * two known differences are allowed: "forever" (above) and an {@code @Unsigned} long past 2^63 - 1, which JDK 17's
     * tool wrote signed (-1 for 2^64 - 1).
     */
    static void same(JsonNode want, JsonNode got, String where, boolean jdk17Tool) {
        if (jdk17Tool && want.isTextual() && JDK17_FOREVER.contains(want.asText())) want = JSON.getNodeFactory().textNode(FOREVER);
        if (want.isNumber() && got.isNumber()) {
            java.math.BigDecimal w = want.decimalValue(), g = got.decimalValue();
            if (jdk17Tool && want.isIntegralNumber() && w.signum() < 0 && g.signum() > 0) w = w.add(TWO_TO_64);
            assertEquals(0, w.compareTo(g), where + ": " + want + " vs " + got);
            return;
        }
        assertEquals(want.getNodeType(), got.getNodeType(), where + ": " + want + " vs " + got);
        if (want.isObject()) {
            List<String> wantNames = new ArrayList<>(), gotNames = new ArrayList<>();
            want.fieldNames().forEachRemaining(wantNames::add);
            got.fieldNames().forEachRemaining(gotNames::add);
            assertEquals(wantNames, gotNames, where);
            for (String f : wantNames) same(want.get(f), got.get(f), where + "." + f, jdk17Tool);
        } else if (want.isArray()) {
            assertEquals(want.size(), got.size(), where);
            for (int i = 0; i < want.size(); i++) same(want.get(i), got.get(i), where + "[" + i + "]", jdk17Tool);
        } else {
            assertEquals(want, got, where);
        }
    }

    private static List<JsonNode> events(String... args) throws Exception {
        CliTest.Result r = run(args);
        assertEquals(0, r.code(), r.err());
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(r.out()).get("recording").get("events").forEach(out::add);
        return out;
    }

    @Test
    void limitThreadAndTimeChooseFromTheSameEvents() throws Exception {
        String file = CAPTURES.resolve("jfr/jdk17-mixed.jfr").toString();
        List<JsonNode> all = events("events", file, "--type", "jdk.ThreadPark", "--json");
        assertEquals(2775, all.size());
        assertEquals(all.subList(0, 7), events("events", file, "--type", "ThreadPark", "--json", "--limit", "7"));
        List<JsonNode> pool = all.stream().filter(e -> e.get("values").get("eventThread").get("javaName").asText().matches(".*order-pool.*")).toList();
        assertFalse(pool.isEmpty());
        assertEquals(pool, events("events", file, "--type", "jdk.ThreadPark", "--json", "--thread", "order-pool"));
        // seconds from the chunk's start (jdk17-mixed: 2026-11-22T06:15:19.146Z, by its header)
        List<JsonNode> window = events("events", file, "--type", "jdk.ThreadPark", "--json", "--from", "5", "--to", "6");
        assertFalse(window.isEmpty());
        assertTrue(window.size() < all.size() / 4, window.size() + " of " + all.size());
        for (JsonNode e : window) {
            String start = e.get("values").get("startTime").asText();
            assertTrue(start.compareTo("2026-11-22T06:15:24.1") >= 0 && start.compareTo("2026-11-22T06:15:25.2") < 0, start);
        }
        assertEquals(all.size(), events("events", file, "--type", "jdk.ThreadPark", "--json", "--stack-depth", "1").size());
        assertEquals(1, events("events", file, "--type", "jdk.ThreadPark", "--json", "--stack-depth", "1", "--limit", "1").get(0)
                .get("values").get("stackTrace").get("frames").size());
    }

    @Test
    void textShowsFieldsWithUnitsAndStacksByFrame() {
        CliTest.Result r = run("events", CAPTURES.resolve("jfr/jdk17-mixed.jfr").toString(), "--type", "jdk.GCHeapSummary", "--limit", "1");
        assertEquals(0, r.code(), r.err());
        assertEquals("""
                jdk.GCHeapSummary {
                  startTime = 2026-11-22T06:15:19.532554289Z
                  gcId = 1
                  when = "Before GC"
                  heapSpace = {
                    start = 0xE0000000
                    committedEnd = 0xF7C00000
                    committedSize = 380.00 MiB
                    reservedEnd = 0x100000000
                    reservedSize = 512.00 MiB
                  }
                  heapUsed = 19.43 MiB
                }
                """, r.out());
        CliTest.Result park = run("events", CAPTURES.resolve("jfr/jdk17-mixed.jfr").toString(), "--type", "jdk.ThreadPark", "--limit", "1");
        assertTrue(park.out().contains("    java.util.concurrent.locks.LockSupport.park() line: 211\n"), park.out());
        assertTrue(park.out().contains("  eventThread = \"order-pool-1\" (javaThreadId = 22)\n"), park.out());
    }

    @Test
    void aGzippedRecordingIsReadAsThePlainOne(@TempDir Path dir) throws Exception {
        Path gz = dir.resolve("jdk17-mixed.jfr.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(CAPTURES.resolve("jfr/jdk17-mixed.jfr"), out);
        }
        assertEquals(run("events", CAPTURES.resolve("jfr/jdk17-mixed.jfr").toString(), "--type", "jdk.CPULoad", "--json").out(),
                run("events", gz.toString(), "--type", "jdk.CPULoad", "--json").out());
    }

    @Test
    void usageErrorsExitWith64AndBadInputWith2NamingTheFile(@TempDir Path dir) throws Exception {
        String file = CAPTURES.resolve("jfr/jdk17-mixed.jfr").toString();
        assertEquals(Main.USAGE, run("events").code());
        assertEquals(Main.USAGE, run("events", file, "--limit", "many").code());
        assertEquals(Main.USAGE, run("events", file, "--type").code());
        assertEquals(Main.USAGE, run("events", file, "--bogus").code());
        assertEquals(Main.USAGE, run("events", file, "--limit", "3").code()); // filters need a --type
        assertEquals(Main.USAGE, run("events", file, "--type", "jdk.CPULoad", "--from", "5", "--to", "2").code());
        CliTest.Result badRegex = run("events", file, "--type", "jdk.CPULoad", "--thread", "(");
        assertEquals(Main.USAGE, badRegex.code());
        assertTrue(badRegex.err().startsWith("kiln events: --thread is not a regex"), badRegex.err());
        assertEquals(0, run("events", "--help").code());

        CliTest.Result unknown = run("events", file, "--type", "jdk.NoSuchEvent");
        assertEquals(Main.BAD_INPUT, unknown.code());
        assertTrue(unknown.err().startsWith("kiln: jdk17-mixed.jfr: the recording declares no event type jdk.NoSuchEvent"), unknown.err());
        CliTest.Result unknownJson = run("events", file, "--type", "jdk.NoSuchEvent", "--json");
        assertEquals(Main.BAD_INPUT, unknownJson.code());
        assertEquals("", unknownJson.out());
        // a type declared but never written: an empty list, as jfr print prints it
        assertEquals(List.of(), events("events", file, "--type", "jdk.ClassLoad", "--json"));
        assertEquals(List.of(), events("events", file, "--type", "jdk.CPULoad", "--json", "--limit", "0"));
        Path junk = dir.resolve("notes.jfr");
        Files.writeString(junk, "hello, this is not a profile");
        CliTest.Result bad = run("events", junk.toString());
        assertEquals(Main.BAD_INPUT, bad.code());
        assertTrue(bad.err().startsWith("kiln: notes.jfr: "), bad.err());
        CliTest.Result pprof = run("events", CAPTURES.resolve("pprof/cpu-regressed.pb.gz").toString());
        assertEquals(Main.BAD_INPUT, pprof.code());
        assertTrue(pprof.err().contains("cpu-regressed.pb.gz"), pprof.err());
    }
}
