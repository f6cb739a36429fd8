// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import dev.kiln.analysis.Filter;
import dev.kiln.model.JfrEventTable;
import dev.kiln.model.Profile;


/**
 * The Java heap over time from a JFR recording's {@code jdk.GCHeapSummary} events (two per collection): the heap used
 * before and after each collection and the committed heap, as JMC's Memory page charts them; and the metaspace used
 * from {@code jdk.MetaspaceSummary}. Empty series when the recording has none (or was loaded without its event store).
 */
public record HeapSeries(TimeSeries usedBefore, TimeSeries usedAfter, TimeSeries committed, TimeSeries metaspaceUsed) {
    public static HeapSeries of(Profile p) {
        JfrEventTable t = p.jfrEvents().table("jdk.GCHeapSummary");
        TimeSeries before = series(p, t, "Used before GC", "Before GC", "heapUsed");
        TimeSeries after = series(p, t, "Used after GC", "After GC", "heapUsed");
        TimeSeries committed = series(p, t, "Heap committed", null, "heapSpace.committedSize");
        TimeSeries meta = series(p, p.jfrEvents().table("jdk.MetaspaceSummary"), "Metaspace used", "After GC", "metaspace.used");
        return new HeapSeries(before, after, committed, meta);
    }

    public boolean isEmpty() { return usedAfter.size() == 0 && usedBefore.size() == 0; }

    private static TimeSeries series(Profile p, JfrEventTable t, String label, String when, String field) {
        return StoreSeries.of(p, t, field, when, Filter.NONE, label, "bytes");
    }
}
