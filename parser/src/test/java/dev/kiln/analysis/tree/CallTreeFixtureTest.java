// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.tree;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.FilteredStacks;
import dev.kiln.analysis.TextProfile;
import dev.kiln.analysis.Weight;
import dev.kiln.analysis.Weights;
import dev.kiln.analysis.tree.Butterfly.Edge;
import dev.kiln.analysis.tree.CallTree.Granularity;
import dev.kiln.analysis.tree.CallTree.Options;
import dev.kiln.model.EventKind;
import dev.kiln.model.Profile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Call trees, filters, butterflies and flame layouts on a five-sample fixture; every expected number is worked
 * out by hand from the lines below.
 */
class CallTreeFixtureTest {
    /*
     * #  stack            weight thread t(s) tenant
     * 1  main;a;b         3      w1     1    acme
     * 2  main;a;c         2      w2     2    globex
     * 3  main;x;a;b       4      w1     3    globex
     * 4  main;r;r;r;b     5      w2     4    acme
     * 5  main             1      w1     5    -
     * total 15
     */
    static final Profile P = TextProfile.of(
            "main;a;b 3 thread=w1 t=1 tenant=acme",
            "main;a;c 2 thread=w2 t=2 tenant=globex",
            "main;x;a;b 4 thread=w1 t=3 tenant=globex",
            "main;r;r;r;b 5 thread=w2 t=4 tenant=acme",
            "main 1 thread=w1 t=5");
    static final Weight W = Weights.parse(P, "samples");

    static CallTree tree(Filter f) { return CallTree.build(P, W, f, Options.DEFAULT); }

    /** The row at a path of labels below the root, or -1. */
    static int node(CallTree t, String... path) {
        int n = 0;
        for (String name : path) {
            int found = -1;
            for (int c = n + 1; c < t.subtreeEnd(n); c = t.subtreeEnd(c)) if (t.label(c).equals(name)) found = c;
            if (found < 0) return -1;
            n = found;
        }
        return n;
    }

    static long total(CallTree t, String... path) {
        int n = node(t, path);
        return n < 0 ? 0 : t.total(n);
    }

    @Test
    void unfilteredTreeIsTheSumOfTheStacks() {
        CallTree t = tree(Filter.NONE);
        assertEquals(15, t.rootTotal());
        assertEquals(0, t.self(0));
        assertEquals(15, total(t, "main"));
        assertEquals(1, t.self(node(t, "main"))); // sample 5
        assertEquals(5, total(t, "main", "a")); // samples 1 + 2
        assertEquals(3, total(t, "main", "a", "b"));
        assertEquals(2, total(t, "main", "a", "c"));
        assertEquals(4, total(t, "main", "x"));
        assertEquals(4, total(t, "main", "x", "a", "b"));
        assertEquals(5, total(t, "main", "r", "r", "r", "b"));
        assertEquals(5, t.depth(node(t, "main", "r", "r", "r", "b")));
        // Depth-first, siblings by name: all, main, a, b, c, r, r, r, b, x, a, b.
        assertEquals(12, t.size());
        assertEquals(List.of("all", "main", "a", "b", "c", "r", "r", "r", "b", "x", "a", "b"),
                java.util.stream.IntStream.range(0, t.size()).mapToObj(t::label).toList());
        assertEquals(5, t.subtreeEnd(node(t, "main", "a"))); // a = row 2, its subtree rows 2..4
        assertEquals(12, t.subtreeEnd(0));
    }

    @Test
    void focusAndIgnoreKeepOrDropWholeSamples() {
        // focus a: samples 1, 2, 3 (3 + 2 + 4 = 9), whole stacks kept
        CallTree f = tree(Filter.NONE.withFocus(Pattern.compile("^a$")));
        assertEquals(9, f.rootTotal());
        assertEquals(4, total(f, "main", "x", "a", "b"));
        assertEquals(0, total(f, "main", "r"));
        // ignore x: drops sample 3 -> 15 - 4 = 11
        assertEquals(11, tree(Filter.NONE.withIgnore(Pattern.compile("x"))).rootTotal());
        // focus a and ignore c: samples 1 and 3 -> 7
        assertEquals(7, tree(Filter.NONE.withFocus(Pattern.compile("^a$")).withIgnore(Pattern.compile("^c$"))).rootTotal());
    }

