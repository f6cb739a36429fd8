// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.timeline;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.timeline.ThreadState;
import dev.kiln.analysis.timeline.ThreadTimelines;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.Units;
import dev.kiln.views.tree.TestProfiles;
import javafx.scene.Scene;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ApplicationExtension.class)
class ThreadTimelineViewTest {
    private ThreadTimelineView view;

    @Start
    void start(Stage stage) {
        view = new ThreadTimelineView();
        stage.setScene(new Scene(view, 1400, 800));
        stage.show();
    }

    /** Records fillRect calls. */
    static final class Recorder implements TimelineSurface {
        final List<double[]> rects = new ArrayList<>();
        final List<Color> colors = new ArrayList<>();
        final List<String> texts = new ArrayList<>();
        final List<double[]> lines = new ArrayList<>();
        final List<Color> lineColors = new ArrayList<>();

        @Override
        public void fillRect(double x, double y, double w, double h, Color color) {
            rects.add(new double[]{x, y, w, h});
            colors.add(color);
        }

        @Override
        public void line(double x1, double y1, double x2, double y2, Color color) {
            lines.add(new double[]{x1, y1, x2, y2});
            lineColors.add(color);
        }

        @Override
        public void text(String text, double x, double y, double maxWidth, Color color) { texts.add(text); }
    }

    @Test
    void sleeperLaneShowsSleepingTotalOfTheFacts(FxRobot robot) {
        Profile p = TestProfiles.mixed();
        ThreadTimelineView.Data d = ThreadTimelineView.Data.compute(p, Filter.NONE, ProgressSink.NONE);
        ThreadTimelines tl = d.timelines();
        double factsMs = Double.parseDouble(TestProfiles.fact("== jdk\\.ThreadSleep\\n(?:.*\\n)*?\\s+sleeper-1\\s+events=\\d+ total_ms=([0-9.]+)"));
        robot.interact(() -> view.setData(d));
        String[] names = new String[tl.laneCount()];
        for (int l = 0; l < names.length; l++) names[l] = p.threadName(tl.laneThread(l));
        int[] order = ThreadTimelineView.order(tl, names, "^sleeper-1$", ThreadTimelineView.Sort.NAME);
        assertEquals(1, order.length);
        int lane = order[0];
        // sleeper-1 only sleeps and runs: its SLEEPING time is its sleep events (facts), up to the ms rounding
        // of the facts and clipping at the recording's end.
        long sleeping = tl.total(lane, ThreadState.SLEEPING);
        assertEquals(factsMs, sleeping / 1e6, 0.002 * factsMs);

        TimelineLayout layout = TimelineLayout.of(1400, 800, order, tl.laneStartNanos(lane), tl.laneEndNanos(lane));
        Recorder r = new Recorder();
        TimelinePainter.paint(layout, tl, names, tl.laneStartNanos(lane), -1, r);
        double y = layout.yOfRow(0);
        long boxes = 0;
        double width = 0;
        for (int i = 0; i < r.rects.size(); i++) {
            if (r.colors.get(i).equals(TimelinePainter.color(ThreadState.SLEEPING)) && r.rects.get(i)[1] == y) {
                boxes++;
                width += r.rects.get(i)[2];
            }
        }
        assertTrue(boxes > 0, "sleeping boxes in the sleeper-1 lane");
        // Pixel columns show the state at their time: the sleeping share of the width is about the time share.
        double share = (double) sleeping / tl.laneLengthNanos(lane);
        assertEquals(share, width / layout.plotWidth(), 0.1, "sleeping share of the lane's pixels");
        assertTrue(r.texts.contains("sleeper-1"));
        // Hit test: the middle of a sleeping box is a SLEEPING interval of the lane.
        for (int i = 0; i < r.rects.size(); i++) {
            double[] b = r.rects.get(i);
            if (r.colors.get(i).equals(TimelinePainter.color(ThreadState.SLEEPING)) && b[1] == y && b[2] > 4) {
                int hit = TimelinePainter.hit(layout, tl, b[0] + b[2] / 2, y + 5);
                assertEquals(ThreadState.SLEEPING, tl.state(hit));
                assertTrue(view.describe(hit).contains("event: " + dev.kiln.analysis.DisplayNames.of(dev.kiln.model.EventKind.THREAD_SLEEP)), view.describe(hit));
                break;
            }
        }
        robot.interact(() -> {
            view.filterField().setText("sleeper-1");
            view.selectLane(lane);
        });
        assertArrayEquals(order, view.laneOrder());
        assertTrue(view.totalsText().contains("Sleeping " + Units.duration(sleeping)), view.totalsText());
    }

