// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.alloc;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.KeyedSums;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.SampleTable;
import dev.kiln.model.StackTable;
import dev.kiln.model.ValueType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Heap allocations by allocated class and by allocation site, built in one pass over one sample table.
 * <p>
 * Sources, first found wins:
 * <ul>
 * <li>JFR {@code jdk.ObjectAllocationSample} (weight = bytes, class column); else the TLAB events
 *     ({@code jdk.ObjectAllocationInNewTLAB}/{@code OutsideTLAB}, weight = TLAB or object size). Columns:
 *     the bytes, then {@link #EVENTS} = number of events (the object count the recording can give);</li>
 * <li>pprof heap/allocs profiles: every allocation value type of the file, e.g. {@code alloc_objects/count,
 *     alloc_space/bytes, inuse_objects/count, inuse_space/bytes} (or {@code objects, space} of the legacy text
 *     form). They name no class: {@link #hasClasses()} is false and only the by-site view means something;</li>
 * <li>async-profiler's allocation pprof ({@code allocations/bytes}): its leaf frame is a synthetic frame naming the
 *     allocated type ({@code byte[]}, {@code java.lang.String}). In a profile produced by async-profiler, a leaf
 *     frame whose name looks like a Java type (no {@code /}, {@code (} or space, and either ending in {@code []}, or a
 *     hidden lambda class {@code ...$$Lambda...0x...}, or with a last dotted segment starting upper case, as class
 *     names do and method names do not) is taken as
 *     the class and dropped from the allocation stack. Not applied to other producers: Go names such as
 *     {@code fmt.Sprintf} would look like types.</li>
 * </ul>
 * The <em>site</em> of an allocation is the function of the leaf frame of its allocation stack (JFR's "top
 * frame"). Stacks are stack indices of the profile; cells are (class, stack) -> one sum per column.
 * The {@link Filter}'s thread and time conditions apply to rows that have a thread or a time.
 */
public final class Allocations {
    /** How rows are grouped. */
    public enum By { CLASS, SITE }

    /** The synthetic column counting allocation events (JFR). */
    public static final ValueType EVENTS = new ValueType("events", "count");

    /** Name of the class row of allocations whose class is not known. */
    public static final String UNKNOWN_CLASS = "<unknown class>";

    /** Name of the site row of allocations without a stack. */
    public static final String NO_STACK = "<no stack>";

    private static final Set<String> PPROF_KINDS = Set.of("alloc_objects", "alloc_space", "inuse_objects", "inuse_space",
            "objects", "space", "allocations");

    /** A class or a site with one value per column and its breakdown (sites of a class, classes at a site). */
    public record Row(String name, long[] values, List<Row> parts) { }

    /** An allocation stack (stack index of the profile) with one value per column. */
    public record StackRow(int stack, long[] values) { }

    private final Profile profile;
    private final String source;
    private final List<ValueType> valueTypes;
    private final boolean hasClasses;
    private final int defaultColumn;
    private final KeyedSums cells; // (class name string + 1, stack + 1) -> values
    private final long[] totals;
    private final int[] siteOfStack;

    private Allocations(Profile profile, String source, List<ValueType> valueTypes, boolean hasClasses,
                        int defaultColumn, KeyedSums cells, long[] totals) {
        this.profile = profile;
        this.source = source;
        this.valueTypes = List.copyOf(valueTypes);
        this.hasClasses = hasClasses;
        this.defaultColumn = defaultColumn;
        this.cells = cells;
        this.totals = totals;
        StackTable st = profile.stacks();
        siteOfStack = new int[st.size()];
        for (int s = 0; s < st.size(); s++) siteOfStack[s] = profile.functions().name(profile.frames().func(st.frame(s)));
    }

    /** The sample table with allocations, or null. */
    private static SampleTable tableOf(Profile p) {
        for (ValueType v : List.of(ValueType.ALLOC_BYTES, ValueType.TLAB_BYTES)) {
            SampleTable t = p.tableOf(v);
            if (t != null && t.size() > 0) return t;
        }
        for (SampleTable t : p.sampleTables()) {
            for (ValueType v : t.valueTypes()) if (PPROF_KINDS.contains(v.kind()) && t.size() > 0) return t;
        }
        return null;
    }

    /** Whether the profile holds allocations this analysis reads. */
    public static boolean applies(Profile p) { return tableOf(p) != null; }

    public static Allocations of(Profile p, Filter filter, ProgressSink progress) {
        SampleTable t = tableOf(p);
        if (t == null) throw new IllegalArgumentException("no allocation samples in " + p.sourceName());
        boolean jfr = t.valueTypes().contains(ValueType.ALLOC_BYTES) || t.valueTypes().contains(ValueType.TLAB_BYTES);
        List<ValueType> types = new ArrayList<>();
        List<Integer> columns = new ArrayList<>();
        for (int c = 0; c < t.valueTypes().size(); c++) {
            ValueType v = t.valueTypes().get(c);
            if (jfr || PPROF_KINDS.contains(v.kind())) {
                types.add(v);
                columns.add(c);
            }
        }
        if (jfr) types.add(EVENTS);
        int width = types.size();
        int[] col = columns.stream().mapToInt(Integer::intValue).toArray();
        boolean asprof = !jfr && (p.producer().startsWith("async-profiler")
                || p.comments().stream().anyMatch(c -> c.contains("async-profiler")));
        StackTable st = p.stacks();
        // Per stack, for async-profiler: -2 = not looked at, -1 = leaf is not a type, else class name string.
        int[] leafClass = asprof ? new int[st.size()] : null;
        if (asprof) Arrays.fill(leafClass, -2);
        // Without classes (pprof but async-profiler's) a cell is a stack: its row is found through an array by stack,
        // not a hash probe per sample (a big Go profile's samples each have a stack of their own).
        int[] rowOfStack = jfr || asprof ? null : new int[st.size() + 1]; // row + 1, 0 = none yet
        KeyedSums cells = new KeyedSums(width, rowOfStack == null ? 1024 : Math.min(t.size(), st.size() + 1));
        long[] totals = new long[width];
        boolean anyClass = false;
        for (int r = 0; r < t.size(); r++) {
            if ((r & 0xffff) == 0) progress.checkCancelled();
            if (!filter.acceptsThread(p, t.thread(r)) || !filter.acceptsTime(t.timeNanos(r))) continue;
            int stack = t.stack(r), cls = -1;
            if (jfr) {
                cls = t.clazz(r) < 0 ? -1 : p.classes().name(t.clazz(r));
            } else if (asprof && stack >= 0) {
                if (leafClass[stack] == -2) {
                    int name = p.functions().name(p.frames().func(st.frame(stack)));
                    leafClass[stack] = looksLikeJavaType(p.string(name)) ? name : -1;
                }
                cls = leafClass[stack];
                if (cls >= 0) stack = st.parent(stack);
            }
            anyClass |= cls >= 0;
            int row;
            if (rowOfStack != null) {
                if (rowOfStack[stack + 1] == 0) rowOfStack[stack + 1] = cells.append(KeyedSums.pack(0, stack + 1)) + 1;
                row = rowOfStack[stack + 1] - 1;
            } else {
                row = cells.row(KeyedSums.pack(cls + 1, stack + 1));
            }
            for (int c = 0; c < col.length; c++) {
                long v = t.value(col[c], r);
                cells.addAt(row, c, v);
                totals[c] += v;
            }
            if (jfr) {
                cells.addAt(row, width - 1, 1);
                totals[width - 1]++;
            }
        }
        int dflt = Math.max(0, types.indexOf(p.defaultValueType()));
        return new Allocations(p, t.name(), types, jfr || anyClass, dflt, cells, totals);
    }

    /** Whether a (async-profiler) frame name looks like a Java type rather than a method. */
    static boolean looksLikeJavaType(String name) {
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.indexOf('(') >= 0 || name.indexOf(' ') >= 0) return false;
        if (name.endsWith("[]")) return true;
        if (name.contains("$$Lambda") && name.matches(".*\\.0x[0-9a-fA-F]+")) return true; // hidden class
        String last = name.substring(name.lastIndexOf('.') + 1);
        return !last.isEmpty() && Character.isUpperCase(last.charAt(0));
    }

    /** The sample table read ({@code jdk.ObjectAllocationSample}, the TLAB table, {@code pprof}, {@code heap}). */
    public String source() { return source; }

    /** The columns of every row's values. */
    public List<ValueType> valueTypes() { return valueTypes; }

    /** The column to show first: JFR bytes, or the pprof file's default value type. */
    public int defaultColumn() { return defaultColumn; }

    /** Whether allocations name their class (JFR, async-profiler); Go heap profiles do not. */
    public boolean hasClasses() { return hasClasses; }

    /** Sum of one column over everything kept. */
    public long total(int column) { return totals[column]; }

    /**
     * Rows grouped by class or site, sorted by {@code column} (largest first, then name); each with its top
     * {@code parts} breakdown rows (sites of a class, classes at a site; {@code <= 0}: all). {@code top <= 0}: all.
     */
    public List<Row> top(By by, int column, int top, int parts) {
        KeyedSums groups = new KeyedSums(totals.length, 256), sub = new KeyedSums(totals.length, 1024);
        for (int r = 0; r < cells.size(); r++) {
            long key = cells.key(r);
            int cls = KeyedSums.high(key) - 1, site = siteOf(KeyedSums.low(key) - 1);
            int g = by == By.CLASS ? cls : site, other = by == By.CLASS ? site : cls;
            int gr = groups.row(g), sr = sub.row(KeyedSums.pack(gr, other));
            for (int c = 0; c < totals.length; c++) {
                groups.addAt(gr, c, cells.get(r, c));
                sub.addAt(sr, c, cells.get(r, c));
            }
        }
        List<List<Row>> partsOf = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) partsOf.add(new ArrayList<>());
        for (int r = 0; r < sub.size(); r++) {
            long key = sub.key(r);
            int other = KeyedSums.low(key);
            partsOf.get(KeyedSums.high(key)).add(new Row(name(by == By.CLASS ? By.SITE : By.CLASS, other), values(sub, r), List.of()));
        }
        List<Row> rows = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            rows.add(new Row(name(by, (int) groups.key(g)), values(groups, g), cut(sorted(partsOf.get(g), column), parts)));
        }
        return cut(sorted(rows, column), top);
    }

    /** The allocation stacks of one class (by name), largest {@code column} first. */
    public List<StackRow> stacksOfClass(String className, int column) {
        List<StackRow> out = new ArrayList<>();
        for (int r = 0; r < cells.size(); r++) {
            long key = cells.key(r);
            if (name(By.CLASS, KeyedSums.high(key) - 1).equals(className)) out.add(new StackRow(KeyedSums.low(key) - 1, values(cells, r)));
        }
        out.sort((a, b) -> a.values()[column] != b.values()[column] ? Long.compare(b.values()[column], a.values()[column])
                : Integer.compare(a.stack(), b.stack()));
        return out;
    }

    /** The classes allocated at one stack (stack index, -1 for none), largest {@code column} first. */
    public List<Row> classesAtStack(int stack, int column) {
        List<Row> out = new ArrayList<>();
        for (int r = 0; r < cells.size(); r++) {
            long key = cells.key(r);
            if (KeyedSums.low(key) - 1 == stack) out.add(new Row(name(By.CLASS, KeyedSums.high(key) - 1), values(cells, r), List.of()));
        }
        return sorted(out, column);
    }

    /**
     * One column per stack index (array as long as the profile's stack table), for all classes or only
     * {@code className} when not null: the input of a tree view.
     */
    public long[] stackWeights(int column, String className) {
        long[] out = new long[profile.stacks().size()];
        for (int r = 0; r < cells.size(); r++) {
            long key = cells.key(r);
            int stack = KeyedSums.low(key) - 1;
            if (stack < 0 || (className != null && !name(By.CLASS, KeyedSums.high(key) - 1).equals(className))) continue;
            out[stack] += cells.get(r, column);
        }
        return out;
    }

    private int siteOf(int stack) { return stack < 0 ? -1 : siteOfStack[stack]; }

    private String name(By by, int stringIndex) {
        if (stringIndex < 0) return by == By.CLASS ? UNKNOWN_CLASS : NO_STACK;
        return profile.string(stringIndex);
    }

    private static long[] values(KeyedSums s, int row) {
        long[] v = new long[s.width()];
        for (int c = 0; c < v.length; c++) v[c] = s.get(row, c);
        return v;
    }

    private static List<Row> sorted(List<Row> rows, int column) {
        rows.sort((a, b) -> a.values()[column] != b.values()[column] ? Long.compare(b.values()[column], a.values()[column])
                : a.name().compareTo(b.name()));
        return rows;
    }

    private static <T> List<T> cut(List<T> rows, int n) {
        return List.copyOf(n > 0 && rows.size() > n ? rows.subList(0, n) : rows);
    }
}
