// SPDX-License-Identifier: Apache-2.0
package dev.kiln.jfr;

import dev.kiln.job.ProgressSink;
import dev.kiln.jfr.JfrMetadata.Element;
import dev.kiln.jfr.JfrMetadata.Field;
import dev.kiln.jfr.JfrMetadata.Type;
import dev.kiln.model.EventKind;
import dev.kiln.model.FrameKind;
import dev.kiln.model.IntList;
import dev.kiln.model.LongIntMap;
import dev.kiln.model.LongList;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileBuilder.SampleTableBuilder;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.ProfileTooLargeException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 */
public final class JfrStreamReader {
    private static final int HEADER_SIZE = ChunkScan.HEADER_SIZE;
    private static final int MAX_NESTING = 16;
    /** 2200-01-01 in ns since 1970: a recording said to start later has a broken header. */
    private static final long LATEST_PLAUSIBLE = 7_258_118_400_000_000_000L;
    /** Ten years: a chunk said to last longer has a broken header. */
    private static final long LONGEST_PLAUSIBLE = 10L * 366 * 24 * 3600 * 1_000_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /**
     * Numbers keys 1, 2, … in order of first sight and keeps them in that order. Keys are looked up per event, so
     * the small non-negative ones JDK recordings use (threads, stacks and classes count up from 0) are found in an
     * array; others in a hash map.
     */
    static final class Numbering {
        private static final int DENSE_LIMIT = 1 << 18;
        final LongList keys = new LongList();
        private int[] dense = new int[256];
        private final LongIntMap sparse = new LongIntMap();

        /** The key's number, given on first sight; 0 for no key ({@code Long.MIN_VALUE}). */
        int of(long key) {
            if (key >= 0 && key < DENSE_LIMIT) {
                int k = (int) key;
                if (k >= dense.length) dense = java.util.Arrays.copyOf(dense, Math.max(k + 1, Math.min(DENSE_LIMIT, 2 * dense.length)));
                int n = dense[k];
                if (n == 0) {
                    keys.add(key);
                    n = dense[k] = keys.size();
                }
                return n;
            }
            // No key (an event without a stack, say) is answered here, not in ofLarge: the JIT profiles a method
            // once for all its callers, and ofLarge, inlined in the frame loop, was compiled as if every key were none
            // when these came first; the first method key then threw the frame loop's code away.
            if (key == Long.MIN_VALUE) return 0;
            return ofLarge(key);
        }

        /**
         * As {@link #of}, through the hash map only, for keys that are large as a rule: JDK method keys carry their
         * class's id in their high bits. Not through {@code of}: the JIT compiles {@code of} for the small keys it saw
         * first (events' threads and stacks), and the first large key would throw away the code it was inlined in.
         */
        int ofLarge(long key) {
            if (key == Long.MIN_VALUE) return 0;
            int n = sparse.get(key);
            if (n < 0) {
                keys.add(key);
                n = keys.size();
                sparse.put(key, n);
            }
            return n;
        }
    }

