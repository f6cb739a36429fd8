// SPDX-License-Identifier: Apache-2.0
package dev.kiln.jfr;

import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.ProfileTooLargeException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Kiln's own JFR reader: reads the event types Kiln's views use straight from the file into the same
 * {@link Profile} that {@link JfrReader} builds through JMC (JfrStreamReaderTest compares them row by row), without
 * an object per event. The file is read chunk by chunk, a few chunks at a time, never written or mapped; each chunk's
 * metadata gives the field layout of every type, its constant pools are indexed as key → offset and decoded only
 * when an event refers to an entry, and events of other types are counted and skipped by their size. Worker threads
 * decode whole chunks into columns of their own; the loading thread only adds each chunk's distinct threads, classes
 * and stacks to the profile and copies the columns in, in file order. A chunk that
 * cannot be read is skipped and the profile flagged incomplete, as the JMC path does; an event whose fields run past
 * its declared size is skipped and counted in a warning. A recording whose whole load would not fit in the heap is
 * refused before loading ({@link ProfileTooLargeException}).
 * <p>
 * The reader's parts, a file each: this class has the entry points, the heap estimate, and the worker threads that
 * read and decode chunks ahead of the loading thread. {@link ChunkScan} first walks the file's chunk headers. A chunk
 * is a {@link Chunk}, the per-chunk worker (its header and a walk over its events, their decoding, and adding them to
 * the model), made on three layers: {@link ChunkInput} (the bytes: integers, numbers, strings, stepping over values),
 * {@link ChunkPools} (the metadata and the constant pools) and {@link ChunkStacks} (the threads, classes, methods and
 * stacks the events refer to, and the stacks interned in the model). {@link EventPlan} says how each event type read
 * is decoded, {@link Numbering} numbers keys in order of first sight; {@link JfrMetadata} is a chunk's type system,
 * {@link SeenStacks} the stacks of the chunks before, and {@link JfrModel} what the two JFR readers build alike.
 */
public final class JfrStreamReader {
    /** Bytes the buffer of a chunk has after the chunk's own (whatever they hold), so that a variable-length integer can be read 8 bytes at a time. */
    static final int PADDING = 16;
    /** Reads 8 bytes of a byte array as a little-endian long: for {@link #hashOf}, and {@link ChunkInput}'s integers and ASCII tests. */
    static final java.lang.invoke.VarHandle LITTLE_ENDIAN_LONG =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private JfrStreamReader() { }

    public static Profile read(Path file, ProgressSink progress) throws ProfileFormatException, IOException {
        return read(file, progress, null);
    }

    /**
     * Like {@link #read(Path, ProgressSink)}, decoding only the given event types (plus the settings and JVM
     * information the profile's metadata comes from); every type is still counted. For a first flame graph that
     * needs the CPU samples alone. {@code null} reads every type.
     */
    public static Profile read(Path file, ProgressSink progress, Set<String> only) throws ProfileFormatException, IOException {
        return read(file, progress, only, new SeenStacks());
    }

    /** Like {@link #read(Path, ProgressSink, Set)}, with the cache of stacks to use (a test looks into it afterwards). */
    static Profile read(Path file, ProgressSink progress, Set<String> only, SeenStacks stacks) throws ProfileFormatException, IOException {
        String name = file.getFileName().toString();
        ChunkScan scan = ChunkScan.of(file, name);
        if (scan.major < 2) return JfrReader.read(file, progress); // JDK 9/10's format: JMC knows it
        JfrModel m = new JfrModel(name);
        if (scan.tailProblem != null) {
            m.b.incomplete(scan.tailProblem + "; read the " + scan.completeChunks + " complete chunk(s) before it ("
                    + scan.completeBytes + " of " + scan.fileSize + " bytes)");
        }
        long needed = heapNeeded(scan.completeBytes, scan.largestChunk(), scan.chunks.size(), only != null);
        long available = availableHeap();
        if (needed > available) {
            System.gc(); // what is in use may be garbage; measure again before refusing
            available = availableHeap();
            if (needed > available) throw new ProfileTooLargeException(name, needed, available, null);
        }
        return read(file, name, scan, m, progress, only, stacks);
    }

