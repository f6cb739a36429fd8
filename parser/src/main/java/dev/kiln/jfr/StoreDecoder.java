// SPDX-License-Identifier: Apache-2.0
package dev.kiln.jfr;

import dev.kiln.jfr.JfrEvents.FieldInfo;
import dev.kiln.jfr.JfrEvents.TypeInfo;
import dev.kiln.jfr.JfrMetadata.Field;
import dev.kiln.jfr.JfrMetadata.Type;
import dev.kiln.model.IntList;
import dev.kiln.model.JfrEventStoreBuilder;
import dev.kiln.model.JfrField.Kind;
import dev.kiln.model.LongIntMap;
import dev.kiln.model.PackedColumn;
import dev.kiln.model.ProfileBuilder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes every event of a chunk, of every type its metadata declares, into columns for the profile's
 * {@link dev.kiln.model.JfrEventStore}: on the chunk's worker, after the load's own decoding ({@link Chunk#decodeEvents})
 * and before the chunk resolves its threads, stacks and classes, so that those the events refer to are numbered with
 * the rest and land in the same tables. Per type a flat program compiled from the metadata reads its fields: numbers,
 * booleans and texts are columns; threads, stack traces and classes are keys numbered by the chunk; a struct's fields are columns of
 * dotted paths, inline or from its constant pool (a pool entry is decoded once per chunk, later events copy its
 * values); a type the metadata calls simple is its one field; an array is a text rendering ({@link EventDecoder}'s
 * value). On the loading thread {@link #apply} hands the columns to the builder, each type's rows in {@code jfr print}'s
 * order (by end).
 */
final class StoreDecoder {
    /** Struct levels flattened into columns; deeper values are skipped. */
    private static final int MAX_DEPTH = 4;
    private static final int IDS = 4096;

    // A type's fields compiled into a flat program: instructions of W ints (op, column, field, aux). An inline struct's
    // fields are inlined; a pool struct's instruction is followed by its fields' instructions and a POOL_END, run at the
    // first event that refers to the key (at the entry's offset, the event's position kept on a stack) and stepped over
    // after. One loop ({@link #run}) runs the program per event, without recursion; the rarer instructions (texts,
    // arrays, pool entries) are a method of their own, {@link #other}, so that the loop stays small for the JIT: with
    // them in it, and a pool struct's fields run by a recursive call, C2 inlined 14 KB of bytecode into it and took up
    // to a second of CPU to compile it.
    static final int W = 4;
    private static final int VAR = 0, NUMBER = 1, TICKS = 2, THREAD = 3, STACK = 4, CLASS = 5, // the common ones, in {@link #run}
            MILLIS = 6, CHAR = 7, STRING = 8, POOL_STRING = 9, ARRAY = 10, POOL_STRUCT = 11, POOL_END = 12, SKIP = 13; // in {@link #other}

    /** A column of the chunk. */
    static final class Leaf {
        final String path, type;
        final Kind kind;
        final FieldInfo info;
        /** The value of a row without one: 0 for a number, thread, stack or class, -1 for a text. */
        final int missing;
        /** The values in the store's order, packed by {@link #pack}. */
        PackedColumn packed;

        Leaf(String path, Kind kind, String type, FieldInfo info) {
            this.path = path;
            this.kind = kind;
            this.type = type;
            this.info = info;
            missing = kind == Kind.LONG || kind == Kind.DOUBLE || kind == Kind.BOOLEAN || kind == Kind.THREAD || kind == Kind.STACK
                    || kind == Kind.CLASS ? 0 : -1;
        }

        boolean wide() { return kind == Kind.LONG || kind == Kind.DOUBLE || kind == Kind.BOOLEAN; }
    }

    /** One event type's program and rows in this chunk. */
    static final class TypeRows {
        final Type type;
        final TypeInfo info;
        final List<Leaf> leaves = new ArrayList<>();
        Leaf[] leafArray;
        final List<Field> fieldList = new ArrayList<>();
        Field[] fields;
        final IntList program = new IntList();
        int[] code;
        /** Per column its values, in file order: {@code longs[k]} for a number, {@code ints[k]} for the others. */
        long[][] longs;
        int[][] ints;
        int n, expected;
        int start = -1, duration = -1;
        /** The type's number among those whose rows' file order is kept ({@link #order}), -1 for none. */
        int tracked = -1;
        /** Per pool struct (an instruction's aux): key → the row that holds its values; its columns; its fields' code length. */
        final List<LongIntMap> rowOfKey = new ArrayList<>();
        LongIntMap[] rowOf;
        final IntList poolTo = new IntList(), poolCode = new IntList();
        /** Per pool string (an instruction's aux): key → its text's index ({@link #text}), shared by the fields of one pool type. */
        final List<LongIntMap> textOfKey = new ArrayList<>();
        LongIntMap[] textOf;

        TypeRows(Type type, TypeInfo info) {
            this.type = type;
            this.info = info;
        }

        void emit(int op, int column, Field f, int aux) {
            program.add(op);
            program.add(column);
            program.add(fieldList.size());
            fieldList.add(f);
            program.add(aux);
        }
    }

    private final Chunk c;
    private final JfrEvents.TypeInfos infos;
    private final List<TypeRows> types = new ArrayList<>();
    private final TypeRows[] byId = new TypeRows[IDS];
    private final Map<Long, TypeRows> farIds = new HashMap<>();
    /** The chunk's distinct texts; text leaves hold indexes here until {@link #apply}. */
    private final List<String> texts = new ArrayList<>();
    private final Map<String, Integer> textIds = new HashMap<>();
    private final Map<Type, LongIntMap> pooledTexts = new java.util.IdentityHashMap<>();
    /** String field values: string pool key → text index ({@code MAX_VALUE}: none); a written-out string's hash → its number here. */
    private final LongIntMap stringPoolIds = new LongIntMap(), inlineIds = new LongIntMap();
    /** Per written-out string numbered: where its bytes (encoding byte included) start and end, and its text index. */
    private final IntList inlineFrom = new IntList(), inlineTo = new IntList(), inlineText = new IntList();
    private EventDecoder arrays;
    /** The chunk's numberings of threads, stacks and classes, by {@code op - THREAD}. */
    private final Numbering[] refs;
    int damaged;

    StoreDecoder(Chunk c) {
        this.c = c;
        this.infos = c.meta.infos();
        this.refs = new Numbering[] {c.threads, c.stacks, c.classes};
        for (TypeInfo t : infos.eventTypes()) {
            Type type = c.meta.types.get(t.id());
            if (type == null) continue;
            TypeRows r = new TypeRows(type, t);
            for (Field f : type.fields) compile(r, f, f.name, 0);
            r.leafArray = r.leaves.toArray(new Leaf[0]);
            r.fields = r.fieldList.toArray(new Field[0]);
            r.code = r.program.toArray();
            r.rowOf = r.rowOfKey.toArray(new LongIntMap[0]);
            r.textOf = r.textOfKey.toArray(new LongIntMap[0]);
            for (int k = 0; k < r.leafArray.length; k++) {
                Leaf l = r.leafArray[k];
                if (l.path.equals("startTime") && l.kind == Kind.LONG) r.start = k;
                if (l.path.equals("duration") && l.kind == Kind.LONG) r.duration = k;
            }
            types.add(r);
            if (type.id >= 0 && type.id < IDS) byId[(int) type.id] = r;
            else farIds.put(type.id, r);
        }
    }

    /** Adds the instructions that read field {@code f} at {@code path}. */
    private void compile(TypeRows r, Field f, String path, int depth) {
        FieldInfo info = infos.fields().get(f);
        Type t = f.type;
        if (f.array) {
            r.emit(ARRAY, leaf(r, path, Kind.ARRAY, t, info), f, 0);
            return;
        }
        if (f.constantPool) {
            if (t == c.threadType) { r.emit(THREAD, leaf(r, path, Kind.THREAD, t, info), f, 0); return; }
            if (t == c.stackType) { r.emit(STACK, leaf(r, path, Kind.STACK, t, info), f, 0); return; }
            if (t == c.classType) { r.emit(CLASS, leaf(r, path, Kind.CLASS, t, info), f, 0); return; }
            if (t.encoding == JfrMetadata.STRING || (infos.simpleTypes().contains(t) && t.fields.get(0).type.encoding == JfrMetadata.STRING
                    && !t.fields.get(0).constantPool)) {
                r.emit(POOL_STRING, leaf(r, path, Kind.STRING, t, info), f, r.textOfKey.size());
                r.textOfKey.add(pooledTexts.computeIfAbsent(t, k -> new LongIntMap()));
                return;
            }
        }
        switch (t.encoding) {
            case JfrMetadata.STRING -> r.emit(STRING, leaf(r, path, Kind.STRING, t, info), f, 0);
            case JfrMetadata.CHAR -> r.emit(CHAR, leaf(r, path, Kind.STRING, t, info), f, 0);
            case JfrMetadata.BOOLEAN -> r.emit(NUMBER, leaf(r, path, Kind.BOOLEAN, t, info), f, 0);
            case JfrMetadata.FLOAT, JfrMetadata.DOUBLE -> r.emit(NUMBER, leaf(r, path, Kind.DOUBLE, t, info), f, 0); // a float as its double's bits
            case JfrMetadata.STRUCT -> {
                if (depth >= MAX_DEPTH) {
                    r.emit(SKIP, -1, f, 0);
                    return;
                }
                boolean simple = infos.simpleTypes().contains(t);
                int at = r.program.size(), pool = r.rowOfKey.size();
                if (f.constantPool) {
                    r.emit(POOL_STRUCT, r.leaves.size(), f, pool);
                    r.rowOfKey.add(new LongIntMap());
                    r.poolTo.add(0);
                    r.poolCode.add(0);
                }
                for (Field child : t.fields) compile(r, child, simple ? path : path + "." + child.name, depth + 1);
                if (f.constantPool) {
                    r.emit(POOL_END, -1, f, pool);
                    r.poolTo.set(pool, r.leaves.size());
                    r.poolCode.set(pool, r.program.size() - at - W);
                }
            }
            default -> {
                String content = info == null ? null : info.contentType();
                String unit = info == null || info.unit() == null ? "" : info.unit();
                int column = leaf(r, path, Kind.LONG, t, info);
                if ("Timestamp".equals(content) && (unit.equals("TICKS") || unit.equals("MILLISECONDS_SINCE_EPOCH"))) {
                    r.emit(unit.equals("TICKS") ? TICKS : MILLIS, column, f, 0);
                } else if (c.compressed && !f.constantPool && f.timespan == 0 && t.encoding == JfrMetadata.LONG) {
                    r.emit(VAR, column, f, 0);
                } else {
                    r.emit(NUMBER, column, f, 0);
                }
            }
        }
    }

    private static int leaf(TypeRows r, String path, Kind kind, Type t, FieldInfo info) {
        r.leaves.add(new Leaf(path, kind, t.name, info));
        return r.leaves.size() - 1;
    }

    // ---- a type's columns, for the load's own tables (see Chunk.rowsFromStore and Chunk.eventsFromStore) ----

    /** The decoded rows of the type with this id (before {@link #pack}), or null when the metadata does not declare it. */
    TypeRows rows(long typeId) { return typeId >= 0 && typeId < IDS ? byId[(int) typeId] : farIds.get(typeId); }

    /** Per event of a tracked type ({@link #track}) decoded, in file order, the type's number. */
    IntList order;

    /** Keeps the file order of the type's rows, under this number, in {@link #order}. */
    void track(TypeRows r, int number) {
        r.tracked = number;
        if (order == null) order = new IntList(1024);
    }

    /** Whether the store keeps the column's numbers other than as read: times in ns since 1970. */
    static boolean converted(Leaf l) {
        return l.info != null && "Timestamp".equals(l.info.contentType());
    }

    /** Whether the column holds a string field's texts or a pool string's, as the load's decoder reads them. */
    static boolean plainText(TypeRows r, int column) {
        for (int i = 0; i < r.code.length; i += W) {
            if (r.code[i + 1] == column && (r.code[i] == STRING || r.code[i] == POOL_STRING)) return true;
        }
        return false;
    }

    int textCount() { return texts.size(); }

    String text(int index) { return texts.get(index); }

    /** The column of the top-level field {@code name} of that kind, or -1: absent, or {@code name} is null. */
    static int column(TypeRows r, String name, Kind kind) {
        if (name == null) return -1;
        for (int k = 0; k < r.leafArray.length; k++) if (r.leafArray[k].path.equals(name)) return r.leafArray[k].kind == kind ? k : -2;
        return -1;
    }

    /**
     * Whether the type's {@code startTime} column holds the load decoder's start: the field's ticks as ns since 1970
     * ({@link ChunkInput#epoch}), but for JFR's "none" and "forever", which it keeps as they are.
     */
    static boolean ticksStart(TypeRows r) {
        if (r.start < 0) return false;
        FieldInfo info = r.leafArray[r.start].info;
        return info != null && "Timestamp".equals(info.contentType()) && "TICKS".equals(info.unit());
    }

    /** Decodes the events that start at {@code at} (every event of the chunk but metadata and checkpoints); false when cancelled. */
    boolean decodeAll(int[] at) {
        for (TypeRows r : types) { // each type's columns allocated once, at the size the chunk's scan counted
            Long count = c.counts.get(r.type.name);
            r.expected = count == null ? 0 : (int) Math.min(count, at.length);
            int k = r.leafArray.length;
            r.longs = new long[k][];
            r.ints = new int[k][];
            for (int i = 0; i < k; i++) {
                if (r.leafArray[i].wide()) r.longs[i] = new long[r.expected];
                else r.ints[i] = new int[r.expected];
            }
        }
        for (int i = 0; i < at.length; i++) {
            int start = at[i];
            c.pos = start;
            int end = start + (int) c.varlong();
            long id = c.varlong();
            TypeRows r = id >= 0 && id < IDS ? byId[(int) id] : farIds.get(id);
            if (r == null) continue;
            try {
                run(r);
                if (c.pos > end) throw new IllegalArgumentException("fields run past the event");
                r.n++;
                if (r.tracked >= 0) order.add(r.tracked);
            } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                damaged++; // the row is written again by the next event of the type
                for (int p = 0; p < r.rowOf.length; p++) r.rowOf[p] = new LongIntMap(); // they may point at the row dropped
            }
            if ((i & 0xfff) == 0xfff && c.progress.isCancelled()) return false;
        }
        return true;
    }

    /**
     * Runs the type's program for its row {@link TypeRows#n}: the common instructions here, a number into a number
     * column or a key into a thread, stack or class column, the others in {@link #other}.
     */
    private void run(TypeRows r) {
        int[] code = r.code;
        long[][] longs = r.longs;
        int[][] ints = r.ints;
        Field[] fields = r.fields;
        Numbering[] refs = this.refs;
        int row = r.n;
        depth = 0;
        for (int i = 0; i < code.length; i += W) {
            int op = code[i];
            if (op > CLASS) {
                i = other(r, i, row);
                continue;
            }
            long v = op == VAR ? c.varlong() : c.number(fields[code[i + 2]]);
            int column = code[i + 1];
            switch (op) {
                case VAR, NUMBER -> longs[column][row] = v;
                case TICKS -> longs[column][row] = v == Long.MIN_VALUE || v == Long.MAX_VALUE ? v : c.epoch(v);
                default -> ints[column][row] = refs[op - THREAD].of(v);
            }
        }
    }

    /** The pool structs being decoded, innermost last: where the event (or the outer entry) goes on, and the key. */
    private final int[] returnTo = new int[MAX_DEPTH + 1];
    private final long[] entryKey = new long[MAX_DEPTH + 1];
    private int depth;

    /**
     * Runs one of the rarer instructions, at {@code i}, for row {@code row}: texts, arrays, pool structs, what is skipped.
     * Answers where the next instruction is less {@link #W}. The field's number is read in one place: each call of
     * {@link ChunkInput#number} is about 700 bytes of bytecode inlined.
     */
    private int other(TypeRows r, int i, int row) {
        int[] code = r.code;
        int op = code[i], column = code[i + 1];
        Field f = r.fields[code[i + 2]];
        switch (op) {
            case STRING -> r.ints[column][row] = string();
            case ARRAY -> r.ints[column][row] = array(f);
            case SKIP -> c.skip(f, 0);
            case POOL_END -> {
                c.pos = returnTo[--depth];
                r.rowOf[code[i + 3]].put(entryKey[depth], row);
            }
            default -> {
                long v = c.number(f);
                switch (op) {
                    case MILLIS -> r.longs[column][row] = v == Long.MIN_VALUE || v == Long.MAX_VALUE ? v : EventDecoder.millisToNanos(v);
                    case CHAR -> r.ints[column][row] = text(String.valueOf((char) v));
                    case POOL_STRING -> {
                        LongIntMap known = r.textOf[code[i + 3]];
                        int id = known.get(v);
                        if (id == -1) id = poolText(known, f, v);
                        r.ints[column][row] = id == Integer.MAX_VALUE ? -1 : id;
                    }
                    default -> {
                        return poolStruct(r, i, v, row);
                    }
                }
            }
        }
        return i;
    }

    /** A pool string's text index, decoded at the key's first event ({@code MAX_VALUE}: none; the map holds no negative value). */
    private int poolText(LongIntMap known, Field f, long key) {
        String s = c.poolText(f.type, key, 0);
        int id = s == null ? Integer.MAX_VALUE : text(s);
        known.put(key, id);
        return id;
    }

    private int array(Field f) {
        if (arrays == null) arrays = new EventDecoder(c, infos, Integer.MAX_VALUE);
        return text(render(arrays.value(f)));
    }

    /**
     * The pool struct of the instruction at {@code i} with this key: its fields decoded at the first event that refers to the
     * key (the program goes on at the entry, and comes back at {@link #POOL_END}), copied from that row for later ones.
     */
    private int poolStruct(TypeRows r, int i, long key, int row) {
        int pool = r.code[i + 3];
        int had = r.rowOf[pool].get(key);
        int at = had >= 0 ? -1 : c.offset(r.fields[r.code[i + 2]].type, key);
        if (at >= 0) {
            returnTo[depth] = c.pos;
            entryKey[depth++] = key;
            c.pos = at;
            return i;
        }
        for (int k = r.code[i + 1], to = r.poolTo.get(pool); k < to; k++) {
            long[] l = r.longs[k];
            if (l != null) l[row] = had >= 0 ? l[had] : 0;
            else r.ints[k][row] = had >= 0 ? r.ints[k][had] : r.leafArray[k].missing;
        }
        return i + r.poolCode.get(pool);
    }

    /** A string field's text index (-1: none): a string written out is known by its bytes, decoded only when new. */
    private int string() {
        int at = c.pos;
        byte encoding = c.data[at];
        if (encoding == 2) { // a reference to the string pool
            c.pos++;
            long key = c.varlong();
            int id = stringPoolIds.get(key);
            if (id == -1) {
                c.pos = at;
                String s = c.string();
                id = s == null ? Integer.MAX_VALUE : text(s);
                stringPoolIds.put(key, id);
            }
            return id == Integer.MAX_VALUE ? -1 : id;
        }
        if (encoding == 0) {
            c.pos++;
            return -1;
        }
        c.skipString();
        int end = c.pos;
        long h = JfrStreamReader.hashOf(c.data, at, end);
        int first = inlineIds.get(h);
        if (first >= 0 && java.util.Arrays.equals(c.data, inlineFrom.get(first), inlineTo.get(first), c.data, at, end)) return inlineText.get(first);
        return newString(at, end, h, first < 0);
    }

    /** A string written out at {@code [at, end)} not met before (or whose hash another has): decoded and numbered. */
    private int newString(int at, int end, long hash, boolean unhashed) {
        c.pos = at;
        int id = text(c.string());
        c.pos = end;
        if (unhashed) {
            inlineIds.put(hash, inlineFrom.size());
            inlineFrom.add(at);
            inlineTo.add(end);
            inlineText.add(id);
        }
        return id;
    }

    private int text(String s) {
        if (s == null) return -1;
        Integer id = textIds.get(s);
        if (id == null) {
            id = texts.size();
            texts.add(s);
            textIds.put(s, id);
        }
        return id;
    }

    /** An array value as text: {@code [a, b]}, a struct as {@code {field=value, ...}}, times and quantities as their numbers. */
    static String render(Object v) {
        StringBuilder sb = new StringBuilder();
        render(v, sb);
        return sb.toString();
    }

    private static void render(Object v, StringBuilder sb) {
        if (v instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) sb.append(", ");
                render(list.get(i), sb);
            }
            sb.append(']');
        } else if (v instanceof JfrEvents.Struct s) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : s.fields().entrySet()) {
                if (!first) sb.append(", ");
                first = false;
                sb.append(e.getKey()).append('=');
                render(e.getValue(), sb);
            }
            sb.append('}');
        } else if (v instanceof JfrEvents.Quantity q) {
            sb.append(q.value());
        } else if (v instanceof JfrEvents.Timestamp t) {
            sb.append(t.epochNanos());
        } else if (v instanceof JfrEvents.Timespan t) {
            sb.append(t.nanos());
        } else {
            sb.append(v);
        }
    }

    /**
     * Puts each type's rows in {@code jfr print}'s order (by end) and packs their columns, on the worker; texts become
     * their index + 1 (0: none), so that, as threads, stacks and classes, one map turns them into rows in {@link #apply}.
     */
    void pack() {
        for (TypeRows r : types) {
            int n = r.n;
            int[] order = n > 1 && r.start >= 0 ? byEnd(r.longs[r.start], r.duration < 0 ? null : r.longs[r.duration], n) : null;
            for (int k = 0; k < r.leafArray.length; k++) {
                Leaf l = r.leafArray[k];
                if (r.longs[k] != null) {
                    l.packed = PackedColumn.of(r.longs[k], n, order);
                } else {
                    if (l.missing != 0) increment(r.ints[k], n);
                    l.packed = PackedColumn.of(r.ints[k], n, order);
                }
            }
            r.longs = null;
            r.ints = null;
        }
    }

    // The loops over a type's rows are methods of their own: in pack, which runs once per chunk, the JIT compiled
    // them on the stack (OSR), pack twice per load.

    /** The rows in order of their end (start + duration, file order among equal ends). */
    private static int[] byEnd(long[] starts, long[] durations, int n) {
        long[] ends = new long[n];
        for (int i = 0; i < n; i++) ends[i] = JfrStreamReader.saturatedAdd(starts[i], durations == null ? 0 : Math.max(0, durations[i]));
        return ProfileBuilder.sortedOrder(ends);
    }

    private static void increment(int[] a, int n) {
        for (int i = 0; i < n; i++) a[i]++;
    }

    /**
     * Adds the chunk's rows to the store, with threads, stacks and classes (numbers + 1 in the chunk) mapped to their
     * rows in the builder by the given index arrays, texts (index + 1) by the builder's string indices.
     */
    void apply(ProfileBuilder b, int[] threadIndex, int[] stackIndex, int[] classIndex) {
        JfrEventStoreBuilder store = b.jfrEvents();
        int[] textIndex = new int[texts.size() + 1];
        textIndex[0] = -1;
        for (int i = 0; i < texts.size(); i++) textIndex[i + 1] = b.string(texts.get(i));
        for (TypeRows r : types) {
            TypeInfo t = r.info;
            JfrEventStoreBuilder.Type table = store.type(t.name(), t.label(), t.category(), t.description());
            table.id(t.id());
            int[] numbers = new int[r.leafArray.length];
            PackedColumn[] columns = new PackedColumn[numbers.length];
            int[][] maps = new int[numbers.length][];
            for (int k = 0; k < numbers.length; k++) {
                Leaf l = r.leafArray[k];
                FieldInfo info = l.info;
                numbers[k] = table.field(l.path, l.kind, l.type, info == null ? null : info.label(), info == null ? null : info.contentType(),
                        info == null ? null : info.unit(), info != null && info.unsigned());
                columns[k] = l.packed;
                maps[k] = switch (l.kind) {
                    case THREAD -> threadIndex;
                    case STACK -> stackIndex;
                    case CLASS -> classIndex;
                    case STRING, ARRAY -> textIndex;
                    default -> null;
                };
            }
            table.addRows(r.n, numbers, columns, maps);
        }
    }
}
