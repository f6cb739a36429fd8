// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.graph;

import dev.kiln.analysis.FilteredStacks;
import dev.kiln.analysis.KeyedSums;
import dev.kiln.analysis.StackTransform;
import dev.kiln.analysis.graph.CallGraph.Options;
import dev.kiln.model.FrameKind;
import dev.kiln.model.LabelTable;
import dev.kiln.model.Profile;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link CallGraph}: the rows are summed once per (stack, label set), then the graph is built from those
 * sums up to three times (all nodes, the nodes above the node fraction, the chosen nodes), as pprof rebuilds its
 * graph from the samples at each step so that residual edges and flat stay exact.
 */
final class CallGraphBuilder {
    /** Edge columns: weight, the last row that added to it, residual (0/1), some call not inlined (0/1), recursive (0/1). */
    /** Tags a node costs at most when choosing nodes: pprof draws four nodelets per node. */
    private static final int MAX_NODELETS = 4;
    private static final int WEIGHT = 0, STAMP = 1, RESIDUAL = 2, NOT_INLINE = 3, RECURSIVE = 4;

    private final StackTransform transform;
    private final FilteredStacks rows;
    private final int[] nodeOfFrame;
    private final boolean[] inlineFrame;
    private final List<String> names = new ArrayList<>();
    // The summed rows: derived stack, label tag (-1 none), numeric tags, weight.
    private final int[] rowStack, rowLabelTag;
    private final int[][] rowNumericTags;
    private final long[] rowWeight;

    /** One build over a set of kept nodes. */
    private final class Graph {
        final long[] flat = new long[names.size()], cum = new long[names.size()];
        final boolean[] recursive = new boolean[names.size()];
        final KeyedSums edges = new KeyedSums(5, 64);
        final KeyedSums tags = new KeyedSums(2, 64); // (node, tag) -> flat, cum
        boolean[] edgeAlive;
        List<Integer> nodes; // ids with weight, in visual order once sorted
    }

    CallGraphBuilder(FilteredStacks rows) {
        this.rows = rows;
        this.transform = rows.transform();
        Profile p = transform.profile();
        int[] nodeOfName = new int[p.strings().size()];
        Arrays.fill(nodeOfName, -1);
        nodeOfFrame = new int[p.frames().size()];
        inlineFrame = new boolean[p.frames().size()];
        for (int f = 0; f < nodeOfFrame.length; f++) {
            int name = p.functions().name(p.frames().func(f));
            if (nodeOfName[name] < 0) {
                nodeOfName[name] = names.size();
                names.add(p.string(name));
            }
            nodeOfFrame[f] = nodeOfName[name];
            inlineFrame[f] = p.frames().kind(f) == FrameKind.INLINED;
        }
        KeyedSums sums = new KeyedSums(1, 1024);
        boolean labelled = !rows.weight().isEvents();
        rows.forEach((row, stack, w) -> {
            if (stack < 0) return;
            int set = labelled ? rows.weight().table().labelSet(row) : -1;
            sums.add(KeyedSums.pack(stack, set), 0, w);
        });
        int n = sums.size();
        rowStack = new int[n];
        rowLabelTag = new int[n];
        rowNumericTags = new int[n][];
        rowWeight = new long[n];
        Map<String, Integer> tagIds = new HashMap<>();
        Map<Integer, int[]> tagsOfSet = new HashMap<>();
        for (int r = 0; r < n; r++) {
            long key = sums.key(r);
            rowStack[r] = KeyedSums.high(key);
            rowWeight[r] = sums.get(r, 0);
            int[] t = tagsOfSet.computeIfAbsent(KeyedSums.low(key), set -> tagsOf(p, set, tagIds));
            rowLabelTag[r] = t[0];
            rowNumericTags[r] = Arrays.copyOfRange(t, 1, t.length);
        }
    }

