// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import dev.kiln.model.JfrEventTable;
import dev.kiln.model.JfrField;
import dev.kiln.model.Profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

    /** {@code field} of the rows whose {@code when} is {@code when} (all rows for null), sorted by start. */
    private static TimeSeries series(Profile p, JfrEventTable t, String label, String when, String field) {
        JfrField f = t == null ? null : t.field(field), w = t == null ? null : t.field("when");
        if (f == null || when != null && w == null) return new TimeSeries(label, "bytes", new long[0], new double[0]);
        List<long[]> rows = new ArrayList<>(); // (start, value)
        for (int r = 0; r < t.size(); r++) {
            if (when != null && (w.index(r) < 0 || !when.equals(p.string(w.index(r))))) continue;
            rows.add(new long[]{t.startNanos(r), f.longValue(r)});
        }
        rows.sort((a, b) -> Long.compare(a[0], b[0]));
        long[] times = new long[rows.size()];
        double[] values = new double[rows.size()];
        for (int i = 0; i < times.length; i++) { times[i] = rows.get(i)[0]; values[i] = rows.get(i)[1]; }
        return new TimeSeries(label, "bytes", times, Arrays.copyOf(values, values.length));
    }
}
