// SPDX-License-Identifier: Apache-2.0
package dev.kiln.testutil;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Real processes to capture from, for the recorder and fetcher tests (parser and app): a JVM spinning in
 * {@code HotLoop.burn} ({@code /capture/HotLoop.java}, run by the source launcher) and a Go program serving
 * {@code net/http/pprof} on 127.0.0.1 ({@code /capture/main.go.txt}: one goroutine in {@code main.burn}, three
 * parked in {@code main.park}). Each start method returns once the process is ready; {@link Target#close()} ends it
 * and its children.
 */
public final class CaptureTargets {
    /** A running workload: its process and, for the Go server, {@code http://127.0.0.1:PORT} (else null). */
    public record Target(Process process, String baseUrl) implements AutoCloseable {
        public long pid() { return process.pid(); }

        @Override
        public void close() {
            // go run starts the program as a child: end it too.
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private CaptureTargets() { }

    /** Starts the HotLoop JVM (source copied into {@code dir}) and waits until its main method runs. */
    public static Target startHotLoop(Path dir) throws IOException {
        Path src = copy("/capture/HotLoop.java", dir.resolve("HotLoop.java"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xshare:auto", src.toString()).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine(); // blocks until the source launcher compiled and ran main
        assertEquals("ready", line, "the HotLoop workload did not start");
        return new Target(p, null);
    }

    /**
     * Starts the Go pprof server with {@code go run} (source copied into {@code dir}) and waits for its port.
     * Without {@code go} on the PATH: {@link ExternalTools#missing} (a failure in CI, a skip elsewhere).
     */
    public static Target startGoPprof(Path dir) throws IOException {
        Path src = copy("/capture/main.go.txt", dir.resolve("main.go"));
        ProcessBuilder pb = new ProcessBuilder(go(), "run", src.toString()).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("GO111MODULE", "off");
        if (System.getenv("GOCACHE") == null && System.getenv("HOME") == null) {
            pb.environment().put("GOCACHE", dir.resolve("gocache").toString());
        }
        Process server = null;
        try {
            server = pb.start();
        } catch (IOException e) {
            ExternalTools.missing("this test needs Go: `go` is not on the PATH (install golang-go): " + e.getMessage());
        }
        BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = r.readLine()) != null; ) {
            if (line.startsWith("port ")) return new Target(server, "http://127.0.0.1:" + Integer.parseInt(line.substring(5).strip()));
            seen.append(line).append('\n');
        }
        return fail("the Go pprof server did not start:\n" + seen);
    }

    /**
     * The Go toolchain for the test programs: the newest of Debian's {@code /usr/lib/go-1.N/bin/go} (Go 1.22+ from
     * bookworm-backports writes execution traces of the current format), else {@code go} on the PATH.
     */
    public static String go() {
        for (int minor = 30; minor >= 22; minor--) {
            Path p = Path.of("/usr/lib/go-1." + minor + "/bin/go");
            if (Files.isExecutable(p)) return p.toString();
        }
        return "go";
    }

    private static Path copy(String resource, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        try (InputStream in = CaptureTargets.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("test resource " + resource + " is missing");
            Files.copy(in, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return to;
    }
}
