// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import dev.kiln.analysis.Filter;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.JfrEventTable;
import dev.kiln.model.JfrField;
import dev.kiln.model.JfrValueText;
import dev.kiln.model.Profile;
import dev.kiln.model.StackTable;

import java.util.Arrays;
import java.util.Locale;

/**
 * The rows of one event type of the JFR event store ({@link Profile#jfrEvents()}) that the Events page shows, as
 * {@code int} row numbers of its {@link JfrEventTable}, never an object per event: those in a filter, those with a
 * text, and their order by a column. Every result is a new array; the table's own order ({@code jfr print}'s) is
 * the order of a result unless it was sorted, and a sort keeps it among equal values.
 */
public final class EventRows {
    private static final int CHECK_EVERY = 1 << 16;

    private EventRows() { }

    /**
     * The rows in the filter's time range (an event with a duration: when it overlaps it; a type without a start
     * time: all) and, for a type with a thread, on its threads.
     */
    public static int[] inFilter(Profile p, JfrEventTable t, Filter f) {
        int n = t.size();
        boolean timed = t.field("startTime") != null && (f.fromNanos() != Long.MIN_VALUE || f.toNanos() != Long.MAX_VALUE);
        boolean threaded = (f.threadName() != null || f.threads() != null) && hasThread(t);
        int[] out = new int[n];
        int k = 0;
        for (int r = 0; r < n; r++) {
            if (timed) {
                long s = t.startNanos(r);
                if (s != Long.MIN_VALUE && !f.overlaps(s, t.durationNanos(r))) continue;
            }
            if (threaded && !f.acceptsThread(p, t.thread(r))) continue;
            out[k++] = r;
        }
        return k == n ? out : Arrays.copyOf(out, k);
    }

    /** How many rows {@link #inFilter} keeps, without the array. */
    public static int count(Profile p, JfrEventTable t, Filter f) {
        if (f.isNone() || t.size() == 0) return t.size();
        return inFilter(p, t, f).length;
    }

    /** Whether the type has a thread column ({@code sampledThread} or {@code eventThread}). */
    public static boolean hasThread(JfrEventTable t) {
        return kind(t.field("sampledThread")) == JfrField.Kind.THREAD || kind(t.field("eventThread")) == JfrField.Kind.THREAD;
    }

    private static JfrField.Kind kind(JfrField f) { return f == null ? null : f.kind(); }

    /**
     * The rows (of {@code rows}) with {@code text} in one of their cells as {@link JfrValueText#cell} writes it, or in
     * any frame of their stack trace; case ignored; a number's cell only for a text with a digit (so that "ms" finds
     * names, not every duration). Blank text keeps every row.
     */
    public static int[] matching(Profile p, JfrEventTable t, int[] rows, String text, ProgressSink progress) {
        if (text == null || text.isBlank()) return rows.clone();
        String needle = text.strip().toLowerCase(Locale.ROOT);
        boolean digits = needle.chars().anyMatch(Character::isDigit);
        int fields = t.fields().size();
        // Per column of names (strings, threads, classes, stacks) a memo by table row: 0 unknown, 1 no, 2 yes.
        byte[][] memo = new byte[fields][];
        int[] out = new int[rows.length];
        int k = 0;
        for (int i = 0; i < rows.length; i++) {
            if ((i & (CHECK_EVERY - 1)) == 0) progress.checkCancelled();
            int r = rows[i];
            for (int c = 0; c < fields; c++) {
                JfrField f = t.fields().get(c);
                boolean hit = switch (f.kind()) {
                    case LONG, DOUBLE -> digits && has(JfrValueText.cell(p, f, r), needle);
                    case BOOLEAN -> has(String.valueOf(f.booleanValue(r)), needle);
                    case STACK -> stackHas(p, f.index(r), needle, memo, c);
                    default -> {
                        int x = f.index(r);
                        if (x < 0) yield false;
                        if (memo[c] == null) memo[c] = new byte[tableSize(p, f.kind())];
                        if (memo[c][x] == 0) memo[c][x] = (byte) (has(JfrValueText.cell(p, f, r), needle) ? 2 : 1);
                        yield memo[c][x] == 2;
                    }
                };
                if (hit) {
                    out[k++] = r;
                    break;
                }
            }
        }
        return Arrays.copyOf(out, k);
    }

    private static boolean has(String s, String needle) { return s.toLowerCase(Locale.ROOT).contains(needle); }

    private static int tableSize(Profile p, JfrField.Kind kind) {
        return switch (kind) {
            case THREAD -> p.threads().size();
            case CLASS -> p.classes().size();
            default -> p.strings().size();
        };
    }

