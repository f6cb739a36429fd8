// SPDX-License-Identifier: Apache-2.0
package dev.kiln.jfr;

import dev.kiln.job.ProgressSink;
import dev.kiln.model.EventKind;
import dev.kiln.model.FrameKind;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileBuilder;
import dev.kiln.model.ProfileBuilder.SampleTableBuilder;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.SourceFormat;
import dev.kiln.model.ValueType;
import org.openjdk.jmc.common.IMCFrame;
import org.openjdk.jmc.common.IMCMethod;
import org.openjdk.jmc.common.IMCStackTrace;
import org.openjdk.jmc.common.IMCThread;
import org.openjdk.jmc.common.IMCType;
import org.openjdk.jmc.common.item.IAccessorKey;
import org.openjdk.jmc.common.item.IItem;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.item.IItemIterable;
import org.openjdk.jmc.common.item.IMemberAccessor;
import org.openjdk.jmc.common.item.IType;
import org.openjdk.jmc.common.unit.IQuantity;
import org.openjdk.jmc.common.unit.IScalarAffineTransform;
import org.openjdk.jmc.common.unit.IUnit;
import org.openjdk.jmc.common.util.LabeledIdentifier;
import org.openjdk.jmc.common.unit.UnitLookup;
import org.openjdk.jmc.flightrecorder.CouldNotLoadRecordingException;
import org.openjdk.jmc.flightrecorder.JfrAttributes;
import org.openjdk.jmc.flightrecorder.JfrLoaderToolkit;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads a JFR recording through JMC's parser into a {@link Profile}: execution, native, CPU-time and
 * allocation samples as sample tables; monitor, park, sleep, I/O, thread start/end, GC and CPU-load events as
 * the event table; every event type counted. JMC's item collection is dropped once the profile is built.
 * A recording cut short keeps its complete chunks and is flagged incomplete.
 */
public final class JfrReader {
    /** Value types of the JFR sample tables (defined with the model both readers build). */
    public static final ValueType CPU_SAMPLES = JfrModel.CPU_SAMPLES;
    public static final ValueType CPU_TIME_SAMPLES = JfrModel.CPU_TIME_SAMPLES;
    public static final ValueType NATIVE_SAMPLES = JfrModel.NATIVE_SAMPLES;
    public static final ValueType ALLOC_BYTES = JfrModel.ALLOC_BYTES;
    public static final ValueType TLAB_BYTES = JfrModel.TLAB_BYTES;

    /** Quietens JMC's logger before its parser is used. */
    private static void quietJmcLog() {
        JmcLog.LOG.setLevel(Level.SEVERE);
    }

    /** JMC's logger, held so that its level stays set; not set up when this class loads, as the streaming reader uses its constants. */
    private static final class JmcLog {
        // JMC logs harmless schema mismatches (e.g. JDK 21+'s thread field 'virtual') at WARNING/INFO.
        static final Logger LOG = Logger.getLogger("org.openjdk.jmc.flightrecorder");
    }

    private final JfrModel m;
    private final ProfileBuilder b;
    private final ProgressSink progress;
    private final Map<IMCStackTrace, Integer> stackCache = new IdentityHashMap<>();
    private final Map<IMCMethod, Integer> methodCache = new IdentityHashMap<>();
    private final Map<IMCThread, Integer> threadCache = new IdentityHashMap<>();
    private final Map<IMCType, Integer> typeCache = new IdentityHashMap<>();
    private int[] frameBuf = new int[256];
    private final Map<Object, IScalarAffineTransform> toNanos = new IdentityHashMap<>();

    private JfrReader(String name, ProgressSink progress) {
        this.m = new JfrModel(name);
        this.b = m.b;
        this.progress = progress;
    }

    public static Profile read(Path file, ProgressSink progress) throws ProfileFormatException, IOException {
        try {
            return readWhole(file, progress);
        } catch (OutOfMemoryError e) {
            // JMC's collection and the half-built model are unreachable by now: the heap is free again
            throw new ProfileFormatException(file.getFileName().toString(), -1, NEEDS_MEMORY, e);
        }
    }

