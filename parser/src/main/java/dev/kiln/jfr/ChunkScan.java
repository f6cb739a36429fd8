// SPDX-License-Identifier: Apache-2.0
package dev.kiln.jfr;

import dev.kiln.model.ProfileFormatException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Walks the chunk headers of a JFR file without parsing events: how many chunks are complete, where the
 * complete part ends, and the time span the headers declare. A JFR chunk keeps its metadata and constant
 * pools at its end, so a chunk cut short cannot be read at all, while the chunks before it can.
 */
final class ChunkScan {
    static final int HEADER_SIZE = 68;
    static final int MAGIC = 0x464c5200; // "FLR\0"

    int completeChunks;
    /** Start offset, size, start and end (epoch ns, from the header) of each complete chunk. */
    final java.util.List<long[]> chunks = new java.util.ArrayList<>();
    long completeBytes;
    long fileSize;
    int major, minor;
    long startEpochNanos = Long.MAX_VALUE, endEpochNanos = Long.MIN_VALUE;
    /** Why the file stops being readable after {@link #completeBytes}, or null when all of it is. */
    String tailProblem;

    long largestChunk() {
        long largest = 0;
        for (long[] c : chunks) largest = Math.max(largest, c[1]);
        return largest;
    }

    /** The same recording cut to its chunks from {@code first} on (complete chunks only, no tail problem). */
    ChunkScan tail(int first) {
        ChunkScan t = new ChunkScan();
        t.fileSize = fileSize;
        t.major = major;
        t.minor = minor;
        for (long[] c : chunks.subList(first, chunks.size())) {
            t.chunks.add(c);
            t.completeBytes += c[1];
            t.startEpochNanos = Math.min(t.startEpochNanos, c[2]);
            t.endEpochNanos = Math.max(t.endEpochNanos, c[3]);
        }
        t.completeChunks = t.chunks.size();
        return t;
    }

    static ChunkScan of(Path file, String name) throws IOException, ProfileFormatException {
        ChunkScan scan = new ChunkScan();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            scan.fileSize = ch.size();
            if (scan.fileSize == 0) throw new ProfileFormatException(name, -1, "the file is empty");
            ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
            long pos = 0;
            while (pos < scan.fileSize) {
                header.clear();
                int read = 0;
                while (header.hasRemaining()) {
                    int n = ch.read(header, pos + read);
                    if (n < 0) break;
                    read += n;
                }
                int chunkNo = scan.completeChunks + 1;
                if (read >= 4 && header.getInt(0) != MAGIC) {
                    if (pos == 0) throw new ProfileFormatException(name, 0, "not a JFR recording (the file does not start with FLR)");
                    scan.tailProblem = "unreadable data after chunk " + scan.completeChunks + " (no chunk header at byte " + pos + ")";
                    break;
                }
                if (read < HEADER_SIZE) {
                    if (pos == 0) {
                        throw new ProfileFormatException(name, pos, "the recording is cut short inside its first chunk header ("
                                + scan.fileSize + " bytes, a header needs " + HEADER_SIZE + ")");
                    }
                    scan.tailProblem = "the recording is cut short inside the header of chunk " + chunkNo;
                    break;
                }
                int major = Short.toUnsignedInt(header.getShort(4)), minor = Short.toUnsignedInt(header.getShort(6)); // unsigned, as written
                long size = header.getLong(8);
                if (major < 1 || major > 2) {
                    throw new ProfileFormatException(name, pos + 4, "unsupported JFR format version " + major + "." + minor);
                }
                if (pos == 0) { scan.major = major; scan.minor = minor; }
                if (size < HEADER_SIZE) {
                    String why = size == 0 ? "chunk " + chunkNo + " was never finished (its size is 0; the recording was still being written)"
                            : "chunk " + chunkNo + " declares an impossible size of " + size + " bytes";
                    if (pos == 0) throw new ProfileFormatException(name, pos + 8, why);
                    scan.tailProblem = why;
                    break;
                }
                if (size > scan.fileSize - pos) { // not pos + size: a size near 2^63 would overflow
                    String why = "the recording is cut short inside chunk " + chunkNo + " (it declares " + size
                            + " bytes, only " + (scan.fileSize - pos) + " are present)";
                    if (pos == 0) {
                        throw new ProfileFormatException(name, scan.fileSize, why
                                + "; a chunk's metadata is written at its end, so nothing in it can be read");
                    }
                    scan.tailProblem = why;
                    break;
                }
                long start = header.getLong(32), duration = header.getLong(40);
                scan.startEpochNanos = Math.min(scan.startEpochNanos, start);
                scan.endEpochNanos = Math.max(scan.endEpochNanos, JfrStreamReader.saturatedAdd(start, Math.max(0, duration)));
                scan.chunks.add(new long[] {pos, size, start, JfrStreamReader.saturatedAdd(start, Math.max(0, duration))});
                pos += size;
                scan.completeChunks++;
                scan.completeBytes = pos;
            }
        }
        return scan;
    }
}
