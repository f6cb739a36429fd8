// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import dev.kiln.capture.JvmRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static dev.kiln.app.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kiln record} and {@code kiln fetch} on bad arguments and unreachable targets: exit codes and messages. */
class CaptureCliArgsTest {
    @TempDir
    Path dir;

    private static void assertFails(int code, String message, CliTest.Result r) {
        assertEquals(code, r.code(), r.err());
        assertTrue(r.err().contains(message), r.err());
        assertTrue(r.out().isEmpty(), r.out());
    }

    @Test
    void recordUsageErrors() {
        assertFails(Main.USAGE, "kiln record: expected a PID", run("record"));
        assertFails(Main.USAGE, "PID must be a number: abc", run("record", "abc"));
        assertFails(Main.USAGE, "not a duration: 5 parsecs", run("record", "1", "--duration", "5 parsecs"));
        assertFails(Main.USAGE, "the duration must be positive: 0s", run("record", "1", "--duration", "0s"));
        assertFails(Main.USAGE, "--duration", run("record", "1", "--duration"));
        assertFails(Main.USAGE, "unexpected argument --bogus", run("record", "1", "--bogus"));
        assertTrue(run("record").err().contains("usage: kiln record PID"), "the usage follows the message");
    }

    @Test
    void recordOfAProcessThatIsGone() throws Exception {
        Process gone = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version").start();
        gone.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        gone.waitFor();
        Path out = dir.resolve("gone.jfr");
        assertFails(Main.BAD_INPUT, "no process with PID " + gone.pid(), run("record", Long.toString(gone.pid()), "--duration", "1s", "-o", out.toString()));
        assertFalse(Files.exists(out));
    }

    @Test
    void durationsAsTheCliAndTheAppParseThem() {
        assertEquals(Duration.ofSeconds(30), JvmRecorder.parseDuration("30s"));
        assertEquals(Duration.ofSeconds(30), JvmRecorder.parseDuration("30"));
        assertEquals(Duration.ofMillis(500), JvmRecorder.parseDuration("500ms"));
        assertEquals(Duration.ofMinutes(2), JvmRecorder.parseDuration(" 2m "));
        assertEquals(Duration.ofHours(1), JvmRecorder.parseDuration("1H"));
        assertThrows(IllegalArgumentException.class, () -> JvmRecorder.parseDuration("-3s"));
        assertThrows(IllegalArgumentException.class, () -> JvmRecorder.parseDuration(""));
    }

    @Test
    void fetchUsageErrors() {
        assertFails(Main.USAGE, "kiln fetch: expected a URL", run("fetch"));
        assertFails(Main.USAGE, "ftp://h/x: only http and https URLs can be fetched", run("fetch", "ftp://h/x"));
        assertFails(Main.USAGE, "not a URL", run("fetch", "http://exa mple/"));
        assertFails(Main.USAGE, "--max-bytes needs a number", run("fetch", "http://h/", "--max-bytes", "lots"));
        assertTrue(run("fetch").err().contains("usage: kiln fetch URL"));
    }

    @Test
    void fetchFromARefusedPort() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/debug/pprof/heap";
        Path out = dir.resolve("heap.pb.gz");
        CliTest.Result r = run("fetch", url, "-o", out.toString());
        assertFails(Main.BAD_INPUT, url + ": connection refused", r);
        assertFalse(Files.exists(out), "nothing written");
    }
}
