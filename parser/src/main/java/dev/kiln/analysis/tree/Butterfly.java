// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.tree;

import dev.kiln.analysis.FilteredStacks;
import dev.kiln.analysis.StackTransform;
import dev.kiln.model.Profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Callers and callees of one function (pprof's {@code -peek}, a butterfly view), over the kept rows of a
 * {@link FilteredStacks} (so after hide and collapse). Per row, every quantity counts the row's weight at
 * most once, however often the function recurses:
 * <ul>
 * <li>{@code self}: rows whose leaf frame is the function (pprof's flat); {@code total}: rows with the
 *     function anywhere in the stack (pprof's cum);</li>
 * <li>a caller edge C: rows where C directly calls the function ({@code total}), and of those the rows that
 *     end in that call of the function ({@code self}); a function at the outermost frame has the caller
 *     {@value #ROOT};</li>
 * <li>a callee edge C: rows where the function directly calls C ({@code total}), and of those the rows
 *     whose leaf is that C ({@code self}).</li>
 * </ul>
 * Functions are matched by name (folded when lambdas are merged; see {@link CallTree#foldLambdaName}).
 */
public record Butterfly(String function, long self, long total, List<Edge> callers, List<Edge> callees) {
    /** Caller or callee name given for a function that is the outermost frame of a stack. */
    public static final String ROOT = "(root)";

    /** One neighbour with the weight through it; sorted by total, then name. */
    public record Edge(String name, long self, long total) { }

    public static Butterfly of(FilteredStacks rows, String function, boolean mergeLambdas) {
        StackTransform t = rows.transform();
        Profile p = t.profile();
        // Key 0 is the root pseudo-caller; then one key per distinct (folded) function name.
        Map<String, Integer> keyIndex = new HashMap<>();
        List<String> names = new ArrayList<>();
        names.add(ROOT);
        keyIndex.put(ROOT, 0);
        int[] frameKey = new int[p.frames().size()];
        for (int f = 0; f < frameKey.length; f++) {
            String name = mergeLambdas ? CallTree.foldLambdaName(p.frameName(f)) : p.frameName(f);
            frameKey[f] = keyIndex.computeIfAbsent(name, n -> { names.add(n); return names.size() - 1; });
        }
        Integer target = keyIndex.get(function);
        int fk = target == null || target == 0 ? -1 : target;
        int keys = names.size();
        long[] callerTotal = new long[keys], callerSelf = new long[keys], calleeTotal = new long[keys], calleeSelf = new long[keys];
        int[] callerSeen = new int[keys], calleeSeen = new int[keys]; // last stack that counted the key
        Arrays.fill(callerSeen, -1);
        Arrays.fill(calleeSeen, -1);
        long[] byStack = rows.weightByStack();
        long self = 0, total = 0;
        for (int d = 0; d < byStack.length && fk >= 0; d++) {
            long w = byStack[d];
            if (w == 0) continue;
            boolean hit = false;
            int childKey = -1;
            for (int x = d; x >= 0; x = t.parent(x)) {
                int k = frameKey[t.frame(x)];
                if (k == fk) {
                    hit = true;
                    if (x == d) self += w;
                    int up = t.parent(x);
                    int ck = up < 0 ? 0 : frameKey[t.frame(up)];
                    if (callerSeen[ck] != d) {
                        callerSeen[ck] = d;
                        callerTotal[ck] += w;
                    }
                    if (x == d) callerSelf[ck] += w; // the leaf occurrence is unique per stack
                    if (childKey >= 0 && calleeSeen[childKey] != d) {
                        calleeSeen[childKey] = d;
                        calleeTotal[childKey] += w;
                        if (t.parent(d) == x) calleeSelf[childKey] += w;
                    }
                }
                childKey = k;
            }
            if (hit) total += w;
        }
        return new Butterfly(function, self, total, edges(names, callerSelf, callerTotal), edges(names, calleeSelf, calleeTotal));
    }

    private static List<Edge> edges(List<String> names, long[] self, long[] total) {
        List<Edge> out = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) if (total[k] != 0) out.add(new Edge(names.get(k), self[k], total[k]));
        out.sort(Comparator.comparingLong((Edge e) -> -Math.abs(e.total())).thenComparing(Edge::name));
        return out;
    }
}
