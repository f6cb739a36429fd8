// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.diff;

import dev.kiln.analysis.tree.CallTree;
import dev.kiln.model.IntList;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The merged call tree of two profiles, as a call-node table with the layout of {@link CallTree}: one row per
 * call path present on either side, depth-first, row 0 the root {@code all}, columns {@code parent},
 * {@code depth}, {@code subtreeEnd} (the subtree of n is rows [n, subtreeEnd(n))), siblings ordered by function
 * name then line, and per side {@code self} and {@code total} (0 where the path is absent on that side) with the
 * row of that side's {@link CallTree} ({@code -1} when absent).
 *
 * <p>Call paths are aligned by their function keys from the root (function name, folded lambda name when the
 * trees merge lambdas, plus line at line granularity): a path of base and a path of target are the same row
 * exactly when their keys are equal at every depth. Invariants per side: {@code total(n) == self(n) + sum of
 * total(children)}.
 *
 * <p><b>Differential flame graphs.</b> The table carries both shapes: {@link Shape#TARGET} (rows with a
 * target total &gt; 0, sized by target totals, coloured by {@link #totalChange} — red grew, blue shrank) and
 * {@link Shape#BASE} (rows with a base total &gt; 0, sized by base totals: shows what disappeared). A parent is
 * in a shape whenever a child is, so {@link #rows(Shape)} is itself a depth-first table. Immutable.
 */
public final class DiffTree {
    /** Which side's widths a differential flame graph uses. */
    public enum Shape { TARGET, BASE }

    private final int[] func, parent, depth, subtreeEnd, baseNode, targetNode;
    private final long[] baseSelf, baseTotal, targetSelf, targetTotal;
    private final List<String> funcNames;
    private final IntList funcLines;
    private final Comparison comparison;

    private DiffTree(int[] func, int[] parent, int[] depth, int[] subtreeEnd, int[] baseNode,
                     int[] targetNode, long[] baseSelf, long[] baseTotal, long[] targetSelf, long[] targetTotal,
                     List<String> funcNames, IntList funcLines, Comparison comparison) {
        this.func = func;
        this.parent = parent;
        this.depth = depth;
        this.subtreeEnd = subtreeEnd;
        this.baseNode = baseNode;
        this.targetNode = targetNode;
        this.baseSelf = baseSelf;
        this.baseTotal = baseTotal;
        this.targetSelf = targetSelf;
        this.targetTotal = targetTotal;
        this.funcNames = funcNames;
        this.funcLines = funcLines;
        this.comparison = comparison;
    }

    /**
     * The function keys of both trees ranked together by (name, line): base key {@code k} at {@code k}, target key
     * {@code k} at {@code base.funcCount() + k}; equal keys get equal ranks. Siblings then compare as two ints.
     */
    private static int[] ranks(CallTree base, CallTree target) {
        int nb = base.funcCount(), n = nb + target.funcCount();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Comparator<Integer> byKey = (x, y) -> {
            CallTree tx = x < nb ? base : target, ty = y < nb ? base : target;
            int kx = x < nb ? x : x - nb, ky = y < nb ? y : y - nb;
            int c = tx.funcName(kx).compareTo(ty.funcName(ky));
            return c != 0 ? c : Integer.compare(tx.funcLine(kx), ty.funcLine(ky));
        };
        Arrays.sort(order, byKey);
        int[] rank = new int[n];
        for (int i = 0, r = -1; i < n; i++) {
            if (i == 0 || byKey.compare(order[i - 1], order[i]) != 0) r++;
            rank[order[i]] = r;
        }
        return rank;
    }

    /** Merges two top-down trees (both must be built with the same granularity and lambda folding). */
    static DiffTree merge(CallTree base, CallTree target, Comparison comparison) {
        if (base.isInverted() || target.isInverted()) throw new IllegalArgumentException("a diff tree is top-down");
        int guess = Math.max(base.size(), target.size()); // both sides' rows, about, when the profiles are alike
        IntList bn = new IntList(guess), tn = new IntList(guess), par = new IntList(guess), dep = new IntList(guess);
        IntList fn = new IntList(guess);
        List<String> funcNames = new ArrayList<>();
        IntList funcLines = new IntList();
        int nb = base.funcCount();
        int[] rank = ranks(base, target);
        int[] funcOfRank = new int[rank.length]; // merged function key + 1 of a rank, numbered as first met
        // Work stack of (base row, target row, merged parent) triples; children pushed in reverse sibling order.
        int[] todo = {0, 0, -1};
        int top = 3;
        IntList kids = new IntList();
        while (top > 0) {
            top -= 3;
            int b = todo[top], t = todo[top + 1], up = todo[top + 2];
            int row = bn.size();
            bn.add(b);
            tn.add(t);
            par.add(up);
            dep.add(up < 0 ? 0 : dep.get(up) + 1);
            CallTree side = b >= 0 ? base : target;
            int node = b >= 0 ? b : t, key = side.func(node);
            if (up < 0) {
                fn.add(-1);
            } else {
                int r = rank[b >= 0 ? key : nb + key];
                if (funcOfRank[r] == 0) {
                    funcNames.add(side.funcName(key));
                    funcLines.add(side.funcLine(key));
                    funcOfRank[r] = funcNames.size();
                }
                fn.add(funcOfRank[r] - 1);
            }
            kids.clear();
            int cb = b >= 0 ? b + 1 : 0, endB = b >= 0 ? base.subtreeEnd(b) : 0;
            int ct = t >= 0 ? t + 1 : 0, endT = t >= 0 ? target.subtreeEnd(t) : 0;
            while (cb < endB || ct < endT) {
                int c = cb >= endB ? 1 : ct >= endT ? -1 : Integer.compare(rank[base.func(cb)], rank[nb + target.func(ct)]);
                int kb = c <= 0 ? cb : -1, kt = c >= 0 ? ct : -1;
                if (c <= 0) cb = base.subtreeEnd(cb);
                if (c >= 0) ct = target.subtreeEnd(ct);
                if (kb >= 0 && base.total(kb) == 0) kb = -1; // rows outside the filter
                if (kt >= 0 && target.total(kt) == 0) kt = -1;
                if (kb < 0 && kt < 0) continue;
                kids.add(kb);
                kids.add(kt);
            }
            if (top + kids.size() / 2 * 3 > todo.length) todo = Arrays.copyOf(todo, Math.max(2 * todo.length, top + kids.size() / 2 * 3));
            for (int k = kids.size() - 2; k >= 0; k -= 2) {
                todo[top++] = kids.get(k);
                todo[top++] = kids.get(k + 1);
                todo[top++] = row;
            }
        }
        int size = bn.size();
        int[] end = new int[size], parent = par.toArray();
        for (int i = 0; i < size; i++) end[i] = i + 1;
        for (int i = size - 1; i > 0; i--) end[parent[i]] = Math.max(end[parent[i]], end[i]);
        long[] bs = new long[size], bt = new long[size], ts = new long[size], tt = new long[size];
        int[] bNode = bn.toArray(), tNode = tn.toArray();
        for (int i = 0; i < size; i++) {
            if (bNode[i] >= 0) { bs[i] = base.self(bNode[i]); bt[i] = base.total(bNode[i]); }
            if (tNode[i] >= 0) { ts[i] = target.self(tNode[i]); tt[i] = target.total(tNode[i]); }
        }
        return new DiffTree(fn.toArray(), parent, dep.toArray(), end,
                bNode, tNode, bs, bt, ts, tt, funcNames, funcLines, comparison);
    }

    /** Number of rows, root included. */
    public int size() { return func.length; }

    public String name(int node) { return func[node] < 0 ? CallTree.ROOT_NAME : funcNames.get(func[node]); }

    /** Source line at line granularity, else 0. */
    public int line(int node) { return func[node] < 0 ? 0 : funcLines.get(func[node]); }

    /** Display label: name, with {@code :line} when the row has a line. */
    public String label(int node) { return line(node) > 0 ? name(node) + ":" + line(node) : name(node); }

    /** Function key of a row (an index into {@link #functionCount()} keys); -1 for the root. */
    public int func(int node) { return func[node]; }

    public int functionCount() { return funcNames.size(); }

    public String functionName(int func) { return funcNames.get(func); }

    public int functionLine(int func) { return funcLines.get(func); }

    public int parent(int node) { return parent[node]; }

    public int depth(int node) { return depth[node]; }

    /** One past the last row of the subtree of {@code node}. */
    public int subtreeEnd(int node) { return subtreeEnd[node]; }

    /** Row of the base {@link CallTree}, or -1 when the path is not in base. */
    public int baseNode(int node) { return baseNode[node]; }

    /** Row of the target {@link CallTree}, or -1 when the path is not in target. */
    public int targetNode(int node) { return targetNode[node]; }

    public long baseSelf(int node) { return baseSelf[node]; }

    public long baseTotal(int node) { return baseTotal[node]; }

    public long targetSelf(int node) { return targetSelf[node]; }

    public long targetTotal(int node) { return targetTotal[node]; }

    /** Change of the row's total (inclusive) weight. */
    public Change totalChange(int node) { return comparison.change(baseTotal[node], targetTotal[node]); }

    /** Change of the row's self weight. */
    public Change selfChange(int node) { return comparison.change(baseSelf[node], targetSelf[node]); }

    /** Width of a row in a shape: its target or its base total. */
    public long width(int node, Shape shape) { return shape == Shape.TARGET ? targetTotal[node] : baseTotal[node]; }

    /** The rows of a shape (width &gt; 0, plus the root), in table order: a depth-first table of their own. */
    public int[] rows(Shape shape) {
        IntList out = new IntList();
        for (int n = 0; n < size(); n++) if (n == 0 || width(n, shape) > 0) out.add(n);
        return out.toArray();
    }

    /** Path of a row from the top (excluding the root), as labels, outermost first. */
    public String[] path(int node) {
        String[] out = new String[depth[node]];
        for (int n = node; n > 0; n = parent[n]) out[depth[n] - 1] = label(n);
        return out;
    }

    /**
     * Self and total per function key on each side: self sums the rows of the function; total sums the rows of
     * the function that have no ancestor of the same function (recursion counted once, as pprof's cum).
     * Returns {@code [baseSelf, baseTotal, targetSelf, targetTotal]}, each indexed by function key.
     */
    long[][] functionSums() {
        int keys = funcNames.size();
        long[] bs = new long[keys], bt = new long[keys], ts = new long[keys], tt = new long[keys];
        int[] active = new int[keys];
        int[] open = new int[size()];
        int top = 0;
        for (int n = 1; n < size(); n++) {
            while (top > 0 && subtreeEnd[open[top - 1]] <= n) active[func[open[--top]]]--;
            int k = func[n];
            bs[k] += baseSelf[n];
            ts[k] += targetSelf[n];
            if (active[k] == 0) {
                bt[k] += baseTotal[n];
                tt[k] += targetTotal[n];
            }
            active[k]++;
            open[top++] = n;
        }
        return new long[][] {bs, bt, ts, tt};
    }
}
