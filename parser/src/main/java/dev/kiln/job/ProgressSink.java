// SPDX-License-Identifier: Apache-2.0
package dev.kiln.job;

import java.util.concurrent.CancellationException;

/**
 * Where a background job reports progress and learns that it was cancelled. Jobs call {@link #checkCancelled()}
 * often (per chunk, per thousand items) so that a cancel takes effect quickly.
 */
public interface ProgressSink {
    /** A sink that ignores progress and is never cancelled. */
    ProgressSink NONE = new ProgressSink() {
        @Override
        public void progress(long done, long total, String what) { }

        @Override
        public boolean isCancelled() { return false; }
    };

    /** {@code done} of {@code total} units (bytes, items); {@code total} is -1 when unknown. */
    void progress(long done, long total, String what);

    boolean isCancelled();

    default void checkCancelled() {
        if (isCancelled()) throw new CancellationException("cancelled");
    }
}
