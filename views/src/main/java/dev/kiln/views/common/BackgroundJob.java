// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.common;

import dev.kiln.job.ProgressSink;
import javafx.concurrent.Task;
import javafx.scene.control.Label;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A view's background computation: one at a time, a newer run cancels and supersedes the older one, progress and
 * cancellation reach the plain parser code through a {@link ProgressSink}, and the result reaches the FX thread
 * once, unless a newer run has started meanwhile. Call from the FX thread.
 */
public final class BackgroundJob<T> {
    private final String threadName;
    private Task<T> running;

    public BackgroundJob(String threadName) { this.threadName = threadName; }

    /** Starts {@code compute}, shows {@code what} in {@code status}, and hands the result to {@code onResult}. */
    public void run(Label status, String what, Function<ProgressSink, T> compute, Consumer<T> onResult) {
        if (running != null) running.cancel();
        Task<T> task = new Task<>() {
            @Override
            protected T call() {
                Task<T> self = this;
                return compute.apply(new ProgressSink() {
                    @Override
                    public void progress(long done, long total, String message) { updateProgress(done, total); }

                    @Override
                    public boolean isCancelled() { return self.isCancelled(); }
                });
            }
        };
        running = task;
        status.setText(what);
        task.setOnSucceeded(e -> {
            if (running == task) onResult.accept(task.getValue());
        });
        task.setOnFailed(e -> status.setText("Failed: " + task.getException().getMessage()));
        Thread t = new Thread(task, threadName);
        t.setDaemon(true);
        t.start();
    }
}
