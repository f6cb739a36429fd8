// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.findings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.testutil.Captures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GC findings against the collections as the JDK's {@code jfr print --json} lists them
 * ({@code captures/jfr/print/NAME.gc.json.gz}, every GarbageCollection and GCHeapSummary event).
 */
class JvmFindingsTest {
    private static JsonNode gcEvents(String name) throws Exception {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(Captures.file("jfr", "print/" + name + ".gc.json.gz")))) {
            return new ObjectMapper().readTree(in).get("recording").get("events");
        }
    }

    private static Profile load(String name) throws Exception {
        String path = name.equals("jdk17-parallel-gc") ? "print/" + name + ".jfr" : name + ".jfr";
        return ProfileLoader.load(Captures.file("jfr", path), ProgressSink.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17-parallel-gc", "jdk17-mixed", "jdk25-mixed", "jdk17-multichunk"})
    void gcOverheadIsThePausesShareOfTheRecording(String name) throws Exception {
        long pauses = 0;
        int collections = 0;
        for (JsonNode e : gcEvents(name)) {
            if (!e.get("type").asText().equals("jdk.GarbageCollection")) continue;
            collections++;
            pauses += Duration.parse(e.get("values").get("sumOfPauses").asText()).toNanos();
        }
        Profile p = load(name);
        double share = (double) pauses / p.durationNanos();
        List<Finding> found = Findings.of(p).stream().filter(f -> f.rule().equals("gc-overhead")).toList();
        assertEquals(share > JvmFindings.GC_OVERHEAD_SHARE ? 1 : 0, found.size(), name + ": " + share);
        if (found.isEmpty()) return;
        Finding f = found.get(0);
        assertEquals(share > JvmFindings.GC_OVERHEAD_HIGH_SHARE ? Severity.WARNING : Severity.INFO, f.severity());
        assertTrue(f.explanation().startsWith(String.format(Locale.ROOT, "%,d collections paused the application %,d ms in all, %.1f%%",
                collections, Math.round(pauses / 1e6), share * 100)), f.explanation());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17-parallel-gc", "jdk17-mixed", "jdk25-mixed", "jdk17-multichunk"})
    void heapGrowthIsASteadyRiseOfTheHeapAfterGc(String name) throws Exception {
        List<double[]> points = new ArrayList<>();
        for (JsonNode e : gcEvents(name)) {
            JsonNode v = e.get("values");
            if (!e.get("type").asText().equals("jdk.GCHeapSummary") || !v.get("when").asText().equals("After GC")) continue;
            Instant t = Instant.parse(v.get("startTime").asText());
            points.add(new double[] {t.getEpochSecond() + t.getNano() / 1e9, v.get("heapUsed").asDouble()});
        }
        int n = points.size();
        double mx = points.stream().mapToDouble(q -> q[0]).average().orElse(0), my = points.stream().mapToDouble(q -> q[1]).average().orElse(0);
        double cxy = 0, cxx = 0, cyy = 0, lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
        for (double[] q : points) {
            cxy += (q[0] - mx) * (q[1] - my);
            cxx += (q[0] - mx) * (q[0] - mx);
            cyy += (q[1] - my) * (q[1] - my);
            lo = Math.min(lo, q[0]);
            hi = Math.max(hi, q[0]);
        }
        double slope = cxy / cxx, r = cxy / Math.sqrt(cxx * cyy), growth = slope * (hi - lo);
        boolean expected = n >= JvmFindings.HEAP_MIN_POINTS && r >= JvmFindings.HEAP_MIN_CORRELATION && growth > JvmFindings.HEAP_GROWTH_SHARE * my;
        List<Finding> found = Findings.of(load(name)).stream().filter(f -> f.rule().equals("heap-growth")).toList();
        assertEquals(expected ? 1 : 0, found.size(), String.format(Locale.ROOT, "%s: %d points, r %.3f, growth %.0f, mean %.0f", name, n, r, growth, my));
        if (expected) {
            assertTrue(found.get(0).explanation().contains(String.format(Locale.ROOT, "rises %.1f MB a minute (correlation %.2f)",
                    slope * 60 / 1048576, r)), found.get(0).explanation());
        }
    }

    /**
     * long-safepoint against jfr print's safepoint events joined by safepointId (SafepointsTest.truth): named when a
     * pause passed 100 ms (the safepoints recording's heap dump, reached while a thread spun without polls), else absent.
     */
    @ParameterizedTest
    @ValueSource(strings = {"jdk17-safepoints", "jdk17-parallel-gc", "jdk17-mixed", "jdk25-mixed", "jdk25-zgc"})
    void longSafepointIsAPauseOverTheThreshold(String name) throws Exception {
        java.util.Map<Long, long[]> pauses = dev.kiln.analysis.jvm.SafepointsTest.truth(name);
        long over = pauses.values().stream().filter(t -> t[1] - t[0] > JvmFindings.SAFEPOINT_LONG_NANOS).count();
        long max = pauses.values().stream().mapToLong(t -> t[1] - t[0]).max().orElse(0);
        String file = name.startsWith("jdk17-mixed") || name.equals("jdk25-mixed") ? name + ".jfr" : "print/" + name + ".jfr";
        List<Finding> found = Findings.of(ProfileLoader.load(Captures.file("jfr", file), ProgressSink.NONE)).stream()
                .filter(f -> f.rule().equals("long-safepoint")).toList();
        assertEquals(over > 0 ? 1 : 0, found.size(), name + ": " + found);
        if (name.equals("jdk17-safepoints")) {
            assertEquals(String.format(Locale.ROOT, "Long safepoint: HeapDumper %,d ms", Math.round(max / 1e6)), found.get(0).title());
            assertTrue(found.get(0).explanation().startsWith(over + " safepoint(s) stopped every Java thread"), found.get(0).explanation());
            assertTrue(found.get(0).explanation().contains("without a safepoint poll"), found.get(0).explanation());
        }
    }
}
