// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

/**
 * One column of a {@link JfrEventTable}: a field of a JFR event type, or a field of a struct inside it (a dotted
 * {@link #path} such as {@code heapSpace.committedSize}), typed from the recording's metadata. Read a row with the
 * accessor of its {@link #kind}: {@link #longValue} for {@link Kind#LONG} (times already in ns: a {@code Timestamp}
 * is ns since 1970, a {@code Timespan} ns; {@code Long.MIN_VALUE} and {@code Long.MAX_VALUE} are JFR's "none" and
 * "forever"), {@link #doubleValue} for {@link Kind#DOUBLE}, {@link #booleanValue} for {@link Kind#BOOLEAN}, and
 * {@link #index} for the others: a row of the same {@link Profile}'s {@code StringTable} ({@link Kind#STRING} and
 * {@link Kind#ARRAY}), {@code ThreadTable}, {@code StackTable} or {@code ClassTable}; -1 is none (a null string, a
 * pool reference the recording does not resolve, or a row of a chunk whose metadata lacks the field). Immutable.
 */
public final class JfrField {
    /** How a column's values are held and read. */
    public enum Kind {
        /** Integers of any width (and {@code char} codes are strings, see {@link #STRING}). */
        LONG,
        /** {@code float} and {@code double}. */
        DOUBLE,
        BOOLEAN,
        /** A text: a {@code String} field, a {@code char}, or a constant-pool type of one text field (symbols, GC names). */
        STRING,
        THREAD,
        STACK,
        CLASS,
        /** An array (other than a stack's frames), as a text rendering: {@code [a, b]}, structs as {@code {field=value, ...}}. */
        ARRAY
    }

    private final String path, label, type, contentType, unit;
    private final Kind kind;
    private final boolean unsigned;
    /** Whether the values are numbers ({@link #longValue}) rather than rows of a table ({@link #index}). */
    final boolean wide;
    final PackedColumn values = new PackedColumn();

    JfrField(String path, Kind kind, String type, String label, String contentType, String unit, boolean unsigned) {
        this.path = path;
        this.kind = kind;
        this.type = type;
        this.label = label;
        this.contentType = contentType;
        this.unit = unit;
        this.unsigned = unsigned;
        this.wide = kind == Kind.LONG || kind == Kind.DOUBLE || kind == Kind.BOOLEAN;
    }

    /** The field's path in the event: its name, or names joined by dots for the fields of a struct. */
    public String path() { return path; }

    public Kind kind() { return kind; }

    /** The JFR type the value has ({@code long}, {@code java.lang.String}, {@code jdk.types.GCWhen} ...). */
    public String type() { return type; }

    /** The field's label in the metadata, or null. */
    public String label() { return label; }

    /**
     * The content type the metadata gives ({@code Timespan}, {@code Timestamp}, {@code DataAmount}, {@code Percentage},
     * {@code Frequency}, {@code MemoryAddress}, ...), or null.
     */
    public String contentType() { return contentType; }

    /** The content type's unit as the metadata writes it ({@code BYTES}, {@code TICKS}, {@code NANOSECONDS} ...), or null. Times are ns whatever it says. */
    public String unit() { return unit; }

    /** Whether the metadata marks the number {@code @Unsigned}: read {@link #longValue} with {@link Long#toUnsignedString}. */
    public boolean unsigned() { return unsigned; }

    public long longValue(int row) {
        if (!wide) throw new IllegalStateException(path + " is a " + kind + " column");
        return values.get(row);
    }

    public double doubleValue(int row) { return Double.longBitsToDouble(longValue(row)); }

    public boolean booleanValue(int row) { return longValue(row) != 0; }

    /** The row of the string, thread, stack or class table, -1 for none. */
    public int index(int row) {
        if (wide) throw new IllegalStateException(path + " is a " + kind + " column");
        return (int) values.get(row);
    }

    /** The value of a row the reader did not give: 0, or -1 (none) for an index. */
    long missing() { return wide ? 0 : -1; }

    int size() { return values.size(); }

    long bytes() { return values.bytes(); }

    @Override
    public String toString() { return path + " (" + kind + (contentType == null ? "" : ", " + contentType) + ")"; }
}
