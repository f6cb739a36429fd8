// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.timeline;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.timeline.ThreadTimelines.Source;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.EventKind;
import dev.kiln.model.FrameKind;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileBuilder;
import dev.kiln.model.SourceFormat;
import dev.kiln.model.ValueType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static dev.kiln.analysis.timeline.ThreadState.BLOCKED;
import static dev.kiln.analysis.timeline.ThreadState.IO;
import static dev.kiln.analysis.timeline.ThreadState.PARKED;
import static dev.kiln.analysis.timeline.ThreadState.RUNNABLE_NATIVE;
import static dev.kiln.analysis.timeline.ThreadState.RUNNING;
import static dev.kiln.analysis.timeline.ThreadState.SLEEPING;
import static dev.kiln.analysis.timeline.ThreadState.UNKNOWN;
import static dev.kiln.analysis.timeline.ThreadState.WAITING;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The precedence rules on a hand-built recording, every expected interval worked out by hand (times in ms). */
class ThreadTimelinesFixtureTest {
    private static final long T0 = 1_700_000_000_000_000_000L, MS = 1_000_000L;

    /**
     * Thread "worker", alive 0..280: execution samples at 10, 15, 40 (inside the park), 100; a native sample at 200;
     * park 30-70; sleep 72-80 and monitor enter 72-90 (same start, sleep added first); wait 120-180 with a socket read
     * 130-140 inside; a zero-length socket write at 95; sleep 230-260 overlapped by a file read 250-270.
     * Thread "idler": one execution sample at 50, no start/end events. Thread "short": start 0, sample at 5, end 12.
     * Thread "ghost": nothing. Sampling gaps of worker: 5, 25, 60 ms: median 25 ms, capped to 20 ms.
     */
    static Profile fixture() {
        ProfileBuilder b = new ProfileBuilder(SourceFormat.JFR, "fixture.jfr");
        int stack = b.stack(-1, b.frame(b.function("Work.run", "Work", ""), 1, 0, FrameKind.JIT, 0));
        int worker = b.thread(1, "worker", 1, 101, false);
        int idler = b.thread(2, "idler", 2, 102, false);
        int shortLived = b.thread(3, "short", 3, 103, false);
        b.thread(4, "ghost", 4, 104, false);
        var exec = b.sampleTable(ThreadTimelines.EXECUTION_TABLE, List.of(new ValueType("cpu", "samples")), true, false, false);
        var nat = b.sampleTable(ThreadTimelines.NATIVE_TABLE, List.of(new ValueType("native", "samples")), true, false, false);
        for (long t : new long[] {10, 15, 40, 100}) exec.add(stack, worker, T0 + t * MS, -1, 1);
        exec.add(stack, idler, T0 + 50 * MS, -1, 1);
        exec.add(stack, shortLived, T0 + 5 * MS, -1, 1);
        nat.add(stack, worker, T0 + 200 * MS, -1, 1);
        event(b, EventKind.THREAD_START, worker, 0, 0);
        event(b, EventKind.THREAD_PARK, worker, 30, 40);
        event(b, EventKind.THREAD_SLEEP, worker, 72, 8);
        event(b, EventKind.MONITOR_ENTER, worker, 72, 18);
        event(b, EventKind.SOCKET_WRITE, worker, 95, 0);
        event(b, EventKind.MONITOR_WAIT, worker, 120, 60);
        event(b, EventKind.SOCKET_READ, worker, 130, 10);
        event(b, EventKind.THREAD_SLEEP, worker, 230, 30);
        event(b, EventKind.FILE_READ, worker, 250, 20);
        event(b, EventKind.THREAD_END, worker, 280, 0);
        event(b, EventKind.THREAD_START, shortLived, 0, 0);
        event(b, EventKind.THREAD_END, shortLived, 12, 0);
        return b.build();
    }

    private static void event(ProfileBuilder b, EventKind kind, int thread, long startMs, long durationMs) {
        b.event(kind, thread, T0 + startMs * MS, durationMs * MS, -1, -1, 0, -1, -1, 0);
    }

    /** "from-to STATE" per interval of a lane, in ms from T0. */
    private static List<String> lane(ThreadTimelines tl, int lane) {
        List<String> r = new ArrayList<>();
        for (int i = tl.firstInterval(lane); i < tl.endInterval(lane); i++) {
            r.add((tl.startNanos(i) - T0) / MS + "-" + (tl.endNanos(i) - T0) / MS + " " + tl.state(i));
        }
        return r;
    }