    @Test
    void sortsByBlockedTimeAndScreenshot(FxRobot robot) {
        Profile p = TestProfiles.mixed();
        ThreadTimelineView.Data d = ThreadTimelineView.Data.compute(p, Filter.NONE, ProgressSink.NONE);
        String topBlocked = TestProfiles.firstEntryAfter("== jdk\\.JavaMonitorEnter\\n.*\\n(?:.*\\n)*?  by thread");
        robot.interact(() -> {
            view.setData(d);
            view.sortBox().setValue(ThreadTimelineView.Sort.BLOCKED);
        });
        assertEquals(topBlocked, p.threadName(d.timelines().laneThread(view.laneOrder()[0])));
        robot.interact(() -> {
            view.sortBox().setValue(ThreadTimelineView.Sort.NAME);
            view.selectLane(view.laneOrder()[3]);
            view.paintNow();
            TestProfiles.screenshot(view, "screenshot-timeline.png");
        });
    }

    @Test
    void goroutineDumpShowsStatesAndNoTimelineNote(FxRobot robot) {
        Profile p = TestProfiles.load(TestProfiles.CAPTURES.resolve("pprof/goroutine-leak.debug2.txt"));
        ThreadTimelineView.Data d = ThreadTimelineView.Data.compute(p, Filter.NONE, ProgressSink.NONE);
        robot.interact(() -> view.setData(d));
        assertEquals(d.goroutines().note(), view.totalsText());
        assertTrue(robot.lookup(".table-view").tryQuery().isPresent());
    }

    /** A Go execution trace: goroutine and P lanes, the Runnable and Syscall states, a wait's reason on hover. */
    @Test
    void goTraceShowsGoroutineLanesWithTheirStates(FxRobot robot) {
        Profile p = TestProfiles.load(TestProfiles.CAPTURES.resolve("gotrace/mixed.trace"));
        ThreadTimelineView.Data d = ThreadTimelineView.Data.compute(p, Filter.NONE, ProgressSink.NONE);
        ThreadTimelines tl = d.timelines();
        assertEquals(24, tl.laneCount()); // 22 goroutines (mixed.facts.txt) and 2 Ps
        robot.interact(() -> view.setData(d));
        String[] names = new String[tl.laneCount()];
        for (int l = 0; l < names.length; l++) names[l] = p.threadName(tl.laneThread(l));
        int[] workers = ThreadTimelineView.order(tl, names, " main\\.main\\.func2$", ThreadTimelineView.Sort.NAME);
        assertEquals(4, workers.length); // the generator's 4 mutex workers
        TimelineLayout layout = TimelineLayout.of(1400, 800, workers, p.startEpochNanos(), p.startEpochNanos() + p.durationNanos());
        Recorder r = new Recorder();
        TimelinePainter.paint(layout, tl, names, p.startEpochNanos(), -1, r);
        boolean runnable = false, hitWait = false;
        for (int i = 0; i < r.rects.size(); i++) {
            double[] b = r.rects.get(i);
            runnable |= r.colors.get(i).equals(TimelinePainter.color(ThreadState.RUNNABLE));
            if (!hitWait && r.colors.get(i).equals(TimelinePainter.color(ThreadState.BLOCKED)) && b[2] >= 1) {
                int hit = TimelinePainter.hit(layout, tl, b[0] + b[2] / 2, b[1] + 5);
                if (hit >= 0 && tl.state(hit) == ThreadState.BLOCKED) {
                    String text = view.describe(hit);
                    assertTrue(text.contains("event: " + dev.kiln.analysis.DisplayNames.of(dev.kiln.model.EventKind.GO_WAITING)) && !text.contains("GO_WAITING") && text.contains("\nsync") && text.contains("sync.(*Mutex).Lock"), text);
                    hitWait = true;
                }
            }
        }
        assertTrue(runnable, "workers wait for one of the 2 Ps: runnable time is drawn");
        // the band above the lanes: mixed.trace's 62 GC cycles and 125 stop-the-world pauses, and the heap
        assertEquals(62, d.runtime().gcStart().length);
        assertEquals(125, d.runtime().pauseStart().length);
        Recorder band = new Recorder();
        RuntimeBand.paint(layout, d.runtime(), band);
        assertTrue(band.colors.contains(RuntimeBand.PAUSE) && band.colors.contains(RuntimeBand.GC) && band.colors.contains(RuntimeBand.HEAP));
        assertTrue(band.texts.get(0).startsWith("heap "), band.texts.toString());
        assertTrue(hitWait, "a mutex wait of a worker is drawn, with its reason and stack on hover");
        robot.interact(() -> {
            view.selectLane(workers[0]);
            view.paintNow();
            TestProfiles.screenshot(view, "screenshot-gotrace-timeline.png");
        });
        assertEquals(RuntimeBand.HEIGHT, view.band().getHeight());
        assertTrue(view.totalsText().contains("Runnable"), view.totalsText());
    }

