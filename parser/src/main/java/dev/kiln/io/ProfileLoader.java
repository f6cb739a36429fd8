// SPDX-License-Identifier: Apache-2.0
package dev.kiln.io;

import dev.kiln.formats.CollapsedReader;
import dev.kiln.formats.SpeedscopeReader;
import dev.kiln.gotrace.GoTraceReader;
import dev.kiln.jfr.JfrReader;
import dev.kiln.jfr.JfrStreamReader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.EventKind;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.pprof.GoTextReader;
import dev.kiln.pprof.GperftoolsCpuReader;
import dev.kiln.pprof.PprofReader;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Opens any capture Kiln reads, choosing the reader from the file's content (never its name): JFR
 * ({@code FLR\0}), pprof protobuf (gzipped or raw), Go text profiles, collapsed stacks and speedscope JSON (each
 * gzipped or plain). Every failure is a
 * {@link ProfileFormatException} naming the file; the file is only ever opened for reading.
 */
public final class ProfileLoader {
    private ProfileLoader() { }

    /** Kinds of content recognised by {@link #detect}. */
    public enum Detected { JFR, GZIP, GO_TRACE, GO_TEXT, PROTOBUF, GPERFTOOLS_CPU, COLLAPSED, SPEEDSCOPE, EMPTY, UNKNOWN }

    public static Profile load(Path file, ProgressSink progress) throws ProfileFormatException, IOException {
        return load(file, progress, null);
    }

    /**
     * Like {@link #load(Path, ProgressSink)}; from a JFR recording only the given event types are decoded (all are
     * still counted), e.g. {@code jdk.ExecutionSample} for a CPU flame graph. From a Go execution trace, when the set
     * names event kinds of traces ({@link EventKind#jfrType()} {@code go.sched} ...), only the named kinds' events go into
     * the event table (the others are counted, {@link Profile#notHeldEvents}; the other tables are whole); a set that
     * names no {@code go.} kind reads the trace whole. Other formats are
     * read whole.
     */
    public static Profile load(Path file, ProgressSink progress, Set<String> jfrEventTypes) throws ProfileFormatException, IOException {
        try {
            return loadAny(file, progress, jfrEventTypes);
        } catch (OutOfMemoryError e) {
            // whatever the reader built is unreachable now; the caller gets one message and a usable heap
            String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
            throw new ProfileFormatException(name, -1, "the capture needs more memory than this JVM has (-Xmx)", e);
        }
    }

