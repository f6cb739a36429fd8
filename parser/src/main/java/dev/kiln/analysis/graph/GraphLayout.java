// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A layered (Sugiyama) drawing of a directed graph, callers above callees: positions for boxes of given sizes and a
 * polyline per edge. Steps: edges that close a cycle (found by a depth-first walk from the nodes in index order)
 * are turned round; each node goes to the layer one below its lowest caller (longest path); an edge spanning
 * several layers gets a bend point per layer crossed; the order within each layer is improved by barycentre sweeps,
 * keeping the order with the fewest crossings; then each box moves towards the mean position of its neighbours
 * without overlapping its row. Deterministic: the same input gives the same drawing. Pure geometry, immutable.
 *
 * <pre>
 *   layer 0      [main]
 *                 |   \
 *   layer 1   [work]   o      o = bend point of main -> leaf
 *                 |   /
 *   layer 2      [leaf]
 * </pre>
 */
public final class GraphLayout {
    /** Horizontal space between boxes, vertical space between layers, and margin around the drawing. */
    public static final double GAP_X = 24, GAP_Y = 56, MARGIN = 16;
    private static final int SWEEPS = 12;

    private final double[] x, y, w, h; // x, y: top-left corner of each node's box
    private final double[][] routes; // per edge: x0, y0, x1, y1, ... from the caller's box to the callee's
    private final double width, height;

    private GraphLayout(double[] x, double[] y, double[] w, double[] h, double[][] routes, double width, double height) {
        this.x = x;
        this.y = y;
        this.w = w;
        this.h = h;
        this.routes = routes;
        this.width = width;
        this.height = height;
    }

    /**
     * Lays out {@code widths.length} boxes and the edges {@code from[i] -> to[i]}; self edges get no route.
     * Nodes earlier in the index order are favoured (placed first, kept unreversed).
     */
    public static GraphLayout of(double[] widths, double[] heights, int[] from, int[] to) {
        int n = widths.length;
        boolean[] reversed = reversedEdges(n, from, to);
        int[] layer = layers(n, from, to, reversed);
        // Virtual nodes: the real ones, then one bend point per layer crossed by a long edge.
        List<int[]> chains = new ArrayList<>(); // per edge: the virtual nodes from upper to lower end
        int total = n;
        List<Integer> virtualLayer = new ArrayList<>();
        for (int e = 0; e < from.length; e++) {
            int up = reversed[e] ? to[e] : from[e], down = reversed[e] ? from[e] : to[e];
            if (up == down) { chains.add(null); continue; }
            int[] chain = new int[layer[down] - layer[up] + 1];
            chain[0] = up;
            chain[chain.length - 1] = down;
            for (int k = 1; k < chain.length - 1; k++) {
                chain[k] = total++;
                virtualLayer.add(layer[up] + k);
            }
            chains.add(chain);
        }
        int[] vLayer = Arrays.copyOf(layer, total);
        for (int v = n; v < total; v++) vLayer[v] = virtualLayer.get(v - n);
        double[] vw = new double[total];
        for (int v = 0; v < total; v++) vw[v] = v < n ? widths[v] : 2;
        List<List<Integer>> up = new ArrayList<>(), down = new ArrayList<>();
        for (int v = 0; v < total; v++) { up.add(new ArrayList<>()); down.add(new ArrayList<>()); }
        for (int[] c : chains) {
            if (c == null) continue;
            for (int k = 0; k + 1 < c.length; k++) { down.get(c[k]).add(c[k + 1]); up.get(c[k + 1]).add(c[k]); }
        }
        List<List<Integer>> rows = order(vLayer, up, down);
        double[] cx = coordinates(rows, vw, up, down);
        int layers = rows.size();
        double[] rowTop = new double[layers + 1], rowHeight = new double[layers];
        for (int v = 0; v < n; v++) rowHeight[layer[v]] = Math.max(rowHeight[layer[v]], heights[v]);
        rowTop[0] = MARGIN;
        for (int l = 0; l < layers; l++) rowTop[l + 1] = rowTop[l] + rowHeight[l] + GAP_Y;
        double[] x = new double[n], y = new double[n];
        double maxX = 0;
        for (int v = 0; v < total; v++) maxX = Math.max(maxX, cx[v] + vw[v] / 2);
        for (int v = 0; v < n; v++) {
            x[v] = cx[v] - widths[v] / 2;
            y[v] = rowTop[layer[v]] + (rowHeight[layer[v]] - heights[v]) / 2;
        }
        double[][] routes = new double[from.length][];
        for (int e = 0; e < from.length; e++) {
            int[] c = chains.get(e);
            if (c == null) continue;
            double[] pts = new double[2 * c.length];
            for (int k = 0; k < c.length; k++) {
                int v = c[k];
                pts[2 * k] = cx[v];
                int l = vLayer[v];
                if (k == 0) pts[2 * k + 1] = y[v] + heights[v];
                else if (k == c.length - 1) pts[2 * k + 1] = y[v];
                else pts[2 * k + 1] = rowTop[l] + rowHeight[l] / 2;
            }
            if (reversed[e]) pts = reverse(pts);
            routes[e] = pts;
        }
        return new GraphLayout(x, y, widths.clone(), heights.clone(), routes, maxX + MARGIN, rowTop[layers] - GAP_Y + MARGIN);
    }

