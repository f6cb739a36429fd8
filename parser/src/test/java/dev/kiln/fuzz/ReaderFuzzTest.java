// SPDX-License-Identifier: Apache-2.0
package dev.kiln.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.ProfileValidator;
import dev.kiln.gotrace.GoTraceReader;
import dev.kiln.pprof.GoTextReader;
import dev.kiln.pprof.PprofReader;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the readers with Jazzer. In a normal test run (regression mode) every input under
 * {@code src/test/resources/dev/kiln/fuzz/ReaderFuzzTestInputs/<method>/} is replayed: the corpus seeds and every
 * crash found so far. A reader may only answer with a valid profile or a {@link ProfileFormatException}; any
 * other exception, an invalid profile, a hang or an OutOfMemoryError is a finding.
 *
 * <p>Long runs, one method at a time (findings are written beside the seeds; keep them as regression inputs):
 * {@code JAZZER_FUZZ=1 mvn -B -pl parser test -Dtest=ReaderFuzzTest#pprof -Djazzer.max_duration=10m}
 */
class ReaderFuzzTest {
    @FuzzTest(maxDuration = "20s")
    void pprof(byte[] data) throws IOException {
        check(() -> PprofReader.read(new ByteArrayInputStream(data), "fuzz.pb", ProgressSink.NONE));
    }

    @FuzzTest(maxDuration = "20s")
    void goText(byte[] data) throws IOException {
        check(() -> GoTextReader.read(new ByteArrayInputStream(data), "fuzz.txt", ProgressSink.NONE));
    }

    @FuzzTest(maxDuration = "20s")
    void goTrace(byte[] data) throws IOException {
        check(() -> GoTraceReader.read(new ByteArrayInputStream(data), "fuzz.trace", data.length, ProgressSink.NONE));
    }

    /** Format detection, gzip handling and every reader behind it, JFR through Kiln's streaming reader included. */
    @FuzzTest(maxDuration = "20s")
    void anyFile(byte[] data) throws IOException {
        Path file = Files.createTempFile("kiln-fuzz", ".bin");
        try {
            Files.write(file, data);
            check(() -> ProfileLoader.load(file, ProgressSink.NONE));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private interface Read {
        Profile read() throws ProfileFormatException, IOException;
    }

    private static void check(Read read) throws IOException {
        try {
            ProfileValidator.check(read.read());
        } catch (ProfileFormatException expected) {
            if (expected.getMessage() == null || expected.getMessage().isBlank()) throw new AssertionError("an error without a message");
        }
    }
}