    /**
     * A JFR recording's band: its 16 jdk.CPULoad samples as two lines (JVM, machine) at the heights of their values,
     * and its GC pauses in the strip (facts: jdk.GarbageCollection count).
     */
    @Test
    void jfrBandDrawsCpuLoadAndGcPauses(FxRobot robot) {
        Profile p = TestProfiles.mixed();
        ThreadTimelineView.Data d = ThreadTimelineView.Data.compute(p, Filter.NONE, ProgressSink.NONE);
        int samples = Integer.parseInt(TestProfiles.fact("^\\s+jdk\\.CPULoad\\s+(\\d+)"));
        int gcs = Integer.parseInt(TestProfiles.fact("^\\s+jdk\\.GarbageCollection\\s+(\\d+)"));
        assertEquals(samples, d.runtime().cpu().jvm().size());
        assertEquals(gcs, d.runtime().pauseStart().length);
        assertEquals(RuntimeBand.CPU_HEIGHT + RuntimeBand.STRIP_HEIGHT + 4, RuntimeBand.height(d.runtime()));
        long start = p.startEpochNanos(), end = Math.max(start + p.durationNanos(), d.runtime().cpu().jvm().time(samples - 1) + 1);
        TimelineLayout layout = TimelineLayout.of(1400, 800, new int[0], start, end);
        Recorder band = new Recorder();
        RuntimeBand.paint(layout, d.runtime(), band);
        List<double[]> jvm = new ArrayList<>();
        for (int i = 0; i < band.lines.size(); i++) if (band.lineColors.get(i).equals(RuntimeBand.CPU_JVM)) jvm.add(band.lines.get(i));
        assertEquals(samples - 1, jvm.size(), "one segment between two samples");
        for (int i = 0; i < jvm.size(); i++) {
            double v = d.runtime().cpu().jvm().value(i + 1);
            assertEquals(layout.xOf(d.runtime().cpu().jvm().time(i + 1)), jvm.get(i)[2], 1e-6);
            assertEquals(SeriesPainter.yOf(v, 1, 3, RuntimeBand.CPU_HEIGHT - 4), jvm.get(i)[3], 1e-6);
        }
        assertTrue(band.colors.contains(RuntimeBand.PAUSE) == gcs > 0);
        robot.interact(() -> {
            view.setData(d);
            view.paintNow();
            TestProfiles.screenshot(view, "screenshot-timeline-jfr-band.png");
        });
        assertEquals(RuntimeBand.height(d.runtime()), view.band().getHeight());
    }

