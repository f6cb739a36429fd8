// SPDX-License-Identifier: Apache-2.0
package dev.kiln.hostile;

import dev.kiln.analysis.timeline.ThreadState;
import dev.kiln.analysis.timeline.ThreadTimelines;
import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.EventKind;
import dev.kiln.model.EventTable;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileValidator;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real JFR recording of a JVM that started 100,000 short-lived threads ({@code hostile/ManyThreads.java}, run
 * by the JDK's source launcher under {@code -XX:StartFlightRecording} with {@code hostile/many-threads.jfc}; about
 * 11 MB, so it is made in a temporary folder, not kept). It loads within a bounded time in the test JVM's heap
 * (-Xmx1g), every started thread is in the thread table, every thread start/end event is in the event table (counted
 * independently with the JDK's own {@link RecordingFile}), and the thread timelines are built over it.
 */
class ManyThreadsJfrTest {
    static final int THREADS = 100_000;
    static final Duration LOAD_BOUND = Duration.ofSeconds(120);

    @TempDir
    static Path dir;
    static Path recording;
    /** Counted by the JDK's reader: ThreadStart and ThreadEnd events, and the Java ids of the threads they name. */
    static long starts, ends;
    static final Set<Long> started = new HashSet<>(), startedAndEnded = new HashSet<>();

    @BeforeAll
    static void record() throws Exception {
        Path src = dir.resolve("ManyThreads.java"), settings = dir.resolve("many-threads.jfc");
        copy("/hostile/ManyThreads.java", src);
        copy("/hostile/many-threads.jfc", settings);
        recording = dir.resolve("many-threads.jfr");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx256m",
                "-XX:StartFlightRecording=filename=" + recording + ",settings=" + settings,
                src.toString(), Integer.toString(THREADS)).redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the workload did not finish within 5 minutes");
        }
        String out = Files.readString(dir.resolve("out.txt"));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("done " + THREADS), out);

        Set<Long> ended = new HashSet<>();
        try (RecordingFile f = new RecordingFile(recording)) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                String type = e.getEventType().getName();
                if (type.equals("jdk.ThreadStart")) {
                    starts++;
                    RecordedThread t = e.getThread("thread");
                    if (t != null) started.add(t.getJavaThreadId()); // one start event at JVM exit names no thread
                } else if (type.equals("jdk.ThreadEnd")) {
                    ends++;
                    RecordedThread t = e.getThread("thread");
                    if (t != null) ended.add(t.getJavaThreadId());
                }
            }
        }
        startedAndEnded.addAll(started);
        startedAndEnded.retainAll(ended);
    }

    private static void copy(String resource, Path to) throws Exception {
        try (InputStream in = ManyThreadsJfrTest.class.getResourceAsStream(resource)) {
            Files.copy(in, to);
        }
    }

    @Test
    void loadsEveryThreadAndBuildsTheTimelines() {
        assertTrue(started.size() >= THREADS, "the JDK's reader sees " + started.size() + " started threads");

        long t0 = System.nanoTime();
        Profile p = assertTimeoutPreemptively(LOAD_BOUND, () -> ProfileLoader.load(recording, ProgressSink.NONE));
        long loadMs = (System.nanoTime() - t0) / 1_000_000;
        ProfileValidator.check(p);

        Set<Long> kilnIds = new HashSet<>();
        for (int t = 0; t < p.threads().size(); t++) kilnIds.add(p.threads().javaId(t));
        assertTrue(p.threads().size() >= THREADS, "threads: " + p.threads().size());
        Set<Long> missing = new HashSet<>(started);
        missing.removeAll(kilnIds);
        assertTrue(missing.isEmpty(), missing.size() + " started threads are missing from the thread table: " + missing);

        EventTable ev = p.events();
        long kilnStarts = 0, kilnEnds = 0;
        for (int r = 0; r < ev.size(); r++) {
            if (ev.kind(r) == EventKind.THREAD_START) kilnStarts++;
            else if (ev.kind(r) == EventKind.THREAD_END) kilnEnds++;
        }
        assertEquals(starts, kilnStarts, "jdk.ThreadStart events");
        assertEquals(ends, kilnEnds, "jdk.ThreadEnd events");

        long t1 = System.nanoTime();
        ThreadTimelines tl = assertTimeoutPreemptively(LOAD_BOUND, () -> ThreadTimelines.of(p));
        long timelineMs = (System.nanoTime() - t1) / 1_000_000;
        // A thread with a start and an end gets a lane; its state totals add up to its length.
        assertTrue(tl.laneCount() >= startedAndEnded.size(), tl.laneCount() + " lanes, " + startedAndEnded.size() + " threads started and ended");
        for (int lane = 0; lane < tl.laneCount(); lane++) {
            long sum = 0;
            for (ThreadState s : ThreadState.values()) sum += tl.total(lane, s);
            assertEquals(tl.laneLengthNanos(lane), sum, "lane " + lane);
        }

        System.gc();
        long heapMb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
        Reference.reachabilityFence(p);
        Reference.reachabilityFence(tl);
        // The profile and its timelines held in a quarter of the test JVM's heap (-Xmx1g).
        assertTrue(heapMb < 256, "heap in use with the profile and timelines held: " + heapMb + " MB");
        System.out.printf("100k threads: %,d bytes, %,d threads, %,d events, load %,d ms, timelines %,d ms, heap after gc %,d MB%n",
                fileSize(), p.threads().size(), ev.size(), loadMs, timelineMs, heapMb);
    }

    private static long fileSize() {
        try {
            return Files.size(recording);
        } catch (Exception e) {
            return -1;
        }
    }
}
