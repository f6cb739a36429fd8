// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.findings;

import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.EventKind;
import dev.kiln.model.FrameKind;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileBuilder;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.SourceFormat;
import dev.kiln.model.ValueType;
import dev.kiln.testutil.Captures;
import dev.kiln.testutil.FactsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kiln's findings on the corpus (numbers from the ground-truth files) and on hand-made fixtures. */
class FindingsTest {
    static Profile load(String sub, String name) throws Exception {
        return ProfileLoader.load(Captures.file(sub, name), ProgressSink.NONE);
    }

    static List<Finding> ofRule(List<Finding> all, String rule) {
        return all.stream().filter(f -> f.rule().equals(rule)).toList();
    }

    static Finding byId(List<Finding> all, String id) {
        return all.stream().filter(f -> f.id().equals(id)).findFirst().orElse(null);
    }

    static String text(String sub, String name) throws Exception {
        return Files.readString(Captures.file(sub, name));
    }

    static Matcher find(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        assertTrue(m.find(), "no match for " + regex);
        return m;
    }

    // ---- (b) goroutine leaks

    /** Expected leak per capture form: {count, total, function, state or null}, all read from the ground truth. */
    static String[] leakFacts(String capture) throws Exception {
        switch (capture) {
            case "goroutine-leak.pb.gz": {
                String top = text("pprof", "goroutine-leak.top.txt");
                String total = find(top, "of (\\d+) total").group(1);
                // The biggest non-runtime cum row: the user function on the leaking stack.
                Matcher m = Pattern.compile("^\\s*\\d+\\s+[\\d.]+%\\s+[\\d.]+%\\s+(\\d+)\\s+[\\d.]+%\\s+(\\S+)$", Pattern.MULTILINE).matcher(top);
                long best = -1;
                String func = null;
                while (m.find()) {
                    if (m.group(2).startsWith("runtime")) continue;
                    if (Long.parseLong(m.group(1)) > best) { best = Long.parseLong(m.group(1)); func = m.group(2); }
                }
                return new String[] {String.valueOf(best), total, func, null};
            }
            case "goroutine-leak.debug1.txt": {
                String facts = text("pprof", "goroutine-leak.debug1.facts.txt");
                Matcher m = Pattern.compile("record \\d+: count=(\\d+) top=(\\S+)").matcher(facts);
                long best = -1;
                String func = null;
                while (m.find()) if (Long.parseLong(m.group(1)) > best) { best = Long.parseLong(m.group(1)); func = m.group(2); }
                return new String[] {String.valueOf(best), find(facts, "sum_of_counts: (\\d+)").group(1), func, null};
            }
            default: {
                String facts = text("pprof", "goroutine-leak.debug2.facts.txt");
                Matcher state = find(facts, "^states.*:\\n\\s+(\\d+)\\s+(.+)$");
                Matcher top = find(facts, "^top frame function of each goroutine:\\n\\s+(\\d+)\\s+(\\S+)$");
                assertEquals(state.group(1), top.group(1), "the biggest state group is the biggest stack group");
                return new String[] {top.group(1), find(facts, "^goroutines: (\\d+)").group(1), top.group(2), state.group(2).trim()};
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"goroutine-leak.pb.gz", "goroutine-leak.debug1.txt", "goroutine-leak.debug2.txt"})
    void goroutineLeakNamesCountStateAndFunction(String capture) throws Exception {
        String[] facts = leakFacts(capture);
        long count = Long.parseLong(facts[0]), total = Long.parseLong(facts[1]);
        assertEquals("main.fetchWithTimeout.func1", facts[2]);
        assertTrue(count >= Findings.LEAK_MIN_GOROUTINES && count >= Findings.LEAK_SHARE * total, "facts say this is a leak");

        List<Finding> leaks = ofRule(Findings.of(load("pprof", capture)), "goroutine-leak");
        assertEquals(1, leaks.size(), leaks.toString());
        Finding f = leaks.get(0);
        assertEquals("goroutine-leak/" + facts[2], f.id());
        assertEquals(Severity.WARNING, f.severity());
        assertTrue(f.explanation().startsWith(String.format(Locale.ROOT, "%,d of %,d goroutines", count, total)), f.explanation());
        assertTrue(f.explanation().contains("at " + facts[2] + " ("), f.explanation());
        assertTrue(Pattern.compile("main\\.go:\\d+\\)").matcher(f.explanation()).find(), "file:line: " + f.explanation());
        if (facts[3] != null) assertTrue(f.explanation().contains("state \"" + facts[3] + "\""), f.explanation());
        else assertFalse(f.explanation().contains("state"), f.explanation());
        assertEquals(Finding.Link.FLAME, f.link().view());
        assertTrue(Pattern.compile(f.link().value()).matcher(facts[2]).find());
        assertFalse(Pattern.compile(f.link().value()).matcher("main.fetchWithTimeout").find(), "anchored");
    }

    @ParameterizedTest
    @ValueSource(strings = {"goroutine.pb.gz", "goroutine.debug1.txt", "goroutine.debug2.txt"})
    void manyGoroutinesOnDifferentStacksAreNoLeak(String capture) throws Exception {
        String facts = text("pprof", "goroutine.debug1.facts.txt");
        Matcher m = Pattern.compile("record \\d+: count=(\\d+)").matcher(facts);
        long max = 0;
        while (m.find()) max = Math.max(max, Long.parseLong(m.group(1)));
        assertTrue(max > 1 && max < Findings.LEAK_MIN_GOROUTINES, "facts: largest group " + max);
        assertEquals(List.of(), ofRule(Findings.of(load("pprof", capture)), "goroutine-leak"));
    }

    // ---- (a) lock contention and (e) hot spot on the JDK 17 diff pair

    /** Blocked ms of the top monitor class, all blocked ms (monitors + lock-like parks) and the span, from facts. */
    static double[] lockFacts(FactsFile facts) {
        double top = facts.section("jdk.JavaMonitorEnter").tables().get("by monitorClass").get(0).getDouble("total_ms");
        double all = facts.section("jdk.JavaMonitorEnter").tables().get("by monitorClass").stream().mapToDouble(r -> r.getDouble("total_ms")).sum();
        for (FactsFile.Row r : facts.section("jdk.ThreadPark").tables().get("by parkedClass")) {
            if (Findings.LOCK_LIKE_PARK_CLASS.matcher(r.name()).find()) all += r.getDouble("total_ms");
        }
        double spanMs = Double.parseDouble(facts.value("span_s")) * 1000;
        return new double[] {top, all, spanMs};
    }

    @Test
    void regressedDiffReportsTheInventoryLockAndTheChecksumHotSpot() throws Exception {
        FactsFile facts = new FactsFile(Captures.file("jfr", "jdk17-diff-regressed.facts.txt"));
        FactsFile.Row lock = facts.section("jdk.JavaMonitorEnter").tables().get("by monitorClass").get(0);
        assertEquals("DiffWorkload$InventoryLock", lock.name());
        double[] lf = lockFacts(facts);
        assertTrue(lf[0] / lf[1] > Findings.LOCK_SHARE && lf[0] >= Findings.LOCK_MIN_DURATION_SHARE * lf[2], "facts say: report it");

        List<Finding> all = Findings.of(load("jfr", "jdk17-diff-regressed.jfr"));
        Finding f = byId(all, "lock-contention/DiffWorkload$InventoryLock");
        assertNotNull(f, all.toString());
        assertEquals(lf[0] >= lf[2] ? Severity.CRITICAL : Severity.WARNING, f.severity());
        assertTrue(f.explanation().contains(String.format(Locale.ROOT, "blocked %,d ms entering monitors of DiffWorkload$InventoryLock (%,d events)",
                Math.round(lf[0]), lock.getLong("events"))), f.explanation());
        assertTrue(f.explanation().contains(Findings.pct(lf[0] / lf[1]) + " of all blocked time"), f.explanation());
        assertEquals(new Finding.Link("locks", "lockClass", "DiffWorkload$InventoryLock", null), f.link());

        FactsFile.Row top = facts.section("jdk.ExecutionSample").tables().get("self samples by method").get(0);
        long samples = Long.parseLong(find(facts.section("jdk.ExecutionSample").header(), "events=(\\d+)").group(1));
        assertEquals("DiffWorkload.computeChecksum", top.name());
        Finding hot = byId(all, "cpu-hotspot/DiffWorkload.computeChecksum");
        assertNotNull(hot, all.toString());
        assertTrue(hot.explanation().contains(String.format(Locale.ROOT, "%s (%,d samples of %,d samples)",
                Findings.pct((double) top.getLong("samples") / samples), top.getLong("samples"), samples)), hot.explanation());
        assertEquals(1, ofRule(all, "cpu-hotspot").size());
    }

    /**
     * The baseline's InventoryLock is still the only contended lock (100% of blocked time) but costs ~3% of the
     * recording, below {@link Findings#LOCK_MIN_DURATION_SHARE}: no lock finding. Its CPU has a real hot spot too
     * (tokenize, just over half the samples), which is reported: the pair differs in which function it is.
     */
    @Test
    void baselineDiffHasNoLockFindingAndADifferentHotSpot() throws Exception {
        FactsFile facts = new FactsFile(Captures.file("jfr", "jdk17-diff-baseline.facts.txt"));
        double[] lf = lockFacts(facts);
        assertTrue(lf[0] < Findings.LOCK_MIN_DURATION_SHARE * lf[2], "facts say: too small to report");
        List<Finding> all = Findings.of(load("jfr", "jdk17-diff-baseline.jfr"));
        assertEquals(List.of(), ofRule(all, "lock-contention"));

        FactsFile.Row top = facts.section("jdk.ExecutionSample").tables().get("self samples by method").get(0);
        long samples = Long.parseLong(find(facts.section("jdk.ExecutionSample").header(), "events=(\\d+)").group(1));
        boolean dominant = (double) top.getLong("samples") / samples > Findings.DOMINANT_SHARE;
        assertEquals(dominant ? List.of("cpu-hotspot/" + top.name()) : List.of(),
                ofRule(all, "cpu-hotspot").stream().map(Finding::id).toList());
        assertNull(byId(all, "cpu-hotspot/DiffWorkload.computeChecksum"));
    }

    @Test
    void mainThreadParkedOnFuturesIsMostlyWaiting() throws Exception {
        FactsFile facts = new FactsFile(Captures.file("jfr", "jdk17-diff-regressed.facts.txt"));
        FactsFile.Row main = facts.section("jdk.ThreadPark").tables().get("by thread").get(0);
        FactsFile.Row cls = facts.section("jdk.ThreadPark").tables().get("by parkedClass").get(0);
        assertEquals("main", main.name());
        double spanMs = Double.parseDouble(facts.value("span_s")) * 1000;
        assertTrue(main.getDouble("total_ms") > Findings.THREAD_BLOCKED_SHARE * spanMs, "parked most of the recording");
        Finding f = byId(Findings.of(load("jfr", "jdk17-diff-regressed.jfr")), "thread-blocked/main");
        assertNotNull(f);
        assertEquals(Severity.INFO, f.severity());
        assertTrue(f.explanation().contains(String.format(Locale.ROOT, "waiting %,d ms", Math.round(main.getDouble("total_ms"))))
                && f.explanation().endsWith("mostly on " + cls.name() + "."), f.explanation());
    }

    @Test
    void idlePoolThreadsWaitingOnTheirOwnQueueAreNoFinding() throws Exception {
        FactsFile facts = new FactsFile(Captures.file("jfr", "jdk17-multichunk.facts.txt"));
        double spanMs = Double.parseDouble(facts.value("span_s")) * 1000;
        java.util.Map<String, Double> parked = new java.util.HashMap<>();
        for (FactsFile.Row r : facts.section("jdk.ThreadPark").tables().get("by thread")) parked.put(r.name(), r.getDouble("total_ms"));
        double cleaner = 0;
        for (FactsFile.Row r : facts.section("jdk.JavaMonitorWait").tables().get("by monitorClass")) {
            if (r.name().equals("java.lang.ref.ReferenceQueue$Lock")) cleaner = r.getDouble("total_ms"); // only Common-Cleaner waits on it
        }
        // the pool worker (ForkJoinPool.awaitWork) and the cleaner (ReferenceQueue.remove) wait most of the recording, and
        // so does heartbeat, parked on the application's own MixedWorkload$Heartbeat
        assertTrue(parked.get("ForkJoinPool.commonPool-worker-1") > Findings.THREAD_BLOCKED_SHARE * spanMs);
        assertTrue(parked.get("log-shipper") > Findings.THREAD_BLOCKED_SHARE * spanMs);
        assertTrue(parked.get("heartbeat") > Findings.THREAD_BLOCKED_SHARE * spanMs);
        assertTrue(cleaner > 8_000, "the cleaner waits 8.3 s, all of its observed lifetime");
        List<String> ids = ofRule(Findings.of(load("jfr", "jdk17-multichunk.jfr")), "thread-blocked").stream().map(Finding::id).toList();
        assertFalse(ids.contains("thread-blocked/Common-Cleaner"), ids.toString());
        assertFalse(ids.contains("thread-blocked/ForkJoinPool.commonPool-worker-1"), ids.toString());
        assertFalse(ids.contains("thread-blocked/log-shipper"), ids.toString()); // LinkedBlockingQueue.take on its own queue
        assertTrue(ids.contains("thread-blocked/heartbeat"), ids.toString());
    }

    // ---- (d) allocation sites

    @Test
    void goAllocSpaceDominatedByOneSite() throws Exception {
        String top = text("pprof", "allocs-baseline.top.txt");
        String section = top.substring(top.indexOf("-sample_index=alloc_space"));
        Matcher row = find(section, "^\\s*\\S+\\s+([\\d.]+)%\\s+[\\d.]+%\\s+\\S+\\s+[\\d.]+%\\s+(\\S+)$");
        double pct = Double.parseDouble(row.group(1));
        assertTrue(pct > 100 * Findings.DOMINANT_SHARE);
        List<Finding> found = ofRule(Findings.of(load("pprof", "allocs-baseline.pb.gz")), "allocation-site");
        assertEquals(List.of("allocation-site/" + row.group(2)), found.stream().map(Finding::id).toList());
        assertTrue(found.get(0).explanation().contains(String.format(Locale.ROOT, "%.1f%%", pct)), found.get(0).explanation());
        assertEquals(pct > 100 * Findings.OVERWHELMING_SHARE ? Severity.WARNING : Severity.INFO, found.get(0).severity());
        assertEquals("alloc_space/bytes", found.get(0).link().valueType());
    }

    @Test
    void jfrAllocationSpreadOverSitesIsNoFinding() throws Exception {
        FactsFile facts = new FactsFile(Captures.file("jfr", "jdk17-mixed.facts.txt"));
        var alloc = facts.section("jdk.ObjectAllocationSample");
        long total = Long.parseLong(find(alloc.header(), "total_weight_bytes=(\\d+)").group(1));
        long top = alloc.tables().get("weight by top frame").get(0).getLong("weight_bytes");
        assertTrue((double) top / total <= Findings.DOMINANT_SHARE, "facts: top site " + top + " of " + total);
        assertEquals(List.of(), ofRule(Findings.of(load("jfr", "jdk17-mixed.jfr")), "allocation-site"));
    }

    // ---- hand-made fixture: (a) and (c) with numbers computed by hand

    /**
     * Over a 2 s capture (all threads seen at 0 s and 2 s): "blocker" enters com.acme.Lock for 1.7 s (85%),
     * "waiter" parks on FutureTask 1.7 s (85%, waiting), "sleeper" sleeps 1.9 s (not counted), "brief" lives
     * 0.5 s, all of it in com.acme.Lock (too short), "partial" parks on ReentrantLock$NonfairSync 1.5 s (75%).
     * Blocked time: 2.2 s (com.acme.Lock) + 1.5 s (NonfairSync, lock-like) = 3.7 s; FutureTask is waiting.
     */
    static Profile fixture() {
        ProfileBuilder b = new ProfileBuilder(SourceFormat.JFR, "fixture.jfr");
        long s = 1_000_000_000L, t0 = 100 * s;
        b.timeSpan(t0, 2 * s);
        int stack = b.stack(-1, b.frame(b.function("Work.run", "Work", ""), 1, 0, FrameKind.JIT, 0));
        var cpu = b.sampleTable("jdk.ExecutionSample", List.of(new ValueType("cpu", "samples")), true, false, false);
        int lock = b.classIndex("com.acme.Lock"), future = b.classIndex("java.util.concurrent.FutureTask");
        int sync = b.classIndex("java.util.concurrent.locks.ReentrantLock$NonfairSync");
        String[] names = {"blocker", "waiter", "sleeper", "brief", "partial"};
        int[] th = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            th[i] = b.thread(i + 1, names[i], i + 1, i + 1, false);
            if (!names[i].equals("brief")) {
                cpu.add(stack, th[i], t0, -1, 1);
                cpu.add(stack, th[i], t0 + 2 * s, -1, 1);
            }
        }
        b.event(EventKind.MONITOR_ENTER, th[0], t0 + s / 10, 17 * s / 10, stack, lock, 1, -1, -1, 0);
        b.event(EventKind.THREAD_PARK, th[1], t0 + s / 10, 17 * s / 10, stack, future, 2, -1, -1, 0);
        b.event(EventKind.THREAD_SLEEP, th[2], t0, 19 * s / 10, stack, -1, 0, -1, -1, 0);
        b.event(EventKind.MONITOR_ENTER, th[3], t0, s / 2, stack, lock, 1, -1, -1, 0);
        b.event(EventKind.THREAD_PARK, th[4], t0 + s / 10, 15 * s / 10, stack, sync, 3, -1, -1, 0);
        return b.build();
    }

