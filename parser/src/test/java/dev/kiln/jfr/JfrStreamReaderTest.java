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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.OutputStream;
import java.nio.file.Files;
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
        assertSameAsJmc(file, JfrStreamReader.read(file, ProgressSink.NONE));
    }

    @Test
    void laterChunksOfOneJvmRunTakeTheStacksTheyShareWithEarlierOnesFromThemAndBuildTheSameProfile() throws Exception {
        Path file = Captures.file("jfr", "jdk17-multichunk.jfr");
        SeenStacks stacks = new SeenStacks();
        assertSameAsJmc(file, JfrStreamReader.read(file, ProgressSink.NONE, null, stacks));
        assertTrue(stacks.hits() > 100, "stacks found in earlier chunks: " + stacks.hits());
    }

    /**
     * Stack entries name methods by keys, which mean other methods in another JVM run even where the bytes are equal.
     * A file joined from three runs has the samples and events of the three read apart, each with its own stacks.
     * The third is the first again as another run would have written it: the same bytes but for its process id and
     * the name of one method, so that every stack entry of it is in the first run's chunk too, naming another method.
     * (Not compared with JMC's path: both readers take threads of equal Java ids in two runs for one.)
     */
    @Test
    void chunksOfThreeJvmRunsInOneFileKeepTheirOwnStacks(@TempDir Path dir) throws Exception {
        Path first = Captures.file("jfr", "jdk17-diff-baseline.jfr");
        Path other = dir.resolve("other-run.jfr");
        Files.write(other, asAnotherRun(Files.readAllBytes(first), "computeChecksum", "computeChecksam"));
        Path joined = dir.resolve("three-runs.jfr");
        List<String> apart = new ArrayList<>();
        try (OutputStream out = Files.newOutputStream(joined)) {
            for (Path part : List.of(first, Captures.file("jfr", "jdk17-multichunk.jfr"), other)) {
                Files.copy(part, out);
                apart.addAll(rowsWithStacks(JfrStreamReader.read(part, ProgressSink.NONE)));
            }
        }
        Collections.sort(apart);
        assertTrue(apart.stream().anyMatch(r -> r.contains("computeChecksam")), "the other run's method is in its stacks");
        SeenStacks stacks = new SeenStacks();
        assertSameRows(apart, rowsWithStacks(JfrStreamReader.read(joined, ProgressSink.NONE, null, stacks)), "samples and events");
        assertTrue(stacks.hits() > 100, "stacks found in earlier chunks: " + stacks.hits());
    }

    /**
     * A one-chunk recording as if another run had written it: {@code method} renamed in its symbol pool, and the
     * process id in jdk.JVMInformation, the event's last field, changed (the byte count stays the same).
     */
    private static byte[] asAnotherRun(byte[] recording, String method, String renamed) throws Exception {
        byte[] b = recording.clone();
        byte[] from = method.getBytes(java.nio.charset.StandardCharsets.US_ASCII), to = renamed.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int at = -1;
        for (int i = 0; i + from.length <= b.length; i++) {
            if (java.util.Arrays.equals(b, i, i + from.length, from, 0, from.length)) {
                assertEquals(-1, at, "the method's name is in the recording once");
                at = i;
            }
        }
        assertTrue(at > 0, "the method's name is in the recording");
        System.arraycopy(to, 0, b, at, to.length);
        long jvmInformation;
        try (jdk.jfr.consumer.RecordingFile f = new jdk.jfr.consumer.RecordingFile(Captures.file("jfr", "jdk17-diff-baseline.jfr"))) {
            jvmInformation = f.readEventTypes().stream().filter(t -> t.getName().equals("jdk.JVMInformation")).findFirst().orElseThrow().getId();
        }
        int pos = 68, changed = 0; // the chunk header's size; then events, each its size and type first
        while (pos < b.length) {
            int[] p = {pos};
            long size = varint(b, p), type = varint(b, p);
            if (type == jvmInformation) {
                b[pos + (int) size - 1] ^= 1; // the last byte of the process id
                changed++;
            }
            pos += (int) size;
        }
        assertEquals(1, changed, "jdk.JVMInformation events");
        return b;
    }

    private static long varint(byte[] b, int[] pos) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b[pos[0]++];
            v |= (long) (x & 0x7f) << shift;
            if (x >= 0 || shift == 56) return v;
        }
    }

    /** Every sample and event, with its stack and without its thread. */
    private static List<String> rowsWithStacks(Profile p) {
        List<String> rows = new ArrayList<>();
        for (SampleTable t : p.sampleTables()) {
            for (int r = 0; r < t.size(); r++) {
                rows.add(t.name() + "|" + t.timeNanos(r) + "|" + p.className(t.clazz(r)) + "|" + t.value(0, r) + "|" + stack(p, t.stack(r)));
            }
        }
        EventTable e = p.events();
        for (int r = 0; r < e.size(); r++) rows.add(e.kind(r) + "|" + e.startNanos(r) + "|" + e.durationNanos(r) + "|" + stack(p, e.stack(r)));
        Collections.sort(rows);
        return rows;
    }

    private static void assertSameAsJmc(Path file, Profile own) throws Exception {
        Profile jmc = JfrReader.read(file, ProgressSink.NONE);
        ProfileValidator.check(own);

        assertEquals(counts(jmc), counts(own), "event counts");
        assertEquals(jmc.producer(), own.producer(), "producer");
        assertEquals(jmc.period(), own.period(), "sampling period");
        assertEquals(jmc.periodType(), own.periodType(), "period type");
        assertEquals(jmc.defaultValueType(), own.defaultValueType(), "default value type");
        assertEquals(jmc.startEpochNanos(), own.startEpochNanos(), "start");
        assertEquals(jmc.durationNanos(), own.durationNanos(), "duration");
        assertEquals(jmc.isIncomplete(), own.isIncomplete(), "incomplete");
        // the streaming reader's thread table also holds the threads only the event store refers to (the VM and GC threads)
        assertEquals(threads(jmc, false), threads(own, true), "threads");
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
        m.keySet().removeIf(k -> k.endsWith(Chunk.MISSING_METADATA)); // JMC skips events of undeclared types without a word
        return m;
    }

    /** The thread table's rows, or those the sample and event tables refer to. */
    private static List<String> threads(Profile p, boolean referenced) {
        java.util.BitSet used = new java.util.BitSet();
        for (SampleTable t : p.sampleTables()) for (int r = 0; r < t.size(); r++) if (t.thread(r) >= 0) used.set(t.thread(r));
        for (int r = 0; r < p.events().size(); r++) {
            if (p.events().thread(r) >= 0) used.set(p.events().thread(r));
            if (p.events().otherThread(r) >= 0) used.set(p.events().otherThread(r));
        }
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < p.threads().size(); i++) {
            if (referenced && !used.get(i)) continue;
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
