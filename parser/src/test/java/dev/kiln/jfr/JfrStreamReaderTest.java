// SPDX-License-Identifier: Apache-2.0
package dev.kiln.jfr;

import dev.kiln.job.ProgressSink;
import dev.kiln.model.EventTable;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.ProfileTooLargeException;
import dev.kiln.model.ProfileValidator;
import dev.kiln.model.SampleTable;
import dev.kiln.testutil.Captures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kiln's streaming JFR reader and the JMC path build the same profile from every corpus recording: the same event
 * counts, threads, samples (time, thread, class, weight, whole stack with lines, bci and frame kinds) and events
 * (every column). Rows are compared as sorted text, so the order in which each reader meets them does not matter.
 */
class JfrStreamReaderTest {
    /** JMC files Error throws under jdk.JavaErrorThrow apart from jdk.JavaExceptionThrow; the JDK does not. */
    private static final Set<String> JMC_COUNT_DIFFERS = Set.of("jdk.JavaExceptionThrow", "jdk.JavaErrorThrow");

    static Stream<Path> recordings() {
        List<Path> all = new ArrayList<>(Captures.list("jfr", ".jfr"));
        all.add(Captures.file("bad", "truncated-second-chunk.jfr"));
        String extra = System.getProperty("kiln.extraJfr", "");
        for (String p : extra.split(",")) if (!p.isBlank()) all.add(Path.of(p.trim()));
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("recordings")
    void streamingReaderBuildsTheSameProfileAsJmc(Path file) throws Exception {
        Profile jmc = JfrReader.read(file, ProgressSink.NONE);
        Profile own = JfrStreamReader.read(file, ProgressSink.NONE);
        ProfileValidator.check(own);

        assertEquals(counts(jmc), counts(own), "event counts");
        assertEquals(jmc.producer(), own.producer(), "producer");
        assertEquals(jmc.period(), own.period(), "sampling period");
        assertEquals(jmc.periodType(), own.periodType(), "period type");
        assertEquals(jmc.defaultValueType(), own.defaultValueType(), "default value type");
        assertEquals(jmc.startEpochNanos(), own.startEpochNanos(), "start");
        assertEquals(jmc.durationNanos(), own.durationNanos(), "duration");
        assertEquals(jmc.isIncomplete(), own.isIncomplete(), "incomplete");
        assertEquals(threads(jmc), threads(own), "threads");
        assertEquals(Set.copyOf(jmc.valueTypes()), Set.copyOf(own.valueTypes()), "value types");
        for (SampleTable t : jmc.sampleTables()) {
            SampleTable o = own.tableOf(t.valueTypes().get(0));
            assertEquals(t.name(), o.name());
            assertSameRows(samples(jmc, t), samples(own, o), t.name());
        }
        assertSameRows(events(jmc), events(own), "events");
        assertEquals(jmc.warnings().stream().filter(w -> w.contains("truncated by the JVM")).count(),
                own.warnings().stream().filter(w -> w.contains("truncated by the JVM")).count(), "stack truncation warning");
    }

    @Test
    void readingOnlyTheExecutionSamplesGivesTheSameCpuSamplesAndEveryCount() throws Exception {
        Path file = Captures.file("jfr", "jdk17-multichunk.jfr");
        Profile all = JfrStreamReader.read(file, ProgressSink.NONE);
        Profile cpu = JfrStreamReader.read(file, ProgressSink.NONE, Set.of("jdk.ExecutionSample"));
        assertEquals(all.eventCounts(), cpu.eventCounts());
        assertEquals(List.of(JfrReader.CPU_SAMPLES), cpu.valueTypes());
        assertEquals(0, cpu.events().size());
        assertEquals(all.period(), cpu.period());
        assertEquals(all.producer(), cpu.producer());
        assertSameRows(samples(all, all.tableOf(JfrReader.CPU_SAMPLES)), samples(cpu, cpu.tableOf(JfrReader.CPU_SAMPLES)), "cpu");
    }

    @Test
    void aRecordingTooLargeForTheHeapIsRefusedBeforeLoadingAndItsCpuSamplesStillLoad() throws Exception {
        Path file = Captures.file("jfr", "jdk17-multichunk.jfr");
        System.gc();
        long used = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        // pretend the heap holds what is in use plus twice the file: below the three times a whole load needs,
        // above what its CPU samples need
        System.setProperty("kiln.memoryLimit", String.valueOf(used + 2 * java.nio.file.Files.size(file)));
        try {
            ProfileTooLargeException e = assertThrows(ProfileTooLargeException.class, () -> JfrStreamReader.read(file, ProgressSink.NONE));
            assertEquals("jdk17-multichunk.jfr", e.fileName());
            assertTrue(e.neededBytes() > e.availableBytes(), e.getMessage());
            assertTrue(e.reason().contains("CPU samples only"), e.reason());
            Profile cpu = JfrStreamReader.read(file, ProgressSink.NONE, Set.of("jdk.ExecutionSample"));
            assertEquals(cpu.eventCounts().get("jdk.ExecutionSample").longValue(), cpu.tableOf(JfrReader.CPU_SAMPLES).size());
        } finally {
            System.clearProperty("kiln.memoryLimit");
        }
    }

    @Test
    void theLatestPartOfARecordingTooLargeForTheHeapIsItsLastChunksThatFit() throws Exception {
        Path file = Captures.file("jfr", "jdk17-multichunk.jfr");
        Profile whole = JfrStreamReader.read(file, ProgressSink.NONE);
        System.gc();
        long used = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        System.setProperty("kiln.memoryLimit", String.valueOf(used + 2 * java.nio.file.Files.size(file)));
        try {
            assertThrows(ProfileTooLargeException.class, () -> JfrStreamReader.read(file, ProgressSink.NONE));
            Profile latest = JfrStreamReader.readLatest(file, ProgressSink.NONE);
            ProfileValidator.check(latest);
            assertTrue(latest.isIncomplete());
            assertTrue(latest.warnings().stream().anyMatch(w -> w.startsWith("only the last ")), latest.warnings().toString());
            // it ends where the recording ends, starts later, and holds some but not all of its samples
            assertEquals(whole.startEpochNanos() + whole.durationNanos(), latest.startEpochNanos() + latest.durationNanos());
            assertTrue(latest.startEpochNanos() > whole.startEpochNanos());
            long all = whole.eventCounts().get("jdk.ExecutionSample"), part = latest.eventCounts().get("jdk.ExecutionSample");
            assertTrue(part > 0 && part < all, part + " of " + all);
            assertEquals(part, latest.tableOf(JfrReader.CPU_SAMPLES).size());
            // every sample of the part is one of the whole recording's samples at or after the part's start
            long fromStart = 0;
            SampleTable t = whole.tableOf(JfrReader.CPU_SAMPLES);
            for (int r = 0; r < t.size(); r++) if (t.timeNanos(r) >= latest.startEpochNanos()) fromStart++;
            assertEquals(fromStart, part);
        } finally {
            System.clearProperty("kiln.memoryLimit");
        }
    }

    @Test
    void aRecordingWhoseOnlyChunkIsDamagedGivesOneClearError() {
        Path file = Captures.file("bad", "corrupt-middle.jfr");
        ProfileFormatException e = assertThrows(ProfileFormatException.class, () -> JfrStreamReader.read(file, ProgressSink.NONE));
        assertEquals("corrupt-middle.jfr", e.fileName());
        assertTrue(e.reason().contains("constant pool"), e.reason());
    }

    @Test
    void classNamesTakeTheFormJavaSourceUses() {
        assertEquals("java.lang.String", JfrStreamReader.binaryName("java/lang/String"));
        assertEquals("byte[]", JfrStreamReader.binaryName("[B"));
        assertEquals("java.lang.Object[][]", JfrStreamReader.binaryName("[[Ljava/lang/Object;"));
    }

    private static void assertSameRows(List<String> expected, List<String> actual, String what) {
        assertEquals(expected.size(), actual.size(), what + ": row count");
        for (int i = 0; i < expected.size(); i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                assertEquals(expected.get(i), actual.get(i), what + ": first differing row (of " + expected.size() + ")");
            }
        }
    }