    @Test
    void hideRemovesFramesAndMergesWhatRemains() {
        CallTree t = tree(Filter.NONE.withHide(Pattern.compile("^a$")));
        assertEquals(15, t.rootTotal());
        assertEquals(-1, node(t, "main", "a"));
        assertEquals(3, total(t, "main", "b")); // sample 1: main;b
        assertEquals(2, total(t, "main", "c")); // sample 2: main;c
        assertEquals(4, total(t, "main", "x", "b")); // sample 3: main;x;b
        assertEquals(4, t.self(node(t, "main", "x", "b")));
        // hiding every frame leaves weight at the root
        CallTree all = tree(Filter.NONE.withHide(Pattern.compile(".")));
        assertEquals(15, all.self(0));
        assertEquals(1, all.size());
    }

    @Test
    void threadTimeAndLabelFilters() {
        assertEquals(8, tree(Filter.NONE.withThreadName(Pattern.compile("w1"))).rootTotal()); // 3 + 4 + 1
        assertEquals(15, tree(Filter.NONE.withThreadName(Pattern.compile("w"))).rootTotal());
        int w2 = -1;
        for (int i = 0; i < P.threads().size(); i++) if (P.threadName(i).equals("w2")) w2 = i;
        assertEquals(7, tree(Filter.NONE.withThreads(Set.of(w2))).rootTotal()); // 2 + 5
        // [2 s, 4 s): samples at t = 2 and 3 -> 2 + 4
        CallTree time = tree(Filter.NONE.withTimeRange(TextProfile.START + 2_000_000_000L, TextProfile.START + 4_000_000_000L));
        assertEquals(6, time.rootTotal());
        assertEquals(2, total(time, "main", "a"));
        assertEquals(8, tree(Filter.NONE.withLabels(List.of("tenant=acme"))).rootTotal()); // 3 + 5; sample 5 has no label
        assertEquals(6, tree(Filter.NONE.withLabels(List.of("tenant=globex"))).rootTotal()); // 2 + 4
        assertEquals(0, tree(Filter.NONE.withLabels(List.of("tenant=initech"))).rootTotal());
        assertEquals(3, tree(Filter.NONE.withLabels(List.of("tenant=acme")).withThreadName(Pattern.compile("w1"))).rootTotal());
    }

    @Test
    void collapseRecursionFoldsDirectSelfCalls() {
        CallTree t = tree(Filter.NONE.withCollapseRecursion(true));
        assertEquals(5, total(t, "main", "r"));
        assertEquals(-1, node(t, "main", "r", "r"));
        int b = node(t, "main", "r", "b");
        assertEquals(5, t.total(b));
        assertEquals(3, t.depth(b)); // main 1, r 2, b 3
        assertEquals(15, t.rootTotal());
        // with thread w1 and hide a: main;b 3, main;x;b 4, main 1
        CallTree h = tree(Filter.NONE.withThreadName(Pattern.compile("w1")).withHide(Pattern.compile("^a$")));
        assertEquals(8, h.rootTotal());
        assertEquals(3, total(h, "main", "b"));
        assertEquals(4, total(h, "main", "x", "b"));
        assertEquals(1, h.self(node(h, "main")));
    }

    @Test
    void withFilterReusesTheStructureAndEqualsARebuild() {
        CallTree base = tree(Filter.NONE);
        for (Filter f : List.of(Filter.NONE.withThreadName(Pattern.compile("w1")),
                Filter.NONE.withFocus(Pattern.compile("^a$")),
                Filter.NONE.withLabels(List.of("tenant=acme")),
                Filter.NONE.withHide(Pattern.compile("^a$")))) {
            CallTree re = base.withFilter(f), fresh = tree(f);
            for (String[] path : List.of(new String[] {"main"}, new String[] {"main", "a"}, new String[] {"main", "b"},
                    new String[] {"main", "x", "a", "b"}, new String[] {"main", "r"})) {
                assertEquals(total(fresh, path), total(re, path), f + " " + String.join(";", path));
            }
            assertEquals(fresh.rootTotal(), re.rootTotal());
        }
        // same structure: only values differ
        CallTree w1 = base.withFilter(Filter.NONE.withThreadName(Pattern.compile("w1")));
        assertEquals(base.size(), w1.size());
        assertEquals(0, total(w1, "main", "r")); // row kept, weight 0
    }