    /**
     * A label set's tags as pprof's graph counts them: {label tag or -1, numeric tags...}. The label tag is the set's
     * string labels joined ({@code key:value}, sorted); the numeric tags are its {@code bytes} labels (the only numeric
     * labels pprof keeps for a graph), told apart by their value as pprof prints it ({@code 9.25kB}), per label tag.
     */
    private static int[] tagsOf(Profile p, int set, Map<String, Integer> ids) {
        if (set < 0) return new int[] {-1};
        LabelTable lt = p.labels();
        List<String> strings = new ArrayList<>();
        List<Long> bytes = new ArrayList<>();
        for (int l = lt.start(set); l < lt.end(set); l++) {
            String key = p.string(lt.key(l));
            if (lt.str(l) >= 0) strings.add(key + ":" + p.string(lt.str(l)));
            else if (key.equals("bytes")) bytes.add(lt.num(l));
        }
        strings.sort(null);
        String joined = String.join("\\n", strings);
        int[] out = new int[1 + bytes.size()];
        out[0] = joined.isEmpty() ? -1 : ids.computeIfAbsent(joined, k -> ids.size());
        for (int i = 0; i < bytes.size(); i++) out[i + 1] = ids.computeIfAbsent(joined + '\0' + scaledBytes(bytes.get(i)), k -> ids.size());
        return out;
    }

