// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.overview;

import dev.kiln.analysis.MutatorUtilization;
import dev.kiln.model.Units;
import dev.kiln.views.common.CanvasPalette;
import dev.kiln.views.common.CanvasTheme;
import javafx.beans.value.ChangeListener;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;

import java.util.List;

/**
 * A Go trace's minimum mutator utilization curve as {@code go tool trace}'s MMU page draws it: window length on a
 * log scale across, the lowest share of the Ps the program had in any window that long up (0-100%). Redraws when
 * the theme changes.
 */
final class MmuChart extends Canvas {
    static final double WIDTH = 460, HEIGHT = 170, LEFT = 44, BOTTOM = 22, TOP = 8, RIGHT = 12;
    static final Color CURVE = Color.web("#1c7ed6");
    private final List<MutatorUtilization.Point> curve;
    /** Held here: the theme holds its listeners weakly. */
    private final ChangeListener<CanvasPalette> themeListener;

    MmuChart(List<MutatorUtilization.Point> curve) {
        super(WIDTH, HEIGHT);
        this.curve = curve;
        setId("overview-mmu");
        themeListener = CanvasTheme.onChange(this::draw);
        draw();
    }

    List<MutatorUtilization.Point> curve() { return curve; }

    /** x of a window length. */
    double xOf(long windowNanos) {
        double lo = Math.log(curve.get(0).windowNanos()), hi = Math.log(Math.max(curve.get(curve.size() - 1).windowNanos(), curve.get(0).windowNanos() + 1));
        return LEFT + (Math.log(Math.max(1, windowNanos)) - lo) / (hi - lo) * (WIDTH - LEFT - RIGHT);
    }

    /** y of a share 0-1. */
    static double yOf(double share) { return TOP + (1 - share) * (HEIGHT - TOP - BOTTOM); }

    private void draw() {
        CanvasPalette p = CanvasTheme.palette();
        GraphicsContext g = getGraphicsContext2D();
        g.setFill(p.background());
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setFont(Font.font(10));
        g.setLineWidth(1);
        for (int pct = 0; pct <= 100; pct += 25) { // grid and share labels
            double y = yOf(pct / 100.0);
            g.setStroke(p.grid());
            g.strokeLine(LEFT, y, WIDTH - RIGHT, y);
            g.setFill(p.mutedText());
            g.fillText(pct + "%", 6, y + 3);
        }
        if (curve.size() < 2) return;
        // a tick per decade of window length
        for (long w = 1; w > 0 && w <= curve.get(curve.size() - 1).windowNanos(); w *= 10) {
            if (w < curve.get(0).windowNanos()) continue;
            double x = xOf(w);
            g.setStroke(p.grid());
            g.strokeLine(x, TOP, x, HEIGHT - BOTTOM);
            g.setFill(p.mutedText());
            g.fillText(Units.duration(w).replace(".00", ""), x - 12, HEIGHT - 6);
        }
        g.setStroke(CURVE);
        g.setLineWidth(2);
        g.beginPath();
        for (int i = 0; i < curve.size(); i++) {
            double x = xOf(curve.get(i).windowNanos()), y = yOf(curve.get(i).mmu());
            if (i == 0) g.moveTo(x, y);
            else g.lineTo(x, y);
        }
        g.stroke();
    }
}
