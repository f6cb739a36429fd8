// SPDX-License-Identifier: Apache-2.0
package dev.kiln.io;

import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.ProfileValidator;
import dev.kiln.model.SourceFormat;
import dev.kiln.testutil.Captures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Format detection by content and Kiln's answer to every damaged file of the corpus ({@code captures/bad},
 * see EXPECTED.txt for what the reference tools say): a clear error naming the file, or a partial load flagged
 * incomplete, always within a bounded time.
 */
class ProfileLoaderTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    /** What Kiln does with each file: "error: <words in the reason>", "partial" (incomplete) or "loads as <FORMAT>". */
    private static final Map<String, String> BAD = Map.ofEntries(
            entry("bad-magic.jfr", "error: not a profile"),
            entry("corrupt-middle.jfr", "error: damaged"),
            entry("empty.jfr", "error: empty"),
            entry("empty.pb.gz", "error: empty"),
            entry("jfr-named-as.pb.gz", "loads as JFR"),
            entry("pprof-named-as.jfr", "loads as PPROF"),
            entry("truncated-goroutine.debug1.txt", "partial"),
            entry("truncated-goroutine.debug2.txt", "partial"),
            entry("truncated-gzip.pb.gz", "error: cut short"),
            entry("truncated-in-header.jfr", "error: cut short"),
            entry("truncated-mid-chunk.jfr", "error: cut short"),
            entry("truncated-protobuf-in-valid-gzip.pb.gz", "error: ends in the middle"),
            entry("truncated-second-chunk.jfr", "partial"));

    static Stream<String> badFiles() {
        return Captures.list("bad", "").stream().map(p -> p.getFileName().toString()).filter(n -> !n.equals("EXPECTED.txt"));
    }

    @ParameterizedTest
    @MethodSource("badFiles")
    void everyDamagedFileGetsItsAnswer(String name) {
        String expected = BAD.get(name);
        assertNotNull(expected, "no expectation for new bad file " + name);
        Path file = Captures.file("bad", name);
        if (expected.startsWith("error: ")) {
            ProfileFormatException e = assertTimeoutPreemptively(BOUND,
                    () -> assertThrows(ProfileFormatException.class, () -> ProfileLoader.load(file, ProgressSink.NONE)));
            assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
            assertTrue(e.reason().contains(expected.substring(7)), e.getMessage());
        } else {
            Profile p = assertTimeoutPreemptively(BOUND, () -> ProfileLoader.load(file, ProgressSink.NONE));
            ProfileValidator.check(p);
            if (expected.equals("partial")) {
                assertTrue(p.isIncomplete(), name);
                assertTrue(!p.warnings().isEmpty(), name);
            } else {
                assertEquals(SourceFormat.valueOf(expected.substring(9)), p.format());
            }
        }
    }

    @Test
    void everyCaptureIsDetectedByContent() throws Exception {
        List<Path> all = new ArrayList<>(Captures.list("jfr", ".jfr"));
        all.addAll(Captures.list("pprof", ".pb.gz", ".pb", ".debug1.txt", ".debug2.txt"));
        for (Path p : all) {
            Profile profile = ProfileLoader.load(p, ProgressSink.NONE);
            ProfileValidator.check(profile);
            String n = p.getFileName().toString();
            SourceFormat expected = n.endsWith(".jfr") ? SourceFormat.JFR : n.endsWith(".txt") ? SourceFormat.GO_TEXT : SourceFormat.PPROF;
            assertEquals(expected, profile.format(), n);
        }
    }

    @Test
    void gzipBombIsRefused(@TempDir Path dir) throws Exception {
        // A gzipped "recording" that expands to 300 MiB: the JFR path unpacks to a temp file, so only the
        // size limit can stop it.
        Path bomb = dir.resolve("bomb.jfr.gz");
        byte[] zeros = new byte[1 << 20];
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(bomb))) {
            out.write(new byte[] {'F', 'L', 'R', 0});
            for (int i = 0; i < 300; i++) out.write(zeros);
        }
        assertTrue(Files.size(bomb) < ProfileLoader.gzipLimit(Files.size(bomb)) / 100);
        ProfileFormatException e = assertTimeoutPreemptively(BOUND,
                () -> assertThrows(ProfileFormatException.class, () -> ProfileLoader.load(bomb, ProgressSink.NONE)));
        assertTrue(e.reason().contains("decompression bomb"), e.getMessage());
    }

    @Test
    void gzippedRecordingLoadsLikeTheRecording(@TempDir Path dir) throws Exception {
        Path jfr = Captures.file("jfr", "jdk17-diff-baseline.jfr");
        Path gz = dir.resolve("jdk17-diff-baseline.jfr.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(jfr, out);
        }
        Profile a = ProfileLoader.load(jfr, ProgressSink.NONE), b = ProfileLoader.load(gz, ProgressSink.NONE);
        assertEquals(a.eventCounts(), b.eventCounts());
        assertEquals(a.stacks().size(), b.stacks().size());
    }

    /**
     * A pprof file in two gzip members (as {@code cat a.gz b.gz} makes; valid gzip) loads as the one-member file:
     * the trailer's length, which the loader reads as a hint, is then the second member's alone.
     */
    @Test
    void pprofInTwoGzipMembersLoadsWhole(@TempDir Path dir) throws Exception {
        Path one = Captures.file("pprof", "allocs-baseline.pb.gz");
        byte[] raw;
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(one))) {
            raw = in.readAllBytes();
        }
        Path two = dir.resolve("two-members.pb.gz");
        try (OutputStream out = Files.newOutputStream(two)) {
            for (int[] part : new int[][] {{0, raw.length - 100}, {raw.length - 100, raw.length}}) {
                java.io.ByteArrayOutputStream member = new java.io.ByteArrayOutputStream();
                try (GZIPOutputStream gz = new GZIPOutputStream(member)) {
                    gz.write(raw, part[0], part[1] - part[0]);
                }
                member.writeTo(out);
            }
        }
        assertEquals(100, ProfileLoader.gzipContentLength(two, Files.size(two)), "the last member's length");
        assertEquals(raw.length, ProfileLoader.gzipContentLength(one, Files.size(one)));
        Profile a = ProfileLoader.load(one, ProgressSink.NONE), b = ProfileLoader.load(two, ProgressSink.NONE);
        ProfileValidator.check(b);
        assertEquals(a.eventCounts(), b.eventCounts());
        assertEquals(a.stacks().size(), b.stacks().size());
        assertEquals(a.sampleTables().get(0).total(0), b.sampleTables().get(0).total(0));
    }

    /** A trailer claiming more than 64 times the file is not believed (it would be allocated before it is checked). */
    @Test
    void implausibleGzipLengthIsIgnored(@TempDir Path dir) throws Exception {
        byte[] gz = Files.readAllBytes(Captures.file("pprof", "cpu-baseline.pb.gz"));
        for (int i = 1; i <= 4; i++) gz[gz.length - i] = (byte) 0x7f; // ISIZE 2,139,062,143
        Path lying = dir.resolve("lying.pb.gz");
        Files.write(lying, gz);
        assertEquals(0, ProfileLoader.gzipContentLength(lying, gz.length));
        ProfileFormatException e = assertThrows(ProfileFormatException.class, () -> ProfileLoader.load(lying, ProgressSink.NONE));
        assertTrue(e.getMessage().contains("lying.pb.gz"), e.getMessage());
    }

    /** Cut every kind of capture at many points and flip bytes: a profile or a ProfileFormatException, nothing else. */
    @Test
    void truncationsAndBitFlipsNeverEscape(@TempDir Path dir) throws Exception {
        Random random = new Random(42);
        List<Path> sources = List.of(Captures.file("pprof", "cpu-baseline.pb.gz"), Captures.file("pprof", "cpu-baseline-uncompressed.pb"),
                Captures.file("pprof", "goroutine.debug2.txt"), Captures.file("pprof", "heap-baseline.debug1.txt"),
                Captures.file("jfr", "jdk17-diff-baseline.jfr"));
        int cases = 0;
        for (Path source : sources) {
            byte[] bytes = Files.readAllBytes(source);
            for (int i = 0; i < 12; i++) {
                byte[] damaged;
                if (i % 2 == 0) {
                    damaged = java.util.Arrays.copyOf(bytes, 1 + random.nextInt(bytes.length - 1));
                } else {
                    damaged = bytes.clone();
                    for (int k = 0; k < 8; k++) damaged[random.nextInt(damaged.length)] ^= (byte) (1 + random.nextInt(255));
                }
                Path file = dir.resolve("case" + cases++ + "-" + source.getFileName());
                Files.write(file, damaged);
                assertTimeoutPreemptively(BOUND, () -> {
                    try {
                        ProfileValidator.check(ProfileLoader.load(file, ProgressSink.NONE));
                    } catch (ProfileFormatException e) {
                        assertTrue(e.getMessage().startsWith(file.getFileName() + ": "), e.getMessage());
                    } catch (Exception e) {
                        fail(file.getFileName() + " escaped with " + e, e);
                    }
                });
            }
        }
    }

    @Test
    void missingFileAndFolder(@TempDir Path dir) {
        assertTrue(assertThrows(ProfileFormatException.class, () -> ProfileLoader.load(dir.resolve("nope.jfr"), ProgressSink.NONE))
                .reason().contains("does not exist"));
        assertTrue(assertThrows(ProfileFormatException.class, () -> ProfileLoader.load(dir, ProgressSink.NONE))
                .reason().contains("folder"));
    }
}
