// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import dev.kiln.analysis.Filter;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.FrameKind;
import dev.kiln.model.JfrEventStoreBuilder;
import dev.kiln.model.JfrEventTable;
import dev.kiln.model.JfrField;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileBuilder;
import dev.kiln.model.SourceFormat;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The Events page's rows on a small hand-made event type (times, durations, an unsigned number, a double, a text, a
 * thread, a stack), and the order of a big one.
 */
class EventRowsTest {
    static final long T0 = 1_000_000_000_000L;

    /** Rows: start T0 + {0, 1, 2, 3, 4} s, durations {0.5, 0, 2, 0, 0} s, ... */
    static Profile small() {
        ProfileBuilder b = new ProfileBuilder(SourceFormat.JFR, "small.jfr").timeSpan(T0, 10_000_000_000L);
        int main = b.thread(1, "main", 1, 1, false), worker = b.thread(2, "worker", 2, 2, false);
        int run = b.frame(b.function("App.run", "App", "App.java"), 3, 0, FrameKind.JIT, 0);
        int read = b.frame(b.function("java.io.FileInputStream.read", "java.io.FileInputStream", ""), 0, 0, FrameKind.JIT, 0);
        int work = b.frame(b.function("App.work", "App", "App.java"), 9, 0, FrameKind.JIT, 0);
        int sRun = b.stack(-1, run), sRead = b.stack(sRun, read), sWork = b.stack(sRun, work);
        JfrEventStoreBuilder.Type t = b.jfrEvents().type("test.Event", "Test", List.of("Test"), null);
        int[] fields = {
                t.field("startTime", JfrField.Kind.LONG, "long", "Start Time", "Timestamp", "TICKS", false),
                t.field("duration", JfrField.Kind.LONG, "long", "Duration", "Timespan", "TICKS", false),
                t.field("eventThread", JfrField.Kind.THREAD, "java.lang.Thread", "Thread", null, null, false),
                t.field("stackTrace", JfrField.Kind.STACK, "jdk.types.StackTrace", "Stack Trace", null, null, false),
                t.field("id", JfrField.Kind.LONG, "long", "Id", null, null, true),
                t.field("ratio", JfrField.Kind.DOUBLE, "double", "Ratio", "Percentage", null, false),
                t.field("name", JfrField.Kind.STRING, "java.lang.String", "Name", null, null, false),
        };
        long s = 1_000_000_000L;
        addRows(t, 5, fields, new Object[]{
                new long[]{T0, T0 + s, T0 + 2 * s, T0 + 3 * s, T0 + 4 * s},
                new long[]{s / 2, 0, 2 * s, 0, 0},
                new int[]{main, worker, main, -1, worker},
                new int[]{sRead, sWork, -1, sRun, sRead},
                new long[]{5, -1, 7, 5, 0},
                bits(0.5, -0.25, 0.0, 0.125, -2),
                new int[]{b.string("beta"), b.string("alpha"), -1, b.string("gamma"), b.string("alpha")},
        });
        return b.build();
    }

    /** Rows given as plain arrays (long[] values, int[] table rows, -1 none), packed as a chunk's are. */
    static void addRows(JfrEventStoreBuilder.Type t, int n, int[] fields, Object[] columns) {
        dev.kiln.model.PackedColumn[] packed = new dev.kiln.model.PackedColumn[columns.length];
        for (int k = 0; k < columns.length; k++) {
            packed[k] = columns[k] instanceof long[] l ? dev.kiln.model.PackedColumn.of(l, n, null) : dev.kiln.model.PackedColumn.of((int[]) columns[k], n, null);
        }
        t.addRows(n, fields, packed, new int[columns.length][]);
    }

