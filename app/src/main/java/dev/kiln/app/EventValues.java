// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.kiln.jfr.JfrEvents.Quantity;
import dev.kiln.jfr.JfrEvents.Struct;
import dev.kiln.jfr.JfrEvents.Timespan;
import dev.kiln.jfr.JfrEvents.Timestamp;
import dev.kiln.model.JfrValueText;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Writes the values of decoded JFR events ({@link dev.kiln.jfr.JfrEvents}): as JSON in the form of the JDK's {@code jfr
 * print --json} (a time as an ISO-8601 instant, a duration as ISO-8601 {@code PT…S}, every other number as a number,
 * structs as objects), or as text for people (units formatted, a thread, class, method or stack trace by name).
 */
final class EventValues {
    private EventValues() { }

    // ---- JSON, as jfr print --json ----

    static void json(JsonGenerator g, Object v) throws IOException {
        if (v == null) g.writeNull();
        else if (v instanceof Struct s) {
            g.writeStartObject();
            for (Map.Entry<String, Object> f : s.fields().entrySet()) {
                g.writeFieldName(f.getKey());
                json(g, f.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> list) {
            g.writeStartArray();
            for (Object e : list) json(g, e);
            g.writeEndArray();
        } else if (v instanceof Timestamp t) g.writeString(instant(t.epochNanos()));
        else if (v instanceof Timespan d) g.writeString(duration(d));
        else if (v instanceof Quantity q) json(g, q.value());
        else if (v instanceof Boolean b) g.writeBoolean(b);
        else if (v instanceof Long l) g.writeNumber(l);
        else if (v instanceof Float f) g.writeNumber(f);
        else if (v instanceof Double d) g.writeNumber(d);
        else if (v instanceof java.math.BigInteger b) g.writeNumber(b);
        else g.writeString(v.toString());
    }

    /** A timestamp as jfr print writes it: an instant, or the least and greatest date-times for JFR's "none" and "forever". */
    static String instant(long epochNanos) {
        if (epochNanos == Long.MIN_VALUE) return OffsetDateTime.MIN.toString();
        if (epochNanos == Long.MAX_VALUE) return OffsetDateTime.MAX.toString();
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L)).toString();
    }

    /**
     * A duration as the JDK 25 tool's jfr print writes it, ISO-8601: its "none" (the least long) as the least duration,
     * "forever" (the greatest) as {@link ChronoUnit#FOREVER}, PT2562047788015215H30M7.999999999S, whatever its unit.
     * (JDK 17's tool wrote the greatest value of the unit instead, for ms PT2562047788015H12M55.807S.)
     */
    static String duration(Timespan d) {
        long n = d.nanos();
        if (n == Long.MIN_VALUE) return Duration.ofSeconds(Long.MIN_VALUE).toString();
        if (n == Long.MAX_VALUE) return ChronoUnit.FOREVER.getDuration().toString();
        return Duration.ofNanos(n).toString();
    }

    // ---- text ----

    /** One event as a block of {@code field = value} lines, structs indented below their field. */
    static void text(StringBuilder out, String type, Struct values) {
        out.append(type).append(" {\n");
        fields(out, values, "  ");
        out.append("}\n");
    }

    private static void fields(StringBuilder out, Struct s, String indent) {
        for (Map.Entry<String, Object> f : s.fields().entrySet()) {
            Object v = f.getValue();
            out.append(indent).append(f.getKey()).append(" = ");
            if (v instanceof Struct st && st.type().equals("jdk.types.StackTrace")) {
                stack(out, st, indent + "  ");
            } else if (v instanceof Struct st && name(st) == null) {
                out.append("{\n");
                fields(out, st, indent + "  ");
                out.append(indent).append("}\n");
            } else if (v instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Struct) {
                out.append("[\n");
                for (Object e : list) {
                    String n = e instanceof Struct st ? name(st) : null;
                    if (n != null) {
                        out.append(indent).append("  ").append(n).append('\n');
                    } else if (e instanceof Struct st) {
                        out.append(indent).append("  {\n");
                        fields(out, st, indent + "    ");
                        out.append(indent).append("  }\n");
                    } else {
                        out.append(indent).append("  ").append(scalar(e)).append('\n');
                    }
                }
                out.append(indent).append("]\n");
            } else {
                out.append(scalar(v)).append('\n');
            }
        }
    }

    private static void stack(StringBuilder out, Struct st, String indent) {
        out.append("[\n");
        if (st.get("frames") instanceof List<?> frames) {
            for (Object f : frames) {
                if (!(f instanceof Struct frame)) continue;
                out.append(indent).append(frame(frame)).append('\n');
            }
        }
        if (Boolean.TRUE.equals(st.get("truncated"))) out.append(indent).append("...\n");
        out.append(indent, 0, Math.max(0, indent.length() - 2)).append("]\n");
    }

    /** A frame as "java.lang.Thread.run() line: 833". */
    static String frame(Struct frame) {
        String method = frame.get("method") instanceof Struct m ? method(m) : "<unknown>";
        Object line = frame.get("lineNumber");
        return method + (line instanceof Long l && l > 0 ? " line: " + l : "");
    }

    private static String method(Struct m) {
        String owner = m.get("type") instanceof Struct c ? className(c) : "";
        return (owner.isEmpty() ? "" : owner + ".") + m.get("name") + "()";
    }

    private static String className(Struct c) {
        return c.get("name") instanceof String n ? dev.kiln.jfr.JfrEvents.binaryName(n) : "";
    }

    /** How a struct of a well-known type reads for people (a thread, a class, a method, ...); null for any other. */
    static String name(Struct s) {
        return switch (s.type()) {
            case "java.lang.Thread" -> {
                Object j = s.get("javaName"), o = s.get("osName");
                Object id = s.get("javaThreadId") instanceof Long l && l > 0 ? l : s.get("osThreadId");
                yield "\"" + (j != null ? j : o) + "\" (" + (j != null ? "javaThreadId" : "osThreadId") + " = " + id + ")";
            }
            case "java.lang.Class" -> className(s);
            case "jdk.types.Method" -> method(s);
            case "jdk.types.StackFrame" -> frame(s);
            case "jdk.types.ClassLoader", "jdk.types.Module", "jdk.types.Package", "java.lang.ThreadGroup" ->
                    String.valueOf(s.get("name"));
            default -> null;
        };
    }

    static String scalar(Object v) {
        if (v == null) return "N/A";
        if (v instanceof Struct s) return name(s);
        if (v instanceof Timestamp t) return t.epochNanos() == Long.MIN_VALUE || t.epochNanos() == Long.MAX_VALUE ? "N/A" : instant(t.epochNanos());
        if (v instanceof Timespan d) return JfrValueText.timespan(d.nanos());
        if (v instanceof Quantity q) return JfrValueText.quantity(q.value(), q.contentType(), q.unit());
        if (v instanceof String s) return "\"" + s + "\"";
        if (v instanceof List<?> list) {
            StringBuilder b = new StringBuilder("[");
            for (Object e : list) b.append(b.length() == 1 ? "" : ", ").append(scalar(e));
            return b.append(']').toString();
        }
        return v.toString();
    }
}
