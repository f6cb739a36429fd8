// SPDX-License-Identifier: Apache-2.0
package dev.kiln.gotrace;

import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.testutil.Captures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reader against the facts {@code go tool trace -d=1} (Go 1.23.5) gives for the same trace. */
class GoTraceReaderTest {
    static Path capture(String name) { return Captures.file("gotrace", name); }

    /** "events KIND N", "transition RESOURCE FROM->TO N", "goroutines N", "procs N" lines of a facts file. */
    static Map<String, Long> facts(Path file) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("#") || line.startsWith("file:") || line.isBlank()) continue;
            int sp = line.lastIndexOf(' ');
            out.put(line.substring(0, sp), Long.parseLong(line.substring(sp + 1)));
        }
        return out;
    }

    static Map<String, Long> counted(GoTraceModel.Stats s) {
        Map<String, Long> out = new TreeMap<>();
        s.kinds.forEach((k, v) -> out.put("events " + k, v));
        s.transitions.forEach((k, v) -> out.put("transition " + k, v));
        out.put("goroutines", (long) s.goroutines.size());
        out.put("procs", (long) s.procs.size());
        return out;
    }

    @Test
    void progressGoesByBytesThroughTheGenerationsThenSaysTheModelIsBeingBuilt() throws Exception {
        Path file = capture("mixed.trace");
        List<String> steps = new java.util.ArrayList<>();
        List<long[]> at = new java.util.ArrayList<>();
        ProgressSink sink = new ProgressSink() {
            @Override public void progress(long done, long total, String what) { steps.add(what); at.add(new long[] {done, total}); }
            @Override public boolean isCancelled() { return false; }
        };
        try (InputStream in = Files.newInputStream(file)) {
            GoTraceReader.read(in, "mixed.trace", Files.size(file), sink);
        }
        int last = steps.size() - 1;
        assertTrue(last >= 1, "a generation read, then the build: " + steps);
        assertEquals("Building the goroutine timeline", steps.get(last));
        assertEquals(-1, at.get(last)[1], "the build's length is not known: an indeterminate bar, not the full one");
        assertTrue(steps.get(last - 1).startsWith("Reading generation "), steps.toString());
        assertEquals(Files.size(file), at.get(last - 1)[1]);
    }

    static Profile read(String name) throws Exception {
        try (InputStream in = Files.newInputStream(capture(name))) {
            return GoTraceReader.read(in, name, -1, ProgressSink.NONE);
        }
    }

    /** Root-first frame names of a stack, joined by ';'. */
    static String collapsed(Profile p, int stack) {
        StringBuilder sb = new StringBuilder();
        for (int s = stack; s >= 0; s = p.stacks().parent(s)) {
            sb.insert(0, p.frameName(p.stacks().frame(s)) + (sb.length() == 0 ? "" : ";"));
        }
        return sb.toString();
    }

    /** Delay per collapsed stack of Go's own -pprof=TYPE profile. */
    static Map<String, Long> goProfile(String trace, String type) throws Exception {
        Profile go = dev.kiln.io.ProfileLoader.load(capture(trace + "." + type + ".pb"), ProgressSink.NONE);
        dev.kiln.model.SampleTable t = go.tableOf(new dev.kiln.model.ValueType("delay", "nanoseconds"));
        int col = t.valueTypes().indexOf(new dev.kiln.model.ValueType("delay", "nanoseconds"));
        Map<String, Long> out = new TreeMap<>();
        for (int r = 0; r < t.size(); r++) out.merge(collapsed(go, t.stack(r)), t.value(col, r), Long::sum);
        return out;
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"mixed,sched", "mixed,sync", "mixed,net", "mixed,syscall",
            "go122,sched", "go122,sync", "go122,syscall", "go123,sched", "go123,sync", "go123,syscall",
            "killed,sched", "killed,sync", "killed,syscall"})
    void delayProfilesEqualGoToolTracePprof(String trace, String type) throws Exception {
        Profile p = read(trace + ".trace");
        dev.kiln.analysis.Weight w = dev.kiln.analysis.Weights.parse(p, type + "/nanoseconds");
        Map<String, Long> kiln = new TreeMap<>();
        for (int e = 0; e < p.events().size(); e++) {
            if (w.includes(p.events(), e)) kiln.merge(collapsed(p, p.events().stack(e)), w.eventValue(p.events(), e), Long::sum);
        }
        Map<String, Long> go = goProfile(trace, type);
        StringBuilder diff = new StringBuilder();
        java.util.Set<String> keys = new java.util.TreeSet<>(go.keySet());
        keys.addAll(kiln.keySet());
        long goTotal = 0, kilnTotal = 0;
        for (String k : keys) {
            long a = go.getOrDefault(k, 0L), b = kiln.getOrDefault(k, 0L);
            goTotal += a;
            kilnTotal += b;
            // Go's reader orders events of equal time on different threads by its map order, which varies from run
            // to run; an event taken later is moved to 1 ns after the one before: a few ns per span, here and there
            if (!go.containsKey(k) || !kiln.containsKey(k) || Math.abs(a - b) > 1_000 + a / 10_000) {
                diff.append(String.format("%n  %,d go vs %,d kiln: %s", a, b, k));
            }
        }
        assertEquals("", diff.toString(), type + ": stacks whose delay differs from go tool trace's");
        assertEquals(goTotal, kilnTotal, goTotal / 100_000.0, type + ": total delay");
    }

    /** mixed: the corpus's Go 1.23 trace; go122/go123: gen/main.go traced by Go 1.22 and 1.23 (3 and 2 generations); killed: the same program killed with SIGKILL while tracing; gcheavy: gen/gcheavy (GC most of the time). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"mixed", "go122", "go123", "killed", "gcheavy"})
    void everyEventKindAndStateTransitionAsGoCountsThem(String trace) throws Exception {
        GoTraceModel.Stats stats = new GoTraceModel.Stats();
        try (InputStream in = Files.newInputStream(capture(trace + ".trace"))) {
            GoTraceReader.read(in, trace + ".trace", -1, ProgressSink.NONE, stats);
        }
        assertEquals(facts(capture(trace + ".facts.txt")), counted(stats));
    }

    /** Every column of a row of an event table. */
    private static java.util.List<Long> row(dev.kiln.model.EventTable t, int r) {
        return java.util.List.of((long) t.kind(r).ordinal(), (long) t.thread(r), t.startNanos(r), t.durationNanos(r),
                (long) t.stack(r), (long) t.clazz(r), t.address(r), (long) t.otherThread(r), (long) t.detail(r), t.amount(r));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"mixed", "go122", "go123", "killed", "gcheavy", "leak"})
    void aReadOfChosenKindsHasTheWholeReadsRowsOfThemAndAllItsOtherTables(String trace) throws Exception {
        Profile whole = read(trace + ".trace");
        java.util.Set<dev.kiln.model.EventKind> kinds = java.util.EnumSet.of(dev.kiln.model.EventKind.GO_SCHED_DELAY,
                dev.kiln.model.EventKind.GO_SYNC_DELAY, dev.kiln.model.EventKind.GO_REGION, dev.kiln.model.EventKind.GC_PAUSE,
                dev.kiln.model.EventKind.GO_ON_P);
        Profile part;
        try (InputStream in = Files.newInputStream(capture(trace + ".trace"))) {
            part = GoTraceReader.read(in, trace + ".trace", -1, ProgressSink.NONE, kinds);
        }
        dev.kiln.model.EventTable w = whole.events(), p = part.events();
        int kept = 0, others = 0;
        for (int r = 0; r < w.size(); r++) {
            if (!kinds.contains(w.kind(r))) { others++; continue; }
            assertTrue(kept < p.size(), "row " + r);
            assertEquals(row(w, r), row(p, kept), "row " + r + " of the whole read");
            kept++;
        }
        assertEquals(kept, p.size());
        assertTrue(kept > 0 && others > 0, kept + " kept, " + others + " others");
        assertEquals(java.util.stream.IntStream.range(0, whole.strings().size()).mapToObj(whole.strings()::get).toList(),
                java.util.stream.IntStream.range(0, part.strings().size()).mapToObj(part.strings()::get).toList());
        assertEquals(whole.stacks().size(), part.stacks().size());
        for (int s = 0; s < whole.stacks().size(); s++) {
            assertEquals(whole.stacks().frame(s), part.stacks().frame(s));
            assertEquals(whole.stacks().parent(s), part.stacks().parent(s));
        }
        assertEquals(whole.frames().size(), part.frames().size());
        for (int f = 0; f < whole.frames().size(); f++) {
            assertEquals(whole.frameName(f), part.frameName(f));
            assertEquals(whole.frames().address(f), part.frames().address(f));
        }
        assertEquals(whole.threads().size(), part.threads().size());
        for (int t = 0; t < whole.threads().size(); t++) {
            assertEquals(whole.threadName(t), part.threadName(t));
            assertEquals(whole.threads().state(t), part.threads().state(t));
            assertEquals(whole.threads().createdByStack(t), part.threads().createdByStack(t));
        }
        assertEquals(whole.sampleTables().size(), part.sampleTables().size());
        for (int i = 0; i < whole.sampleTables().size(); i++) {
            dev.kiln.model.SampleTable a = whole.sampleTables().get(i), b = part.sampleTables().get(i);
            assertEquals(a.size(), b.size());
            for (int r = 0; r < a.size(); r++) {
                assertEquals(a.stack(r), b.stack(r));
                assertEquals(a.thread(r), b.thread(r));
                assertEquals(a.timeNanos(r), b.timeNanos(r));
            }
        }
        assertEquals(whole.eventCounts(), part.eventCounts());
        assertEquals(whole.comments(), part.comments());
        assertEquals(whole.warnings(), part.warnings());
        assertEquals(whole.startEpochNanos(), part.startEpochNanos());
        assertEquals(whole.durationNanos(), part.durationNanos());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"mixed", "go122", "go123", "killed", "gcheavy", "leak"})
    void theSummaryOfAReadForItIsTheWholeReadsSummary(String trace) throws Exception {
        Profile whole = read(trace + ".trace"), light = dev.kiln.io.ProfileLoader.load(capture(trace + ".trace"),
                ProgressSink.NONE, dev.kiln.analysis.ProfileSummary.GO_TRACE_ROWS);
        assertTrue(light.events().size() < whole.events().size() / 2, light.events().size() + " rows");
        assertTrue(light.notHeldEvents(dev.kiln.model.EventKind.GO_RUNNING) > 0);
        assertEquals(dev.kiln.analysis.ProfileSummary.of(whole, 10), dev.kiln.analysis.ProfileSummary.of(light, 10));
        assertEquals(0, whole.notHeldEvents(dev.kiln.model.EventKind.GO_RUNNING));
    }
}