    private static final String NEEDS_MEMORY = "the recording needs more memory than this JVM has (-Xmx)";

    private static Profile readWhole(Path file, ProgressSink progress) throws ProfileFormatException, IOException {
        String name = file.getFileName().toString();
        ChunkScan scan = ChunkScan.of(file, name);
        JfrReader r = new JfrReader(name, progress);
        if (scan.tailProblem != null) {
            r.b.incomplete(scan.tailProblem + "; read the " + scan.completeChunks + " complete chunk(s) before it ("
                    + scan.completeBytes + " of " + scan.fileSize + " bytes)");
        }
        IItemCollection items;
        try {
            items = load(file, name, List.of(new long[] {0, scan.completeBytes}), progress);
        } catch (ProfileFormatException whole) {
            if (scan.completeChunks < 2 || whole.getCause() instanceof OutOfMemoryError) throw whole;
            items = loadGoodChunks(file, name, scan, r.b, progress, whole);
        }
        r.walk(items);
        items = null; // let JMC's collection go before the tables are trimmed
        return r.m.build(scan.startEpochNanos, scan.endEpochNanos);
    }

    /**
     * JMC's item collection of a plain JFR file, for work that needs JMC itself (its rules): the complete chunks,
     * damaged chunks skipped, loaded cancellably.
     */
    public static IItemCollection loadItems(Path file, ProgressSink progress) throws ProfileFormatException, IOException {
        String name = file.getFileName().toString();
        ChunkScan scan = ChunkScan.of(file, name);
        try {
            return load(file, name, List.of(new long[] {0, scan.completeBytes}), progress);
        } catch (ProfileFormatException whole) {
            if (scan.completeChunks < 2 || whole.getCause() instanceof OutOfMemoryError) throw whole;
            return loadGoodChunks(file, name, scan, new ProfileBuilder(SourceFormat.JFR, name), progress, whole);
        }
    }

    /**
     * After JMC failed on the whole file: tries each chunk alone and loads the ones it can parse, flagging the
     * profile incomplete. Throws the original failure when no chunk is readable.
     */
    private static IItemCollection loadGoodChunks(Path file, String name, ChunkScan scan, ProfileBuilder b,
                                                  ProgressSink progress, ProfileFormatException whole)
            throws ProfileFormatException, IOException {
        List<long[]> good = new ArrayList<>();
        List<Integer> bad = new ArrayList<>();
        for (int i = 0; i < scan.chunks.size(); i++) {
            try {
                load(file, name, List.of(scan.chunks.get(i)), progress);
                good.add(scan.chunks.get(i));
            } catch (ProfileFormatException e) {
                bad.add(i + 1);
            }
        }
        if (good.isEmpty()) throw whole;
        b.incomplete("chunk(s) " + bad + " of " + scan.chunks.size() + " are damaged and were skipped ("
                + whole.reason() + ")");
        return load(file, name, good, progress);
    }

