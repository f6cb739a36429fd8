// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.analysis.Filter;
import dev.kiln.analysis.tree.CallTree;
import dev.kiln.model.Profile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Exceptions page's numbers against the JDK's {@code jfr print --json} of the throw events and statistics
 * (print-truth.sh's {@code *.exceptions.json.gz}, JDK 25's tool for the JDK 25 recording; {@code *.exc.json.gz} for one
 * that recorded errors only): per class and per message, recomputed here from the JDK's events, each error counted
 * once (the JDK writes a second JavaExceptionThrow of an Error with its JavaErrorThrow: same time, thread, class, message).
 */
class ThrownExceptionsTest {
    private static String text(JsonNode n) { return n == null || n.isNull() ? "" : n.asText(); }

    private static String key(JsonNode v) {
        return v.path("startTime").asText() + "|" + v.path("eventThread").path("javaThreadId").asLong() + "|" + className(v) + "|" + text(v.get("message"));
    }

    private static String className(JsonNode v) { return v.path("thrownClass").path("name").asText().replace('/', '.'); }

    /** The throw events each throwable counts by: the exceptions but the error copies, or the errors when no exception was recorded. */
    static List<JsonNode> thrown(List<JsonNode> events, long fromNanos, long toNanos) {
        List<JsonNode> exceptions = new ArrayList<>(), errors = new ArrayList<>();
        for (JsonNode e : events) {
            if (e.path("type").asText().equals("jdk.JavaExceptionThrow")) exceptions.add(e.path("values"));
            if (e.path("type").asText().equals("jdk.JavaErrorThrow")) errors.add(e.path("values"));
        }
        List<JsonNode> out = new ArrayList<>();
        if (exceptions.isEmpty()) out.addAll(errors);
        else {
            Map<String, Integer> copies = new HashMap<>();
            for (JsonNode e : errors) copies.merge(key(e), 1, Integer::sum);
            for (JsonNode e : exceptions) {
                if (copies.getOrDefault(key(e), 0) > 0) copies.merge(key(e), -1, Integer::sum);
                else out.add(e);
            }
        }
        out.removeIf(v -> {
            long t = CpuLoadTest.epochNanos(v.path("startTime").asText());
            return t < fromNanos || t >= toNanos;
        });
        return out;
    }

    @ParameterizedTest
    @CsvSource({"jdk17-parallel-gc,exceptions", "jdk25-zgc,exceptions", "jdk17-mixed,exc"})
    void countsPerClassAndMessageAreTheJdksThrowEvents(String name, String truth) throws Exception {
        List<JsonNode> events = CpuLoadTest.truth(name, truth);
        Profile p = CpuLoadTest.load(name);
        assertTrue(ThrownExceptions.applies(p));
        check(events, p, Long.MIN_VALUE, Long.MAX_VALUE);
        long mid = p.startEpochNanos() + p.durationNanos() / 2;
        check(events, p, mid, Long.MAX_VALUE); // the time range of the pages' filter
    }

    private static void check(List<JsonNode> events, Profile p, long from, long to) {
        List<JsonNode> thrown = thrown(events, from, to);
        Map<String, long[]> byClass = new TreeMap<>(); // count, first, last
        Map<String, Integer> byMessage = new TreeMap<>();
        for (JsonNode v : thrown) {
            long t = CpuLoadTest.epochNanos(v.path("startTime").asText());
            long[] c = byClass.computeIfAbsent(className(v), k -> new long[]{0, Long.MAX_VALUE, Long.MIN_VALUE});
            c[0]++;
            c[1] = Math.min(c[1], t);
            c[2] = Math.max(c[2], t);
            byMessage.merge(className(v) + " | " + text(v.get("message")), 1, Integer::sum);
        }
        ThrownExceptions got = ThrownExceptions.of(p, Filter.NONE.withTimeRange(from, to));
        assertEquals(thrown.size(), got.total());
        Map<String, long[]> gotClass = new TreeMap<>();
        for (ThrownExceptions.ClassRow r : got.byClass()) gotClass.put(r.className(), new long[]{r.count(), r.firstNanos(), r.lastNanos()});
        assertEquals(byClass.keySet(), gotClass.keySet());
        byClass.forEach((k, w) -> assertEquals(List.of(w[0], w[1], w[2]), List.of(gotClass.get(k)[0], gotClass.get(k)[1], gotClass.get(k)[2]), k));
        Map<String, Integer> gotMessage = new TreeMap<>();
        for (ThrownExceptions.MessageRow r : got.byMessage()) gotMessage.put(r.className() + " | " + r.message(), r.count());
        assertEquals(byMessage, gotMessage);
        for (int i = 1; i < got.byClass().size(); i++) assertTrue(got.byClass().get(i - 1).count() >= got.byClass().get(i).count());
        for (int i = 1; i < got.byMessage().size(); i++) assertTrue(got.byMessage().get(i - 1).count() >= got.byMessage().get(i).count());

        // the throwing stacks: the flame graph of all and of one class weighs what the tables count
        CallTree all = CallTree.build(p, got.weight(p, null), Filter.NONE.withTimeRange(from, to), CallTree.Options.DEFAULT);
        assertEquals(thrown.size(), all.rootTotal());
        if (!byClass.isEmpty()) {
            String top = got.byClass().get(0).className();
            CallTree one = CallTree.build(p, got.weight(p, top), Filter.NONE.withTimeRange(from, to), CallTree.Options.DEFAULT);
            assertEquals(byClass.get(top)[0], one.rootTotal(), top);
        }
    }

