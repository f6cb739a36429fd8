// SPDX-License-Identifier: Apache-2.0
package dev.kiln.gotrace;

import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.ProfileValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Old, cut, empty and damaged traces: one clear message, or every complete generation and a warning. */
class GoTraceBadInputTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static long transitions(Profile p) { return p.eventCounts().getOrDefault("StateTransition", 0L); }

    @Test
    void aGo119TraceNamesItsVersionAndWhatToDo() {
        ProfileFormatException e = assertThrows(ProfileFormatException.class,
                () -> ProfileLoader.load(GoTraceReaderTest.capture("go119-old-format.trace"), ProgressSink.NONE));
        assertTrue(e.getMessage().startsWith("go119-old-format.trace: a Go 1.19 execution trace"), e.getMessage());
        assertTrue(e.getMessage().contains("Go 1.22 or newer"), e.getMessage());
    }

    @Test
    void aTraceCutInsideALaterGenerationKeepsTheCompleteOnesAndSaysSo() throws Exception {
        byte[] whole = Files.readAllBytes(GoTraceReaderTest.capture("go122.trace"));
        Profile full = ProfileLoader.load(GoTraceReaderTest.capture("go122.trace"), ProgressSink.NONE);
        Profile cut = ProfileLoader.load(write("cut.trace", Arrays.copyOf(whole, whole.length * 3 / 4)), ProgressSink.NONE);
        ProfileValidator.check(cut);
        assertTrue(cut.isIncomplete());
        assertTrue(cut.warnings().get(0).startsWith("cut.trace: the trace is cut at byte"), cut.warnings().toString());
        assertTrue(cut.warnings().get(0).contains("complete generation"), cut.warnings().toString());
        assertTrue(transitions(cut) > 0 && transitions(cut) < transitions(full), transitions(cut) + " of " + transitions(full));
        assertFalse(full.isIncomplete());
    }

    @Test
    void aTraceCutInItsFirstGenerationIsAnErrorThatSaysSo() throws Exception {
        byte[] whole = Files.readAllBytes(GoTraceReaderTest.capture("go122.trace"));
        ProfileFormatException e = assertThrows(ProfileFormatException.class,
                () -> ProfileLoader.load(write("early.trace", Arrays.copyOf(whole, 2000)), ProgressSink.NONE));
        assertTrue(e.getMessage().contains("ends inside a batch of its first generation"), e.getMessage());
    }

    @Test
    void aHeaderAloneAndAnUnknownVersionGetMessages() throws Exception {
        byte[] header = "go 1.23 trace\0\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Profile empty = ProfileLoader.load(write("header.trace", header), ProgressSink.NONE);
        assertEquals(0, empty.events().size());
        ProfileFormatException e = assertThrows(ProfileFormatException.class, () -> ProfileLoader.load(
                write("future.trace", "go 1.99 trace\0\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)), ProgressSink.NONE));
        assertTrue(e.getMessage().contains("'go 1.99'"), e.getMessage());
    }

    @Test
    void aBatchLongerThanGoWritesAndGarbageAfterTheHeaderAreRefused() throws Exception {
        byte[] header = "go 1.23 trace\0\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] huge = Arrays.copyOf(header, header.length + 8);
        System.arraycopy(new byte[] {1, 1, 1, 1, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}, 0, huge, header.length, 8);
        ProfileFormatException e = assertThrows(ProfileFormatException.class, () -> ProfileLoader.load(write("huge.trace", huge), ProgressSink.NONE));
        assertTrue(e.getMessage().contains("the largest Go writes is 65536"), e.getMessage());
        byte[] junk = Arrays.copyOf(header, header.length + 3);
        junk[header.length] = 42;
        e = assertThrows(ProfileFormatException.class, () -> ProfileLoader.load(write("junk.trace", junk), ProgressSink.NONE));
        assertTrue(e.getMessage().contains("expected a batch, found byte 42"), e.getMessage());
    }

    @Test
    void everyOtherByteFlippedInOneBatchGivesAMessageOrAValidProfile() throws Exception {
        byte[] whole = Files.readAllBytes(GoTraceReaderTest.capture("go123.trace"));
        java.util.Random r = new java.util.Random(7);
        for (int round = 0; round < 200; round++) {
            byte[] b = whole.clone();
            for (int k = 0; k < 1 + r.nextInt(4); k++) b[16 + r.nextInt(b.length - 16)] ^= (byte) (1 << r.nextInt(8));
            try {
                ProfileValidator.check(GoTraceReader.read(new java.io.ByteArrayInputStream(b), "m.trace", b.length, ProgressSink.NONE));
            } catch (ProfileFormatException expected) {
                assertTrue(expected.getMessage().startsWith("m.trace: "), expected.getMessage());
            }
        }
    }
}
