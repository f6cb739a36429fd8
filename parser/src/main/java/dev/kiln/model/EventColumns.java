// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

/**
 * The event table's columns (see {@link EventTable} for what each holds), narrow and in blocks: a start time takes 4
 * bytes where it fits, a duration 2 and an amount 1 where most of a block's are small, an index 1 or 2, and a column
 * no row of a block uses takes none there. The
 * builder fills them row by row; the built table reads them.
 */
final class EventColumns {
    IntColumn kind = new IntColumn(0, true);
    IntColumn thread = new IntColumn(-1, false), stack = new IntColumn(-1, false), clazz = new IntColumn(-1, false);
    IntColumn otherThread = new IntColumn(-1, false), detail = new IntColumn(-1, false);
    LongColumn start = new LongColumn(true, 0), duration = new LongColumn(false, 0, 2);
    LongColumn address = new LongColumn(false, 0), amount = new LongColumn(false, 0, 1);

    int size() { return kind.size(); }

    void add(int kind, int thread, long start, long duration, int stack, int clazz, long address, int otherThread,
             int detail, long amount) {
        this.kind.add(kind);
        this.thread.add(thread);
        this.start.add(start);
        this.duration.add(Math.max(0, duration));
        this.stack.add(stack);
        this.clazz.add(clazz);
        this.address.add(address);
        this.otherThread.add(otherThread);
        this.detail.add(detail);
        this.amount.add(amount);
    }

    /** Appends row {@code from} of {@code src}. */
    void addRow(EventColumns src, int from) {
        add(src.kind.get(from), src.thread.get(from), src.start.get(from), src.duration.get(from), src.stack.get(from),
                src.clazz.get(from), src.address.get(from), src.otherThread.get(from), src.detail.get(from),
                src.amount.get(from));
    }

    /** Row {@code from} of {@code src} becomes row {@code to} of this (which may be {@code src}). */
    void copyRow(EventColumns src, int from, int to) {
        kind.set(to, src.kind.get(from));
        thread.set(to, src.thread.get(from));
        start.set(to, src.start.get(from));
        duration.set(to, src.duration.get(from));
        stack.set(to, src.stack.get(from));
        clazz.set(to, src.clazz.get(from));
        address.set(to, src.address.get(from));
        otherThread.set(to, src.otherThread.get(from));
        detail.set(to, src.detail.get(from));
        amount.set(to, src.amount.get(from));
    }

    /** The rows {@code order[0]}, {@code order[1]}, … ({@code order} null: the first {@code n} rows) as new columns. */
    EventColumns picked(int[] order, int n) {
        EventColumns c = new EventColumns();
        for (int i = 0; i < n; i++) c.add(0, -1, 0, 0, -1, -1, 0, -1, -1, 0);
        for (int i = 0; i < n; i++) c.copyRow(this, order == null ? i : order[i], i);
        return c;
    }

    /** Puts the rows in the order {@code order[0]}, {@code order[1]}, …, one column at a time (less memory than all at once). */
    void reorder(int[] order) { reorder(order, order.length); }

    /** The rows {@code order[0]} … {@code order[n - 1]}, as {@link #reorder(int[])}. */
    void reorder(int[] order, int n) {
        kind = kind.picked(order, n);
        thread = thread.picked(order, n);
        stack = stack.picked(order, n);
        clazz = clazz.picked(order, n);
        otherThread = otherThread.picked(order, n);
        detail = detail.picked(order, n);
        start = start.picked(order, n);
        duration = duration.picked(order, n);
        address = address.picked(order, n);
        amount = amount.picked(order, n);
    }

    /** Narrows the blocks that writing rows out of order left wide (see {@link LongColumn#compact}). */
    void compact() {
        for (IntColumn c : new IntColumn[] {kind, thread, stack, clazz, otherThread, detail}) c.compact();
        for (LongColumn c : new LongColumn[] {start, duration, address, amount}) c.compact();
    }

    String columnBytes(int rows) {
        String[] names = {"kind", "thread", "stack", "clazz", "otherThread", "detail", "start", "duration", "address", "amount"};
        long[] bytes = {kind.bytes(), thread.bytes(), stack.bytes(), clazz.bytes(), otherThread.bytes(), detail.bytes(),
                start.bytes(), duration.bytes(), address.bytes(), amount.bytes()};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(names[i]).append(' ').append(String.format(java.util.Locale.ROOT, "%.2f", (double) bytes[i] / Math.max(1, rows)));
        }
        return sb.toString();
    }

    /** Bytes the columns hold, roughly. */
    long bytes() {
        long n = 0;
        for (IntColumn c : new IntColumn[] {kind, thread, stack, clazz, otherThread, detail}) n += c.bytes();
        for (LongColumn c : new LongColumn[] {start, duration, address, amount}) n += c.bytes();
        return n;
    }
}
