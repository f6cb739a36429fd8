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
 */
public final class EventTable {
    private final EventColumns c;
    private final int size;

    EventTable(EventColumns columns) {
        this.c = columns;
        this.size = columns.size();
        columns.compact();
    }

    public int size() { return size; }

    public EventKind kind(int row) { return EventKind.of(c.kind.get(check(row))); }

    public int thread(int row) { return c.thread.get(check(row)); }

    public long startNanos(int row) { return c.start.get(check(row)); }

    public long durationNanos(int row) { return c.duration.get(check(row)); }

    public int stack(int row) { return c.stack.get(check(row)); }

    public int clazz(int row) { return c.clazz.get(check(row)); }

    public long address(int row) { return c.address.get(check(row)); }

    public int otherThread(int row) { return c.otherThread.get(check(row)); }

    public int detail(int row) { return c.detail.get(check(row)); }

    public long amount(int row) { return c.amount.get(check(row)); }

    /** Bytes the table holds, roughly. */
    public long bytes() { return c.bytes(); }

    /** Bytes a row each column holds, roughly, for measuring. */
    public String columnBytes() { return c.columnBytes(size); }

    private int check(int row) {
        if (row < 0 || row >= size) throw new IndexOutOfBoundsException(row);
        return row;
    }

    /** The rows {@code keep} (ascending row indices) as a new table, still sorted by start. */
    EventTable rows(int[] keep) { return new EventTable(c.picked(keep, keep.length)); }
}
