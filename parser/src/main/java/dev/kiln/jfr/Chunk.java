// SPDX-License-Identifier: Apache-2.0
package dev.kiln.jfr;

import dev.kiln.job.ProgressSink;
import dev.kiln.jfr.EventPlan.Columns;
import dev.kiln.jfr.EventPlan.Handler;
import dev.kiln.jfr.EventPlan.Plan;
import dev.kiln.jfr.JfrMetadata.Field;
import dev.kiln.jfr.JfrMetadata.Type;
import dev.kiln.model.EventKind;
import dev.kiln.model.IntList;
import dev.kiln.model.JfrField.Kind;
import dev.kiln.model.LongIntMap;
import dev.kiln.model.LongList;
import dev.kiln.model.ProfileBuilder.SampleTableBuilder;
import dev.kiln.model.ProfileFormatException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.kiln.jfr.EventPlan.SLOTS;
import static dev.kiln.jfr.EventPlan.S_ADDRESS;
import static dev.kiln.jfr.EventPlan.S_CLASS;
import static dev.kiln.jfr.EventPlan.S_DETAIL;
import static dev.kiln.jfr.EventPlan.S_DURATION;
import static dev.kiln.jfr.EventPlan.S_EXTRA;
import static dev.kiln.jfr.EventPlan.S_KIND;
import static dev.kiln.jfr.EventPlan.S_OTHER;
import static dev.kiln.jfr.EventPlan.S_STACK;
import static dev.kiln.jfr.EventPlan.S_START;
import static dev.kiln.jfr.EventPlan.S_THREAD;
import static dev.kiln.jfr.EventPlan.S_VALUE;
import static dev.kiln.jfr.EventPlan.plan;
import static dev.kiln.jfr.EventPlan.reads;
import static dev.kiln.jfr.JfrStreamReader.hashOf;
import static dev.kiln.jfr.JfrStreamReader.saturatedAdd;

/**
 * One chunk: its buffer, metadata, constant pools and the per-chunk caches of what was resolved. The last of the
 * chain of classes a chunk is made of ({@link ChunkInput}, {@link ChunkPools}, {@link ChunkStacks}, this one), and
 * the per-chunk worker. On a worker thread, {@link #scan} reads the header and metadata and walks the events by their
 * sizes (counts per type; where the events read and the checkpoints start), {@link #indexPools} indexes the constant
 * pools, {@link #decodeEvents} decodes the events read into columns by their {@link EventPlan}s, then the entries
 * they refer to, and {@link #release} lets go of the bytes. On the loading thread, chunk after chunk in file order,
 * {@link #apply} adds the chunk to the model. A chunk is used by one thread at a time, handed over through its
 * {@link java.util.concurrent.Future}.
 */
final class Chunk extends ChunkStacks {
    private static final int HEADER_SIZE = ChunkScan.HEADER_SIZE;
    /** 2200-01-01 in ns since 1970: a recording said to start later has a broken header. */
    private static final long LATEST_PLAUSIBLE = 7_258_118_400_000_000_000L;
    /** Ten years: a chunk said to last longer has a broken header. */
    private static final long LONGEST_PLAUSIBLE = 10L * 366 * 24 * 3600 * 1_000_000_000L;
    /** Type ids below this are looked up in arrays; JFR numbers its types from a few hundred down. */
    private static final int IDS = 4096;
    /** How much more room than the first chunk's estimate the builder's columns get (see {@link #apply}). */
    private static final double FIRST_MARGIN = 1.15;

    final ProgressSink progress;
    final Map<String, Long> counts = new LinkedHashMap<>();
    /** Where the events of the types Kiln reads start, in file order. */
    IntList events = new IntList(1024);
    /** Where every event starts, for the event store (null when the load reads chosen types only). */
    IntList allEvents;
    /** Whether a whole load fills the event store: {@code -Dkiln.jfr.store=false} leaves it empty (to measure its cost). */
    static final boolean STORE = !"false".equals(System.getProperty("kiln.jfr.store"));
    /** The chunk's events of every type for the profile's event store, from {@link #decodeEvents} to {@link #apply}. */
    StoreDecoder store;
    final long[] vals = new long[SLOTS];
    int damagedEvents, outsideChunk;
    /** The chunk's end, and the bounds (a second of slack either side) its events' times must keep to. */
    long chunkEnd, earliestEnd, latestStart;
    final List<String> headerWarnings = new ArrayList<>();
    /** The count key of events whose type the metadata lacks, after the type id, as {@code jfr summary} names them. */
    static final String MISSING_METADATA = " (missing event metadata)";
    boolean asyncProfiler;
    boolean stringsRead;

