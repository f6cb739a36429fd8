// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.graph;

import dev.kiln.model.Units;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A {@link CallGraph} made ready to draw, as {@code go tool pprof -dot} draws it: each node a box whose label is the
 * short function name split at its dots, then {@code flat (flat%)} and {@code of cum (cum%)}, in a font from 8 to 24
 * points by the square root of its flat over the largest flat, coloured by its cum's share of the total (grey to
 * red); each edge labelled with its weight ({@code (inline)} for an inlined call), as wide as its share; laid out by
 * {@link GraphLayout}. Box sizes assume a font whose characters are {@value #CHAR_EM} em wide (DejaVu Sans digits are 0.64 em). Immutable.
 */
public final class GraphDrawing {
    /** Width of a character as a share of the font size (monospace-like estimate shared by every painter). */
    public static final double CHAR_EM = 0.64;
    /** Padding inside a box, in pixels. */
    public static final double PAD = 6;

    private final CallGraph graph;
    private final List<List<String>> lines = new ArrayList<>();
    private final int[] fontSize;
    private final GraphLayout layout;

    private GraphDrawing(CallGraph graph) {
        this.graph = graph;
        int n = graph.nodes().size();
        fontSize = new int[n];
        double[] w = new double[n], h = new double[n];
        long maxFlat = graph.maxFlat();
        String unit = graph.type().unit();
        for (int i = 0; i < n; i++) {
            CallGraph.Node node = graph.nodes().get(i);
            List<String> l = new ArrayList<>(nameLines(node.name()));
            String flat = node.flat() == 0 ? "0" : Units.format(node.flat(), unit) + " (" + Units.percent(node.flat(), graph.total()) + ")";
            String cum = "of " + Units.format(node.cum(), unit) + " (" + Units.percent(node.cum(), graph.total()) + ")";
            if (node.cum() == node.flat()) l.add(flat);
            else if (node.flat() == 0) l.add(flat + " " + cum);
            else { l.add(flat); l.add(cum); }
            lines.add(List.copyOf(l));
            fontSize[i] = fontSize(node.flat(), maxFlat);
            int chars = 0;
            for (String s : l) chars = Math.max(chars, s.length());
            w[i] = chars * fontSize[i] * CHAR_EM + 2 * PAD;
            h[i] = l.size() * lineHeight(fontSize[i]) + 2 * PAD;
        }
        int[] from = new int[graph.edges().size()], to = new int[from.length];
        for (int e = 0; e < from.length; e++) { from[e] = graph.edges().get(e).from(); to[e] = graph.edges().get(e).to(); }
        layout = GraphLayout.of(w, h, from, to);
    }

    public static GraphDrawing of(CallGraph graph) { return new GraphDrawing(graph); }

    public CallGraph graph() { return graph; }

    public GraphLayout layout() { return layout; }

    /** The label lines of a node, top to bottom. */
    public List<String> lines(int node) { return lines.get(node); }

    public int fontSize(int node) { return fontSize[node]; }

    /** Baseline-to-baseline distance of a label in a font of {@code size} points. */
    public static double lineHeight(int size) { return size * 1.25; }

    /** pprof's font size: 8, plus up to 16 by the square root of the flat's share of the largest flat. */
    public static int fontSize(long flat, long maxFlat) {
        if (maxFlat == 0 || flat == 0 || Math.abs(flat) > maxFlat) return 8;
        return 8 + (int) Math.ceil(16 * Math.sqrt((double) Math.abs(flat) / maxFlat));
    }

    /** An edge's label: its weight, and {@code (inline)} for an inlined call. */
    public String edgeLabel(int edge) {
        CallGraph.Edge e = graph.edges().get(edge);
        return Units.format(e.weight(), graph.type().unit()) + (e.inline() ? " (inline)" : "");
    }

    /** An edge's pen width: 1, plus up to 5 by its share of the total (pprof's penwidth). */
    public int edgeWidth(int edge) {
        long t = graph.total();
        return t == 0 ? 1 : 1 + (int) Math.min(Math.abs(graph.edges().get(edge).weight() * 5 / t), 5);
    }

    /** A node's cum, or an edge's weight, as a share of the total in [-1, 1] (what colours it). */
    public double share(long value) { return graph.total() == 0 ? 0 : Math.max(-1, Math.min(1, (double) value / Math.abs(graph.total()))); }

    // The rules pprof's labels follow (its ShortenFunctionName): a Go function loses its package path, a module's
    // major version is dropped from the path, a Java method loses its package and arguments, a C++ method its
    // namespaces; the first rule that applies wins.
    private static final java.util.regex.Pattern GO_VERSION = java.util.regex.Pattern.compile("^(.*?)/v(?:[2-9]|[1-9][0-9]+)([./].*)$");
    private static final java.util.regex.Pattern[] SHORTEN = {
            java.util.regex.Pattern.compile("^(?:[\\w\\-.]+/)+([^.]+\\..+)"),
            java.util.regex.Pattern.compile("^(?:[a-z]\\w*\\.)*([A-Z][\\w$]*\\.(?:<init>|[a-z][\\w$]*(?:\\$\\d+)?))(?:\\(|$)"),
            java.util.regex.Pattern.compile("^(?:[_a-zA-Z]\\w*::)+(_*[A-Z]\\w*::~?[_a-zA-Z]\\w*(?:<.*>)?)"),
    };

    /**
     * The name as pprof shortens it for a label: a Go function without its package path
     * ({@code github.com/a/b.(*T).m} → {@code b.(*T).m}; {@code slices.partitionOrdered[go.shape.int]} stays), a Java
     * method without its package and arguments ({@code com.acme.Foo.run(int)} → {@code Foo.run}), a C++ method
     * without its namespaces; others unchanged.
     */
    public static String shortName(String name) {
        String f = name.startsWith("(anonymous namespace)::") ? name.substring("(anonymous namespace)::".length()) : name;
        java.util.regex.Matcher v = GO_VERSION.matcher(f);
        if (v.matches()) f = v.group(1) + v.group(2);
        for (java.util.regex.Pattern p : SHORTEN) {
            java.util.regex.Matcher m = p.matcher(f);
            if (m.find()) return m.group(1);
        }
        return f;
    }

    /** A label's name lines as pprof's: the short name cut at "::" and "." (a "[...]" of type parameters kept whole). */
    public static List<String> nameLines(String name) {
        String n = shortName(name).replace("::", "\n").replace("[...]", "[\u2026]").replace('.', '\n');
        List<String> l = new ArrayList<>(Arrays.asList(n.split("\n")));
        l.removeIf(String::isEmpty);
        return l;
    }

    /**
     * pprof's colour for a share in [-1, 1]: grey near 0, towards red for positive and green for negative shares, as
     * {@code 0xRRGGBB}; {@code background} gives the pale fill, else the darker border and edge colour.
     */
    public static int color(double score, boolean background) {
        double saturation = background ? 0.1 : 1.0, value = background ? 0.93 : 0.7;
        score = Math.max(-1, Math.min(1, score));
        if (Math.abs(score) < 0.2) saturation *= Math.abs(score) / 0.2;
        if (score > 0) score = Math.pow(score, 0.3);
        if (score < 0) score = -Math.pow(-score, 0.3);
        double r, g, b = value * (1 - saturation);
        if (score < 0) { g = value; r = value * (1 + saturation * score); }
        else { r = value; g = value * (1 - saturation * score); }
        return ((int) (r * 255) << 16) | ((int) (g * 255) << 8) | (int) (b * 255);
    }

    /**
     * The legend's lines, as pprof's: what the shown nodes account for, the nodes and edges dropped by the fractions
     * (with the cutoff), and how many of the candidates the node count kept.
     */
    public List<String> legend() {
        String unit = graph.type().unit();
        List<String> out = new ArrayList<>();
        long flat = graph.shownFlat(), total = graph.total();
        out.add("Showing nodes accounting for " + Units.format(flat, unit) + ", " + Units.percent(flat, total) + " of "
                + Units.format(total, unit) + " total");
        if (graph.droppedNodes() > 0) out.add("Dropped " + graph.droppedNodes() + " node" + (graph.droppedNodes() > 1 ? "s" : "")
                + " (cum <= " + Units.format(graph.nodeCutoff(), unit) + ")");
        if (graph.droppedEdges() > 0) out.add("Dropped " + graph.droppedEdges() + " edge" + (graph.droppedEdges() > 1 ? "s" : "")
                + " (freq <= " + Units.format(graph.edgeCutoff(), unit) + ")");
        if (graph.nodes().size() < graph.candidates()) out.add("Showing top " + graph.nodes().size() + " nodes out of " + graph.candidates());
        return out;
    }

    /** A colour as {@code #rrggbb}. */
    public static String hex(int rgb) { return String.format(Locale.ROOT, "#%06x", rgb & 0xffffff); }
}
