// SPDX-License-Identifier: Apache-2.0
package dev.kiln.jfr;

import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.ProfileValidator;
import dev.kiln.testutil.Captures;
import dev.kiln.testutil.FactsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Damaged JFR files from {@code captures/bad} (see its EXPECTED.txt) and damage made here from real files. */
class JfrBadInputTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    private static ProfileFormatException failure(Path file) throws Exception {
        String before = sha256(file);
        ProfileFormatException e = assertTimeoutPreemptively(BOUND,
                () -> assertThrows(ProfileFormatException.class, () -> ProfileLoader.load(file, ProgressSink.NONE)));
        assertTrue(e.getMessage().startsWith(file.getFileName() + ": "), e.getMessage());
        assertEquals(before, sha256(file), "the input must never be written");
        return e;
    }

    private static Profile partial(Path file) throws Exception {
        Profile p = assertTimeoutPreemptively(BOUND, () -> ProfileLoader.load(file, ProgressSink.NONE));
        ProfileValidator.check(p);
        return p;
    }

    @Test
    void badMagicIsNotARecording() throws Exception {
        assertTrue(failure(Captures.file("bad", "bad-magic.jfr")).reason().contains("not a profile"));
    }

    @Test
    void emptyFile() throws Exception {
        assertTrue(failure(Captures.file("bad", "empty.jfr")).reason().contains("empty"));
    }

    @Test
    void truncatedInHeader() throws Exception {
        assertTrue(failure(Captures.file("bad", "truncated-in-header.jfr")).reason().contains("cut short inside its first chunk header"));
    }

    @Test
    void truncatedSingleChunkCannotBeRecovered() throws Exception {
        ProfileFormatException e = failure(Captures.file("bad", "truncated-mid-chunk.jfr"));
        assertTrue(e.reason().contains("cut short inside chunk 1"), e.getMessage());
        assertEquals(Files.size(Captures.file("bad", "truncated-mid-chunk.jfr")), e.offset());
    }

    @Test
    void corruptConstantPoolGivesAClearError() throws Exception {
        assertTrue(failure(Captures.file("bad", "corrupt-middle.jfr")).reason().contains("damaged"));
    }

    @Test
    void truncatedSecondChunkKeepsTheFirst() throws Exception {
        Profile p = partial(Captures.file("bad", "truncated-second-chunk.jfr"));
        assertTrue(p.isIncomplete());
        assertTrue(p.warnings().get(0).contains("chunk 2"), p.warnings().toString());
        long full = new FactsFile(Captures.file("jfr", "jdk17-multichunk.facts.txt")).section("event").rows().stream()
                .filter(r -> r.name().equals("jdk.ExecutionSample")).findFirst().orElseThrow().getLong("count");
        long ours = p.eventCounts().get("jdk.ExecutionSample");
        assertTrue(ours > 0 && ours < full, ours + " samples of " + full);
    }

    @Test
    void misnamedRecordingIsReadByContent() throws Exception {
        Profile p = partial(Captures.file("bad", "jfr-named-as.pb.gz"));
        FactsFile f = new FactsFile(Captures.file("jfr", "jdk17-diff-baseline.facts.txt"));
        for (FactsFile.Row r : f.section("event").rows()) {
            if (r.name().equals("jdk.ExecutionSample")) assertEquals(r.getLong("count"), p.eventCounts().get(r.name()));
        }
    }

    @Test
    void damagedMiddleChunkIsSkipped(@TempDir Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(Captures.file("jfr", "jdk17-multichunk.jfr"));
        // Find chunk 3 by walking the size fields of the chunk headers, and overwrite its middle.
        long pos = 0;
        for (int i = 0; i < 2; i++) pos += ByteBuffer.wrap(bytes, (int) pos + 8, 8).getLong();
        long size = ByteBuffer.wrap(bytes, (int) pos + 8, 8).getLong();
        Arrays.fill(bytes, (int) (pos + 68), (int) (pos + size), (byte) 0xff);
        Path damaged = dir.resolve("damaged-chunk3.jfr");
        Files.write(damaged, bytes);
        Profile p = partial(damaged);
        assertTrue(p.isIncomplete());
        assertTrue(p.warnings().stream().anyMatch(w -> w.contains("[3]")), p.warnings().toString());
        assertTrue(p.eventCounts().get("jdk.ExecutionSample") > 0);
    }

    @Test
    void aLaterChunkOfHugeSizeIsACutTailNotACrash(@TempDir Path dir) throws Exception {
        // chunk 2 declares 2^63 - 1 bytes: pos + size overflowed and the reader failed with "Negative position"
        byte[] bytes = Files.readAllBytes(Captures.file("jfr", "jdk17-multichunk.jfr"));
        long pos = ByteBuffer.wrap(bytes, 8, 8).getLong();
        ByteBuffer.wrap(bytes, (int) pos + 8, 8).putLong(Long.MAX_VALUE);
        Path damaged = dir.resolve("huge-chunk2.jfr");
        Files.write(damaged, bytes);
        Profile p = partial(damaged);
        assertTrue(p.isIncomplete());
        assertTrue(p.warnings().stream().anyMatch(w -> w.contains("chunk 2") && w.contains("cut short")), p.warnings().toString());
        assertTrue(p.eventCounts().get("jdk.ExecutionSample") > 0, "chunk 1 is kept");
    }

    @Test
    void aVersionFieldIsUnsigned(@TempDir Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(Captures.file("jfr", "jdk17-mixed.jfr"));
        ByteBuffer.wrap(bytes, 4, 4).putShort((short) 0xffff).putShort((short) 0xffff);
        Path damaged = dir.resolve("version-ffff.jfr");
        Files.write(damaged, bytes);
        assertTrue(failure(damaged).reason().contains("version 65535.65535"), failure(damaged).reason());
    }

    @Test
    void loadCanBeCancelled() {
        AtomicInteger calls = new AtomicInteger();
        ProgressSink cancelAfterAFewReads = new ProgressSink() {
            @Override
            public void progress(long done, long total, String what) { }

            @Override
            public boolean isCancelled() { return calls.incrementAndGet() > 3; }
        };
        assertTimeoutPreemptively(BOUND, () -> assertThrows(CancellationException.class,
                () -> ProfileLoader.load(Captures.file("jfr", "jdk25-mixed.jfr"), cancelAfterAFewReads)));
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
