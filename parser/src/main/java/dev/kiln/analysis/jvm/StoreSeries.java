// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import dev.kiln.analysis.Filter;
import dev.kiln.model.JfrEventTable;
import dev.kiln.model.JfrField;
import dev.kiln.model.Profile;

import java.util.Arrays;

/** Time series read from a JFR event store table: one numeric column at each event's start, sorted by start. */
final class StoreSeries {
    private StoreSeries() { }

    /**
     * {@code field} (a LONG or DOUBLE column) of the rows of {@code t} that start in the filter's range and whose
     * {@code when} is {@code when} (all rows for null); an empty series when the table or the column is missing.
     */
    static TimeSeries of(Profile p, JfrEventTable t, String field, String when, Filter filter, String label, String unit) {
        JfrField f = t == null ? null : t.field(field), w = t == null ? null : t.field("when");
        if (f == null || f.kind() != JfrField.Kind.LONG && f.kind() != JfrField.Kind.DOUBLE || when != null && w == null) {
            return new TimeSeries(label, unit, new long[0], new double[0]);
        }
        int n = 0;
        long[] times = new long[t.size()];
        double[] values = new double[t.size()];
        Integer[] order = new Integer[t.size()];
        for (int r = 0; r < t.size(); r++) {
            if (!filter.acceptsTime(t.startNanos(r))) continue;
            if (when != null && (w.index(r) < 0 || !when.equals(p.string(w.index(r))))) continue;
            order[n++] = r;
        }
        Arrays.sort(order, 0, n, (a, b) -> Long.compare(t.startNanos(a), t.startNanos(b))); // stable: equal starts in file order
        for (int i = 0; i < n; i++) {
            int r = order[i];
            times[i] = t.startNanos(r);
            values[i] = f.kind() == JfrField.Kind.DOUBLE ? f.doubleValue(r) : f.longValue(r);
        }
        return new TimeSeries(label, unit, Arrays.copyOf(times, n), Arrays.copyOf(values, n));
    }
}
