// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.timeline;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.timeline.ThreadTimelines.Source;
import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.EventKind;
import dev.kiln.model.EventTable;
import dev.kiln.model.Profile;
import dev.kiln.model.SampleTable;
import dev.kiln.testutil.Captures;
import dev.kiln.testutil.FactsFile;
import dev.kiln.testutil.FactsFile.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Timelines of real recordings against the JDK parser's facts: the time a thread spends SLEEPING, PARKED or
 * BLOCKED is the sum of its sleep, park or monitor-enter durations, minus only what the documented precedence gives
 * to another, overlapping event of the same thread; lanes are sorted, gap-free and add up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThreadTimelinesTest {
    /** Facts print milliseconds with three decimals: a sum is exact to half a microsecond. */
    private static final long ROUNDING_NS = 500;

    private final Map<String, Profile> loaded = new HashMap<>();

    @BeforeAll
    void load() throws Exception {
        for (String name : List.of("jdk17-mixed.jfr", "jdk25-mixed.jfr", "jdk17-multichunk.jfr", "asprof-jdk17-mixed.jfr")) {
            loaded.put(name, ProfileLoader.load(Captures.file("jfr", name), ProgressSink.NONE));
        }
    }

    private static FactsFile facts(String capture) {
        return new FactsFile(Captures.file("jfr", capture.replace(".jfr", ".facts.txt")));
    }

    /** Total time of a state over all lanes of threads with this name. */
    private static long stateTotal(Profile p, ThreadTimelines tl, String thread, ThreadState s) {
        long sum = 0;
        for (int l = 0; l < tl.laneCount(); l++) if (p.threadName(tl.laneThread(l)).equals(thread)) sum += tl.total(l, s);
        return sum;
    }

    /**
     * Nanoseconds of {@code kind} events of threads named {@code thread} that another state-making event of the same
     * thread overlaps: the most the precedence rules can take away from that kind.
     */
    private static long overlappedNanos(Profile p, String thread, EventKind kind) {
        EventTable ev = p.events();
        long lost = 0;
        for (int i = 0; i < ev.size(); i++) {
            if (ev.kind(i) != kind || ev.thread(i) < 0 || !p.threadName(ev.thread(i)).equals(thread)) continue;
            long s = ev.startNanos(i), e = s + ev.durationNanos(i);
            for (int j = 0; j < ev.size(); j++) {
                if (j == i || ev.thread(j) != ev.thread(i) || ThreadState.ofEvent(ev.kind(j)) == null) continue;
                long a = Math.max(s, ev.startNanos(j)), b = Math.min(e, ev.startNanos(j) + ev.durationNanos(j));
                if (b > a) lost += b - a;
            }
        }
        return lost;
    }

    /**
     * Asserts the state time of every "by thread" row of a facts section: equal to the facts (to their rounding)
     * when no other event overlaps that thread's events, else at most the facts and at least the facts minus the
     * overlapped time.
     */
    private void assertByThread(String capture, String section, EventKind kind, ThreadState state, String namePrefix) {
        Profile p = loaded.get(capture);
        ThreadTimelines tl = ThreadTimelines.of(p);
        List<Row> rows = facts(capture).section(section).tables().get("by thread");
        int checked = 0;
        for (Row r : rows) {
            if (!r.name().startsWith(namePrefix)) continue;
            long expected = Math.round(r.getDouble("total_ms") * 1e6);
            long actual = stateTotal(p, tl, r.name(), state);
            long overlap = overlappedNanos(p, r.name(), kind);
            String what = capture + " " + r.name() + " " + state + ": facts " + expected + " ns, timeline " + actual + " ns";
            assertTrue(actual <= expected + ROUNDING_NS, what);
            assertTrue(actual >= expected - overlap - ROUNDING_NS, what + ", overlapped " + overlap);
            checked++;
        }
        assertTrue(checked > 0, "no facts row starting with " + namePrefix);
    }

    @Test
    void sleepTimeOfEveryThreadInTheFactsIsItsSleepingTime() {
        assertByThread("jdk17-mixed.jfr", "jdk.ThreadSleep", EventKind.THREAD_SLEEP, ThreadState.SLEEPING, "");
        // nothing overlaps in this recording, so the time is exactly the facts' (checked here so that the
        // comparison above is the strict one)
        Profile p = loaded.get("jdk17-mixed.jfr");
        for (Row r : facts("jdk17-mixed.jfr").section("jdk.ThreadSleep").tables().get("by thread")) {
            assertEquals(0, overlappedNanos(p, r.name(), EventKind.THREAD_SLEEP), r.name());
        }
    }

    @Test
    void heartbeatAndOtherParkersAreParkedForTheirParkTime() {
        assertByThread("jdk17-mixed.jfr", "jdk.ThreadPark", EventKind.THREAD_PARK, ThreadState.PARKED, "heartbeat");
        assertByThread("jdk17-mixed.jfr", "jdk.ThreadPark", EventKind.THREAD_PARK, ThreadState.PARKED, "");
        assertByThread("jdk17-multichunk.jfr", "jdk.ThreadPark", EventKind.THREAD_PARK, ThreadState.PARKED, "heartbeat");
    }

    @Test
    void lockFightersAreBlockedForTheirMonitorEnterTime() {
        assertByThread("jdk17-mixed.jfr", "jdk.JavaMonitorEnter", EventKind.MONITOR_ENTER, ThreadState.BLOCKED, "lock-fighter-");
        assertByThread("jdk25-mixed.jfr", "jdk.JavaMonitorEnter", EventKind.MONITOR_ENTER, ThreadState.BLOCKED, "lock-fighter-");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17-mixed.jfr", "jdk25-mixed.jfr", "jdk17-multichunk.jfr", "asprof-jdk17-mixed.jfr"})
    void lanesAreSortedGapFreeAndAddUp(String capture) {
        Profile p = loaded.get(capture);
        ThreadTimelines tl = ThreadTimelines.of(p);
        assertTrue(tl.laneCount() > 0);
        assertLanesConsistent(p, tl);
    }

    /** The invariants every timeline keeps, including the link from each interval to its evidence. */
    static void assertLanesConsistent(Profile p, ThreadTimelines tl) {
        EventTable ev = p.events();
        for (int l = 0; l < tl.laneCount(); l++) {
            int thread = tl.laneThread(l);
            long[] sums = new long[ThreadState.COUNT];
            long at = tl.laneStartNanos(l);
            assertTrue(tl.firstInterval(l) < tl.endInterval(l), "empty lane " + l);
            for (int i = tl.firstInterval(l); i < tl.endInterval(l); i++) {
                assertEquals(at, tl.startNanos(i), "lane " + l + " interval " + i + " does not start where the last ended");
                assertTrue(tl.endNanos(i) > tl.startNanos(i), "empty interval " + i);
                at = tl.endNanos(i);
                sums[tl.state(i).ordinal()] += tl.endNanos(i) - tl.startNanos(i);
                int row = tl.sourceRow(i);
                switch (tl.source(i)) {
                    case NONE -> {
                        assertEquals(ThreadState.UNKNOWN, tl.state(i));
                        assertEquals(-1, row);
                    }
                    case EVENT -> {
                        assertEquals(thread, ev.thread(row));
                        assertEquals(ThreadState.ofEvent(ev.kind(row)), tl.state(i));
                        assertTrue(tl.startNanos(i) >= ev.startNanos(row) && tl.endNanos(i) <= ev.startNanos(row) + ev.durationNanos(row));
                    }
                    case EXECUTION_SAMPLE, NATIVE_SAMPLE -> {
                        SampleTable t = tl.sampleTable(tl.source(i));
                        assertEquals(thread, t.thread(row));
                        assertEquals(tl.source(i) == Source.EXECUTION_SAMPLE ? ThreadState.RUNNING : ThreadState.RUNNABLE_NATIVE, tl.state(i));
                        long period = tl.source(i) == Source.EXECUTION_SAMPLE ? tl.executionSamplePeriodNanos() : tl.nativeSamplePeriodNanos();
                        assertTrue(tl.startNanos(i) >= t.timeNanos(row) && tl.endNanos(i) <= t.timeNanos(row) + period);
                    }
                }
            }
            assertEquals(tl.laneEndNanos(l), at, "lane " + l + " does not end at its last interval");
            long total = 0;
            for (ThreadState s : ThreadState.values()) {
                assertEquals(sums[s.ordinal()], tl.total(l, s), "total " + s);
                total += tl.total(l, s);
            }
            assertEquals(tl.laneLengthNanos(l), total);
        }
    }

    @Test
    void aTimeRangeClipsLanesAndTheirEvents() {
        Profile p = loaded.get("jdk17-mixed.jfr");
        long from = p.startEpochNanos() + 5_000_000_000L, to = from + 2_000_000_000L;
        Filter f = Filter.NONE.withThreadName(Pattern.compile("^lock-fighter-")).withTimeRange(from, to);
        ThreadTimelines tl = ThreadTimelines.of(p, f, ProgressSink.NONE);
        assertEquals(6, tl.laneCount());
        assertLanesConsistent(p, tl);
        EventTable ev = p.events();
        for (int l = 0; l < tl.laneCount(); l++) {
            assertTrue(p.threadName(tl.laneThread(l)).startsWith("lock-fighter-"));
            assertTrue(tl.laneStartNanos(l) >= from && tl.laneEndNanos(l) <= to);
            // monitor-enter time of this thread inside [from, to), computed from the events alone
            long blocked = 0;
            for (int i = 0; i < ev.size(); i++) {
                if (ev.kind(i) != EventKind.MONITOR_ENTER || ev.thread(i) != tl.laneThread(l)) continue;
                long a = Math.max(from, ev.startNanos(i)), b = Math.min(to, ev.startNanos(i) + ev.durationNanos(i));
                if (b > a) blocked += b - a;
            }
            assertTrue(blocked > 0);
            assertEquals(blocked, tl.total(l, ThreadState.BLOCKED), p.threadName(tl.laneThread(l)));
        }
    }

    @Test
    void threadsOfTheFilterOnly() {
        Profile p = loaded.get("jdk17-mixed.jfr");
        int heartbeat = -1;
        for (int t = 0; t < p.threads().size(); t++) if (p.threadName(t).equals("heartbeat")) heartbeat = t;
        ThreadTimelines tl = ThreadTimelines.of(p, Filter.NONE.withThreads(java.util.Set.of(heartbeat)), ProgressSink.NONE);
        assertEquals(1, tl.laneCount());
        assertEquals(0, tl.laneOf(heartbeat));
        assertFalse(tl.total(0, ThreadState.PARKED) == 0);
    }
}
