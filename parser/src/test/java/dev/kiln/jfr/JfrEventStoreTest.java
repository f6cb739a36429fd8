// SPDX-License-Identifier: Apache-2.0
package dev.kiln.jfr;

import dev.kiln.testutil.JfrSummary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.JfrEventStore;
import dev.kiln.model.JfrEventTable;
import dev.kiln.model.JfrField;
import dev.kiln.model.Profile;
import dev.kiln.testutil.Captures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The profile's event store against the JDK's tools: every type's row count as {@code jfr summary} counts it, and every
 * field of the first and last three events of every type as {@code jfr print --json} prints them (print-truth.sh kept
 * those in {@code captures/jfr/print/NAME.print.json.gz}).
 */
class JfrEventStoreTest {
    /** How far a later chunk's times may lie from jfr print's: the JDK converts every chunk's ticks by the first chunk's clock. */
    private static final long CLOCK_SLACK_NANOS = 2_000;

    @ParameterizedTest
    @ValueSource(strings = {"jdk17-mixed", "jdk17-multichunk", "jdk25-mixed", "asprof-jdk17-mixed", "jdk17-diff-baseline",
            "jdk25-cputime-methodtiming", "jdk25-diff-regressed", "print/jdk17-parallel-gc", "print/jdk25-zgc", "print/jdk17-safepoints",
            "print/jdk17-zgc", "print/jdk17-serial", "print/jdk25-parallel", "print/jdk25-serial"})
    void everyTypeIsCountedAsJfrSummaryCountsIt(String name) throws Exception {
        Profile p = JfrStreamReader.read(Captures.file("jfr", name + ".jfr"), ProgressSink.NONE);
        dev.kiln.model.ProfileValidator.check(p); // every column as long as its table, every index in its table
        JfrEventStore store = p.jfrEvents();
        Map<String, Long> expected = JfrSummary.counts(Captures.file("jfr", name + ".summary.txt"));
        Map<String, Long> actual = new TreeMap<>();
        for (JfrEventTable t : store.tables()) {
            if (t.size() > 0) actual.put(t.name(), (long) t.size());
        }
        assertEquals(expected, actual);
        assertTrue(store.tables().size() > actual.size(), "types declared but never written have tables too");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17-mixed", "jdk17-multichunk", "jdk25-mixed", "asprof-jdk17-mixed", "print/jdk17-parallel-gc", "print/jdk25-zgc",
            "print/jdk17-zgc", "print/jdk17-serial", "print/jdk25-parallel", "print/jdk25-serial"})
    void firstAndLastEventsHaveTheValuesJfrPrintGives(String name) throws Exception {
        Profile p = JfrStreamReader.read(Captures.file("jfr", name + ".jfr"), ProgressSink.NONE);
        String base = name.substring(name.lastIndexOf('/') + 1);
        JsonNode truth;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(Captures.file("jfr", "print/" + base + ".print.json.gz")))) {
            truth = new ObjectMapper().readTree(in);
        }
        int compared = 0, types = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = truth.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JfrEventTable t = p.jfrEvents().table(e.getKey());
            assertNotNull(t, e.getKey());
            int count = e.getValue().get("count").asInt();
            assertEquals(count, t.size(), e.getKey());
            types++;
            List<JsonNode> head = list(e.getValue().get("head")), tail = list(e.getValue().get("tail"));
            for (int i = 0; i < head.size(); i++) compared += compare(p, t, i, head.get(i).get("values"));
            for (int i = 0; i < tail.size(); i++) compared += compare(p, t, count - tail.size() + i, tail.get(i).get("values"));
        }
        assertTrue(types > 5 && compared > 100, types + " types, " + compared + " values");
    }

    private static List<JsonNode> list(JsonNode a) {
        List<JsonNode> out = new ArrayList<>();
        a.forEach(out::add);
        return out;
    }

    /** Compares the event's values with row {@code row}; the number of values compared. */
    private static int compare(Profile p, JfrEventTable t, int row, JsonNode values) {
        return compare(p, t, row, "", values);
    }

    private static int compare(Profile p, JfrEventTable t, int row, String prefix, JsonNode values) {
        int n = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = prefix + e.getKey();
            JsonNode v = e.getValue();
            JfrField f = t.field(path);
            String where = t.name() + " row " + row + " " + path + ": " + v;
            if (f == null) {
                if (v.isObject()) n += compare(p, t, row, path + ".", v);
                else if (v.isNull()) n += nullStruct(t, row, path + ".");
                else fail("no column for " + where);
                continue;
            }
            n++;
            switch (f.kind()) {
                case LONG -> {
                    long x = f.longValue(row);
                    if ("Timestamp".equals(f.contentType())) {
                        if (x == Long.MIN_VALUE) assertTrue(v.asText().startsWith("-999999999"), where);
                        else if (x == Long.MAX_VALUE) assertTrue(v.asText().startsWith("+999999999"), where);
                        else {
                            OffsetDateTime time = OffsetDateTime.parse(v.asText());
                            long nanos = time.toEpochSecond() * 1_000_000_000L + time.getNano();
                            assertTrue(Math.abs(nanos - x) <= CLOCK_SLACK_NANOS, where + " vs " + x);
                        }
                    } else if ("Timespan".equals(f.contentType())) {
                        if (x == Long.MIN_VALUE) assertTrue(v.asText().startsWith("PT-2562047"), where);
                        else if (x == Long.MAX_VALUE) assertTrue(v.asText().startsWith("PT2562047"), where);
                        else assertEquals(Duration.parse(v.asText()).toNanos(), x, where);
                    } else if (f.unsigned() || v.isBigInteger()) {
                        // jfr print writes an @Unsigned long as Java holds it (-1), a wider value only when the JSON number is one
                        assertTrue(v.asText().equals(Long.toUnsignedString(x)) || v.asText().equals(Long.toString(x)), where + " vs " + x);
                    } else {
                        assertTrue(v.isIntegralNumber(), where);
                        assertEquals(v.asLong(), x, where);
                    }
                }
                case DOUBLE -> {
                    double x = f.doubleValue(row);
                    if (v.isTextual()) assertEquals(v.asText(), String.valueOf(x), where); // NaN, Infinity
                    else assertEquals(v.asDouble(), x, Math.abs(v.asDouble()) * 1e-6, where);
                }
                case BOOLEAN -> assertEquals(v.asBoolean(), f.booleanValue(row), where);
                case STRING -> {
                    int s = f.index(row);
                    if (v.isNull()) assertEquals(-1, s, where);
                    else assertEquals(v.asText(), p.string(s), where);
                }
                case THREAD -> {
                    int th = f.index(row);
                    if (v.isNull()) assertEquals(-1, th, where);
                    else {
                        String javaName = v.get("javaName").isNull() ? null : v.get("javaName").asText();
                        assertEquals(javaName != null ? javaName : v.get("osName").asText(), p.threadName(th), where);
                    }
                }
                case CLASS -> {
                    int c = f.index(row);
                    if (v.isNull()) assertEquals(-1, c, where);
                    else assertEquals(JfrStreamReader.binaryName(v.get("name").asText()), p.className(c), where);
                }
                case STACK -> {
                    int s = f.index(row);
                    if (v.isNull()) {
                        assertEquals(-1, s, where);
                        continue;
                    }
                    for (JsonNode frame : v.get("frames")) {
                        assertTrue(s >= 0, where);
                        JsonNode method = frame.get("method");
                        String expected = JfrStreamReader.binaryName(method.get("type").get("name").asText()) + "." + method.get("name").asText();
                        assertEquals(expected, p.frameName(p.stacks().frame(s)), where);
                        s = p.stacks().parent(s);
                    }
                }
                case ARRAY -> {
                    int s = f.index(row);
                    assertTrue(v.isArray(), where);
                    String text = p.string(s);
                    assertTrue(text.startsWith("[") && text.endsWith("]") && (v.isEmpty() == text.equals("[]")), where + " vs " + text);
                }
            }
        }
        return n;
    }

    /** A struct jfr print shows as null (a key its pool lacks): its text, thread, stack and class columns are none. */
    private static int nullStruct(JfrEventTable t, int row, String prefix) {
        int n = 0;
        for (JfrField f : t.fields()) {
            if (!f.path().startsWith(prefix)) continue;
            n++;
            switch (f.kind()) {
                case LONG, DOUBLE, BOOLEAN -> assertEquals(0, f.longValue(row), t.name() + " " + f.path());
                default -> assertEquals(-1, f.index(row), t.name() + " " + f.path());
            }
        }
        return n;
    }
}
