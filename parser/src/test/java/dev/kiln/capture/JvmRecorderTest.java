// SPDX-License-Identifier: Apache-2.0
package dev.kiln.capture;

import dev.kiln.analysis.FunctionTotals;
import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.jfr.JfrReader;
import dev.kiln.model.Profile;
import dev.kiln.model.SampleTable;
import dev.kiln.testutil.CaptureTargets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records a real JVM (the {@code HotLoop} workload, which spins in {@code HotLoop.burn}) through {@link JvmRecorder}
 * and opens the recording.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JvmRecorderTest {
    @TempDir
    static Path dir;
    private static CaptureTargets.Target target;
    private static Process workload;

    @BeforeAll
    static void startWorkload() throws Exception {
        target = CaptureTargets.startHotLoop(dir);
        workload = target.process();
    }

    @AfterAll
    static void stopWorkload() {
        if (target != null) target.close();
    }

    @Test
    void listsTheWorkload() throws IOException {
        List<JvmRecorder.Jvm> jvms = new JvmRecorder().list();
        assertTrue(jvms.stream().anyMatch(j -> j.pid() == workload.pid() && j.mainClass().contains("HotLoop.java")), jvms.toString());
        assertFalse(jvms.stream().anyMatch(j -> j.mainClass().contains("JCmd")), "jcmd itself is not listed");
    }

    @Test
    void recordsTheHotMethod() throws Exception {
        Path out = dir.resolve("rec/hot loop.jfr"); // a folder to create and a space in the name
        long[] last = {-1, -1};
        ProgressSink progress = new ProgressSink() {
            @Override
            public void progress(long done, long total, String what) { last[0] = done; last[1] = total; }

            @Override
            public boolean isCancelled() { return false; }
        };
        long start = System.nanoTime();
        Path written = new JvmRecorder().record(workload.pid(), "profile", Duration.ofSeconds(3), out, progress);
        assertTrue((System.nanoTime() - start) / 1_000_000 >= 3000, "waited the whole duration");
        assertEquals(out.toAbsolutePath(), written);
        assertEquals(3000, last[1]);
        assertEquals(3000, last[0]);
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertEquals(List.of(out.getFileName().toString()), files.map(p -> p.getFileName().toString()).toList(), "no temporary file left");
        }
        Profile p = ProfileLoader.load(out, ProgressSink.NONE);
        SampleTable cpu = p.tableOf(JfrReader.CPU_SAMPLES);
        assertTrue(cpu != null && cpu.size() > 10, "execution samples recorded");
        FunctionTotals totals = FunctionTotals.of(p, JfrReader.CPU_SAMPLES);
        String top = totals.bySelf().get(0).name();
        assertTrue(top.endsWith("HotLoop.burn"), "top self function is " + top);
        // The recording was stopped again: a dump of the running recordings finds none.
        IOException none = assertThrows(IOException.class, () -> new JvmRecorder().dumpRunning(workload.pid(), dir.resolve("none.jfr")));
        assertTrue(none.getMessage().contains("No recordings"), none.getMessage());
        assertFalse(Files.exists(dir.resolve("none.jfr")));
    }

    @Test
    void cancelEndsEarlyAndKeepsTheData() throws Exception {
        Path out = dir.resolve("cancelled.jfr");
        long[] lastDone = {-1};
        ProgressSink stopAfterASecond = new ProgressSink() {
            @Override
            public void progress(long done, long total, String what) { lastDone[0] = done; }

            @Override
            public boolean isCancelled() { return lastDone[0] >= 1000; }
        };
        new JvmRecorder().record(workload.pid(), "default", Duration.ofMinutes(10), out, stopAfterASecond);
        assertTrue(lastDone[0] >= 1000 && lastDone[0] < 10_000, "the wait ended soon after the cancel: " + lastDone[0] + " ms");
        Profile p = ProfileLoader.load(out, ProgressSink.NONE);
        assertTrue(p.durationNanos() > 0);
    }

    @Test
    void clearErrors() throws Exception {
        Process gone = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version").start();
        gone.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        gone.waitFor();
        IOException noPid = assertThrows(IOException.class,
                () -> new JvmRecorder().record(gone.pid(), "default", Duration.ofSeconds(1), dir.resolve("x.jfr"), ProgressSink.NONE));
        assertTrue(noPid.getMessage().contains("no process with PID " + gone.pid()), noPid.getMessage());

        Process sleeper = new ProcessBuilder("sleep", "30").start(); // a live process that is not a JVM
        try {
            IOException notJvm = assertThrows(IOException.class, () -> new JvmRecorder().dumpRunning(sleeper.pid(), dir.resolve("y.jfr")));
            assertTrue(notJvm.getMessage().contains("not a JVM"), notJvm.getMessage());
        } finally {
            sleeper.destroyForcibly();
        }

        IOException noJcmd = assertThrows(IOException.class, () -> new JvmRecorder(dir.resolve("no-jcmd")).list());
        assertTrue(noJcmd.getMessage().contains("jcmd not found"), noJcmd.getMessage());

        IllegalArgumentException badSettings = assertThrows(IllegalArgumentException.class,
                () -> new JvmRecorder().record(workload.pid(), dir.resolve("missing.jfc").toString(), Duration.ofSeconds(1), dir.resolve("z.jfr"), ProgressSink.NONE));
        assertTrue(badSettings.getMessage().contains("missing.jfc"), badSettings.getMessage());

        Path notJfc = Files.writeString(dir.resolve("bad.jfc"), "not xml");
        IOException refused = assertThrows(IOException.class,
                () -> new JvmRecorder().record(workload.pid(), notJfc.toString(), Duration.ofSeconds(1), dir.resolve("z.jfr"), ProgressSink.NONE));
        assertTrue(refused.getMessage().contains("refused") && refused.getMessage().contains("settings"), refused.getMessage());
        assertFalse(Files.exists(dir.resolve("z.jfr")));
    }
}
