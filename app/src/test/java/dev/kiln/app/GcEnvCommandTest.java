// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

import static dev.kiln.app.CliTest.CAPTURES;
import static dev.kiln.app.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kiln gc} and {@code kiln env} against the JDK's {@code jfr print --json} of the types they read, whole
 * ({@code captures/jfr/print/NAME.gc.json.gz}, {@code NAME.env.json.gz}, made by {@code print-truth.sh}): every number
 * recomputed here from the JDK's events.
 */
class GcEnvCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> jdk(String file) throws Exception {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(CAPTURES.resolve("jfr/print/" + file)))) {
            List<JsonNode> out = new ArrayList<>();
            JSON.readTree(in).get("recording").get("events").forEach(out::add);
            return out;
        }
    }

    private static long nanos(JsonNode d) { return Duration.parse(d.asText()).toNanos(); }

    private static long rank(List<Long> sorted, double q) {
        return sorted.get(Math.max(1, (int) Math.ceil(q * sorted.size())) - 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17-mixed", "jdk25-mixed", "jdk17-multichunk", "jdk17-parallel-gc", "jdk17-zgc", "jdk17-serial", "jdk25-parallel",
            "jdk25-serial"})
    void gcEqualsWhatJfrPrintsOfTheCollections(String name) throws Exception {
        List<JsonNode> events = jdk(name + ".gc.json.gz");
        CliTest.Result r = run("gc", EventsCommandTest.recording(name, ".jfr").toString(), "--json", "--top", "3");
        assertEquals(0, r.code(), r.err());
        JsonNode gc = JSON.readTree(r.out());

        Map<String, long[]> byCollector = new TreeMap<>(), byCause = new TreeMap<>();
        Map<Long, Long> longestByGc = new HashMap<>();
        List<Long> pauses = new ArrayList<>();
        long beforeMax = -1, afterMin = Long.MAX_VALUE, afterMax = -1, committedMax = -1;
        Map<Long, Long> after = new TreeMap<>();
        Map<Long, List<String>> phases = new HashMap<>();
        int collections = 0;
        for (JsonNode e : events) {
            JsonNode v = e.get("values");
            long gcId = v.get("gcId").asLong();
            switch (e.get("type").asText()) {
                case "jdk.GarbageCollection" -> {
                    collections++;
                    for (Map<String, long[]> m : List.of(byCollector, byCause)) {
                        long[] g = m.computeIfAbsent(v.get(m == byCollector ? "name" : "cause").asText(), k -> new long[3]);
                        g[0]++;
                        g[1] += nanos(v.get("sumOfPauses"));
                        g[2] = Math.max(g[2], nanos(v.get("longestPause")));
                    }
                    longestByGc.put(gcId, nanos(v.get("longestPause")));
                }
                case "jdk.GCHeapSummary" -> {
                    long used = v.get("heapUsed").asLong();
                    if (v.get("when").asText().equals("Before GC")) beforeMax = Math.max(beforeMax, used);
                    else {
                        afterMin = Math.min(afterMin, used);
                        afterMax = Math.max(afterMax, used);
                        after.put(gcId, used);
                        committedMax = Math.max(committedMax, v.get("heapSpace").get("committedSize").asLong());
                    }
                }
                default -> {
                    String t = e.get("type").asText();
                    if (t.equals("jdk.GCPhasePause")) pauses.add(nanos(v.get("duration")));
                    phases.computeIfAbsent(gcId, k -> new ArrayList<>()).add(v.get("startTime").asText() + " " + t + " " + v.get("name").asText()
                            + " " + nanos(v.get("duration")));
                }
            }
        }
        assertTrue(collections > 5, collections + " collections"); // jdk17-zgc: 7 cycles of 3 pauses
        assertEquals(collections, gc.get("collections").asInt());
        pauses.sort(null);
        JsonNode p = gc.get("pauses");
        assertEquals(pauses.size(), p.get("count").asInt());
        assertEquals(pauses.stream().mapToLong(Long::longValue).sum(), p.get("totalNanos").asLong());
        assertEquals(pauses.get(pauses.size() - 1), p.get("maxNanos").asLong());
        assertEquals(rank(pauses, 0.5), p.get("p50Nanos").asLong());
        assertEquals(rank(pauses, 0.9), p.get("p90Nanos").asLong());
        assertEquals(rank(pauses, 0.99), p.get("p99Nanos").asLong());
        for (String group : List.of("byCollector", "byCause")) {
            Map<String, long[]> want = group.equals("byCollector") ? byCollector : byCause;
            assertEquals(want.size(), gc.get(group).size());
            for (JsonNode g : gc.get(group)) {
                long[] w = want.get(g.get("name").asText());
                assertEquals(List.of(w[0], w[1], w[2]), List.of(g.get("count").asLong(), g.get("pauseTotalNanos").asLong(), g.get("longestPauseNanos").asLong()));
            }
        }
        JsonNode heap = gc.get("heap");
        assertEquals(List.of(beforeMax, afterMin, afterMax, ((TreeMap<Long, Long>) after).lastEntry().getValue(), committedMax),
                List.of(heap.get("beforeMaxBytes").asLong(), heap.get("afterMinBytes").asLong(), heap.get("afterMaxBytes").asLong(),
                        heap.get("afterLastBytes").asLong(), heap.get("committedMaxBytes").asLong()));
        // the 3 longest pauses, and each one's pause and phases in the order they started
        List<Long> ids = new ArrayList<>(longestByGc.keySet());
        ids.sort(Comparator.comparing((Long id) -> -longestByGc.get(id)).thenComparing(id -> id));
        assertEquals(3, gc.get("longest").size());
        for (int i = 0; i < 3; i++) {
            JsonNode c = gc.get("longest").get(i);
            assertEquals(ids.get(i), c.get("gcId").asLong());
            List<String> want = new ArrayList<>(phases.get(ids.get(i)));
            want.sort(null); // ISO times of one day sort as text
            List<String> got = new ArrayList<>();
            for (JsonNode ph : c.get("phases")) {
                got.add(EventValues.instant(ph.get("startNanos").asLong()) + " " + (ph.get("level").asInt() == 0 ? "jdk.GCPhasePause"
                        : "jdk.GCPhasePauseLevel" + ph.get("level").asInt()) + " " + ph.get("name").asText() + " " + ph.get("durationNanos").asLong());
            }
            got.sort(null);
            assertEquals(want, got);
        }
        CliTest.Result text = run("gc", EventsCommandTest.recording(name, ".jfr").toString());
        assertTrue(text.out().contains("Collections:  " + collections + "\n"), text.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17-mixed", "jdk25-mixed"})
    void envEqualsWhatJfrPrintsOfTheJvmAndItsHost(String name) throws Exception {
        List<JsonNode> events = jdk(name + ".env.json.gz");
        String file = CAPTURES.resolve("jfr/" + name + ".jfr").toString();
        CliTest.Result r = run("env", file, "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode env = JSON.readTree(r.out());
        Map<String, String> sections = Map.of("jdk.JVMInformation", "jvm", "jdk.OSInformation", "os", "jdk.CPUInformation", "cpu",
                "jdk.PhysicalMemory", "memory", "jdk.VirtualizationInformation", "virtualization", "jdk.ContainerConfiguration", "container",
                "jdk.ActiveRecording", "recording");
        Map<String, String> properties = new LinkedHashMap<>(), variables = new LinkedHashMap<>();
        TreeSet<String> flags = new TreeSet<>();
        Map<Long, Map<String, String>> settings = new HashMap<>();
        TreeSet<String> seenSections = new TreeSet<>();
        for (JsonNode e : events) {
            String t = e.get("type").asText();
            JsonNode v = e.get("values");
            if (sections.containsKey(t) && seenSections.add(t)) EventsCommandTest.same(v, env.get(sections.get(t)), t);
            else if (t.equals("jdk.InitialSystemProperty")) properties.putIfAbsent(v.get("key").asText(), v.get("value").asText());
            else if (t.equals("jdk.InitialEnvironmentVariable")) variables.putIfAbsent(v.get("key").asText(), v.get("value").asText());
            else if (t.equals("jdk.ActiveSetting")) settings.computeIfAbsent(v.get("id").asLong(), k -> new TreeMap<>()).put(v.get("name").asText(), v.get("value").asText());
            else if (t.endsWith("Flag") && !v.get("origin").asText().equals("Default")) flags.add(v.get("name").asText());
        }
        assertTrue(seenSections.containsAll(List.of("jdk.JVMInformation", "jdk.OSInformation", "jdk.CPUInformation", "jdk.PhysicalMemory",
                "jdk.ActiveRecording")), seenSections.toString());
        assertEquals(seenSections.size(), env.size() - 4); // and systemProperties, environmentVariables, flags, settings
        assertEquals(properties, JSON.convertValue(env.get("systemProperties"), Map.class));
        assertEquals(variables, JSON.convertValue(env.get("environmentVariables"), Map.class));
        TreeSet<String> gotFlags = new TreeSet<>();
        env.get("flags").forEach(f -> gotFlags.add(f.get("name").asText()));
        assertFalse(flags.isEmpty());
        assertEquals(flags, gotFlags);
        Map<Long, String> names = new HashMap<>();
        for (JsonNode t : JSON.readTree(run("events", file, "--json").out())) names.put(t.get("id").asLong(), t.get("name").asText());
        Map<String, Map<String, String>> want = new TreeMap<>();
        settings.forEach((id, s) -> want.put(names.getOrDefault(id, String.valueOf(id)), s));
        assertEquals(want, JSON.convertValue(env.get("settings"), Map.class));
        assertTrue(want.size() > 50, want.size() + " types with settings");

        CliTest.Result text = run("env", file);
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("  jvmArguments          -Xmx512m "), text.out());
        assertTrue(text.out().contains("System properties (" + properties.size() + ")\n"), text.out());
    }

    @Test
    void usageAndBadInput() {
        assertEquals(Main.USAGE, run("gc").code());
        assertEquals(Main.USAGE, run("gc", "a.jfr", "--top", "x").code());
        assertEquals(Main.USAGE, run("env", "a.jfr", "--bogus").code());
        assertEquals(0, run("gc", "--help").code());
        CliTest.Result pprof = run("env", CAPTURES.resolve("pprof/cpu-regressed.pb.gz").toString());
        assertEquals(Main.BAD_INPUT, pprof.code());
        assertTrue(pprof.err().startsWith("kiln: cpu-regressed.pb.gz: "), pprof.err());
    }
}