    @Test
    void precedenceOnTheWorker() {
        Profile p = fixture();
        ThreadTimelines tl = ThreadTimelines.of(p);
        assertEquals(20 * MS, tl.executionSamplePeriodNanos());
        assertEquals(20 * MS, tl.nativeSamplePeriodNanos()); // one native sample: no gap, the cap
        int w = tl.laneOf(0);
        assertEquals(List.of(
                "0-10 UNKNOWN",
                "10-15 RUNNING",          // cut by the next sample
                "15-30 RUNNING",          // cut by the park; the sample at 40 is inside the park: dropped
                "30-70 PARKED",
                "70-72 UNKNOWN",
                "72-80 SLEEPING",         // equal starts: the shorter (inner) event first
                "80-90 BLOCKED",
                "90-100 UNKNOWN",         // the zero-length socket write adds nothing
                "100-120 RUNNING",        // a full period
                "120-130 WAITING",
                "130-140 IO",             // the inner event splits the outer one
                "140-180 WAITING",
                "180-200 UNKNOWN",
                "200-220 RUNNABLE_NATIVE",
                "220-230 UNKNOWN",
                "230-250 SLEEPING",       // partly overlapped: the later-started file read wins
                "250-270 IO",
                "270-280 UNKNOWN"), lane(tl, w));
        assertEquals(0, tl.laneStartNanos(w) - T0);
        assertEquals(280 * MS, tl.laneLengthNanos(w));
        long[] expected = new long[ThreadState.COUNT];
        expected[RUNNING.ordinal()] = 5 + 15 + 20;
        expected[RUNNABLE_NATIVE.ordinal()] = 20;
        expected[BLOCKED.ordinal()] = 10;
        expected[WAITING.ordinal()] = 10 + 40;
        expected[PARKED.ordinal()] = 40;
        expected[SLEEPING.ordinal()] = 8 + 20;
        expected[IO.ordinal()] = 10 + 20;
        expected[UNKNOWN.ordinal()] = 10 + 2 + 10 + 20 + 10 + 10;
        for (ThreadState s : ThreadState.values()) assertEquals(expected[s.ordinal()] * MS, tl.total(w, s), s.name());
        ThreadTimelinesTest.assertLanesConsistent(p, tl);
    }

    @Test
    void intervalsLinkToTheirEvidence() {
        Profile p = fixture();
        ThreadTimelines tl = ThreadTimelines.of(p);
        int w = tl.laneOf(0);
        int park = tl.intervalAt(w, T0 + 50 * MS);
        assertEquals(Source.EVENT, tl.source(park));
        assertEquals(EventKind.THREAD_PARK, p.events().kind(tl.sourceRow(park)));
        int before = tl.intervalAt(w, T0 + 125 * MS), after = tl.intervalAt(w, T0 + 150 * MS);
        assertEquals(tl.sourceRow(before), tl.sourceRow(after)); // both halves of the wait point at the same row
        assertEquals(EventKind.MONITOR_WAIT, p.events().kind(tl.sourceRow(before)));
        int run = tl.intervalAt(w, T0 + 12 * MS);
        assertEquals(Source.EXECUTION_SAMPLE, tl.source(run));
        assertEquals(T0 + 10 * MS, tl.executionSamples().timeNanos(tl.sourceRow(run)));
        int nat = tl.intervalAt(w, T0 + 200 * MS);
        assertEquals(Source.NATIVE_SAMPLE, tl.source(nat));
        assertEquals(T0 + 200 * MS, tl.nativeSamples().timeNanos(tl.sourceRow(nat)));
        assertEquals(-1, tl.intervalAt(w, T0 + 280 * MS));
    }

    @Test
    void laneBounds() {
        ThreadTimelines tl = ThreadTimelines.of(fixture());
        assertEquals(3, tl.laneCount()); // "ghost" has nothing: no lane
        assertEquals(-1, tl.laneOf(3));
        // no start/end events: from the sample to the end of its period
        assertEquals(List.of("50-70 RUNNING"), lane(tl, tl.laneOf(1)));
        // start/end events bound the lane and cut the sample's period
        assertEquals(List.of("0-5 UNKNOWN", "5-12 RUNNING"), lane(tl, tl.laneOf(2)));
    }

    @Test
    void timeRangeAndThreadFilter() {
        Filter f = Filter.NONE.withTimeRange(T0 + 125 * MS, T0 + 205 * MS);
        ThreadTimelines tl = ThreadTimelines.of(fixture(), f, ProgressSink.NONE);
        assertEquals(1, tl.laneCount()); // idler (50-70) and short (0-12) lie outside
        assertEquals(List.of("125-130 WAITING", "130-140 IO", "140-180 WAITING", "180-200 UNKNOWN", "200-205 RUNNABLE_NATIVE"),
                lane(tl, 0));
        tl = ThreadTimelines.of(fixture(), Filter.NONE.withThreadName(Pattern.compile("^sh")), ProgressSink.NONE);
        assertEquals(1, tl.laneCount());
        assertEquals(2, tl.laneThread(0));
    }

    @Test
    void aShortMedianGapIsThePeriod() {
        ProfileBuilder b = new ProfileBuilder(SourceFormat.JFR, "fast.jfr");
        int stack = b.stack(-1, b.frame(b.function("Work.run", "Work", ""), 1, 0, FrameKind.JIT, 0));
        int t = b.thread(1, "fast", 1, 1, false);
        var exec = b.sampleTable(ThreadTimelines.EXECUTION_TABLE, List.of(new ValueType("cpu", "samples")), true, false, false);
        for (long ms : new long[] {0, 10, 20, 45}) exec.add(stack, t, T0 + ms * MS, -1, 1); // gaps 10, 10, 25: median 10
        ThreadTimelines tl = ThreadTimelines.of(b.build());
        assertEquals(10 * MS, tl.executionSamplePeriodNanos());
        assertEquals(List.of("0-10 RUNNING", "10-20 RUNNING", "20-30 RUNNING", "30-45 UNKNOWN", "45-55 RUNNING"), lane(tl, 0));
    }
}