    /** Bytes the buffer of a chunk has after the chunk's own (whatever they hold), so that a variable-length integer can be read 8 bytes at a time. */
    static final int PADDING = 16;
    private static final java.lang.invoke.VarHandle LITTLE_ENDIAN_LONG =
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
     * (measured on 92 and 203 MB recordings: the largest heap after a collection was within the estimate). Reading the CPU samples alone keeps a small fraction.
     */
    static long heapNeeded(long fileBytes, long largestChunk, int chunks, boolean partial) {
        long inFlight = Math.min(chunks, LOOKAHEAD + 1);
        return (partial ? fileBytes / 8 : fileBytes * 3) + largestChunk * inFlight * (partial ? 1 : 3);
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
    /** How much more room than the first chunk's estimate the builder's columns get (see {@link Chunk#apply}). */
    private static final double FIRST_MARGIN = 1.15;

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

    /** Type ids below this are looked up in arrays; JFR numbers its types from a few hundred down. */
    private static final int IDS = 4096;

    /** Whether Kiln reads events of this type (given the caller's choice of types, null for all). */
    private static boolean reads(String type, Set<String> only) {
        boolean setting = type.equals("jdk.ActiveSetting") || type.equals("jdk.JVMInformation");
        if (only != null && !only.contains(type) && !setting) return false;
        return setting || EventKind.ofJfrType(type) != null || switch (type) {
            case "jdk.ExecutionSample", "jdk.NativeMethodSample", "jdk.CPUTimeSample", "jdk.ObjectAllocationSample",
                 "jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB" -> true;
            default -> false;
        };
    }

    /** What an event type is read into. */
    private enum Handler {
        SAMPLE(new int[] {S_THREAD, S_STACK}),
        ALLOCATION(new int[] {S_THREAD, S_STACK, S_CLASS}, S_VALUE),
        EVENT(new int[] {S_KIND, S_THREAD, S_STACK, S_CLASS, S_OTHER, S_DETAIL}, S_DURATION, S_ADDRESS, S_EXTRA, S_VALUE),
        JVM_INFO(new int[] {S_DETAIL}, S_VALUE, S_EXTRA),
        SETTING(new int[] {S_DETAIL, S_EXTRA}, S_VALUE);

        /**
         * The slots an event's row holds (see {@link Plan#columns}): numbers in the chunk and texts as ints, then
         * the start and these as longs.
         */
        final int[] intSlots, longSlots;

        Handler(int[] intSlots, int... longSlots) {
            this.intSlots = intSlots;
            this.longSlots = longSlots;
        }
    }

    // slots an event's fields are read into
    private static final int S_START = 0, S_DURATION = 1, S_THREAD = 2, S_STACK = 3, S_CLASS = 4, S_VALUE = 5,
            S_ADDRESS = 6, S_OTHER = 7, S_DETAIL = 8, S_EXTRA = 9, S_KIND = 10, SLOTS = 11;

    /** How one event type is decoded: the slot of each field (-1 to skip), up to the last field needed. */
    private static final class Plan {
        final Handler handler;
        final EventKind kind;
        final String typeName;
        final Field[] fields;
        final int[] slot;
        final int used;
        final Field[] fieldOfSlot = new Field[SLOTS];
        /** The slots holding a key to number as a thread (0), stack (1) or class (2), and which. */
        final int[] refSlots, refKinds;
        /** The slots holding a text, and the int column each goes in. */
        final int[] textSlots, textColumns;
        /** Per text slot whose field is a pool entry: key → the chunk's number for the text (see {@link Chunk#text}). Made here, not on first use: a null first met late in the decoding loop has the JIT compile the loop again. */
        final LongIntMap[] pooledTexts;
        /**
         * The decoded events of this type, a column per value: {@link Handler#intSlots}, then the start and
         * {@link Handler#longSlots}. Threads, stacks and classes are their number in the chunk + 1 (0: none); texts are
         * indexes into the chunk's texts (-1: none).
         */
        Columns columns;
        /** Whether the values need {@link Chunk#adjust}ing for the kind. */
        final boolean adjust;
        /** The event kind's ordinal, 0 for other handlers. */
        final int kindOrdinal;

        Plan(Handler handler, EventKind kind, Type type, Map<String, Integer> slots) {
            this.handler = handler;
            this.kind = kind;
            this.typeName = type.name;
            this.fields = type.fields.toArray(new Field[0]);
            this.slot = new int[fields.length];
            int last = -1;
            boolean sampled = type.fieldIndex("sampledThread") >= 0;
            for (int i = 0; i < fields.length; i++) {
                String f = fields[i].name;
                Integer s = switch (f) {
                    case "startTime" -> S_START;
                    case "duration" -> S_DURATION;
                    case "sampledThread" -> S_THREAD;
                    case "eventThread" -> sampled ? null : Integer.valueOf(S_THREAD);
                    case "stackTrace" -> S_STACK;
                    default -> slots.get(f);
                };
                slot[i] = s == null ? -1 : s;
                if (s != null) {
                    last = i;
                    fieldOfSlot[s] = fields[i];
                }
            }
            this.used = last + 1;
            List<int[]> refs = new ArrayList<>();
            if (handler == Handler.SAMPLE || handler == Handler.ALLOCATION || handler == Handler.EVENT) {
                refs.add(new int[] {S_THREAD, 0});
                refs.add(new int[] {S_STACK, 1});
            }
            if (handler == Handler.ALLOCATION || handler == Handler.EVENT) refs.add(new int[] {S_CLASS, 2});
            if (handler == Handler.EVENT) refs.add(new int[] {S_OTHER, 0});
            if (kind == EventKind.THREAD_START || kind == EventKind.THREAD_END) refs.add(new int[] {S_EXTRA, 0});
            refSlots = new int[refs.size()];
            refKinds = new int[refs.size()];
            for (int i = 0; i < refs.size(); i++) {
                refSlots[i] = refs.get(i)[0];
                refKinds[i] = refs.get(i)[1];
            }
            int[] texts = switch (handler) {
                case EVENT, JVM_INFO -> new int[] {S_DETAIL};
                case SETTING -> new int[] {S_DETAIL, S_EXTRA};
                default -> new int[0];
            };
            textSlots = texts;
            textColumns = new int[texts.length];
            pooledTexts = new LongIntMap[texts.length];
            for (int k = 0; k < texts.length; k++) {
                for (int j = 0; j < handler.intSlots.length; j++) if (handler.intSlots[j] == texts[k]) textColumns[k] = j;
                Field f = fieldOfSlot[texts[k]];
                if (f != null && f.constantPool) pooledTexts[k] = new LongIntMap();
            }
            kindOrdinal = kind == null ? 0 : kind.ordinal();
            adjust = kind == EventKind.SOCKET_READ || kind == EventKind.SOCKET_WRITE || kind == EventKind.GC_PAUSE || kind == EventKind.CPU_LOAD;
        }

        static final int OP_SKIP = 0, OP_SKIP_VAR = 1, OP_SKIP_BYTE = 2, OP_VAR = 3, OP_NUMBER = 4, OP_STRING = 5;
        /** What to do with each field up to {@link #used}, for the chunk's integer encoding. */
        int[] ops;

        void compile(boolean compressed) {
            ops = new int[used];
            for (int i = 0; i < used; i++) {
                Field f = fields[i];
                int enc = f.type.encoding;
                boolean integer = enc == JfrMetadata.SHORT || enc == JfrMetadata.INT || enc == JfrMetadata.LONG || enc == JfrMetadata.CHAR;
                boolean varint = compressed && !f.array && (f.constantPool || integer);
                boolean oneByte = !f.array && !f.constantPool && (enc == JfrMetadata.BOOLEAN || enc == JfrMetadata.BYTE);
                if (slot[i] < 0 || f.array || (!f.constantPool && enc == JfrMetadata.STRUCT)) {
                    ops[i] = varint ? OP_SKIP_VAR : oneByte ? OP_SKIP_BYTE : OP_SKIP;
                } else if (!f.constantPool && enc == JfrMetadata.STRING) {
                    ops[i] = OP_STRING;
                } else if (varint && f.timespan == 0 && (f.constantPool || enc == JfrMetadata.LONG)) {
                    ops[i] = OP_VAR;
                } else {
                    ops[i] = OP_NUMBER;
                }
            }
        }
    }

    /** Decoded rows of a handler, int and long columns made as long as the scan's count of the events. */
    private static final class Columns {
        final int[][] ints;
        /** The start, then the handler's long slots. */
        final long[][] longs;
        int n;

        Columns(Handler h, long rows) {
            int length = (int) Math.min(rows, Integer.MAX_VALUE - 16);
            ints = new int[h.intSlots.length][length];
            longs = new long[1 + h.longSlots.length][length];
        }
    }

    private static Plan plan(Type t) {
        String id = t.name;
        switch (id) {
            case "jdk.ExecutionSample", "jdk.NativeMethodSample", "jdk.CPUTimeSample" -> {
                return new Plan(Handler.SAMPLE, null, t, Map.of());
            }
            case "jdk.ObjectAllocationSample", "jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB" -> {
                String weight = switch (id) {
                    case "jdk.ObjectAllocationSample" -> "weight";
                    case "jdk.ObjectAllocationInNewTLAB" -> "tlabSize";
                    default -> "allocationSize";
                };
                return new Plan(Handler.ALLOCATION, null, t, Map.of("objectClass", S_CLASS, weight, S_VALUE));
            }
            case "jdk.JVMInformation" -> {
                return new Plan(Handler.JVM_INFO, null, t, Map.of("jvmVersion", S_DETAIL, "pid", S_VALUE, "jvmStartTime", S_EXTRA));
            }
            case "jdk.ActiveSetting" -> {
                return new Plan(Handler.SETTING, null, t, Map.of("id", S_VALUE, "name", S_DETAIL, "value", S_EXTRA));
            }
            default -> {
                EventKind kind = EventKind.ofJfrType(id);
                if (kind == null) return null;
                Map<String, Integer> slots = switch (kind) {
                    case MONITOR_ENTER -> Map.of("monitorClass", S_CLASS, "address", S_ADDRESS, "previousOwner", S_OTHER);
                    case MONITOR_WAIT -> Map.of("monitorClass", S_CLASS, "address", S_ADDRESS, "notifier", S_OTHER, "timedOut", S_VALUE);
                    case THREAD_PARK -> Map.of("parkedClass", S_CLASS, "address", S_ADDRESS, "timeout", S_VALUE);
                    case THREAD_SLEEP -> Map.of("time", S_VALUE);
                    case SOCKET_READ -> Map.of("host", S_DETAIL, "port", S_EXTRA, "bytesRead", S_VALUE);
                    case SOCKET_WRITE -> Map.of("host", S_DETAIL, "port", S_EXTRA, "bytesWritten", S_VALUE);
                    case FILE_READ -> Map.of("path", S_DETAIL, "bytesRead", S_VALUE);
                    case FILE_WRITE -> Map.of("path", S_DETAIL, "bytesWritten", S_VALUE);
                    case FILE_FORCE -> Map.of("path", S_DETAIL);
                    case THREAD_START -> Map.of("parentThread", S_OTHER, "thread", S_EXTRA);
                    case THREAD_END -> Map.of("thread", S_EXTRA);
                    case GC_PAUSE -> Map.of("name", S_DETAIL, "gcId", S_VALUE, "sumOfPauses", S_EXTRA);
                    case CPU_LOAD -> Map.of("machineTotal", S_VALUE, "jvmUser", S_ADDRESS, "jvmSystem", S_EXTRA);
                };
                return new Plan(Handler.EVENT, kind, t, slots);
            }
        }
    }

    /** One chunk: its buffer, metadata, constant pools and the per-chunk caches of what was resolved. */
    static final class Chunk {
        final JfrModel m;
        final String file;
        final int index, chunkCount;
        final long fileOffset;
        /** The chunk's bytes, until its events are decoded, followed by at least {@link #PADDING} more; {@code size} is the chunk's own. */
        byte[] data;
        final int size;
        final ProgressSink progress;
        final Map<String, Long> counts = new LinkedHashMap<>();
        boolean compressed;
        long startNanos, startTicks, ticksPerSecond;
        double ticksPerNano;
        JfrMetadata meta;
        final List<Integer> checkpoints = new ArrayList<>();
        /** Where the events of the types Kiln reads start, in file order. */
        IntList events = new IntList(1024);
        /** Per pool type: key → offset of the entry. */
        final Map<Type, LongIntMap> pools = new java.util.IdentityHashMap<>();
        /** The stack-frame type's fields, and what each is: 1 method, 2 line, 3 bci, 4 frame type, 0 other. */
        Field[] frameFields = new Field[0];
        int[] frameRoles = new int[0];
        /** Whether each stack-frame field is a plain variable-length integer (a key, an int or a long): so JDK 11+ writes them all. */
        boolean[] frameVarints = new boolean[0];
        final long[] vals = new long[SLOTS];
        int pos;
        int damagedEvents, outsideChunk;
        /** The chunk's end, and the bounds (a second of slack either side) its events' times must keep to. */
        long chunkEnd, earliestEnd, latestStart;
        final List<String> headerWarnings = new ArrayList<>();
        boolean asyncProfiler;
        boolean stringsRead;
        /** The metadata of the load's chunks so far, shared: most chunks of a recording repeat it byte for byte. */
        JfrMetadata.Seen seen = new JfrMetadata.Seen();
        /** The stacks of the load's chunks so far, shared; null to decode every stack. */
        SeenStacks seenStacks;
        /** Which run of which JVM wrote the chunk, with the layout of its stacks (see {@link #jvmRun}); null when it does not say. */
        String run;
        /** Stack key → where its pool entry ends, when {@link #seenStacks} is used. */
        LongIntMap stackEnds = new LongIntMap();
        Type stringType, threadType, stackType, frameType, methodType, classType, symbolType, frameKindType;

        Chunk(JfrModel m, String file, int index, int chunkCount, long fileOffset, byte[] data, int size, ProgressSink progress) {
            this.m = m;
            this.file = file;
            this.index = index;
            this.chunkCount = chunkCount;
            this.fileOffset = fileOffset;
            this.data = data;
            this.size = size;
            this.progress = progress;
        }

        private ProfileFormatException damaged(String why) { return damaged(why, null); }

        private ProfileFormatException damaged(String why, Throwable cause) {
            return new ProfileFormatException(file, fileOffset + pos, (chunkCount > 1 ? "chunk " + (index + 1) + ": " : "") + why, cause);
        }

        /** Header, metadata and a walk over the event sizes: counts per type and where the checkpoints are. */
        void scan(Set<String> only) throws ProfileFormatException {
            try {
                long metadataOffset = be(8, 24);
                startNanos = be(8, 32);
                startTicks = be(8, 48);
                ticksPerSecond = be(8, 56);
                compressed = ((int) be(4, 64) & 1) != 0;
                if (ticksPerSecond <= 0) throw damaged("the chunk header declares " + ticksPerSecond + " ticks per second");
                ticksPerNano = ticksPerSecond / (double) NANOS_PER_SECOND;
                long duration = be(8, 40);
                chunkEnd = saturatedAdd(startNanos, Math.max(0, duration));
                earliestEnd = saturatedAdd(startNanos, -NANOS_PER_SECOND);
                latestStart = saturatedAdd(chunkEnd, NANOS_PER_SECOND);
                String where = chunkCount > 1 ? "chunk " + (index + 1) + "'s header" : "the chunk header";
                if (startNanos < 0 || startNanos > LATEST_PLAUSIBLE) {
                    headerWarnings.add(where + " says the recording started at " + startNanos + " ns since 1970, which is not a plausible "
                            + "date; times shown may be wrong");
                }
                if (duration < 0 || duration > LONGEST_PLAUSIBLE) {
                    headerWarnings.add(where + " declares a duration of " + duration + " ns, which is not plausible; times shown may be wrong");
                }
                if (metadataOffset < HEADER_SIZE || metadataOffset >= size) throw damaged("the chunk header points its metadata outside the chunk");
                pos = (int) metadataOffset;
                meta = readMetadata();
                for (Type t : meta.types.values()) if (t.name.startsWith("profiler.")) asyncProfiler = true;
                // counts by type id (JFR's ids are small; others go through a map) and where the wanted events are
                boolean[] wanted = new boolean[IDS];
                Set<Long> wantedFar = new java.util.HashSet<>();
                for (Type t : meta.types.values()) {
                    if (!reads(t.name, only)) continue;
                    if (t.id >= 0 && t.id < IDS) wanted[(int) t.id] = true;
                    else wantedFar.add(t.id);
                }
                long[] byId = new long[IDS];
                Map<Long, Long> far = new HashMap<>();
                walkEvents(wanted, wantedFar, byId, far);
                for (int id = 2; id < IDS; id++) if (byId[id] > 0) far.put((long) id, byId[id]);
                for (Map.Entry<Long, Long> tc : far.entrySet()) {
                    Type t = meta.types.get(tc.getKey());
                    if (t == null) throw damaged(tc.getValue() + " event(s) of type " + tc.getKey() + ", which the metadata does not declare");
                    Long had = counts.get(t.name);
                    counts.put(t.name, had == null ? tc.getValue() : had + tc.getValue());
                }
            } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                throw damaged("the recording is damaged: the chunk structure is broken (" + e.getMessage() + ")", e);
            }
        }

        /**
         * Steps from event to event by their sizes: counts them by type and notes where the wanted events and the
         * checkpoints start. A method of its own, so that the JIT compiles this loop alone, not the whole scan.
         */
        private void walkEvents(boolean[] wanted, Set<Long> wantedFar, long[] byId, Map<Long, Long> far) throws ProfileFormatException {
            pos = HEADER_SIZE;
            while (pos < size) {
                int start = pos;
                long length = varlong();
                long type = varlong();
                if (length <= 0 || length > size - start) throw damaged("an event declares an impossible size of " + length + " bytes");
                if (type >= 0 && type < IDS) {
                    byId[(int) type]++;
                    if (wanted[(int) type]) events.add(start);
                    else if (type == 1) checkpoints.add(start);
                } else {
                    Long had = far.get(type);
                    far.put(type, had == null ? 1L : had + 1);
                    if (wantedFar.contains(type)) events.add(start);
                }
                pos = start + (int) length;
            }
        }

        /** Lets go of what only decoding needs: the bytes, the pool index and the key caches. */
        void release() {
            data = null;
            stackEnds = null;
            pools.clear();
            skipPrograms.clear();
        }

        /** Indexes every constant-pool entry as key → offset. */
        void indexPools() throws ProfileFormatException {
            try {
                for (int at : checkpoints) readCheckpoint(at);
            } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                throw damaged("the recording is damaged: a constant pool is broken (" + e.getMessage() + ")", e);
            }
        }

