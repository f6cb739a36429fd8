// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.graph;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.FilteredStacks;
import dev.kiln.analysis.Weight;
import dev.kiln.analysis.Weights;
import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.testutil.Captures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CallGraph} against {@code go tool pprof -dot -nodecount=N} of the corpus profiles (written by
 * {@code captures/pprof/graph-truth.sh} with Go 1.23's pprof): the same nodes in the same order with the same flat and
 * cum, the same edges with the same weight, residual and inline marks, and the legend's counts.
 */
class CallGraphTest {
    private static CallGraph graph(String dir, String file, String weight, int nodeCount) throws Exception {
        Profile p = ProfileLoader.load(Captures.file(dir, file), ProgressSink.NONE);
        Weight w = weight.isEmpty() ? Weights.defaultWeight(p) : Weights.parse(p, weight);
        return CallGraph.of(FilteredStacks.of(p, w, Filter.NONE), CallGraph.Options.nodeCount(nodeCount));
    }

    @ParameterizedTest(name = "{0} {1} -nodecount={2}")
    @CsvSource({"cpu-regressed.pb.gz, '', 20", "cpu-regressed.pb.gz, '', 80", "cpu-baseline.pb.gz, '', 10",
            "cpu-baseline.pb.gz, '', 80", "heap-regressed.pb.gz, '', 10", "heap-regressed.pb.gz, alloc_space, 80",
            "allocs-baseline.pb.gz, '', 20", "block.pb.gz, '', 80", "mutex.pb.gz, contentions, 5", "goroutine.pb.gz, '', 8",
            "jvm-asprof-cpu.pb.gz, '', 30", "jvm-asprof-cpu.pb.gz, '', 80", "jvm-asprof-alloc.pb.gz, '', 40"})
    void keepsTheNodesAndEdgesGoToolPprofKeeps(String file, String weight, int nodeCount) throws Exception {
        String base = file.replaceAll("\\.pb\\.gz$", "");
        PprofDot want = PprofDot.read(Captures.file("pprof", base + (weight.isEmpty() ? "" : "." + weight) + ".graph" + nodeCount + ".dot"));
        CallGraph got = graph("pprof", file, weight, nodeCount);
        assertFalse(want.nodes().isEmpty());
        assertEquals(want.nodes().stream().map(PprofDot.DotNode::name).toList(), got.nodes().stream().map(CallGraph.Node::name).toList(),
                "nodes in pprof's order");
        for (int i = 0; i < want.nodes().size(); i++) {
            PprofDot.DotNode w = want.nodes().get(i);
            CallGraph.Node g = got.nodes().get(i);
            assertTrue(w.flat().matches(g.flat()), w.name() + " flat " + g.flat() + " vs " + w.flat());
            assertTrue(w.cum().matches(g.cum()), w.name() + " cum " + g.cum() + " vs " + w.cum());
        }
        assertEquals(edgeKeys(want.edges().stream().map(e -> e.from() + " -> " + e.to() + flags(e.residual(), e.inline())).toList()),
                edgeKeys(got.edges().stream().map(e -> name(got, e.from()) + " -> " + name(got, e.to()) + flags(e.residual(), e.inline())).toList()));
        for (PprofDot.DotEdge w : want.edges()) {
            CallGraph.Edge g = got.edges().stream().filter(e -> name(got, e.from()).equals(w.from()) && name(got, e.to()).equals(w.to()))
                    .findFirst().orElseThrow();
            assertTrue(w.weight().matches(g.weight()), w.from() + " -> " + w.to() + " " + g.weight() + " vs " + w.weight());
        }
        assertEquals(want.droppedNodes(), got.droppedNodes(), "dropped nodes");
        assertEquals(want.droppedEdges(), got.droppedEdges(), "dropped edges");
        if (want.outOf() >= 0) assertEquals(want.outOf(), got.candidates(), "out of");
    }

    private static String name(CallGraph g, int node) { return g.nodes().get(node).name(); }

    private static String flags(boolean residual, boolean inline) { return (residual ? " residual" : "") + (inline ? " inline" : ""); }

    private static TreeSet<String> edgeKeys(List<String> keys) { return new TreeSet<>(keys); }

    @Test
    void aJfrRecordingGivesJavaMethods() throws Exception {
        CallGraph g = graph("jfr", "jdk17-mixed.jfr", "", 40);
        assertFalse(g.nodes().isEmpty());
        assertTrue(g.nodes().size() <= 40);
        assertTrue(g.nodes().stream().anyMatch(n -> n.name().startsWith("java.")), g.nodes().toString());
        for (CallGraph.Node n : g.nodes()) assertTrue(n.cum() >= n.flat() && n.cum() <= g.total(), n.toString());
    }

    @Test
    void aGoTracesCpuSamplesMakeAGraph() throws Exception {
        CallGraph g = graph("gotrace", "mixed.trace", "cpu", 80);
        assertFalse(g.nodes().isEmpty());
        assertTrue(g.nodes().stream().anyMatch(n -> n.name().startsWith("main.")), g.nodes().toString());
    }

    @Test
    void focusKeepsOnlyRowsThroughTheFunction() throws Exception {
        Profile p = ProfileLoader.load(Captures.file("pprof", "cpu-regressed.pb.gz"), ProgressSink.NONE);
        Filter f = Filter.NONE.withFocus(Pattern.compile("^main\\.walkTree$"));
        CallGraph g = CallGraph.of(FilteredStacks.of(p, Weights.defaultWeight(p), f));
        CallGraph.Node walk = g.nodes().get(g.indexOf("main.walkTree"));
        assertEquals(g.total(), walk.cum());
        List<String> names = new ArrayList<>();
        for (CallGraph.Node n : g.nodes()) names.add(n.name());
        assertFalse(names.contains("main.computeHash"), names.toString());
    }

    @Test
    void recursionIsANodeMarkNotAnEdge() throws Exception {
        CallGraph g = graph("pprof", "cpu-regressed.pb.gz", "", 80);
        for (CallGraph.Edge e : g.edges()) assertTrue(e.from() != e.to());
        assertTrue(g.nodes().stream().anyMatch(CallGraph.Node::recursive), "walkTree or pdqsort recurse");
    }

    @Test
    void bytesAreLabelledAsPprofLabelsThem() {
        assertEquals("9.25kB", CallGraphBuilder.scaledBytes(9472));
        assertEquals("16B", CallGraphBuilder.scaledBytes(16));
        assertEquals("1.40MB", CallGraphBuilder.scaledBytes(1468006));
        assertEquals("0", CallGraphBuilder.scaledBytes(0));
        assertEquals(3.0, CallGraphBuilder.log2(8));
    }
}
