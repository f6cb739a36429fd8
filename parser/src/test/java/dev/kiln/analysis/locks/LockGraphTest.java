// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.locks;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.locks.LockGraph.By;
import dev.kiln.analysis.locks.LockGraph.Edge;
import dev.kiln.analysis.locks.LockGraph.Graph;
import dev.kiln.analysis.locks.LockGraph.Kind;
import dev.kiln.analysis.locks.LockGraph.LockRow;
import dev.kiln.analysis.locks.LockGraph.Party;
import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.EventKind;
import dev.kiln.model.FrameKind;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileBuilder;
import dev.kiln.model.SourceFormat;
import dev.kiln.testutil.Captures;
import dev.kiln.testutil.FactsFile;
import dev.kiln.testutil.FactsFile.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lock graphs of the real JFR captures against their facts files, and of a hand-made profile. */
class LockGraphTest {
    private static final Map<String, Profile> LOADED = new HashMap<>();
    private static final Set<Kind> BLOCKED = EnumSet.of(Kind.BLOCKED);

    static synchronized Profile load(String name) throws Exception {
        Profile p = LOADED.get(name);
        if (p == null) LOADED.put(name, p = ProfileLoader.load(Captures.file("jfr", name), ProgressSink.NONE));
        return p;
    }

    static FactsFile facts(String name) { return new FactsFile(Captures.file("jfr", name.replace(".jfr", ".facts.txt"))); }

    static Stream<String> captures() { return Captures.list("jfr", ".jfr").stream().map(p -> p.getFileName().toString()); }

    static LockGraph graph(String name, Filter f) throws Exception { return LockGraph.of(load(name), f, ProgressSink.NONE); }

    /** Each kind's by-class rows equal the facts' by monitorClass / by parkedClass tables, in the same order. */
    @ParameterizedTest
    @MethodSource("captures")
    void byClassEqualsFactsForEveryKind(String name) throws Exception {
        LockGraph g = graph(name, Filter.NONE);
        FactsFile f = facts(name);
        checkByClass(g, f, "jdk.JavaMonitorEnter", "by monitorClass", Kind.BLOCKED);
        checkByClass(g, f, "jdk.JavaMonitorWait", "by monitorClass", Kind.WAITING);
        checkByClass(g, f, "jdk.ThreadPark", "by parkedClass", Kind.PARKED);
    }

    private static void checkByClass(LockGraph g, FactsFile f, String section, String table, Kind kind) {
        FactsFile.Section s = f.section(section);
        List<LockRow> ours = g.topLocks(By.CLASS, EnumSet.of(kind), 0, 1);
        if (s == null) {
            assertEquals(List.of(), ours, section);
            return;
        }
        List<Row> rows = s.tables().get(table);
        assertNotNull(rows, section + " " + table);
        Map<String, LockRow> byName = new HashMap<>();
        for (LockRow r : ours) byName.put(r.className(), r);
        long factEvents = 0;
        for (Row r : rows) {
            String cls = r.name().equals("<null>") ? LockGraph.NO_BLOCKER : r.name();
            LockRow o = byName.get(cls);
            assertNotNull(o, section + " " + cls + " in " + ours);
            assertEquals(r.getLong("events"), o.count(), section + " " + cls + " events");
            if (r.attrs().containsKey("total_ms")) assertEquals(r.getDouble("total_ms"), o.nanos() / 1e6, 0.0015, section + " " + cls + " ms");
            factEvents += r.getLong("events");
        }
        // The facts list every class ("top N of N"), so nothing else is ours.
        if (s.header().contains("events=")) assertEquals(Long.parseLong(s.header().replaceAll(".*events=(\\d+).*", "$1")), g.totalCount(EnumSet.of(kind)));
        assertEquals(factEvents, g.totalCount(EnumSet.of(kind)), section + " all events");
        assertEquals(rows.size(), ours.size(), section + " classes");
    }

