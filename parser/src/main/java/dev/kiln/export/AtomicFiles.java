// SPDX-License-Identifier: Apache-2.0
package dev.kiln.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Writes a file all or nothing: the content goes to a temporary file in the target's folder, which is moved
 * over the target only once it is complete (atomically where the file system allows). If writing fails the
 * temporary file is deleted and the target, if it existed, is left untouched. Every export writer uses it.
 */
public final class AtomicFiles {
    /** Writes content to a stream; may throw. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() { }

    /** Whether two paths name the same file: by path, or through a link or another name (same inode) when both exist. */
    public static boolean sameFile(Path a, Path b) {
        Path x = a.toAbsolutePath().normalize(), y = b.toAbsolutePath().normalize();
        if (x.equals(y)) return true;
        try {
            return Files.exists(x) && Files.exists(y) && Files.isSameFile(x, y);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /**
     * Refuses an output that is one of the inputs: Kiln never writes over a file it reads.
     *
     * @throws IllegalArgumentException naming the file, when {@code target} is the same file as an input
     */
    public static void refuseInputs(Path target, List<Path> inputs) {
        for (Path in : inputs) {
            if (in != null && sameFile(target, in)) {
                throw new IllegalArgumentException(target + " is the capture being read (" + in + "); Kiln never writes"
                        + " over its input: name another output file");
            }
        }
    }

    /** {@code preferred}, or when it is one of the inputs the first of {@code NAME-1.EXT}, {@code NAME-2.EXT}, … that is none of them. */
    public static Path avoidingInputs(Path preferred, List<Path> inputs) {
        if (!isInput(preferred, inputs)) return preferred;
        String name = preferred.getFileName().toString();
        int dot = name.indexOf('.', 1);
        String base = dot < 0 ? name : name.substring(0, dot), ext = dot < 0 ? "" : name.substring(dot);
        for (int n = 1; ; n++) { // ends: there are finitely many inputs
            Path candidate = preferred.resolveSibling(base + "-" + n + ext);
            if (!isInput(candidate, inputs)) return candidate;
        }
    }

    private static boolean isInput(Path p, List<Path> inputs) {
        for (Path in : inputs) if (in != null && sameFile(p, in)) return true;
        return false;
    }

    /**
     * Writes {@code target} from {@code content}.
     *
     * @throws IOException when the folder cannot be written, the content fails or the move fails; the target is then unchanged
     */
    public static void write(Path target, Content content) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) throw new IOException("no such folder: " + dir);
        if (Files.isDirectory(abs)) throw new IOException(target + " is a folder");
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        boolean done = false;
        try {
            // A temporary file is private (rw-------); the result gets the target's permissions, or rw-r--r--.
            if (Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.setPosixFilePermissions(tmp, Files.exists(abs) ? Files.getPosixFilePermissions(abs)
                        : PosixFilePermissions.fromString("rw-r--r--"));
            }
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                content.writeTo(out);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) Files.deleteIfExists(tmp);
        }
    }
}
