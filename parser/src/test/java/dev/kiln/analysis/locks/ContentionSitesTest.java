// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.locks;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.locks.ContentionSites.Site;
import dev.kiln.analysis.locks.ContentionSites.Total;
import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.FrameKind;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileBuilder;
import dev.kiln.model.SourceFormat;
import dev.kiln.model.ValueType;
import dev.kiln.testutil.Captures;
import dev.kiln.testutil.FactsFile;
import dev.kiln.testutil.PprofTop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Contention-site graphs of Go block/mutex profiles and async-profiler's lock profile against the corpus facts. */
class ContentionSitesTest {
    static ContentionSites sites(String pprofFile) throws Exception {
        Profile p = ProfileLoader.load(Captures.file("pprof", pprofFile), ProgressSink.NONE);
        assertTrue(ContentionSites.applies(p));
        return ContentionSites.of(p, Filter.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"block", "mutex"})
    void goProtobufTotalsAndTopContendedFunction(String name) throws Exception {
        ContentionSites c = sites(name + ".pb.gz");
        assertEquals(PprofTop.rawSum(Captures.file("pprof", name + ".facts.txt"), "delay/nanoseconds"), c.totalDelayNanos());
        assertEquals(PprofTop.rawSum(Captures.file("pprof", name + ".facts.txt"), "contentions/count"), c.totalContentions());
        Map<String, List<PprofTop.Row>> top = PprofTop.read(Captures.file("pprof", name + ".top.txt"));
        PprofTop.Row byDelay = top.get("delay").get(0), byCount = top.get("contentions").get(0);
        Total ours = c.byContended().get(0);
        assertEquals(byDelay.name(), ours.name());
        assertEquals(byDelay.flat(), ours.delayNanos(), byDelay.tolerance());
        List<Total> byContentions = new ArrayList<>(c.byContended());
        byContentions.sort(Comparator.comparingLong(Total::contentions).reversed());
        assertEquals(byCount.name(), byContentions.get(0).name());
        assertEquals(byCount.flat(), byContentions.get(0).contentions(), byCount.tolerance());
        assertOwnersUnknownAndSitesOutsideMachinery(c);
        // The mutex profile charges the unlocking stack: every row is a releasing one.
        for (Site s : c.sites()) assertEquals(name.equals("mutex"), s.releasing(), s.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"block", "mutex"})
    void goTextFormsHaveTheFactsTotals(String name) throws Exception {
        ContentionSites c = sites(name + ".debug1.txt");
        String facts = Files.readString(Captures.file("pprof", name + ".debug1.facts.txt"));
        Matcher m = Pattern.compile("sum_count\\(contentions\\): (\\d+).*delay_seconds: ([\\d.]+)").matcher(facts);
        assertTrue(m.find(), facts);
        assertEquals(Long.parseLong(m.group(1)), c.totalContentions());
        assertEquals(Double.parseDouble(m.group(2)), c.totalDelayNanos() / 1e9, 0.5e-6 + 1e-9);
        // Same run as the protobuf: same top contended function.
        String top = PprofTop.read(Captures.file("pprof", name + ".top.txt")).get("delay").get(0).name();
        assertEquals(top, c.byContended().get(0).name());
        assertOwnersUnknownAndSitesOutsideMachinery(c);
    }

    @Test
    void asyncProfilerLockProfileNamesTheLockClass() throws Exception {
        ContentionSites c = sites("jvm-asprof-lock.pb.gz");
        assertEquals(PprofTop.rawSum(Captures.file("pprof", "jvm-asprof-lock.facts.txt"), "locks/nanoseconds"), c.totalDelayNanos());
        assertNull(c.countType());
        PprofTop.Row top = PprofTop.read(Captures.file("pprof", "jvm-asprof-lock.top.txt")).get("locks").get(0);
        assertEquals(top.name(), c.byContended().get(0).name());
        assertEquals(top.flat(), c.byContended().get(0).delayNanos(), top.tolerance());
        assertOwnersUnknownAndSitesOutsideMachinery(c);
        // The pprof was converted from the async-profiler recording of the same run: the monitor's delay equals that
        // recording's jdk.JavaMonitorEnter time, and its site is the events' top frame.
        FactsFile.Section enter = new FactsFile(Captures.file("jfr", "asprof-jdk17-mixed.facts.txt")).section("jdk.JavaMonitorEnter");
        FactsFile.Row ledger = enter.tables().get("by monitorClass").get(0);
        Site s = c.sites().get(0);
        assertEquals(ledger.name(), s.contended());
        assertEquals(ledger.getDouble("total_ms"), s.delayNanos() / 1e6, 0.0015);
        assertEquals(enter.tables().get("by top frame").get(0).name(), s.site());
    }