        // ---- decoding (on a worker) ----
        // The events are decoded first, in a loop that does little else: each thread, stack and class an event refers
        // to is numbered on first sight and its key kept. Those entries are decoded afterwards, each once, and so are
        // the texts. Keeping the rare, branchy decoding out of the loop that runs per event keeps that loop small, for the
        // JIT and the cache. The rows end up in plain columns that the loading thread copies into the builder.

        /** The plans of the types read, in metadata order, which is the order their sample tables are made in. */
        final List<Plan> planList = new ArrayList<>();
        /** The distinct texts of the chunk's events (details, settings, the JVM version). */
        final List<String> texts = new ArrayList<>();
        /** The keys of the threads, stacks, classes and methods the events refer to, in order of first sight. */
        final Numbering threads = new Numbering(), stacks = new Numbering(), classes = new Numbering(), methods = new Numbering();
        final LongList threadKeys = threads.keys, stackKeys = stacks.keys, classKeys = classes.keys, methodKeys = methods.keys;
        /** Frame-type key → {@link FrameKind} ordinal. */
        final LongIntMap kinds = new LongIntMap();
        /**
         * The distinct texts the events refer to, numbered as first met: where an inline string's bytes start and
         * end, or the pool type and key of an entry (with -1 for where). The events' columns hold these numbers
         * until {@link #resolveTexts} decodes each text once and makes them indexes into {@link #texts}.
         */
        final IntList textFrom = new IntList(), textTo = new IntList();
        final List<Type> textPool = new ArrayList<>();
        final LongList textPoolKey = new LongList();
        /** An inline string's hash → the number of the first with it (pool entries: {@link Plan#pooledTexts}). */
        final LongIntMap inlineTexts = new LongIntMap();
        /** Where an inline string of each slot of the current event starts (-1 when none) and ends. */
        final int[] stringAt = new int[SLOTS], stringEnd = new int[SLOTS];

        // what the entries decode to, by number
        long[] threadJavaIds;
        String[] threadNames, classNameList, functionNames, functionContainers;
        /** Per stack: where it starts in {@link #stackData} (-1: not in the pool), which holds whether it is truncated, the frame count, then method number, line, bci, kind per frame. */
        int[] stackAt;
        /** Per stack: the model's stack when {@link #seenStacks} held it (it is not decoded then), else {@link SeenStacks#MISS}; and whether it is truncated. */
        int[] stackHit;
        boolean[] hitTruncated;
        /** The stacks decoded for want of a hit, for {@link #seenStacks}: their entries' bytes one after another, where each ends, their hashes and numbers. */
        byte[] missedBytes;
        int[] missedEnds, missedStacks;
        long[] missedHash;
        final IntList stackData = new IntList();
        final Map<Long, String> classNames = new HashMap<>(), symbols = new HashMap<>();
        int unknownMethod = -1, damagedEntries;

        /**
         * Decodes every event of a type Kiln reads into its plan's columns, then the entries they refer to (of the load's
         * shared state, only looking up {@link #seenStacks}); false when cancelled on the way.
         */
        boolean decodeEvents(Set<String> only) {
            Plan[] plans = new Plan[IDS];
            Map<Long, Plan> farPlans = new HashMap<>();
            long eventRows = 0;
            for (Type t : meta.types.values()) {
                if (!counts.containsKey(t.name) || !reads(t.name, only)) continue; // tables only for types with events
                Plan p = plan(t);
                if (p == null) continue;
                p.compile(compressed);
                planList.add(p);
                if (p.handler == Handler.EVENT) eventRows += counts.get(t.name);
                if (t.id >= 0 && t.id < IDS) plans[(int) t.id] = p;
                else farPlans.put(t.id, p);
            }
            // the events of every kind go into one set of columns, in file order
            Columns eventColumns = new Columns(Handler.EVENT, eventRows);
            for (Plan p : planList) {
                p.columns = p.handler == Handler.EVENT ? eventColumns : new Columns(p.handler, counts.get(p.typeName));
            }
            int[] at = events.toArray();
            events = null;
            java.util.Arrays.fill(stringAt, -1);
            if (!decodeAll(at, plans, farPlans)) return false;
            run = jvmRun();
            resolveThreads();
            resolveClasses();
            resolveStacks();
            resolveMethods();
            resolveTexts();
            finish(eventColumns);
            return true;
        }

        // ---- the decoded rows, ready for the loading thread ----

        /** A sample or allocation type's rows: threads, stacks and classes by number + 1 in the chunk. */
        static final class Rows {
            final Plan plan;
            final int n;
            final int[] thread, stack, clazz;
            final long[] time, value;

            Rows(Plan plan) {
                this.plan = plan;
                Columns c = plan.columns;
                n = c.n;
                thread = c.ints[0];
                stack = c.ints[1];
                clazz = plan.handler == Handler.ALLOCATION ? c.ints[2] : null;
                time = c.longs[0];
                value = plan.handler == Handler.ALLOCATION ? c.longs[1] : null;
            }
        }

        final List<Rows> sampleRows = new ArrayList<>();
        /** The events in file order, each column at least {@link #eventCount} long; threads, stacks, classes by number + 1, details by number (-1: none). */
        int eventCount;
        int[] evKind, evThread, evStack, evClass, evOther, evDetail;
        /** The events' rows in order of start (file order among equal starts); null when that is file order. */
        int[] evOrder;
        long[] evStart, evDuration, evAddress, evAmount;
        /** Each distinct event detail: a text, and for a socket the port that goes with its host. */
        final List<String> detailText = new ArrayList<>();
        final LongList detailPort = new LongList();
        final List<Boolean> detailSocket = new ArrayList<>();

