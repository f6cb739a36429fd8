// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.locks;

import dev.kiln.analysis.locks.LockGraph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the lock graph's boxes and edges go, for a list of lock rows ({@link LockGraph#topLocks}, largest first)
 * and a viewport: three columns, waiting threads | locks | previous owners. The first {@link #MAX_LOCKS} locks (fewer
 * when the height does not hold them) are stacked in the middle column in row order, each as tall as its share of
 * the largest lock's time allows; the threads that wait for a shown lock are on the left and the threads that held
 * a shown lock while others were blocked (monitor enter's previous owner) on the right, grouped by the first
 * (largest) lock they touch and within it sorted by their summed time on the shown locks, as many as fit: the
 * threads of the largest lock come first. Edges run waiter -&gt; lock and lock -&gt; owner, as wide as their time
 * (the widest edge {@link #MAX_EDGE_WIDTH}); their ends are spread over the box sides in the order of the other
 * end, so that they do not cross at the box. What does not fit is counted ({@link #hiddenLocks()} and so on).
 * Pure and immutable: no JavaFX node is touched.
 */
public final class LockGraphLayout {
    /** Most locks drawn; the table lists all of them. */
    public static final int MAX_LOCKS = 8;
    public static final double PAD = 10, HEADER = 28, NOTE = 20, THREAD_H = 22, THREAD_GAP = 6;
    public static final double LOCK_MIN_H = 38, LOCK_MAX_H = 64, LOCK_GAP = 10, MAX_EDGE_WIDTH = 12;

    /** Which column a box is in. */
    public enum Role { WAITER, LOCK, OWNER }

    /**
     * One box: {@code row} is the lock's index in the input rows (for {@link Role#LOCK}) or the thread row of the
     * profile (threads); time and events are the lock's, or the thread's summed over the shown locks.
     */
    public record Node(Role role, int row, String label, long nanos, long count, double x, double y, double w, double h) {
        public boolean contains(double px, double py) { return px >= x && px < x + w && py >= y && py < y + h; }
    }

    /** An edge between boxes (indices into {@link #nodes()}) from (x1, y1) to (x2, y2), {@code width} pixels wide. */
    public record Edge(int from, int to, long nanos, long count, double width, double x1, double y1, double x2, double y2) { }

    private final List<Node> nodes;
    private final List<Edge> edges;
    private final int hiddenLocks, hiddenWaiters, hiddenOwners;
    private final double width, height;

    private LockGraphLayout(List<Node> nodes, List<Edge> edges, int hiddenLocks, int hiddenWaiters, int hiddenOwners,
                            double width, double height) {
        this.nodes = nodes;
        this.edges = edges;
        this.hiddenLocks = hiddenLocks;
        this.hiddenWaiters = hiddenWaiters;
        this.hiddenOwners = hiddenOwners;
        this.width = width;
        this.height = height;
    }

    /** Lays out {@code rows} (largest first) in a {@code width} x {@code height} viewport. */
    public static LockGraphLayout of(List<LockGraph.LockRow> rows, double width, double height) {
        double threadW = Math.max(120, width * 0.22), lockW = Math.max(160, width * 0.28);
        double leftX = PAD, lockX = (width - lockW) / 2, rightX = width - PAD - threadW;
        double bottom = height - NOTE - PAD;
        List<Node> nodes = new ArrayList<>();
        // Locks: as many of the first MAX_LOCKS as fit, heights by their share of the largest.
        long top = rows.isEmpty() ? 1 : Math.max(1, rows.get(0).nanos());
        double y = HEADER;
        int shown = 0;
        for (LockGraph.LockRow r : rows) {
            double h = LOCK_MIN_H + (LOCK_MAX_H - LOCK_MIN_H) * r.nanos() / top;
            if (shown == MAX_LOCKS || (shown > 0 && y + h > bottom)) break;
            nodes.add(new Node(Role.LOCK, shown, r.name(), r.nanos(), r.count(), lockX, y, lockW, h));
            y += h + LOCK_GAP;
            shown++;
        }
        int fit = (int) Math.max(1, Math.floor((bottom - HEADER + THREAD_GAP) / (THREAD_H + THREAD_GAP)));
        int[] hidden = new int[2];
        List<int[]> pairs = new ArrayList<>(); // {lock node, thread row, side, party index}
        List<LockGraph.Party> parties = new ArrayList<>();
        Map<Integer, Integer>[] threadNode = new Map[2];
        for (int side = 0; side < 2; side++) {
            Map<Integer, long[]> sums = new LinkedHashMap<>(); // thread -> nanos, count, first lock
            Map<Integer, String> names = new LinkedHashMap<>();
            for (int l = 0; l < shown; l++) {
                for (LockGraph.Party p : side == 0 ? rows.get(l).waiters() : rows.get(l).owners()) {
                    int lock = l;
                    long[] v = sums.computeIfAbsent(p.thread(), k -> new long[] {0, 0, lock});
                    v[0] += p.nanos();
                    v[1] += p.count();
                    names.put(p.thread(), p.name());
                    pairs.add(new int[] {l, p.thread(), side, parties.size()});
                    parties.add(p);
                }
            }
            List<Integer> order = new ArrayList<>(sums.keySet());
            order.sort(Comparator.comparingLong((Integer t) -> sums.get(t)[2]).thenComparingLong(t -> -sums.get(t)[0])
                    .thenComparing(names::get));
            int keep = order.size() <= fit ? order.size() : fit - 1; // leave a row for the note
            hidden[side] = order.size() - keep;
            threadNode[side] = new LinkedHashMap<>();
            for (int i = 0; i < keep; i++) {
                int t = order.get(i);
                threadNode[side].put(t, nodes.size());
                nodes.add(new Node(side == 0 ? Role.WAITER : Role.OWNER, t, names.get(t), sums.get(t)[0], sums.get(t)[1],
                        side == 0 ? leftX : rightX, HEADER + i * (THREAD_H + THREAD_GAP), threadW, THREAD_H));
            }
        }
        long maxEdge = 1;
        for (LockGraph.Party p : parties) maxEdge = Math.max(maxEdge, p.nanos());
        // Edges, then their ends spread over the box sides in the order of the other end.
        List<int[]> ends = new ArrayList<>(); // {from, to, party}
        for (int[] pr : pairs) {
            Integer t = threadNode[pr[2]].get(pr[1]);
            if (t == null) continue;
            ends.add(pr[2] == 0 ? new int[] {t, pr[0], pr[3]} : new int[] {pr[0], t, pr[3]});
        }
        double[] y1 = new double[ends.size()], y2 = new double[ends.size()];
        spread(nodes, ends, 0, y1);
        spread(nodes, ends, 1, y2);
        List<Edge> edges = new ArrayList<>();
        for (int i = 0; i < ends.size(); i++) {
            int[] e = ends.get(i);
            LockGraph.Party p = parties.get(e[2]);
            Node a = nodes.get(e[0]), b = nodes.get(e[1]);
            edges.add(new Edge(e[0], e[1], p.nanos(), p.count(), 1 + (MAX_EDGE_WIDTH - 1) * (double) p.nanos() / maxEdge,
                    a.x() + a.w(), y1[i], b.x(), y2[i]));
        }
        return new LockGraphLayout(List.copyOf(nodes), List.copyOf(edges), rows.size() - shown, hidden[0], hidden[1],
                width, height);
    }

    /** For each edge, the y of its end on box side {@code end} (0: the source's right side, 1: the target's left). */
    private static void spread(List<Node> nodes, List<int[]> ends, int end, double[] out) {
        Map<Integer, List<Integer>> byNode = new LinkedHashMap<>();
        for (int i = 0; i < ends.size(); i++) byNode.computeIfAbsent(ends.get(i)[end], k -> new ArrayList<>()).add(i);
        byNode.forEach((n, list) -> {
            Node box = nodes.get(n);
            list.sort(Comparator.comparingDouble(i -> center(nodes.get(ends.get(i)[1 - end]))));
            for (int k = 0; k < list.size(); k++) out[list.get(k)] = box.y() + box.h() * (k + 1) / (list.size() + 1);
        });
    }

    private static double center(Node n) { return n.y() + n.h() / 2; }

    public List<Node> nodes() { return nodes; }

    public List<Edge> edges() { return edges; }

    /** Locks of the input not drawn. */
    public int hiddenLocks() { return hiddenLocks; }

    /** Waiting threads of the shown locks not drawn (no room). */
    public int hiddenWaiters() { return hiddenWaiters; }

    /** Owner threads of the shown locks not drawn (no room). */
    public int hiddenOwners() { return hiddenOwners; }

    public double width() { return width; }

    public double height() { return height; }

    /** Index of the box at (x, y), or -1. */
    public int nodeAt(double x, double y) {
        for (int i = 0; i < nodes.size(); i++) if (nodes.get(i).contains(x, y)) return i;
        return -1;
    }

    /** Index of the box of lock row {@code row}, or -1 when it is not drawn. */
    public int lockNode(int row) {
        for (int i = 0; i < nodes.size(); i++) if (nodes.get(i).role() == Role.LOCK && nodes.get(i).row() == row) return i;
        return -1;
    }
}
