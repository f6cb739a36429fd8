// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

/**
 * The event table's columns (see {@link EventTable} for what each holds), narrow and in blocks: a start time takes 4
 * bytes where it fits, a duration 2 and an amount 1 where most of a block's are small, an index 1 or 2, and a column
 * no row of a block uses takes none there. The
 * builder fills them row by row; the built table reads them.
 */
final class EventColumns {
    // the columns no one writes again once a row is added are compacted a block at a time as they fill, so the
    // builder's columns are as narrow as the table's; a row's duration and stack are written when it ends
    IntColumn kind = new IntColumn(0, true);
    IntColumn thread = new IntColumn(-1, false).compactFull(), stack = new IntColumn(-1, false);
    IntColumn clazz = new IntColumn(-1, false).compactFull(), otherThread = new IntColumn(-1, false).compactFull();
    IntColumn detail = new IntColumn(-1, false).compactFull();
    LongColumn start = new LongColumn(true, 0).compactFull(), duration = new LongColumn(false, 0, 2);
    LongColumn address = new LongColumn(false, 0).compactFull(), amount = new LongColumn(false, 0, 1).compactFull();

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

    /**
     * Puts the rows in the order {@code order[0]}, {@code order[1]}, …, one column at a time (less memory than all at
     * once), each new column's blocks compacted as they fill.
     */
    void reorder(int[] order) { reorder(RowOrder.of(order, order.length, null), order.length); }

    /** The first {@code n} rows {@code order} gives, as {@link #reorder(int[])}. */
    void reorder(RowOrder order, int n) {
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
