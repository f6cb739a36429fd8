// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.jvm;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.jvm.EventRows;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.FrameKind;
import dev.kiln.model.JfrEventStoreBuilder;
import dev.kiln.model.JfrEventTable;
import dev.kiln.model.JfrField;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileBuilder;
import dev.kiln.model.SourceFormat;
import javafx.scene.Scene;
import javafx.scene.control.TableColumn;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Event browser on an event type of 800,000 rows (as many jdk.ExecutionSample as a big recording has: 200 threads,
 * 20,000 stacks of up to 30 frames), made in memory: the time to show the type, sort it, filter it by a text, and the
 * time of a pulse while scrolling (what the FX thread does per frame). Prints the numbers; not a unit test.
 */
@ExtendWith(ApplicationExtension.class)
class EventBrowserBenchmark {
    static final int ROWS = 800_000;
    private EventBrowserView view;

    @Start
    void start(Stage stage) {
        view = new EventBrowserView();
        stage.setScene(new Scene(view, 1400, 800));
        stage.show();
    }

    static Profile big() {
        Random r = new Random(7);
        ProfileBuilder b = new ProfileBuilder(SourceFormat.JFR, "big.jfr").timeSpan(1_000_000_000_000L, 450_000_000_000L);
        int[] threads = new int[200];
        for (int i = 0; i < threads.length; i++) threads[i] = b.thread(i, "worker-" + i, i, i, false);
        int[] frames = new int[2000];
        for (int i = 0; i < frames.length; i++) frames[i] = b.frame(b.function("com.acme.pkg" + i % 40 + ".Class" + i % 300 + ".method" + i, "C", "C.java"), i % 500, 0, FrameKind.JIT, 0);
        int[] stacks = new int[20_000];
        for (int i = 0; i < stacks.length; i++) {
            int s = -1, depth = 1 + r.nextInt(30);
            for (int d = 0; d < depth; d++) s = b.stack(s, frames[r.nextInt(frames.length)]);
            stacks[i] = s;
        }
        int running = b.string("STATE_RUNNABLE"), nat = b.string("STATE_IN_NATIVE");
        JfrEventStoreBuilder.Type t = b.jfrEvents().type("jdk.ExecutionSample", "Method Profiling Sample", List.of("Java Virtual Machine", "Profiling"), null);
        int[] f = {
                t.field("startTime", JfrField.Kind.LONG, "long", "Start Time", "Timestamp", "TICKS", false),
                t.field("sampledThread", JfrField.Kind.THREAD, "java.lang.Thread", "Thread", null, null, false),
                t.field("stackTrace", JfrField.Kind.STACK, "jdk.types.StackTrace", "Stack Trace", null, null, false),
                t.field("state", JfrField.Kind.STRING, "jdk.types.ThreadState", "Thread State", null, null, false),
        };
        long[] start = new long[ROWS];
        int[] thread = new int[ROWS], stack = new int[ROWS], state = new int[ROWS];
        for (int i = 0; i < ROWS; i++) {
            start[i] = 1_000_000_000_000L + i * 562_000L;
            thread[i] = threads[r.nextInt(threads.length)];
            stack[i] = stacks[r.nextInt(stacks.length)];
            state[i] = r.nextInt(10) == 0 ? nat : running;
        }
        dev.kiln.model.PackedColumn[] packed = {dev.kiln.model.PackedColumn.of(start, ROWS, null), dev.kiln.model.PackedColumn.of(thread, ROWS, null),
                dev.kiln.model.PackedColumn.of(stack, ROWS, null), dev.kiln.model.PackedColumn.of(state, ROWS, null)};
        t.addRows(ROWS, f, packed, new int[4][]);
        return b.build();
    }

    private long untilReady(FxRobot robot, Runnable action) throws Exception {
        long t0 = System.nanoTime();
        robot.interact(action);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> view.isReady());
        WaitForAsyncUtils.waitForFxEvents();
        return System.nanoTime() - t0;
    }

    @Test
    void eightHundredThousandRows(FxRobot robot) throws Exception {
        Profile p = big();
        JfrEventTable t = p.jfrEvents().table("jdk.ExecutionSample");
        for (int warm = 0; warm < 3; warm++) { // the pure parts, warmed up
            long a = System.nanoTime();
            int[] all = EventRows.inFilter(p, t, Filter.NONE);
            long b = System.nanoTime();
            int[] sorted = EventRows.sorted(p, t, all, t.field("stackTrace"), false, ProgressSink.NONE);
            long c = System.nanoTime();
            int[] hit = EventRows.matching(p, t, all, "Class7.method", ProgressSink.NONE);
            long d = System.nanoTime();
            int[] byTime = EventRows.sorted(p, t, all, t.field("startTime"), true, ProgressSink.NONE);
            long e = System.nanoTime();
            System.out.printf(Locale.ROOT, "EventRows: inFilter %.0f ms, sort by stack %.0f ms, text %.0f ms (%,d hits), sort by time %.0f ms%n",
                    (b - a) / 1e6, (c - b) / 1e6, (d - c) / 1e6, hit.length, (e - d) / 1e6);
            assertEquals(ROWS, sorted.length + byTime.length - ROWS);
        }
        System.out.printf(Locale.ROOT, "view: load %.0f ms%n", untilReady(robot, () -> view.setProfile(p, Filter.NONE)) / 1e6);
        System.out.printf(Locale.ROOT, "view: select the type %.0f ms%n", untilReady(robot, () -> view.selectType("jdk.ExecutionSample")) / 1e6);
        assertEquals(ROWS, view.table().getItems().size());
        System.out.printf(Locale.ROOT, "view: sort by thread %.0f ms%n", untilReady(robot, () -> {
            TableColumn<Integer, String> c = view.column("sampledThread");
            view.table().getSortOrder().setAll(c);
        }) / 1e6);
        System.out.printf(Locale.ROOT, "view: filter by a text %.0f ms (%,d rows)%n",
                untilReady(robot, () -> view.rowFilterField().setText("Class7.method")) / 1e6, view.table().getItems().size());
        System.out.printf(Locale.ROOT, "view: clear the filter %.0f ms%n", untilReady(robot, () -> view.rowFilterField().setText("")) / 1e6);
        // scrolling: a jump of a page, then the layout and CSS pass of the table on the FX thread, as a pulse does it
        long[] pulse = new long[40];
        for (int i = 0; i < pulse.length; i++) {
            int to = (i * 19_937) % ROWS;
            robot.interact(() -> {
                long a = System.nanoTime();
                view.table().scrollTo(to);
                view.table().applyCss();
                view.table().layout();
                pulse[to == 0 ? 0 : Math.min(pulse.length - 1, to / 19_937)] = System.nanoTime() - a;
            });
        }
        java.util.Arrays.sort(pulse);
        System.out.printf(Locale.ROOT, "view: scroll + layout per jump: median %.1f ms, max %.1f ms%n", pulse[pulse.length / 2] / 1e6, pulse[pulse.length - 1] / 1e6);
    }
}