    @Test
    void invertedTreeStartsAtLeafFunctions() {
        CallTree t = CallTree.build(P, W, Filter.NONE, Options.DEFAULT.withInverted(true));
        assertEquals(15, t.rootTotal());
        assertEquals(12, total(t, "b")); // samples 1, 3, 4 end in b: 3 + 4 + 5
        assertEquals(2, total(t, "c"));
        assertEquals(1, total(t, "main"));
        assertEquals(1, t.self(node(t, "main"))); // sample 5 is just "main"
        assertEquals(7, total(t, "b", "a")); // 1 and 3
        assertEquals(5, total(t, "b", "r"));
        assertEquals(3, total(t, "b", "a", "main"));
        assertEquals(3, t.self(node(t, "b", "a", "main"))); // main;a;b is the whole stack
        assertEquals(4, total(t, "b", "a", "x", "main"));
        assertEquals(5, total(t, "b", "r", "r", "r", "main"));
        assertEquals(0, t.self(node(t, "b")));
    }

    @Test
    void butterflyCountsEachSampleOncePerEdge() {
        Butterfly a = Butterfly.of(FilteredStacks.of(P, W, Filter.NONE), "a", false);
        assertEquals(0, a.self());
        assertEquals(9, a.total());
        assertEquals(List.of(new Edge("main", 0, 5), new Edge("x", 0, 4)), a.callers());
        assertEquals(List.of(new Edge("b", 7, 7), new Edge("c", 2, 2)), a.callees());
        // r recurses: sample 4 counts once for total, once for caller r, once for callee r
        Butterfly r = Butterfly.of(FilteredStacks.of(P, W, Filter.NONE), "r", false);
        assertEquals(5, r.total());
        assertEquals(List.of(new Edge("main", 0, 5), new Edge("r", 0, 5)), r.callers());
        assertEquals(List.of(new Edge("b", 5, 5), new Edge("r", 0, 5)), r.callees());
        Butterfly b = Butterfly.of(FilteredStacks.of(P, W, Filter.NONE), "b", false);
        assertEquals(12, b.self());
        assertEquals(List.of(new Edge("a", 7, 7), new Edge("r", 5, 5)), b.callers());
        assertEquals(List.of(), b.callees());
        Butterfly main = Butterfly.of(FilteredStacks.of(P, W, Filter.NONE), "main", false);
        assertEquals(List.of(new Edge(Butterfly.ROOT, 1, 15)), main.callers());
        // filtered: thread w2 keeps samples 2 and 4 -> a only through sample 2
        Butterfly a2 = Butterfly.of(FilteredStacks.of(P, W, Filter.NONE.withThreadName(Pattern.compile("w2"))), "a", false);
        assertEquals(2, a2.total());
        assertEquals(List.of(new Edge("c", 2, 2)), a2.callees());
    }

    @Test
    void flameLayoutPlacesChildrenByNameLeftAligned() {
        FlameLayout f = FlameLayout.of(tree(Filter.NONE));
        CallTree t = f.tree();
        // main: children a (5), r (5), x (4) from x = 0; main's self 1 is the gap at its right
        assertEquals(0, f.x(node(t, "main")));
        assertEquals(15, f.width(node(t, "main")));
        assertEquals(0, f.x(node(t, "main", "a")));
        assertEquals(0, f.x(node(t, "main", "a", "b")));
        assertEquals(3, f.x(node(t, "main", "a", "c")));
        assertEquals(5, f.x(node(t, "main", "r")));
        assertEquals(10, f.x(node(t, "main", "x")));
        assertEquals(10, f.x(node(t, "main", "x", "a", "b")));
        assertEquals(5, f.maxDepth());
        assertEquals(10 / 15.0, f.start(node(t, "main", "x")), 1e-12);
        // thread w1 (samples 1, 3, 5): a = 3, r = 0, x = 4
        FlameLayout g = FlameLayout.of(t.withFilter(Filter.NONE.withThreadName(Pattern.compile("w1"))));
        assertEquals(3, g.width(node(t, "main", "a")));
        assertEquals(3, g.x(node(t, "main", "r")));
        assertEquals(0, g.width(node(t, "main", "r")));
        assertEquals(3, g.x(node(t, "main", "x")));
        assertEquals(4, g.maxDepth()); // main;x;a;b
    }

    @Test
    void emptyStacksWeighOnTheRoot() {
        Profile p = TextProfile.of("- 2", "main;a 3");
        CallTree t = CallTree.build(p, Weights.parse(p, "samples/count"), Filter.NONE, Options.DEFAULT);
        assertEquals(5, t.rootTotal());
        assertEquals(2, t.self(0));
        // a focus needs a frame: the empty stack is dropped
        assertEquals(3, t.withFilter(Filter.NONE.withFocus(Pattern.compile("main"))).rootTotal());
    }

