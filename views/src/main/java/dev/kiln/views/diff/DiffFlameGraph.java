// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.diff;

import dev.kiln.analysis.diff.Diff;
import dev.kiln.analysis.diff.DiffTree;
import dev.kiln.views.common.CanvasPalette;
import dev.kiln.views.common.CanvasTheme;
import dev.kiln.views.common.DrawSurface;
import dev.kiln.views.common.PulseRedraw;
import dev.kiln.views.common.FxSurface;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.util.Duration;

/**
 * The differential flame graph of a {@link Diff} (icicle, root on top): a {@link Region} owning one
 * {@link Canvas} sized to its area. Boxes come from {@link DiffGeometry} (sized by the target's or the base's
 * totals, {@link #setShape}), colours and labels from {@link DiffPainter}; hovering shows
 * {@link DiffPainter#tooltip}; the wheel scrolls deep graphs. Changes only mark the canvas dirty; it is
 * repainted at most once per pulse. FX thread only.
 */
public final class DiffFlameGraph extends Region {
    private final Canvas canvas = new Canvas();
    private final DrawSurface surface = new FxSurface(canvas);
    private final Tooltip tooltip = new Tooltip();
    private final PulseRedraw pulse = new PulseRedraw(this::redrawNow);
    private Diff diff;
    private DiffPainter painter;
    private DiffGeometry geometry;
    private DiffTree.Shape shape = DiffTree.Shape.TARGET;
    private int hovered = -1;
    private double scroll;
    /** Redraws when the theme changes (held here: the theme holds it weakly). */
    private final javafx.beans.value.ChangeListener<CanvasPalette> themeListener = CanvasTheme.onChange(this::markDirty);

    public DiffFlameGraph() {
        getStyleClass().add("diff-flame-graph");
        getChildren().add(canvas);
        tooltip.setShowDelay(Duration.millis(200));
        tooltip.setHideDelay(Duration.ZERO);
        canvas.addEventHandler(MouseEvent.MOUSE_MOVED, e -> hover(nodeAt(e.getX(), e.getY())));
        canvas.addEventHandler(MouseEvent.MOUSE_EXITED, e -> hover(-1));
        canvas.addEventHandler(ScrollEvent.SCROLL, e -> {
            setScroll(scroll - e.getDeltaY());
            e.consume();
        });
    }

    /** Shows {@code d} (null clears the graph). */
    public void setDiff(Diff d) {
        diff = d;
        painter = d == null ? null : new DiffPainter(d);
        hovered = -1;
        scroll = 0;
        markDirty();
    }

    /** Sizes boxes by the target's totals (what is there now) or the base's (shows what disappeared). */
    public void setShape(DiffTree.Shape s) {
        if (s == shape) return;
        shape = s;
        markDirty();
    }

    public DiffTree.Shape shape() { return shape; }

    public DiffPainter painter() { return painter; }

    /** The geometry of the last paint (null before the first). */
    public DiffGeometry geometry() { return geometry; }

    /** The diff-tree row under a canvas point, or -1. */
    public int nodeAt(double x, double y) {
        return geometry == null ? -1 : geometry.nodeAt(x, y + scroll, DiffPainter.ROW_HEIGHT);
    }

    /** The tooltip text of the hovered box, or null. */
    public String tooltipText() { return hovered < 0 ? null : tooltip.getText(); }

    private void hover(int n) {
        if (n == hovered) return;
        hovered = n;
        if (n < 0) {
            Tooltip.uninstall(canvas, tooltip);
        } else {
            tooltip.setText(painter.tooltip(n));
            Tooltip.install(canvas, tooltip);
        }
        markDirty();
    }

    private void setScroll(double s) {
        int maxDepth = 0;
        if (geometry != null) for (int i = 0; i < geometry.size(); i++) maxDepth = Math.max(maxDepth, geometry.depth(i));
        s = Math.max(0, Math.min(s, (maxDepth + 1) * DiffPainter.ROW_HEIGHT - canvas.getHeight()));
        if (s != scroll) { scroll = s; markDirty(); }
    }

    private void markDirty() {
        pulse.markDirty();
    }

    /** Paints now (tests and snapshots; normally done once per pulse). */
    public void redrawNow() {
        pulse.painted();
        paint(surface);
    }

    /** Lays out and paints onto any surface (tests record the calls). */
    public void paint(DrawSurface s) {
        if (painter == null) {
            s.setFill(CanvasTheme.palette().background());
            s.fillRect(0, 0, s.width(), s.height());
            return;
        }
        int lastDepth = (int) Math.ceil((scroll + s.height()) / DiffPainter.ROW_HEIGHT);
        geometry = DiffGeometry.compute(diff.tree(), shape, s.width(), lastDepth);
        painter.paint(s, geometry, scroll, hovered);
    }

    @Override
    protected void layoutChildren() {
        double w = snapSizeX(getWidth()), h = snapSizeY(getHeight());
        canvas.relocate(0, 0);
        if (canvas.getWidth() != w || canvas.getHeight() != h) {
            canvas.setWidth(w);
            canvas.setHeight(h);
            markDirty();
        }
    }

    @Override
    protected double computePrefWidth(double height) { return 900; }

    @Override
    protected double computePrefHeight(double width) { return 360; }

    @Override
    protected double computeMinHeight(double width) { return 60; }

    @Override
    protected double computeMinWidth(double height) { return 100; }
}
