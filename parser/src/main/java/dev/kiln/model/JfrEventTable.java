// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events of one JFR event type, a column per field ({@link JfrField}), in the order {@code jfr print} lists them:
 * chunk after chunk, a chunk's events by their end (start + duration; equal ends in file order). A type the recording
 * declares but never wrote has 0 rows. Nested structs are columns with dotted paths ({@code heapSpace.committedSize});
 * a field whose type changed between chunks of one file keeps the first chunk's column. Immutable.
 */
public final class JfrEventTable {
    private final String name, label, description;
    private final List<String> category;
    private final List<JfrField> fields;
    private final Map<String, JfrField> byPath = new LinkedHashMap<>();
    private final int size;
    private final long id;
    private final JfrField start, duration, thread, stack;

    JfrEventTable(String name, String label, List<String> category, String description, List<JfrField> fields, int size, long id) {
        this.id = id;
        this.name = name;
        this.label = label;
        this.category = List.copyOf(category);
        this.description = description;
        this.fields = List.copyOf(fields);
        for (JfrField f : fields) byPath.put(f.path(), f);
        this.size = size;
        this.start = typed("startTime", JfrField.Kind.LONG);
        this.duration = typed("duration", JfrField.Kind.LONG);
        JfrField t = typed("sampledThread", JfrField.Kind.THREAD);
        this.thread = t != null ? t : typed("eventThread", JfrField.Kind.THREAD);
        this.stack = typed("stackTrace", JfrField.Kind.STACK);
    }

    private JfrField typed(String path, JfrField.Kind kind) {
        JfrField f = byPath.get(path);
        return f != null && f.kind() == kind ? f : null;
    }

    /** The type's name ({@code jdk.GarbageCollection}). */
    public String name() { return name; }

    /** The type's id in the recording's metadata (what {@code jdk.ActiveSetting}'s {@code id} names), -1 when unknown. */
    public long id() { return id; }

    /** Its label ({@code Garbage Collection}), the name when the metadata has none. */
    public String label() { return label; }

    /** Its category path, outermost first ({@code Java Virtual Machine, GC, Collector}). */
    public List<String> category() { return category; }

    /** Its description, or null. */
    public String description() { return description; }

    /** Rows: as many as {@code jfr summary} counts. */
    public int size() { return size; }

    /** The columns in the order the metadata declares the fields (a struct's in place of it). */
    public List<JfrField> fields() { return fields; }

    /** The column of this path ({@code gcId}, {@code heapSpace.committedSize}), or null. */
    public JfrField field(String path) { return byPath.get(path); }

    /** The event's start, ns since 1970 ({@code Long.MIN_VALUE} when the type has no start time). */
    public long startNanos(int row) { return start == null ? Long.MIN_VALUE : start.longValue(row); }

    /** The event's duration in ns, 0 when the type has none. */
    public long durationNanos(int row) { return duration == null ? 0 : Math.max(0, duration.longValue(row)); }

    /** The event's thread (its {@code sampledThread}, else {@code eventThread}) as a ThreadTable row, -1 for none. */
    public int thread(int row) { return thread == null ? -1 : thread.index(row); }

    /** The event's stack trace as a StackTable row (leaf), -1 for none. */
    public int stack(int row) { return stack == null ? -1 : stack.index(row); }

    long bytes() {
        long b = 0;
        for (JfrField f : fields) b += f.bytes();
        return b;
    }

    @Override
    public String toString() { return name + " (" + size + " events, " + fields.size() + " fields)"; }
}
