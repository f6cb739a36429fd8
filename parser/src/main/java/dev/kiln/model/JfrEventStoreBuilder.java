// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the {@link JfrEventStore} of a {@link ProfileBuilder} ({@link ProfileBuilder#jfrEvents()}): a reader declares
 * each type ({@link #type}), its columns ({@link Type#field}) and hands the rows over a chunk at a time
 * ({@link Type#addRows}). Built once, with the profile; the builder takes no rows after that.
 */
public final class JfrEventStoreBuilder {
    private final Map<String, Type> types = new LinkedHashMap<>();
    private boolean built;

    JfrEventStoreBuilder() { }

    /** The table of this event type, declared on first call (later calls keep the first label, category, description). */
    public Type type(String name, String label, List<String> category, String description) {
        if (built) throw new IllegalStateException("the profile is built");
        Type t = types.get(name);
        if (t == null) types.put(name, t = new Type(name, label == null ? name : label, category == null ? List.of() : category, description));
        return t;
    }

    public boolean isEmpty() { return types.isEmpty(); }

    JfrEventStore build() {
        built = true;
        if (types.isEmpty()) return JfrEventStore.EMPTY;
        List<JfrEventTable> tables = new ArrayList<>();
        for (Type t : types.values()) tables.add(new JfrEventTable(t.name, t.label, t.category, t.description, t.fields, t.size, t.id));
        return new JfrEventStore(tables);
    }

    /** One event type's columns while rows come in. */
    public final class Type {
        final String name, label, description;
        final List<String> category;
        final List<JfrField> fields = new ArrayList<>();
        final Map<String, JfrField> byPath = new LinkedHashMap<>();
        int size;
        long id = -1;

        Type(String name, String label, List<String> category, String description) {
            this.name = name;
            this.label = label;
            this.category = List.copyOf(category);
            this.description = description;
        }

        /** Notes the type's id in the recording's metadata (the first one given is kept). */
        public void id(long typeId) { if (id < 0) id = typeId; }

        /**
         * The number of the column of this path, added (with "none" in the rows so far) on first call. A path met
         * again with another kind keeps its first column: the answer is then -1, and that chunk's values are dropped.
         */
        public int field(String path, JfrField.Kind kind, String type, String label, String contentType, String unit, boolean unsigned) {
            JfrField f = byPath.get(path);
            if (f == null) {
                f = new JfrField(path, kind, type, label, contentType, unit, unsigned);
                f.add(size, null, null);
                byPath.put(path, f);
                fields.add(f);
            } else if (f.kind() != kind) {
                return -1;
            }
            return fields.indexOf(f);
        }

        /**
         * Adds {@code n} rows (a chunk's): {@code columns[k]} are the values of column {@code fieldNumbers[k]} (-1:
         * dropped), {@link JfrField.Kind#LONG} as is, DOUBLE as its bits, BOOLEAN as 0/1, the others as numbers that
         * {@code maps[k]} turns into rows of the string, thread, stack or class table (-1: none); a column not given
         * gets "none".
         */
        public void addRows(int n, int[] fieldNumbers, PackedColumn[] columns, int[][] maps) {
            if (built) throw new IllegalStateException("the profile is built");
            if (n == 0) return;
            boolean[] given = new boolean[fields.size()];
            for (int k = 0; k < fieldNumbers.length; k++) {
                int number = fieldNumbers[k];
                if (number < 0 || given[number]) continue;
                given[number] = true;
                fields.get(number).add(n, columns[k], maps[k]);
            }
            for (int i = 0; i < given.length; i++) if (!given[i]) fields.get(i).add(n, null, null);
            size += n;
        }

        public int size() { return size; }
    }
}