    /** Runs JMC's loader on the given byte ranges (offset, length) of the file, cancellably. */
    private static IItemCollection load(Path file, String name, List<long[]> ranges, ProgressSink progress)
            throws ProfileFormatException, IOException {
        quietJmcLog();
        ExecutorService exec = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, "kiln-jfr-load");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<IItemCollection> f = exec.submit(() -> {
                List<InputStream> parts = new ArrayList<>();
                for (long[] range : ranges) {
                    InputStream part = Files.newInputStream(file);
                    part.skipNBytes(range[0]);
                    parts.add(new ProgressInputStream(part, range[1], progress));
                }
                try (InputStream in = new SequenceInputStream(Collections.enumeration(parts))) {
                    return JfrLoaderToolkit.loadEvents(new BufferedInputStream(in, 1 << 16));
                } finally {
                    for (InputStream part : parts) part.close();
                }
            });
            long bytes = 0;
            for (long[] range : ranges) bytes += range[1];
            long deadline = System.nanoTime() + loadLimitNanos(bytes);
            while (true) {
                try {
                    return f.get(100, TimeUnit.MILLISECONDS);
                } catch (OutOfMemoryError e) {
                    // this waiting thread can be the one the heap runs out on, while JMC's worker fills it
                    f.cancel(true);
                    throw new ProfileFormatException(name, -1, NEEDS_MEMORY, e);
                } catch (TimeoutException e) {
                    if (progress.isCancelled()) {
                        f.cancel(true);
                        throw new CancellationException("cancelled");
                    }
                    if (System.nanoTime() > deadline) {
                        f.cancel(true);
                        throw new ProfileFormatException(name, -1, "JMC's parser did not finish within "
                                + loadLimitNanos(bytes) / 1_000_000_000 + " s (one of its worker threads may have died, e.g. "
                                + "of OutOfMemoryError); try a larger -Xmx");
                    }
                } catch (InterruptedException e) {
                    f.cancel(true);
                    Thread.currentThread().interrupt();
                    throw new CancellationException("interrupted");
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof CancellationException ce) throw ce;
                    if (c instanceof CouldNotLoadRecordingException) {
                        throw new ProfileFormatException(name, -1, "JMC could not read the recording: " + message(c), c);
                    }
                    if (c instanceof OutOfMemoryError) {
                        throw new ProfileFormatException(name, -1, NEEDS_MEMORY, c);
                    }
                    if (c instanceof IOException io) {
                        throw new ProfileFormatException(name, -1, "the recording is damaged: " + message(io), io);
                    }
                    throw new ProfileFormatException(name, -1, "the recording is damaged: JMC's parser failed with "
                            + c.getClass().getSimpleName() + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")"), c);
                }
            }
        } finally {
            exec.shutdownNow();
        }
    }

    /**
     * How long JMC may take before the load is declared hung: a JMC worker that dies (OutOfMemoryError) can leave
     * its loader waiting forever. Generous: 2 minutes plus 2 s per MB, far above the ~25 ms per MB measured.
     */
    static long loadLimitNanos(long bytes) {
        return TimeUnit.SECONDS.toNanos(120 + 2 * (bytes >> 20));
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    private void walk(IItemCollection items) {
        long total = 0, done = 0;
        Map<String, Long> perType = new java.util.HashMap<>();
        for (IItemIterable it : items) {
            total += it.getItemCount();
            perType.merge(it.getType().getIdentifier(), it.getItemCount(), Long::sum);
        }
        m.expect(perType);
        for (IItemIterable it : items) {
            IType<IItem> type = it.getType();
            String id = type.getIdentifier();
            long n = it.getItemCount();
            if (id.startsWith("profiler.")) m.asyncProfiler = true;
            if (n == 0) continue;
            b.count(id, n);
            progress.checkCancelled();
            readType(id, type, it);
            done += n;
            progress.progress(done, total, "reading " + id);
        }
    }

    private void readType(String id, IType<IItem> type, Iterable<IItem> items) {
        IMemberAccessor<IMCStackTrace, IItem> stackAcc = JfrAttributes.EVENT_STACKTRACE.getAccessor(type);
        IMemberAccessor<IMCThread, IItem> threadAcc = JfrAttributes.EVENT_THREAD.getAccessor(type);
        IMemberAccessor<IQuantity, IItem> startAcc = JfrAttributes.START_TIME.getAccessor(type);
        IMemberAccessor<IQuantity, IItem> durAcc = JfrAttributes.DURATION.getAccessor(type);
        switch (id) {
            case "jdk.ExecutionSample", "jdk.NativeMethodSample", "jdk.CPUTimeSample" -> {
                SampleTableBuilder t = m.sampleTableFor(id);
                int i = 0;
                for (IItem item : items) {
                    t.add(stack(stackAcc, item), thread(threadAcc, item), epoch(startAcc, item), -1, 1);
                    if ((++i & 0xfff) == 0) progress.checkCancelled();
                }
            }
            case "jdk.ObjectAllocationSample", "jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB" -> {
                SampleTableBuilder t = m.sampleTableFor(id);
                IMemberAccessor<Object, IItem> classAcc = field(type, "objectClass");
                IMemberAccessor<Object, IItem> weightAcc = field(type, switch (id) {
                    case "jdk.ObjectAllocationSample" -> "weight";
                    case "jdk.ObjectAllocationInNewTLAB" -> "tlabSize";
                    default -> "allocationSize";
                });
                int i = 0;
                for (IItem item : items) {
                    t.add(stack(stackAcc, item), thread(threadAcc, item), epoch(startAcc, item),
                            clazz(classAcc, item), number(weightAcc, item));
                    if ((++i & 0xfff) == 0) progress.checkCancelled();
                }
            }
            case "jdk.JVMInformation" -> {
                IMemberAccessor<Object, IItem> version = field(type, "jvmVersion");
                for (IItem item : items) {
                    Object v = version == null ? null : version.getMember(item);
                    if (v != null) m.jvmVersion(v.toString());
                }
            }
            case "jdk.ActiveSetting" -> {
                IMemberAccessor<Object, IItem> forAcc = field(type, "settingFor"), nameAcc = field(type, "name");
                IMemberAccessor<Object, IItem> valueAcc = field(type, "value");
                if (forAcc == null || nameAcc == null || valueAcc == null) return;
                for (IItem item : items) {
                    if (forAcc.getMember(item) instanceof LabeledIdentifier target) {
                        Object name = nameAcc.getMember(item), value = valueAcc.getMember(item);
                        m.setting(target.getInterfaceId(), name == null ? null : name.toString(), value == null ? null : value.toString());
                    }
                }
            }
            default -> {
                EventKind kind = EventKind.ofJfrType(id);
                if (kind != null) readEvents(kind, type, items, stackAcc, threadAcc, startAcc, durAcc);
            }
        }
    }

    private void readEvents(EventKind kind, IType<IItem> type, Iterable<IItem> items,
                            IMemberAccessor<IMCStackTrace, IItem> stackAcc, IMemberAccessor<IMCThread, IItem> threadAcc,
                            IMemberAccessor<IQuantity, IItem> startAcc, IMemberAccessor<IQuantity, IItem> durAcc) {
        IMemberAccessor<Object, IItem> classAcc = null, addressAcc = null, otherAcc = null, detailAcc = null;
        IMemberAccessor<Object, IItem> amountAcc = null, extraAcc = null;
        switch (kind) {
            case MONITOR_ENTER -> { classAcc = field(type, "monitorClass"); addressAcc = field(type, "address"); otherAcc = field(type, "previousOwner"); }
            case MONITOR_WAIT -> { classAcc = field(type, "monitorClass"); addressAcc = field(type, "address"); otherAcc = field(type, "notifier"); amountAcc = field(type, "timedOut"); }
            case THREAD_PARK -> { classAcc = field(type, "parkedClass"); addressAcc = field(type, "address"); amountAcc = field(type, "timeout"); }
            case THREAD_SLEEP -> amountAcc = field(type, "time");
            case SOCKET_READ -> { detailAcc = field(type, "host"); extraAcc = field(type, "port"); amountAcc = field(type, "bytesRead"); }
            case SOCKET_WRITE -> { detailAcc = field(type, "host"); extraAcc = field(type, "port"); amountAcc = field(type, "bytesWritten"); }
            case FILE_READ -> { detailAcc = field(type, "path"); amountAcc = field(type, "bytesRead"); }
            case FILE_WRITE -> { detailAcc = field(type, "path"); amountAcc = field(type, "bytesWritten"); }
            case FILE_FORCE -> detailAcc = field(type, "path");
            case THREAD_START -> { otherAcc = field(type, "parentThread"); extraAcc = field(type, "thread"); }
            case THREAD_END -> extraAcc = field(type, "thread");
            case GC_PAUSE -> { detailAcc = field(type, "name"); amountAcc = field(type, "gcId"); extraAcc = field(type, "sumOfPauses"); }
            case CPU_LOAD -> { amountAcc = field(type, "machineTotal"); addressAcc = field(type, "jvmUser"); extraAcc = field(type, "jvmSystem"); }
            default -> { }
        }
        int i = 0;
        for (IItem item : items) {
            if ((++i & 0xfff) == 0) progress.checkCancelled();
            int thread = thread(threadAcc, item);
            long start = epoch(startAcc, item);
            long duration = durAcc == null ? 0 : nanos(durAcc.getMember(item));
            int clazz = clazz(classAcc, item);
            long address = number(addressAcc, item);
            int other = otherAcc == null ? -1 : threadOf(otherAcc.getMember(item));
            int detail = -1;
            long amount = number(amountAcc, item);
            switch (kind) {
                case SOCKET_READ, SOCKET_WRITE -> detail = m.hostPort(detailAcc == null || detailAcc.getMember(item) == null ? null : detailAcc.getMember(item).toString(), number(extraAcc, item));
                case FILE_READ, FILE_WRITE, FILE_FORCE, GC_PAUSE -> {
                    Object d = detailAcc == null ? null : detailAcc.getMember(item);
                    detail = d == null ? -1 : b.string(d.toString());
                    if (kind == EventKind.GC_PAUSE && extraAcc != null) duration = nanos(extraAcc.getMember(item));
                }
                case THREAD_START, THREAD_END -> {
                    int t = extraAcc == null ? -1 : threadOf(extraAcc.getMember(item));
                    if (t >= 0) thread = t;
                }
                case CPU_LOAD -> {
                    amount = permille(amountAcc, item);
                    address = permille(addressAcc, item) + permille(extraAcc, item);
                }
                default -> { }
            }
            b.event(kind, thread, start, duration, stack(stackAcc, item), clazz, address, other, detail, amount);
        }
    }

    // ---- conversions ----

    @SuppressWarnings("unchecked")
    private static IMemberAccessor<Object, IItem> field(IType<IItem> type, String identifier) {
        for (IAccessorKey<?> key : type.getAccessorKeys().keySet()) {
            if (key.getIdentifier().equals(identifier)) return (IMemberAccessor<Object, IItem>) type.getAccessor(key);
        }
        return null;
    }

    private int stack(IMemberAccessor<IMCStackTrace, IItem> acc, IItem item) {
        IMCStackTrace st = acc == null ? null : acc.getMember(item);
        if (st == null) return -1;
        Integer cached = stackCache.get(st);
        if (cached != null) return cached;
        List<? extends IMCFrame> frames = st.getFrames();
        int n = frames.size();
        if (frameBuf.length < n) frameBuf = new int[Math.max(n, frameBuf.length * 2)];
        for (int i = 0; i < n; i++) frameBuf[i] = frame(frames.get(i));
        int s = b.stackOfLeafFirst(frameBuf, n);
        if (st.getTruncationState() == IMCStackTrace.TruncationState.TRUNCATED) m.truncatedStacks++;
        stackCache.put(st, s);
        return s;
    }

    private int frame(IMCFrame f) {
        Integer line = f.getFrameLineNumber(), bci = f.getBCI();
        return b.frame(method(f.getMethod()), line == null || line < 0 ? 0 : line, bci == null ? -1 : bci,
                kind(f.getType()), 0);
    }

    private int method(IMCMethod m) {
        if (m == null) return b.function("<unknown>", "", "");
        Integer cached = methodCache.get(m);
        if (cached != null) return cached;
        IMCType type = m.getType();
        String container = type == null || type.getFullName() == null ? "" : type.getFullName();
        String method = m.getMethodName() == null ? "<unknown>" : m.getMethodName();
        int f = b.function(container.isEmpty() ? method : container + "." + method, container, "");
        methodCache.put(m, f);
        return f;
    }

    private static FrameKind kind(IMCFrame.Type t) {
        if (t == null) return FrameKind.UNKNOWN;
        if (t == IMCFrame.Type.INTERPRETED) return FrameKind.INTERPRETED;
        if (t == IMCFrame.Type.JIT_COMPILED) return FrameKind.JIT;
        if (t == IMCFrame.Type.INLINED) return FrameKind.INLINED;
        if (t == IMCFrame.Type.NATIVE) return FrameKind.NATIVE;
        if (t == IMCFrame.Type.KERNEL) return FrameKind.KERNEL;
        if (t == IMCFrame.Type.CPP) return FrameKind.CPP;
        return FrameKind.UNKNOWN;
    }

    private int thread(IMemberAccessor<IMCThread, IItem> acc, IItem item) {
        return acc == null ? -1 : threadOf(acc.getMember(item));
    }

    private int threadOf(Object o) {
        if (!(o instanceof IMCThread t)) return -1;
        Integer cached = threadCache.get(t);
        if (cached != null) return cached;
        Long javaId = t.getThreadId();
        int index = m.thread(javaId == null ? -1 : javaId, t.getThreadName());
        threadCache.put(t, index);
        return index;
    }

    private int clazz(IMemberAccessor<Object, IItem> acc, IItem item) {
        Object o = acc == null ? null : acc.getMember(item);
        if (o instanceof IMCType t) {
            Integer cached = typeCache.get(t);
            if (cached == null) {
                cached = b.classIndex(t.getFullName());
                typeCache.put(t, cached);
            }
            return cached;
        }
        return o == null ? -1 : b.classIndex(o.toString());
    }

    // JMC keeps timestamps in epoch ns and durations in ns already; converting through its unit system costs
    // more than the rest of the walk, so it is done only for other units.
    private static long epoch(IMemberAccessor<IQuantity, IItem> acc, IItem item) {
        IQuantity q = acc == null ? null : acc.getMember(item);
        if (q == null) return 0;
        return q.getUnit() == UnitLookup.EPOCH_NS ? q.longValue() : q.clampedLongValueIn(UnitLookup.EPOCH_NS);
    }

    /** A timespan in nanoseconds; JMC keeps most durations in ticks, converted here through a cached transform. */
    private long nanos(Object o) {
        if (!(o instanceof IQuantity q)) return 0;
        IUnit unit = q.getUnit();
        if (unit == UnitLookup.NANOSECOND) return q.longValue();
        if (unit.getContentType() != UnitLookup.TIMESPAN) return q.longValue();
        IScalarAffineTransform t = toNanos.get(unit);
        if (t == null) {
            t = unit.valueTransformTo(UnitLookup.NANOSECOND);
            toNanos.put(unit, t);
        }
        return Math.round(t.targetValue(q.doubleValue()));
    }

    private long number(IMemberAccessor<Object, IItem> acc, IItem item) {
        Object o = acc == null ? null : acc.getMember(item);
        if (o instanceof IQuantity q) {
            if (q.getUnit() == UnitLookup.BYTE || q.getUnit() == UnitLookup.NANOSECOND) return q.longValue();
            if (q.getUnit().getContentType() == UnitLookup.MEMORY) return q.clampedLongValueIn(UnitLookup.BYTE);
            if (q.getUnit().getContentType() == UnitLookup.TIMESPAN) return nanos(q);
            return q.longValue();
        }
        if (o instanceof Number n) return n.longValue();
        if (o instanceof Boolean bool) return bool ? 1 : 0;
        return 0;
    }

    private static long permille(IMemberAccessor<Object, IItem> acc, IItem item) {
        Object o = acc == null ? null : acc.getMember(item);
        return o instanceof IQuantity q ? Math.round(q.doubleValueIn(UnitLookup.PERCENT_UNITY) * 1000) : 0;
    }

    /** Counts bytes for progress, checks cancellation, and stops at the end of the complete chunks. */
    private static final class ProgressInputStream extends FilterInputStream {
        private final long length;
        private final ProgressSink progress;
        private long pos;

        ProgressInputStream(InputStream in, long length, ProgressSink progress) {
            super(in);
            this.length = length;
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            progress.checkCancelled();
            if (pos >= length) return -1;
            int n = super.read(buf, off, (int) Math.min(len, length - pos));
            if (n > 0) {
                pos += n;
                progress.progress(pos, length, "reading chunks");
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(Math.min(n, length - pos));
            pos += s;
            return s;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), length - pos);
        }
    }
}