        /** Turns the decoded columns into the arrays {@link #apply} adds: samples per type, events sorted by start. */
        private void finish(Columns events) {
            for (Plan p : planList) {
                if (p.handler == Handler.SAMPLE || p.handler == Handler.ALLOCATION) {
                    sampleRows.add(new Rows(p));
                    p.columns = null;
                }
            }
            // columns as in Handler.EVENT: start, kind, thread, duration, stack, class, address, other, detail, extra, amount
            int n = events.n;
            // The rows stay in file order here; the loading thread adds them to the builder in start order. Reordering
            // them here, then copying them, made 11 more arrays per chunk (about 100 MB in a 120 MB recording).
            evOrder = dev.kiln.model.ProfileBuilder.sortedOrder(java.util.Arrays.copyOf(events.longs[0], n));
            eventCount = n;
            evKind = events.ints[0];
            evThread = events.ints[1];
            evStack = events.ints[2];
            evClass = events.ints[3];
            evOther = events.ints[4];
            int[] text = events.ints[5];
            evStart = events.longs[0];
            evDuration = events.longs[1];
            evAddress = events.longs[2];
            long[] extra = events.longs[3];
            evAmount = events.longs[4];
            evDetail = details(n, text, extra);
            for (Plan p : planList) {
                if (p.kind == EventKind.THREAD_START || p.kind == EventKind.THREAD_END) {
                    startedThreads(n, extra);
                    break;
                }
            }
        }

        /**
         * Sets a thread start's or end's thread to the thread started or ended, when known. Not in {@link #details}:
         * a chunk's first thread start may come late, and C2, having compiled that loop without seeing one, would
         * compile it again.
         */
        private void startedThreads(int n, long[] extra) {
            int threadStart = EventKind.THREAD_START.ordinal(), threadEnd = EventKind.THREAD_END.ordinal();
            for (int i = 0; i < n; i++) {
                int kind = evKind[i];
                if (kind == threadStart || kind == threadEnd) {
                    int started = (int) extra[i];
                    if (started > 0 && threadJavaIds[started - 1] != Long.MIN_VALUE) evThread[i] = started;
                }
            }
        }

        /**
         * Each event's detail, numbered by its text (and port), -1 for none. A method of its own, so that the JIT
         * compiles this loop alone rather than all of {@link #finish}, which runs once per chunk.
         */
        private int[] details(int n, int[] text, long[] extra) {
            int socketRead = EventKind.SOCKET_READ.ordinal(), socketWrite = EventKind.SOCKET_WRITE.ordinal();
            LongIntMap details = new LongIntMap();
            int[] evDetail = new int[n];
            for (int i = 0; i < n; i++) {
                int kind = evKind[i];
                boolean socket = kind == socketRead || kind == socketWrite;
                int t = text[i];
                if (t < 0 && !socket) {
                    evDetail[i] = -1;
                    continue;
                }
                long key = socket ? (1L << 62) | ((long) (t + 1) << 32) | (extra[i] & 0xffffffffL) : t + 1;
                int d = details.get(key);
                if (d < 0) {
                    d = detailText.size();
                    details.put(key, d);
                    detailText.add(t < 0 ? null : texts.get(t));
                    detailPort.add(socket ? extra[i] : 0);
                    detailSocket.add(socket);
                }
                evDetail[i] = d;
            }
            return evDetail;
        }

