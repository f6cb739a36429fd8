// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis;

import dev.kiln.model.Profile;
import dev.kiln.model.SampleTable;
import dev.kiln.model.StackTable;
import dev.kiln.model.ValueType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Self and total weight per function name for one value type, as pprof's {@code -top}: self counts the leaf
 * frame's function, total counts every function on the stack once per sample (recursion is not double
 * counted). Functions are grouped by qualified name.
 */
public final class FunctionTotals {
    /** One row of the table; {@code name} is the function's qualified name. */
    public record Row(String name, long self, long total) { }

    private final ValueType valueType;
    private final long grandTotal;
    private final List<Row> rows;

    private FunctionTotals(ValueType valueType, long grandTotal, List<Row> rows) {
        this.valueType = valueType;
        this.grandTotal = grandTotal;
        this.rows = rows;
    }

    public static FunctionTotals of(Profile profile, ValueType type) {
        SampleTable table = profile.tableOf(type);
        if (table == null) throw new IllegalArgumentException("no value type " + type + " in " + profile.sourceName());
        int column = table.valueTypes().indexOf(type);
        StackTable stacks = profile.stacks();
        int nameCount = profile.strings().size();
        // Per stack row: the function-name string of its frame.
        int[] stackName = new int[stacks.size()];
        for (int s = 0; s < stacks.size(); s++) {
            stackName[s] = profile.functions().name(profile.frames().func(stacks.frame(s)));
        }
        long[] self = new long[nameCount], total = new long[nameCount];
        int[] lastSeen = new int[nameCount];
        Arrays.fill(lastSeen, -1);
        long grand = 0;
        for (int r = 0; r < table.size(); r++) {
            long v = table.value(column, r);
            if (v == 0) continue;
            grand += v;
            int s = table.stack(r);
            if (s < 0) continue;
            self[stackName[s]] += v;
            for (; s >= 0; s = stacks.parent(s)) {
                int n = stackName[s];
                if (lastSeen[n] != r) {
                    lastSeen[n] = r;
                    total[n] += v;
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int n = 0; n < nameCount; n++) {
            if (self[n] != 0 || total[n] != 0) rows.add(new Row(profile.string(n), self[n], total[n]));
        }
        return new FunctionTotals(type, grand, rows);
    }

    public ValueType valueType() { return valueType; }

    /** Sum of the value over all samples. */
    public long grandTotal() { return grandTotal; }

    /** Rows sorted by self weight, then total, then name (pprof's -top order). */
    public List<Row> bySelf() {
        List<Row> r = new ArrayList<>(rows);
        r.sort(Comparator.comparingLong((Row x) -> -Math.abs(x.self())).thenComparingLong(x -> -Math.abs(x.total()))
                .thenComparing(Row::name));
        return r;
    }

    /** Rows sorted by total weight, then self, then name. */
    public List<Row> byTotal() {
        List<Row> r = new ArrayList<>(rows);
        r.sort(Comparator.comparingLong((Row x) -> -Math.abs(x.total())).thenComparingLong(x -> -Math.abs(x.self()))
                .thenComparing(Row::name));
        return r;
    }

    /** The row of a function, or null. */
    public Row row(String functionName) {
        for (Row r : rows) if (r.name().equals(functionName)) return r;
        return null;
    }
}