    private static Map<String, Long> counts(Profile p) {
        Map<String, Long> m = new TreeMap<>(p.eventCounts());
        m.keySet().removeAll(JMC_COUNT_DIFFERS);
        return m;
    }

    private static List<String> threads(Profile p) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < p.threads().size(); i++) {
            rows.add(p.threadName(i) + "|" + p.threads().javaId(i) + "|" + p.threads().osId(i) + "|" + p.threads().isVirtual(i));
        }
        Collections.sort(rows);
        return rows;
    }

    private static String stack(Profile p, int s) {
        StringBuilder sb = new StringBuilder();
        for (; s >= 0; s = p.stacks().parent(s)) {
            int f = p.stacks().frame(s);
            int func = p.frames().func(f);
            sb.append(p.frameName(f)).append('[').append(p.string(p.functions().container(func))).append("]:")
                    .append(p.frames().line(f)).append(':').append(p.frames().bci(f)).append(':').append(p.frames().kind(f)).append(';');
        }
        return sb.toString();
    }

    private static List<String> samples(Profile p, SampleTable t) {
        List<String> rows = new ArrayList<>(t.size());
        for (int r = 0; r < t.size(); r++) {
            rows.add(t.timeNanos(r) + "|" + p.threadName(t.thread(r)) + "|" + p.className(t.clazz(r)) + "|" + t.value(0, r)
                    + "|" + stack(p, t.stack(r)));
        }
        Collections.sort(rows);
        return rows;
    }

    private static List<String> events(Profile p) {
        EventTable e = p.events();
        List<String> rows = new ArrayList<>(e.size());
        for (int r = 0; r < e.size(); r++) {
            rows.add(e.kind(r) + "|" + e.startNanos(r) + "|" + e.durationNanos(r) + "|" + p.threadName(e.thread(r)) + "|"
                    + p.className(e.clazz(r)) + "|" + e.address(r) + "|" + p.threadName(e.otherThread(r)) + "|"
                    + (e.detail(r) < 0 ? "" : p.string(e.detail(r))) + "|" + e.amount(r) + "|" + stack(p, e.stack(r)));
        }
        Collections.sort(rows);
        return rows;
    }
}