    @Test
    void mixedSharedLedgerIsTheTopLockAndItsWaitersAndOwnersMatchTheWorkload() throws Exception {
        String name = "jdk17-mixed.jfr";
        FactsFile.Section s = facts(name).section("jdk.JavaMonitorEnter");
        Row top = s.tables().get("by monitorClass").get(0);
        LockGraph g = graph(name, Filter.NONE);
        LockRow row = g.topLocks(By.CLASS, BLOCKED, 1, 0).get(0);
        assertEquals("MixedWorkload$SharedLedger", top.name());
        assertEquals(top.name(), row.className());
        assertEquals(top.getLong("events"), row.count());
        assertEquals(top.getDouble("total_ms"), row.nanos() / 1e6, 0.0015);
        // Waiter edges per thread = the facts' by-thread table.
        List<Row> byThread = s.tables().get("by thread");
        assertEquals(byThread.size(), row.waiters().size());
        Map<String, Party> waiters = new HashMap<>();
        for (Party w : row.waiters()) waiters.put(w.name(), w);
        for (Row r : byThread) {
            assertEquals(r.getLong("events"), waiters.get(r.name()).count(), r.name());
            assertEquals(r.getDouble("total_ms"), waiters.get(r.name()).nanos() / 1e6, 0.0015, r.name());
        }
        // The graph's waits edges say the same.
        Graph graph = g.graph(By.CLASS, BLOCKED);
        Map<String, Long> edgeNanos = new HashMap<>();
        for (Edge e : graph.edges()) {
            if (e.type().equals("waits")) edgeNanos.merge(graph.nodes().get(e.from()).label(), e.nanos(), Long::sum);
        }
        for (Row r : byThread) assertEquals(r.getDouble("total_ms"), edgeNanos.get(r.name()) / 1e6, 0.0015, "edge " + r.name());
        // Owners: only the lock fighters hold SharedLedger (CORPUS-README); owner time never exceeds blocked time.
        assertFalse(row.owners().isEmpty());
        long owned = 0;
        for (Party o : row.owners()) {
            assertTrue(o.name().startsWith("lock-fighter-"), o.name());
            owned += o.nanos();
        }
        assertTrue(owned <= row.nanos());
        for (Edge e : graph.edges()) {
            if (e.type().equals("heldBy")) assertTrue(graph.nodes().get(e.to()).label().startsWith("lock-fighter-"));
        }
        // Every waiting stack ends in the facts' top frame of jdk.JavaMonitorEnter.
        Profile p = load(name);
        String topFrame = s.tables().get("by top frame").get(0).name();
        long stackNanos = 0;
        for (LockGraph.StackWeight w : row.stacks()) {
            assertEquals(topFrame, p.frameName(p.stacks().frame(w.stack())));
            stackNanos += w.nanos();
        }
        assertEquals(row.nanos(), stackNanos);
        long[] perStack = g.waitingStackNanos(BLOCKED, top.name());
        long sum = 0;
        for (long v : perStack) sum += v;
        assertEquals(row.nanos(), sum);
    }

    @Test
    void instancesAddUpToTheirClass() throws Exception {
        LockGraph g = graph("jdk17-mixed.jfr", Filter.NONE);
        Set<Kind> all = LockGraph.allKinds();
        Map<String, long[]> byClass = new HashMap<>();
        for (LockRow r : g.topLocks(By.INSTANCE, all, 0, 1)) {
            assertTrue(r.name().startsWith(r.className() + "@0x"), r.name());
            long[] v = byClass.computeIfAbsent(r.className(), k -> new long[3]);
            v[0] += r.nanos();
            v[1] += r.count();
            v[2]++;
        }
        for (LockRow r : g.topLocks(By.CLASS, all, 0, 1)) {
            long[] v = byClass.get(r.className());
            assertEquals(v[0], r.nanos(), r.className());
            assertEquals(v[1], r.count(), r.className());
            assertEquals(v[2], r.instances(), r.className());
        }
        // Two SharedLedger monitors (LEDGER_A and LEDGER_B).
        assertEquals(2, g.topLocks(By.CLASS, BLOCKED, 1, 1).get(0).instances());
    }

    @Test
    void regressedDiffRunBlocksOnInventoryLock() throws Exception {
        String name = "jdk17-diff-regressed.jfr";
        Row top = facts(name).section("jdk.JavaMonitorEnter").tables().get("by monitorClass").get(0);
        assertEquals("DiffWorkload$InventoryLock", top.name());
        LockRow row = graph(name, Filter.NONE).topLocks(By.CLASS, BLOCKED, 1, 3).get(0);
        assertEquals(top.name(), row.className());
        assertEquals(top.getLong("events"), row.count());
        assertEquals(top.getDouble("total_ms"), row.nanos() / 1e6, 0.0015);
        for (Party o : row.owners()) assertTrue(o.name().startsWith("request-worker-") || o.name().equals("inventory-auditor"), o.name());
        // The baseline blocks far less on the same lock.
        Row base = facts("jdk17-diff-baseline.jfr").section("jdk.JavaMonitorEnter").tables().get("by monitorClass").get(0);
        LockRow baseRow = graph("jdk17-diff-baseline.jfr", Filter.NONE).topLocks(By.CLASS, BLOCKED, 1, 3).get(0);
        assertEquals(base.getLong("events"), baseRow.count());
        assertTrue(baseRow.nanos() * 10 < row.nanos());
    }

