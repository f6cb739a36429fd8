// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.diff;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.Weights;
import dev.kiln.analysis.diff.Diff.FunctionDelta;
import dev.kiln.analysis.diff.Diff.GoroutineStackDelta;
import dev.kiln.analysis.diff.Diff.LockDelta;
import dev.kiln.analysis.locks.LockGraph;
import dev.kiln.analysis.tree.CallTree;
import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.testutil.Captures;
import dev.kiln.testutil.FactsFile;
import dev.kiln.testutil.PprofTop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Diffs of the corpus' baseline/regressed pairs; every expected number is read from the facts and top files. */
class DiffCorpusTest {
    static Profile load(String sub, String name) throws Exception {
        return ProfileLoader.load(Captures.file(sub, name), ProgressSink.NONE);
    }

    static long selfSamples(String facts, String function) {
        FactsFile f = new FactsFile(Captures.file("jfr", facts));
        for (FactsFile.Row r : f.section("jdk.ExecutionSample").tables().get("self samples by method")) {
            if (r.name().equals(function)) return r.getLong("samples");
        }
        throw new AssertionError(function + " not in " + facts);
    }

    static long executionSamples(String facts) {
        String h = new FactsFile(Captures.file("jfr", facts)).section("jdk.ExecutionSample").header();
        Matcher m = Pattern.compile("events=(\\d+)").matcher(h);
        assertTrue(m.find(), h);
        return Long.parseLong(m.group(1));
    }

    static FactsFile.Row monitorEnter(String facts, String cls) {
        for (FactsFile.Row r : new FactsFile(Captures.file("jfr", facts)).section("jdk.JavaMonitorEnter").tables().get("by monitorClass")) {
            if (r.name().equals(cls)) return r;
        }
        throw new AssertionError(cls);
    }