    @Test
    void threadsBlockedOrWaitingMostOfTheirLifetime() {
        List<Finding> threads = ofRule(Findings.of(fixture()), "thread-blocked");
        assertEquals(List.of("thread-blocked/blocker", "thread-blocked/waiter"), threads.stream().map(Finding::id).toList());
        assertEquals(Severity.WARNING, threads.get(0).severity());
        assertEquals("blocker was blocked 1,700 ms and waiting 0 ms in its observed lifetime of 2.0 s, 85.0% of it; "
                + "mostly on com.acme.Lock.", threads.get(0).explanation());
        assertEquals(Severity.INFO, threads.get(1).severity());
        assertTrue(threads.get(1).explanation().contains("waiting 1,700 ms") && threads.get(1).explanation().contains("85.0%"));
        assertEquals(new Finding.Link("threads", "thread", "waiter", null), threads.get(1).link());
    }

    @Test
    void lockShareCountsMonitorsAndLockLikeParksOnly() {
        List<Finding> locks = ofRule(Findings.of(fixture()), "lock-contention");
        // com.acme.Lock: (1.7 + 0.5) s of (2.2 + 1.5) s = 59.5% > 50%, and 2.2 s >= the 2 s capture: CRITICAL.
        assertEquals(List.of("lock-contention/com.acme.Lock"), locks.stream().map(Finding::id).toList());
        assertEquals(Severity.CRITICAL, locks.get(0).severity());
        // 2.2 s of blocking over a 2 s capture: 1.1 threads blocked at once on average
        assertEquals("Threads were blocked 2,200 ms entering monitors of com.acme.Lock (2 events), 59.5% of all "
                + "blocked time: on average 1.1 threads at once over the 2.0 s recording.", locks.get(0).explanation());
    }

    @Test
    void emptyAndDamagedProfilesGiveNoFindingsAndNoErrors() throws Exception {
        assertEquals(List.of(), Findings.of(new ProfileBuilder(SourceFormat.PPROF, "empty.pb").build()));
        for (Path p : Captures.list("bad", ".jfr", ".gz", ".txt")) {
            Profile profile;
            try {
                profile = ProfileLoader.load(p, ProgressSink.NONE);
            } catch (ProfileFormatException e) {
                continue; // the loader's answer; nothing to analyse
            }
            assertNotNull(Findings.of(profile), p.toString());
        }
    }

    @Test
    void regexLiteralMatchesOnlyTheName() {
        String re = Findings.regexLiteral("main.(*jobQueue).idleWorker");
        assertTrue(Pattern.compile(re).matcher("main.(*jobQueue).idleWorker").find());
        assertFalse(Pattern.compile(re).matcher("main.(*jobQueue).idleWorker2").find());
        assertFalse(Pattern.compile(re).matcher("mainX(*jobQueue).idleWorker").find());
    }
}
