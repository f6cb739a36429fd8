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
        return of(profile, table, new int[] {table.valueTypes().indexOf(type)}).get(0);
    }

    /**
     * The totals of every value type of {@code table}, in its order: one walk up each sample's stack serves them
     * all (a profile's value types share the samples, as pprof's do).
     */
    public static List<FunctionTotals> of(Profile profile, SampleTable table) {
        int[] columns = new int[table.valueTypes().size()];
        for (int c = 0; c < columns.length; c++) columns[c] = c;
        return of(profile, table, columns);
    }

    private static List<FunctionTotals> of(Profile profile, SampleTable table, int[] columns) {
        StackTable stacks = profile.stacks();
        int nameCount = profile.strings().size(), nc = columns.length;
        // Per stack row: the function-name string of its frame.
        int[] stackName = new int[stacks.size()];
        for (int s = 0; s < stacks.size(); s++) {
            stackName[s] = profile.functions().name(profile.frames().func(stacks.frame(s)));
        }
        int[] outer = outerFrames(stacks, stackName);
        int[] lastSeen = null; // without outer: the walk frame by frame, a name counted the first time a row meets it
        if (outer == null) {
            lastSeen = new int[nameCount];
            Arrays.fill(lastSeen, -1);
        }
        // Per name, the columns side by side: [name * nc + c].
        long[] self = new long[nameCount * nc], total = new long[nameCount * nc], grand = new long[nc], v = new long[nc];
        for (int r = 0; r < table.size(); r++) {
            boolean any = false;
            for (int c = 0; c < nc; c++) {
                v[c] = table.value(columns[c], r);
                grand[c] += v[c];
                any |= v[c] != 0;
            }
            int s = table.stack(r);
            if (!any || s < 0) continue;
            int at = stackName[s] * nc;
            for (int c = 0; c < nc; c++) self[at + c] += v[c];
            if (outer != null) {
                for (int a = outer[s]; a >= 0; ) {
                    at = stackName[a] * nc;
                    for (int c = 0; c < nc; c++) total[at + c] += v[c];
                    int up = stacks.parent(a);
                    a = up < 0 ? -1 : outer[up];
                }
                continue;
            }
            for (; s >= 0; s = stacks.parent(s)) {
                int n = stackName[s];
                if (lastSeen[n] != r) {
                    lastSeen[n] = r;
                    at = n * nc;
                    for (int c = 0; c < nc; c++) total[at + c] += v[c];
                }
            }
        }
        List<FunctionTotals> out = new ArrayList<>(nc);
        for (int c = 0; c < nc; c++) {
            List<Row> rows = new ArrayList<>();
            for (int n = 0; n < nameCount; n++) {
                long sf = self[n * nc + c], tt = total[n * nc + c];
                if (sf != 0 || tt != 0) rows.add(new Row(profile.string(n), sf, tt));
            }
            out.add(new FunctionTotals(table.valueTypes().get(columns[c]), grand[c], rows));
        }
        return out;
    }

    /**
     * A sample counts each name on its stack once: at the name's outermost frame there. A frame is the outermost of its
     * name on every stack through it when no caller has the name, so per stack row, {@code outer[s]} is the nearest
     * row at or above {@code s} that is such a frame: a sample steps from outer frame to outer frame, as many steps as
     * its stack has distinct names (a handful of 24 frames in a recursive Go profile), not frame by frame. Rows come after
     * their callers, so one pass makes it: a row's name is among its callers' exactly when it is the name of one of
     * the outer frames above it. Null when that pass would take more than a few steps per row (deep stacks of
     * distinct names, where it grows with the square of the depth): the caller then walks frame by frame.
     */
    private static int[] outerFrames(StackTable stacks, int[] stackName) {
        int[] outer = new int[stacks.size()];
        long budget = 16L * outer.length + 4096;
        for (int s = 0; s < outer.length; s++) {
            int up = stacks.parent(s), name = stackName[s];
            int a = up < 0 ? -1 : outer[up];
            while (a >= 0 && stackName[a] != name) {
                if (--budget < 0) return null;
                a = stacks.parent(a) < 0 ? -1 : outer[stacks.parent(a)];
            }
            outer[s] = a >= 0 ? outer[up] : s;
        }
        return outer;
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