    private static double[] reverse(double[] pts) {
        double[] r = new double[pts.length];
        for (int k = 0; k < pts.length / 2; k++) {
            r[2 * k] = pts[pts.length - 2 - 2 * k];
            r[2 * k + 1] = pts[pts.length - 1 - 2 * k];
        }
        return r;
    }

    /** The edges a depth-first walk (roots first, then the rest, in index order) finds going back to its path. */
    private static boolean[] reversedEdges(int n, int[] from, int[] to) {
        List<List<Integer>> out = new ArrayList<>();
        for (int v = 0; v < n; v++) out.add(new ArrayList<>());
        boolean[] hasCaller = new boolean[n];
        for (int e = 0; e < from.length; e++) {
            if (from[e] == to[e]) continue;
            out.get(from[e]).add(e);
            hasCaller[to[e]] = true;
        }
        boolean[] reversed = new boolean[from.length];
        int[] state = new int[n]; // 0 new, 1 on the path, 2 done
        for (int pass = 0; pass < 2; pass++) {
            for (int v = 0; v < n; v++) {
                if (state[v] != 0 || (pass == 0 && hasCaller[v])) continue;
                // iterative walk: stack of (node, next out-edge position)
                int[] stack = new int[n], next = new int[n];
                int top = 0;
                stack[0] = v;
                state[v] = 1;
                while (top >= 0) {
                    int u = stack[top];
                    if (next[top] < out.get(u).size()) {
                        int e = out.get(u).get(next[top]++);
                        int t = to[e];
                        if (state[t] == 1) reversed[e] = true;
                        else if (state[t] == 0) { state[t] = 1; stack[++top] = t; next[top] = 0; }
                    } else {
                        state[u] = 2;
                        top--;
                    }
                }
            }
        }
        return reversed;
    }

    /** Longest-path layers of the acyclic graph (reversed edges turned round): a node is one below its lowest caller. */
    private static int[] layers(int n, int[] from, int[] to, boolean[] reversed) {
        int[] indegree = new int[n], layer = new int[n];
        List<List<Integer>> out = new ArrayList<>();
        for (int v = 0; v < n; v++) out.add(new ArrayList<>());
        for (int e = 0; e < from.length; e++) {
            if (from[e] == to[e]) continue;
            int a = reversed[e] ? to[e] : from[e], b = reversed[e] ? from[e] : to[e];
            out.get(a).add(b);
            indegree[b]++;
        }
        int[] queue = new int[n];
        int head = 0, tail = 0;
        for (int v = 0; v < n; v++) if (indegree[v] == 0) queue[tail++] = v;
        while (head < tail) {
            int v = queue[head++];
            for (int t : out.get(v)) {
                layer[t] = Math.max(layer[t], layer[v] + 1);
                if (--indegree[t] == 0) queue[tail++] = t;
            }
        }
        return layer;
    }

    /** The nodes of each layer, left to right, after barycentre sweeps (the ordering with the fewest crossings). */
    private static List<List<Integer>> order(int[] layer, List<List<Integer>> up, List<List<Integer>> down) {
        int layers = 0;
        for (int l : layer) layers = Math.max(layers, l + 1);
        List<List<Integer>> rows = new ArrayList<>();
        for (int l = 0; l < layers; l++) rows.add(new ArrayList<>());
        // first order: as a breadth-first walk from the top layer reaches them, so related nodes start close
        boolean[] placed = new boolean[layer.length];
        for (int v = 0; v < layer.length; v++) {
            if (layer[v] != 0 || placed[v]) continue;
            List<Integer> queue = new ArrayList<>(List.of(v));
            placed[v] = true;
            for (int i = 0; i < queue.size(); i++) {
                int u = queue.get(i);
                rows.get(layer[u]).add(u);
                for (int t : down.get(u)) if (!placed[t]) { placed[t] = true; queue.add(t); }
            }
        }
        for (int v = 0; v < layer.length; v++) if (!placed[v]) rows.get(layer[v]).add(v);
        double[] pos = new double[layer.length];
        List<List<Integer>> best = copy(rows);
        long bestCrossings = crossings(rows, down, pos);
        for (int sweep = 0; sweep < SWEEPS && bestCrossings > 0; sweep++) {
            boolean downward = sweep % 2 == 0;
            for (int i = 1; i < layers; i++) {
                int l = downward ? i : layers - 1 - i;
                List<List<Integer>> neighbours = downward ? up : down;
                List<Integer> row = rows.get(l);
                List<Integer> fixed = rows.get(downward ? l - 1 : l + 1);
                for (int k = 0; k < fixed.size(); k++) pos[fixed.get(k)] = k;
                double[] key = new double[layer.length];
                for (int k = 0; k < row.size(); k++) {
                    int v = row.get(k);
                    List<Integer> nb = neighbours.get(v);
                    double s = 0;
                    for (int u : nb) s += pos[u];
                    key[v] = nb.isEmpty() ? k : s / nb.size();
                }
                row.sort((a, b) -> Double.compare(key[a], key[b])); // stable: ties keep their order
            }
            long c = crossings(rows, down, pos);
            if (c < bestCrossings) { bestCrossings = c; best = copy(rows); }
        }
        return best;
    }

