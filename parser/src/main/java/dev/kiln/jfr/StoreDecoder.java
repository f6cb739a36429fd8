// SPDX-License-Identifier: Apache-2.0
package dev.kiln.jfr;

import dev.kiln.jfr.JfrEvents.FieldInfo;
import dev.kiln.jfr.JfrEvents.TypeInfo;
import dev.kiln.jfr.JfrMetadata.Field;
import dev.kiln.jfr.JfrMetadata.Type;
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
 * the rest and land in the same tables. Per type a tree of {@link Node}s mirrors the metadata: numbers, booleans and
 * texts are columns; threads, stack traces and classes are keys numbered by the chunk; a struct's fields are columns of
 * dotted paths, inline or from its constant pool (a pool entry is decoded once per chunk, later events copy its
 * values); a type the metadata calls simple is its one field; an array is a text rendering ({@link EventDecoder}'s
 * value). On the loading thread {@link #apply} hands the columns to the builder, each type's rows in {@code jfr print}'s
 * order (by end).
 */
final class StoreDecoder {
    /** Struct levels flattened into columns; deeper values are skipped. */
    private static final int MAX_DEPTH = 4;
    private static final int IDS = 4096;

    private static final int NUMBER = 0, FLOATING = 1, TICKS = 2, MILLIS = 3, CHAR = 4, STRING = 5, POOL_STRING = 6, THREAD = 7,
            STACK = 8, CLASS = 9, ARRAY = 10, STRUCT = 11, POOL_STRUCT = 12, SKIP = 13;

    /** A column of the chunk: a leaf of the tree. */
    static final class Leaf {
        final String path, type;
        final Kind kind;
        final FieldInfo info;
        final int missing;
        long[] longs;
        int[] ints;
        int n;
        /** The values in the store's order, packed by {@link #pack} (which lets go of {@link #longs} and {@link #ints}). */
        PackedColumn packed;

        Leaf(String path, Kind kind, String type, FieldInfo info) {
            this.path = path;
            this.kind = kind;
            this.type = type;
            this.info = info;
            boolean wide = kind == Kind.LONG || kind == Kind.DOUBLE || kind == Kind.BOOLEAN;
            missing = kind == Kind.THREAD || kind == Kind.STACK || kind == Kind.CLASS ? 0 : -1;
            if (wide) longs = new long[16];
            else ints = new int[16];
        }

        void add(long v) {
            if (longs != null) {
                if (n == longs.length) longs = java.util.Arrays.copyOf(longs, n * 2);
                longs[n++] = v;
            } else {
                if (n == ints.length) ints = java.util.Arrays.copyOf(ints, n * 2);
                ints[n++] = (int) v;
            }
        }

        void none() { add(longs != null ? 0 : missing); }

        long get(int row) { return longs != null ? longs[row] : ints[row]; }

        /** Room for {@code rows} values in all, so that a chunk's column is allocated once. */
        void reserve(int rows) {
            if (longs != null && longs.length < rows) longs = java.util.Arrays.copyOf(longs, rows);
            else if (ints != null && ints.length < rows) ints = java.util.Arrays.copyOf(ints, rows);
        }
    }

    /** How one field is read, and where its value goes. */
    static final class Node {
        final Field f;
        final int op;
        Leaf leaf;
        Node[] children;
        /** The leaves under a struct node, {@code [leafFrom, leafTo)} of its type's leaves. */
        int leafFrom, leafTo;
        /** A pool struct's key → the row that holds its values (decoded once per chunk). */
        LongIntMap rowOfKey;
        /** A pool string's key → its text's index ({@link #text}), shared by the fields of one pool type. */
        LongIntMap textOfKey;

        Node(Field f, int op) {
            this.f = f;
            this.op = op;
        }
    }

    /** One event type's plan and rows in this chunk. */
    static final class TypeRows {
        final Type type;
        final TypeInfo info;
        final List<Leaf> leaves = new ArrayList<>();
        Leaf[] leafArray;
        Node[] nodes;
        int n, expected;
        Leaf start, duration;
        final List<Node> pools = new ArrayList<>();

        TypeRows(Type type, TypeInfo info) {
            this.type = type;
            this.info = info;
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
    private EventDecoder arrays;
    int damaged;

    StoreDecoder(Chunk c) {
        this.c = c;
        this.infos = JfrEvents.TypeInfos.of(c.meta);
        for (TypeInfo t : infos.eventTypes()) {
            Type type = c.meta.types.get(t.id());
            if (type == null) continue;
            TypeRows r = new TypeRows(type, t);
            List<Node> nodes = new ArrayList<>();
            for (Field f : type.fields) nodes.add(node(r, f, f.name, 0));
            r.nodes = nodes.toArray(new Node[0]);
            r.leafArray = r.leaves.toArray(new Leaf[0]);
            for (Leaf l : r.leaves) {
                if (l.path.equals("startTime") && l.kind == Kind.LONG) r.start = l;
                if (l.path.equals("duration") && l.kind == Kind.LONG) r.duration = l;
            }
            types.add(r);
            if (type.id >= 0 && type.id < IDS) byId[(int) type.id] = r;
            else farIds.put(type.id, r);
        }
    }

    private Node node(TypeRows r, Field f, String path, int depth) {
        FieldInfo info = infos.fields().get(f);
        Type t = f.type;
        if (f.array) return leaf(r, new Node(f, ARRAY), path, Kind.ARRAY, t, info);
        if (f.constantPool) {
            if (t == c.threadType) return leaf(r, new Node(f, THREAD), path, Kind.THREAD, t, info);
            if (t == c.stackType) return leaf(r, new Node(f, STACK), path, Kind.STACK, t, info);
            if (t == c.classType) return leaf(r, new Node(f, CLASS), path, Kind.CLASS, t, info);
            if (t.encoding == JfrMetadata.STRING || (infos.simpleTypes().contains(t) && t.fields.get(0).type.encoding == JfrMetadata.STRING
                    && !t.fields.get(0).constantPool)) {
                Node n = new Node(f, POOL_STRING);
                n.textOfKey = pooledTexts.computeIfAbsent(t, k -> new LongIntMap());
                return leaf(r, n, path, Kind.STRING, t, info);
            }
        }
        switch (t.encoding) {
            case JfrMetadata.STRING:
                return leaf(r, new Node(f, STRING), path, Kind.STRING, t, info);
            case JfrMetadata.CHAR:
                return leaf(r, new Node(f, CHAR), path, Kind.STRING, t, info);
            case JfrMetadata.BOOLEAN:
                return leaf(r, new Node(f, NUMBER), path, Kind.BOOLEAN, t, info);
            case JfrMetadata.FLOAT, JfrMetadata.DOUBLE:
                return leaf(r, new Node(f, FLOATING), path, Kind.DOUBLE, t, info);
            case JfrMetadata.STRUCT: {
                if (depth >= MAX_DEPTH) return new Node(f, SKIP);
                Node n = new Node(f, f.constantPool ? POOL_STRUCT : STRUCT);
                boolean simple = infos.simpleTypes().contains(t);
                n.leafFrom = r.leaves.size();
                n.children = new Node[t.fields.size()];
                for (int i = 0; i < n.children.length; i++) {
                    Field child = t.fields.get(i);
                    n.children[i] = node(r, child, simple ? path : path + "." + child.name, depth + 1);
                }
                n.leafTo = r.leaves.size();
                if (f.constantPool) {
                    n.rowOfKey = new LongIntMap();
                    r.pools.add(n);
                }
                return n;
            }
            default: {
                String content = info == null ? null : info.contentType();
                String unit = info == null || info.unit() == null ? "" : info.unit();
                int op = "Timestamp".equals(content) ? unit.equals("TICKS") ? TICKS : unit.equals("MILLISECONDS_SINCE_EPOCH") ? MILLIS : NUMBER : NUMBER;
                return leaf(r, new Node(f, op), path, Kind.LONG, t, info);
            }
        }
    }

    private static Node leaf(TypeRows r, Node n, String path, Kind kind, Type t, FieldInfo info) {
        n.leaf = new Leaf(path, kind, t.name, info);
        r.leaves.add(n.leaf);
        return n;
    }

    /** Decodes the events that start at {@code at} (every event of the chunk but metadata and checkpoints); false when cancelled. */
    boolean decodeAll(int[] at) {
        for (int start : at) { // count each type's events first: its columns are then allocated once, at their size
            c.pos = start;
            c.varlong();
            long id = c.varlong();
            TypeRows r = id >= 0 && id < IDS ? byId[(int) id] : farIds.get(id);
            if (r != null) r.expected++;
        }
        for (TypeRows r : types) for (Leaf l : r.leafArray) l.reserve(r.expected);
        for (int i = 0; i < at.length; i++) {
            int start = at[i];
            c.pos = start;
            int end = start + (int) c.varlong();
            long id = c.varlong();
            TypeRows r = id >= 0 && id < IDS ? byId[(int) id] : farIds.get(id);
            if (r == null) continue;
            try {
                for (Node n : r.nodes) read(r, n);
                if (c.pos > end) throw new IllegalArgumentException("fields run past the event");
                r.n++;
            } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                damaged++;
                for (Leaf l : r.leaves) l.n = Math.min(l.n, r.n);
                for (Node p : r.pools) p.rowOfKey = new LongIntMap(); // they may point at the row dropped
            }
            if ((i & 0xfff) == 0xfff && c.progress.isCancelled()) return false;
        }
        return true;
    }

    private void read(TypeRows r, Node n) {
        Field f = n.f;
        switch (n.op) {
            case NUMBER -> n.leaf.add(c.number(f));
            case FLOATING -> {
                long bits = c.number(f); // a float comes back as its double's bits
                n.leaf.add(bits);
            }
            case TICKS -> {
                long v = c.number(f);
                n.leaf.add(v == Long.MIN_VALUE || v == Long.MAX_VALUE ? v : c.epoch(v));
            }
            case MILLIS -> {
                long v = c.number(f);
                n.leaf.add(v == Long.MIN_VALUE || v == Long.MAX_VALUE ? v : EventDecoder.millisToNanos(v));
            }
            case CHAR -> n.leaf.add(text(String.valueOf((char) c.number(f))));
            case STRING -> n.leaf.add(text(c.string()));
            case POOL_STRING -> {
                long key = c.number(f);
                LongIntMap known = n.textOfKey;
                int id = known.get(key);
                if (id == -1) {
                    String s = c.poolText(f.type, key, 0);
                    id = s == null ? Integer.MAX_VALUE : text(s); // MAX_VALUE: no text (the map holds no negative value)
                    known.put(key, id);
                }
                n.leaf.add(id == Integer.MAX_VALUE ? -1 : id);
            }
            case THREAD -> n.leaf.add(c.threads.of(c.number(f)));
            case STACK -> n.leaf.add(c.stacks.of(c.number(f)));
            case CLASS -> n.leaf.add(c.classes.of(c.number(f)));
            case ARRAY -> {
                if (arrays == null) arrays = new EventDecoder(c, infos, Integer.MAX_VALUE);
                n.leaf.add(text(render(arrays.value(f))));
            }
            case STRUCT -> {
                for (Node child : n.children) read(r, child);
            }
            case POOL_STRUCT -> pooled(r, n);
            default -> {
                if (f.constantPool) c.number(f);
                else c.skip(f, 0);
            }
        }
    }

    /** A struct from its pool: its values decoded at the first event that refers to the key, copied for later ones. */
    private void pooled(TypeRows r, Node n) {
        long key = c.number(n.f);
        int row = n.rowOfKey.get(key);
        int at = row >= 0 ? -1 : c.offset(n.f.type, key);
        if (row >= 0 || at < 0) {
            for (int i = n.leafFrom; i < n.leafTo; i++) {
                Leaf l = r.leafArray[i];
                if (row >= 0) l.add(l.get(row));
                else l.none();
            }
            return;
        }
        int saved = c.pos;
        c.pos = at;
        try {
            for (Node child : n.children) read(r, child);
        } finally {
            c.pos = saved;
        }
        n.rowOfKey.put(key, r.n);
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
            int[] order = null;
            if (n > 1 && r.start != null) {
                long[] ends = new long[n];
                for (int i = 0; i < n; i++) {
                    long d = r.duration == null ? 0 : Math.max(0, r.duration.longs[i]);
                    ends[i] = JfrStreamReader.saturatedAdd(r.start.longs[i], d);
                }
                order = ProfileBuilder.sortedOrder(ends);
            }
            for (Leaf l : r.leafArray) {
                if (l.longs != null) {
                    l.packed = PackedColumn.of(l.longs, n, order);
                } else {
                    if (l.missing != 0) for (int i = 0; i < n; i++) l.ints[i]++;
                    l.packed = PackedColumn.of(l.ints, n, order);
                }
                l.longs = null;
                l.ints = null;
            }
        }
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
