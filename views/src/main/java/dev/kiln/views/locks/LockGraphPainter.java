// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.locks;

import dev.kiln.model.Units;
import dev.kiln.views.common.CanvasPalette;
import dev.kiln.views.common.CanvasTheme;
import dev.kiln.views.common.DrawSurface;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;

import java.util.Locale;

/**
 * Draws a {@link LockGraphLayout} on a {@link DrawSurface}: column headers, edges (grey; those of the selected lock
 * orange, on top and labelled with their time), then boxes: locks orange with the lock's name and "time · events",
 * waiting threads blue and previous owners green with name and time; the selected lock and the hovered box are
 * outlined. Notes under the columns count what did not fit. Background, headers, notes and edge labels take the
 * current {@link CanvasTheme} palette; text on boxes is black or white by the box's fill ({@link CanvasPalette#textOn}).
 */
public final class LockGraphPainter {
    public static final Color LOCK = Color.rgb(250, 200, 150), WAITER = Color.rgb(180, 205, 240), OWNER = Color.rgb(185, 225, 185);
    public static final Color EDGE = Color.rgb(150, 150, 150, 0.45), SELECTED_EDGE = Color.rgb(215, 110, 20, 0.85);
    public static final Color OUTLINE = Color.rgb(90, 90, 90), SELECTED_OUTLINE = Color.rgb(170, 70, 0);
    private static final Font FONT = Font.font(12), BOLD = Font.font(null, FontWeight.BOLD, 12), HEAD = Font.font(null, FontWeight.BOLD, 13);

    private LockGraphPainter() { }

    /** Paints {@code l}; {@code selectedRow} is the selected lock row (-1 none), {@code hovered} a box index (-1 none). */
    public static void paint(DrawSurface s, LockGraphLayout l, int selectedRow, int hovered) {
        CanvasPalette p = CanvasTheme.palette();
        s.setFill(p.background());
        s.fillRect(0, 0, s.width(), s.height());
        int selected = l.lockNode(selectedRow);
        double threadW = -1, lockX = -1, lockW = 0, rightX = -1;
        for (LockGraphLayout.Node n : l.nodes()) {
            if (n.role() == LockGraphLayout.Role.LOCK) { lockX = n.x(); lockW = n.w(); }
            else if (n.role() == LockGraphLayout.Role.OWNER) rightX = n.x();
            else threadW = n.w();
        }
        s.setFont(HEAD);
        s.setFill(p.text());
        double head = LockGraphLayout.HEADER - 9;
        if (threadW > 0) s.fillTextFitted("Waiting threads \u2192", LockGraphLayout.PAD, head, threadW);
        if (lockX >= 0) s.fillTextFitted("Locks (largest first) \u2192", lockX, head, lockW);
        if (rightX >= 0) s.fillTextFitted("Held by (previous owner)", rightX, head, l.width() - rightX);
        for (int pass = 0; pass < 2; pass++) {
            for (LockGraphLayout.Edge e : l.edges()) {
                boolean mine = selected >= 0 && (e.from() == selected || e.to() == selected);
                if (mine != (pass == 1)) continue;
                s.setStroke(mine ? SELECTED_EDGE : EDGE);
                s.setLineWidth(e.width());
                s.strokeLine(e.x1(), e.y1(), e.x2(), e.y2());
            }
        }
        s.setLineWidth(1);
        s.setFont(FONT);
        for (LockGraphLayout.Edge e : l.edges()) {
            if (selected < 0 || (e.from() != selected && e.to() != selected)) continue;
            String t = Units.duration(e.nanos());
            // Near the thread's end, where the edges of one lock are apart.
            boolean waits = e.to() == selected;
            double x = waits ? e.x1() + 6 : e.x2() - s.textWidth(t) - 6, y = (waits ? e.y1() : e.y2()) - 4;
            s.setFill(p.background());
            s.fillRect(x - 2, y - 11, s.textWidth(t) + 4, 14);
            s.setFill(p.accent());
            s.fillText(t, x, y);
        }
        for (int i = 0; i < l.nodes().size(); i++) {
            LockGraphLayout.Node n = l.nodes().get(i);
            Color fill = switch (n.role()) { case LOCK -> LOCK; case WAITER -> WAITER; case OWNER -> OWNER; };
            s.setFill(fill);
            s.fillRect(n.x(), n.y(), n.w(), n.h());
            boolean sel = i == selected;
            s.setStroke(sel ? SELECTED_OUTLINE : OUTLINE);
            s.setLineWidth(sel ? 3 : i == hovered ? 2 : 1);
            s.strokeRect(n.x(), n.y(), n.w(), n.h());
            s.setFill(CanvasPalette.textOn(fill));
            String time = Units.duration(n.nanos());
            if (n.role() == LockGraphLayout.Role.LOCK) {
                s.setFont(BOLD);
                s.fillTextFitted(n.label(), n.x() + 6, n.y() + 16, n.w() - 12);
                s.setFont(FONT);
                s.fillTextFitted(String.format(Locale.ROOT, "%s \u00b7 %,d events", time, n.count()), n.x() + 6, n.y() + 32, n.w() - 12);
            } else {
                double tw = s.textWidth(time);
                String shown = s.fillTextFitted(n.label(), n.x() + 6, n.y() + 15, n.w() - tw - 18);
                if (shown != null || tw < n.w() - 12) s.fillText(time, n.x() + n.w() - tw - 6, n.y() + 15);
            }
        }
        s.setLineWidth(1);
        s.setFont(FONT);
        s.setFill(p.mutedText());
        double noteY = l.height() - LockGraphLayout.PAD;
        if (l.hiddenWaiters() > 0 && threadW > 0) s.fillTextFitted(more(l.hiddenWaiters(), "thread"), LockGraphLayout.PAD, noteY, threadW);
        if (l.hiddenLocks() > 0 && lockX >= 0) s.fillTextFitted(more(l.hiddenLocks(), "lock") + " in the table below", lockX, noteY, lockW);
        if (l.hiddenOwners() > 0 && rightX >= 0) s.fillTextFitted(more(l.hiddenOwners(), "thread"), rightX, noteY, l.width() - rightX);
    }

    static String more(int n, String what) {
        return String.format(Locale.ROOT, "+%,d more %s%s", n, what, n == 1 ? "" : "s");
    }
}
