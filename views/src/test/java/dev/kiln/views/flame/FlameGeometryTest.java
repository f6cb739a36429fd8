// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.flame;

import dev.kiln.analysis.tree.CallTree;
import dev.kiln.analysis.tree.FlameLayout;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlameGeometryTest {
    // Total 1000; children of main in name order: a 700, c 294, then six boxes of weight 1 (e..k).
    static final CallTree TREE = Fixture.tree(Fixture.profile(
            "main;a;b 600", "main;a 100", "main;c 294", "main;e;f 1", "main;g 1", "main;h 1", "main;i 1",
            "main;j 1", "main;k 1"));

    record Box(String name, double x, double w, int depth, boolean ancestor, boolean merged) { }

    static List<Box> boxes(FlameGeometry g) {
        List<Box> out = new ArrayList<>();
        for (int i = 0; i < g.size(); i++) {
            int n = g.node(i);
            out.add(new Box(n < 0 ? "<merged>" : TREE.name(n), g.x(i), g.width(i), g.depth(i), g.isAncestor(i), g.isMerged(i)));
        }
        return out;
    }

    static void assertBox(Box expected, Box actual) {
        assertEquals(expected.name, actual.name);
        assertEquals(expected.x, actual.x, 1e-9, expected.name + " x");
        assertEquals(expected.w, actual.w, 1e-9, expected.name + " width");
        assertEquals(expected.depth, actual.depth, expected.name + " depth");
        assertEquals(expected.ancestor, actual.ancestor, expected.name + " ancestor");
        assertEquals(expected.merged, actual.merged, expected.name + " merged");
    }

    @Test
    void boxesAtHundredPixelsSkipNarrowOnesAndMergeThem() {
        // 0.1 px per unit: the six weight-1 boxes are 0.1 px each, together 0.6 px at x = 99.4; f is not drawn.
        List<Box> b = boxes(FlameGeometry.compute(FlameLayout.of(TREE), 0, 100, 0, 20));
        List<Box> expected = List.of(
                new Box("all", 0, 100, 0, false, false),
                new Box("main", 0, 100, 1, false, false),
                new Box("a", 0, 70, 2, false, false),
                new Box("b", 0, 60, 3, false, false),
                new Box("c", 70, 29.4, 2, false, false),
                new Box("<merged>", 99.4, 0.6, 2, false, true));
        assertEquals(expected.size(), b.size(), b.toString());
        for (int i = 0; i < expected.size(); i++) assertBox(expected.get(i), b.get(i));
    }

    @Test
    void wideViewportShowsEveryBox() {
        List<Box> b = boxes(FlameGeometry.compute(FlameLayout.of(TREE), 0, 1000, 0, 20));
        assertEquals(TREE.size(), b.size());
        Box f = b.stream().filter(x -> x.name.equals("f")).findFirst().orElseThrow();
        assertBox(new Box("f", 994, 1, 3, false, false), f);
    }

    @Test
    void mergedRunNarrowerThanThresholdIsDropped() {
        // 0.05 px per unit: the run is 0.3 px, below MIN_BOX_WIDTH.
        List<Box> b = boxes(FlameGeometry.compute(FlameLayout.of(TREE), 0, 50, 0, 20));
        assertFalse(b.stream().anyMatch(Box::merged), b.toString());
        assertTrue(b.stream().noneMatch(x -> x.w < FlameGeometry.MIN_BOX_WIDTH));
    }

    @Test
    void zoomScalesTheSubtreeAndKeepsAncestorsFullWidth() {
        int a = node("a");
        List<Box> b = boxes(FlameGeometry.compute(FlameLayout.of(TREE), a, 140, 0, 20));
        assertEquals(4, b.size(), b.toString());
        assertBox(new Box("all", 0, 140, 0, true, false), b.get(0));
        assertBox(new Box("main", 0, 140, 1, true, false), b.get(1));
        assertBox(new Box("a", 0, 140, 2, false, false), b.get(2));
        assertBox(new Box("b", 0, 140 * 600 / 700.0, 3, false, false), b.get(3));
    }

    @Test
    void onlyVisibleRowsAreProduced() {
        List<Box> b = boxes(FlameGeometry.compute(FlameLayout.of(TREE), 0, 1000, 2, 2));
        assertTrue(b.stream().allMatch(x -> x.depth == 2));
        assertEquals(8, b.size()); // a, c, e, g, h, i, j, k
    }

    @Test
    void hitTestFindsTheBoxUnderThePointInBothOrientations() {
        FlameGeometry g = FlameGeometry.compute(FlameLayout.of(TREE), 0, 100, 0, 20);
        FlameRows icicle = new FlameRows(18, 200, true, 0);
        assertEquals(node("b"), g.nodeAt(icicle, 30, 3 * 18 + 5));
        assertEquals(-1, g.nodeAt(icicle, 65, 3 * 18 + 5), "a's self area right of b");
        assertEquals(node("c"), g.nodeAt(icicle, 75, 2 * 18 + 1));
        assertEquals(0, g.nodeAt(icicle, 50, 17.9));
        assertEquals(-1, g.nodeAt(icicle, 99.7, 2 * 18 + 1), "merged box");
        FlameRows flame = new FlameRows(18, 200, false, 0);
        assertEquals(node("b"), g.nodeAt(flame, 10, 200 - 4 * 18 + 2)); // row 3 spans y 128..146
        assertEquals(0, g.nodeAt(flame, 10, 199));
        assertEquals(-1, g.nodeAt(flame, 10, 20), "above the deepest row");
    }

    @Test
    void rowsMapDepthAndPixelsBothWays() {
        for (boolean icicle : new boolean[] {true, false}) {
            FlameRows r = new FlameRows(18, 200, icicle, 40);
            for (int d = 2; d < 12; d++) assertEquals(d, r.depthAt(r.y(d) + 9), "depth " + d + " icicle " + icicle);
            assertEquals(2, r.firstVisibleDepth()); // 40 / 18 = 2.2
            assertEquals(13, r.lastVisibleDepth()); // (200 + 40) / 18 = 13.3
        }
    }

    static int node(String name) {
        for (int n = 0; n < TREE.size(); n++) if (TREE.name(n).equals(name)) return n;
        throw new AssertionError(name);
    }
}
