// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.flame;

import dev.kiln.analysis.tree.CallTree;
import dev.kiln.model.FrameKind;
import dev.kiln.model.ValueType;
import dev.kiln.model.Units;
import dev.kiln.views.common.CanvasPalette;
import dev.kiln.views.common.CanvasTheme;
import dev.kiln.views.common.DrawSurface;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;

import java.util.Locale;

/**
 * Draws a {@link FlameGeometry} through a {@link DrawSurface}: one filled box per geometry box (1 px gaps
 * between boxes wide enough to show them), a label shortened to fit inside the box ({@link
 * DrawSurface#fillTextFitted}), search matches in {@link FlamePalette#MATCH}, outlines for the selected
 * function and the hovered box. The root box is labelled {@code all (<total>)} with the tree's total formatted
 * in the weight's unit ({@link #amount}). The background is the current {@link CanvasTheme} palette's; labels are
 * black or white by the box's fill ({@link CanvasPalette#textOn}). Stateless apart from a colour cache per function key.
 */
public final class FlamePainter {
    /** Row height in pixels. */
    public static final double ROW_HEIGHT = 18;
    /** Horizontal padding of labels inside their box. */
    public static final double TEXT_PAD = 4;
    public static final Font FONT = Font.font("System", 12);

    /** What to emphasise: per-node search matches (or null), the selected function key (-1), the hovered node (-1). */
    public record Highlight(boolean[] matched, int selectedFunc, int hovered) {
        public static final Highlight NONE = new Highlight(null, -1, -1);
    }

    private final CallTree tree;
    private final byte[] funcKind;
    private final Color[] colors;
    private final String rootLabel;

    /** A painter for {@code tree}; {@code funcKind} gives the {@link FrameKind} ordinal per function key, or null. */
    public FlamePainter(CallTree tree, byte[] funcKind) {
        this.tree = tree;
        this.funcKind = funcKind;
        this.colors = new Color[tree.funcCount()];
        this.rootLabel = CallTree.ROOT_NAME + " (" + amount(tree.rootTotal(), tree.weight().type()) + ")";
    }

    /** The root's label: {@code all (2,354 samples)}. */
    public String rootLabel() { return rootLabel; }

    /**
     * A weight for people: durations and sizes by {@link Units#format}, counts with separators and the unit
     * ({@code 2,354 samples}), or the kind for a plain count ({@code 12 goroutine}).
     */
    public static String amount(long value, ValueType type) {
        String unit = type.unit();
        if (unit.equals("nanoseconds") || unit.equals("bytes")) return Units.format(value, unit);
        String noun = unit.equals("count") ? type.kind() : unit;
        return String.format(Locale.ROOT, "%,d %s", value, noun);
    }

    /** Paints the whole surface: background, then every box of {@code g} placed by {@code rows}. */
    public void paint(DrawSurface s, FlameGeometry g, FlameRows rows, Highlight h) {
        s.setFill(CanvasTheme.palette().background());
        s.fillRect(0, 0, s.width(), s.height());
        s.setFont(FONT);
        double rh = rows.rowHeight();
        double minLabel = s.textWidth("Wm\u2026") + 2 * TEXT_PAD;
        for (int i = 0; i < g.size(); i++) {
            double x = g.x(i), w = g.width(i), y = rows.y(g.depth(i));
            int n = g.node(i);
            Color c;
            if (g.isMerged(i)) c = FlamePalette.MERGED;
            else if (h.matched != null && h.matched[n]) c = FlamePalette.MATCH;
            else c = color(n);
            if (g.isAncestor(i)) c = FlamePalette.dimmed(c);
            s.setFill(c);
            double gap = w >= 3 ? 1 : 0;
            s.fillRect(x, y, w - gap, rh - 1);
            if (n < 0) continue;
            boolean selected = h.selectedFunc >= 0 && tree.func(n) == h.selectedFunc;
            if (selected || n == h.hovered) {
                s.setStroke(selected ? FlamePalette.SELECTED_OUTLINE : FlamePalette.HOVER_OUTLINE);
                s.setLineWidth(selected ? 2 : 1);
                s.strokeRect(x + 0.5, y + 0.5, Math.max(0, w - gap - 1), rh - 2);
            }
            if (w >= minLabel) {
                s.setFill(CanvasPalette.textOn(c));
                s.fillTextFitted(n == 0 ? rootLabel : tree.label(n), x + TEXT_PAD, y + rh - 5, w - 2 * TEXT_PAD);
            }
        }
    }

    /** The fill colour of a node (without highlight). */
    public Color color(int node) {
        int f = tree.func(node);
        if (f < 0) return FlamePalette.ROOT;
        Color c = colors[f];
        if (c == null) {
            FrameKind k = funcKind == null ? FrameKind.UNKNOWN : FrameKind.of(funcKind[f]);
            c = colors[f] = FlamePalette.of(tree.funcName(f), k);
        }
        return c;
    }
}
