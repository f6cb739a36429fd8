// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.graph;

import dev.kiln.analysis.graph.CallGraph;
import dev.kiln.analysis.graph.GraphDrawing;
import dev.kiln.analysis.graph.GraphLayout;
import dev.kiln.views.common.CanvasPalette;
import dev.kiln.views.common.DrawSurface;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;

import java.util.List;

/**
 * Paints a {@link GraphDrawing} through a {@link DrawSurface} at a zoom and pan ({@link Viewport}): edges first (pen
 * width and colour by weight, residual ones dashed, an arrowhead at the callee, the weight at the middle), then the
 * boxes (colour by cum as pprof's grey-to-red, on the dark theme a deep shade of it) with their label lines in a
 * font sized by flat. Matches of the search get an accent outline, the hovered node a thicker border. Only what
 * intersects the surface is drawn.
 */
final class GraphPainter {
    /** Screen = (layout - origin) * scale. */
    record Viewport(double scale, double originX, double originY) {
        double sx(double x) { return (x - originX) * scale; }

        double sy(double y) { return (y - originY) * scale; }

        double lx(double screenX) { return screenX / scale + originX; }

        double ly(double screenY) { return screenY / scale + originY; }
    }

    private static final double DASH = 5, ARROW = 8;

    private GraphPainter() { }

    /** The fill of a node or edge colour for a share, on a palette. */
    static Color fill(double share, CanvasPalette p) {
        Color strong = rgb(GraphDrawing.color(share, false));
        return p.dark() ? p.background().interpolate(strong, 0.55) : rgb(GraphDrawing.color(share, true));
    }

    static Color stroke(double share, CanvasPalette p) {
        Color c = rgb(GraphDrawing.color(share, false));
        return p.dark() ? c.interpolate(Color.WHITE, 0.25) : c;
    }

    private static Color rgb(int rgb) { return Color.rgb((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff); }

    static void paint(DrawSurface s, GraphDrawing d, Viewport v, boolean[] matches, int hovered, CanvasPalette p) {
        s.setFill(p.background());
        s.fillRect(0, 0, s.width(), s.height());
        if (d == null) return;
        GraphLayout l = d.layout();
        CallGraph g = d.graph();
        for (int e = 0; e < g.edges().size(); e++) {
            double[] pts = l.route(e);
            if (pts == null) continue;
            CallGraph.Edge edge = g.edges().get(e);
            boolean hot = hovered >= 0 && (edge.from() == hovered || edge.to() == hovered);
            s.setStroke(hot ? p.accent() : stroke(d.share(edge.weight()), p));
            s.setLineWidth(Math.max(1, d.edgeWidth(e) * Math.min(1, v.scale())));
            for (int k = 0; k + 3 < pts.length; k += 2) {
                double x1 = v.sx(pts[k]), y1 = v.sy(pts[k + 1]), x2 = v.sx(pts[k + 2]), y2 = v.sy(pts[k + 3]);
                if (Math.max(y1, y2) < 0 || Math.min(y1, y2) > s.height() || Math.max(x1, x2) < 0
                        || Math.min(x1, x2) > s.width()) continue;
                if (edge.residual()) dashed(s, x1, y1, x2, y2);
                else s.strokeLine(x1, y1, x2, y2);
            }
            int n = pts.length;
            arrow(s, v.sx(pts[n - 4]), v.sy(pts[n - 3]), v.sx(pts[n - 2]), v.sy(pts[n - 1]));
            if (v.scale() >= 0.45) {
                int mid = (n / 2 - 1) / 2;
                s.setFont(Font.font("SansSerif", 9 * Math.min(1.4, v.scale())));
                s.setFill(hot ? p.accent() : p.mutedText());
                s.fillText(d.edgeLabel(e), v.sx((pts[2 * mid] + pts[2 * mid + 2]) / 2) + 4, v.sy((pts[2 * mid + 1] + pts[2 * mid + 3]) / 2));
            }
        }
        for (int i = 0; i < g.nodes().size(); i++) {
            double x = v.sx(l.x(i)), y = v.sy(l.y(i)), w = l.width(i) * v.scale(), h = l.height(i) * v.scale();
            if (x > s.width() || y > s.height() || x + w < 0 || y + h < 0) continue;
            double share = d.share(g.nodes().get(i).cum());
            Color fill = fill(share, p);
            s.setFill(fill);
            s.fillRect(x, y, w, h);
            boolean match = matches != null && matches[i];
            s.setStroke(match ? p.accent() : stroke(share, p));
            s.setLineWidth(match ? 3 : i == hovered ? 2.5 : 1);
            s.strokeRect(x, y, w, h);
            double size = d.fontSize(i) * v.scale();
            if (size < 4) continue; // too small to read: the box alone
            s.setFont(Font.font("SansSerif", i == hovered ? FontWeight.BOLD : FontWeight.NORMAL, size));
            s.setFill(CanvasPalette.textOn(fill));
            List<String> lines = d.lines(i);
            double lh = GraphDrawing.lineHeight(d.fontSize(i)) * v.scale(), pad = GraphDrawing.PAD * v.scale();
            for (int k = 0; k < lines.size(); k++) {
                String text = lines.get(k);
                double tw = Math.min(s.textWidth(text), w - 2 * pad);
                s.fillTextFitted(text, x + (w - tw) / 2, y + pad + lh * k + size, w - 2 * pad + 1);
            }
        }
    }

    private static void dashed(DrawSurface s, double x1, double y1, double x2, double y2) {
        double len = Math.hypot(x2 - x1, y2 - y1);
        int steps = (int) Math.ceil(len / (2 * DASH));
        for (int k = 0; k < steps; k++) {
            double a = k * 2 * DASH / len, b = Math.min(1, (k * 2 + 1) * DASH / len);
            s.strokeLine(x1 + (x2 - x1) * a, y1 + (y2 - y1) * a, x1 + (x2 - x1) * b, y1 + (y2 - y1) * b);
        }
    }

    private static void arrow(DrawSurface s, double x1, double y1, double x2, double y2) {
        double len = Math.hypot(x2 - x1, y2 - y1);
        if (len == 0) return;
        double ux = (x2 - x1) / len, uy = (y2 - y1) / len;
        for (int side = -1; side <= 1; side += 2) {
            double ax = x2 - ARROW * ux + side * ARROW * 0.5 * -uy, ay = y2 - ARROW * uy + side * ARROW * 0.5 * ux;
            s.strokeLine(x2, y2, ax, ay);
        }
    }
}