    /** Whether a frame of the stack has the text: each stack row is looked at once, its answer shared by its callees. */
    private static boolean stackHas(Profile p, int stack, String needle, byte[][] memo, int c) {
        if (stack < 0) return false;
        StackTable st = p.stacks();
        if (memo[c] == null) memo[c] = new byte[st.size()];
        byte[] m = memo[c];
        int s = stack;
        while (s >= 0 && m[s] == 0) {
            if (has(p.frameName(st.frame(s)), needle)) break;
            s = st.parent(s);
        }
        // s is now a frame that has it (m[s] unknown or yes), one known (m[s] != 0), or the root's parent (-1: no).
        byte answer = s < 0 ? 1 : m[s] == 0 ? 2 : m[s];
        if (s >= 0) m[s] = answer;
        for (int x = stack; x != s; x = st.parent(x)) m[x] = answer;
        return answer == 2;
    }

    /**
     * {@code rows} ordered by column {@code by}: numbers by value ({@code @Unsigned} ones without sign), texts,
     * threads, classes and stack traces (by top frame) by name, "none" first; equal values keep their order in
     * {@code rows}. Descending reverses the values, not the ties.
     */
    public static int[] sorted(Profile p, JfrEventTable t, int[] rows, JfrField by, boolean descending, ProgressSink progress) {
        int n = rows.length;
        long[] keys = new long[n];
        int m; // keys become ranks in [0, m)
        switch (by.kind()) {
            case LONG, BOOLEAN, DOUBLE -> {
                for (int i = 0; i < n; i++) {
                    long v = by.longValue(rows[i]);
                    // @Unsigned: flip the sign bit; a double's bits count down when negative: flip them to sort as longs
                    keys[i] = by.kind() == JfrField.Kind.DOUBLE ? v ^ ((v >> 63) & Long.MAX_VALUE) : by.unsigned() ? v ^ Long.MIN_VALUE : v;
                }
                progress.checkCancelled();
                long[] distinct = keys.clone();
                Arrays.sort(distinct);
                m = unique(distinct);
                for (int i = 0; i < n; i++) keys[i] = Arrays.binarySearch(distinct, 0, m, keys[i]);
            }
            default -> m = textRanks(p, by, rows, keys);
        }
        progress.checkCancelled();
        // (rank << 32 | position): one primitive sort orders by value, then by position, so equal values stay stable.
        long[] packed = new long[n];
        for (int i = 0; i < n; i++) packed[i] = (descending ? m - 1 - keys[i] : keys[i]) << 32 | i;
        Arrays.sort(packed);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = rows[(int) packed[i]];
        return out;
    }

    /**
     * Keys of a name column: the rank of each row's text among the column's distinct texts, "none" first (rank 0 when
     * present), equal texts one rank; returns the number of ranks. Ranks are found by table row (the strings, threads, classes or stacks).
     */
    private static int textRanks(Profile p, JfrField by, int[] rows, long[] keys) {
        int n = rows.length;
        boolean none = false;
        boolean[] seen = new boolean[by.kind() == JfrField.Kind.STACK ? p.stacks().size() : tableSize(p, by.kind())];
        int count = 0;
        for (int row : rows) {
            int x = by.index(row);
            if (x < 0) none = true;
            else if (!seen[x]) { seen[x] = true; count++; }
        }
        Integer[] distinct = new Integer[count];
        String[] text = new String[seen.length];
        for (int x = 0, k = 0; x < seen.length; x++) {
            if (!seen[x]) continue;
            distinct[k++] = x;
            text[x] = cellText(p, by, x);
        }
        Arrays.sort(distinct, (a, b) -> text[a].compareTo(text[b]));
        int first = none ? 1 : 0;
        int[] rankOf = new int[seen.length];
        int rank = first - 1;
        for (int r = 0; r < count; r++) {
            if (r == 0 || !text[distinct[r]].equals(text[distinct[r - 1]])) rank++; // equal names (two threads "main"): one rank
            rankOf[distinct[r]] = rank;
        }
        for (int i = 0; i < n; i++) {
            int x = by.index(rows[i]);
            keys[i] = x < 0 ? 0 : rankOf[x];
        }
        return rank + 1;
    }

    private static String cellText(Profile p, JfrField f, int index) {
        return switch (f.kind()) {
            case THREAD -> p.threadName(index);
            case CLASS -> p.className(index);
            case STACK -> p.frameName(p.stacks().frame(index));
            default -> p.string(index);
        };
    }

    private static int unique(long[] sorted) {
        int m = 0;
        for (int i = 0; i < sorted.length; i++) if (i == 0 || sorted[i] != sorted[i - 1]) sorted[m++] = sorted[i];
        return m;
    }
}
