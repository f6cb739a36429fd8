// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import dev.kiln.job.ProgressSink;
import javafx.concurrent.Task;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs plain parser code that takes a {@link ProgressSink} as a JavaFX {@link Task}: the sink's progress becomes
 * {@link Task#updateProgress}/{@link Task#updateMessage}, and {@link Task#cancel()} makes the sink report
 * {@link ProgressSink#isCancelled()} so that the job stops at its next {@link ProgressSink#checkCancelled()}.
 * {@link #task} only builds the task (tests may call {@link Task#run()} on their own thread); {@link #start} also
 * runs it on a daemon background thread.
 */
public final class FxJobs {
    /** A background job: plain code that reports progress and checks for cancellation through its sink. */
    @FunctionalInterface
    public interface Job<T> {
        T run(ProgressSink progress) throws Exception;
    }

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kiln-job-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private FxJobs() { }

    /** A task that runs {@code job} when run; its title is {@code title}. */
    public static <T> Task<T> task(String title, Job<T> job) {
        return new JobTask<>(title, job);
    }

    /** {@link #task} started on a background thread. */
    public static <T> Task<T> start(String title, Job<T> job) {
        Task<T> t = task(title, job);
        POOL.execute(t);
        return t;
    }

    private static final class JobTask<T> extends Task<T> {
        private final Job<T> job;

        JobTask(String title, Job<T> job) {
            this.job = job;
            updateTitle(title);
        }

        @Override
        protected T call() throws Exception {
            return job.run(new ProgressSink() {
                @Override
                public void progress(long done, long total, String what) {
                    if (total > 0) updateProgress(Math.min(done, total), total);
                    else updateProgress(-1, 1);
                    if (what != null) updateMessage(what);
                }

                @Override
                public boolean isCancelled() { return JobTask.this.isCancelled(); }
            });
        }
    }
}
