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
 * <li>CPU load: {@code amount} = machine total in per-mille, {@code address} = JVM user+system per-mille;</li>
 * <li>Go trace kinds: see {@link EventKind}.</li>
 * </ul>
 * Missing values are -1 (indices) or 0 (numbers). {@code durationNanos} is 0 for instant events. The columns are
 * narrow ({@link EventColumns}): a number takes 4 bytes where it fits, and a column no row uses takes no room.
 *
 * <p>A {@link EventKind#GO_ON_P} row that directly follows the {@link EventKind#GO_RUNNING} row it copies (same start,
 * duration and stack; its lane the P's, its amount the goroutine's lane) is not held: the table keeps a bit for it and
 * gives it from the row before, so a P's lane costs a bit an interval.
 */
public final class EventTable {
    private static final int SHIFT = LongColumn.SHIFT, MASK = LongColumn.MASK;
    private static final int RUNNING = EventKind.GO_RUNNING.ordinal(), ON_P = EventKind.GO_ON_P.ordinal();

    private final EventColumns c;
    private final int size;
    /** Per block of rows: a bit for each row given from the row before it (null: none in the block); null: none at all. */
    private long[][] copies;
    /** Per block: the copied rows before it; per block and 64-row word: those before the word within the block. */
    private int[] copiesBefore;
    private char[][] copiesRank;
    /** A P's id to its lane, for the copied rows. */
    private int[] pLanes;
    /**
     * When the columns hold a few late rows appended after the others, left there ({@link #keepLate}): per block a
     * bit for each row that is one of them (null: none in the block), the late rows before each block and 64-row word,
     * as {@code copies}, and per late row in table order its column row.
     */
    private long[][] late;
    private int[] lateBefore;
    private char[][] lateRank;
    private int[] lateRows;

    EventTable(EventColumns columns) { this(columns, null); }

    /** The rows {@code order} gives of {@code columns} (null: all, as they are). */
    EventTable(EventColumns columns, RowOrder order) {
        this.c = columns;
        if (order == null) order = RowOrder.of(null, columns.size(), null);
        this.size = order.rows();
        dropCopies(order);
        columns.compact();
    }

    public int size() { return size; }

    public EventKind kind(int row) { return copy(check(row)) ? EventKind.GO_ON_P : EventKind.of(c.kind.get(held(row))); }

    public int thread(int row) {
        int h = held(check(row));
        return copy(row) ? pLanes[(int) c.amount.get(h - 1)] : c.thread.get(h);
    }

    public long startNanos(int row) { return c.start.get(source(check(row))); }

    public long durationNanos(int row) { return c.duration.get(source(check(row))); }

    public int stack(int row) { return c.stack.get(source(check(row))); }

    public int clazz(int row) { return copy(check(row)) ? -1 : c.clazz.get(held(row)); }

    public long address(int row) { return copy(check(row)) ? 0 : c.address.get(held(row)); }

    public int otherThread(int row) { return copy(check(row)) ? -1 : c.otherThread.get(held(row)); }

    public int detail(int row) { return copy(check(row)) ? -1 : c.detail.get(held(row)); }

    public long amount(int row) {
        int h = held(check(row));
        return copy(row) ? c.thread.get(h - 1) : c.amount.get(h);
    }

    /** Whether the columns hold late rows after the others, marked by a bit each ({@link #keepLate}), for tests. */
    boolean keepsLateRows() { return late != null; }

    /** Rows the columns hold (the others are copies given from the row before them). */
    int heldRows() { return c.size(); }

    /** Bytes the table holds, roughly. */
    public long bytes() {
        long n = c.bytes();
        for (long[][] bits : new long[][][] {copies, late}) {
            if (bits == null) continue;
            n += 24L * bits.length;
            for (long[] w : bits) if (w != null) n += 32 + 8L * w.length + 2L * w.length;
        }
        return lateRows == null ? n : n + 16 + 4L * lateRows.length;
    }

    /** The column row of a row: the rows before it less the copies among them (or the late rows, see {@link #keepLate}). */
    private int held(int row) {
        if (copies == null) return late == null ? row : heldLate(row);
        int block = row >>> SHIFT;
        long[] w = copies[block];
        int h = row - copiesBefore[block];
        if (w == null) return h;
        int word = (row & MASK) >>> 6;
        return h - copiesRank[block][word] - Long.bitCount(w[word] & ((1L << (row & 63)) - 1));
    }

    /** {@link #held} when the columns hold late rows after the others: a late row's own, or the row less the late rows before it. */
    private int heldLate(int row) {
        int block = row >>> SHIFT;
        long[] w = late[block];
        if (w == null) return row - lateBefore[block];
        int word = (row & MASK) >>> 6;
        long bit = 1L << (row & 63);
        int rank = lateBefore[block] + lateRank[block][word] + Long.bitCount(w[word] & (bit - 1));
        return (w[word] & bit) != 0 ? lateRows[rank] : row - rank;
    }

    private boolean copy(int row) {
        if (copies == null) return false;
        long[] w = copies[row >>> SHIFT];
        return w != null && (w[(row & MASK) >>> 6] >>> (row & 63) & 1) != 0;
    }

    /** The column row that holds a row's start, duration and stack: its own, or for a copy the row it copies. */
    private int source(int row) {
        int h = held(row);
        return copy(row) ? h - 1 : h;
    }