    @Test
    void threadFilterKeepsOneWaiter() throws Exception {
        String name = "jdk17-mixed.jfr";
        Row fighter = facts(name).section("jdk.JavaMonitorEnter").tables().get("by thread").stream()
                .filter(r -> r.name().equals("lock-fighter-3")).findFirst().orElseThrow();
        LockGraph g = graph(name, Filter.NONE.withThreadName(Pattern.compile("^lock-fighter-3$")));
        List<LockRow> rows = g.topLocks(By.CLASS, BLOCKED, 0, 0);
        assertEquals(1, rows.size());
        assertEquals(fighter.getLong("events"), rows.get(0).count());
        assertEquals(fighter.getDouble("total_ms"), rows.get(0).nanos() / 1e6, 0.0015);
        assertEquals(List.of("lock-fighter-3"), rows.get(0).waiters().stream().map(Party::name).toList());
        // No park or wait of that thread.
        assertEquals(0, g.totalCount(EnumSet.of(Kind.PARKED, Kind.WAITING)));
    }

    @Test
    void timeRangeBeforeTheRecordingKeepsNothing() throws Exception {
        Profile p = load("jdk17-mixed.jfr");
        LockGraph g = LockGraph.of(p, Filter.NONE.withTimeRange(0, p.startEpochNanos() - 1_000_000_000L), ProgressSink.NONE);
        assertEquals(0, g.lockCount());
        LockGraph whole = LockGraph.of(p, Filter.NONE.withTimeRange(p.startEpochNanos(), p.startEpochNanos() + p.durationNanos() + 1),
                ProgressSink.NONE);
        assertEquals(graph("jdk17-mixed.jfr", Filter.NONE).totalNanos(LockGraph.allKinds()), whole.totalNanos(LockGraph.allKinds()));
    }

    // ---- hand-made profile ----

    /**
     * Threads T1, T2, T3. Monitor L at 0x10 and 0x20, park blocker P at 0x30.
     * <pre>
     *  ENTER T1 on L@0x10 [100,150) owner T3 stack s1
     *  ENTER T2 on L@0x10 [120,150) owner T1 stack s2
     *  ENTER T2 on L@0x20 [200,210) owner T3 stack s2
     *  WAIT  T1 on L@0x10 [300,400) notifier T2
     *  PARK  T3 on P@0x30 [400,407) stack s1
     *  PARK  T3 no blocker [500,503)
     *  SLEEP T1 [600,700)  (not a lock event)
     * </pre>
     */
    static Profile fixture() {
        ProfileBuilder b = new ProfileBuilder(SourceFormat.JFR, "fixture");
        int t1 = b.thread(1, "T1", 1, 1, false), t2 = b.thread(2, "T2", 2, 2, false), t3 = b.thread(3, "T3", 3, 3, false);
        int main = b.stack(-1, b.frame(b.function("Main.main", "Main", ""), 0, -1, FrameKind.JIT, 0));
        int s1 = b.stack(main, b.frame(b.function("Main.a", "Main", ""), 0, -1, FrameKind.JIT, 0));
        int s2 = b.stack(main, b.frame(b.function("Main.b", "Main", ""), 0, -1, FrameKind.JIT, 0));
        int l = b.classIndex("L"), pc = b.classIndex("P");
        b.event(EventKind.MONITOR_ENTER, t1, 100, 50, s1, l, 0x10, t3, -1, 0);
        b.event(EventKind.MONITOR_ENTER, t2, 120, 30, s2, l, 0x10, t1, -1, 0);
        b.event(EventKind.MONITOR_ENTER, t2, 200, 10, s2, l, 0x20, t3, -1, 0);
        b.event(EventKind.MONITOR_WAIT, t1, 300, 100, -1, l, 0x10, t2, -1, 0);
        b.event(EventKind.THREAD_PARK, t3, 400, 7, s1, pc, 0x30, -1, -1, 0);
        b.event(EventKind.THREAD_PARK, t3, 500, 3, -1, -1, 0, -1, -1, 0);
        b.event(EventKind.THREAD_SLEEP, t1, 600, 100, s1, -1, 0, -1, -1, 0);
        return b.build();
    }