    /**
     * The most recent part of a recording that fits in the heap: its last chunks, as many as a whole load of them can
     * take. The profile is flagged incomplete and says what it covers. Throws {@link ProfileTooLargeException} when
     * not even the last chunk fits.
     */
    public static Profile readLatest(Path file, ProgressSink progress) throws ProfileFormatException, IOException {
        String name = file.getFileName().toString();
        ChunkScan scan = ChunkScan.of(file, name);
        if (scan.major < 2) throw new ProfileFormatException(name, -1, "a JDK 9/10 recording is read whole or not at all");
        System.gc();
        long available = availableHeap();
        int n = scan.chunks.size(), first = n;
        long bytes = 0, largest = 0;
        while (first > 0) {
            long size = scan.chunks.get(first - 1)[1];
            if (heapNeeded(bytes + size, Math.max(largest, size), n - first + 1, false) > available) break;
            bytes += size;
            largest = Math.max(largest, size);
            first--;
        }
        if (first == n) {
            long last = scan.chunks.get(n - 1)[1];
            throw new ProfileTooLargeException(name, heapNeeded(last, last, 1, false), available, null);
        }
        if (first == 0) return read(file, progress, null);
        ChunkScan part = scan.tail(first);
        JfrModel m = new JfrModel(name);
        if (scan.tailProblem != null) m.b.incomplete(scan.tailProblem);
        m.b.incomplete(String.format(java.util.Locale.ROOT, "only the last %d of %d chunks were loaded (%.0f of %.0f s, to the end "
                        + "of the recording): the whole recording needs more memory than Kiln has (-Xmx)",
                n - first, n, (part.endEpochNanos - part.startEpochNanos) / 1e9, (scan.endEpochNanos - scan.startEpochNanos) / 1e9));
        return read(file, name, part, m, progress, null, new SeenStacks());
    }

    /**
     * Heap free for a load: the JVM's maximum (or {@code -Dkiln.memoryLimit=BYTES} when smaller, to leave room for
     * other captures) less what is in use.
     */
    static long availableHeap() {
        Runtime rt = Runtime.getRuntime();
        long max = Math.min(rt.maxMemory(), Long.getLong("kiln.memoryLimit", Long.MAX_VALUE));
        return max - (rt.totalMemory() - rt.freeMemory());
    }

    /**
     * Heap a load needs: the whole model is measured at 1.4 times the file retained and up to 3 times at its peak
     * (the event sort); chunks in flight add theirs, about three times their size once decoded into columns
     * (measured on 92 and 203 MB recordings: the largest heap after a collection was within the estimate). The event
     * store ({@link StoreDecoder}: every event of every type) adds about the file's size to the model and twice a chunk's
     * in flight (jdk17-mixed.jfr, 1.5 MB, ran out of a 14 MB heap with the old factors of 3 and 3). Reading the CPU
     * samples alone keeps a small fraction.
     */
    static long heapNeeded(long fileBytes, long largestChunk, int chunks, boolean partial) {
        long inFlight = Math.min(chunks, LOOKAHEAD + 1);
        return (partial ? fileBytes / 8 : fileBytes * 4) + largestChunk * inFlight * (partial ? 1 : 5);
    }

    /** Reads the scanned chunks into {@code m}; running out of memory on the way becomes a {@link ProfileTooLargeException}. */
    private static Profile read(Path file, String name, ChunkScan scan, JfrModel m, ProgressSink progress, Set<String> only, SeenStacks stacks)
            throws ProfileFormatException, IOException {
        try {
            return readChunks(file, name, scan, m, progress, only, stacks);
        } catch (OutOfMemoryError e) {
            long max = Runtime.getRuntime().maxMemory();
            throw new ProfileTooLargeException(name, Math.max(heapNeeded(scan.completeBytes, scan.largestChunk(), scan.chunks.size(), only != null), max + 1), max, e);
        }
    }

