// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.graph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code go tool pprof -dot} wrote: the nodes in order (name, flat, cum as printed), the call edges and the
 * legend's counts. Values are parsed back from pprof's units ({@code 2.84s}, {@code 606.20MB}, {@code 50}) into
 * the profile's base unit (nanoseconds, bytes, count), so they are exact to within {@link Value#tolerance()}.
 */
record PprofDot(List<DotNode> nodes, List<DotEdge> edges, int droppedNodes, int droppedEdges, int shown, int outOf) {
    record Value(double value, double tolerance) {
        boolean matches(long exact) { return Math.abs(exact - value) <= tolerance; }
    }

    record DotNode(String name, Value flat, Value cum) { }

    record DotEdge(String from, String to, Value weight, boolean residual, boolean inline) { }

    private static final Pattern NODE = Pattern.compile("^N(\\d+) \\[label=\"(.*)\" id=\"node\\d+\" fontsize=\\d+ shape=box tooltip=\"(.*) \\(([^()]*)\\)\" color=.*");
    private static final Pattern EDGE = Pattern.compile("^N(\\d+) -> N(\\d+) \\[label=\" (\\S+?)(\\\\n \\(inline\\))?\".*");
    private static final Map<String, Double> FACTORS = Map.ofEntries(Map.entry("", 1.0), Map.entry("ns", 1.0),
            Map.entry("us", 1e3), Map.entry("ms", 1e6), Map.entry("s", 1e9), Map.entry("hrs", 3.6e12), Map.entry("B", 1.0),
            Map.entry("kB", 1024.0), Map.entry("MB", 1024.0 * 1024), Map.entry("GB", 1024.0 * 1024 * 1024));

    static Value value(String s) {
        Matcher m = Pattern.compile("^(-?[0-9.]+)([a-zA-Z]*)$").matcher(s);
        if (!m.matches()) throw new IllegalArgumentException("not a pprof value: " + s);
        double f = FACTORS.get(m.group(2));
        // pprof prints two decimals at most ("%.2f", trailing ".00" cut)
        return new Value(Double.parseDouble(m.group(1)) * f, 0.005 * f + 1e-6);
    }

    private static String unescape(String s) { return s.replace("\\\"", "\"").replace("\\\\", "\\"); }

    static PprofDot read(Path file) throws IOException {
        List<DotNode> nodes = new ArrayList<>();
        Map<String, String> byId = new HashMap<>();
        List<DotEdge> edges = new ArrayList<>();
        int droppedNodes = 0, droppedEdges = 0, shown = -1, outOf = -1;
        for (String line : Files.readAllLines(file)) {
            Matcher legend = Pattern.compile("Dropped (\\d+) nodes").matcher(line);
            if (line.startsWith("subgraph cluster_L")) {
                if (legend.find()) droppedNodes = Integer.parseInt(legend.group(1));
                Matcher e = Pattern.compile("Dropped (\\d+) edges").matcher(line);
                if (e.find()) droppedEdges = Integer.parseInt(e.group(1));
                Matcher t = Pattern.compile("Showing top (\\d+) nodes out of (\\d+)").matcher(line);
                if (t.find()) { shown = Integer.parseInt(t.group(1)); outOf = Integer.parseInt(t.group(2)); }
                continue;
            }
            Matcher n = NODE.matcher(line);
            if (n.matches()) {
                String name = unescape(n.group(3));
                // the label ends "FLAT (P%)", "FLAT (P%)\\nof CUM (P%)" or "0 of CUM (P%)"
                String[] parts = n.group(2).split("\\\\n");
                String last = parts[parts.length - 1];
                String flat = (last.startsWith("of ") ? parts[parts.length - 2] : last).split(" ")[0];
                nodes.add(new DotNode(name, value(flat), value(n.group(4))));
                byId.put(n.group(1), name);
                continue;
            }
            Matcher e = EDGE.matcher(line);
            if (e.matches()) {
                edges.add(new DotEdge(byId.get(e.group(1)), byId.get(e.group(2)), value(e.group(3)),
                        line.contains("style=\"dotted\""), e.group(4) != null));
            }
        }
        return new PprofDot(nodes, edges, droppedNodes, droppedEdges, shown, outOf);
    }
}
