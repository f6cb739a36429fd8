// SPDX-License-Identifier: Apache-2.0
package dev.kiln.export;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An output never names an input: by path, by another spelling, through a symbolic or a hard link. */
class AtomicFilesTest {
    @Test
    void theSameFileIsRecognisedUnderEveryName(@TempDir Path dir) throws IOException {
        Path in = Files.writeString(dir.resolve("a.pb.gz"), "capture");
        Files.createDirectories(dir.resolve("sub"));
        Path link = Files.createSymbolicLink(dir.resolve("link.pb.gz"), in);
        Path hard = Files.createLink(dir.resolve("hard.pb.gz"), in);
        for (Path same : List.of(in, dir.resolve("sub/../a.pb.gz"), link, hard)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AtomicFiles.refuseInputs(same, List.of(in)));
            assertTrue(e.getMessage().contains("never writes over its input"), e.getMessage());
        }
        AtomicFiles.refuseInputs(dir.resolve("other.pb.gz"), List.of(in)); // another file is fine
        assertFalse(AtomicFiles.sameFile(dir.resolve("missing.pb.gz"), in));
    }

    @Test
    void aDefaultNameThatIsAnInputGetsANumber(@TempDir Path dir) throws IOException {
        Path in = Files.writeString(dir.resolve("a.pb.gz"), "capture");
        Path in1 = Files.writeString(dir.resolve("a-1.pb.gz"), "another capture");
        assertEquals(dir.resolve("a-2.pb.gz"), AtomicFiles.avoidingInputs(in, List.of(in, in1)));
        assertEquals(dir.resolve("b.html"), AtomicFiles.avoidingInputs(dir.resolve("b.html"), List.of(in)));
        assertEquals("capture", Files.readString(in));
    }
}
