// SPDX-License-Identifier: Apache-2.0
package dev.kiln.io;

import dev.kiln.jfr.JfrReader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileFormatException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Opens any capture Kiln reads, choosing the reader from the file's content (never its name): JFR
 * ({@code FLR\0}), pprof protobuf (gzipped or raw) and Go text profiles (gzipped or plain). Every failure is a
 * {@link ProfileFormatException} naming the file; the file is only ever opened for reading.
 */
public final class ProfileLoader {
    private ProfileLoader() { }

    /** Kinds of content recognised by {@link #detect}. */
    public enum Detected { JFR, GZIP, GO_TEXT, PROTOBUF, EMPTY, UNKNOWN }

    public static Profile load(Path file, ProgressSink progress) throws ProfileFormatException, IOException {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        if (!Files.exists(file)) throw new ProfileFormatException(name, -1, "the file does not exist");
        if (Files.isDirectory(file)) throw new ProfileFormatException(name, -1, "this is a folder, not a profile");
        if (!Files.isReadable(file)) throw new ProfileFormatException(name, -1, "the file cannot be read (permissions)");
        byte[] head = new byte[512];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (NoSuchFileException e) {
            throw new ProfileFormatException(name, -1, "the file does not exist");
        }
        switch (detect(head, n)) {
            case EMPTY:
                throw new ProfileFormatException(name, 0, "the file is empty");
            case JFR:
                return JfrReader.read(file, progress);
            default:
                throw new ProfileFormatException(name, 0,
                        "not a profile Kiln can read (expected a JFR recording, a pprof profile or a Go text profile)");
        }
    }

    /** What the first bytes of a file say it is. */
    public static Detected detect(byte[] head, int length) {
        if (length <= 0) return Detected.EMPTY;
        if (length >= 4 && head[0] == 'F' && head[1] == 'L' && head[2] == 'R' && head[3] == 0) return Detected.JFR;
        if (length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) return Detected.GZIP;
        return Detected.UNKNOWN;
    }
}
