// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.graph;

import dev.kiln.analysis.FilteredStacks;
import dev.kiln.model.ValueType;

import java.util.List;

/**
 * The call graph of the kept rows of a {@link FilteredStacks}, pruned as {@code go tool pprof -dot} prunes it:
 * one node per function name with its {@code flat} (rows whose leaf frame it is) and {@code cum} (rows it is on,
 * once per row however often it recurs), one edge per caller → callee pair with the weight of the rows that make
 * that call (once per row). Pruning, in pprof's order:
 * <ol>
 * <li>nodes whose cum is below {@code nodeFraction} of the total flat are dropped ({@link #droppedNodes()});</li>
 * <li>of the rest ({@link #candidates()}), the first {@code nodeCount} in pprof's visual order are kept: by an
 *     entropy score that favours entry and leaf nodes and nodes whose calls fan out over nodes that merely pass their
 *     weight on, each node costing one plus its label tags (pprof's nodelets);</li>
 * <li>the graph is rebuilt from the rows over the kept nodes only: a call that skips dropped frames becomes a
 *     {@link Edge#residual() residual} edge (pprof's dotted edge), and a row whose leaf was dropped adds no flat;</li>
 * <li>edges below {@code edgeFraction} of the total are dropped ({@link #droppedEdges()}), then residual edges
 *     whose callee is reachable from the caller's ancestors otherwise, lightest first.</li>
 * </ol>
 * Nodes are in that visual order (pprof numbers them N1, N2, ... so); edges by weight, then caller and callee name.
 * A call of a function to itself is no edge: the node is then {@link Node#recursive() recursive}. Immutable.
 *
 * @param total       the whole kept weight (pprof's "of ... total")
 * @param nodeCutoff  the cum below which a node was dropped (0: none)
 * @param edgeCutoff  the weight below which an edge was dropped (0: none)
 * @param candidates  the nodes left after the node fraction, from which the {@code nodeCount} were chosen
 */
public record CallGraph(ValueType type, long total, List<Node> nodes, List<Edge> edges, int droppedNodes,
                        long nodeCutoff, int droppedEdges, long edgeCutoff, int candidates) {

    /** pprof's pruning options; {@link #DEFAULT} is {@code -nodecount=80 -nodefraction=0.005 -edgefraction=0.001}. */
    public record Options(int nodeCount, double nodeFraction, double edgeFraction) {
        public static final Options DEFAULT = new Options(80, 0.005, 0.001);

        public Options {
            if (nodeCount < 0 || nodeFraction < 0 || edgeFraction < 0) throw new IllegalArgumentException("negative graph option");
        }

        /** The default fractions with another node count (0: no limit). */
        public static Options nodeCount(int n) { return new Options(n, DEFAULT.nodeFraction, DEFAULT.edgeFraction); }
    }

    /**
     * One function.
     *
     * @param recursive whether it appears more than once on some row's stack
     */
    public record Node(String name, long flat, long cum, boolean recursive) { }

    /**
     * A call from node {@code from} to node {@code to} (indices in {@link #nodes()}).
     *
     * @param residual  the call skips frames of dropped nodes
     * @param inline    every such call was inlined into the caller
     * @param recursive on some row the callee is already above the caller (the call closes a cycle)
     */
    public record Edge(int from, int to, long weight, boolean residual, boolean inline, boolean recursive) { }

    public CallGraph {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    /** The pruned graph of the rows with pprof's default options. */
    public static CallGraph of(FilteredStacks rows) { return of(rows, Options.DEFAULT); }

    public static CallGraph of(FilteredStacks rows, Options options) { return new CallGraphBuilder(rows).build(options); }

    /** The sum of the shown nodes' flat (pprof's "Showing nodes accounting for"). */
    public long shownFlat() {
        long s = 0;
        for (Node n : nodes) s += n.flat();
        return s;
    }

    /** The index of the node of a function, or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < nodes.size(); i++) if (nodes.get(i).name().equals(name)) return i;
        return -1;
    }

    /** The largest flat of a node (0 when there are none), by which pprof sizes the labels. */
    public long maxFlat() {
        long m = 0;
        for (Node n : nodes) m = Math.max(m, Math.abs(n.flat()));
        return m;
    }
}
