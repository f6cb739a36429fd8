// SPDX-License-Identifier: Apache-2.0
package dev.kiln.capture;

import dev.kiln.analysis.FunctionTotals;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.ValueType;
import dev.kiln.testutil.CaptureTargets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fetches profiles from a real Go program ({@code capture/main.go.txt}: {@code net/http/pprof} on 127.0.0.1, one
 * goroutine spinning in {@code main.burn}, three parked in {@code main.park}) through {@link PprofFetcher}.
 * Needs {@code go} on the PATH (CI installs golang-go); without it the tests fail in CI and are skipped elsewhere.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PprofFetcherTest {
    @TempDir
    static Path dir;
    private static CaptureTargets.Target server;
    private static String base;

    @BeforeAll
    static void startServer() throws Exception {
        server = CaptureTargets.startGoPprof(dir);
        base = server.baseUrl();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.close();
    }

    @Test
    void cpuProfileShowsTheHotFunction() throws Exception {
        Path out = dir.resolve("out/cpu.pb.gz");
        PprofFetcher.Fetched f = new PprofFetcher().fetch(URI.create(base + "/debug/pprof/profile?seconds=2"), out, ProgressSink.NONE);
        assertEquals(out.toAbsolutePath(), f.file());
        assertTrue(Files.size(out) > 0);
        try (var files = Files.list(out.getParent())) {
            assertEquals(List.of("cpu.pb.gz"), files.map(p -> p.getFileName().toString()).toList(), "no temporary file left");
        }
        Profile p = f.profile();
        assertEquals("cpu.pb.gz", p.sourceName());
        ValueType cpu = new ValueType("cpu", "nanoseconds");
        List<String> top = FunctionTotals.of(p, cpu).bySelf().stream().limit(3).map(FunctionTotals.Row::name).toList();
        assertTrue(top.contains("main.burn"), "top self functions: " + top);
    }

    @Test
    void goroutineDumpLoads() throws Exception {
        Path out = dir.resolve("goroutines.txt");
        Profile p = new PprofFetcher().fetch(PprofFetcher.parse(base.substring("http://".length()) + "/debug/pprof/goroutine?debug=2"),
                out, ProgressSink.NONE).profile();
        FunctionTotals t = FunctionTotals.of(p, new ValueType("goroutine", "count"));
        FunctionTotals.Row park = t.row("main.park");
        assertTrue(park != null && park.total() == 3, "three goroutines parked in main.park: " + park);
        assertTrue(p.threads().size() >= 5, "main, burn, three parked: " + p.threads().size());
        // debug=0 is the protobuf form of the same profile
        Profile proto = new PprofFetcher().fetch(URI.create(base + "/debug/pprof/goroutine"), dir.resolve("g.pb.gz"), ProgressSink.NONE).profile();
        FunctionTotals.Row park0 = FunctionTotals.of(proto, new ValueType("goroutine", "count")).row("main.park");
        assertTrue(park0 != null && park0.total() == 3, "three in main.park: " + park0);
    }

    /** /debug/pprof/trace: a Go 1.22+ server's trace opens with its goroutines; an older Go's gets the old-format message. */
    @Test
    void executionTraceOfTheServer() throws Exception {
        URI url = URI.create(base + "/debug/pprof/trace?seconds=1");
        assertTrue(PprofFetcher.defaultFileName(url, java.time.LocalDateTime.of(2026, 1, 2, 3, 4, 5)).endsWith("-20260102-030405.trace"));
        Path out = dir.resolve("server.trace");
        Process v = new ProcessBuilder(CaptureTargets.go(), "version").redirectErrorStream(true).start();
        String version = new String(v.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("go1\\.(\\d+)").matcher(version);
        assertTrue(m.find(), version);
        if (Integer.parseInt(m.group(1)) >= 22) {
            Profile p = new PprofFetcher().fetch(url, out, ProgressSink.NONE).profile();
            assertEquals(dev.kiln.model.SourceFormat.GO_TRACE, p.format());
            boolean burn = false;
            for (int f = 0; f < p.functions().size(); f++) burn |= p.string(p.functions().name(f)).equals("main.burn");
            assertTrue(burn, "the goroutine spinning in main.burn is preempted there, with its stack");
            assertTrue(p.threads().size() >= 5, "main, the spinner, three parked, Ps: " + p.threads().size());
        } else {
            ProfileFormatException e = assertThrows(ProfileFormatException.class, () -> new PprofFetcher().fetch(url, out, ProgressSink.NONE));
            assertTrue(e.getMessage().contains("execution trace: Kiln reads the trace format of Go 1.22"), e.getMessage());
        }
    }

    @Test
    void refusedConnection() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/debug/pprof/heap";
        Path out = dir.resolve("refused.pb.gz");
        IOException e = assertThrows(IOException.class, () -> new PprofFetcher().fetch(URI.create(url), out, ProgressSink.NONE));
        assertTrue(e.getMessage().startsWith(url) && e.getMessage().contains("refused"), e.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void notAProfile() throws Exception {
        Path out = dir.resolve("page.pb.gz");
        Files.writeString(out, "kept"); // an existing file is not replaced by a failed fetch
        ProfileFormatException e = assertThrows(ProfileFormatException.class,
                () -> new PprofFetcher().fetch(URI.create(base + "/"), out, ProgressSink.NONE));
        assertTrue(e.getMessage().startsWith(base + "/: the answer is not a profile") && e.getMessage().contains("text/html"), e.getMessage());
        assertEquals("kept", Files.readString(out));
    }

    @Test
    void notFound() {
        String url = base + "/debug/pprof/nosuchprofile";
        IOException e = assertThrows(IOException.class, () -> new PprofFetcher().fetch(URI.create(url), dir.resolve("nf.pb.gz"), ProgressSink.NONE));
        assertTrue(e.getMessage().startsWith(url + ": HTTP 404"), e.getMessage());
    }

    @Test
    void sizeLimit() {
        String url = base + "/debug/pprof/goroutine?debug=2";
        IOException e = assertThrows(IOException.class,
                () -> new PprofFetcher(Duration.ofSeconds(5), 100).fetch(URI.create(url), dir.resolve("big.txt"), ProgressSink.NONE));
        assertTrue(e.getMessage().contains("over the limit of 100"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("big.txt")));
    }

    @Test
    void namesAndDeadlines() {
        URI u = PprofFetcher.parse("localhost:6060/debug/pprof/profile?seconds=20");
        assertEquals("http", u.getScheme());
        assertEquals(Duration.ofSeconds(50), PprofFetcher.deadline(u));
        assertEquals(Duration.ofSeconds(30), PprofFetcher.deadline(PprofFetcher.parse("http://h/debug/pprof/heap")));
        java.time.LocalDateTime t = java.time.LocalDateTime.of(2024, 5, 6, 7, 8, 9);
        assertEquals("profile-localhost-6060-20240506-070809.pb.gz", PprofFetcher.defaultFileName(u, t));
        assertEquals("goroutine-h-20240506-070809.txt", PprofFetcher.defaultFileName(PprofFetcher.parse("http://h/debug/pprof/goroutine?debug=2"), t));
        assertThrows(IllegalArgumentException.class, () -> PprofFetcher.parse("ftp://h/x"));
    }
}