    /**
     * Finds the P-lane rows that copy the running row before them and takes them out of the columns, keeping a bit for
     * each. A P whose rows name more than one lane, or rows that differ from the copy they
     * would be given as, stay held. The columns end in {@code order}, less the copies, a column at a time (the rows set
     * one by one in place would shuffle the values kept beside).
     */
    private void dropCopies(RowOrder order) {
        int n = size;
        int[] lanes = new int[0];
        order.restart();
        for (int r = 0, before = -1; r < n; r++) {
            int at = order.next();
            if (r > 0 && copyOfBefore(at, before)) {
                long p = c.amount.get(before);
                if (p >= 0 && p < 4096) {
                    if (p >= lanes.length) {
                        int had = lanes.length;
                        lanes = java.util.Arrays.copyOf(lanes, (int) Math.max(p + 1, 2L * had));
                        java.util.Arrays.fill(lanes, had, lanes.length, -1);
                    }
                    int lane = c.thread.get(at);
                    if (lanes[(int) p] == -1) lanes[(int) p] = lane;
                    else if (lanes[(int) p] != lane) lanes[(int) p] = -2; // more than one lane: its rows stay held
                }
            }
            before = at;
        }
        int blocks = (n + MASK) >>> SHIFT, dropped = 0;
        order.restart();
        for (int r = 0, before = -1; r < n; r++) {
            int at = order.next();
            if (r > 0 && copyOfBefore(at, before)) {
                long p = c.amount.get(before);
                if (p >= 0 && p < lanes.length && lanes[(int) p] >= 0) {
                    if (copies == null) copies = new long[blocks][];
                    long[] bits = copies[r >>> SHIFT];
                    if (bits == null) bits = copies[r >>> SHIFT] = new long[LongColumn.BLOCK / 64];
                    bits[(r & MASK) >>> 6] |= 1L << (r & 63);
                    dropped++;
                }
            }
            before = at;
        }
        if (copies == null) {
            if (!order.identity() && !keepLate(order, n)) c.reorder(order, n);
            return;
        }
        c.reorder(order.skip(copies), n - dropped);
        pLanes = lanes;
        copiesBefore = new int[blocks];
        copiesRank = new char[blocks][];
        int before = ranks(copies, copiesBefore, copiesRank);
        if (before != dropped) throw new IllegalStateException(before + " != " + dropped);
    }

    /**
     * When {@code order} only merges a few late rows, appended to the columns after the others, in among them (in JFR
     * the events of a chunk that started before the previous chunk's last one: 107 of 494 K rows in a 37 MB recording),
     * the columns stay as they are and a bit per row marks the late ones, read through {@link #held}: rather than
     * every row of every column written again in order, which took half the loading thread's time in building the profile.
     */
    private boolean keepLate(RowOrder order, int n) {
        int[] positions = order.latePositions();
        if (positions == null || n != c.size() || positions.length > n / 8) return false;
        int blocks = (n + MASK) >>> SHIFT;
        late = new long[blocks][];
        lateRows = new int[positions.length];
        for (int j = 0; j < positions.length; j++) {
            int p = positions[j];
            long[] bits = late[p >>> SHIFT];
            if (bits == null) bits = late[p >>> SHIFT] = new long[LongColumn.BLOCK / 64];
            bits[(p & MASK) >>> 6] |= 1L << (p & 63);
            lateRows[j] = order.lateRow(j);
        }
        lateBefore = new int[blocks];
        lateRank = new char[blocks][];
        if (ranks(late, lateBefore, lateRank) != positions.length) throw new IllegalStateException("late rows");
        return true;
    }

    /** Fills, for the rows whose bits are set, how many come before each block and each 64-row word in it; answers all of them. */
    private static int ranks(long[][] bits, int[] before, char[][] rank) {
        int all = 0;
        for (int b = 0; b < bits.length; b++) {
            before[b] = all;
            long[] w = bits[b];
            if (w == null) continue;
            char[] r = rank[b] = new char[w.length];
            int in = 0;
            for (int k = 0; k < w.length; k++) {
                r[k] = (char) in;
                in += Long.bitCount(w[k]);
            }
            all += in;
        }
        return all;
    }

    /** Whether column row {@code r} is a P-lane row that the running row {@code b} (the row before it) would give as it is. */
    private boolean copyOfBefore(int r, int b) {
        return c.kind.get(r) == ON_P && c.kind.get(b) == RUNNING && c.start.get(r) == c.start.get(b)
                && c.duration.get(r) == c.duration.get(b) && c.stack.get(r) == c.stack.get(b)
                && c.amount.get(r) == c.thread.get(b) && c.clazz.get(r) == -1 && c.address.get(r) == 0
                && c.otherThread.get(r) == -1 && c.detail.get(r) == -1;
    }

    /** The rows {@code keep} (ascending; null: all) as new columns, as the accessors give them. */
    EventColumns columns(int[] keep) {
        EventColumns out = new EventColumns();
        int n = keep == null ? size : keep.length;
        for (int i = 0; i < n; i++) {
            int r = keep == null ? i : keep[i];
            out.add(kind(r).ordinal(), thread(r), startNanos(r), durationNanos(r), stack(r), clazz(r), address(r),
                    otherThread(r), detail(r), amount(r));
        }
        return out;
    }

    /** Bytes a row each column holds, roughly, for measuring. */
    public String columnBytes() { return c.columnBytes(size); }

    private int check(int row) {
        if (row < 0 || row >= size) throw new IndexOutOfBoundsException(row);
        return row;
    }

    /** The rows {@code keep} (ascending row indices) as a new table, still sorted by start. */
    EventTable rows(int[] keep) { return new EventTable(columns(keep)); }
}