    private static Profile loadAny(Path file, ProgressSink progress, Set<String> jfrEventTypes) throws ProfileFormatException, IOException {
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
                return readJfr(file, progress, jfrEventTypes);
            case GZIP:
                return loadGzip(file, name, progress, jfrEventTypes);
            case GO_TRACE:
                try (InputStream in = open(file, Long.MAX_VALUE, false, progress)) {
                    return GoTraceReader.read(in, name, Files.size(file), progress, goKinds(jfrEventTypes));
                }
            case GO_TEXT:
                try (InputStream in = open(file, Long.MAX_VALUE, false, progress)) {
                    return GoTextReader.read(in, name, progress);
                }
            case PROTOBUF:
                try (InputStream in = open(file, Long.MAX_VALUE, false, progress)) {
                    return PprofReader.read(in, name, progress, Files.size(file));
                }
            case GPERFTOOLS_CPU:
                try (InputStream in = open(file, gzipLimit(Files.size(file)), false, progress)) {
                    return GperftoolsCpuReader.read(in, name, progress);
                }
            case COLLAPSED:
                try (InputStream in = open(file, Long.MAX_VALUE, false, progress)) {
                    return CollapsedReader.read(in, name, progress);
                }
            case SPEEDSCOPE:
                try (InputStream in = open(file, Long.MAX_VALUE, false, progress)) {
                    return SpeedscopeReader.read(in, name, progress);
                }
            default:
                throw new ProfileFormatException(name, 0, "not a profile Kiln can read (expected a JFR recording, "
                        + "a Go execution trace, a pprof profile, a Go text profile, a gperftools CPU profile, collapsed stacks or speedscope JSON" + (looksLikeText(head, n) ? "; this is a text file)" : ")"));
        }
    }

    /** The event kinds that {@code eventTypes} names; null when it names no Go trace kind (read them all). */
    private static Set<EventKind> goKinds(Set<String> eventTypes) {
        if (eventTypes == null || eventTypes.stream().noneMatch(t -> t.startsWith("go."))) return null;
        Set<EventKind> kinds = java.util.EnumSet.noneOf(EventKind.class);
        for (String t : eventTypes) {
            EventKind k = EventKind.ofJfrType(t);
            if (k != null) kinds.add(k);
        }
        return kinds;
    }

    /**
     * For a JFR recording too large for the heap: its most recent chunks, as many as fit, flagged incomplete
     * ({@link JfrStreamReader#readLatest}). Any other file is loaded whole.
     */
    public static Profile loadLatest(Path file, ProgressSink progress) throws ProfileFormatException, IOException {
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (detect(head, n) != Detected.JFR) return load(file, progress);
        return JfrStreamReader.readLatest(file, progress); // its own OutOfMemoryError becomes ProfileTooLargeException
    }

    /**
     * A plain JFR file through Kiln's streaming reader, or through JMC's parser when the system property
     * {@code kiln.jfr.reader} is {@code jmc}. Both build the same profile (JfrStreamReaderTest).
     */
    public static Profile readJfr(Path file, ProgressSink progress, Set<String> only) throws ProfileFormatException, IOException {
        return "jmc".equals(System.getProperty("kiln.jfr.reader")) ? JfrReader.read(file, progress)
                : JfrStreamReader.read(file, progress, only);
    }

    /**
     * The length of a gzip file's content as its trailer says (ISIZE: the last member's length modulo 2^32, so a
     * hint to be checked, not a fact), or 0 when unknown or more than 64 times the file: a reader allocates it
     * before it knows whether it is right.
     */
    static long gzipContentLength(Path file, long compressedSize) {
        if (compressedSize < 18) return 0;
        try (java.nio.channels.SeekableByteChannel ch = Files.newByteChannel(file)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            ch.position(compressedSize - 4);
            while (b.hasRemaining() && ch.read(b) > 0) { }
            if (b.hasRemaining()) return 0;
            long isize = b.getInt(0) & 0xffffffffL;
            return isize <= Math.min(gzipLimit(compressedSize), compressedSize * 64) ? isize : 0;
        } catch (IOException e) {
            return 0; // only a hint: the read that follows reports a real problem
        }
    }

    /** Most bytes a gzipped profile may expand to: 100 times its size, at least 256 MiB, at most 4 GiB. */
    static long gzipLimit(long compressedSize) {
        return Math.min(4L << 30, Math.max(256L << 20, compressedSize * 100));
    }

    private static Profile loadGzip(Path file, String name, ProgressSink progress, Set<String> jfrEventTypes) throws ProfileFormatException, IOException {
        long size = Files.size(file);
        byte[] inner = new byte[512];
        int n;
        try (InputStream in = open(file, gzipLimit(size), true, progress)) {
            n = in.readNBytes(inner, 0, inner.length);
        } catch (EOFException | ZipException e) {
            throw gzipError(name, e);
        }
        try {
            switch (detect(inner, n)) {
                case EMPTY:
                    throw new ProfileFormatException(name, -1, "the gzip stream holds no data");
                case JFR:
                    return withJfrFile(file, progress, plain -> readJfr(plain, progress, jfrEventTypes));
                case GO_TRACE:
                    try (InputStream in = open(file, gzipLimit(size), true, progress)) {
                        return GoTraceReader.read(in, name, -1, progress, goKinds(jfrEventTypes));
                    }
                case GO_TEXT:
                    try (InputStream in = open(file, gzipLimit(size), true, progress)) {
                        return GoTextReader.read(in, name, progress);
                    }
                case PROTOBUF:
                    try (InputStream in = open(file, gzipLimit(size), true, progress)) {
                        return PprofReader.read(in, name, progress, gzipContentLength(file, size));
                    }
                case GPERFTOOLS_CPU:
                    try (InputStream in = open(file, gzipLimit(size), true, progress)) {
                        return GperftoolsCpuReader.read(in, name, progress);
                    }
                case COLLAPSED:
                    try (InputStream in = open(file, gzipLimit(size), true, progress)) {
                        return CollapsedReader.read(in, name, progress);
                    }
                case SPEEDSCOPE:
                    try (InputStream in = open(file, gzipLimit(size), true, progress)) {
                        return SpeedscopeReader.read(in, name, progress);
                    }
                default:
                    throw new ProfileFormatException(name, -1, "a gzip file, but what it holds is not a profile Kiln can read");
            }
        } catch (BoundedInputStream.TooLargeException e) {
            throw new ProfileFormatException(name, -1, e.getMessage(), e);
        } catch (EOFException | ZipException e) {
            throw gzipError(name, e);
        }
    }

    /** Work to do on a plain (not gzipped) JFR file. */
    @FunctionalInterface
    public interface JfrFileWork<T> {
        T apply(Path plainJfr) throws ProfileFormatException, IOException;
    }

    /**
     * Runs {@code work} on a JFR recording given plain or gzipped: JMC needs the recording itself, so a gzipped
     * one is unpacked (within the decompression limit) to a temporary file that is deleted afterwards.
     */
    public static <T> T withJfrFile(Path file, ProgressSink progress, JfrFileWork<T> work) throws ProfileFormatException, IOException {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 4);
        }
        Detected kind = detect(head, n);
        if (kind == Detected.JFR) return work.apply(file);
        if (kind == Detected.EMPTY) throw new ProfileFormatException(name, 0, "the file is empty");
        if (kind != Detected.GZIP) throw new ProfileFormatException(name, 0, "not a JFR recording");
        String base = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
        Path dir = Files.createTempDirectory("kiln-gunzip");
        Path tmp = dir.resolve(base.isEmpty() ? "recording.jfr" : base);
        try {
            try (InputStream in = open(file, gzipLimit(Files.size(file)), true, progress)) {
                byte[] inner = in.readNBytes(4);
                if (detect(inner, inner.length) != Detected.JFR) {
                    throw new ProfileFormatException(name, -1, "a gzip file, but what it holds is not a JFR recording");
                }
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    out.write(inner);
                    in.transferTo(out);
                }
            } catch (BoundedInputStream.TooLargeException e) {
                throw new ProfileFormatException(name, -1, e.getMessage(), e);
            } catch (EOFException | ZipException e) {
                throw gzipError(name, e);
            }
            try {
                return work.apply(tmp);
            } catch (ProfileFormatException e) { // name the file the user opened, not the temporary copy
                throw new ProfileFormatException(name, e.offset(), e.reason(), e);
            }
        } finally {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(dir);
        }
    }

    private static ProfileFormatException gzipError(String name, IOException e) {
        String why = e instanceof EOFException ? "the gzip stream is cut short (the file is incomplete)"
                : "the gzip stream is damaged (" + e.getMessage() + ")";
        return new ProfileFormatException(name, -1, why, e);
    }

    private static InputStream open(Path file, long limit, boolean gzip, ProgressSink progress) throws IOException {
        BoundedInputStream.CountingInputStream raw = new BoundedInputStream.CountingInputStream(
                new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
        return new BufferedInputStream(new BoundedInputStream(in, limit, progress, raw, Files.size(file)), 1 << 16);
    }

    private static boolean looksLikeText(byte[] head, int n) {
        for (int i = 0; i < n; i++) {
            int c = head[i] & 0xff;
            if (c < 0x09 || (c > 0x0d && c < 0x20 && c != 0x1b)) return false;
        }
        return n > 0;
    }

    /** What the first bytes of a file (or of a gzip stream's content) say it is. */
    public static Detected detect(byte[] head, int length) {
        if (length <= 0) return Detected.EMPTY;
        if (length >= 4 && head[0] == 'F' && head[1] == 'L' && head[2] == 'R' && head[3] == 0) return Detected.JFR;
        if (length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) return Detected.GZIP;
        if (GoTraceReader.looksLike(head, length)) return Detected.GO_TRACE;
        if (GoTextReader.looksLikeGoText(head, length)) return Detected.GO_TEXT;
        if (GperftoolsCpuReader.looksLike(head, length)) return Detected.GPERFTOOLS_CPU;
        if (SpeedscopeReader.looksLikeSpeedscope(head, length)) return Detected.SPEEDSCOPE;
        if (CollapsedReader.looksLikeCollapsed(head, length)) return Detected.COLLAPSED;
        if (isPprofFirstTag(head[0] & 0xff)) return Detected.PROTOBUF;
        return Detected.UNKNOWN;
    }

    /**
     * Whether a byte is the tag of a field of pprof's Profile message with its wire type: 1-6 and 11 are
     * length-delimited, 7-10, 12 and 14 varints, 13 either (packed or not).
     */
    private static boolean isPprofFirstTag(int tag) {
        int field = tag >>> 3, wire = tag & 7;
        if (tag > 0x7f || field < 1 || field > 14) return false;
        if (field <= 6 || field == 11) return wire == 2;
        if (field == 13) return wire == 0 || wire == 2;
        return wire == 0;
    }
}
