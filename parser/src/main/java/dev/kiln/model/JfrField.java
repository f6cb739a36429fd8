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
    /**
     * The values, a part per chunk: part {@code p} holds rows {@code [starts[p], starts[p + 1])}, null when the chunk
     * gave none (every row {@link #missing}); an index's part holds the chunk's numbers, {@code maps[p]} turns them into rows.
     */
    private PackedColumn[] parts = new PackedColumn[2];
    private int[][] maps = new int[2][];
    private int[] starts = new int[2];
    private int partCount, size;

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
        return value(row);
    }

    public double doubleValue(int row) { return Double.longBitsToDouble(longValue(row)); }

    public boolean booleanValue(int row) { return longValue(row) != 0; }

    /** The row of the string, thread, stack or class table, -1 for none. */
    public int index(int row) {
        if (wide) throw new IllegalStateException(path + " is a " + kind + " column");
        return (int) value(row);
    }

    private long value(int row) {
        if (row < 0 || row >= size) throw new IndexOutOfBoundsException(row);
        int p = partCount == 1 ? 0 : part(row);
        PackedColumn c = parts[p];
        if (c == null) return missing();
        long v = c.get(row - starts[p]);
        int[] map = maps[p];
        return map == null ? v : map[(int) v];
    }

    /** The part that holds the row: the last that starts at or before it. */
    private int part(int row) {
        int lo = 0, hi = partCount - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= row) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /** Adds {@code n} rows: the values of {@code c} (through {@code map} for an index), or none when {@code c} is null. */
    void add(int n, PackedColumn c, int[] map) {
        if (n == 0) return;
        if (c != null && c.size() != n) throw new IllegalArgumentException(c.size() + " values for " + n + " rows");
        if (c == null && partCount > 0 && parts[partCount - 1] == null) { // rows of none after rows of none: one part
            size += n;
            return;
        }
        if (partCount == parts.length) {
            parts = java.util.Arrays.copyOf(parts, partCount * 2);
            maps = java.util.Arrays.copyOf(maps, partCount * 2);
            starts = java.util.Arrays.copyOf(starts, partCount * 2);
        }
        parts[partCount] = c;
        maps[partCount] = wide ? null : map;
        starts[partCount++] = size;
        size += n;
    }

    /** The maps of the index's parts (shared among the fields of a chunk), for {@link JfrEventStore#bytes}. */
    void maps(java.util.Set<int[]> into) {
        for (int p = 0; p < partCount; p++) if (maps[p] != null) into.add(maps[p]);
    }

    /** The value of a row the reader did not give: 0, or -1 (none) for an index. */
    long missing() { return wide ? 0 : -1; }

    int size() { return size; }

    /** Bytes the parts hold, about (the maps not counted: see {@link #maps}). */
    long bytes() {
        long b = 32L * parts.length + 32;
        for (int p = 0; p < partCount; p++) if (parts[p] != null) b += parts[p].bytes();
        return b;
    }

    @Override
    public String toString() { return path + " (" + kind + (contentType == null ? "" : ", " + contentType) + ")"; }
}