    static FunctionDelta topSelfRegression(Diff d) {
        return d.functions().stream().filter(f -> f.self().delta() > 0).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17", "jdk25"})
    void jfrPair(String jdk) throws Exception {
        String bf = jdk + "-diff-baseline.facts.txt", rf = jdk + "-diff-regressed.facts.txt";
        Diff d = Diff.of(load("jfr", jdk + "-diff-baseline.jfr"), load("jfr", jdk + "-diff-regressed.jfr"), Diff.Options.DEFAULT);
        assertEquals("cpu/samples", d.compared());
        assertEquals(executionSamples(bf), d.total().base());
        assertEquals(executionSamples(rf), d.total().target());
        // The regressed function is the top self regression, with the facts' numbers.
        FunctionDelta top = topSelfRegression(d);
        assertEquals("DiffWorkload.computeChecksum", top.name());
        long b = selfSamples(bf, top.name()), t = selfSamples(rf, top.name());
        assertEquals(b, top.self().base());
        assertEquals(t, top.self().target());
        assertEquals(t - b, top.self().delta());
        assertEquals(Status.GREW, top.self().status());
        // The control: fixed work, so the raw count is within noise; its share fell because the total grew.
        FunctionDelta tok = d.function("DiffWorkload.tokenize");
        long tb = selfSamples(bf, tok.name()), tt = selfSamples(rf, tok.name());
        assertEquals(tt - tb, tok.self().delta());
        assertTrue(Math.abs(tt - tb) < 0.01 * Math.max(executionSamples(bf), executionSamples(rf)) + 2 * Math.sqrt(tb + tt));
        assertEquals(Status.SAME, tok.self().status());
        Diff n = Diff.of(d.base(), d.target(), Diff.Options.DEFAULT.withNormalize(true));
        double scale = (double) executionSamples(rf) / executionSamples(bf);
        assertEquals(tt - tb * scale, n.function(tok.name()).self().delta(), 1e-6);
        assertEquals(Status.SHRANK, n.function(tok.name()).self().status());
        assertEquals(Status.GREW, n.function(top.name()).self().status());
        // The contended lock that grew, flagged.
        FactsFile.Row lb = monitorEnter(bf, "DiffWorkload$InventoryLock"), lr = monitorEnter(rf, "DiffWorkload$InventoryLock");
        LockDelta lock = d.lock(LockGraph.Kind.BLOCKED, "DiffWorkload$InventoryLock");
        assertNotNull(lock);
        assertEquals(lr.getDouble("total_ms") - lb.getDouble("total_ms"), lock.nanos().delta() / 1e6, 0.002);
        assertEquals(lr.getLong("events") - lb.getLong("events"), lock.count().delta());
        assertEquals(Status.GREW, lock.nanos().status());
        assertTrue(DiffRule.parse("lock:DiffWorkload$InventoryLock>+20%").check(d).violated());
        assertTrue(DiffRule.parse("lock:*>+20%").check(d).violated());
        assertTrue(DiffRule.parse("self:DiffWorkload.computeChecksum>+15%").check(d).violated());
        assertFalse(DiffRule.parse("self:DiffWorkload.tokenize>+15%").check(d).violated());
        // Thread states: the request workers spent more time BLOCKED.
        assertTrue(d.threadStateTotals().stream().anyMatch(k -> k.key().equals("BLOCKED") && k.value().status() == Status.GREW));
    }

    static double flat(String topFile, String index, String function) {
        for (PprofTop.Row r : PprofTop.read(Captures.file("pprof", topFile)).get(index)) if (r.name().equals(function)) return r.flat();
        throw new AssertionError(function);
    }

    static double tolerance(String topFile, String index, String function) {
        for (PprofTop.Row r : PprofTop.read(Captures.file("pprof", topFile)).get(index)) if (r.name().equals(function)) return r.tolerance();
        throw new AssertionError(function);
    }

    /** The base's call tree and allocations built beside the target's (as for big profiles) or before them. */
    static Diff of(boolean atOnce, Profile base, Profile target, Diff.Options o) {
        int was = Diff.atOnceStacks;
        Diff.atOnceStacks = atOnce ? 0 : Integer.MAX_VALUE;
        try {
            return Diff.of(base, target, o);
        } finally {
            Diff.atOnceStacks = was;
        }
    }

    @ParameterizedTest(name = "at once: {0}")
    @ValueSource(booleans = {false, true})
    void goCpuPair(boolean atOnce) throws Exception {
        Diff d = of(atOnce, load("pprof", "cpu-baseline.pb.gz"), load("pprof", "cpu-regressed.pb.gz"), Diff.Options.DEFAULT.withWeight("samples"));
        FunctionDelta top = topSelfRegression(d);
        assertEquals("main.computeHash", top.name());
        assertEquals((long) flat("cpu-baseline.top.txt", "samples", top.name()), top.self().base());
        assertEquals((long) flat("cpu-regressed.top.txt", "samples", top.name()), top.self().target());
        assertEquals(Status.GREW, top.self().status());
        assertEquals(PprofTop.rawSum(Captures.file("pprof", "cpu-baseline.facts.txt"), "samples/count"), d.total().base());
    }

    @ParameterizedTest(name = "at once: {0}")
    @ValueSource(booleans = {false, true})
    void goAllocsPair(boolean atOnce) throws Exception {
        Diff d = of(atOnce, load("pprof", "allocs-baseline.pb.gz"), load("pprof", "allocs-regressed.pb.gz"), Diff.Options.DEFAULT.withWeight("alloc_space"));
        assertEquals("alloc_space/bytes", d.compared());
        FunctionDelta top = topSelfRegression(d);
        assertEquals("main.buildIndex", top.name());
        String f = top.name();
        double expected = flat("allocs-regressed.top.txt", "alloc_space", f) - flat("allocs-baseline.top.txt", "alloc_space", f);
        double tol = tolerance("allocs-regressed.top.txt", "alloc_space", f) + tolerance("allocs-baseline.top.txt", "alloc_space", f);
        assertEquals(expected, top.self().delta(), tol);
        assertEquals(Status.GREW, top.self().status());
        assertEquals("site", d.allocationBy()); // Go heap profiles name no classes
    }

    @Test
    void captureAgainstItselfIsAllSame() throws Exception {
        for (String[] c : List.of(new String[] {"jfr", "jdk17-mixed.jfr"}, new String[] {"pprof", "goroutine-leak.pb.gz"},
                new String[] {"pprof", "allocs-baseline.pb.gz"})) {
            Profile p = load(c[0], c[1]);
            Diff d = Diff.of(p, p, Diff.Options.DEFAULT);
            assertTrue(d.allSame(), c[1]);
            for (String rule : List.of("total>+0%", "lock:*>+0%", "goroutines>+0", "self:MixedWorkload.spin>+0%")) {
                assertFalse(DiffRule.parse(rule).check(d).violated(), c[1] + " " + rule);
            }
        }
    }

    /** The cum column of a function in a top file's first table. */
    static long cum(String topFile, String function) throws Exception {
        Pattern row = Pattern.compile("^\\s*\\S+\\s+\\S+%\\s+\\S+%\\s+(\\d+)\\s+\\S+%\\s+" + Pattern.quote(function) + "$");
        for (String l : Files.readAllLines(Captures.file("pprof", topFile))) {
            Matcher m = row.matcher(l);
            if (m.matches()) return Long.parseLong(m.group(1));
        }
        return 0;
    }

    @Test
    void goroutineLeakPprof() throws Exception {
        Diff d = Diff.of(load("pprof", "goroutine.pb.gz"), load("pprof", "goroutine-leak.pb.gz"), Diff.Options.DEFAULT);
        String leak = "main.fetchWithTimeout.func1";
        long expected = cum("goroutine-leak.top.txt", leak) - cum("goroutine.top.txt", leak);
        assertTrue(expected > 0);
        GoroutineStackDelta top = d.goroutineStacks().get(0);
        assertTrue(top.frames().contains(leak), top.frames().toString());
        assertTrue(top.site().startsWith(leak), top.site());
        assertEquals(expected, top.count().delta());
        assertEquals(Status.NEW, top.count().status());
        assertEquals(PprofTop.rawSum(Captures.file("pprof", "goroutine-leak.facts.txt"), "goroutine/count")
                - PprofTop.rawSum(Captures.file("pprof", "goroutine.facts.txt"), "goroutine/count"), d.goroutines().delta());
        assertTrue(DiffRule.parse("goroutines>+100").check(d).violated());
    }

    /** "N  text" rows under a header line of a debug=2 facts file. */
    static long debug2Count(String facts, String header, String text) throws Exception {
        List<String> lines = Files.readAllLines(Captures.file("pprof", facts));
        int i = lines.indexOf(lines.stream().filter(l -> l.startsWith(header)).findFirst().orElseThrow());
        for (int j = i + 1; j < lines.size() && lines.get(j).startsWith(" "); j++) {
            String[] p = lines.get(j).trim().split("\\s+", 2);
            if (p[1].equals(text)) return Long.parseLong(p[0]);
        }
        return 0;
    }

    @Test
    void goroutineLeakDebug2() throws Exception {
        Diff d = Diff.of(load("pprof", "goroutine.debug2.txt"), load("pprof", "goroutine-leak.debug2.txt"), Diff.Options.DEFAULT);
        String leak = "main.fetchWithTimeout.func1";
        long n = debug2Count("goroutine-leak.debug2.facts.txt", "top frame function", leak)
                - debug2Count("goroutine.debug2.facts.txt", "top frame function", leak);
        GoroutineStackDelta top = d.goroutineStacks().get(0);
        assertEquals(leak, top.frames().get(0));
        assertEquals(n, top.count().delta());
        assertEquals("chan send", top.state());
        long send = debug2Count("goroutine-leak.debug2.facts.txt", "states", "chan send") - debug2Count("goroutine.debug2.facts.txt", "states", "chan send");
        assertEquals(send, d.goroutineStates().stream().filter(k -> k.key().equals("chan send")).findFirst().orElseThrow().value().delta());
    }

    @Test
    void timeRangesInsideOneRecording() throws Exception {
        Profile p = load("jfr", "jdk17-mixed.jfr");
        long mid = p.startEpochNanos() + p.durationNanos() / 2;
        Filter first = Filter.NONE.withTimeRange(Long.MIN_VALUE, mid), second = Filter.NONE.withTimeRange(mid, Long.MAX_VALUE);
        Diff d = Diff.of(p, p, Diff.Options.DEFAULT.withFilters(first, second));
        var w = Weights.defaultWeight(p);
        CallTree.Options o = Diff.Options.DEFAULT.tree();
        long a = CallTree.build(p, w, first, o).rootTotal(), b = CallTree.build(p, w, second, o).rootTotal();
        assertEquals(a, d.total().base());
        assertEquals(b, d.total().target());
        assertEquals(CallTree.build(p, w, Filter.NONE, o).rootTotal(), a + b);
        assertTrue(a > 0 && b > 0);
        LockGraph la = LockGraph.of(p, first, ProgressSink.NONE), lb = LockGraph.of(p, second, ProgressSink.NONE);
        LockDelta all = d.lock(LockGraph.Kind.BLOCKED, "*");
        assertEquals(la.totalNanos(java.util.EnumSet.of(LockGraph.Kind.BLOCKED)), all.nanos().base());
        assertEquals(lb.totalNanos(java.util.EnumSet.of(LockGraph.Kind.BLOCKED)), all.nanos().target());
    }

    @Test
    void jfrAgainstAsyncProfilerPprofSaysWhatIsCompared() throws Exception {
        Diff d = Diff.of(load("jfr", "asprof-jdk17-mixed.jfr"), load("pprof", "jvm-asprof-cpu.pb.gz"), Diff.Options.DEFAULT.withWeight("cpu"));
        assertEquals("cpu/samples (base) vs cpu/count (target)", d.compared());
        assertFalse(d.notes().isEmpty());
        assertTrue(d.total().target() > 0 && d.total().base() > 0);
    }
}
