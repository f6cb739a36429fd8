// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every event type a JFR recording declares, a {@link JfrEventTable} each, in the order the recording first declares
 * them: {@link Profile#jfrEvents()}. Empty for other formats and for a load of chosen event types only (the first
 * flame graph). Immutable.
 */
public final class JfrEventStore {
    /** The store of a profile without one. */
    public static final JfrEventStore EMPTY = new JfrEventStore(List.of());

    private final List<JfrEventTable> tables;
    private final Map<String, JfrEventTable> byName = new LinkedHashMap<>();

    JfrEventStore(List<JfrEventTable> tables) {
        this.tables = List.copyOf(tables);
        for (JfrEventTable t : tables) byName.put(t.name(), t);
    }

    public List<JfrEventTable> tables() { return tables; }

    /** The table of this event type ({@code jdk.GCHeapSummary}), or null when the recording does not declare it. */
    public JfrEventTable table(String typeName) { return byName.get(typeName); }

    public boolean isEmpty() { return tables.isEmpty(); }

    /** Bytes the columns hold, about. */
    public long bytes() {
        long b = 0;
        java.util.Set<int[]> maps = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (JfrEventTable t : tables) {
            b += t.bytes();
            for (JfrField f : t.fields()) f.maps(maps);
        }
        for (int[] m : maps) b += 16 + 4L * m.length;
        return b;
    }
}
