// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.analysis.Filter;
import dev.kiln.model.Profile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.kiln.analysis.jvm.CpuLoadTest.epochNanos;
import static dev.kiln.analysis.jvm.CpuLoadTest.load;
import static dev.kiln.analysis.jvm.CpuLoadTest.truth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Thread CPU top against every jdk.ThreadCPULoad and jdk.ThreadContextSwitchRate event of jfr print --json (*.threadcpu.json.gz). */
class ThreadCpuTest {
    /** Per javaThreadId: samples, sum user, sum system, max user + system, name; of the events starting in [from, to). */
    static Map<Long, double[]> expected(List<JsonNode> events, long from, long to, Map<Long, String> names) {
        Map<Long, double[]> by = new LinkedHashMap<>();
        for (JsonNode e : events) {
            if (!e.path("type").asText().equals("jdk.ThreadCPULoad")) continue;
            JsonNode v = e.path("values");
            long t = epochNanos(v.path("startTime").asText());
            if (t < from || t >= to) continue;
            long id = v.path("eventThread").path("javaThreadId").asLong();
            names.put(id, v.path("eventThread").path("javaName").asText());
            double u = v.path("user").asDouble(), s = v.path("system").asDouble();
            double[] a = by.computeIfAbsent(id, k -> new double[4]);
            a[0]++;
            a[1] += u;
            a[2] += s;
            a[3] = Math.max(a[3], u + s);
        }
        return by;
    }

    static void check(Profile p, ThreadCpu cpu, Map<Long, double[]> want, Map<Long, String> names) {
        assertEquals(want.size(), cpu.threads().size(), "threads");
        for (ThreadCpu.Row r : cpu.threads()) {
            double[] w = want.get(p.threads().javaId(r.thread()));
            assertNotNull(w, r.name());
            assertEquals(names.get(p.threads().javaId(r.thread())), r.name());
            assertEquals((int) w[0], r.samples(), r.name());
            assertEquals(w[1] / w[0], r.meanUser(), 1e-7, r.name());
            assertEquals(w[2] / w[0], r.meanSystem(), 1e-7, r.name());
            assertEquals(w[3], r.maxTotal(), 1e-7, r.name());
        }
        List<Double> means = new ArrayList<>();
        for (ThreadCpu.Row r : cpu.threads()) means.add(r.meanTotal());
        List<Double> sorted = new ArrayList<>(means);
        sorted.sort(Comparator.reverseOrder());
        assertEquals(sorted, means, "most loaded first");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17-mixed", "jdk25-mixed"})
    void threadsAreRankedByTheirMeanLoad(String name) throws Exception {
        List<JsonNode> events = truth(name, "threadcpu");
        Profile p = load(name);
        Map<Long, String> names = new LinkedHashMap<>();
        ThreadCpu all = ThreadCpu.of(p, Filter.NONE);
        check(p, all, expected(events, Long.MIN_VALUE, Long.MAX_VALUE, names), names);
        // a thread's series are all its samples, by time
        ThreadCpu.Row top = all.threads().get(0);
        assertEquals(top.samples(), top.user().size());
        assertTrue(top.meanTotal() > 0, top.name());
        // the context switch rate, machine-wide
        List<Double> rates = new ArrayList<>();
        for (JsonNode e : events) if (e.path("type").asText().equals("jdk.ThreadContextSwitchRate")) rates.add(e.path("values").path("switchRate").asDouble());
        assertEquals(rates.size(), all.contextSwitches().size());
        for (int i = 0; i < rates.size(); i++) assertEquals(rates.get(i), all.contextSwitches().value(i), Math.ulp(rates.get(i).floatValue()));
        assertTrue(rates.size() >= 1, "the recording has a context switch rate");

        // a range: the samples of the middle of the recording
        List<Long> times = new ArrayList<>();
        for (JsonNode e : events) if (e.path("type").asText().equals("jdk.ThreadCPULoad")) times.add(epochNanos(e.path("values").path("startTime").asText()));
        times.sort(null);
        long from = times.get(times.size() / 3), to = times.get(2 * times.size() / 3);
        names.clear();
        Map<Long, double[]> want = expected(events, from, to, names);
        assertTrue(want.size() > 0 && want.size() <= all.threads().size());
        check(p, ThreadCpu.of(p, Filter.NONE.withTimeRange(from, to)), want, names);
    }
}
