// SPDX-License-Identifier: Apache-2.0
package dev.kiln.hostile;

import dev.kiln.testutil.Captures;
import org.junit.jupiter.api.Disabled;
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
    private String run(String xmx, Path file) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path out = dir.resolve("out-" + xmx + ".txt");
        Process p = new ProcessBuilder(java.toString(), "-Xmx" + xmx, "-cp", cp, LoadMain.class.getName(), file.toString())
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

    /**
     * Each attempt ends within the bound. The error is the one line below; up to two attempts may end with the raw
     * OutOfMemoryError of the waiting thread instead (the known fault that {@link #neverARawStackTrace} shows).
     */
    @Test
    void jmcOutOfMemoryIsAClearError() throws Exception {
        Path file = Captures.file("jfr", "jdk17-mixed.jfr");
        String out = "";
        for (int attempt = 0; attempt < 3; attempt++) {
            out = run("10m", file);
            if (!out.contains("java.lang.OutOfMemoryError")) break;
        }
        assertEquals("ERROR jdk17-mixed.jfr: the recording needs more memory than this JVM has (-Xmx)", out);
    }

    /** The same file with room enough: it loads, so the error above is about memory, not the file. */
    @Test
    void loadsWithAFewMegabytesMore() throws Exception {
        String out = run("48m", Captures.file("jfr", "jdk17-mixed.jfr"));
        assertTrue(out.startsWith("OK "), out);
    }

    /**
     * Every heap size between "fails in JMC" and "loads": never a hang, never a raw stack trace. Fails in about one
     * run out of five: the OutOfMemoryError sometimes strikes the thread that waits for JMC's worker (the polling loop
     * and the executor shutdown in {@code JfrReader.load}) and escapes {@code ProfileLoader.load} as it is.
     */
    @Disabled("the JFR reader lets an OutOfMemoryError of its waiting thread escape (dev.kiln.jfr, being replaced); see docs/RELIABILITY.md")
    @ParameterizedTest(name = "{1} with -Xmx{0}")
    @CsvSource({
            "9m, jdk17-mixed.jfr", "11m, jdk17-mixed.jfr", "14m, jdk17-mixed.jfr", "16m, jdk17-mixed.jfr",
            "10m, jdk17-multichunk.jfr", "13m, jdk17-multichunk.jfr", "16m, jdk17-multichunk.jfr", "18m, jdk17-multichunk.jfr",
    })
    void neverARawStackTrace(String xmx, String name) throws Exception {
        String out = run(xmx, Captures.file("jfr", name));
        assertFalse(out.contains("Exception in thread") || out.contains("java.lang.OutOfMemoryError"), out);
        assertTrue(out.startsWith("OK ") || out.equals("ERROR " + name + ": the recording needs more memory than this JVM has (-Xmx)"), out);
    }

}
