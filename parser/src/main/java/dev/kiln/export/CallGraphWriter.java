// SPDX-License-Identifier: Apache-2.0
package dev.kiln.export;

import dev.kiln.analysis.graph.CallGraph;
import dev.kiln.analysis.graph.GraphDrawing;
import dev.kiln.analysis.graph.GraphLayout;
import dev.kiln.model.Units;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Writes a {@link CallGraph} as Graphviz DOT in the form {@code go tool pprof -dot} writes (a legend box; nodes
 * {@code N1, N2, ...} in the graph's order with label, font size, tooltip and colours; edges by weight with label,
 * weight, pen width and colour, residual edges dotted), or as a self-contained SVG drawn with Kiln's own
 * {@link GraphLayout}: boxes, arrowed edges with their weights, a {@code <title>} tooltip per node and edge, and the
 * legend. Both escape every name (DOT: {@code \ "} and line breaks; SVG: as {@link FlameSvgWriter#escape}).
 */
public final class CallGraphWriter {
    private CallGraphWriter() { }

    /** The DOT document; {@code title} names the graph (pprof uses the file name). */
    public static void dot(CallGraph g, String title, Appendable out) throws IOException {
        GraphDrawing d = GraphDrawing.of(g);
        String unit = g.type().unit();
        out.append("digraph \"").append(dotEscape(title)).append("\" {\n");
        out.append("node [style=filled fillcolor=\"#f8f8f8\"]\n");
        StringBuilder legend = new StringBuilder("File: " + title + "\nType: " + g.type().kind() + "\n");
        for (String l : d.legend()) legend.append(l).append('\n');
        out.append("subgraph cluster_L { \"File: ").append(dotEscape(title)).append("\" [shape=box fontsize=16 label=\"")
                .append(dotEscape(legend.toString())).append("\" tooltip=\"").append(dotEscape(title)).append("\"] }\n");
        for (int i = 0; i < g.nodes().size(); i++) {
            CallGraph.Node n = g.nodes().get(i);
            double share = d.share(n.cum());
            out.append(String.format(Locale.ROOT, "N%d [label=\"%s\" id=\"node%d\" fontsize=%d shape=box tooltip=\"%s (%s)\" color=\"%s\" fillcolor=\"%s\"]%n",
                    i + 1, String.join("\\n", d.lines(i).stream().map(CallGraphWriter::dotEscape).toList()) + "\\n", i + 1, d.fontSize(i),
                    dotEscape(n.name()), Units.format(n.cum(), unit), GraphDrawing.hex(GraphDrawing.color(share, false)),
                    GraphDrawing.hex(GraphDrawing.color(share, true))));
        }
        for (int e = 0; e < g.edges().size(); e++) {
            CallGraph.Edge edge = g.edges().get(e);
            String w = Units.format(edge.weight(), unit);
            StringBuilder attr = new StringBuilder("label=\" " + w + (edge.inline() ? "\\n (inline)" : "") + "\"");
            if (g.total() != 0) {
                int weight = 1 + (int) Math.min(Math.abs(edge.weight() * 100 / g.total()), 100);
                if (weight > 1) attr.append(" weight=").append(weight);
                if (d.edgeWidth(e) > 1) attr.append(" penwidth=").append(d.edgeWidth(e));
                attr.append(" color=\"").append(GraphDrawing.hex(GraphDrawing.color(d.share(edge.weight()), false))).append('"');
            }
            String tip = "\"" + dotEscape(g.nodes().get(edge.from()).name()) + (edge.residual() ? " ... " : " -> ")
                    + dotEscape(g.nodes().get(edge.to()).name()) + " (" + w + ")\"";
            attr.append(" tooltip=").append(tip).append(" labeltooltip=").append(tip);
            if (edge.residual()) attr.append(" style=\"dotted\"");
            out.append(String.format(Locale.ROOT, "N%d -> N%d [%s]%n", edge.from() + 1, edge.to() + 1, attr));
        }
        out.append("}\n");
    }

    /** DOT escString: backslashes and quotes escaped, line breaks as left-justified breaks. */
    static String dotEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\l");
    }

    /** A self-contained SVG document of the graph (white background, pprof's colours). */
    public static void svg(CallGraph g, String title, Appendable out) throws IOException {
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svgElement(g, title, out);
    }

    /** The {@code <svg>} element alone, to be put inline in an HTML page. */
    public static void svgElement(CallGraph g, String title, Appendable out) throws IOException {
        GraphDrawing d = GraphDrawing.of(g);
        GraphLayout l = d.layout();
        List<String> legend = new java.util.ArrayList<>(List.of("File: " + title, "Type: " + g.type().kind()));
        legend.addAll(d.legend());
        double legendHeight = legend.size() * 16 + 12;
        double width = Math.max(l.width(), 480), height = l.height() + legendHeight;
        out.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"kiln-graph\" width=\"%.0f\" height=\"%.0f\" "
                + "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\">%n", width, height, width, height));
        out.append("<defs><marker id=\"kiln-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" "
                + "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"context-stroke\"/></marker></defs>\n");
        out.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>%n", width, height));
        for (int i = 0; i < legend.size(); i++) {
            out.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%.0f\" font-size=\"%d\">", GraphLayout.MARGIN, 20.0 + 16 * i, i == 0 ? 14 : 12))
                    .append(FlameSvgWriter.escape(legend.get(i))).append("</text>\n");
        }
        out.append(String.format(Locale.ROOT, "<g transform=\"translate(0,%.0f)\">%n", legendHeight));
        for (int e = 0; e < g.edges().size(); e++) {
            double[] p = l.route(e);
            if (p == null) continue;
            CallGraph.Edge edge = g.edges().get(e);
            String color = GraphDrawing.hex(GraphDrawing.color(d.share(edge.weight()), false));
            out.append("<g class=\"edge\"><title>").append(FlameSvgWriter.escape(g.nodes().get(edge.from()).name()
                    + (edge.residual() ? " ... " : " -> ") + g.nodes().get(edge.to()).name() + " (" + d.edgeLabel(e) + ")")).append("</title>");
            out.append("<path d=\"").append(path(p)).append("\" fill=\"none\" stroke=\"").append(color)
                    .append(String.format(Locale.ROOT, "\" stroke-width=\"%d\"", d.edgeWidth(e)))
                    .append(edge.residual() ? " stroke-dasharray=\"3,3\"" : "").append(" marker-end=\"url(#kiln-arrow)\"/>");
            int mid = (p.length / 2 - 1) / 2;
            double mx = (p[2 * mid] + p[2 * mid + 2]) / 2, my = (p[2 * mid + 1] + p[2 * mid + 3]) / 2;
            out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\" fill=\"#444444\">", mx + 4, my))
                    .append(FlameSvgWriter.escape(d.edgeLabel(e))).append("</text></g>\n");
        }
        for (int i = 0; i < g.nodes().size(); i++) {
            CallGraph.Node n = g.nodes().get(i);
            double share = d.share(n.cum());
            out.append("<g class=\"node\"><title>").append(FlameSvgWriter.escape(n.name() + " (" + Units.format(n.cum(), g.type().unit()) + ")"))
                    .append("</title>");
            out.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"%s\"/>",
                    l.x(i), l.y(i), l.width(i), l.height(i), GraphDrawing.hex(GraphDrawing.color(share, true)),
                    GraphDrawing.hex(GraphDrawing.color(share, false))));
            int size = d.fontSize(i);
            double lh = GraphDrawing.lineHeight(size);
            List<String> lines = d.lines(i);
            for (int k = 0; k < lines.size(); k++) {
                out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"middle\">",
                        l.x(i) + l.width(i) / 2, l.y(i) + GraphDrawing.PAD + lh * k + size, size)).append(FlameSvgWriter.escape(lines.get(k))).append("</text>");
            }
            out.append("</g>\n");
        }
        out.append("</g>\n</svg>\n");
    }

    /** A polyline as an SVG path: straight from the caller to the first bend, smoothed through the bends. */
    private static String path(double[] p) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "M%.1f,%.1f", p[0], p[1]));
        for (int k = 2; k < p.length; k += 2) {
            double py = p[k - 1], ny = p[k + 1];
            double c = (ny - py) / 2;
            s.append(String.format(Locale.ROOT, " C%.1f,%.1f %.1f,%.1f %.1f,%.1f", p[k - 2], py + c, p[k], ny - c, p[k], ny));
        }
        return s.toString();
    }
}