    /** A trace's goroutines fold into groups by start function; a header row summarizes its group's lanes. */
    @Test
    void goroutineGroupsFoldAndTheirHeadersShowTheCommonState(FxRobot robot) {
        Profile p = TestProfiles.load(TestProfiles.CAPTURES.resolve("gotrace/mixed.trace"));
        ThreadTimelineView.Data d = ThreadTimelineView.Data.compute(p, Filter.NONE, ProgressSink.NONE);
        robot.interact(() -> view.setData(d));
        LaneGroups groups = view.groups();
        assertTrue(view.groupBox().isVisible() && view.groupBox().isSelected());
        // the same groups as kiln threads' table (GoroutineGroups: 15 start functions), and the Ps
        assertEquals(16, groups.count());
        assertEquals("Ps", groups.name(groups.count() - 1));
        int workers = -1;
        for (int g = 0; g < groups.count(); g++) if (groups.name(g).equals("main.main.func2")) workers = g;
        assertEquals(4, groups.size(workers));
        int[] rows = view.laneOrder();
        assertEquals(24 + 16, rows.length); // 24 lanes (few: unfolded) under their 16 headers
        int header = -1;
        for (int r = 0; r < rows.length; r++) if (rows[r] == LaneGroups.headerRow(workers)) header = r;
        for (int k = 1; k <= 4; k++) assertEquals(workers, groups.groupOf(rows[header + k]));
        // the header shows, per column, the state most workers are in: they run, wait for a P and for the mutex
        TimelineLayout layout = view.layoutNow();
        int[] states = groups.pixelStates(workers, layout, d.timelines());
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int st : states) seen.add(st);
        assertTrue(seen.contains(ThreadState.RUNNING.ordinal()) && seen.contains(ThreadState.RUNNABLE.ordinal()), seen.toString());
        Recorder r = new Recorder();
        TimelinePainter.paint(layout, d.timelines(), names(p, d), groups, view.originNanos(), -1, r);
        assertTrue(r.texts.contains("\u25be main.main.func2 (4)"), r.texts.toString());
        // folding by a click on the header row hides its lanes
        robot.interact(() -> view.toggleGroup(LaneGroups.groupOfRow(LaneGroups.headerRow(0))));
        int group0 = groups.size(0);
        assertEquals(24 + 16 - group0, view.laneOrder().length);
        r = new Recorder();
        TimelinePainter.paint(view.layoutNow(), d.timelines(), names(p, d), groups, view.originNanos(), -1, r);
        assertTrue(r.texts.get(0).startsWith("\u25b8 "), r.texts.toString());
        // ungrouped: the lanes alone
        robot.interact(() -> view.groupBox().setSelected(false));
        assertEquals(24, view.laneOrder().length);
        robot.interact(() -> view.groupBox().setSelected(true));
        // many goroutines: all groups start folded
        String[] many = new String[3000];
        for (int i = 0; i < many.length; i++) many[i] = "G" + (i + 1) + " main.worker" + (i % 3);
        LaneGroups folded = LaneGroups.ofGoTrace(many, 0);
        int[] all = new int[many.length];
        for (int i = 0; i < all.length; i++) all[i] = i;
        assertEquals(3, folded.rows(all).length);
    }

    private static String[] names(Profile p, ThreadTimelineView.Data d) {
        String[] names = new String[d.timelines().laneCount()];
        for (int l = 0; l < names.length; l++) names[l] = p.threadName(d.timelines().laneThread(l));
        return names;
    }

    @Test
    void gallopingLookupAgreesWithIntervalAt() {
        ThreadTimelines tl = ThreadTimelineView.Data.compute(TestProfiles.mixed(), Filter.NONE, ProgressSink.NONE).timelines();
        int checked = 0;
        for (int lane = 0; lane < tl.laneCount(); lane++) {
            long a = tl.laneStartNanos(lane), b = tl.laneEndNanos(lane);
            int cursor = tl.firstInterval(lane), last = tl.endInterval(lane);
            for (int k = 0; k <= 500; k++) {
                long t = a + (b - a) * k / 500;
                cursor = TimelinePainter.firstEndingAfter(tl, cursor, last, t);
                int got = cursor < last && tl.startNanos(cursor) <= t ? cursor : -1;
                assertEquals(tl.intervalAt(lane, t), got, "lane " + lane + " t " + t);
                if (got >= 0) checked++;
            }
        }
        assertTrue(checked > 1000, "too few hits: " + checked);
    }

    /** Layout + paint time per frame at full zoom-out on a big recording: set -Dkiln.bench.timeline=FILE. */
    @Test
    void paintBenchmark(FxRobot robot) {
        String file = System.getProperty("kiln.bench.timeline");
        Assumptions.assumeTrue(file != null && Files.exists(Path.of(file)));
        Profile p = TestProfiles.load(Path.of(file));
        ThreadTimelineView.Data d = ThreadTimelineView.Data.compute(p, Filter.NONE, ProgressSink.NONE);
        robot.interact(() -> view.setData(d));
        long[] ns = new long[20];
        for (int i = 0; i < ns.length; i++) {
            int k = i;
            robot.interact(() -> {
                long t0 = System.nanoTime();
                view.paintNow();
                ns[k] = System.nanoTime() - t0;
            });
        }
        Arrays.sort(ns);
        System.out.printf("TIMELINE-BENCH lanes=%d intervals=%d median=%.2f ms min=%.2f max=%.2f%n", d.timelines().laneCount(),
                d.timelines().intervalCount(), ns[10] / 1e6, ns[0] / 1e6, ns[19] / 1e6);
        if (view.groups() != null) { // a trace: its groups folded, each frame at a new zoom (no header cached)
            robot.interact(() -> {
                view.groups().setAllFolded(true);
                view.toggleGroup(0);
                view.toggleGroup(0);
            });
            long[] folded = new long[20];
            for (int i = 0; i < folded.length; i++) {
                int k = i;
                robot.interact(() -> {
                    long t0 = System.nanoTime();
                    view.zoomBy(k % 2 == 0 ? 1.01 : 1 / 1.01);
                    view.paintNow();
                    folded[k] = System.nanoTime() - t0;
                });
            }
            Arrays.sort(folded);
            System.out.printf("TIMELINE-BENCH folded groups=%d rows=%d median=%.2f ms min=%.2f max=%.2f%n", view.groups().count(),
                    view.laneOrder().length, folded[10] / 1e6, folded[0] / 1e6, folded[19] / 1e6);
        }
        // The same frame through the old one-call-per-run surface and the raster surface, alternating, each
        // followed by a snapshot of the canvas (which renders the queued canvas commands).
        javafx.scene.canvas.Canvas canvas = (javafx.scene.canvas.Canvas) view.lookup("Canvas");
        String[] names = new String[d.timelines().laneCount()];
        for (int l = 0; l < names.length; l++) names[l] = p.threadName(d.timelines().laneThread(l));
        RasterTimelineSurface raster = new RasterTimelineSurface(canvas.getGraphicsContext2D());
        long[] calls = new long[1];
        TimelineSurface counting = new TimelineSurface() {
            @Override public void fillRect(double x, double y, double w, double h, Color c) { calls[0]++; }
            @Override public void line(double x1, double y1, double x2, double y2, Color c) { calls[0]++; }
            @Override public void text(String t, double x, double y, double m, Color c) { calls[0]++; }
        };
        long[] bare = new long[20];
        for (int i = 0; i < 20; i++) {
            calls[0] = 0;
            long t0 = System.nanoTime();
            TimelinePainter.paint(view.layoutNow(), d.timelines(), names, view.originNanos(), -1, counting);
            bare[i] = System.nanoTime() - t0;
        }
        Arrays.sort(bare);
        System.out.printf("TIMELINE-BENCH painter alone (counting surface): median=%.2f ms, %d calls per frame%n", bare[10] / 1e6, calls[0]);
        long[][] paint = new long[2][20], render = new long[2][20];
        for (int i = 0; i < 40; i++) {
            int k = i / 2, mode = i % 2;
            robot.interact(() -> {
                TimelineLayout l = view.layoutNow();
                long t0 = System.nanoTime();
                TimelinePainter.paint(l, d.timelines(), names, view.originNanos(), -1, mode == 0
                        ? TimelineSurface.of(canvas.getGraphicsContext2D()) : raster.begin(canvas.getWidth(), canvas.getHeight()));
                long t1 = System.nanoTime();
                canvas.snapshot(null, null);
                paint[mode][k] = t1 - t0;
                render[mode][k] = System.nanoTime() - t1;
            });
        }
        for (int m = 0; m < 2; m++) {
            Arrays.sort(paint[m]);
            Arrays.sort(render[m]);
            System.out.printf("TIMELINE-BENCH %s surface: paint median=%.2f ms, snapshot (render) median=%.2f ms%n",
                    m == 0 ? "per-run fillRect" : "raster", paint[m][10] / 1e6, render[m][10] / 1e6);
        }
        robot.interact(() -> TestProfiles.screenshot(view, "screenshot-timeline-big.png"));
    }

    /** "Show in timeline" of an event: before the timelines are computed, its span is centred, marked, its lane selected. */
    @Test
    void revealCentresAnEventAndSelectsItsThread(FxRobot robot) {
        Profile p = TestProfiles.mixed();
        ThreadTimelineView.Data d = ThreadTimelineView.Data.compute(p, Filter.NONE, ProgressSink.NONE);
        ThreadTimelines tl = d.timelines();
        int lane = tl.laneCount() - 1;
        int thread = tl.laneThread(lane);
        long start = p.startEpochNanos() + 7_000_000_000L, duration = 20_000_000L;
        robot.interact(() -> {
            view.filterField().setText("^no such thread$");
            view.reveal(start, duration, thread); // asked for before the data is in: applied once it is
            view.setData(d);
        });
        TimelineLayout l = view.layoutNow();
        assertEquals(TimelineLayout.REVEAL_SPAN, l.span(), "at least 100 ms around a 20 ms event");
        assertEquals(start + duration / 2, l.viewStart() + l.span() / 2, 1);
        assertEquals(lane, view.selectedLaneProperty().get());
        assertEquals("", view.filterField().getText(), "a filter that hides the lane is cleared");
        long[] m = view.marked();
        assertEquals(start, m[0]);
        assertEquals(start + duration, m[1]);
        // a long event: three times its length
        robot.interact(() -> view.reveal(start, 1_000_000_000L, -1));
        assertEquals(3_000_000_000L, view.layoutNow().span());
        assertEquals(-1, view.selectedLaneProperty().get());
    }
}
