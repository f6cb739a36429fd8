// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.diff;

import dev.kiln.analysis.diff.Change;
import dev.kiln.analysis.diff.Diff;
import dev.kiln.analysis.diff.DiffTree;
import dev.kiln.analysis.diff.Status;
import dev.kiln.model.Units;
import dev.kiln.views.common.CanvasPalette;
import dev.kiln.views.common.CanvasTheme;
import dev.kiln.views.common.DrawSurface;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;

import java.util.Locale;

/**
 * Draws a {@link DiffGeometry} through a {@link DrawSurface}: one box per geometry box, filled by
 * {@link DiffPalette#of} of the row's total change ({@link DiffTree#totalChange}), labelled with the function
 * name shortened to fit (black or white by the fill, {@link CanvasPalette#textOn}) on the current
 * {@link CanvasTheme} background, the hovered box outlined. The root is labelled with both totals and the delta. Also
 * the text helpers of the diff view ({@link #amount}, {@link #signed}, {@link #percent}, {@link #tooltip}).
 * Stateless.
 */
public final class DiffPainter {
    /** Row height in pixels. */
    public static final double ROW_HEIGHT = 18;
    /** Horizontal padding of labels inside their box. */
    public static final double TEXT_PAD = 4;
    public static final Font FONT = Font.font("System", 12);

    private final Diff diff;
    private final double reference;

    public DiffPainter(Diff diff) {
        this.diff = diff;
        Change root = diff.tree().totalChange(0);
        this.reference = Math.max(root.scaledBase(), root.target());
    }

    /** The total the colour strength is relative to: the larger (scaled) root total. */
    public double reference() { return reference; }

    /** The fill colour of a diff-tree row. */
    public Color color(int node) {
        return node == 0 ? DiffPalette.ROOT : DiffPalette.of(diff.tree().totalChange(node), reference);
    }

    /** Label of a row: the function name, or for the root both totals and the delta. */
    public String label(int node) {
        DiffTree t = diff.tree();
        if (node != 0) return t.label(node);
        Change c = t.totalChange(0);
        return "all: " + amount(c.scaledBase(), diff.unit()) + " \u2192 " + amount(c.target(), diff.unit())
                + " (" + signed(c.delta(), diff.unit()) + ")";
    }

    /** Paints the whole surface: background, then every box of {@code g}, {@code hovered} (a tree row or -1) outlined. */
    public void paint(DrawSurface s, DiffGeometry g, double scroll, int hovered) {
        s.setFill(CanvasTheme.palette().background());
        s.fillRect(0, 0, s.width(), s.height());
        s.setFont(FONT);
        double rh = ROW_HEIGHT;
        double minLabel = s.textWidth("Wm\u2026") + 2 * TEXT_PAD;
        for (int i = 0; i < g.size(); i++) {
            double x = g.x(i), w = g.width(i), y = g.depth(i) * rh - scroll;
            if (y + rh < 0 || y > s.height()) continue;
            int n = g.node(i);
            Color c = color(n);
            s.setFill(c);
            double gap = w >= 3 ? 1 : 0;
            s.fillRect(x, y, w - gap, rh - 1);
            if (n == hovered) {
                s.setStroke(DiffPalette.HOVER_OUTLINE);
                s.setLineWidth(1);
                s.strokeRect(x + 0.5, y + 0.5, Math.max(0, w - gap - 1), rh - 2);
            }
            if (w >= minLabel) {
                s.setFill(CanvasPalette.textOn(c));
                s.fillTextFitted(label(n), x + TEXT_PAD, y + rh - 5, w - 2 * TEXT_PAD);
            }
        }
    }

    /** Tooltip of a row: path end, base, target, delta, delta % and status of its total, and its self change. */
    public String tooltip(int node) {
        DiffTree t = diff.tree();
        Change c = t.totalChange(node), self = t.selfChange(node);
        String u = diff.unit();
        StringBuilder sb = new StringBuilder(node == 0 ? "all" : t.label(node)).append('\n');
        sb.append("Total  base ").append(amount(c.scaledBase(), u)).append("  \u2192  target ").append(amount(c.target(), u)).append('\n');
        sb.append("Delta  ").append(signed(c.delta(), u)).append("  (").append(percent(c.relativePct()))
                .append(" of base, ").append(percent(c.pctOfTargetTotal())).append(" of target total)\n");
        sb.append("Status ").append(statusText(c.status())).append('\n');
        sb.append("Self   base ").append(amount(self.scaledBase(), u)).append("  \u2192  target ").append(amount(self.target(), u))
                .append("  (").append(signed(self.delta(), u)).append(", ").append(self.status()).append(')');
        if (diff.scale() != 1) sb.append("\nBase values normalized \u00d7").append(String.format(Locale.ROOT, "%.3f", diff.scale()));
        return sb.toString();
    }

    /** A status for people: {@code GREW (red)}. */
    public static String statusText(Status s) {
        return switch (s) {
            case GREW -> "GREW (red)";
            case NEW -> "NEW (red: only in target)";
            case SHRANK -> "SHRANK (blue)";
            case GONE -> "GONE (blue: only in base)";
            case SAME -> "SAME (grey: within noise)";
        };
    }

    /** A value in a unit: {@code 1,331 samples}, {@code 2.50 ms}, {@code 1.00 MiB}. */
    public static String amount(double value, String unit) {
        long v = Math.round(value);
        if (unit.equals("nanoseconds") || unit.equals("bytes")) return Units.format(v, unit);
        return String.format(Locale.ROOT, "%,d %s", v, unit);
    }

    /** A delta with its sign: {@code +886 samples}, {@code -1.20 ms}. */
    public static String signed(double delta, String unit) {
        String a = amount(Math.abs(delta), unit);
        return (Math.round(delta) > 0 ? "+" : Math.round(delta) < 0 ? "\u2212" : "\u00b1") + a;
    }

    /** A percentage with its sign, {@code +199.1%}; {@code new} for infinity. */
    public static String percent(double pct) {
        if (Double.isInfinite(pct)) return "new";
        if (Double.isNaN(pct)) return "-";
        return String.format(Locale.ROOT, "%+.1f%%", pct);
    }
}
