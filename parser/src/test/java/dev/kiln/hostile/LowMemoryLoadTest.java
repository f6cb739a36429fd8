// SPDX-License-Identifier: Apache-2.0
package dev.kiln.hostile;

import dev.kiln.testutil.Captures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A JVM whose heap is too small for JMC's loader ({@link LoadMain} in a child JVM with a tiny -Xmx): the load ends
 * within a bound with one line saying the recording needs more memory, instead of hanging on a dead JMC worker.
 * The heap sizes were found by trying: {@code jdk17-mixed.jfr} (1.5 MB) loads with -Xmx18m and runs out inside JMC's
 * parser with -Xmx9m to -Xmx16m.
 */
class LowMemoryLoadTest {
    static final long BOUND_SECONDS = 60;

    @TempDir
    Path dir;

    /** The child's output, or a failure with its thread dump (jstack) when it does not end within the bound. */
    private String run(String xmx, Path file, String reader) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path out = dir.resolve("out-" + reader + "-" + xmx + ".txt");
        Process p = new ProcessBuilder(java.toString(), "-Xmx" + xmx, "-Dkiln.jfr.reader=" + reader, "-cp", cp, LoadMain.class.getName(), file.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)) {
            Path jstack = Path.of(System.getProperty("java.home"), "bin", "jstack");
            Process dump = new ProcessBuilder(jstack.toString(), Long.toString(p.pid())).redirectErrorStream(true).start();
            String threads = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.destroyForcibly();
            fail("loading " + file.getFileName() + " with -Xmx" + xmx + " did not end within " + BOUND_SECONDS + " s; "
                    + "output so far:\n" + Files.readString(out) + "\nthreads:\n" + threads);
        }
        return Files.readString(out).strip();
    }

    /** Through JMC's parser: the load ends within the bound with the one line below. */
    @Test
    void jmcOutOfMemoryIsAClearError() throws Exception {
        String out = run("10m", Captures.file("jfr", "jdk17-mixed.jfr"), "jmc");
        assertEquals("ERROR jdk17-mixed.jfr: the recording needs more memory than this JVM has (-Xmx)", out);
    }

    /** Through Kiln's streaming reader: refused before loading, with the memory it needs and the way out. */
    @Test
    void streamingReaderRefusesWhatDoesNotFit() throws Exception {
        String out = run("10m", Captures.file("jfr", "jdk17-mixed.jfr"), "stream");
        assertTrue(out.startsWith("ERROR jdk17-mixed.jfr: the recording needs about "), out);
        assertTrue(out.contains("CPU samples only"), out);
    }

    /** The same file with room enough: it loads, so the error above is about memory, not the file. */
    @Test
    void loadsWithAFewMegabytesMore() throws Exception {
        assertTrue(run("48m", Captures.file("jfr", "jdk17-mixed.jfr"), "jmc").startsWith("OK "));
        assertTrue(run("48m", Captures.file("jfr", "jdk17-mixed.jfr"), "stream").startsWith("OK "));
    }

    /**
     * Every heap size between "fails in JMC" and "loads": never a hang, never a raw stack trace. Fails in about one
     * run out of five: the OutOfMemoryError sometimes strikes the thread that waits for JMC's worker (the polling loop
     * and the executor shutdown in {@code JfrReader.load}) and escapes {@code ProfileLoader.load} as it is.
     */
    @ParameterizedTest(name = "{1} with -Xmx{0} through {2}")
    @CsvSource({
            "9m, jdk17-mixed.jfr, jmc", "11m, jdk17-mixed.jfr, jmc", "14m, jdk17-mixed.jfr, jmc", "16m, jdk17-mixed.jfr, jmc",
            "10m, jdk17-multichunk.jfr, jmc", "13m, jdk17-multichunk.jfr, jmc", "16m, jdk17-multichunk.jfr, jmc", "18m, jdk17-multichunk.jfr, jmc",
            "9m, jdk17-mixed.jfr, stream", "14m, jdk17-mixed.jfr, stream", "10m, jdk17-multichunk.jfr, stream", "18m, jdk17-multichunk.jfr, stream",
    })
    void neverARawStackTrace(String xmx, String name, String reader) throws Exception {
        String out = run(xmx, Captures.file("jfr", name), reader);
        // A JMC worker that dies of the OutOfMemoryError may make the JVM print one line about it (its uncaught-
        // exception handler had no memory either); that is JMC's thread. Kiln's outcome is the last line, and no
        // stack trace of Kiln's escapes.
        assertFalse(out.contains("Exception in thread \"main\"") || out.contains("\tat "), out);
        String last = out.substring(out.lastIndexOf('\n') + 1);
        assertTrue(last.startsWith("OK ") || last.equals("ERROR " + name + ": the recording needs more memory than this JVM has (-Xmx)")
                || last.startsWith("ERROR " + name + ": the recording needs about "), out);
    }

}
