// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.analysis.Filter;
import dev.kiln.model.Profile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JIT and classes page's analyses (Compilations, ClassLoading) against {@code jfr print --json} of the same events
 * (print-truth.sh's *.jit.json.gz): counts, the longest compilations, totals per compiler, deoptimizations by reason,
 * the code cache used, the classes loaded over time and per class loader.
 */
class CompilationsTest {

    static List<JsonNode> events(String name, String type) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : CpuLoadTest.truth(name, "jit")) if (e.path("type").asText().equals(type)) out.add(e.path("values"));
        return out;
    }

    static long nanos(JsonNode v, String field) { return Duration.parse(v.path(field).asText()).toNanos(); }

    static long start(JsonNode v) { return CpuLoadTest.epochNanos(v.path("startTime").asText()); }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17-mixed", "jdk25-mixed", "jdk17-parallel-gc", "jdk25-zgc", "jdk17-safepoints"})
    void compilationsAreTheRecordedOnes(String name) throws Exception {
        Profile p = CpuLoadTest.load(name);
        Compilations c = Compilations.of(p, Filter.NONE);
        List<JsonNode> want = events(name, "jdk.Compilation");
        assertTrue(want.size() > 0, name);
        assertEquals(want.size(), c.compilations().size());
        want.sort(Comparator.comparingLong((JsonNode v) -> nanos(v, "duration")).reversed());
        for (int i = 0; i < Math.min(3, want.size()); i++) {
            JsonNode v = want.get(i);
            Compilations.Compilation got = c.compilations().get(i);
            assertEquals(nanos(v, "duration"), got.durationNanos(), name + " " + i);
            assertEquals(v.path("compileId").asLong(), got.compileId());
            assertEquals(v.path("compiler").asText(), got.compiler());
            assertEquals(v.path("compileLevel").asInt(), got.level());
            assertEquals(v.path("codeSize").asLong(), got.codeSizeBytes());
            assertEquals(v.path("inlinedBytes").asLong(), got.inlinedBytes());
            assertEquals(v.path("isOsr").asBoolean(), got.osr());
            assertEquals(v.path("succeded").asBoolean(), got.succeeded());
            String cls = v.path("method").path("type").path("name").asText().replace('/', '.');
            assertTrue(got.method().startsWith(cls + "." + v.path("method").path("name").asText() + "("), got.method());
        }
        Map<String, long[]> per = new TreeMap<>();
        for (JsonNode v : want) {
            long[] t = per.computeIfAbsent(v.path("compiler").asText(), k -> new long[3]);
            t[0]++;
            t[1] += nanos(v, "duration");
            t[2] = Math.max(t[2], nanos(v, "duration"));
        }
        assertEquals(per.size(), c.compilers().size());
        for (Compilations.Compiler k : c.compilers()) {
            assertEquals(per.get(k.name())[0], k.count(), k.name());
            assertEquals(per.get(k.name())[1], k.totalNanos(), k.name());
            assertEquals(per.get(k.name())[2], k.maxNanos(), k.name());
        }
        // the JVM's totals, from the last CompilerStatistics
        JsonNode last = events(name, "jdk.CompilerStatistics").stream().max(Comparator.comparingLong(CompilationsTest::start)).orElseThrow();
        assertEquals(last.path("compileCount").asLong(), c.statistics().compileCount());
        assertEquals(nanos(last, "totalTimeSpent"), c.statistics().totalTimeNanos());
        assertTrue(c.statistics().compileCount() > c.compilations().size(), "most compilations are under the threshold");
    }

    /** jfr print (text) writes the longest compilation's method so; Kiln's rendering of the method struct must match. */
    @Test
    void methodsReadAsJfrPrintWritesThem() throws Exception {
        Map<String, String> longest = Map.of(
                "jdk17-mixed", "jdk.internal.org.objectweb.asm.Frame.execute(int, int, Symbol, SymbolTable)",
                "jdk25-mixed", "java.net.Socket$SocketInputStream.read(byte[], int, int)",
                "jdk25-zgc", "jdk.internal.classfile.impl.SplitConstantPool.classEntryForClassOrInterface(ClassDesc)",
                "jdk17-safepoints", "java.util.HashMap.putVal(int, Object, Object, boolean, boolean)");
        for (Map.Entry<String, String> e : longest.entrySet()) {
            assertEquals(e.getValue(), Compilations.of(CpuLoadTest.load(e.getKey()), Filter.NONE).compilations().get(0).method(), e.getKey());
        }
        assertEquals("(int[][], String, long)", StoreColumns.parameters("([[ILjava/lang/String;J)V"));
        assertEquals("()", StoreColumns.parameters("()V"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17-mixed", "jdk25-mixed", "jdk17-parallel-gc", "jdk25-zgc", "jdk17-safepoints"})
    void deoptimizationsAndTheCodeCache(String name) throws Exception {
        Profile p = CpuLoadTest.load(name);
        Compilations c = Compilations.of(p, Filter.NONE);
        List<JsonNode> deopts = events(name, "jdk.Deoptimization");
        assertTrue(deopts.size() > 0, name);
        assertEquals(deopts.size(), c.deoptimizations().size());
        Map<String, Integer> reasons = new HashMap<>();
        for (JsonNode v : deopts) reasons.merge(v.path("reason").asText(), 1, Integer::sum);
        assertEquals(reasons.size(), c.deoptimizationReasons().size());
        for (Compilations.Count r : c.deoptimizationReasons()) assertEquals(reasons.get(r.name()), r.count(), r.name());
        assertEquals(reasons.values().stream().mapToInt(Integer::intValue).max().orElseThrow(), c.deoptimizationReasons().get(0).count());
        JsonNode first = deopts.stream().min(Comparator.comparingLong(CompilationsTest::start)).orElseThrow();
        Compilations.Deoptimization d = c.deoptimizations().get(0);
        assertEquals(start(first), d.startNanos());
        assertEquals(first.path("lineNumber").asInt(), d.line());
        assertEquals(first.path("action").asText(), d.action());
        assertEquals(first.path("instruction").asText(), d.instruction());

        Map<String, List<long[]>> heaps = new TreeMap<>();
        for (JsonNode v : events(name, "jdk.CodeCacheStatistics")) {
            heaps.computeIfAbsent(v.path("codeBlobType").asText(), k -> new ArrayList<>()).add(new long[]{start(v),
                    v.path("reservedTopAddress").asLong() - v.path("startAddress").asLong() - v.path("unallocatedCapacity").asLong()});
        }
        assertEquals(heaps.size(), c.codeCacheUsed().size());
        for (TimeSeries s : c.codeCacheUsed()) {
            List<long[]> want = heaps.get(s.label());
            want.sort(Comparator.comparingLong(a -> a[0]));
            assertEquals(want.size(), s.size(), s.label());
            for (int i = 0; i < want.size(); i++) {
                assertEquals(want.get(i)[0], s.time(i));
                assertEquals(want.get(i)[1], (long) s.value(i), s.label());
            }
        }
        assertEquals(events(name, "jdk.CodeCacheConfiguration").get(0).path("reservedSize").asLong(), c.codeCacheReservedBytes());
        assertEquals(events(name, "jdk.CodeCacheFull").size(), c.codeCacheFull());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17-mixed", "jdk25-mixed", "jdk17-parallel-gc", "jdk25-zgc", "jdk17-safepoints"})
    void classesOverTimeAndPerLoader(String name) throws Exception {
        ClassLoading c = ClassLoading.of(CpuLoadTest.load(name), Filter.NONE);
        List<JsonNode> stats = events(name, "jdk.ClassLoadingStatistics");
        stats.sort(Comparator.comparingLong(CompilationsTest::start));
        assertEquals(stats.size(), c.loaded().size());
        for (int i = 0; i < stats.size(); i++) {
            assertEquals(start(stats.get(i)), c.loaded().time(i));
            assertEquals(stats.get(i).path("loadedClassCount").asLong(), (long) c.loaded().value(i));
            assertEquals(stats.get(i).path("unloadedClassCount").asLong(), (long) c.unloaded().value(i));
        }
        // the last snapshot of ClassLoaderStatistics: its rows all lie within a millisecond of its last one
        List<JsonNode> loaders = events(name, "jdk.ClassLoaderStatistics");
        long last = loaders.stream().mapToLong(CompilationsTest::start).max().orElseThrow();
        List<JsonNode> snapshot = loaders.stream().filter(v -> start(v) > last - 1_000_000).toList();
        List<ClassLoading.Loader> listed = c.loaders().stream().filter(l -> l.classes() >= 0).toList();
        assertEquals(snapshot.size(), listed.size());
        assertEquals(snapshot.stream().mapToLong(v -> v.path("classCount").asLong()).sum(), listed.stream().mapToLong(ClassLoading.Loader::classes).sum());
        assertEquals(snapshot.stream().mapToLong(v -> v.path("classCount").asLong()).max().orElseThrow(), c.loaders().get(0).classes());
        assertEquals(events(name, "jdk.ClassLoad").size(), c.loadEvents());
        assertEquals(events(name, "jdk.ClassDefine").size(), c.defineEvents());
        assertEquals(events(name, "jdk.ClassUnload").size(), c.unloadEvents());
        assertEquals(c.unloadEvents(), c.unloadedClasses().size());
        assertEquals(c.loadEvents(), c.loaders().stream().mapToInt(ClassLoading.Loader::loads).sum());
    }

    /** The recording made with class events on: 20 class loaders dropped, each with its one class unloaded. */
    @Test
    void classEventsWhereEnabled() throws Exception {
        ClassLoading c = ClassLoading.of(CpuLoadTest.load("jdk17-safepoints"), Filter.NONE);
        assertEquals(20, c.unloadEvents());
        assertTrue(c.unloadedClasses().contains("Safepoints$Node (payload-7 (java.net.URLClassLoader))"), c.unloadedClasses().toString());
        assertTrue(c.loadEvents() > 100);
    }
}
