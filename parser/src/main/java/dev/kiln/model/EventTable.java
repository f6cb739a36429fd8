// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

/**
 * Events with a duration or a peer, sorted by start time, as columns. Per kind:
 * <ul>
 * <li>monitor enter/wait: {@code clazz} = monitor class, {@code address} = monitor address,
 *     {@code otherThread} = previous owner (enter) or notifier (wait), {@code amount} = 1 if a wait timed out;</li>
 * <li>park: {@code clazz} = parked-on class, {@code address}, {@code amount} = timeout ns;</li>
 * <li>sleep: {@code amount} = requested time ns;</li>
 * <li>socket/file I/O: {@code detail} = host:port or path, {@code amount} = bytes;</li>
 * <li>thread start/end: {@code otherThread} = parent thread (start);</li>
 * <li>GC pause: {@code detail} = collector name, {@code duration} = sum of pauses, {@code amount} = GC id;</li>
 * <li>CPU load: {@code amount} = machine total in per-mille, {@code address} = JVM user+system per-mille.</li>
 * </ul>
 * Missing values are -1 (indices) or 0 (numbers). {@code durationNanos} is 0 for instant events. A column that
 * no row uses ({@code clazz}, {@code address}, {@code otherThread}, {@code detail}, {@code amount}) is not held.
 */
public final class EventTable {
    private final byte[] kind;
    private final int[] thread, stack, clazz, otherThread, detail;
    private final long[] startNanos, durationNanos, address, amount;
    private final int size;

    EventTable(byte[] kind, int[] thread, long[] startNanos, long[] durationNanos, int[] stack, int[] clazz,
               long[] address, int[] otherThread, int[] detail, long[] amount) {
        this(kind.length, kind, thread, startNanos, durationNanos, stack, clazz, address, otherThread, detail, amount);
    }

    /** A table of the first {@code size} values of each column; the columns may be longer. */
    EventTable(int size, byte[] kind, int[] thread, long[] startNanos, long[] durationNanos, int[] stack, int[] clazz,
               long[] address, int[] otherThread, int[] detail, long[] amount) {
        this.size = size;
        this.kind = kind;
        this.thread = thread;
        this.startNanos = startNanos;
        this.durationNanos = durationNanos;
        this.stack = stack;
        // a column no row uses is not kept (Go traces use none of clazz, address and otherThread)
        this.clazz = unused(clazz, size, -1) ? null : clazz;
        this.address = unused(address, size) ? null : address;
        this.otherThread = unused(otherThread, size, -1) ? null : otherThread;
        this.detail = unused(detail, size, -1) ? null : detail;
        this.amount = unused(amount, size) ? null : amount;
    }

    private static boolean unused(int[] a, int n, int missing) {
        if (a == null) return true;
        for (int i = 0; i < n; i++) if (a[i] != missing) return false;
        return true;
    }

    private static boolean unused(long[] a, int n) {
        if (a == null) return true;
        for (int i = 0; i < n; i++) if (a[i] != 0) return false;
        return true;
    }

    public int size() { return size; }

    public EventKind kind(int row) { return EventKind.of(kind[row]); }

    public int thread(int row) { return thread[row]; }

    public long startNanos(int row) { return startNanos[row]; }

    public long durationNanos(int row) { return durationNanos[row]; }

    public int stack(int row) { return stack[row]; }

    public int clazz(int row) { return clazz == null ? -1 : clazz[row]; }

    public long address(int row) { return address == null ? 0 : address[row]; }

    public int otherThread(int row) { return otherThread == null ? -1 : otherThread[row]; }

    public int detail(int row) { return detail == null ? -1 : detail[row]; }

    public long amount(int row) { return amount == null ? 0 : amount[row]; }

    /** The rows {@code keep} (ascending row indices) as a new table, still sorted by start. */
    EventTable rows(int[] keep) {
        byte[] k = new byte[keep.length];
        for (int i = 0; i < keep.length; i++) k[i] = kind[keep[i]];
        return new EventTable(k, pick(thread, keep), pick(startNanos, keep), pick(durationNanos, keep), pick(stack, keep),
                pick(clazz, keep), pick(address, keep), pick(otherThread, keep), pick(detail, keep), pick(amount, keep));
    }

    static int[] pick(int[] a, int[] keep) {
        if (a == null) return null;
        int[] out = new int[keep.length];
        for (int i = 0; i < keep.length; i++) out[i] = a[keep[i]];
        return out;
    }

    static long[] pick(long[] a, int[] keep) {
        if (a == null) return null;
        long[] out = new long[keep.length];
        for (int i = 0; i < keep.length; i++) out[i] = a[keep[i]];
        return out;
    }
}