    Chunk(JfrModel m, String file, int index, int chunkCount, long fileOffset, byte[] data, int size, ProgressSink progress) {
        super(m, file, index, chunkCount, fileOffset, data, size);
        this.progress = progress;
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
            if (only == null && STORE) allEvents = new IntList(1024);
            walkEvents(wanted, wantedFar, byId, far);
            for (int id = 2; id < IDS; id++) if (byId[id] > 0) far.put((long) id, byId[id]);
            for (Map.Entry<Long, Long> tc : far.entrySet()) {
                Type t = meta.types.get(tc.getKey());
                // A crashed JVM's emergency dump (JDK 16) can hold events of a type its metadata lacks: they are
                // skipped and counted as jfr summary lists them, "<id> (missing event metadata)"; the rest is read.
                String name = t != null ? t.name : tc.getKey() + MISSING_METADATA;
                if (t == null) {
                    headerWarnings.add(tc.getValue() + " event(s) of type id " + tc.getKey() + (chunkCount > 1 ? " in chunk " + (index + 1) : "")
                            + " were skipped: the metadata does not declare that type (missing event metadata, as jfr summary"
                            + " lists them; a crashed JVM's emergency dump can end so)");
                }
                Long had = counts.get(name);
                counts.put(name, had == null ? tc.getValue() : had + tc.getValue());
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
            if (type > 1 && allEvents != null) allEvents.add(start);
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

    // ---- decoding (on a worker) ----
    // The events are decoded first, in a loop that does little else: each thread, stack and class an event refers
    // to is numbered on first sight and its key kept. Those entries are decoded afterwards, each once, and so are
    // the texts. Keeping the rare, branchy decoding out of the loop that runs per event keeps that loop small, for the
    // JIT and the cache. The rows end up in plain columns that the loading thread copies into the builder.

    /** The plans of the types read, in metadata order, which is the order their sample tables are made in. */
    final List<Plan> planList = new ArrayList<>();
    /** The distinct texts of the chunk's events (details, settings, the JVM version). */
    final List<String> texts = new ArrayList<>();
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
        List<Plan> storeEvents = new ArrayList<>();
        if (allEvents != null) {
            store = new StoreDecoder(this);
            for (Plan p : planList) {
                p.fromStore = fedByStore(p);
                if (p.handler == Handler.EVENT) storeEvents.add(p);
            }
            // the kinds' events are made from the store all or none: their rows keep file order only so
            boolean all = true;
            for (Plan p : storeEvents) all &= p.fromStore;
            if (!all) for (Plan p : storeEvents) p.fromStore = false;
            if (!all) storeEvents.clear();
            for (int k = 0; k < storeEvents.size(); k++) store.track(store.rows(storeEvents.get(k).typeId), k);
        }
        int[] at = events.toArray();
        events = null;
        java.util.Arrays.fill(stringAt, -1);
        if (!decodeAll(at, plans, farPlans)) return false;
        if (store != null) {
            int[] all = allEvents.toArray();
            allEvents = null;
            if (!store.decodeAll(all)) return false;
            for (Plan p : planList) if (p.fromStore && p.handler != Handler.EVENT) rowsFromStore(p);
            if (!storeEvents.isEmpty()) eventsFromStore(storeEvents, eventColumns);
            store.pack();
        }
        run = jvmRun();
        resolveThreads();
        resolveClasses();
        resolveStacks();
        resolveMethods();
        resolveTexts();
        finish(eventColumns);
        return true;
    }

    // ---- sample, allocation and event rows from the event store's columns ----
    // A whole load decodes every event into the store; the samples, allocations and the event kinds' types are not
    // decoded a second time: their plans' columns are made from the store's, which hold the same values (threads,
    // stacks and classes numbered by this chunk, starts in ns since 1970, the same numbers). An event the store could
    // not decode is missing from both.

    /**
     * Whether the plan's rows can be made from the store's columns: a sample, allocation or event kind's type whose
     * every field read is a top-level column of the store that holds what {@link #decode} reads (a number as
     * {@link ChunkInput#number} gives it, not a time the store converts; a thread, stack, class or text).
     */
    private boolean fedByStore(Plan p) {
        if (p.handler != Handler.SAMPLE && p.handler != Handler.ALLOCATION && p.handler != Handler.EVENT) return false;
        StoreDecoder.TypeRows r = store.rows(p.typeId);
        if (r == null || !StoreDecoder.ticksStart(r)) return false;
        for (int s = 0; s < SLOTS; s++) {
            Field f = p.fieldOfSlot[s];
            if (s == S_START || f == null) continue;
            int k = StoreDecoder.column(r, f.name, storeKind(p, s));
            if (k < 0) return false;
            if (s == S_DETAIL && !StoreDecoder.plainText(r, k)) return false; // say, a char the store makes a text
            if (r.leafArray[k].wide() && StoreDecoder.converted(r.leafArray[k])) return false;
        }
        return p.fieldOfSlot[S_START] != null && p.fieldOfSlot[S_START].name.equals("startTime");
    }

    /** The kind of store column that holds the plan's slot: a number's is that of its field's type. */
    private static Kind storeKind(Plan p, int slot) {
        if (slot == S_THREAD || slot == S_OTHER || slot == S_EXTRA && (p.kind == EventKind.THREAD_START || p.kind == EventKind.THREAD_END)) {
            return Kind.THREAD;
        }
        return switch (slot) {
            case S_STACK -> Kind.STACK;
            case S_CLASS -> Kind.CLASS;
            case S_DETAIL -> Kind.STRING;
            default -> switch (p.fieldOfSlot[slot].type.encoding) {
                case JfrMetadata.BOOLEAN -> Kind.BOOLEAN;
                case JfrMetadata.FLOAT, JfrMetadata.DOUBLE -> Kind.DOUBLE;
                default -> Kind.LONG;
            };
        };
    }

    /** The store's column of the plan's slot, or null when the type has no such field (then every row has none). */
    private static Object storeColumn(StoreDecoder.TypeRows r, Plan p, int slot) {
        Field f = p.fieldOfSlot[slot];
        int k = f == null ? -1 : StoreDecoder.column(r, f.name, storeKind(p, slot));
        return k < 0 ? null : r.longs[k] != null ? r.longs[k] : r.ints[k];
    }

    /** Fills the plan's columns from the store's (before it packs them), as {@link #decode} fills them from the bytes. */
    private void rowsFromStore(Plan p) {
        StoreDecoder.TypeRows r = store.rows(p.typeId);
        long[] start = r.longs[r.start], duration = (long[]) storeColumn(r, p, S_DURATION), value = (long[]) storeColumn(r, p, S_VALUE);
        int[] thread = (int[]) storeColumn(r, p, S_THREAD), stack = (int[]) storeColumn(r, p, S_STACK), clazz = (int[]) storeColumn(r, p, S_CLASS);
        Columns c = p.columns;
        boolean allocation = p.handler == Handler.ALLOCATION;
        int n = r.n;
        for (int i = 0; i < n; i++) {
            long s = start[i];
            if (s == Long.MIN_VALUE || s == Long.MAX_VALUE) s = epoch(s); // the store keeps these; the decoder converts every start
            long finish = saturatedAdd(s, Math.max(0, duration == null ? 0 : duration[i]));
            if (finish < earliestEnd || s > latestStart) {
                outsideChunk++;
                s = s > chunkEnd ? chunkEnd : startNanos;
            }
            c.ints[0][i] = thread == null ? 0 : thread[i];
            c.ints[1][i] = stack == null ? 0 : stack[i];
            c.longs[0][i] = s;
            if (allocation) {
                c.ints[2][i] = clazz == null ? 0 : clazz[i];
                c.longs[1][i] = value == null ? 0 : value[i];
            }
        }
        c.n = n;
    }

    /**
     * Fills the event columns from the store's columns of the kinds' types (before it packs them), in file order (the
     * store's {@link StoreDecoder#order}), as {@link #decode} and {@link #adjust} fill them from the bytes. A column at
     * a time: each plan's rows go to the rows {@code dest} gives. Texts are the store's numbers until {@link #resolveTexts}.
     */
    private void eventsFromStore(List<Plan> plans, Columns c) {
        int n = store.order.size();
        int[][] dest = new int[plans.size()][];
        for (int k = 0; k < dest.length; k++) dest[k] = new int[store.rows(plans.get(k).typeId).n];
        int[] next = new int[dest.length];
        for (int i = 0; i < n; i++) {
            int k = store.order.get(i);
            dest[k][next[k]++] = i;
        }
        for (int k = 0; k < dest.length; k++) {
            Plan p = plans.get(k);
            StoreDecoder.TypeRows r = store.rows(p.typeId);
            int[] to = dest[k];
            int rows = to.length;
            boolean socket = p.kind == EventKind.SOCKET_READ || p.kind == EventKind.SOCKET_WRITE;
            boolean started = p.kind == EventKind.THREAD_START || p.kind == EventKind.THREAD_END;
            long[] duration = (long[]) storeColumn(r, p, S_DURATION);
            fill(c.ints[0], to, p.kindOrdinal);
            scatter(c.ints[1], to, (int[]) storeColumn(r, p, S_THREAD), 0);
            scatter(c.ints[2], to, (int[]) storeColumn(r, p, S_STACK), 0);
            scatter(c.ints[3], to, (int[]) storeColumn(r, p, S_CLASS), 0);
            scatter(c.ints[4], to, (int[]) storeColumn(r, p, S_OTHER), 0);
            scatter(c.ints[5], to, (int[]) storeColumn(r, p, S_DETAIL), -1);
            starts(c.longs[0], to, r.longs[r.start], duration);
            long[] extra = started ? null : (long[]) storeColumn(r, p, S_EXTRA);
            if (started) scatter(c.longs[3], to, (int[]) storeColumn(r, p, S_EXTRA));
            else scatter(c.longs[3], to, extra, socket ? 0 : Long.MIN_VALUE);
            if (p.kind == EventKind.CPU_LOAD) {
                permilles(c.longs[4], to, (long[]) storeColumn(r, p, S_VALUE), null);
                permilles(c.longs[2], to, (long[]) storeColumn(r, p, S_ADDRESS), extra);
                scatter(c.longs[1], to, duration, 0);
            } else {
                scatter(c.longs[4], to, (long[]) storeColumn(r, p, S_VALUE), 0);
                scatter(c.longs[2], to, (long[]) storeColumn(r, p, S_ADDRESS), 0);
                scatter(c.longs[1], to, p.kind == EventKind.GC_PAUSE && extra != null ? extra : duration, 0);
            }
            if (rows != r.n) throw new IllegalStateException("the store's rows of " + p.typeName + " are out of step");
        }
        c.n = n;
    }

    // One loop per column, each a method of its own (see mapPresent): {@code to[dest[i]] = from[i]}, or {@code missing}
    // for every row when there is no column.

    private static void fill(int[] to, int[] dest, int value) {
        for (int d : dest) to[d] = value;
    }

    private static void scatter(int[] to, int[] dest, int[] from, int missing) {
        if (from == null) fill(to, dest, missing);
        else for (int i = 0; i < dest.length; i++) to[dest[i]] = from[i];
    }

    private static void scatter(long[] to, int[] dest, int[] from) {
        if (from == null) for (int d : dest) to[d] = 0;
        else for (int i = 0; i < dest.length; i++) to[dest[i]] = from[i];
    }

    private static void scatter(long[] to, int[] dest, long[] from, long missing) {
        if (from == null) for (int d : dest) to[d] = missing;
        else for (int i = 0; i < dest.length; i++) to[dest[i]] = from[i];
    }

    /** Percentages (0..1, a double's bits) as permille, the sum of two columns' when {@code plus} is given; 0 for none. */
    private static void permilles(long[] to, int[] dest, long[] from, long[] plus) {
        for (int i = 0; i < dest.length; i++) {
            long v = from == null ? 0 : Math.round(Double.longBitsToDouble(from[i]) * 1000);
            to[dest[i]] = plus == null ? v : v + Math.round(Double.longBitsToDouble(plus[i]) * 1000);
        }
    }

    /** The starts in ns since 1970, clamped to the chunk as {@link #decode} does (the store keeps "none" and "forever" as they are). */
    private void starts(long[] to, int[] dest, long[] start, long[] duration) {
        for (int i = 0; i < dest.length; i++) {
            long s = start[i];
            if (s == Long.MIN_VALUE || s == Long.MAX_VALUE) s = epoch(s);
            long finish = saturatedAdd(s, Math.max(0, duration == null ? 0 : duration[i]));
            if (finish < earliestEnd || s > latestStart) {
                outsideChunk++;
                s = s > chunkEnd ? chunkEnd : startNanos;
            }
            to[dest[i]] = s;
        }
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
            if (p != null && p.fromStore) continue;
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
            if (s != null) index[id] = textIndex(s, seen);
        }
        java.util.Set<int[]> done = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        Columns events = null;
        for (Plan p : planList) if (p.handler == Handler.EVENT && p.fromStore) events = p.columns;
        if (events != null) { // the store's texts, numbered by the store
            int[] column = events.ints[5];
            done.add(column);
            int[] fromStore = new int[store.textCount()];
            java.util.Arrays.fill(fromStore, -2);
            for (int i = 0; i < events.n; i++) {
                int t = column[i];
                if (t < 0) continue;
                if (fromStore[t] == -2) fromStore[t] = textIndex(store.text(t), seen);
                column[i] = fromStore[t];
            }
        }
        for (Plan p : planList) {
            for (int c : p.textColumns) {
                int[] column = p.columns.ints[c];
                if (done.add(column)) mapPresent(column, p.columns.n, index);
            }
        }
    }

    /** The text's index in {@link #texts}, added when not {@code seen} before. */
    private int textIndex(String s, Map<String, Integer> seen) {
        Integer had = seen.get(s);
        if (had == null) {
            had = texts.size();
            texts.add(s);
            seen.put(s, had);
        }
        return had;
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
        if (store != null) {
            store.apply(m.b, threadIndex, stackIndex, classIndex);
            damagedEvents = Math.max(damagedEvents, store.damaged);
            store = null;
        }
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
}