    @Test
    void lambdasFoldIntoOneNodeWhenAsked() {
        Profile p = TextProfile.of(
                "main;Foo$$Lambda$12+0x0000000800c0b0a8.run;work 2", // JDK 17
                "main;Foo$$Lambda$13+0x0000000800c0b0b0.run;work 3",
                "main;Foo$$Lambda.0x0000000054182818.run;work 1", // JDK 21+
                "main;Bar$$Lambda$7/0x0000000800c0b0a8.accept 4"); // "accept" starts with hex letters
        Weight w = Weights.parse(p, "samples");
        CallTree plain = CallTree.build(p, w, Filter.NONE, Options.DEFAULT);
        assertEquals(2, total(plain, "main", "Foo$$Lambda$12+0x0000000800c0b0a8.run"));
        assertEquals(9, plain.size()); // all, main, 3 x (Foo lambda, work), Bar lambda
        CallTree merged = CallTree.build(p, w, Filter.NONE, Options.DEFAULT.withMergeLambdas(true));
        assertEquals(6, total(merged, "main", "Foo$$Lambda.run"));
        assertEquals(6, total(merged, "main", "Foo$$Lambda.run", "work"));
        assertEquals(4, total(merged, "main", "Bar$$Lambda.accept"));
        assertEquals(5, merged.size()); // all, main, Bar$$Lambda.accept, Foo$$Lambda.run, work
    }

    @Test
    void lineGranularitySplitsFunctionsByLine() {
        Profile p = TextProfile.of("main;a:10;b 2", "main;a:12;b 3", "main;a:10 1");
        Weight w = Weights.parse(p, "samples");
        CallTree byFunction = CallTree.build(p, w, Filter.NONE, Options.DEFAULT);
        assertEquals(6, total(byFunction, "main", "a"));
        assertEquals(5, total(byFunction, "main", "a", "b"));
        CallTree byLine = CallTree.build(p, w, Filter.NONE, Options.DEFAULT.withGranularity(Granularity.LINE));
        assertEquals(3, total(byLine, "main", "a:10"));
        assertEquals(1, byLine.self(node(byLine, "main", "a:10")));
        assertEquals(3, total(byLine, "main", "a:12"));
        assertEquals(12, byLine.funcLine(byLine.func(node(byLine, "main", "a:12"))));
    }

    @Test
    void eventWeightsSumDurationsAndClipToTheTimeRange() {
        Profile p = new TextProfile()
                .sample("main;work 1 thread=w1")
                .event(EventKind.MONITOR_ENTER, "main;lock", "w1", 1, 2) // [1 s, 3 s)
                .event(EventKind.MONITOR_ENTER, "main;lock2", "w2", 5, 1) // [5 s, 6 s)
                .event(EventKind.THREAD_SLEEP, "main;nap", "w1", 0, 3)
                .build();
        assertEquals(List.of("samples/count", "monitor-blocked/nanoseconds", "monitor-blocked/count", "sleep/nanoseconds", "sleep/count"),
                Weights.available(p).stream().map(Weight::toString).toList());
        Weight blocked = Weights.parse(p, "monitor-blocked");
        assertEquals("monitor-blocked/nanoseconds", blocked.toString());
        CallTree t = CallTree.build(p, blocked, Filter.NONE, Options.DEFAULT);
        assertEquals(3_000_000_000L, t.rootTotal());
        assertEquals(2_000_000_000L, total(t, "main", "lock"));
        // [2 s, 5.5 s): 1 s of the first, 0.5 s of the second
        Filter range = Filter.NONE.withTimeRange(TextProfile.START + 2_000_000_000L, TextProfile.START + 5_500_000_000L);
        assertEquals(1_500_000_000L, t.withFilter(range).rootTotal());
        assertEquals(2, CallTree.build(p, Weights.parse(p, "monitor-blocked/count"), range, Options.DEFAULT).rootTotal());
        assertEquals(1_000_000_000L, t.withFilter(Filter.NONE.withThreadName(Pattern.compile("w2"))).rootTotal());
        assertEquals(3_000_000_000L, CallTree.build(p, Weights.parse(p, "sleep"), Filter.NONE, Options.DEFAULT).rootTotal());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Weights.parse(p, "cpu"));
        assertTrue(e.getMessage().contains("choices: samples/count, monitor-blocked/nanoseconds"), e.getMessage());
    }
}