    @ParameterizedTest
    @CsvSource({"jdk17-parallel-gc", "jdk25-zgc"})
    void numberFormatExceptionsAreThrownFromForInputStringAndTheRateIsTheStatistics(String name) throws Exception {
        List<JsonNode> events = CpuLoadTest.truth(name, "exceptions");
        Profile p = CpuLoadTest.load(name);
        ThrownExceptions got = ThrownExceptions.of(p, Filter.NONE);
        assertEquals("jdk.JavaExceptionThrow", got.source());
        assertEquals("java.lang.NumberFormatException", got.byClass().get(0).className());
        CallTree nfe = CallTree.build(p, got.weight(p, "java.lang.NumberFormatException"), Filter.NONE, CallTree.Options.DEFAULT.withInverted(true));
        long viaForInputString = 0;
        for (int n = 0; n < nfe.size(); n++) if (nfe.name(n).equals("java.lang.NumberFormatException.forInputString")) viaForInputString += nfe.total(n);
        assertEquals(nfe.rootTotal(), viaForInputString, "every NumberFormatException comes from Integer.parseInt's forInputString");

        List<long[]> stats = new ArrayList<>();
        for (JsonNode e : events) {
            if (!e.path("type").asText().equals("jdk.ExceptionStatistics")) continue;
            stats.add(new long[]{CpuLoadTest.epochNanos(e.path("values").path("startTime").asText()), e.path("values").path("throwables").asLong()});
        }
        stats.sort((a, b) -> Long.compare(a[0], b[0]));
        assertTrue(stats.size() >= 2, name + " has statistics");
        // the events' rate: per bucket, the throwables counted (in events a second)
        TimeSeries thrown = got.thrownRate();
        long w = thrown.time(1) - thrown.time(0);
        assertEquals(ThrownExceptions.bucketNanos(p.durationNanos()), w);
        double sum = 0;
        for (int i = 0; i < thrown.size(); i++) sum += thrown.value(i) * w / 1e9;
        assertEquals(got.total(), sum, 1e-6);
        TimeSeries rate = got.rate();
        assertEquals(stats.size() - 1, rate.size());
        for (int i = 0; i < rate.size(); i++) {
            assertEquals(stats.get(i)[0], rate.time(i));
            double want = (stats.get(i + 1)[1] - stats.get(i)[1]) / ((stats.get(i + 1)[0] - stats.get(i)[0]) / 1e9);
            assertEquals(want, rate.value(i), 1e-6);
        }
    }

    @Test
    void aProfileWithoutThrowEventsHasNone() throws Exception {
        Profile p = CpuLoadTest.load("asprof-jdk17-mixed");
        assertFalse(ThrownExceptions.applies(p));
        ThrownExceptions got = ThrownExceptions.of(p, Filter.NONE);
        assertNull(got.source());
        assertTrue(got.isEmpty());
        assertEquals(0, CallTree.build(p, got.weight(p, null), Filter.NONE, CallTree.Options.DEFAULT).rootTotal());
    }
}