        /**
         * The loop over the events, in a method of its own: the JIT compiles it (while it runs) without the setup
         * above, which runs once per chunk.
         */
        private boolean decodeAll(int[] at, Plan[] plans, Map<Long, Plan> farPlans) {
            for (int i = 0; i < at.length; i++) {
                int start = at[i];
                pos = start;
                int length = (int) varlong();
                long type = varlong();
                Plan p = type >= 0 && type < IDS ? plans[(int) type] : farPlans.get(type);
                try {
                    decode(p, start + length);
                } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                    damagedEvents++; // nothing of it was kept: values are added once all fields are read
                }
                if ((i & 0xfff) == 0xfff && progress.isCancelled()) return false;
            }
            return true;
        }

        private void decode(Plan p, int end) {
            long[] v = vals;
            v[S_START] = v[S_DURATION] = v[S_VALUE] = v[S_ADDRESS] = v[S_DETAIL] = 0;
            v[S_THREAD] = v[S_STACK] = v[S_CLASS] = v[S_OTHER] = v[S_EXTRA] = Long.MIN_VALUE;
            v[S_KIND] = p.kindOrdinal;
            if (stringsRead) {
                java.util.Arrays.fill(stringAt, -1);
                stringsRead = false;
            }
            readFields(p);
            if (pos > end) throw new IllegalArgumentException("fields run past the event");
            long start = epoch(v[S_START]);
            // An event is written into the chunk where it ends, so it may start before the chunk (a long wait) but
            // not end before it, nor start after it. Else the header's clock does not match the events' ticks.
            long finish = saturatedAdd(start, Math.max(0, v[S_DURATION]));
            if (finish < earliestEnd || start > latestStart) {
                outsideChunk++;
                start = start > chunkEnd ? chunkEnd : startNanos;
            }
            if (p.adjust) adjust(p);
            int[] refs = p.refSlots, refKinds = p.refKinds;
            for (int k = 0; k < refs.length; k++) v[refs[k]] = ref(refKinds[k], v[refs[k]]);
            Columns columns = p.columns;
            int row = columns.n;
            int[] texts = p.textSlots;
            for (int k = 0; k < texts.length; k++) v[texts[k]] = text(p, k);
            int[][] ints = columns.ints;
            int[] intSlots = p.handler.intSlots;
            for (int k = 0; k < intSlots.length; k++) ints[k][row] = (int) v[intSlots[k]];
            long[][] longs = columns.longs;
            longs[0][row] = start;
            int[] longSlots = p.handler.longSlots;
            for (int k = 0; k < longSlots.length; k++) longs[k + 1][row] = v[longSlots[k]];
            columns.n = row + 1;
        }

        /**
         * Reads an event's fields into {@link #vals} by its plan. A method of its own: its loop runs a few times per
         * event, and in one method with the rest of the decoding those iterations made the JIT compile the decoder
         * twice, once for the loop alone (OSR).
         */
        private void readFields(Plan p) {
            long[] v = vals;
            Field[] fields = p.fields;
            int[] ops = p.ops, slots = p.slot;
            for (int i = 0; i < ops.length; i++) {
                switch (ops[i]) {
                    case Plan.OP_SKIP_VAR -> skipVar();
                    case Plan.OP_SKIP_BYTE -> pos++;
                    case Plan.OP_VAR -> v[slots[i]] = varlong();
                    case Plan.OP_NUMBER -> v[slots[i]] = number(fields[i]);
                    case Plan.OP_STRING -> {
                        stringAt[slots[i]] = pos;
                        stringsRead = true;
                        skipString();
                        stringEnd[slots[i]] = pos;
                    }
                    default -> skip(fields[i], 0);
                }
            }
        }

        /** What an event of some kinds records differs from its fields: defaults, a duration, CPU load as permille. */
        private void adjust(Plan p) {
            long[] v = vals;
            switch (p.kind) {
                case SOCKET_READ, SOCKET_WRITE -> {
                    if (v[S_EXTRA] == Long.MIN_VALUE) v[S_EXTRA] = 0;
                }
                case GC_PAUSE -> {
                    if (p.fieldOfSlot[S_EXTRA] != null) v[S_DURATION] = v[S_EXTRA];
                }
                case CPU_LOAD -> {
                    long amount = permille(v[S_VALUE], p.fieldOfSlot[S_VALUE]);
                    v[S_ADDRESS] = permille(v[S_ADDRESS], p.fieldOfSlot[S_ADDRESS]) + permille(v[S_EXTRA], p.fieldOfSlot[S_EXTRA]);
                    v[S_VALUE] = amount;
                }
                default -> { }
            }
        }

        /** The number + 1 of the thread (0), stack (1) or class (2) with this key, numbering it on first sight; 0 for no key. */
        private int ref(int kind, long key) {
            return (kind == 0 ? threads : kind == 1 ? stacks : classes).of(key);
        }

        /** A float percentage (0..1) as permille, as the JMC path computes it; 0 when the field is missing. */
        private static long permille(long bits, Field f) {
            if (f == null) return 0;
            double d = Double.longBitsToDouble(bits);
            return Math.round(d * 1000);
        }

        /**
         * The number of the text in a slot (an inline string, or a constant-pool entry described as text), numbering
         * it on first sight; -1 when there is none. Inline strings are told apart by their bytes, not decoded here.
         */
        private long text(Plan p, int k) {
            int slot = p.textSlots[k];
            Field f = p.fieldOfSlot[slot];
            if (f == null) return -1;
            int at = stringAt[slot];
            if (at >= 0) {
                int end = stringEnd[slot];
                long h = hashOf(data, at, end);
                int first = inlineTexts.get(h);
                if (first >= 0 && java.util.Arrays.equals(data, textFrom.get(first), textTo.get(first), data, at, end)) return first;
                int id = newText(at, end, null, 0);
                if (first < 0) inlineTexts.put(h, id); // else another text of the same hash: not looked up by it
                return id;
            }
            LongIntMap ids = p.pooledTexts[k];
            if (ids == null) return -1; // neither an inline string nor a pool entry
            long key = vals[slot];
            int id = ids.get(key);
            if (id < 0) ids.put(key, id = newText(-1, -1, f.type, key));
            return id;
        }

        private int newText(int from, int to, Type pool, long key) {
            textFrom.add(from);
            textTo.add(to);
            textPool.add(pool);
            textPoolKey.add(key);
            return textPool.size() - 1;
        }

        // ---- the entries the events refer to, each decoded once ----

        private void resolveThreads() {
            int n = threadKeys.size();
            threadJavaIds = new long[n];
            threadNames = new String[n];
            for (int i = 0; i < n; i++) {
                threadJavaIds[i] = Long.MIN_VALUE;
                int at = offset(threadType, threadKeys.get(i));
                if (at < 0) continue;
                pos = at;
                String osName = null, javaName = null;
                long javaId = 0;
                try {
                    for (Field f : threadType.fields) {
                        switch (f.name) {
                            case "osName" -> osName = stringField(f);
                            case "javaName" -> javaName = stringField(f);
                            case "javaThreadId" -> javaId = number(f);
                            default -> skip(f, 0);
                        }
                    }
                } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                    damagedEntries++;
                    continue;
                }
                threadJavaIds[i] = javaId;
                threadNames[i] = javaName != null ? javaName : osName;
            }
        }

        private void resolveClasses() {
            int n = classKeys.size();
            classNameList = new String[n];
            for (int i = 0; i < n; i++) {
                try {
                    classNameList[i] = className(classKeys.get(i));
                } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                    damagedEntries++;
                }
            }
        }

        private void resolveStacks() {
            // Every frame type in the pool is looked up first. In the frame loop, a type's first sight would take a
            // branch the JIT had not seen taken, and that throws the compiled loop away, once per chunk.
            LongIntMap kindPool = frameKindType == null ? null : pools.get(frameKindType);
            if (kindPool != null) {
                for (long key : kindPool.keys()) {
                    try {
                        lookUpFrameKind(key);
                    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                        // a damaged entry: the frames that use it count it below
                    }
                }
            }
            int n = stackKeys.size();
            stackAt = new int[n];
            stackHit = new int[n];
            hitTruncated = new boolean[n];
            // A stack whose entry has the bytes of one an earlier chunk of the same JVM run added is that stack: its
            // frames are not decoded again. Those decoded keep their bytes for the loading thread to add once the
            // model has them. On the 120 MB benchmark recording chunks 2-10 find 10% (the second) to 85% (the last) of
            // their stacks, half of all, and a load takes 0.07 s less (docs/PERFORMANCE.md).
            boolean cached = seenStacks != null && run != null;
            int[] from = new int[n], to = new int[n];
            long[] hash = new long[n];
            if (cached) {
                for (int i = 0; i < n; i++) {
                    long key = stackKeys.get(i);
                    from[i] = offset(stackType, key);
                    if (from[i] < 0) continue;
                    to[i] = stackEnds.get(key);
                    if (to[i] < from[i]) from[i] = -1;
                    else hash[i] = hashOf(data, from[i], to[i]);
                }
                seenStacks.lookUp(run, data, from, to, hash, n, stackHit, hitTruncated);
            } else {
                java.util.Arrays.fill(stackHit, SeenStacks.MISS);
            }
            IntList missEnds = new IntList(), missed = new IntList();
            LongList missHash = new LongList();
            java.io.ByteArrayOutputStream missBytes = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < n; i++) {
                stackAt[i] = -1;
                if (stackHit[i] != SeenStacks.MISS) continue;
                int at = offset(stackType, stackKeys.get(i));
                if (at < 0) continue;
                pos = at;
                int mark = stackData.size();
                stackData.add(0);
                stackData.add(0);
                try {
                    for (Field f : stackType.fields) {
                        if (f.name.equals("truncated") && !f.array) stackData.set(mark, number(f) != 0 ? 1 : 0);
                        else if (f.name.equals("frames") && f.array && !f.constantPool && f.type == frameType) stackData.set(mark + 1, frames());
                        else skip(f, 0);
                    }
                } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                    stackData.truncate(mark);
                    damagedEntries++;
                    continue;
                }
                stackAt[i] = mark;
                if (cached) {
                    missBytes.write(data, from[i], to[i] - from[i]);
                    missEnds.add(missBytes.size());
                    missHash.add(hash[i]);
                    missed.add(i);
                }
            }
            missedBytes = missBytes.toByteArray();
            missedEnds = missEnds.toArray();
            missedHash = missHash.toArray();
            missedStacks = missed.toArray();
        }

        /**
         * Which run of which JVM wrote the chunk (the process id and start time its {@code jdk.JVMInformation} gives),
         * and how its stacks are written: what makes two chunks' stack entries of equal bytes the same stack. Null
         * when the chunk does not say, or says two things.
         */
        private String jvmRun() {
            String who = null;
            for (Plan p : planList) {
                if (p.handler != Handler.JVM_INFO || p.fieldOfSlot[S_VALUE] == null || p.fieldOfSlot[S_EXTRA] == null) continue;
                Columns c = p.columns;
                for (int i = 0; i < c.n; i++) {
                    String w = "pid " + c.longs[1][i] + " started " + c.longs[2][i];
                    if (who == null) who = w;
                    else if (!who.equals(w)) return null;
                }
            }
            if (who == null || stackType == null || frameType == null) return null;
            StringBuilder run = new StringBuilder(who).append(compressed ? ", compressed integers" : "");
            for (Type t : List.of(stackType, frameType)) {
                run.append(", ").append(t.name);
                for (Field f : t.fields) run.append(' ').append(f.name).append(':').append(f.type.name).append(f.constantPool ? "@pool" : "").append(f.array ? "[]" : "");
            }
            return run.toString();
        }

        /** Reads an array of inline stack frames onto {@link #stackData}, each method numbered; returns how many. */
        private int frames() {
            long count = varlong();
            if (count < 0 || count > size - pos) throw new IllegalArgumentException("a stack of " + count + " frames");
            int n = (int) count;
            Field[] fields = frameFields;
            int[] roles = frameRoles;
            boolean[] varints = frameVarints;
            IntList out = stackData;
            for (int i = 0; i < n; i++) {
                long method = Long.MIN_VALUE, kind = Long.MIN_VALUE;
                int line = 0, bci = -1;
                for (int j = 0; j < fields.length; j++) {
                    int role = roles[j];
                    long v;
                    if (varints[j]) {
                        v = varlong();
                    } else if (role != 0) {
                        v = number(fields[j]);
                    } else {
                        skip(fields[j], 0);
                        continue;
                    }
                    switch (role) {
                        case 1 -> method = v;
                        case 2 -> line = (int) v;
                        case 3 -> bci = (int) v;
                        case 4 -> kind = v;
                        default -> { }
                    }
                }
                out.add(methods.ofLarge(method) - 1);
                out.add(Math.max(line, 0));
                out.add(bci);
                out.add(frameKind(kind).ordinal());
            }
            return n;
        }

        /** Each method's class and name; a frame without a method refers to one named "<unknown>". */
        private void resolveMethods() {
            int n = methodKeys.size();
            functionNames = new String[n + 1];
            functionContainers = new String[n + 1];
            functionNames[n] = "<unknown>";
            functionContainers[n] = "";
            unknownMethod = n;
            for (int i = 0; i < n; i++) {
                int at = offset(methodType, methodKeys.get(i));
                String container = "", name = null;
                if (at >= 0) {
                    pos = at;
                    try {
                        long type = Long.MIN_VALUE, nameKey = Long.MIN_VALUE;
                        for (Field f : methodType.fields) {
                            if (f.array) skip(f, 0);
                            else if (f.name.equals("type")) type = number(f);
                            else if (f.name.equals("name")) nameKey = f.constantPool ? number(f) : Long.MIN_VALUE;
                            else skip(f, 0);
                        }
                        String c = className(type);
                        container = c == null ? "" : c;
                        name = symbol(nameKey);
                    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                        damagedEntries++;
                    }
                }
                functionContainers[i] = container;
                functionNames[i] = name == null ? "<unknown>" : name;
            }
        }

        /**
         * Decodes each text the events refer to, once; equal texts get one index in {@link #texts}, which the text
         * columns then hold instead of the texts' numbers (-1: none, or a text that could not be decoded).
         */
        private void resolveTexts() {
            int n = textPool.size();
            int[] index = new int[n];
            Map<String, Integer> seen = new HashMap<>();
            for (int id = 0; id < n; id++) {
                index[id] = -1;
                String s;
                try {
                    if (textPool.get(id) == null) {
                        pos = textFrom.get(id);
                        s = string();
                    } else {
                        s = poolText(textPool.get(id), textPoolKey.get(id), 0);
                    }
                } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                    damagedEntries++;
                    continue;
                }
                if (s == null) continue;
                Integer had = seen.get(s);
                if (had == null) {
                    had = texts.size();
                    texts.add(s);
                    seen.put(s, had);
                }
                index[id] = had;
            }
            java.util.Set<int[]> done = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (Plan p : planList) {
                for (int c : p.textColumns) {
                    int[] column = p.columns.ints[c];
                    if (done.add(column)) mapPresent(column, p.columns.n, index);
                }
            }
        }

        // ---- applying (on the loading thread): the chunk's tables and records into the shared builder ----

        /**
         * Adds the decoded chunk to the model: its threads, classes, functions and stacks, then its records.
         * {@code scale} is the file's size over the size read up to this chunk: the builder's tables are made room
         * for that many times the rows so far, so that they grow once or twice instead of step by step.
         */
        void apply(double scale) {
            int[] threadIndex = new int[threadNames.length + 1];
            threadIndex[0] = -1;
            for (int i = 0; i < threadNames.length; i++) {
                threadIndex[i + 1] = threadJavaIds[i] == Long.MIN_VALUE ? -1 : m.thread(threadJavaIds[i], threadNames[i]);
            }
            int[] classIndex = new int[classNameList.length + 1];
            classIndex[0] = -1;
            for (int i = 0; i < classNameList.length; i++) classIndex[i + 1] = classNameList[i] == null ? -1 : m.b.classIndex(classNameList[i]);
            int[] stackIndex = internStacks();
            int[] detailIndex = new int[detailText.size()];
            for (int i = 0; i < detailIndex.length; i++) {
                String d = detailText.get(i);
                detailIndex[i] = detailSocket.get(i) ? m.hostPort(d, detailPort.get(i)) : m.b.string(d);
            }
            // room for this chunk's rows and the estimated rest, made before the rows come in
            Map<SampleTableBuilder, Long> rows = new java.util.IdentityHashMap<>();
            for (Rows r : sampleRows) {
                SampleTableBuilder table = m.sampleTableFor(r.plan.typeName);
                Long had = rows.get(table);
                rows.put(table, had == null ? r.n : had + r.n);
            }
            // The first estimate gets 15% more than it says. Later ones, with more rows to go by, get none: when one
            // outgrows the room, every row so far is copied into columns half again as large. On the 120 MB benchmark
            // recording, a 5% margin made chunk 2's estimate, 3% above chunk 1's, do that: 127 MB more, 70 ms.
            for (Map.Entry<SampleTableBuilder, Long> e : rows.entrySet()) {
                SampleTableBuilder table = e.getKey();
                table.ensure((long) ((table.size() + e.getValue()) * scale * (table.size() == 0 ? FIRST_MARGIN : 1)));
            }
            long events = m.b.eventCount();
            if (eventCount > 0) m.b.ensureEvents((long) ((events + eventCount) * scale * (events == 0 ? FIRST_MARGIN : 1)));
            for (Rows r : sampleRows) {
                map(r.thread, r.n, threadIndex);
                map(r.stack, r.n, stackIndex);
                if (r.clazz != null) map(r.clazz, r.n, classIndex);
                m.sampleTableFor(r.plan.typeName).addAll(r.n, r.stack, r.thread, r.time, r.clazz, r.value);
            }
            progress.checkCancelled();
            int n = eventCount;
            map(evThread, n, threadIndex);
            map(evStack, n, stackIndex);
            map(evClass, n, classIndex);
            map(evOther, n, threadIndex);
            mapPresent(evDetail, n, detailIndex);
            m.b.addEvents(n, evOrder, evKind, evThread, evStart, evDuration, evStack, evClass, evAddress, evOther, evDetail, evAmount);
            for (Plan plan : planList) {
                if (plan.handler == Handler.JVM_INFO) {
                    int[] version = plan.columns.ints[0];
                    for (int i = 0; i < plan.columns.n; i++) m.jvmVersion(text(version[i]));
                } else if (plan.handler == Handler.SETTING) {
                    Columns c = plan.columns;
                    for (int i = 0; i < c.n; i++) {
                        Type target = meta.types.get(c.longs[1][i]);
                        m.setting(target == null ? null : target.name, text(c.ints[0][i]), text(c.ints[1][i]));
                    }
                }
            }
            for (String w : headerWarnings) m.b.warning(w);
            if (outsideChunk > 0) {
                m.b.warning(outsideChunk + " event(s)" + (chunkCount > 1 ? " of chunk " + (index + 1) : "") + " have times more than "
                        + "a second outside their chunk's time span (the chunk header's clock does not match their ticks); "
                        + "they are shown at the chunk's start or end");
            }
            if (damagedEvents > 0) {
                m.b.incomplete(damagedEvents + " event(s)" + (chunkCount > 1 ? " in chunk " + (index + 1) : "")
                        + " could not be decoded and were skipped");
            }
            if (damagedEntries > 0) {
                m.b.incomplete(damagedEntries + " constant-pool entr" + (damagedEntries == 1 ? "y" : "ies") + (chunkCount > 1 ? " in chunk " + (index + 1) : "")
                        + " could not be decoded; the events referring to them are shown without them");
            }
        }

        /** The chunk's stacks in the builder, by number + 1 (index 0: none). */
        private int[] internStacks() {
            int[] functionIndex = new int[functionNames.length];
            for (int i = 0; i < functionIndex.length; i++) {
                String container = functionContainers[i], name = functionNames[i];
                functionIndex[i] = m.b.function(container.isEmpty() ? name : container + "." + name, container, "");
            }
            int[] stackIndex = new int[stackAt.length + 1];
            stackIndex[0] = -1;
            int[] frames = new int[64];
            FrameKind[] frameKinds = FrameKind.values();
            for (int s = 0; s < stackAt.length; s++) {
                if (stackHit[s] != SeenStacks.MISS) {
                    stackIndex[s + 1] = stackHit[s];
                    if (hitTruncated[s]) m.truncatedStacks++;
                    continue;
                }
                int at = stackAt[s];
                if (at < 0) {
                    stackIndex[s + 1] = -1;
                    continue;
                }
                if (stackData.get(at) != 0) m.truncatedStacks++;
                int n = stackData.get(at + 1);
                if (frames.length < n) frames = new int[Math.max(n, frames.length * 2)];
                for (int i = 0, f = at + 2; i < n; i++, f += 4) {
                    int method = stackData.get(f);
                    frames[i] = m.b.frame(functionIndex[method < 0 ? unknownMethod : method], stackData.get(f + 1), stackData.get(f + 2),
                            frameKinds[stackData.get(f + 3)], 0);
                }
                stackIndex[s + 1] = m.b.stackOfLeafFirst(frames, n);
            }
            if (seenStacks != null && missedStacks.length > 0) {
                int k = missedStacks.length;
                int[] model = new int[k];
                boolean[] truncated = new boolean[k];
                for (int j = 0; j < k; j++) {
                    model[j] = stackIndex[missedStacks[j] + 1];
                    truncated[j] = stackData.get(stackAt[missedStacks[j]]) != 0;
                }
                seenStacks.add(run, missedBytes, missedEnds, missedHash, model, truncated, k);
            }
            return stackIndex;
        }

        /** Replaces each chunk number + 1 in {@code a[0, n)} by its index in the builder. */
        private static void map(int[] a, int n, int[] index) {
            for (int i = 0; i < n; i++) a[i] = index[a[i]];
        }

        /**
         * Replaces each number in {@code a[0, n)} by its index in the builder, leaving -1 (none) as it is. Not a loop
         * in {@link #apply}: the JIT would compile all of apply, which runs once per chunk, for it (on the stack).
         */
        private static void mapPresent(int[] a, int n, int[] index) {
            for (int i = 0; i < n; i++) if (a[i] >= 0) a[i] = index[a[i]];
        }

        private String text(long index) { return index < 0 ? null : texts.get((int) index); }

        // ---- time ----

        private long epoch(long ticks) {
            if (ticksPerSecond == NANOS_PER_SECOND) return startNanos + (ticks - startTicks);
            return startNanos + (long) ((ticks - startTicks) / ticksPerNano);
        }

        private long timespan(long value, long unit) {
            if (unit == JfrMetadata.TICKS) return ticksPerSecond == NANOS_PER_SECOND ? value : (long) (value / ticksPerNano);
            if (value == Long.MIN_VALUE || value == Long.MAX_VALUE) return value;
            return value * unit;
        }

        // ---- constant pool entries, each decoded once into the chunk's tables ----

        private int offset(Type type, long key) {
            if (type == null) return -1;
            LongIntMap pool = pools.get(type);
            return pool == null ? -1 : pool.get(key);
        }

        /** A class's name in Java's binary form ("java.lang.String", "byte[]"), or null when the key is unknown. */
        private String className(long key) {
            if (key == Long.MIN_VALUE) return null;
            if (classNames.containsKey(key)) return classNames.get(key);
            int at = offset(classType, key);
            String name = null;
            if (at >= 0) {
                int saved = pos;
                pos = at;
                long nameKey = Long.MIN_VALUE;
                for (Field f : classType.fields) {
                    if (!f.array && f.name.equals("name") && f.constantPool) nameKey = number(f);
                    else skip(f, 0);
                }
                pos = saved;
                String internal = symbol(nameKey);
                name = internal == null ? null : binaryName(internal);
            }
            classNames.put(key, name);
            return name;
        }

        private String symbol(long key) {
            if (key == Long.MIN_VALUE) return null;
            if (symbols.containsKey(key)) return symbols.get(key);
            String s = poolText(symbolType, key, 0);
            symbols.put(key, s);
            return s;
        }

        private FrameKind frameKind(long key) {
            if (key == Long.MIN_VALUE) return FrameKind.UNKNOWN;
            int cached = kinds.get(key);
            return cached != -1 ? FrameKind.of(cached) : lookUpFrameKind(key);
        }

        /** The frame type with this key, as {@link #frameKind}, looked up in the pool and kept. */
        private FrameKind lookUpFrameKind(long key) {
            String d = poolText(frameKindType, key, 0);
            FrameKind k = d == null ? FrameKind.UNKNOWN : switch (d) {
                case "Interpreted" -> FrameKind.INTERPRETED;
                case "JIT compiled" -> FrameKind.JIT;
                case "Inlined" -> FrameKind.INLINED;
                case "Native" -> FrameKind.NATIVE;
                case "Kernel" -> FrameKind.KERNEL;
                case "C++" -> FrameKind.CPP;
                default -> FrameKind.UNKNOWN;
            };
            kinds.put(key, k.ordinal());
            return k;
        }

        /**
         * A constant-pool entry as text: a string, or a type with one field (a symbol, a GC name) as that field's
         * text; null for anything else or a key that is not in the pool.
         */
        private String poolText(Type type, long key, int depth) {
            if (type != null && type.encoding == JfrMetadata.STRING) return pooledString(type, key);
            int at = offset(type, key);
            if (at < 0 || depth > MAX_NESTING) return null;
            int saved = pos;
            pos = at;
            try {
                if (type.fields.size() != 1) return null;
                Field f = type.fields.get(0);
                if (f.array) return null;
                if (f.constantPool) return poolText(f.type, number(f), depth + 1);
                if (f.type.encoding == JfrMetadata.STRING) return string();
                return f.type.encoding == JfrMetadata.STRUCT ? null : String.valueOf(number(f));
            } finally {
                pos = saved;
            }
        }

        private String stringField(Field f) {
            if (f.array) { skip(f, 0); return null; }
            if (f.constantPool) return poolText(f.type, number(f), 0);
            if (f.type.encoding == JfrMetadata.STRING) return string();
            skip(f, 0);
            return null;
        }

        // ---- metadata and checkpoints ----

        private JfrMetadata readMetadata() {
            int start = pos;
            long length = varlong();
            if (length <= 0 || length > size - start) throw new IllegalArgumentException("the metadata event has an impossible size");
            int end = start + (int) length;
            if (varlong() != 0) throw new IllegalArgumentException("the metadata offset does not point at the metadata");
            varlong(); // start time
            varlong(); // duration
            varlong(); // metadata id
            int body = pos;
            JfrMetadata meta = seen.get(data, body, end);
            if (meta == null) {
                long count = varlong();
                if (count < 0 || count > end - pos) throw new IllegalArgumentException("the metadata declares " + count + " strings");
                String[] strings = new String[(int) count];
                for (int i = 0; i < strings.length; i++) strings[i] = string();
                Element root = element(strings, end, 0);
                if (pos != end) throw new IllegalArgumentException("the metadata event does not end where its size says");
                meta = JfrMetadata.of(root);
                seen.put(data, body, end, meta);
            }
            pos = end;
            for (Type t : meta.types.values()) {
                switch (t.name) {
                    case "java.lang.String" -> stringType = t;
                    case "java.lang.Thread" -> threadType = t;
                    case "jdk.types.StackTrace" -> stackType = t;
                    case "jdk.types.StackFrame" -> {
                        frameType = t;
                        frameFields = t.fields.toArray(new Field[0]);
                        frameRoles = new int[frameFields.length];
                        frameVarints = new boolean[frameFields.length];
                        for (int j = 0; j < frameFields.length; j++) {
                            Field f = frameFields[j];
                            int enc = f.type.encoding;
                            frameVarints[j] = compressed && !f.array && f.timespan == 0
                                    && (f.constantPool || enc == JfrMetadata.INT || enc == JfrMetadata.LONG);
                            frameRoles[j] = f.array ? 0 : switch (f.name) {
                                case "method" -> 1;
                                case "lineNumber" -> 2;
                                case "bytecodeIndex" -> 3;
                                case "type" -> 4;
                                default -> 0;
                            };
                        }
                    }
                    case "jdk.types.Method" -> methodType = t;
                    case "java.lang.Class" -> classType = t;
                    case "jdk.types.Symbol" -> symbolType = t;
                    case "jdk.types.FrameType" -> frameKindType = t;
                    default -> { }
                }
            }
            return meta;
        }

        private Element element(String[] strings, int end, int depth) {
            if (depth > 32) throw new IllegalArgumentException("the metadata nests too deep");
            String name = indexed(strings);
            long attributes = varlong();
            if (attributes < 0 || attributes > end - pos) throw new IllegalArgumentException("an element with " + attributes + " attributes");
            Map<String, String> attrs = new HashMap<>();
            for (long i = 0; i < attributes; i++) attrs.put(indexed(strings), indexed(strings));
            long children = varlong();
            if (children < 0 || children > end - pos) throw new IllegalArgumentException("an element with " + children + " children");
            List<Element> list = new ArrayList<>((int) children);
            for (long i = 0; i < children; i++) list.add(element(strings, end, depth + 1));
            return new Element(name, attrs, list);
        }

        private String indexed(String[] strings) {
            long i = varlong();
            if (i < 0 || i >= strings.length) throw new IllegalArgumentException("a metadata string index out of range");
            return strings[(int) i];
        }

        private void readCheckpoint(int at) {
            pos = at;
            long size = varlong();
            int end = at + (int) size;
            varlong(); // type 1
            varlong(); // start
            varlong(); // duration
            varlong(); // delta to the previous checkpoint
            pos++;     // flush flag / type mask
            long poolCount = varlong();
            if (poolCount < 0 || poolCount > end - pos) throw new IllegalArgumentException("a checkpoint with " + poolCount + " pools");
            for (long p = 0; p < poolCount; p++) {
                long typeId = varlong();
                Type t = meta.types.get(typeId);
                if (t == null) throw new IllegalArgumentException("a constant pool of undeclared type " + typeId);
                long count = varlong();
                if (count < 0 || count > end - pos) throw new IllegalArgumentException("a pool of " + count + " entries");
                LongIntMap pool = pools.get(t);
                if (pool == null) pools.put(t, pool = new LongIntMap((int) Math.min(count * 2, 1 << 20)));
                if (count == 0) continue;
                int[] program = skipProgram(t);
                LongIntMap ends = t == stackType && seenStacks != null ? stackEnds : null;
                for (long e = 0; e < count; e++) {
                    long key = varlong();
                    pool.put(key, pos);
                    run(program, 0, program.length);
                    if (ends != null) ends.put(key, pos);
                }
            }
            if (pos != end) throw new IllegalArgumentException("a checkpoint does not end where its size says");
        }

        // ---- stepping over pool entries ----

        // A skip program is a type's fields flattened into steps; an array step is followed by the length of the
        // element's steps, then those steps. One small loop runs them (the JIT compiles it quickly, where a walk
        // through the metadata recursed through three methods).
        private static final int K_VAR = 0, K_BYTE = 1, K_2 = 2, K_4 = 3, K_8 = 4, K_STRING = 5, K_ARRAY = 6;
        private final Map<Type, int[]> skipPrograms = new HashMap<>();

        private int[] skipProgram(Type t) {
            int[] p = skipPrograms.get(t);
            if (p == null) {
                IntList out = new IntList();
                compileValue(t, out, 0);
                p = out.toArray();
                skipPrograms.put(t, p);
            }
            return p;
        }

        private void compileField(Field f, IntList out, int depth) {
            if (!f.array) {
                compileOne(f, out, depth);
                return;
            }
            out.add(K_ARRAY);
            int at = out.size();
            out.add(0);
            compileOne(f, out, depth);
            out.set(at, out.size() - at - 1);
        }

        private void compileOne(Field f, IntList out, int depth) {
            if (f.constantPool) out.add(compressed ? K_VAR : K_8);
            else compileValue(f.type, out, depth);
        }

        private void compileValue(Type t, IntList out, int depth) {
            switch (t.encoding) {
                case JfrMetadata.BOOLEAN, JfrMetadata.BYTE -> out.add(K_BYTE);
                case JfrMetadata.FLOAT -> out.add(K_4);
                case JfrMetadata.DOUBLE -> out.add(K_8);
                case JfrMetadata.CHAR, JfrMetadata.SHORT -> out.add(compressed ? K_VAR : K_2);
                case JfrMetadata.INT -> out.add(compressed ? K_VAR : K_4);
                case JfrMetadata.LONG -> out.add(compressed ? K_VAR : K_8);
                case JfrMetadata.STRING -> out.add(K_STRING);
                default -> {
                    if (depth > MAX_NESTING) throw new IllegalArgumentException("type " + t.name + " nests too deep");
                    for (Field f : t.fields) compileField(f, out, depth + 1);
                }
            }
        }

        /** Steps over the values {@code program[from, to)} describes. */
        private void run(int[] program, int from, int to) {
            for (int i = from; i < to; i++) {
                switch (program[i]) {
                    case K_VAR -> skipVar();
                    case K_BYTE -> pos++;
                    case K_2 -> pos += 2;
                    case K_4 -> pos += 4;
                    case K_8 -> pos += 8;
                    case K_STRING -> skipString();
                    default -> {
                        int steps = program[++i];
                        long n = compressed ? varlong() : fixed(4);
                        if (n < 0 || n > size - pos) throw new IllegalArgumentException("an array of " + n + " elements");
                        if (steps > 0) for (long e = 0; e < n; e++) run(program, i + 1, i + 1 + steps);
                        i += steps;
                    }
                }
            }
            if (pos > size) throw new IndexOutOfBoundsException("a value runs past the chunk");
        }

        // ---- values ----

        /** An integer, constant-pool key, boolean or timespan (in ns) field; floats come back as double bits. */
        private long number(Field f) {
            if (f.constantPool) return compressed ? varlong() : fixed(8);
            int enc = f.type.encoding;
            long v;
            if (compressed && enc >= JfrMetadata.CHAR && enc <= JfrMetadata.LONG) {
                v = varlong();
                v = enc == JfrMetadata.CHAR ? (char) v : enc == JfrMetadata.SHORT ? (short) v : enc == JfrMetadata.INT ? (int) v : v;
            } else {
                v = plainNumber(f);
            }
            return f.timespan != 0 ? timespan(v, f.timespan) : v;
        }

        /** A number that is not a compressed integer: bytes, booleans, floats, doubles, integers of fixed size. */
        private long plainNumber(Field f) {
            return switch (f.type.encoding) {
                case JfrMetadata.BOOLEAN, JfrMetadata.BYTE -> data[pos++];
                case JfrMetadata.CHAR -> (char) fixed(2);
                case JfrMetadata.SHORT -> (short) fixed(2);
                case JfrMetadata.INT -> (int) fixed(4);
                case JfrMetadata.LONG -> fixed(8);
                case JfrMetadata.FLOAT -> Double.doubleToRawLongBits(Float.intBitsToFloat((int) fixed(4)));
                case JfrMetadata.DOUBLE -> fixed(8);
                default -> throw new IllegalArgumentException("field " + f.name + " is not a number");
            };
        }

        private long fixed(int bytes) {
            long v = switch (bytes) {
                case 2 -> (short) be(2, pos);
                case 4 -> (int) be(4, pos);
                default -> be(8, pos);
            };
            pos += bytes;
            return v;
        }

        /** A big-endian integer of {@code bytes} bytes at {@code at}. */
        private long be(int bytes, int at) {
            long v = 0;
            for (int i = 0; i < bytes; i++) v = v << 8 | (data[at + i] & 0xff);
            return v;
        }

        // JFR's variable-length integer: 7 bits per byte, low bits first, the high bit set on every byte but the last;
        // a ninth byte is taken whole. A one-byte number is read at once. A longer one is read as the next 8 bytes (the
        // padding after the chunk makes that safe) without a branch on its length: a branch the JIT saw go one way
        // only while it profiled (no number of 9 bytes yet, say) is compiled as a trap, and the first number that took
        // the other way made it compile the whole event decoder again. Both kinds of number come in every event, so
        // the one-byte test is seen both ways from the start. Measured: docs/PERFORMANCE.md.

        /** Steps over a variable-length integer. */
        void skipVar() {
            if (data[pos] >= 0) {
                pos++;
                return;
            }
            long stops = ~(long) LITTLE_ENDIAN_LONG.get(data, pos) & 0x8080808080808080L;
            pos += (Long.numberOfTrailingZeros(stops) >>> 3) + 1; // 64 trailing zeros when no byte of 8 ends it: 9 bytes
        }

        long varlong() {
            int p = pos;
            byte first = data[p];
            if (first >= 0) {
                pos = p + 1;
                return first;
            }
            long word = (long) LITTLE_ENDIAN_LONG.get(data, p);
            int last = Long.numberOfTrailingZeros(~word & 0x8080808080808080L); // the high bit of the last byte; 64 if past 8
            pos = p + (last >>> 3) + 1;
            long v = word & (-1L >>> (63 - Math.min(last, 63))) & 0x7f7f7f7f7f7f7f7fL;
            v = (v & 0x007f007f007f007fL) | (v & 0x7f007f007f007f00L) >>> 1; // 7-bit groups joined in pairs,
            v = (v & 0x00003fff00003fffL) | (v & 0x3fff00003fff0000L) >>> 2; // then fours,
            v = (v & 0x000000000fffffffL) | (v & 0x0fffffff00000000L) >>> 4; // then all eight: 56 bits
            return v | ((data[p + 8] & 0xffL) << 56 & -(long) (last >>> 6));
        }

        String string() {
            byte encoding = data[pos++];
            return switch (encoding) {
                case 0 -> null;
                case 1 -> "";
                case 2 -> pooledString(stringType, varlong());
                default -> inlineString(encoding);
            };
        }

        /**
         * The string pool's entry with this key; null when the pool has none. An entry is a string written out: one
         * that refers to the pool again is damaged. (Not read through {@link #string}: the two calling each other
         * made the JIT inline string into itself, one of the largest methods it compiled in a load.)
         */
        private String pooledString(Type type, long key) {
            int at = offset(type, key);
            if (at < 0) return null;
            int saved = pos;
            pos = at;
            try {
                byte encoding = data[pos++];
                return switch (encoding) {
                    case 0 -> null;
                    case 1 -> "";
                    case 2 -> throw new IllegalArgumentException("a string pool entry refers to the string pool");
                    default -> inlineString(encoding);
                };
            } finally {
                pos = saved;
            }
        }

        /** A string written out (encoding 3, 4 or 5), its encoding byte read. */
        private String inlineString(byte encoding) {
            switch (encoding) {
                case 3: case 5: {
                    int n = length();
                    String s = new String(data, pos, n, encoding == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
                    pos += n;
                    return s;
                }
                case 4: {
                    int n = length();
                    if (oneByteChars(n)) {
                        String s = new String(data, pos, n, StandardCharsets.ISO_8859_1);
                        pos += n;
                        return s;
                    }
                    char[] chars = new char[n];
                    for (int i = 0; i < n; i++) chars[i] = (char) varlong();
                    return new String(chars);
                }
                default: throw new IllegalArgumentException("unknown string encoding " + encoding);
            }
        }

        private int length() {
            long n = compressed ? varlong() : fixed(4);
            if (n < 0 || n > size - pos) throw new IllegalArgumentException("a string of " + n + " bytes");
            return (int) n;
        }

        private void skip(Field f, int depth) {
            if (f.array) {
                long n = compressed ? varlong() : fixed(4);
                if (n < 0 || n > size - pos) throw new IllegalArgumentException("an array of " + n + " elements");
                if (!f.constantPool && f.type.encoding == JfrMetadata.STRUCT && f.type.fields.isEmpty()) return;
                for (long i = 0; i < n; i++) skipOne(f, depth);
            } else {
                skipOne(f, depth);
            }
        }

        private void skipOne(Field f, int depth) {
            if (f.constantPool) {
                if (compressed) varlong(); else pos += 8;
            } else {
                skipValue(f.type, depth);
            }
        }

        private void skipValue(Type t, int depth) {
            switch (t.encoding) {
                case JfrMetadata.BOOLEAN, JfrMetadata.BYTE -> pos++;
                case JfrMetadata.FLOAT -> pos += 4;
                case JfrMetadata.DOUBLE -> pos += 8;
                case JfrMetadata.CHAR, JfrMetadata.SHORT -> { if (compressed) varlong(); else pos += 2; }
                case JfrMetadata.INT -> { if (compressed) varlong(); else pos += 4; }
                case JfrMetadata.LONG -> { if (compressed) varlong(); else pos += 8; }
                case JfrMetadata.STRING -> skipString();
                default -> {
                    if (depth > MAX_NESTING) throw new IllegalArgumentException("type " + t.name + " nests too deep");
                    for (Field f : t.fields) skip(f, depth + 1);
                }
            }
        }

        void skipString() {
            byte encoding = data[pos++];
            switch (encoding) {
                case 0, 1 -> { }
                case 2 -> varlong();
                case 3, 5 -> { int n = length(); pos += n; }
                case 4 -> {
                    int n = length();
                    if (oneByteChars(n)) pos += n;
                    else for (int i = 0; i < n; i++) skipVar();
                }
                default -> throw new IllegalArgumentException("unknown string encoding " + encoding);
            }
        }

        /**
         * Whether the next {@code n} bytes are all below 0x80, and so are {@code n} chars of one byte each. The JDK
         * writes the strings of Java-level events (file paths, socket hosts) as arrays of chars, each a
         * variable-length integer; most are ASCII, read here 8 bytes at a time instead of char by char.
         */
        private boolean oneByteChars(int n) {
            int p = pos, end = pos + n; // within the chunk: length() checked n
            long high = 0;
            for (; p + 8 <= end; p += 8) high |= (long) LITTLE_ENDIAN_LONG.get(data, p);
            for (; p < end; p++) high |= data[p];
            return (high & 0x8080808080808080L) == 0;
        }
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