    private static List<List<Integer>> copy(List<List<Integer>> rows) {
        List<List<Integer>> c = new ArrayList<>();
        for (List<Integer> r : rows) c.add(new ArrayList<>(r));
        return c;
    }

    /** Edge crossings between adjacent layers (pairs of edges whose ends are in opposite orders). */
    static long crossings(List<List<Integer>> rows, List<List<Integer>> down, double[] pos) {
        long count = 0;
        for (int l = 0; l + 1 < rows.size(); l++) {
            for (int k = 0; k < rows.get(l + 1).size(); k++) pos[rows.get(l + 1).get(k)] = k;
            List<int[]> edges = new ArrayList<>();
            List<Integer> row = rows.get(l);
            for (int k = 0; k < row.size(); k++) for (int t : down.get(row.get(k))) edges.add(new int[] {k, (int) pos[t]});
            for (int i = 0; i < edges.size(); i++) {
                for (int j = i + 1; j < edges.size(); j++) {
                    int[] a = edges.get(i), b = edges.get(j);
                    if ((a[0] - b[0]) * (long) (a[1] - b[1]) < 0) count++;
                }
            }
        }
        return count;
    }

    /** Centre x of each node: packed rows, then passes that pull each node towards its neighbours' mean. */
    private static double[] coordinates(List<List<Integer>> rows, double[] width, List<List<Integer>> up, List<List<Integer>> down) {
        double[] cx = new double[width.length];
        for (List<Integer> row : rows) {
            double at = MARGIN;
            for (int v : row) { cx[v] = at + width[v] / 2; at += width[v] + GAP_X; }
        }
        for (int pass = 0; pass < 8; pass++) {
            boolean downward = pass % 2 == 0;
            for (int i = 0; i < rows.size(); i++) {
                List<Integer> row = rows.get(downward ? i : rows.size() - 1 - i);
                double[] want = new double[row.size()];
                for (int k = 0; k < row.size(); k++) {
                    int v = row.get(k);
                    List<Integer> nb = new ArrayList<>(downward ? up.get(v) : down.get(v));
                    if (nb.isEmpty()) nb = downward ? down.get(v) : up.get(v);
                    double s = 0;
                    for (int u : nb) s += cx[u];
                    want[k] = nb.isEmpty() ? cx[v] : s / nb.size();
                }
                place(row, width, want, cx);
            }
        }
        double min = Double.MAX_VALUE;
        for (int v = 0; v < width.length; v++) min = Math.min(min, cx[v] - width[v] / 2);
        for (int v = 0; v < width.length; v++) cx[v] += MARGIN - min;
        return cx;
    }

    /** Puts a row's boxes as near their wanted centres as their order and the gap allow (left push, then right push, averaged). */
    private static void place(List<Integer> row, double[] width, double[] want, double[] cx) {
        int m = row.size();
        double[] left = new double[m], right = new double[m];
        for (int k = 0; k < m; k++) {
            double min = k == 0 ? -Double.MAX_VALUE : left[k - 1] + (width[row.get(k - 1)] + width[row.get(k)]) / 2 + GAP_X;
            left[k] = Math.max(want[k], min);
        }
        for (int k = m - 1; k >= 0; k--) {
            double max = k == m - 1 ? Double.MAX_VALUE : right[k + 1] - (width[row.get(k + 1)] + width[row.get(k)]) / 2 - GAP_X;
            right[k] = Math.min(want[k], max);
        }
        double[] mid = new double[m];
        for (int k = 0; k < m; k++) mid[k] = (left[k] + right[k]) / 2;
        // the mean of two feasible placements may still overlap where both pushes disagree: one more left push
        for (int k = 1; k < m; k++) {
            double min = mid[k - 1] + (width[row.get(k - 1)] + width[row.get(k)]) / 2 + GAP_X;
            if (mid[k] < min) mid[k] = min;
        }
        for (int k = 0; k < m; k++) cx[row.get(k)] = mid[k];
    }

    public int nodeCount() { return x.length; }

    /** Left edge of node {@code node}'s box. */
    public double x(int node) { return x[node]; }

    /** Top edge of node {@code node}'s box. */
    public double y(int node) { return y[node]; }

    public double width(int node) { return w[node]; }

    public double height(int node) { return h[node]; }

    /** The route of edge {@code edge}: x0, y0, x1, y1, ... from the caller's box to the callee's; null for a self edge. Do not modify. */
    public double[] route(int edge) { return routes[edge]; }

    /** Width of the whole drawing, margins included. */
    public double width() { return width; }

    public double height() { return height; }

    /** The node whose box holds the point, or -1. */
    public int nodeAt(double px, double py) {
        for (int v = 0; v < x.length; v++) if (px >= x[v] && px <= x[v] + w[v] && py >= y[v] && py <= y[v] + h[v]) return v;
        return -1;
    }
}
