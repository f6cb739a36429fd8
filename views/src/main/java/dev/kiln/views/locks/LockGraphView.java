// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.locks;

import dev.kiln.analysis.locks.LockGraph;
import dev.kiln.model.Units;
import dev.kiln.views.common.CanvasPalette;
import dev.kiln.views.common.CanvasTheme;
import dev.kiln.views.common.DrawSurface;
import dev.kiln.views.common.PulseRedraw;
import dev.kiln.views.common.FxSurface;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Region;
import javafx.util.Duration;

import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * The lock graph as a node-link drawing ({@link LockGraphLayout}, {@link LockGraphPainter}) on one canvas sized to
 * the region. Clicking a lock box calls {@link #setOnLockClicked} with its row; hovering a box shows a tooltip with
 * its time and counts. Changes only mark the canvas dirty; it is redrawn at most once per pulse. FX thread only.
 */
public final class LockGraphView extends Region {
    private final Canvas canvas = new Canvas();
    private final DrawSurface surface = new FxSurface(canvas);
    private final Tooltip tooltip = new Tooltip();
    private final PulseRedraw pulse = new PulseRedraw(this::redrawNow);
    private List<LockGraph.LockRow> rows = List.of();
    private LockGraphLayout layout;
    private int selectedRow = -1, hovered = -1;
    /** Redraws when the theme changes (held here: the theme holds it weakly). */
    private final javafx.beans.value.ChangeListener<CanvasPalette> themeListener = CanvasTheme.onChange(this::markDirty);
    private IntConsumer onLockClicked = r -> { };

    public LockGraphView() {
        getStyleClass().add("lock-graph");
        getChildren().add(canvas);
        tooltip.setShowDelay(Duration.millis(200));
        tooltip.setHideDelay(Duration.ZERO);
        canvas.addEventHandler(MouseEvent.MOUSE_MOVED, e -> hover(graphLayout().nodeAt(e.getX(), e.getY())));
        canvas.addEventHandler(MouseEvent.MOUSE_EXITED, e -> hover(-1));
        canvas.addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
            if (e.getButton() != MouseButton.PRIMARY) return;
            int n = graphLayout().nodeAt(e.getX(), e.getY());
            if (n >= 0 && graphLayout().nodes().get(n).role() == LockGraphLayout.Role.LOCK) onLockClicked.accept(graphLayout().nodes().get(n).row());
        });
    }

    /** Shows these lock rows (largest first). */
    public void setRows(List<LockGraph.LockRow> rows) {
        this.rows = List.copyOf(rows);
        layout = null;
        hovered = -1;
        markDirty();
    }

    /** Outlines lock row {@code row} and labels its edges (-1: none). */
    public void setSelectedRow(int row) {
        selectedRow = row;
        markDirty();
    }

    public int selectedRow() { return selectedRow; }

    /** Called with the row of a clicked lock box. */
    public void setOnLockClicked(IntConsumer listener) { onLockClicked = listener; }

    /** The layout for the current rows and size. */
    public LockGraphLayout graphLayout() {
        if (layout == null || layout.width() != canvas.getWidth() || layout.height() != canvas.getHeight()) {
            layout = LockGraphLayout.of(rows, canvas.getWidth(), canvas.getHeight());
        }
        return layout;
    }

    /** Tooltip text of box {@code n} of the layout. */
    public String describe(int n) {
        LockGraphLayout.Node node = graphLayout().nodes().get(n);
        String time = Units.duration(node.nanos());
        return switch (node.role()) {
            case LOCK -> {
                LockGraph.LockRow r = rows.get(node.row());
                yield String.format(Locale.ROOT, "%s\nWaited: %s in %,d events (%,d instance%s)\n%,d waiting thread%s, %,d previous owner%s"
                                + "\nClick to show its waiting stacks and threads", r.name(), time, r.count(), r.instances(),
                        r.instances() == 1 ? "" : "s", r.waiters().size(), r.waiters().size() == 1 ? "" : "s",
                        r.owners().size(), r.owners().size() == 1 ? "" : "s");
            }
            case WAITER -> String.format(Locale.ROOT, "%s\nWaited %s in %,d events on the locks shown", node.label(), time, node.count());
            case OWNER -> String.format(Locale.ROOT, "%s\nHeld a lock shown while others were blocked: %s in %,d events",
                    node.label(), time, node.count());
        };
    }

    private void hover(int n) {
        if (n == hovered) return;
        hovered = n;
        if (n < 0) {
            Tooltip.uninstall(canvas, tooltip);
        } else {
            tooltip.setText(describe(n));
            Tooltip.install(canvas, tooltip);
        }
        markDirty();
    }

    private void markDirty() {
        pulse.markDirty();
    }

    /** Redraws now (normally once per pulse after a change). */
    public void redrawNow() {
        pulse.painted();
        paint(surface);
    }

    /** Paints the current state onto any surface of the canvas's size. */
    public void paint(DrawSurface s) { LockGraphPainter.paint(s, graphLayout(), selectedRow, hovered); }

    @Override
    protected void layoutChildren() {
        double w = snapSizeX(getWidth()), h = snapSizeY(getHeight());
        if (canvas.getWidth() != w || canvas.getHeight() != h) {
            canvas.setWidth(w);
            canvas.setHeight(h);
            markDirty();
        }
    }

    @Override protected double computePrefWidth(double height) { return 900; }

    @Override protected double computePrefHeight(double width) { return 360; }

    @Override protected double computeMinHeight(double width) { return 120; }
}
