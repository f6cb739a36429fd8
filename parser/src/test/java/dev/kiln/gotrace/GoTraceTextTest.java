// SPDX-License-Identifier: Apache-2.0
package dev.kiln.gotrace;

import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.ProfileValidator;
import dev.kiln.testutil.Captures;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Text traces in the form of Go's own trace tests ({@code internal/trace/testdata/tests/*.test}: txtar files with an
 * {@code expect} section, {@code SUCCESS} or {@code FAILURE "regexp"}, and a {@code trace} section), encoded by
 * {@link GoTraceText} and read by Kiln's reader: a valid one must read, an invalid one must be refused with one
 * message naming the file. Ours are in {@code captures/gotrace/text}; a {@code NAME.facts.txt} beside one (made by
 * {@code facts.sh}: what {@code go tool trace -d=1} counts), or else a {@code facts} section, holds what reading must
 * count. Go's own
 * test files (not in this repository) run too when {@code -Dkiln.gotests=DIR} names a folder of them.
 */
class GoTraceTextTest {
    static List<Path> cases() throws IOException {
        List<Path> out = new ArrayList<>(Captures.list("gotrace/text", ".test"));
        String extra = System.getProperty("kiln.gotests");
        if (extra != null && !extra.isBlank()) {
            try (Stream<Path> s = Files.list(Path.of(extra))) {
                s.filter(p -> p.toString().endsWith(".test")).sorted().forEach(out::add);
            }
        }
        return out;
    }

    /** Reads an encoded text trace; the stats count what Go's reader would print. */
    static Profile read(String name, byte[] trace, GoTraceModel.Stats stats) throws Exception {
        return GoTraceReader.read(new ByteArrayInputStream(trace), name, trace.length, ProgressSink.NONE, stats);
    }

    @TestFactory
    Stream<DynamicTest> eachTextTraceReadsAsGoExpects() throws IOException {
        return cases().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> check(file)));
    }

    private static void check(Path file) throws Exception {
        Map<String, String> sec = GoTraceText.sections(Files.readString(file));
        String expect = sec.get("expect").trim();
        byte[] trace = GoTraceText.encode(sec.get("trace"));
        String name = file.getFileName().toString();
        if (expect.startsWith("FAILURE")) {
            ProfileFormatException e = assertThrows(ProfileFormatException.class, () -> read(name, trace, null),
                    name + " must be refused (Go: " + expect + ")");
            assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
            return;
        }
        assertEquals("SUCCESS", expect, name);
        GoTraceModel.Stats stats = new GoTraceModel.Stats();
        Profile p = read(name, trace, stats);
        ProfileValidator.check(p);
        assertFalse(p.isIncomplete(), name + ": " + p.warnings());
        Path factsFile = file.resolveSibling(name.replaceAll("\\.test$", ".facts.txt"));
        String facts = Files.exists(factsFile) ? Files.readString(factsFile) : sec.get("facts");
        if (facts != null) {
            Map<String, Long> want = new TreeMap<>();
            for (String line : facts.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                int sp = line.lastIndexOf(' ');
                want.put(line.substring(0, sp), Long.parseLong(line.substring(sp + 1).trim()));
            }
            assertEquals(want, GoTraceReaderTest.counted(stats), name);
        }
    }

    private static Profile readText(String name) throws Exception {
        Map<String, String> sec = GoTraceText.sections(Files.readString(Captures.file("gotrace/text", name)));
        return read(name, GoTraceText.encode(sec.get("trace")), null);
    }

    /** Every row of the event table, as text: kind, lane, start, duration, stack, detail, amount. */
    private static List<String> rows(Profile p) {
        List<String> out = new ArrayList<>();
        dev.kiln.model.EventTable t = p.events();
        for (int r = 0; r < t.size(); r++) {
            out.add(t.kind(r) + " " + p.threadName(t.thread(r)) + " " + t.startNanos(r) + "+" + t.durationNanos(r) + " "
                    + (t.stack(r) < 0 ? "-" : GoTraceReaderTest.collapsed(p, t.stack(r))) + " "
                    + (t.detail(r) < 0 ? "-" : p.string(t.detail(r))) + " " + t.amount(r));
        }
        return out;
    }

    @Test
    void aGo125TraceGivesTheModelOfTheSameEventsInTheGo123Framing() throws Exception {
        // go123-kiln-annotated's facts are go tool trace's (Go 1.23.5); the 1.25 twin differs only in its framing.
        Profile p23 = readText("go123-kiln-annotated.test"), p25 = readText("go125-kiln-annotated.test");
        List<String> r23 = rows(p23), r25 = rows(p25);
        assertTrue(r23.size() > 20, r23.toString());
        assertEquals(r23, r25);
        assertEquals(p23.durationNanos(), p25.durationNanos());
        assertEquals(p23.eventCounts(), p25.eventCounts());
    }

    @Test
    void theGo125ClockSnapshotSetsTheWallClockOfTraceTimeZero() throws Exception {
        // Snapshot at tick 89 + 1 (1 ns a tick) = 1765000000 s + 500 ns on the wall clock: trace time 0 is 90 ns before.
        Profile p = readText("go125-kiln-annotated.test");
        assertTrue(p.comments().contains("trace time 0 is 2025-12-06T05:46:40.000000410Z (wall clock)"), p.comments().toString());
        assertTrue(readText("go123-kiln-annotated.test").comments().stream().noneMatch(c -> c.contains("wall clock")));
    }

    @Test
    void theEncoderWritesGoWireFormat() {
        // Go's go125-sync.test gives its first batch's size (16) by hand: the encoder must make the same bytes.
        byte[] b = GoTraceText.encode("""
                Trace Go1.25
                EventBatch gen=1 m=18446744073709551615 time=9 size=?
                Sync
                Frequency freq=1000000000
                ClockSnapshot dt=1 mono=99 sec=1740755049 nsec=123
                """);
        assertEquals("go 1.25 trace\0\0\0", new String(b, 0, 16, java.nio.charset.StandardCharsets.ISO_8859_1));
        // batch byte, gen 1, m (10 bytes), time 9, size 16, then the 16 bytes
        assertEquals(16 + 1 + 1 + 10 + 1 + 1 + 16, b.length);
        assertEquals(16, b[16 + 13]);
        assertEquals(GoTraceFormat.EV_SYNC, b[16 + 14]);
    }
}
