// SPDX-License-Identifier: Apache-2.0
package dev.kiln.jfr;

import dev.kiln.analysis.FunctionTotals;
import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.EventKind;
import dev.kiln.model.EventTable;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileValidator;
import dev.kiln.model.SampleTable;
import dev.kiln.model.ValueType;
import dev.kiln.testutil.Captures;
import dev.kiln.testutil.FactsFile;
import dev.kiln.testutil.FactsFile.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.function.IntToLongFunction;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every JFR capture of the corpus loads, validates, and reproduces the facts that the JDK's own parser
 * recorded in its {@code .facts.txt}. Numbers come from the fact files, never from this test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JfrReaderTest {
    /**
     * Event types whose JMC count legitimately differs from the JDK's reader: JMC files Error throws under
     * jdk.JavaErrorThrow apart from jdk.JavaExceptionThrow (TOOLCHAIN.md).
     */
    private static final Set<String> JMC_COUNT_DIFFERS = Set.of("jdk.JavaExceptionThrow", "jdk.JavaErrorThrow");
    /** Not events: `jfr summary` lists them, JMC does not. */
    private static final Set<String> PSEUDO_TYPES = Set.of("jdk.Metadata", "jdk.CheckPoint", "jdk.Checkpoint");

    private final Map<String, Profile> loaded = new HashMap<>();

    /**
     * The corpus captures, plus any recordings named in {@code -Dkiln.extraJfr=a.jfr,b.jfr} (each with its
     * {@code .facts.txt} beside it, e.g. the large ones from gen_big_jfr.sh, which are never committed).
     */
    static Stream<String> captures() {
        Stream<String> corpus = Captures.list("jfr", ".jfr").stream().map(Path::toString);
        String extra = System.getProperty("kiln.extraJfr", "");
        return Stream.concat(corpus, Stream.of(extra.split(",")).filter(s -> !s.isBlank()));
    }

    @BeforeAll
    void loadAll() throws Exception {
        for (String name : captures().toList()) {
            Profile p = ProfileLoader.load(Path.of(name), ProgressSink.NONE);
            ProfileValidator.check(p);
            loaded.put(name, p);
        }
    }

    private FactsFile facts(String name) {
        return new FactsFile(Path.of(name.replace(".jfr", ".facts.txt")));
    }

    @ParameterizedTest
    @MethodSource("captures")
    void headerAndProducer(String name) {
        Profile p = loaded.get(name);
        FactsFile f = facts(name);
        assertFalse(p.isIncomplete(), p.warnings().toString());
        String jvm = f.value("jvm");
        assertNotNull(jvm);
        String line = f.lines.stream().filter(l -> l.startsWith("jvm:")).findFirst().orElseThrow();
        // "jvm: <VM name> (<version>) for ..." from a JDK; just "jvm: <version>" from async-profiler.
        String version = line.contains("(") ? line.substring(line.indexOf('(') + 1, line.indexOf(')')) : line.substring(5).trim();
        assertTrue(p.producer().contains(version), p.producer() + " should name " + version);
        if (p.sourceName().startsWith("asprof")) assertTrue(p.producer().startsWith("async-profiler"), p.producer());
        // The chunk headers span at least the events, and not much more.
        double spanSeconds = Double.parseDouble(f.value("span_s"));
        double ours = p.durationNanos() / 1e9;
        assertTrue(ours >= spanSeconds - 0.01 && ours <= spanSeconds + 2, "duration " + ours + " vs events span " + spanSeconds);
    }

    /**
     * The sampling period is the one of the settings file the recording names (jvm_arguments: settings=profile),
     * as this JDK's own copy of that file declares it; and no thread was sampled more often than that.
     */
    @ParameterizedTest
    @MethodSource("captures")
    void samplingPeriodIsTheRecordedSetting(String name) throws Exception {
        Profile p = loaded.get(name);
        if (p.sourceName().startsWith("asprof")) return; // async-profiler records its interval in no jdk.ActiveSetting
        java.util.regex.Matcher settings = java.util.regex.Pattern.compile("settings=(\\w+)").matcher(String.join("\n", facts(name).lines));
        assertTrue(settings.find());
        Path jfc = Path.of(System.getProperty("java.home"), "lib", "jfr", settings.group(1) + ".jfc");
        String xml = java.nio.file.Files.readString(jfc);
        java.util.regex.Matcher period = java.util.regex.Pattern.compile(
                "<event name=\"jdk.ExecutionSample\">\\s*<setting name=\"enabled\"[^<]*</setting>\\s*<setting name=\"period\"[^>]*>([^<]+)</setting>").matcher(xml);
        assertTrue(period.find(), "period of jdk.ExecutionSample in " + jfc);
        assertEquals(new ValueType("cpu", "nanoseconds"), p.periodType());
        assertEquals(JfrModel.parsePeriod(period.group(1)), p.period());
        SampleTable t = p.tableOf(JfrReader.CPU_SAMPLES);
        Map<Integer, Long> last = new HashMap<>();
        for (int r = 0; r < t.size(); r++) {
            Long before = last.put(t.thread(r), t.timeNanos(r));
            if (before != null) assertTrue(Math.abs(t.timeNanos(r) - before) > p.period() / 2, "two samples of one thread closer than the period");
        }
    }

    @ParameterizedTest
    @MethodSource("captures")
    void everyEventTypeIsCounted(String name) {
        Profile p = loaded.get(name);
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (Row r : facts(name).section("event").rows()) {
            if (PSEUDO_TYPES.contains(r.name()) || JMC_COUNT_DIFFERS.contains(r.name())) continue;
            long expected = r.getLong("count");
            long actual = p.eventCounts().getOrDefault(r.name(), 0L);
            checked++;
            if (expected != actual) mismatches.add(r.name() + " expected " + expected + " got " + actual);
        }
        assertTrue(checked > 10, "too few event types in facts");
        assertEquals(List.of(), mismatches);
    }

    @ParameterizedTest
    @MethodSource("captures")
    void executionSamplesTopFunctionsAndThreads(String name) {
        checkSampleSection(name, "jdk.ExecutionSample", JfrReader.CPU_SAMPLES);
    }

    @ParameterizedTest
    @MethodSource("captures")
    void nativeAndCpuTimeSamples(String name) {
        checkSampleSection(name, "jdk.NativeMethodSample", JfrReader.NATIVE_SAMPLES);
        checkSampleSection(name, "jdk.CPUTimeSample", JfrReader.CPU_TIME_SAMPLES);
    }

    private void checkSampleSection(String name, String section, ValueType type) {
        FactsFile.Section s = facts(name).section(section);
        Profile p = loaded.get(name);
        if (s == null) {
            assertTrue(p.tableOf(type) == null || p.tableOf(type).size() == 0);
            return;
        }
        FunctionTotals totals = FunctionTotals.of(p, type);
        assertEquals(Long.parseLong(headerValue(s, "events")), totals.grandTotal(), section + " events");
        List<Row> self = table(s, "self samples by method");
        assertTopMatches(section + " self", self, "samples", totals.bySelf(), FunctionTotals.Row::self);
        List<Row> total = s.tables().get("total (inclusive) samples by method");
        if (total != null) assertTopMatches(section + " total", total, "samples", totals.byTotal(), FunctionTotals.Row::total);
        List<Row> byThread = s.tables().get("samples by sampledThread");
        if (byThread != null) {
            SampleTable t = p.tableOf(type);
            Map<String, Long> ours = sum(t.size(), r -> threadKey(p, t.thread(r)), r -> 1);
            for (Row r : byThread) assertEquals(r.getLong("samples"), ours.get(r.name()), section + " thread " + r.name());
        }
    }

    @ParameterizedTest
    @MethodSource("captures")
    void allocationSamples(String name) {
        FactsFile.Section s = facts(name).section("jdk.ObjectAllocationSample");
        Profile p = loaded.get(name);
        if (s == null) return;
        SampleTable t = p.tableOf(JfrReader.ALLOC_BYTES);
        assertEquals(Long.parseLong(headerValue(s, "events")), t.size());
        assertEquals(Long.parseLong(headerValue(s, "total_weight_bytes")), t.total(0));
        Map<String, Long> byClass = sum(t.size(), r -> p.className(t.clazz(r)), r -> t.value(0, r));
        for (Row r : table(s, "weight by objectClass")) {
            assertEquals(r.getLong("weight_bytes"), byClass.get(FactsFile.javaClassName(r.name())), "class " + r.name());
        }
        Map<String, Long> bySite = sum(t.size(), r -> t.stack(r) < 0 ? "" : p.frameName(p.stacks().frame(t.stack(r))), r -> t.value(0, r));
        for (Row r : table(s, "weight by top frame")) assertEquals(r.getLong("weight_bytes"), bySite.get(r.name()), "site " + r.name());
        Map<String, Long> byThread = sum(t.size(), r -> threadKey(p, t.thread(r)), r -> t.value(0, r));
        for (Row r : table(s, "weight by thread")) assertEquals(r.getLong("weight_bytes"), byThread.get(r.name()), "thread " + r.name());
        FunctionTotals totals = FunctionTotals.of(p, JfrReader.ALLOC_BYTES);
        assertTopMatches("alloc anywhere", table(s, "weight by method anywhere in stack"), "weight_bytes", totals.byTotal(),
                FunctionTotals.Row::total);
    }

    @ParameterizedTest
    @MethodSource("captures")
    void tlabAllocations(String name) {
        FactsFile f = facts(name);
        Profile p = loaded.get(name);
        SampleTable t = p.tableOf(JfrReader.TLAB_BYTES);
        long rows = 0;
        for (String type : List.of("jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB")) {
            FactsFile.Section s = f.section(type);
            rows += p.eventCounts().getOrDefault(type, 0L);
            if (s == null) continue;
            List<Row> table = s.tables().values().iterator().next();
            String key = type.endsWith("InNewTLAB") ? "tlab_bytes" : "bytes";
            // Both kinds share one table; split them by which classes were allocated how is not possible, so
            // compare per class against the sum of both fact tables.
            Map<String, Long> expected = new HashMap<>();
            for (Row r : table) expected.merge(FactsFile.javaClassName(r.name()), r.getLong(key), Long::sum);
            assertFalse(expected.isEmpty());
            for (Map.Entry<String, Long> e : expected.entrySet()) {
                long ours = sum(t.size(), r -> p.className(t.clazz(r)), r -> t.value(0, r)).getOrDefault(e.getKey(), 0L);
                assertTrue(ours >= e.getValue(), type + " " + e.getKey() + ": " + ours + " < " + e.getValue());
            }
        }
        assertEquals(rows, t == null ? 0 : t.size());
    }

    @ParameterizedTest
    @MethodSource("captures")
    void lockParkSleepEvents(String name) {
        FactsFile f = facts(name);
        Profile p = loaded.get(name);
        checkEvents(p, f, "jdk.JavaMonitorEnter", EventKind.MONITOR_ENTER, "by monitorClass", e -> p.className(p.events().clazz(e)));
        checkEvents(p, f, "jdk.JavaMonitorEnter", EventKind.MONITOR_ENTER, "by thread", e -> threadKey(p, p.events().thread(e)));
        checkEvents(p, f, "jdk.JavaMonitorWait", EventKind.MONITOR_WAIT, "by monitorClass", e -> p.className(p.events().clazz(e)));
        checkEvents(p, f, "jdk.ThreadPark", EventKind.THREAD_PARK, "by parkedClass",
                e -> p.events().clazz(e) < 0 ? "<null>" : p.className(p.events().clazz(e)));
        checkEvents(p, f, "jdk.ThreadPark", EventKind.THREAD_PARK, "by thread", e -> threadKey(p, p.events().thread(e)));
        checkEvents(p, f, "jdk.ThreadSleep", EventKind.THREAD_SLEEP, "by thread", e -> threadKey(p, p.events().thread(e)));
        FactsFile.Section wait = f.section("jdk.JavaMonitorWait");
        if (wait != null && headerValue(wait, "timedOut") != null) {
            EventTable ev = p.events();
            long timedOut = 0;
            for (int e = 0; e < ev.size(); e++) if (ev.kind(e) == EventKind.MONITOR_WAIT) timedOut += ev.amount(e);
            assertEquals(Long.parseLong(headerValue(wait, "timedOut")), timedOut, "timed out waits");
        }
    }

    @ParameterizedTest
    @MethodSource("captures")
    void ioTotals(String name) {
        FactsFile.Section s = facts(name).section("I/O");
        if (s == null) return;
        Profile p = loaded.get(name);
        EventTable ev = p.events();
        for (Row r : s.rows()) {
            String[] parts = r.name().split(" ");
            if (parts.length != 2 || !r.attrs().containsKey("sum")) continue;
            EventKind kind = EventKind.ofJfrType(parts[0]);
            long events = 0, sum = 0;
            for (int e = 0; e < ev.size(); e++) {
                if (ev.kind(e) != kind) continue;
                events++;
                sum += parts[1].equals("bytes") ? ev.amount(e) : ev.durationNanos(e);
            }
            assertEquals(r.getLong("events"), events, r.name());
            assertEquals(r.getLong("sum"), sum, r.name());
        }
    }

    @ParameterizedTest
    @MethodSource("captures")
    void garbageCollections(String name) {
        FactsFile.Section s = facts(name).section("jdk.GarbageCollection");
        if (s == null) return;
        Profile p = loaded.get(name);
        long expected = 0;
        for (Row r : table(s, "by name / cause")) expected += r.getLong("events");
        long ours = 0;
        for (int e = 0; e < p.events().size(); e++) if (p.events().kind(e) == EventKind.GC_PAUSE) ours++;
        assertEquals(expected, ours);
    }

    // ---- helpers ----

    private void checkEvents(Profile p, FactsFile f, String section, EventKind kind, String table, IntFunction<String> key) {
        FactsFile.Section s = f.section(section);
        if (s == null || s.tables().get(table) == null) return;
        EventTable ev = p.events();
        Map<String, Long> count = new HashMap<>(), nanos = new HashMap<>();
        for (int e = 0; e < ev.size(); e++) {
            if (ev.kind(e) != kind) continue;
            count.merge(key.apply(e), 1L, Long::sum);
            nanos.merge(key.apply(e), ev.durationNanos(e), Long::sum);
        }
        for (Row r : s.tables().get(table)) {
            String k = r.name();
            assertEquals(r.getLong("events"), count.getOrDefault(k, 0L), section + " " + table + " " + k + " events");
            assertEquals(r.getDouble("total_ms"), nanos.getOrDefault(k, 0L) / 1e6, 0.0015, section + " " + table + " " + k + " ms");
        }
    }

    /** The top rows of a fact table agree with ours: same values in the same order, and each named row has its value. */
    private static void assertTopMatches(String what, List<Row> expected, String key, List<FunctionTotals.Row> ours,
                                         java.util.function.ToLongFunction<FunctionTotals.Row> value) {
        assertFalse(expected.isEmpty(), what + ": empty fact table");
        Map<String, Long> byName = new HashMap<>();
        for (FunctionTotals.Row r : ours) byName.put(r.name(), value.applyAsLong(r));
        for (int i = 0; i < expected.size(); i++) {
            Row e = expected.get(i);
            // JfrFacts writes "<class>.<method>" also for frames without a class (kernel frames): ".finish_task_switch".
            String name = e.name().startsWith(".") ? e.name().substring(1) : e.name();
            assertEquals(e.getLong(key), byName.getOrDefault(name, 0L), what + " " + name);
            assertEquals(e.getLong(key), value.applyAsLong(ours.get(i)), what + " rank " + (i + 1));
        }
    }

    private static Map<String, Long> sum(int rows, IntFunction<String> key, IntToLongFunction value) {
        Map<String, Long> m = new HashMap<>();
        for (int r = 0; r < rows; r++) m.merge(key.apply(r), value.applyAsLong(r), Long::sum);
        return m;
    }

    private static String threadKey(Profile p, int thread) {
        if (thread < 0) return "<none>";
        String n = p.threadName(thread);
        return n.isEmpty() && p.threads().isVirtual(thread) ? "<virtual thread, empty name>" : n;
    }

    private static List<Row> table(FactsFile.Section s, String name) {
        List<Row> t = s.tables().get(name);
        assertNotNull(t, "fact table '" + name + "' in " + s.header());
        return t;
    }

    private static String headerValue(FactsFile.Section s, String key) {
        for (String part : s.header().split(" ")) if (part.startsWith(key + "=")) return part.substring(key.length() + 1);
        return null;
    }

}
