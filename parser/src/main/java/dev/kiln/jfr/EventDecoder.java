// SPDX-License-Identifier: Apache-2.0
package dev.kiln.jfr;

import dev.kiln.jfr.JfrEvents.Event;
import dev.kiln.jfr.JfrEvents.FieldInfo;
import dev.kiln.jfr.JfrEvents.Quantity;
import dev.kiln.jfr.JfrEvents.Struct;
import dev.kiln.jfr.JfrEvents.Timespan;
import dev.kiln.jfr.JfrEvents.Timestamp;
import dev.kiln.jfr.JfrMetadata.Field;
import dev.kiln.jfr.JfrMetadata.Type;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the events of one type of one chunk field by field, as the chunk's metadata lays them out, into
 * {@link Struct}s ({@link JfrEvents#events} says what each value becomes). A constant-pool entry is decoded once per
 * chunk and shared by the events that refer to it. Off the load's path: the load decodes only the fields its
 * {@link EventPlan}s name, into columns.
 */
final class EventDecoder {
    private static final String STACK_TRACE = "jdk.types.StackTrace";
    /** How deep values may nest (a class's loader's class's loader ... takes a few levels each); deeper is a cycle or damage. */
    private static final int MAX_DEPTH = 64;

    private final Chunk c;
    private final JfrEvents.TypeInfos infos;
    private final int stackDepth;
    /** Per pool type: key → the decoded entry (a {@link #NULL} for one that decodes to null). */
    private final Map<Type, Map<Long, Object>> resolved = new IdentityHashMap<>();
    private final Map<Type, Field> wholeValue = new IdentityHashMap<>();
    private static final Object NULL = new Object();
    int damaged;

    EventDecoder(Chunk c, JfrEvents.TypeInfos infos, int stackDepth) {
        this.c = c;
        this.infos = infos;
        this.stackDepth = stackDepth;
    }

    /**
     * Decodes every event of type {@code t} in the chunk into {@code sink}, ordered by their end (start + duration;
     * equal ends in file order), as the JDK's parser hands a file's events to {@code jfr print}; false when the sink
     * asked to stop.
     */
    boolean decode(Type t, JfrEvents.Sink sink) {
        List<Event> events = new ArrayList<>();
        c.pos = ChunkScan.HEADER_SIZE;
        while (c.pos < c.size) {
            int start = c.pos;
            long length = c.varlong();
            long type = c.varlong();
            int end = start + (int) length;
            if (type == t.id) {
                try {
                    Struct values = struct(t, 0);
                    if (c.pos > end) throw new IllegalArgumentException("past the event's end");
                    events.add(event(t.name, values));
                } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                    damaged++;
                }
            }
            c.pos = end;
        }
        events.sort(java.util.Comparator.comparingLong(e -> JfrStreamReader.saturatedAdd(e.startNanos(), e.durationNanos())));
        for (Event e : events) if (!sink.accept(e)) return false;
        return true;
    }

    private static Event event(String type, Struct v) {
        long start = v.get("startTime") instanceof Timestamp ts ? ts.epochNanos() : Long.MIN_VALUE;
        long duration = v.get("duration") instanceof Timespan d ? d.nanos() : 0;
        Object thread = v.get("eventThread");
        if (thread == null) thread = v.get("sampledThread");
        String name = null;
        if (thread instanceof Struct s) {
            name = s.get("javaName") instanceof String j ? j : s.get("osName") instanceof String o ? o : null;
        }
        return new Event(type, start, duration, name, v);
    }

    private Struct struct(Type t, int depth) {
        if (depth > MAX_DEPTH) throw new IllegalArgumentException("type " + t.name + " nests too deep");
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Field f : t.fields) fields.put(f.name, field(f, t, depth));
        return new Struct(t.name, Collections.unmodifiableMap(fields));
    }

    /** The value of field {@code f} at the position (an array as a list), for {@link StoreDecoder}. */
    Object value(Field f) {
        return field(f, null, 0);
    }

    private Object field(Field f, Type owner, int depth) {
        if (!f.array) return one(f, depth);
        long n = c.compressed ? c.varlong() : c.fixed(4);
        if (n < 0 || n > c.size - c.pos) throw new IllegalArgumentException("an array of " + n + " elements");
        long keep = owner != null && owner.name.equals(STACK_TRACE) && f.name.equals("frames") ? Math.min(n, stackDepth) : n;
        List<Object> list = new ArrayList<>((int) Math.min(keep, 1024));
        for (long i = 0; i < keep; i++) list.add(one(f, depth));
        if (keep < n) {
            int[] program = f.constantPool ? null : c.skipProgram(f.type);
            for (long i = keep; i < n; i++) {
                if (program == null) c.number(f);
                else c.run(program, 0, program.length);
            }
        }
        return Collections.unmodifiableList(list);
    }

    private Object one(Field f, int depth) {
        if (f.constantPool) return pooled(f.type, c.number(f), depth);
        return value(f, f.type, depth);
    }

    /** The pool entry of type {@code t} with this key, decoded once; null when the pool has no such key. */
    private Object pooled(Type t, long key, int depth) {
        if (t.encoding == JfrMetadata.STRING) return c.poolText(t, key, 0);
        Map<Long, Object> done = resolved.computeIfAbsent(t, k -> new HashMap<>());
        Object v = done.get(key);
        if (v != null) return v == NULL ? null : v;
        int at = c.offset(t, key);
        if (at < 0) {
            done.put(key, NULL);
            return null;
        }
        int saved = c.pos;
        c.pos = at;
        try {
            v = t.encoding == JfrMetadata.STRUCT ? value(null, t, depth)
                    : value(wholeValue.computeIfAbsent(t, k -> withType(new Field("", k.id, false, false), k)), t, depth);
        } finally {
            c.pos = saved;
        }
        done.put(key, v == null ? NULL : v);
        return v;
    }

    private static Field withType(Field f, Type t) {
        f.type = t;
        return f;
    }

    /** A value of type {@code t} at the position, of field {@code f} (null for a pool entry's struct). */
    private Object value(Field f, Type t, int depth) {
        switch (t.encoding) {
            case JfrMetadata.STRING:
                return c.string();
            case JfrMetadata.BOOLEAN:
                return c.data[c.pos++] != 0;
            case JfrMetadata.FLOAT:
                return quantity(f, (float) Double.longBitsToDouble(c.number(f)));
            case JfrMetadata.DOUBLE:
                return quantity(f, Double.longBitsToDouble(c.number(f)));
            case JfrMetadata.CHAR:
                return String.valueOf((char) c.number(f));
            case JfrMetadata.STRUCT: {
                // a type the metadata calls simple (one field) is that field's value, as jfr print shows it: a symbol is its text
                if (infos.simpleTypes().contains(t)) return field(t.fields.get(0), t, depth + 1);
                return struct(t, depth + 1);
            }
            default:
                return integer(f, c.number(f));
        }
    }

    private Object integer(Field f, long v) {
        FieldInfo info = f == null ? null : infos.fields().get(f);
        if (info == null) return v;
        if (info.contentType() == null) return unsigned(info, v);
        switch (info.contentType()) {
            case "Timespan":
                return new Timespan(v, info.unit()); // number() has made it ns
            case "Timestamp": {
                if (v == Long.MIN_VALUE || v == Long.MAX_VALUE) return new Timestamp(v);
                String unit = info.unit() == null ? "" : info.unit();
                return new Timestamp(switch (unit) {
                    case "TICKS" -> c.epoch(v);
                    case "MILLISECONDS_SINCE_EPOCH" -> millisToNanos(v);
                    default -> v;
                });
            }
            default:
                return new Quantity(unsigned(info, v), info.contentType(), info.unit());
        }
    }

    /** An {@code @Unsigned} long past the greatest signed one as the number it is, as jfr print writes it (2^63, not -2^63). */
    private static Number unsigned(FieldInfo info, long v) {
        return info.unsigned() && v < 0 ? new BigInteger(Long.toUnsignedString(v)) : (Number) v;
    }

    static long millisToNanos(long ms) {
        try {
            return Math.multiplyExact(ms, 1_000_000L);
        } catch (ArithmeticException e) {
            return ms < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private Object quantity(Field f, Number v) {
        FieldInfo info = f == null ? null : infos.fields().get(f);
        return info == null || info.contentType() == null ? v : new Quantity(v, info.contentType(), info.unit());
    }
}