    /** A byte count as pprof labels it: the largest binary unit it reaches, two decimals without ".00" ({@code 10.62kB}). */
    static String scaledBytes(long value) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB"};
        double v = Math.abs((double) value);
        int u = 0;
        while (u + 1 < units.length && v / Math.pow(1024, u + 1) >= 1.0) u++;
        double scaled = v / Math.pow(1024, u) * Math.signum((double) value);
        String s = new BigDecimal(scaled).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
        if (s.endsWith(".00")) s = s.substring(0, s.length() - 3);
        return s.equals("0") || s.equals("-0") ? "0" : s + units[u];
    }

    CallGraph build(Options o) {
        Graph g = graph(null);
        long totalFlat = 0;
        for (int n : g.nodes) totalFlat += g.flat[n];
        long nodeCutoff = Math.abs((long) (totalFlat * o.nodeFraction())), edgeCutoff = Math.abs((long) (totalFlat * o.edgeFraction()));
        int dropped = 0;
        if (nodeCutoff > 0) {
            boolean[] kept = new boolean[names.size()];
            int keptCount = 0;
            for (int n : g.nodes) if (Math.abs(g.cum[n]) >= nodeCutoff) { kept[n] = true; keptCount++; }
            if (keptCount != g.nodes.size()) {
                dropped = g.nodes.size() - keptCount;
                g = graph(kept);
            }
        }
        int candidates = g.nodes.size();
        sortVisually(g);
        if (o.nodeCount() > 0) {
            trimEdges(g, edgeCutoff); // as pprof, before choosing; uncounted when the graph is not rebuilt
            int max = o.nodeCount(), count = 0;
            for (int i = 0; i < g.nodes.size(); i++) {
                count += Math.min(tagCount(g, g.nodes.get(i), nodeCutoff), MAX_NODELETS) + 1;
                if (count >= max) { max = i + 1; break; }
            }
            max = Math.min(max, g.nodes.size());
            if (max != g.nodes.size()) {
                boolean[] kept = new boolean[names.size()];
                for (int i = 0; i < max; i++) kept[g.nodes.get(i)] = true;
                g = graph(kept);
                sortVisually(g);
            }
        }
        int droppedEdges = trimEdges(g, edgeCutoff);
        removeRedundantEdges(g);
        return result(g, dropped, nodeCutoff, droppedEdges, edgeCutoff, candidates);
    }

    private static int trimEdges(Graph g, long cutoff) {
        int dropped = 0;
        for (int e = 0; e < g.edges.size(); e++) {
            if (g.edgeAlive[e] && Math.abs(g.edges.get(e, WEIGHT)) < cutoff) { g.edgeAlive[e] = false; dropped++; }
        }
        return dropped;
    }

    /** Builds the graph over the kept nodes (null: all), as pprof's graph.New does per sample. */
    private Graph graph(boolean[] kept) {
        Graph g = new Graph();
        int[] seen = new int[names.size()];
        Arrays.fill(seen, -1);
        int[] path = new int[64];
        for (int r = 0; r < rowStack.length; r++) {
            int depth = 0;
            for (int x = rowStack[r]; x >= 0; x = transform.parent(x)) {
                if (depth == path.length) path = Arrays.copyOf(path, depth * 2);
                path[depth++] = transform.frame(x);
            }
            long w = rowWeight[r];
            int parent = -1;
            boolean residual = false;
            for (int i = depth - 1; i >= 0; i--) {
                int f = path[i], n = nodeOfFrame[f];
                if (kept != null && !kept[n]) { residual = true; continue; }
                boolean again = seen[n] == r;
                if (!again) {
                    seen[n] = r;
                    g.cum[n] += w;
                    addTags(g, n, r, 1, w);
                } else {
                    g.recursive[n] = true;
                }
                if (parent >= 0 && n != parent) {
                    int e = g.edges.row(KeyedSums.pack(parent, n));
                    if (g.edges.get(e, STAMP) != r + 1) { // column 1 holds row + 1, so 0 means "never"
                        g.edges.addAt(e, STAMP, r + 1 - g.edges.get(e, STAMP));
                        g.edges.addAt(e, WEIGHT, w);
                        if (residual && g.edges.get(e, RESIDUAL) == 0) g.edges.addAt(e, RESIDUAL, 1);
                        if (!inlineFrame[f] && g.edges.get(e, NOT_INLINE) == 0) g.edges.addAt(e, NOT_INLINE, 1);
                        if (again && g.edges.get(e, RECURSIVE) == 0) g.edges.addAt(e, RECURSIVE, 1);
                    }
                }
                parent = n;
                residual = false;
            }
            if (parent >= 0 && !residual) {
                g.flat[parent] += w;
                addTags(g, parent, r, 0, w);
            }
        }
        g.edgeAlive = new boolean[g.edges.size()];
        Arrays.fill(g.edgeAlive, true);
        g.nodes = new ArrayList<>();
        for (int n = 0; n < names.size(); n++) if (g.cum[n] != 0 || g.flat[n] != 0) g.nodes.add(n);
        return g;
    }

    private void addTags(Graph g, int node, int row, int column, long w) {
        if (rowLabelTag[row] >= 0) g.tags.add(KeyedSums.pack(node, rowLabelTag[row]), column, w);
        for (int t : rowNumericTags[row]) g.tags.add(KeyedSums.pack(node, t), column, w);
    }

    /** The node's tags that have flat weight and are not below the cutoff (pprof's TrimLowFrequencyTags, countTags). */
    private static int tagCount(Graph g, int node, long cutoff) {
        int count = 0;
        for (int t = 0; t < g.tags.size(); t++) {
            if (KeyedSums.high(g.tags.key(t)) != node) continue;
            long flat = g.tags.get(t, 0), cum = g.tags.get(t, 1);
            if (flat != 0 && (Math.abs(flat) >= cutoff || Math.abs(cum) >= cutoff)) count++;
        }
        return count;
    }

    /** pprof's entropy order: score, then name, then flat. */
    private void sortVisually(Graph g) {
        long[] inSum = new long[names.size()], outSum = new long[names.size()];
        int[] inCount = new int[names.size()], outCount = new int[names.size()];
        for (int e = 0; e < g.edges.size(); e++) {
            long w = g.edges.get(e, WEIGHT);
            int from = KeyedSums.high(g.edges.key(e)), to = KeyedSums.low(g.edges.key(e));
            inCount[to]++;
            outCount[from]++;
            if (w > 0) { inSum[to] += w; outSum[from] += w; }
        }
        double[] inEntropy = new double[names.size()], outEntropy = new double[names.size()];
        for (int n : g.nodes) outSum[n] += g.flat[n];
        for (int e = 0; e < g.edges.size(); e++) {
            long w = Math.abs(g.edges.get(e, WEIGHT));
            int from = KeyedSums.high(g.edges.key(e)), to = KeyedSums.low(g.edges.key(e));
            if (inSum[to] != 0) inEntropy[to] += entropyTerm(w, inSum[to]);
            if (outSum[from] != 0) outEntropy[from] += entropyTerm(w, outSum[from]);
        }
        long[] score = new long[names.size()];
        for (int n : g.nodes) {
            double s = inCount[n] == 0 ? 1 : inEntropy[n];
            if (outCount[n] == 0) s += 1;
            else s += outEntropy[n] + (g.flat[n] > 0 && outSum[n] != 0 ? entropyTerm(g.flat[n], outSum[n]) : 0);
            score[n] = (long) (s * g.cum[n]) + g.flat[n];
        }
        g.nodes.sort(Comparator.comparingLong((Integer n) -> -Math.abs(score[n])).thenComparing(names::get)
                .thenComparingLong(n -> -Math.abs(g.flat[n])));
    }

    private static double entropyTerm(long weight, long total) {
        double frac = (double) weight / total;
        return -frac * log2(frac);
    }

    /** Go's math.Log2: exact for powers of two, else log(frac) / ln 2 + exp of frac · 2^exp, frac in [0.5, 1). */
    static double log2(double x) {
        if (x <= 0 || Double.isNaN(x) || Double.isInfinite(x)) return x == 0 ? Double.NEGATIVE_INFINITY : Math.log(x) / Math.log(2);
        int exp = Math.getExponent(x) + 1;
        double frac = Math.scalb(x, -exp);
        if (frac == 0.5) return exp - 1;
        return StrictMath.log(frac) * (1 / 0.693147180559945309417232121458176568) + exp;
    }

    /** Drops residual edges whose callee the caller reaches by another path, lightest first (pprof's RemoveRedundantEdges). */
    private void removeRedundantEdges(Graph g) {
        List<List<Integer>> in = inEdges(g);
        for (int i = g.nodes.size() - 1; i >= 0; i--) {
            List<Integer> edges = new ArrayList<>(in.get(g.nodes.get(i)));
            edges.sort(edgeOrder(g));
            for (int j = edges.size() - 1; j >= 0; j--) {
                int e = edges.get(j);
                if (g.edges.get(e, RESIDUAL) == 0) break; // never drop an edge heavier than a direct call
                if (reachesOtherwise(g, in, e)) {
                    g.edgeAlive[e] = false;
                    in.get(KeyedSums.low(g.edges.key(e))).remove(Integer.valueOf(e));
                }
            }
        }
    }

    private List<List<Integer>> inEdges(Graph g) {
        List<List<Integer>> in = new ArrayList<>();
        for (int n = 0; n < names.size(); n++) in.add(new ArrayList<>());
        for (int e = 0; e < g.edges.size(); e++) if (g.edgeAlive[e]) in.get(KeyedSums.low(g.edges.key(e))).add(e);
        return in;
    }

    private Comparator<Integer> edgeOrder(Graph g) {
        return Comparator.comparingLong((Integer e) -> -Math.abs(g.edges.get(e, WEIGHT)))
                .thenComparing(e -> names.get(KeyedSums.high(g.edges.key(e))))
                .thenComparing(e -> names.get(KeyedSums.low(g.edges.key(e))));
    }

    /** Whether the caller of edge {@code skip} reaches its callee without it (a breadth-first walk up the callers). */
    private boolean reachesOtherwise(Graph g, List<List<Integer>> in, int skip) {
        int src = KeyedSums.high(g.edges.key(skip)), dest = KeyedSums.low(g.edges.key(skip));
        boolean[] seen = new boolean[names.size()];
        seen[dest] = true;
        int[] queue = new int[names.size()];
        int head = 0, tail = 0;
        queue[tail++] = dest;
        while (head < tail) {
            for (int e : in.get(queue[head++])) {
                int from = KeyedSums.high(g.edges.key(e));
                if (e == skip || seen[from]) continue;
                if (from == src) return true;
                seen[from] = true;
                queue[tail++] = from;
            }
        }
        return false;
    }

    private CallGraph result(Graph g, int dropped, long nodeCutoff, int droppedEdges, long edgeCutoff, int candidates) {
        int[] index = new int[names.size()];
        List<CallGraph.Node> nodes = new ArrayList<>();
        for (int n : g.nodes) {
            index[n] = nodes.size();
            nodes.add(new CallGraph.Node(names.get(n), g.flat[n], g.cum[n], g.recursive[n]));
        }
        List<Integer> alive = new ArrayList<>();
        for (int e = 0; e < g.edges.size(); e++) if (g.edgeAlive[e]) alive.add(e);
        alive.sort(edgeOrder(g));
        List<CallGraph.Edge> edges = new ArrayList<>();
        for (int e : alive) {
            long key = g.edges.key(e);
            edges.add(new CallGraph.Edge(index[KeyedSums.high(key)], index[KeyedSums.low(key)], g.edges.get(e, WEIGHT),
                    g.edges.get(e, RESIDUAL) != 0, g.edges.get(e, NOT_INLINE) == 0, g.edges.get(e, RECURSIVE) != 0));
        }
        return new CallGraph(rows.weight().type(), rows.total(), nodes, edges, dropped, nodeCutoff, droppedEdges, edgeCutoff, candidates);
    }
}
