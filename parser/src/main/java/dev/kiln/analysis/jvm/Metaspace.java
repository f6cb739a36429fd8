// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import dev.kiln.analysis.Filter;
import dev.kiln.model.JfrEventTable;
import dev.kiln.model.Profile;

/**
 * The metaspace over time from a JFR recording's {@code jdk.MetaspaceSummary} events (one before and one after each
 * collection): used before and after GC, committed and reserved (of both), in bytes. Empty series without them.
 */
public record Metaspace(TimeSeries usedBefore, TimeSeries usedAfter, TimeSeries committed, TimeSeries reserved) {
    public static Metaspace of(Profile p) {
        JfrEventTable t = p.jfrEvents().table("jdk.MetaspaceSummary");
        return new Metaspace(StoreSeries.of(p, t, "metaspace.used", "Before GC", Filter.NONE, "Metaspace used before GC", "bytes"),
                StoreSeries.of(p, t, "metaspace.used", "After GC", Filter.NONE, "Metaspace used after GC", "bytes"),
                StoreSeries.of(p, t, "metaspace.committed", null, Filter.NONE, "Metaspace committed", "bytes"),
                StoreSeries.of(p, t, "metaspace.reserved", null, Filter.NONE, "Metaspace reserved", "bytes"));
    }

    public boolean isEmpty() { return committed.size() == 0; }
}