    private static void assertOwnersUnknownAndSitesOutsideMachinery(ContentionSites c) {
        assertFalse(c.ownersKnown());
        assertTrue(c.note().startsWith("Owners unknown"), c.note());
        long delay = 0, count = 0;
        for (Site s : c.sites()) {
            assertFalse(ContentionSites.MACHINERY.matcher(s.site()).find(), s.site());
            delay += s.delayNanos();
            count += s.contentions();
            long stackDelay = 0;
            for (ContentionSites.StackDelay d : s.stacks()) stackDelay += d.delayNanos();
            assertEquals(s.delayNanos(), stackDelay);
        }
        assertEquals(c.totalDelayNanos(), delay);
        assertEquals(c.totalContentions(), count);
    }

    /**
     * main.main -> main.worker -> sync.(*Mutex).Lock                                   delay 100, 2 contentions
     * main.main -> main.worker -> sync.(*Mutex).Lock                  (second record)  delay  50, 1
     * main.main -> main.helper -> sync.(*RWMutex).RLock -> sync.runtime_SemacquireMutex delay  30, 3
     * runtime.main -> runtime.gopark                                                  delay   5, 1
     */
    @Test
    void fixtureSites() {
        ProfileBuilder b = new ProfileBuilder(SourceFormat.PPROF, "fixture");
        ValueType count = new ValueType("contentions", "count"), delay = new ValueType("delay", "nanoseconds");
        ProfileBuilder.SampleTableBuilder t = b.sampleTable("pprof", List.of(count, delay), false, false, false);
        int main = b.stack(-1, frame(b, "main.main"));
        int worker = b.stack(b.stack(main, frame(b, "main.worker")), frame(b, "sync.(*Mutex).Lock"));
        int helper = b.stack(b.stack(b.stack(main, frame(b, "main.helper")), frame(b, "sync.(*RWMutex).RLock")),
                frame(b, "sync.runtime_SemacquireMutex"));
        int gopark = b.stack(b.stack(-1, frame(b, "runtime.main")), frame(b, "runtime.gopark"));
        t.add(worker, -1, 0, -1, -1, new long[] {2, 100});
        t.add(worker, -1, 0, -1, -1, new long[] {1, 50});
        t.add(helper, -1, 0, -1, -1, new long[] {3, 30});
        t.add(gopark, -1, 0, -1, -1, new long[] {1, 5});
        ContentionSites c = ContentionSites.of(b.build(), Filter.NONE);
        List<String> rows = c.sites().stream().map(s -> s.site() + " -> " + s.contended() + " " + s.delayNanos() + "/" + s.contentions()
                + " stacks=" + s.stacks().size()).toList();
        assertEquals(List.of("main.worker -> sync.(*Mutex).Lock 150/3 stacks=1",
                "main.helper -> sync.runtime_SemacquireMutex 30/3 stacks=1",
                "runtime.main -> runtime.gopark 5/1 stacks=1"), rows);
        assertEquals(185, c.totalDelayNanos());
        assertEquals(7, c.totalContentions());
        assertEquals(List.of(new Total("main.worker", 150, 3), new Total("main.helper", 30, 3), new Total("runtime.main", 5, 1)), c.bySite());
    }

    private static int frame(ProfileBuilder b, String name) {
        return b.frame(b.function(name, "", ""), 0, -1, FrameKind.UNKNOWN, 0);
    }
}
