// SPDX-License-Identifier: Apache-2.0
package dev.kiln.gotrace;

import dev.kiln.analysis.findings.Finding;
import dev.kiln.analysis.findings.Findings;
import dev.kiln.analysis.timeline.GoroutineGroups;
import dev.kiln.analysis.timeline.ThreadState;
import dev.kiln.analysis.timeline.ThreadTimelines;
import dev.kiln.model.Profile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Timelines, goroutine groups and findings of a real trace (mixed.trace: 4 workers on one mutex, 2 Ps). */
class GoTraceAnalysisTest {
    @Test
    void everyGoroutineLaneAddsUpAndTheWorkersAreGroupedByStartFunction() throws Exception {
        Profile p = GoTraceReaderTest.read("mixed.trace");
        ThreadTimelines tl = ThreadTimelines.of(p);
        assertEquals(24, tl.laneCount()); // 22 goroutines and 2 Ps
        long running = 0;
        for (int l = 0; l < tl.laneCount(); l++) {
            long sum = 0;
            for (ThreadState s : ThreadState.values()) sum += tl.total(l, s);
            assertEquals(tl.laneLengthNanos(l), sum, p.threadName(tl.laneThread(l)));
            if (p.threads().goroutineId(tl.laneThread(l)) >= 0) running += tl.total(l, ThreadState.RUNNING);
        }
        // goroutines run on 2 Ps: never more than 2 x the trace's length
        assertTrue(running > 0 && running <= 2 * p.durationNanos(), running + " ns running");
        List<GoroutineGroups.Group> groups = GoroutineGroups.of(p, tl).groups();
        GoroutineGroups.Group workers = groups.get(0);
        assertEquals("main.main.func2", workers.startFunction());
        assertEquals(4, workers.goroutines()); // the generator's -w 4 mutex workers
        assertTrue(workers.syncBlock() > 0 && workers.schedulerWait() > workers.execution(), workers.toString());
        assertEquals(22, groups.stream().mapToInt(GoroutineGroups.Group::goroutines).sum());
    }

    @Test
    void theContendedMutexAndTheShortageOfPsAreFindings() throws Exception {
        Profile p = GoTraceReaderTest.read("mixed.trace");
        List<String> ids = Findings.of(p).stream().map(Finding::id).collect(Collectors.toList());
        assertTrue(ids.contains("scheduler-latency"), ids.toString());
        assertTrue(ids.contains("hot-mutex/main.main.func2.1"), ids.toString());
        assertTrue(ids.stream().noneMatch(i -> i.startsWith("gc-bound") || i.startsWith("goroutine-blocked-to-end")), ids.toString());
    }

    /** leak.trace (gen/leak/main.go, Go 1.23): each of 30 requests leaves a goroutine waiting on a channel nobody sends on. */
    @Test
    void goroutinesBlockedUntilTheEndAreLeakSuspects() throws Exception {
        Profile p = GoTraceReaderTest.read("leak.trace");
        Finding leak = Findings.of(p).stream().filter(f -> f.id().equals("goroutine-blocked-to-end/main.waitForever")).findFirst().orElseThrow();
        assertTrue(leak.explanation().startsWith("30 goroutines"), leak.explanation());
        assertTrue(leak.explanation().contains("\"chan receive\"") && leak.explanation().contains("main.go:18"), leak.explanation());
        assertEquals(dev.kiln.analysis.findings.Severity.WARNING, leak.severity());
    }
}
