// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.timeline;

import dev.kiln.analysis.Filter;
import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.FrameKind;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileBuilder;
import dev.kiln.model.SourceFormat;
import dev.kiln.model.ValueType;
import dev.kiln.testutil.Captures;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Goroutine state counts against the corpus' debug=2 facts; the wait histogram on a hand-built dump. */
class GoroutineStatesTest {
    private static Profile load(String name) throws Exception {
        return ProfileLoader.load(Captures.file("pprof", name), ProgressSink.NONE);
    }

    /** A "title:" table of a Go text facts file: "   count  name" rows up to the next title. */
    static Map<String, Long> factsTable(String facts, String title) throws Exception {
        List<String> lines = Files.readAllLines(Captures.file("pprof", facts));
        Map<String, Long> r = new LinkedHashMap<>();
        Pattern row = Pattern.compile("^\\s+(\\d+)\\s+(.+)$");
        boolean in = false;
        for (String l : lines) {
            if (l.startsWith(title)) { in = true; continue; }
            if (!in) continue;
            Matcher m = row.matcher(l);
            if (!m.matches()) break;
            r.put(m.group(2).trim(), Long.parseLong(m.group(1)));
        }
        assertFalse(r.isEmpty(), title + " in " + facts);
        return r;
    }

    static long factsTotal(String facts) throws Exception {
        for (String l : Files.readAllLines(Captures.file("pprof", facts))) {
            if (l.startsWith("goroutines: ")) return Long.parseLong(l.substring(12).trim());
        }
        throw new AssertionError("no goroutines: line in " + facts);
    }

    @Test
    void debug2StateCountsAreTheFacts() throws Exception {
        GoroutineStates g = GoroutineStates.of(load("goroutine.debug2.txt"), Filter.NONE);
        Map<String, Long> facts = factsTable("goroutine.debug2.facts.txt", "states");
        assertEquals(facts.size(), g.byState().size());
        for (var e : facts.entrySet()) assertEquals(e.getValue(), g.count(e.getKey()), e.getKey());
        assertEquals(factsTotal("goroutine.debug2.facts.txt"), g.goroutines());
        assertEquals(GoroutineStates.RECORDED, g.stateSource());
        assertFalse(g.hasTimeline());
        assertTrue(g.note().contains("no timeline"), g.note());
        // no wait of a minute or more in this dump: everything is under a minute
        for (GoroutineStates.StateGroup s : g.byState()) assertEquals(s.goroutines(), s.waitHistogram()[0], s.state());
    }

    @Test
    void theLeakShowsItsChanSends() throws Exception {
        GoroutineStates g = GoroutineStates.of(load("goroutine-leak.debug2.txt"), Filter.NONE);
        Map<String, Long> facts = factsTable("goroutine-leak.debug2.facts.txt", "states");
        assertEquals(facts.get("chan send"), g.count("chan send"));
        assertEquals(g.byState().get(0).state(), "chan send"); // the largest group
        // by stack: the facts' top frames, largest first
        Map<String, Long> top = factsTable("goroutine-leak.debug2.facts.txt", "top frame function");
        var first = top.entrySet().iterator().next();
        assertEquals(first.getKey(), g.byStack().get(0).topFunction());
        assertEquals(first.getValue(), g.byStack().get(0).goroutines());
        assertEquals(Map.of("chan send", facts.get("chan send")), g.byStack().get(0).states());
        assertEquals(g.goroutines(), g.byStack().stream().mapToLong(GoroutineStates.StackGroup::goroutines).sum());
    }

    @Test
    void stacksAloneGiveDerivedStatesThatAgreeWithTheDump() throws Exception {
        // goroutine.pb.gz and goroutine.debug2.txt are the same program's goroutines: every waiting state can be
        // derived from the full pprof stacks, running and runnable ones cannot ("unknown").
        GoroutineStates g = GoroutineStates.of(load("goroutine.pb.gz"), Filter.NONE);
        Map<String, Long> facts = factsTable("goroutine.debug2.facts.txt", "states");
        assertEquals(GoroutineStates.DERIVED, g.stateSource());
        long notDerivable = 0;
        for (var e : facts.entrySet()) {
            if (e.getKey().equals("running") || e.getKey().equals("runnable")) notDerivable += e.getValue();
            else assertEquals(e.getValue(), g.count(e.getKey()), e.getKey());
        }
        assertEquals(notDerivable, g.count(GoroutineStates.UNKNOWN_STATE));
        for (GoroutineStates.StateGroup s : g.byState()) {
            assertEquals(s.goroutines(), s.waitHistogram()[GoroutineStates.WAIT_BUCKETS.indexOf("not recorded")]);
        }
        // debug=1 text hides runtime frames: channel and select waits stay unknown, never guessed
        GoroutineStates d1 = GoroutineStates.of(load("goroutine.debug1.txt"), Filter.NONE);
        assertEquals(0, d1.count("chan receive"));
        assertEquals(0, d1.count("select"));
        assertEquals(facts.get("semacquire"), d1.count("semacquire"));
        assertEquals(factsTotal("goroutine.debug2.facts.txt"), d1.goroutines());
    }

    @Test
    void waitHistogramBuckets() {
        ProfileBuilder b = new ProfileBuilder(SourceFormat.GO_TEXT, "dump.txt");
        int stack = b.stack(-1, b.frame(b.function("main.wait", "main", ""), 1, -1, FrameKind.UNKNOWN, 0));
        ValueType vt = new ValueType("goroutine", "count");
        var t = b.sampleTable("goroutine", List.of(vt), false, false, false);
        long min = 60_000_000_000L;
        long[] waits = {-1, min, 4 * min, 5 * min, 29 * min, 30 * min, 90 * min};
        for (int i = 0; i < waits.length; i++) {
            int th = b.addThread("goroutine " + (i + 1), -1, -1, false, i + 1, i == 0 ? "running" : "chan receive", waits[i], -1);
            t.add(stack, th, 0, -1, 1);
        }
        Profile p = b.build();
        GoroutineStates g = GoroutineStates.of(p, Filter.NONE);
        assertEquals(7, g.goroutines());
        // <1 min, 1-5, 5-30, 30+, not recorded
        assertArrayEquals(new long[] {0, 2, 2, 2, 0}, g.byState().get(0).waitHistogram());
        assertArrayEquals(new long[] {1, 0, 0, 0, 0}, g.byState().get(1).waitHistogram());
        assertArrayEquals(new long[] {1, 2, 2, 2, 0}, g.byStack().get(0).waitHistogram());
        // a thread filter applies to goroutine rows
        GoroutineStates one = GoroutineStates.of(p, Filter.NONE.withThreadName(Pattern.compile("^goroutine 7$")));
        assertEquals(1, one.goroutines());
        assertArrayEquals(new long[] {0, 0, 0, 1, 0}, one.byState().get(0).waitHistogram());
    }

    @Test
    void notAGoroutineProfile() throws Exception {
        Profile cpu = load("cpu-baseline.pb.gz");
        assertFalse(GoroutineStates.applies(cpu));
        assertThrows(IllegalArgumentException.class, () -> GoroutineStates.of(cpu, Filter.NONE));
    }
}
