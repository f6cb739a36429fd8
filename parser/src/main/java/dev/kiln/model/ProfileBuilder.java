// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Interns what a reader finds into the tables of a {@link Profile}. Readers call it as they go and never
 * touch table arrays; {@link #build()} trims the columns and sorts events by start time. Not thread-safe.
 */
public final class ProfileBuilder {
    // equals and hashCode written out: a record's generated ones are bootstrapped through java.lang.invoke on first
    // use, which costs a short CLI run tens of milliseconds and gives the JIT more to compile
    private record FuncKey(int name, int container, int file) {
        @Override
        public boolean equals(Object o) {
            return o instanceof FuncKey k && name == k.name && container == k.container && file == k.file;
        }

        @Override
        public int hashCode() {
            return (name * 31 + container) * 31 + file;
        }
    }

    private record FrameKey(int func, int line, int bci, int kind, long address) {
        @Override
        public boolean equals(Object o) {
            return o instanceof FrameKey k && func == k.func && line == k.line && bci == k.bci && kind == k.kind
                    && address == k.address;
        }

        @Override
        public int hashCode() {
            return (((func * 31 + line) * 31 + bci) * 31 + kind) * 31 + Long.hashCode(address);
        }
    }

    private record LabelKey(int[] key, int[] str, long[] num, int[] unit) {
        @Override
        public boolean equals(Object o) {
            return o instanceof LabelKey k && Arrays.equals(key, k.key) && Arrays.equals(str, k.str)
                    && Arrays.equals(num, k.num) && Arrays.equals(unit, k.unit);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(key) * 31 + Arrays.hashCode(str) * 17 + Arrays.hashCode(num) + Arrays.hashCode(unit);
        }
    }

    private final List<String> stringList = new ArrayList<>();
    private final Map<String, Integer> stringIndex = new HashMap<>();
    private final Map<FuncKey, Integer> funcIndex = new HashMap<>();
    private final IntList funcName = new IntList(), funcContainer = new IntList(), funcFile = new IntList();
    private final Map<FrameKey, Integer> frameIndex = new HashMap<>();
    private final LongIntMap packedFrameIndex = new LongIntMap(1024);
    private final IntList frameFunc = new IntList(), frameLine = new IntList(), frameBci = new IntList();
    private final IntList frameKind = new IntList();
    private final LongList frameAddress = new LongList();
    private final TreeIndex stacks = new TreeIndex(); // key: the frame
    private final Map<Long, Integer> threadByKey = new HashMap<>();
    private final IntList threadName = new IntList(), threadState = new IntList(), threadCreatedBy = new IntList();
    private final LongList threadJavaId = new LongList(), threadOsId = new LongList(), threadGoroutine = new LongList();
    private final LongList threadWait = new LongList();
    private final List<Boolean> threadVirtual = new ArrayList<>();
    private final Map<String, Integer> classIndex = new HashMap<>();
    private final IntList className = new IntList();
    private final Map<LabelKey, Integer> labelIndex = new HashMap<>();
    private final IntList labelSetStart = new IntList(), labelKey = new IntList(), labelStr = new IntList();
    private final IntList labelUnit = new IntList();
    private final LongList labelNum = new LongList();
    private final List<SampleTableBuilder> sampleTables = new ArrayList<>();
    /** The events so far, in the order added; {@link #build} hands them over when they are in start order. */
    private EventColumns ev = new EventColumns();
    /** Whether the event columns are in start order (file order among equal starts), apart from {@link #late}. */
    private boolean eventsSorted = true;
    private long lastStart = Long.MIN_VALUE;
    /** Rows that start before rows added earlier, to be merged in by start at build; with how many rows came before each. */
    private EventColumns late = new EventColumns();
    private final IntList lateAfter = new IntList();
    /** Rows added by {@link #event} and then taken back by {@link #dropEvent} (null: none). */
    private java.util.BitSet dropped;
    /** Whether a built profile holds the event columns: the next change to the events copies them first. */
    private boolean eventsHandedOver;
    private EventTable handedOverEvents;

    final List<Mapping> mappings = new ArrayList<>();
    final Map<String, Long> eventCounts = new LinkedHashMap<>();
    final JfrEventStoreBuilder jfrEvents = new JfrEventStoreBuilder();
    final List<String> warnings = new ArrayList<>();
    private final java.util.Set<String> warningSet = new java.util.HashSet<>(); // dedup in constant time: readers may warn per line
    final List<String> comments = new ArrayList<>();
    SourceFormat format;
    String sourceName = "";
    String producer = "";
    long startEpochNanos, durationNanos, period;
    ValueType periodType, defaultValueType;
    boolean incomplete;

    public ProfileBuilder(SourceFormat format, String sourceName) {
        this.format = format;
        this.sourceName = sourceName;
        string("");
        labelSetStart.add(0);
    }

    // ---- interning ----

    /** Index of a string, adding it if new. Null is the empty string. */
    public int string(String s) {
        if (s == null) s = "";
        Integer i = stringIndex.get(s);
        if (i != null) return i;
        int index = stringList.size();
        stringList.add(s);
        stringIndex.put(s, index);
        return index;
    }

    /** Index of a function; {@code name} is its qualified display name. */
    public int function(String name, String container, String file) {
        FuncKey key = new FuncKey(string(name), string(container), string(file));
        Integer i = funcIndex.get(key);
        if (i != null) return i;
        int index = funcName.size();
        funcName.add(key.name);
        funcContainer.add(key.container);
        funcFile.add(key.file);
        funcIndex.put(key, index);
        return index;
    }

    /** Index of a frame; line 0 and bci -1 mean unknown, address 0 means none. */
    public int frame(int func, int line, int bci, FrameKind kind, long address) {
        if (func < 0 || func >= funcName.size()) throw new IllegalArgumentException("no function " + func);
        // Most frames fit one long (func 24 bits, line 20, bci+1 16, kind 3): interned without allocating.
        boolean packable = address == 0 && func < (1 << 24) && line >= 0 && line < (1 << 20) && bci >= -1 && bci < (1 << 16) - 1;
        long packed = packable ? ((long) func << 39) | ((long) line << 19) | ((long) (bci + 1) << 3) | kind.ordinal() : 0;
        FrameKey key = null;
        if (packable) {
            int i = packedFrameIndex.get(packed);
            if (i >= 0) return i;
        } else {
            key = new FrameKey(func, line, bci, kind.ordinal(), address);
            Integer i = frameIndex.get(key);
            if (i != null) return i;
        }
        int index = frameFunc.size();
        frameFunc.add(func);
        frameLine.add(line);
        frameBci.add(bci);
        frameKind.add(kind.ordinal());
        frameAddress.add(address);
        if (packable) packedFrameIndex.put(packed, index);
        else frameIndex.put(key, index);
        return index;
    }

    /** Index of the stack made of {@code parentStack} (-1 for none) called into {@code frame}. */
    public int stack(int parentStack, int frame) {
        if (parentStack < -1 || parentStack >= stacks.size()) throw new IllegalArgumentException("no stack " + parentStack);
        return stacks.child(parentStack, frame);
    }

    /** Index of the stack of frames given leaf first, as JFR and pprof list them; -1 for no frames. */
    public int stackOfLeafFirst(int[] framesLeafFirst, int count) {
        int s = -1;
        for (int i = count - 1; i >= 0; i--) s = stack(s, framesLeafFirst[i]);
        return s;
    }

    /** Number of stacks so far. */
    public int stackCount() { return stacks.size(); }

    public int classIndex(String name) {
        Integer i = classIndex.get(name);
        if (i != null) return i;
        int index = className.size();
        className.add(string(name));
        classIndex.put(name, index);
        return index;
    }

    /**
     * Index of a thread known by a stable key (a JFR java thread id, or an OS id when there is none); a key
     * seen before returns the row made then.
     */
    public int thread(long key, String name, long javaId, long osId, boolean isVirtual) {
        Integer i = threadByKey.get(key);
        if (i != null) return i;
        int index = addThread(name, javaId, osId, isVirtual, -1, null, -1, -1);
        threadByKey.put(key, index);
        return index;
    }

    /** A new thread row, never merged with another (goroutines of a dump). */
    public int addThread(String name, long javaId, long osId, boolean isVirtual, long goroutineId, String state,
                         long waitNanos, int createdByStack) {
        int index = threadName.size();
        threadName.add(string(name));
        threadJavaId.add(javaId);
        threadOsId.add(osId);
        threadVirtual.add(isVirtual);
        threadGoroutine.add(goroutineId);
        threadState.add(state == null ? -1 : string(state));
        threadWait.add(waitNanos);
        threadCreatedBy.add(createdByStack);
        return index;
    }

    /** Sets what is known of a thread row only at the end of a read: its name, state text (null: none) and creation stack. */
    public void threadDetails(int row, String name, String state, int createdByStack) {
        threadName.set(row, string(name));
        threadState.set(row, state == null ? -1 : string(state));
        threadCreatedBy.set(row, createdByStack);
    }

    /**
     * Index of a label set. Arrays are parallel and {@code n} long; a string label has {@code str >= 0}, a
     * numeric one {@code str == -1}. Returns -1 for an empty set.
     */
    public int labelSet(int[] key, int[] str, long[] num, int[] unit, int n) {
        if (n == 0) return -1;
        LabelKey k = new LabelKey(Arrays.copyOf(key, n), Arrays.copyOf(str, n), Arrays.copyOf(num, n), Arrays.copyOf(unit, n));
        Integer i = labelIndex.get(k);
        if (i != null) return i;
        int index = labelSetStart.size() - 1;
        for (int j = 0; j < n; j++) {
            labelKey.add(key[j]);
            labelStr.add(str[j]);
            labelNum.add(num[j]);
            labelUnit.add(unit[j]);
        }
        labelSetStart.add(labelKey.size());
        labelIndex.put(k, index);
        return index;
    }

    // ---- samples and events ----

    /**
     * Starts a sample table with the given weight columns. With {@code withLabels}, the table gets a label column
     * once a row has a label set (rows before it have none): a reader need not know beforehand whether any will.
     */
    public SampleTableBuilder sampleTable(String name, List<ValueType> valueTypes, boolean withTime,
                                          boolean withClass, boolean withLabels) {
        for (SampleTableBuilder t : sampleTables) {
            for (ValueType v : valueTypes) {
                if (t.valueTypes.contains(v)) throw new IllegalArgumentException("value type " + v + " already in " + t.name);
            }
        }
        SampleTableBuilder t = new SampleTableBuilder(name, valueTypes, withTime, withClass, withLabels);
        sampleTables.add(t);
        return t;
    }

    long[] notHeldCount, notHeldNanos;

    /**
     * Events of a kind that a read of chosen kinds leaves out of the table, counted and their durations summed
     * ({@link Profile#notHeldEvents}); {@code count} may be negative (an event taken back).
     */
    public void eventsNotHeld(EventKind kind, long count, long nanos) {
        if (notHeldCount == null) {
            notHeldCount = new long[EventKind.values().length];
            notHeldNanos = new long[notHeldCount.length];
        }
        notHeldCount[kind.ordinal()] += count;
        notHeldNanos[kind.ordinal()] += nanos;
    }

    /** Number of events so far. */
    public int eventCount() { return ev.size() + late.size(); }

    /** Adds an event; see {@link EventTable} for what each column means per kind. Returns its row until build. */
    public int event(EventKind kind, int thread, long startNanos, long durationNanos, int stack, int clazz,
                      long address, int otherThread, int detail, long amount) {
        keepHandedOverEvents();
        if (eventsSorted) {
            if (startNanos >= lastStart) lastStart = startNanos;
            else unsorted();
        }
        ev.add(kind.ordinal(), thread, startNanos, durationNanos, stack, clazz, address, otherThread, detail, amount);
        return ev.size() - 1;
    }

    /**
     * The duration of an event added by {@link #event}, known only when it ends: a reader that meets events in time
     * order adds each at its start, so the rows stay in start order and need no sort.
     */
    /**
     * Takes back a row added by {@link #event} (its row as returned) that turned out to be no event, as a span that
     * opened and never closed: build leaves it out.
     */
    public void dropEvent(int row) {
        keepHandedOverEvents();
        if (row < 0 || row >= ev.size()) throw new IndexOutOfBoundsException(row);
        if (dropped == null) dropped = new java.util.BitSet();
        dropped.set(row);
    }

    public void eventEnds(int row, long durationNanos, int stack) {
        keepHandedOverEvents();
        ev.duration.set(row, Math.max(0, durationNanos));
        ev.stack.set(row, stack);
    }

    /**
     * Adds an event that may start before events already added, as a reader that learns of a span only at its end
     * does; build merges these in by start, and the other rows keep their order (no sort of the whole table).
     */
    public void lateEvent(EventKind kind, int thread, long startNanos, long durationNanos, int stack, int clazz,
                          long address, int otherThread, int detail, long amount) {
        keepHandedOverEvents();
        if (eventsSorted && startNanos >= lastStart && late.size() == 0) {
            event(kind, thread, startNanos, durationNanos, stack, clazz, address, otherThread, detail, amount);
            return;
        }
        late.add(kind.ordinal(), thread, startNanos, durationNanos, stack, clazz, address, otherThread, detail, amount);
        lateAfter.add(ev.size());
    }

    /**
     * Adds {@code n} events from columns, as {@link #event} would one by one; the arrays may be longer than
     * {@code n}.
     */
    public void addEvents(int n, int[] kind, int[] thread, long[] startNanos, long[] durationNanos, int[] stack, int[] clazz,
                          long[] address, int[] otherThread, int[] detail, long[] amount) {
        addEvents(n, null, kind, thread, startNanos, durationNanos, stack, clazz, address, otherThread, detail, amount);
    }

    /**
     * Adds {@code n} events, each column's values taken in the given order (null: as they are). Runs in start order,
     * as a JFR chunk's events sorted, keep the table in start order: then {@link #build} hands the columns over
     * without sorting them, once it has merged in the few rows that start before rows added earlier.
     */
    public void addEvents(int n, int[] order, int[] kind, int[] thread, long[] startNanos, long[] durationNanos, int[] stack,
                          int[] clazz, long[] address, int[] otherThread, int[] detail, long[] amount) {
        keepHandedOverEvents();
        int from = 0;
        if (eventsSorted && n > 0) {
            long previous = Long.MIN_VALUE;
            for (int i = 0; i < n && eventsSorted; i++) {
                long start = startNanos[order == null ? i : order[i]];
                if (start < previous) unsorted();
                previous = start;
            }
            // the run's rows that start before rows already added wait aside; they are few (in JFR, events that end
            // in this chunk but started before the previous one's last event did)
            while (eventsSorted && from < n && startNanos[order == null ? from : order[from]] < lastStart) {
                int r = order == null ? from : order[from];
                late.add(kind[r], thread[r], startNanos[r], durationNanos[r], stack[r], clazz[r], address[r], otherThread[r],
                        detail[r], amount[r]);
                lateAfter.add(ev.size());
                from++;
            }
            if (eventsSorted && from < n) lastStart = startNanos[order == null ? n - 1 : order[n - 1]];
        }
        // a column at a time: ten short loops run faster than one that writes ten columns a row
        ev.kind.addAll(kind, from, n, order);
        ev.thread.addAll(thread, from, n, order);
        ev.stack.addAll(stack, from, n, order);
        ev.clazz.addAll(clazz, from, n, order);
        ev.otherThread.addAll(otherThread, from, n, order);
        ev.detail.addAll(detail, from, n, order);
        ev.start.addAll(startNanos, from, n, order, false);
        ev.duration.addAll(durationNanos, from, n, order, true);
        ev.address.addAll(address, from, n, order, false);
        ev.amount.addAll(amount, from, n, order, false);
    }

    // ---- metadata ----

    public ProfileBuilder producer(String producer) { this.producer = producer == null ? "" : producer; return this; }

    public ProfileBuilder timeSpan(long startEpochNanos, long durationNanos) {
        this.startEpochNanos = startEpochNanos;
        this.durationNanos = Math.max(0, durationNanos);
        return this;
    }

    public ProfileBuilder period(ValueType type, long period) { this.periodType = type; this.period = period; return this; }

    public ProfileBuilder defaultValueType(ValueType type) { this.defaultValueType = type; return this; }

    public ProfileBuilder count(String eventType, long n) {
        Long had = eventCounts.get(eventType);
        eventCounts.put(eventType, had == null ? n : had + n);
        return this;
    }

    /** The tables of every JFR event type ({@link Profile#jfrEvents()}), filled by the JFR reader. */
    public JfrEventStoreBuilder jfrEvents() { return jfrEvents; }

    public ProfileBuilder warning(String message) { if (warningSet.add(message)) warnings.add(message); return this; }

    public ProfileBuilder comment(String comment) { comments.add(comment); return this; }

    public ProfileBuilder mapping(Mapping mapping) { mappings.add(mapping); return this; }

    public ProfileBuilder incomplete(String warning) { incomplete = true; return warning(warning); }

    public Profile build() {
        List<SampleTable> tables = new ArrayList<>();
        for (SampleTableBuilder t : sampleTables) tables.add(t.build());
        if (defaultValueType == null) {
            for (SampleTable t : tables) {
                if (t.size() > 0 && !t.valueTypes().isEmpty()) { defaultValueType = t.valueTypes().get(0); break; }
            }
        }
        boolean[] virtual = new boolean[threadVirtual.size()];
        for (int i = 0; i < virtual.length; i++) virtual[i] = threadVirtual.get(i);
        return new Profile(this,
                new StringTable(stringList.toArray(new String[0])),
                new FunctionTable(funcName.toArray(), funcContainer.toArray(), funcFile.toArray()),
                new FrameTable(frameFunc.toArray(), frameLine.toArray(), frameBci.toArray(), toBytes(frameKind),
                        frameAddress.toArray()),
                new StackTable(stacks.keys(), stacks.parents()),
                new ThreadTable(threadName.toArray(), threadJavaId.toArray(), threadOsId.toArray(), virtual,
                        threadGoroutine.toArray(), threadState.toArray(), threadWait.toArray(), threadCreatedBy.toArray()),
                new ClassTable(className.toArray()),
                new LabelTable(labelSetStart.toArray(), labelKey.toArray(), labelStr.toArray(), labelNum.toArray(),
                        labelUnit.toArray()),
                tables, buildEvents());
    }

    private EventTable buildEvents() {
        RowOrder order = mergeLate(); // the table puts the rows in this order as it takes out its copies: one pass, not two
        if (!eventsSorted) {
            int n = ev.size();
            long[] start = new long[n];
            for (int i = 0; i < n; i++) start[i] = ev.start.get(i);
            int[] sorted = sortedOrder(start);
            start = null;
            order = RowOrder.of(sorted, n, dropped);
            eventsSorted = true;
            lastStart = n == 0 ? Long.MIN_VALUE : ev.start.get(sorted == null ? n - 1 : sorted[n - 1]);
        }
        dropped = null;
        eventsHandedOver = true;
        return handedOverEvents = new EventTable(ev, order);
    }

    /** Events added after a build go into copies of the columns, not into the ones the built profile holds. */
    private void keepHandedOverEvents() {
        if (!eventsHandedOver) return;
        ev = handedOverEvents.columns(null); // the table may have taken rows out of the columns it was given
        eventsHandedOver = false;
    }

    /** The events are no longer in start order as added: the rows set aside go back in, and build sorts them all. */
    private void unsorted() {
        RowOrder order = mergeLate();
        if (!order.identity()) ev.reorder(order, order.rows());
        dropped = null;
        eventsSorted = false;
    }

    /**
     * Merges the rows set aside by {@link #addEvents} and {@link #lateEvent} into the columns, keeping file order
     * among equal starts: a row set aside comes after the rows added before it and before the later rows of equal
     * start. The rows set aside are appended; when the columns are in start order, one pass over the two sorted runs
     * gives where each goes, and the order returned (the rows taken back left out) merges them in as the caller puts
     * the columns in it, with no array of a row each; otherwise the rows are left appended, for build to sort them all.
     */
    private RowOrder mergeLate() {
        int m = late.size(), n = ev.size();
        if (m == 0 || !eventsSorted) {
            for (int j = 0; j < m; j++) ev.addRow(late, j);
            late = new EventColumns();
            lateAfter.clear();
            return RowOrder.of(null, ev.size(), dropped);
        }
        long[] keys = new long[m];
        for (int j = 0; j < m; j++) keys[j] = late.start.get(j);
        int[] lateOrder = sortedOrder(keys); // stable: rows of equal start keep the order they came in
        int[] after = lateAfter.toArray();
        int[] rows = new int[m], at = new int[m];
        int i = 0;
        for (int j = 0; j < m; j++) {
            int row = lateOrder == null ? j : lateOrder[j];
            long start = keys[row];
            // the rows before this one: they start earlier, or as early and were added before it
            while (i < n) {
                long s = ev.start.get(i);
                if (s < start || s == start && i < after[row]) i++;
                else break;
            }
            rows[j] = n + row;
            at[j] = i;
        }
        for (int j = 0; j < m; j++) ev.addRow(late, j);
        late = new EventColumns();
        lateAfter.clear();
        return RowOrder.merged(n, rows, at, dropped);
    }

    /** Row order that sorts {@code keys} ascending, stable; null when already sorted. */
    public static int[] sortedOrder(long[] keys) {
        int n = keys.length;
        int descents = 0;
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            if (i > 0 && keys[i - 1] > keys[i]) descents++;
            min = Math.min(min, keys[i]);
            max = Math.max(max, keys[i]);
        }
        if (descents == 0) return null;
        // Pack (key bucket, row) into one long and sort primitives: the row takes the low bits, the key's
        // offset from the minimum the high bits, coarsened by a shift when the span is too wide. Rows in one
        // bucket keep file order; a final insertion pass orders them by the exact key.
        int rowBits = 64 - Long.numberOfLeadingZeros(Math.max(1, n - 1));
        int keyBits = 63 - rowBits;
        long span = max - min;
        int shift = 0;
        while (Long.compareUnsigned(span >>> shift, 1L << keyBits) >= 0) shift++;
        long[] packed = new long[n];
        for (int i = 0; i < n; i++) packed[i] = (((keys[i] - min) >>> shift) << rowBits) | i;
        // Arrays.sort merges a few sorted runs quickly (chunks sorted one by one); many short runs, as the events of one
        // JFR chunk come (a run per thread buffer), sort faster by their digits
        if (n >= 4096 && descents >= 64) radixSort(packed, rowBits, 64 - Long.numberOfLeadingZeros(span >>> shift));
        else java.util.Arrays.sort(packed);
        int[] order = new int[n];
        long rowMask = (1L << rowBits) - 1;
        for (int i = 0; i < n; i++) order[i] = (int) (packed[i] & rowMask);
        if (shift > 0) {
            long budget = 16L * n; // a bucket holding most rows (absurd timestamps) must not go quadratic
            for (int i = 1; i < n; i++) {
                int row = order[i];
                int j = i - 1;
                while (j >= 0 && keys[order[j]] > keys[row]) {
                    order[j + 1] = order[j];
                    j--;
                    if (--budget < 0) return mergeSortOrder(keys);
                }
                order[j + 1] = row;
            }
        }
        return order;
    }

    /**
     * Sorts {@code a} by bits {@code [from, from + bits)}, least significant digit first; stable, so values that
     * differ only below {@code from} keep their order.
     */
    private static void radixSort(long[] a, int from, int bits) {
        final int digit = 11, buckets = 1 << digit;
        long[] source = a, to = new long[a.length];
        int[] count = new int[buckets];
        for (int shift = from; shift < from + bits; shift += digit) {
            java.util.Arrays.fill(count, 0);
            for (long v : source) count[(int) (v >>> shift) & (buckets - 1)]++;
            for (int b = 0, at = 0; b < buckets; b++) {
                int c = count[b];
                count[b] = at;
                at += c;
            }
            for (long v : source) to[count[(int) (v >>> shift) & (buckets - 1)]++] = v;
            long[] t = source;
            source = to;
            to = t;
        }
        if (source != a) System.arraycopy(source, 0, a, 0, a.length);
    }

    /** Stable bottom-up merge sort of row indices by key. */
    static int[] mergeSortOrder(long[] keys) {
        int[] order = new int[keys.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        int[] tmp = new int[keys.length];
        for (int width = 1; width < order.length; width *= 2) {
            for (int lo = 0; lo < order.length; lo += 2 * width) {
                int mid = Math.min(lo + width, order.length), hi = Math.min(lo + 2 * width, order.length);
                int a = lo, b = mid, o = lo;
                while (a < mid && b < hi) tmp[o++] = keys[order[b]] < keys[order[a]] ? order[b++] : order[a++];
                while (a < mid) tmp[o++] = order[a++];
                while (b < hi) tmp[o++] = order[b++];
            }
            int[] swap = order; order = tmp; tmp = swap;
        }
        return order;
    }

    private static byte[] toBytes(IntList list) {
        byte[] r = new byte[list.size()];
        for (int i = 0; i < r.length; i++) r[i] = (byte) list.get(i);
        return r;
    }

    /** Collects the rows of one {@link SampleTable}. */
    public static final class SampleTableBuilder {
        private final String name;
        private final List<ValueType> valueTypes;
        private final IntList stack = new IntList(), thread = new IntList();
        private final IntList clazz;
        private final boolean withLabels;
        private IntList labelSet; // made at the first row with a label set
        private long ensured;
        /** Whether a built table holds arrays of these lists: the next change copies them first. */
        private boolean handedOver;
        private final LongList time;
        private final LongList[] values;

        SampleTableBuilder(String name, List<ValueType> valueTypes, boolean withTime, boolean withClass,
                           boolean withLabels) {
            this.name = name;
            this.valueTypes = List.copyOf(valueTypes);
            this.time = withTime ? new LongList() : null;
            this.clazz = withClass ? new IntList() : null;
            this.withLabels = withLabels;
            this.values = new LongList[valueTypes.size()];
            for (int i = 0; i < values.length; i++) values[i] = new LongList();
        }

        /** Adds a row of a single-valued table. */
        public void add(int stack, int thread, long timeNanos, int clazz, long value) {
            if (values.length != 1) throw new IllegalStateException(name + " has " + values.length + " values");
            addRow(stack, thread, timeNanos, clazz, -1);
            values[0].add(value);
        }

        /**
         * Adds {@code n} rows of a single-valued table from columns: {@code clazz} may be null (no class), and
         * {@code values} null for a value of 1 each; the arrays may be longer than {@code n}.
         */
        public void addAll(int n, int[] stack, int[] thread, long[] timeNanos, int[] clazz, long[] values) {
            if (this.values.length != 1) throw new IllegalStateException(name + " has " + this.values.length + " values");
            keepHandedOver();
            this.stack.addAll(stack, n);
            this.thread.addAll(thread, n);
            if (time != null) time.addAll(timeNanos, n);
            if (this.clazz != null) {
                if (clazz != null) {
                    this.clazz.addAll(clazz, n);
                } else {
                    for (int i = 0; i < n; i++) this.clazz.add(-1);
                }
            }
            if (labelSet != null) for (int i = 0; i < n; i++) labelSet.add(-1);
            if (values != null) {
                this.values[0].addAll(values, n);
            } else {
                for (int i = 0; i < n; i++) this.values[0].add(1);
            }
        }

        /** Adds a row with one value per value type. */
        public void add(int stack, int thread, long timeNanos, int clazz, int labelSet, long[] rowValues) {
            if (rowValues.length < values.length) throw new IllegalArgumentException("too few values");
            addRow(stack, thread, timeNanos, clazz, labelSet);
            for (int i = 0; i < values.length; i++) values[i].add(rowValues[i]);
        }

        private void addRow(int stack, int thread, long timeNanos, int clazz, int labelSet) {
            keepHandedOver();
            if (labelSet >= 0 && this.labelSet == null && withLabels) {
                this.labelSet = new IntList((int) Math.max(16, Math.min(Integer.MAX_VALUE - 16, Math.max(ensured, size() + 1L))));
                for (int i = 0; i < size(); i++) this.labelSet.add(-1);
            }
            this.stack.add(stack);
            this.thread.add(thread);
            if (time != null) time.add(timeNanos);
            if (this.clazz != null) this.clazz.add(clazz);
            if (this.labelSet != null) this.labelSet.add(labelSet);
        }

        public int size() { return stack.size(); }

        /** Makes room for {@code total} rows in all, when a reader can estimate how many will come. */
        public void ensure(long total) {
            keepHandedOver();
            ensured = Math.max(ensured, total);
            stack.ensure(total);
            thread.ensure(total);
            if (time != null) time.ensure(total);
            if (clazz != null) clazz.ensure(total);
            if (labelSet != null) labelSet.ensure(total);
            for (LongList v : values) v.ensure(total);
        }

        /** The table; a column whose list is exactly full is handed over rather than copied (see {@link #ensure}). */
        SampleTable build() {
            handedOver = true;
            long[][] cols = new long[values.length][];
            for (int i = 0; i < cols.length; i++) cols[i] = exact(values[i]);
            return new SampleTable(name, valueTypes, exact(stack), exact(thread), time == null ? null : exact(time),
                    clazz == null ? null : exact(clazz), labelSet == null ? null : exact(labelSet), cols);
        }

        private static int[] exact(IntList l) { return l.array().length == l.size() ? l.array() : l.toArray(); }

        private static long[] exact(LongList l) { return l.array().length == l.size() ? l.array() : l.toArray(); }

        /** Rows added after a build go into copies of the columns, not into the arrays the built profile holds. */
        private void keepHandedOver() {
            if (!handedOver) return;
            for (IntList l : new IntList[] {stack, thread, clazz, labelSet}) if (l != null) l.detach();
            if (time != null) time.detach();
            for (LongList l : values) l.detach();
            handedOver = false;
        }
    }
}
