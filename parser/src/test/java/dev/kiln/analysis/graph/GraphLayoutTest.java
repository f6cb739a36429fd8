// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.graph;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.FilteredStacks;
import dev.kiln.analysis.Weights;
import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.testutil.Captures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link GraphLayout}: no two boxes overlap, callers sit above callees unless the edge closes a cycle, every edge has a route. */
class GraphLayoutTest {
    private static void assertSound(GraphLayout l, int[] from, int[] to) {
        for (int a = 0; a < l.nodeCount(); a++) {
            for (int b = a + 1; b < l.nodeCount(); b++) {
                boolean apart = l.x(a) + l.width(a) <= l.x(b) || l.x(b) + l.width(b) <= l.x(a)
                        || l.y(a) + l.height(a) <= l.y(b) || l.y(b) + l.height(b) <= l.y(a);
                assertTrue(apart, "boxes " + a + " and " + b + " overlap");
            }
            assertTrue(l.x(a) >= 0 && l.x(a) + l.width(a) <= l.width() + 1e-6 && l.y(a) + l.height(a) <= l.height() + 1e-6);
        }
        for (int e = 0; e < from.length; e++) {
            if (from[e] == to[e]) { assertNull(l.route(e)); continue; }
            double[] p = l.route(e);
            assertNotNull(p);
            assertEquals(l.x(from[e]) + l.width(from[e]) / 2, p[0], 1e-6, "starts at the caller");
            assertEquals(l.x(to[e]) + l.width(to[e]) / 2, p[p.length - 2], 1e-6, "ends at the callee");
        }
    }

    @Test
    void aDiamondWithALongEdgeAndACycle() {
        //   0 -> 1 -> 2 -> 3, 0 -> 3 (long), 0 -> 2, 3 -> 1 (cycle), 2 -> 2 (self)
        int[] from = {0, 1, 2, 0, 0, 3, 2}, to = {1, 2, 3, 3, 2, 1, 2};
        double[] w = {80, 60, 100, 40}, h = {30, 30, 40, 30};
        GraphLayout l = GraphLayout.of(w, h, from, to);
        assertSound(l, from, to);
        assertTrue(l.y(0) < l.y(1) && l.y(1) < l.y(2) && l.y(2) < l.y(3), "layers by longest path");
        assertEquals(8, l.route(3).length, "0 -> 3 bends once in each of the two layers it crosses");
        assertEquals(0, l.nodeAt(l.x(0) + 1, l.y(0) + 1));
        assertEquals(-1, l.nodeAt(-5, -5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu-regressed.pb.gz", "jvm-asprof-cpu.pb.gz", "heap-regressed.pb.gz"})
    void realGraphsAreLaidOutSoundly(String file) throws Exception {
        Profile p = ProfileLoader.load(Captures.file("pprof", file), ProgressSink.NONE);
        CallGraph g = CallGraph.of(FilteredStacks.of(p, Weights.defaultWeight(p), Filter.NONE));
        GraphDrawing d = GraphDrawing.of(g);
        int[] from = g.edges().stream().mapToInt(CallGraph.Edge::from).toArray(), to = g.edges().stream().mapToInt(CallGraph.Edge::to).toArray();
        assertSound(d.layout(), from, to);
        assertEquals("pprof\nDo", String.join("\n", GraphDrawing.shortName("runtime/pprof.Do").split("\\.")));
        assertEquals("Foo.run", GraphDrawing.shortName("com.acme.Foo.run"));
        // names as go tool pprof -dot labels them (seen on a Go 1.23 CPU profile: generic and module-versioned names)
        assertEquals(java.util.List.of("slices", "partitionOrdered[go", "shape", "int]"),
                GraphDrawing.nameLines("slices.partitionOrdered[go.shape.int]"));
        assertEquals(java.util.List.of("b", "(*T)", "m"), GraphDrawing.nameLines("github.com/a/b/v2.(*T).m"));
        assertEquals(java.util.List.of("sha256", "(*digest)", "Write"), GraphDrawing.nameLines("crypto/sha256.(*digest).Write"));
        assertEquals(java.util.List.of("Foo", "run"), GraphDrawing.nameLines("com.acme.Foo.run(int)"));
        assertEquals(java.util.List.of("Bar", "baz"), GraphDrawing.nameLines("ns::inner::Bar::baz"));
        assertEquals(java.util.List.of("main", "f[\u2026]"), GraphDrawing.nameLines("main.f[...]"));
        assertEquals("#b20000", GraphDrawing.hex(GraphDrawing.color(6.67 / 6.73, false)));
        assertEquals("#edd5d5", GraphDrawing.hex(GraphDrawing.color(6.67 / 6.73, true)));
    }
}
