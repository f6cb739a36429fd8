// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.tree;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.FilteredStacks;
import dev.kiln.analysis.StackTransform;
import dev.kiln.analysis.Weight;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.IntList;
import dev.kiln.model.Profile;
import dev.kiln.model.TreeIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A call tree of one {@link Weight} as a call-node table: one row per call path, in depth-first order, with
 * columns {@code func} (a {@link #funcName function key}: a function name, or name and line at
 * {@link Granularity#LINE}), {@code parent}, {@code depth}, {@code subtreeEnd}, {@code self} and
 * {@code total}. Row 0 is the synthetic root {@code all} (depth 0); its self is the weight of rows without
 * frames and its total the whole (filtered) weight.
 *
 * <pre>
 *   samples: main;a;b 3   main;a 1   main;c 2
 *
 *   node  func  parent  depth  subtreeEnd  self  total
 *   0     all   -1      0      5           0     6
 *   1     main   0      1      5           0     6
 *   2     a      1      2      4           1     4      subtree of a = rows [2, 4)
 *   3     b      2      3      4           3     3
 *   4     c      1      2      5           2     2
 * </pre>
 *
 * Invariants: a parent row comes before its children; the subtree of row n is exactly rows
 * [n, subtreeEnd(n)); siblings are ordered by function name, then line (the flame-graph order), so the
 * first child of n is n + 1 (when n + 1 &lt; subtreeEnd(n)) and the next sibling of c is subtreeEnd(c);
 * no two siblings share a function key; {@code total(n) == self(n) + sum of total(children)}.
 *
 * <p>Top-down, a node is a call path from the outermost frame. {@link Options#inverted() Inverted}
 * (bottom-up), the roots are the leaf functions and a node's children are its callers: a node's total is the
 * weight of rows whose stack ends with the node's path (read leaf first), its self the weight of rows whose
 * whole stack is that path. The totals of the depth-1 nodes of an inverted tree are each function's self
 * weight (pprof's flat).
 *
 * <p>The structure (rows, order, the derived-stack to node map) depends only on the profile, the weight,
 * the options and the structural part of the filter (hide, collapse recursion); it is built from every row
 * of the weight, so rows of a narrower filter (threads, time, labels, focus, ignore) always find their node.
 * {@link #withFilter} therefore reuses it and only recomputes self and total (nodes outside the filter get
 * 0). Immutable; thread-safe.
 */
public final class CallTree {
    /** Whether a node is a function or a function at a source line. */
    public enum Granularity { FUNCTION, LINE }

    /** How to build the tree: granularity, folding of lambda/hidden-class names, top-down or inverted. */
    public record Options(Granularity granularity, boolean mergeLambdas, boolean inverted) {
        public static final Options DEFAULT = new Options(Granularity.FUNCTION, false, false);

        public Options withInverted(boolean i) { return new Options(granularity, mergeLambdas, i); }

        public Options withGranularity(Granularity g) { return new Options(g, mergeLambdas, inverted); }

        public Options withMergeLambdas(boolean m) { return new Options(granularity, m, inverted); }
    }

    /** Name of the root row. */
    public static final String ROOT_NAME = "all";

    /** The shared, filter-independent part. */
    private record Structure(Profile profile, Weight weight, Options options, StackTransform transform,
                             String[] keyName, int[] keyLine, int[] func, int[] parent, int[] depth,
                             int[] subtreeEnd, int[] stackToNode) { }

    private final Structure s;
    private final Filter filter;
    private final long[] self, total;

    private CallTree(Structure s, Filter filter, long[] self, long[] total) {
        this.s = s;
        this.filter = filter;
        this.self = self;
        this.total = total;
    }

    public static CallTree build(Profile profile, Weight weight, Filter filter, Options options) {
        return build(profile, weight, filter, options, ProgressSink.NONE);
    }

    public static CallTree build(Profile profile, Weight weight, Filter filter, Options options, ProgressSink progress) {
        StackTransform transform = StackTransform.of(profile, filter);
        Structure s = structure(transform, weight, filter, options, progress);
        return values(s, FilteredStacks.of(transform, weight, filter, progress));
    }

    /** The same tree for another filter: only values are recomputed when hide and collapse are unchanged. */
    public CallTree withFilter(Filter other) {
        return withFilter(other, ProgressSink.NONE);
    }

    public CallTree withFilter(Filter other, ProgressSink progress) {
        if (!s.transform.matches(s.profile, other)) return build(s.profile, s.weight, other, s.options, progress);
        return values(s, FilteredStacks.of(s.transform, s.weight, other, progress));
    }

    // ---- building ----

    private static Structure structure(StackTransform transform, Weight weight, Filter filter, Options options,
                                       ProgressSink progress) {
        Filter structural = Filter.NONE.withHide(filter.hide()).withCollapseRecursion(filter.collapseRecursion());
        int n = transform.size();
        boolean[] direct = new boolean[n];
        FilteredStacks.of(transform, weight, structural, progress).forEach((row, stack, w) -> {
            if (stack >= 0) direct[stack] = true;
        });
        // Function keys, interned per frame.
        Map<String, Integer> keyIndex = new HashMap<>();
        IntList keyLine = new IntList();
        List<String> keyName = new ArrayList<>();
        Profile p = transform.profile();
        int[] frameKey = new int[p.frames().size()];
        Arrays.fill(frameKey, -1);
        // Nodes in creation order; node 0 is the root.
        TreeIndex nodes = new TreeIndex();
        nodes.child(-1, -1);
        int[] stackNode = new int[n];
        Arrays.fill(stackNode, -1);
        if (!options.inverted()) {
            boolean[] used = direct.clone();
            for (int d = n - 1; d >= 0; d--) if (used[d] && transform.parent(d) >= 0) used[transform.parent(d)] = true;
            for (int d = 0; d < n; d++) {
                if (!used[d]) continue;
                int up = transform.parent(d) < 0 ? 0 : stackNode[transform.parent(d)];
                stackNode[d] = nodes.child(up, key(p, transform.frame(d), frameKey, keyIndex, keyName, keyLine, options));
            }
        } else {
            for (int d = 0; d < n; d++) {
                if ((d & 0xFFF) == 0) progress.checkCancelled();
                if (!direct[d]) continue;
                int node = 0;
                for (int x = d; x >= 0; x = transform.parent(x)) {
                    node = nodes.child(node, key(p, transform.frame(x), frameKey, keyIndex, keyName, keyLine, options));
                }
                stackNode[d] = node;
            }
        }
        // Depth-first order with siblings sorted by (name, line): rank keys once, then sort each child range.
        int keys = keyName.size();
        Integer[] byName = new Integer[keys];
        for (int k = 0; k < keys; k++) byName[k] = k;
        Arrays.sort(byName, (a, b) -> {
            int c = keyName.get(a).compareTo(keyName.get(b));
            return c != 0 ? c : Integer.compare(keyLine.get(a), keyLine.get(b));
        });
        int[] rank = new int[keys];
        for (int i = 0; i < keys; i++) rank[byName[i]] = i;
        int size = nodes.size();
        int[] nKey = nodes.keys(), nParent = nodes.parents();
        int[] childStart = new int[size + 1];
        for (int i = 1; i < size; i++) childStart[nParent[i] + 1]++;
        for (int i = 0; i < size; i++) childStart[i + 1] += childStart[i];
        long[] children = new long[Math.max(0, size - 1)];
        int[] fill = Arrays.copyOf(childStart, size);
        // Packed (rank, node): sorting the longs sorts by rank, which is unique among siblings.
        for (int i = 1; i < size; i++) children[fill[nParent[i]]++] = ((long) rank[nKey[i]] << 32) | i;
        fill = null;
        // Each node's row in depth-first order, without walking the tree depth first (a walk jumps through millions
        // of rows in creation order, a cache miss each): the size of every subtree, then each child's offset from
        // its parent's row (its earlier siblings' subtrees), then rows from the parents', all in creation order,
        // where a node's parent is near the parents of the nodes made just before it.
        int[] sub = new int[size];
        Arrays.fill(sub, 1);
        for (int i = size - 1; i > 0; i--) sub[nParent[i]] += sub[i];
        int[] newIndex = new int[size];
        for (int i = 0; i < size; i++) {
            int from = childStart[i], to = childStart[i + 1];
            if (to - from > 1) Arrays.sort(children, from, to);
            for (int c = from, at = 1; c < to; c++) {
                int child = (int) children[c];
                newIndex[child] = at;
                at += sub[child];
            }
        }
        children = null;
        for (int i = 1; i < size; i++) newIndex[i] += newIndex[nParent[i]];
        int[] func = new int[size], parent = new int[size], depth = new int[size], end = new int[size];
        for (int i = 0; i < size; i++) {
            int ni = newIndex[i];
            func[ni] = nKey[i];
            parent[ni] = i == 0 ? -1 : newIndex[nParent[i]];
            end[ni] = ni + sub[i];
        }
        for (int i = 1; i < size; i++) depth[i] = depth[parent[i]] + 1;
        for (int d = 0; d < n; d++) if (stackNode[d] >= 0) stackNode[d] = newIndex[stackNode[d]];
        return new Structure(p, weight, options, transform,
                keyName.toArray(new String[0]), keyLine.toArray(), func, parent, depth, end, stackNode);
    }

    private static int key(Profile p, int frame, int[] frameKey, Map<String, Integer> keyIndex,
                           List<String> keyName, IntList keyLine, Options options) {
        int k = frameKey[frame];
        if (k >= 0) return k;
        String name = p.frameName(frame);
        if (options.mergeLambdas()) name = foldLambdaName(name);
        int line = options.granularity() == Granularity.LINE ? Math.max(0, p.frames().line(frame)) : 0;
        String id = line == 0 ? name : name + '\0' + line;
        Integer known = keyIndex.get(id);
        if (known == null) {
            known = keyName.size();
            keyName.add(name);
            keyLine.add(line);
            keyIndex.put(id, known);
        }
        frameKey[frame] = known;
        return known;
    }

    private static CallTree values(Structure s, FilteredStacks rows) {
        int size = s.func.length;
        long[] self = new long[size];
        long[] byStack = rows.weightByStack();
        self[0] += rows.rootWeight();
        for (int d = 0; d < byStack.length; d++) {
            if (byStack[d] == 0) continue;
            int node = s.stackToNode[d];
            if (node < 0) throw new IllegalStateException("stack " + d + " has weight but no node");
            self[node] += byStack[d];
        }
        long[] total = self.clone();
        for (int i = size - 1; i > 0; i--) total[s.parent[i]] += total[i];
        return new CallTree(s, rows.filter(), self, total);
    }

    // ---- names ----

    private static final Pattern LAMBDA_SUFFIX = Pattern.compile("\\$\\$Lambda(?:[$.+/](?:0x[0-9a-fA-F]+|[0-9]+)(?![0-9A-Za-z_]))*");
    private static final Pattern HIDDEN_SUFFIX = Pattern.compile("[/.]0x[0-9a-fA-F]+(?![0-9A-Za-z_])");

    /**
     * A lambda or hidden-class frame name without its per-class number and address, so that all lambdas of
     * one class fold into one name: {@code Foo$$Lambda$379+0x0000000800c0b0a8.run} (JDK 17),
     * {@code Foo$$Lambda.0x0000000054182818.run} (JDK 21+) and {@code Foo$$Lambda$292.0x00007f86c8164a40.run}
     * (async-profiler) all become {@code Foo$$Lambda.run}; {@code LambdaForm$MH/0x0000000800c0c000.invoke}
     * becomes {@code LambdaForm$MH.invoke}. Other names are returned unchanged.
     */
    public static String foldLambdaName(String name) {
        if (name.indexOf("0x") < 0 && name.indexOf("$$Lambda") < 0) return name;
        String r = LAMBDA_SUFFIX.matcher(name).replaceAll("\\$\\$Lambda");
        return HIDDEN_SUFFIX.matcher(r).replaceAll("");
    }

    // ---- columns ----

    public Profile profile() { return s.profile; }

    public Weight weight() { return s.weight; }

    public Options options() { return s.options; }

    public Filter filter() { return filter; }

    public boolean isInverted() { return s.options.inverted(); }

    /** Number of rows, root included. */
    public int size() { return s.func.length; }

    /** Function key of a row; -1 for the root. */
    public int func(int node) { return s.func[node]; }

    public int parent(int node) { return s.parent[node]; }

    public int depth(int node) { return s.depth[node]; }

    /** One past the last row of the subtree of {@code node}. */
    public int subtreeEnd(int node) { return s.subtreeEnd[node]; }

    public long self(int node) { return self[node]; }

    public long total(int node) { return total[node]; }

    /** The whole (filtered) weight: the root's total. */
    public long rootTotal() { return total[0]; }

    /** Number of function keys. */
    public int funcCount() { return s.keyName.length; }

    /** Function name of a key (folded when lambdas are merged). */
    public String funcName(int func) { return func < 0 ? ROOT_NAME : s.keyName[func]; }

    /** Source line of a key at LINE granularity; 0 when unknown or at FUNCTION granularity. */
    public int funcLine(int func) { return func < 0 ? 0 : s.keyLine[func]; }

    /** Function name of a row. */
    public String name(int node) { return funcName(s.func[node]); }

    /** Display label of a row: name, with {@code :line} when the row has a line. */
    public String label(int node) {
        int f = s.func[node];
        return f >= 0 && s.keyLine[f] > 0 ? s.keyName[f] + ":" + s.keyLine[f] : funcName(f);
    }

    /**
     * The row a derived stack (of {@link #transform()}) ends at: its own path top-down, or inverted the row
     * of its whole reversed path; -1 when the weight has no row with that stack.
     */
    public int nodeOfStack(int derivedStack) { return derivedStack < 0 ? 0 : s.stackToNode[derivedStack]; }

    public StackTransform transform() { return s.transform; }

    /** Path of a row from the top (excluding the root), as labels; top-down: outermost first. */
    public String[] path(int node) {
        String[] out = new String[s.depth[node]];
        for (int n = node; n > 0; n = s.parent[n]) out[s.depth[n] - 1] = label(n);
        return out;
    }
}