    private static Profile readChunks(Path file, String name, ChunkScan scan, JfrModel m, ProgressSink progress, Set<String> only,
                                      SeenStacks seenStacks)
            throws ProfileFormatException, IOException {
        int n = scan.chunks.size();
        List<Integer> bad = new ArrayList<>();
        ProfileFormatException firstFailure = null;
        // Workers read, index and decode chunks a little ahead, at most LOOKAHEAD of them in memory; this thread adds
        // them to the builder in file order, which takes a fraction of the decoding. A worker per core, up to three
        // (-Dkiln.jfr.workers=N to measure others): on two cores, two workers load the 92 MB benchmark recording a
        // fifth faster than one with the JIT's C1 alone and as fast with C2 (docs/PERFORMANCE.md).
        int cores = Runtime.getRuntime().availableProcessors();
        // plain classes rather than lambdas here and below: each lambda's first use spins a class at run time, and
        // a load's fixed cost counts on small files and in the CLI
        ExecutorService workers = Executors.newFixedThreadPool(Integer.getInteger("kiln.jfr.workers", Math.max(1, Math.min(3, cores))),
                new java.util.concurrent.ThreadFactory() {
                    @Override
                    public Thread newThread(Runnable r) {
                        Thread t = new Thread(r, "kiln-jfr-chunk");
                        t.setDaemon(true);
                        return t;
                    }
                });
        // a decoded chunk's bytes are read into again: fresh arrays this size are costly to zero and map in
        java.util.Queue<byte[]> buffers = new java.util.concurrent.ConcurrentLinkedQueue<>();
        JfrMetadata.Seen seen = new JfrMetadata.Seen();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ArrayDeque<Future<Chunk>> ahead = new ArrayDeque<>();
            int next = 0;
            long done = 0;
            // The first chunk is read alone, unless -Dkiln.jfr.firstChunkAlone=false: meanwhile the JIT's C2 compiles
            // the decoder on the other core, and the next chunks start once it is decoded, before it is added. On two
            // cores that loads the 92 MB benchmark recording 6% faster; with C1 only, where compiling is cheap, it is
            // 7% slower, so kiln-cli (C1 only) turns it off (docs/PERFORMANCE.md).
            boolean firstAlone = !"false".equals(System.getProperty("kiln.jfr.firstChunkAlone"));
            for (int i = 0; i < n; i++) {
                while (next < n && ahead.size() < (i == 0 && firstAlone ? 1 : LOOKAHEAD)) {
                    ahead.add(start(workers, ch, m, name, scan, next++, progress, only, buffers, seen, seenStacks));
                }
                Chunk c;
                try {
                    c = await(ahead.poll(), name, progress);
                } catch (ProfileFormatException e) {
                    bad.add(i + 1);
                    if (firstFailure == null) firstFailure = e;
                    continue;
                }
                while (i == 0 && next < n && ahead.size() < LOOKAHEAD - 1) {
                    ahead.add(start(workers, ch, m, name, scan, next++, progress, only, buffers, seen, seenStacks));
                }
                for (Map.Entry<String, Long> count : c.counts.entrySet()) m.b.count(count.getKey(), count.getValue());
                if (c.asyncProfiler) m.asyncProfiler = true;
                done += scan.chunks.get(i)[1];
                c.apply(scan.completeBytes / (double) done);
                progress.progress(done, scan.completeBytes, "reading chunk " + (i + 1) + " of " + n);
            }
        } finally {
            workers.shutdownNow();
        }
        if (bad.size() == n) throw firstFailure;
        if (!bad.isEmpty()) {
            m.b.incomplete("chunk(s) " + bad + " of " + n + " are damaged and were skipped (" + firstFailure.reason() + ")");
        }
        return m.build(scan.startEpochNanos, scan.endEpochNanos);
    }

    private static final int LOOKAHEAD = 3;

    /** Has a worker read, index and decode chunk {@code k}. */
    private static Future<Chunk> start(ExecutorService workers, FileChannel ch, JfrModel m, String name, ChunkScan scan, int k,
                                       ProgressSink progress, Set<String> only, java.util.Queue<byte[]> buffers, JfrMetadata.Seen seen,
                                       SeenStacks seenStacks) {
        int n = scan.chunks.size();
        return workers.submit(new java.util.concurrent.Callable<Chunk>() {
            @Override
            public Chunk call() throws IOException, ProfileFormatException {
                return prepare(ch, m, name, scan.chunks.get(k), k, n, progress, only, buffers, seen, seenStacks);
            }
        });
    }

    /**
     * Reads one chunk into memory and decodes it: metadata, event counts, constant-pool index, then the events read
     * and the entries they refer to. Of the load's shared state it touches only the metadata and stacks seen so far,
     * each behind its own lock. Null when cancelled.
     */
    private static Chunk prepare(FileChannel ch, JfrModel m, String name, long[] range, int index, int n, ProgressSink progress,
                                 Set<String> only, java.util.Queue<byte[]> buffers, JfrMetadata.Seen seen, SeenStacks seenStacks)
            throws IOException, ProfileFormatException {
        if (range[1] > Integer.MAX_VALUE - 16) {
            throw new ProfileFormatException(name, range[0], "chunk " + (index + 1) + " is " + range[1] + " bytes, more than Kiln reads in one piece");
        }
        int size = (int) range[1];
        byte[] data = buffers.poll();
        if (data == null || data.length < size + PADDING) data = new byte[size + PADDING];
        // in pieces of at most 1 MiB: the JDK stages each read in a direct buffer of the read's size
        ByteBuffer buf = ByteBuffer.wrap(data, 0, size);
        while (buf.position() < size) {
            if (progress.isCancelled()) return null;
            buf.limit(Math.min(size, buf.position() + (1 << 20)));
            if (ch.read(buf, range[0] + buf.position()) < 0) throw new ProfileFormatException(name, range[0], "the file ended while reading chunk " + (index + 1));
        }
        Chunk c = new Chunk(m, name, index, n, range[0], data, size, progress);
        c.seen = seen;
        c.seenStacks = seenStacks;
        c.scan(only);
        c.indexPools();
        if (!c.decodeEvents(only)) return null;
        c.release();
        buffers.add(data);
        return c;
    }

    /** The prepared chunk, waiting cancellably; a worker's failure comes back as the reader's own. */
    private static Chunk await(Future<Chunk> f, String name, ProgressSink progress) throws ProfileFormatException, IOException {
        while (true) {
            try {
                Chunk c = f.get(100, TimeUnit.MILLISECONDS);
                progress.checkCancelled();
                return c;
            } catch (TimeoutException e) {
                if (progress.isCancelled()) {
                    f.cancel(true);
                    throw new CancellationException("cancelled");
                }
            } catch (InterruptedException e) {
                f.cancel(true);
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted");
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof ProfileFormatException pfe) throw pfe;
                if (c instanceof IOException io) throw io;
                if (c instanceof OutOfMemoryError) {
                    throw new ProfileFormatException(name, -1, "the recording needs more memory than this JVM has (-Xmx)", c);
                }
                throw new ProfileFormatException(name, -1, "the recording is damaged: reading it failed with "
                        + c.getClass().getSimpleName() + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")"), c);
            }
        }
    }

    /** A hash of {@code data[from, to)}, read 8 bytes at a time: {@code data} must have 7 bytes after {@code to}, as a chunk's buffer has. */
    static long hashOf(byte[] data, int from, int to) {
        long h = to - from;
        int i = from;
        for (; i + 8 <= to; i += 8) h = (h ^ (long) LITTLE_ENDIAN_LONG.get(data, i)) * 0x9e3779b97f4a7c15L;
        if (i < to) h = (h ^ ((long) LITTLE_ENDIAN_LONG.get(data, i) & -1L >>> (64 - 8 * (to - i)))) * 0x9e3779b97f4a7c15L;
        return h ^ h >>> 31;
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }

    /**
     * A class name from the constant pool ("java/lang/String", "[B", "[Ljava/lang/Object;") in the form JMC and
     * Java source use ("java.lang.String", "byte[]", "java.lang.Object[]").
     */
    static String binaryName(String internal) {
        int dims = 0;
        while (dims < internal.length() && internal.charAt(dims) == '[') dims++;
        if (dims == 0) return internal.replace('/', '.');
        String element = internal.substring(dims);
        String base = switch (element) {
            case "Z" -> "boolean";
            case "B" -> "byte";
            case "C" -> "char";
            case "S" -> "short";
            case "I" -> "int";
            case "J" -> "long";
            case "F" -> "float";
            case "D" -> "double";
            case "V" -> "void";
            default -> element.startsWith("L") && element.endsWith(";")
                    ? element.substring(1, element.length() - 1).replace('/', '.') : element.replace('/', '.');
        };
        return base + "[]".repeat(dims);
    }
}
