// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.graph;

import dev.kiln.analysis.graph.CallGraph;
import dev.kiln.analysis.graph.GraphDrawing;
import dev.kiln.model.Units;
import dev.kiln.views.common.CanvasPalette;
import dev.kiln.views.common.CanvasTheme;
import dev.kiln.views.common.DrawSurface;
import dev.kiln.views.common.FxSurface;
import dev.kiln.views.common.PulseRedraw;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.util.Duration;

import java.util.function.IntConsumer;

/**
 * One canvas showing a {@link GraphDrawing}: scroll zooms about the pointer, dragging pans, a click (a press and
 * release less than {@value #CLICK_SLOP} pixels apart) on a box calls {@link #setOnNodeClicked}, hovering a box
 * shows its name, flat and cum and outlines its edges. A new drawing is fitted to the canvas. Changes only mark it
 * dirty; it is redrawn at most once per pulse. FX thread only.
 */
final class GraphCanvas extends Region {
    /** Farther than this between press and release is a drag, not a click. */
    static final double CLICK_SLOP = 4;
    private static final double MIN_SCALE = 0.05, MAX_SCALE = 4;

    private final Canvas canvas = new Canvas();
    private final DrawSurface surface = new FxSurface(canvas);
    private final PulseRedraw pulse = new PulseRedraw(this::redrawNow);
    private final Tooltip tooltip = new Tooltip();
    private final javafx.beans.value.ChangeListener<CanvasPalette> themeListener = CanvasTheme.onChange(this::markDirty);
    private GraphDrawing drawing;
    private GraphPainter.Viewport viewport = new GraphPainter.Viewport(1, 0, 0);
    private boolean[] matches;
    private boolean fitPending;
    private int hovered = -1;
    private double pressX, pressY, lastX, lastY;
    private IntConsumer onNodeClicked = n -> { };

    GraphCanvas() {
        getChildren().add(canvas);
        tooltip.setShowDelay(Duration.millis(250));
        tooltip.setHideDelay(Duration.ZERO);
        canvas.addEventHandler(ScrollEvent.SCROLL, e -> {
            zoom(Math.pow(1.0015, e.getDeltaY()), e.getX(), e.getY());
            e.consume();
        });
        canvas.addEventHandler(MouseEvent.MOUSE_PRESSED, e -> { pressX = lastX = e.getX(); pressY = lastY = e.getY(); });
        canvas.addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> {
            viewport = new GraphPainter.Viewport(viewport.scale(), viewport.originX() - (e.getX() - lastX) / viewport.scale(),
                    viewport.originY() - (e.getY() - lastY) / viewport.scale());
            lastX = e.getX();
            lastY = e.getY();
            markDirty();
        });
        canvas.addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
            if (e.getButton() != MouseButton.PRIMARY || Math.hypot(e.getX() - pressX, e.getY() - pressY) > CLICK_SLOP) return;
            int n = nodeAt(e.getX(), e.getY());
            if (n >= 0) onNodeClicked.accept(n);
        });
        canvas.addEventHandler(MouseEvent.MOUSE_MOVED, e -> hover(nodeAt(e.getX(), e.getY())));
        canvas.addEventHandler(MouseEvent.MOUSE_EXITED, e -> hover(-1));
    }

    void setDrawing(GraphDrawing d) {
        drawing = d;
        hovered = -1;
        matches = null;
        fitPending = true;
        markDirty();
    }

    GraphDrawing drawing() { return drawing; }

    /** Outlines the nodes marked true (null: none). */
    void setMatches(boolean[] m) {
        matches = m;
        markDirty();
    }

    void setOnNodeClicked(IntConsumer listener) { onNodeClicked = listener; }

    GraphPainter.Viewport viewport() { return viewport; }

    /** The node under a point of the canvas, or -1. */
    int nodeAt(double x, double y) {
        return drawing == null ? -1 : drawing.layout().nodeAt(viewport.lx(x), viewport.ly(y));
    }

    /** Where node {@code n}'s centre is on the canvas: {x, y}. */
    double[] centreOf(int n) {
        var l = drawing.layout();
        return new double[] {viewport.sx(l.x(n) + l.width(n) / 2), viewport.sy(l.y(n) + l.height(n) / 2)};
    }

    /** Scales by {@code factor} keeping the layout point under (x, y) in place. */
    void zoom(double factor, double x, double y) {
        double s = Math.max(MIN_SCALE, Math.min(MAX_SCALE, viewport.scale() * factor));
        double lx = viewport.lx(x), ly = viewport.ly(y);
        viewport = new GraphPainter.Viewport(s, lx - x / s, ly - y / s);
        markDirty();
    }

    /** Shows the whole drawing, at most at natural size, centred horizontally. */
    void fit() {
        fitPending = false;
        if (drawing == null || canvas.getWidth() <= 0 || canvas.getHeight() <= 0) return;
        double w = drawing.layout().width(), h = drawing.layout().height();
        double s = Math.max(MIN_SCALE, Math.min(1, Math.min(canvas.getWidth() / w, canvas.getHeight() / h)));
        viewport = new GraphPainter.Viewport(s, (w - canvas.getWidth() / s) / 2, 0);
        markDirty();
    }

    private void hover(int n) {
        if (n == hovered) return;
        hovered = n;
        if (n < 0) {
            Tooltip.uninstall(canvas, tooltip);
        } else {
            CallGraph g = drawing.graph();
            CallGraph.Node node = g.nodes().get(n);
            String unit = g.type().unit();
            tooltip.setText(node.name() + "\nflat " + Units.format(node.flat(), unit) + " (" + Units.percent(node.flat(), g.total())
                    + ")\ncum " + Units.format(node.cum(), unit) + " (" + Units.percent(node.cum(), g.total()) + ")"
                    + (node.recursive() ? "\nrecursive" : "") + "\nClick to focus on it");
            Tooltip.install(canvas, tooltip);
        }
        markDirty();
    }

    private void markDirty() { pulse.markDirty(); }

    void redrawNow() {
        pulse.painted();
        if (fitPending) fit();
        paint(surface);
    }

    /** Paints onto any surface of the canvas's size. */
    void paint(DrawSurface s) { GraphPainter.paint(s, drawing, viewport, matches, hovered, CanvasTheme.palette()); }

    @Override
    protected void layoutChildren() {
        double w = snapSizeX(getWidth()), h = snapSizeY(getHeight());
        if (canvas.getWidth() != w || canvas.getHeight() != h) {
            boolean first = canvas.getWidth() == 0 || canvas.getHeight() == 0;
            canvas.setWidth(w);
            canvas.setHeight(h);
            if (first) fitPending = true;
            markDirty();
        }
    }

    @Override protected double computePrefWidth(double height) { return 900; }

    @Override protected double computePrefHeight(double width) { return 600; }
}