    static long[] bits(double... d) {
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) out[i] = Double.doubleToLongBits(d[i]);
        return out;
    }

    static int[] all(JfrEventTable t) { return EventRows.inFilter(null, t, Filter.NONE); }

    @Test
    void filterKeepsEventsOverlappingTheRangeAndOnTheThreads() {
        Profile p = small();
        JfrEventTable t = p.jfrEvents().table("test.Event");
        assertArrayEquals(new int[]{0, 1, 2, 3, 4}, all(t));
        // [1.2 s, 3.5 s): row 1 (1 s, no duration) is out, row 2 (2..4 s) in, row 3 (3 s) in, row 0 (0..0.5 s) out
        Filter range = Filter.NONE.withTimeRange(T0 + 1_200_000_000L, T0 + 3_500_000_000L);
        assertArrayEquals(new int[]{2, 3}, EventRows.inFilter(p, t, range));
        assertArrayEquals(new int[]{0, 2}, EventRows.inFilter(p, t, Filter.NONE.withThreadName(Pattern.compile("^main$"))));
        assertArrayEquals(new int[]{1, 4}, EventRows.inFilter(p, t, Filter.NONE.withThreads(Set.of(1))));
    }

    @Test
    void textMatchesAnyCellOrAnyFrameIgnoringCase() {
        Profile p = small();
        JfrEventTable t = p.jfrEvents().table("test.Event");
        int[] rows = all(t);
        assertArrayEquals(new int[]{0, 4}, EventRows.matching(p, t, rows, "FileInputStream", ProgressSink.NONE), "a frame below the top");
        assertArrayEquals(new int[]{0, 1, 3, 4}, EventRows.matching(p, t, rows, "app.run", ProgressSink.NONE), "the root frame");
        assertArrayEquals(new int[]{1, 4}, EventRows.matching(p, t, rows, "ALPHA", ProgressSink.NONE));
        assertArrayEquals(new int[]{1, 4}, EventRows.matching(p, t, rows, "worker", ProgressSink.NONE));
        assertArrayEquals(new int[]{1}, EventRows.matching(p, t, rows, "18446744073709551615", ProgressSink.NONE), "-1 unsigned");
        assertArrayEquals(new int[]{1}, EventRows.matching(p, t, rows, "-25.00%", ProgressSink.NONE));
        assertArrayEquals(new int[]{2}, EventRows.matching(p, t, rows, "2.00 s", ProgressSink.NONE), "a duration as people read it");
        assertArrayEquals(rows, EventRows.matching(p, t, rows, " ", ProgressSink.NONE));
    }

    @Test
    void sortOrdersByValueOrNameAndKeepsTiesInOrder() {
        Profile p = small();
        JfrEventTable t = p.jfrEvents().table("test.Event");
        int[] rows = all(t);
        assertArrayEquals(new int[]{4, 3, 2, 1, 0}, EventRows.sorted(p, t, rows, t.field("startTime"), true, ProgressSink.NONE));
        // durations 0.5, 0, 2, 0, 0: ties (rows 1, 3, 4) stay in order, also descending
        assertArrayEquals(new int[]{1, 3, 4, 0, 2}, EventRows.sorted(p, t, rows, t.field("duration"), false, ProgressSink.NONE));
        assertArrayEquals(new int[]{2, 0, 1, 3, 4}, EventRows.sorted(p, t, rows, t.field("duration"), true, ProgressSink.NONE));
        // unsigned: -1 is the largest
        assertArrayEquals(new int[]{4, 0, 3, 2, 1}, EventRows.sorted(p, t, rows, t.field("id"), false, ProgressSink.NONE));
        // doubles: -2, -0.25, 0, 0.125, 0.5
        assertArrayEquals(new int[]{4, 1, 2, 3, 0}, EventRows.sorted(p, t, rows, t.field("ratio"), false, ProgressSink.NONE));
        // texts by name, none first: -, alpha, alpha, beta, gamma
        assertArrayEquals(new int[]{2, 1, 4, 0, 3}, EventRows.sorted(p, t, rows, t.field("name"), false, ProgressSink.NONE));
        // threads by name, none first: -, main, main, worker, worker
        assertArrayEquals(new int[]{3, 0, 2, 1, 4}, EventRows.sorted(p, t, rows, t.field("eventThread"), false, ProgressSink.NONE));
        // stacks by top frame: -, App.run, App.work, read, read
        assertArrayEquals(new int[]{2, 3, 1, 0, 4}, EventRows.sorted(p, t, rows, t.field("stackTrace"), false, ProgressSink.NONE));
        // a subset
        assertArrayEquals(new int[]{3, 1}, EventRows.sorted(p, t, new int[]{1, 3}, t.field("name"), true, ProgressSink.NONE));
    }

    @Test
    void equalNamesAreOneValue() {
        ProfileBuilder b = new ProfileBuilder(SourceFormat.JFR, "names.jfr");
        int a = b.thread(1, "pool", 1, 1, false), z = b.thread(2, "aaa", 2, 2, false), a2 = b.thread(3, "pool", 3, 3, false);
        JfrEventStoreBuilder.Type t = b.jfrEvents().type("test.Names", null, List.of(), null);
        int[] f = {t.field("eventThread", JfrField.Kind.THREAD, "java.lang.Thread", null, null, null, false)};
        addRows(t, 4, f, new Object[]{new int[]{a2, a, z, a2}});
        Profile p = b.build();
        JfrEventTable table = p.jfrEvents().table("test.Names");
        // two threads named "pool": their rows keep the table's order, ascending and descending
        assertArrayEquals(new int[]{2, 0, 1, 3}, EventRows.sorted(p, table, all(table), table.field("eventThread"), false, ProgressSink.NONE));
        assertArrayEquals(new int[]{0, 1, 3, 2}, EventRows.sorted(p, table, all(table), table.field("eventThread"), true, ProgressSink.NONE));
    }
}
