// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.common;

import javafx.animation.AnimationTimer;

/**
 * Coalesces redraws of a canvas view: any number of {@link #markDirty} calls between two pulses give one call of
 * the redraw. FX thread only.
 */
public final class PulseRedraw {
    private final Runnable redraw;
    private boolean dirty;
    private final AnimationTimer timer = new AnimationTimer() {
        @Override
        public void handle(long now) {
            stop();
            if (dirty) redraw.run();
        }
    };

    /** {@code redraw} paints the view and calls {@link #painted}. */
    public PulseRedraw(Runnable redraw) {
        this.redraw = redraw;
    }

    /** Asks for one redraw at the next pulse. */
    public void markDirty() {
        if (dirty) return;
        dirty = true;
        timer.start();
    }

    /** Says the view has just been painted, so a pending pulse has nothing to do. */
    public void painted() {
        dirty = false;
    }
}