    private static String parties(List<Party> ps) {
        List<String> out = new ArrayList<>();
        for (Party x : ps) out.add(x.name() + ":" + x.nanos() + "/" + x.count());
        return String.join(" ", out);
    }

    @Test
    void fixtureInstances() {
        LockGraph g = LockGraph.of(fixture(), Filter.NONE, ProgressSink.NONE);
        List<LockRow> rows = g.topLocks(By.INSTANCE, BLOCKED, 0, 0);
        assertEquals(List.of("L@0x10", "L@0x20"), rows.stream().map(LockRow::name).toList());
        LockRow a = rows.get(0);
        assertEquals(80, a.nanos());
        assertEquals(2, a.count());
        assertEquals("T1:50/1 T2:30/1", parties(a.waiters()));
        assertEquals("T3:50/1 T1:30/1", parties(a.owners()));
        assertEquals(10, rows.get(1).nanos());
        assertEquals("T3:10/1", parties(rows.get(1).owners()));
    }

    @Test
    void fixtureClassesAndKinds() {
        Profile p = fixture();
        LockGraph g = LockGraph.of(p, Filter.NONE, ProgressSink.NONE);
        LockRow l = g.topLocks(By.CLASS, BLOCKED, 0, 0).get(0);
        assertEquals("L", l.name());
        assertEquals(0, l.address());
        assertEquals(2, l.instances());
        assertEquals(90, l.nanos());
        assertEquals("T1:50/1 T2:40/2", parties(l.waiters()));
        assertEquals("T3:60/2 T1:30/1", parties(l.owners()));
        assertEquals(List.of("Main.a:50", "Main.b:40"),
                l.stacks().stream().map(s -> p.frameName(p.stacks().frame(s.stack())) + ":" + s.nanos()).toList());
        // Waiting alone: the monitor wait, and no owners (a notifier is not an owner).
        LockRow w = g.topLocks(By.CLASS, EnumSet.of(Kind.WAITING), 0, 0).get(0);
        assertEquals(100, w.nanos());
        assertEquals("T1:100/1", parties(w.waiters()));
        assertEquals(List.of(), w.owners());
        // Combined: L 190 (enter 90 + wait 100), P 7, no blocker 3; the sleep is no lock event.
        List<LockRow> all = g.topLocks(By.CLASS, LockGraph.allKinds(), 0, 0);
        assertEquals(List.of("L:190/4", "P:7/1", LockGraph.NO_BLOCKER + ":3/1"),
                all.stream().map(r -> r.name() + ":" + r.nanos() + "/" + r.count()).toList());
        assertEquals(List.of(new LockGraph.KindTotal(Kind.BLOCKED, 90, 3), new LockGraph.KindTotal(Kind.WAITING, 100, 1)), all.get(0).kinds());
        assertEquals(200, g.totalNanos(LockGraph.allKinds()));
        long[] perStack = g.waitingStackNanos(BLOCKED, null);
        assertEquals(50, perStack[1]); // stack rows: main 0, s1 1, s2 2
        assertEquals(40, perStack[2]);
    }

    @Test
    void fixtureGraph() {
        LockGraph g = LockGraph.of(fixture(), Filter.NONE, ProgressSink.NONE);
        Graph graph = g.graph(By.CLASS, BLOCKED);
        List<String> edges = new ArrayList<>();
        for (Edge e : graph.edges()) {
            edges.add(graph.nodes().get(e.from()).label() + " " + e.type() + " " + graph.nodes().get(e.to()).label() + " " + e.nanos() + "/" + e.count());
        }
        edges.sort(null);
        assertEquals(List.of("L heldBy T1 30/1", "L heldBy T3 60/2", "T1 waits L 50/1", "T2 waits L 40/2"), edges);
        assertEquals(4, graph.nodes().size()); // T1, T2, L, T3
    }

    @Test
    void fixtureFilters() {
        Profile p = fixture();
        // [151, 250): only the enter on L@0x20 overlaps; the two first ones end at 150.
        LockGraph g = LockGraph.of(p, Filter.NONE.withTimeRange(151, 250), ProgressSink.NONE);
        assertEquals(10, g.totalNanos(LockGraph.allKinds()));
        assertEquals(1, g.lockCount());
        LockGraph t2 = LockGraph.of(p, Filter.NONE.withThreadName(Pattern.compile("T2")), ProgressSink.NONE);
        assertEquals(40, t2.totalNanos(LockGraph.allKinds()));
        assertEquals("T1:30/1 T3:10/1", parties(t2.topLocks(By.CLASS, BLOCKED, 0, 0).get(0).owners()));
    }
}
