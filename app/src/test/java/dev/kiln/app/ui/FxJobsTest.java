// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import javafx.concurrent.Task;
import javafx.concurrent.Worker;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link FxJobs}: progress reaches the task, and cancelling the task reaches the job's sink. */
@ExtendWith(ApplicationExtension.class)
class FxJobsTest {
    @Start
    void start(Stage stage) { }

    @Test
    void progressAndResultReachTheTaskWhenRunSynchronously() throws Exception {
        Task<Integer> task = FxJobs.task("three quarters", sink -> {
            sink.progress(3, 4, "reading");
            return 42;
        });
        task.run();
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(42, task.get());
        assertEquals(0.75, ShellTest.fx(task::getProgress), 1e-9);
        assertEquals("reading", ShellTest.fx(task::getMessage));
        assertEquals("three quarters", ShellTest.fx(task::getTitle));
    }

    @Test
    void cancellingTheTaskCancelsTheJob() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean sawCancel = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        Task<String> task = FxJobs.start("endless", sink -> {
            started.countDown();
            try {
                while (true) {
                    sink.progress(-1, -1, null);
                    if (sink.isCancelled()) { sawCancel.set(true); break; }
                    Thread.onSpinWait();
                }
                sink.checkCancelled();
                return "not reached";
            } finally {
                stopped.countDown();
            }
        });
        assertTrue(started.await(30, TimeUnit.SECONDS));
        assertTrue(task.cancel());
        assertTrue(stopped.await(30, TimeUnit.SECONDS), "the job stopped");
        assertTrue(sawCancel.get());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(Worker.State.CANCELLED, ShellTest.fx(task::getState));
    }
}
