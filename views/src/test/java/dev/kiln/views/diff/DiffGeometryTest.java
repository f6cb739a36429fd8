// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.diff;

import dev.kiln.analysis.diff.Diff;
import dev.kiln.analysis.diff.DiffTree;
import dev.kiln.analysis.diff.Status;
import dev.kiln.model.FrameKind;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileBuilder;
import dev.kiln.model.SourceFormat;
import dev.kiln.model.ValueType;
import dev.kiln.views.common.RecordingSurface;
import javafx.scene.paint.Color;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Geometry, colours and hit test of the differential flame graph on a hand-built pair, no FX:
 * base {@code main;a 10, main;b 10, main;c 5} (25), target {@code main;a 30, main;b 10} (40). So a grew by 20
 * (far above the noise 2*sqrt(40)), b is the same, c is gone.
 */
class DiffGeometryTest {
    static Profile profile(String... lines) {
        ProfileBuilder b = new ProfileBuilder(SourceFormat.PPROF, "fixture");
        ProfileBuilder.SampleTableBuilder t = b.sampleTable("fixture", List.of(new ValueType("samples", "count")), false, false, false);
        for (String line : lines) {
            String[] parts = line.trim().split("\\s+");
            int s = -1;
            for (String f : parts[0].split(";")) s = b.stack(s, b.frame(b.function(f, "", ""), 0, -1, FrameKind.JIT, 0));
            t.add(s, -1, 0, -1, Long.parseLong(parts[1]));
        }
        return b.build();
    }

    static Diff diff() {
        return Diff.of(profile("main;a 10", "main;b 10", "main;c 5"), profile("main;a 30", "main;b 10"), Diff.Options.DEFAULT);
    }

    static int row(DiffTree t, String name) {
        for (int n = 0; n < t.size(); n++) if (t.name(n).equals(name)) return n;
        throw new AssertionError(name);
    }

    @Test
    void targetShapeSizesBoxesByTargetTotals() {
        Diff d = diff();
        DiffTree t = d.tree();
        DiffGeometry g = DiffGeometry.compute(t, DiffTree.Shape.TARGET, 400, 10);
        // root, main, a, b: c has no target weight.
        assertEquals(4, g.size());
        int a = g.boxOf(row(t, "a")), b = g.boxOf(row(t, "b"));
        assertEquals(-1, g.boxOf(row(t, "c")));
        assertEquals(0, g.x(a), 1e-9);
        assertEquals(400.0 * 30 / 40, g.width(a), 1e-9);
        assertEquals(400.0 * 30 / 40, g.x(b), 1e-9);
        assertEquals(400.0 * 10 / 40, g.width(b), 1e-9);
        assertEquals(2, g.depth(b));
        assertEquals(row(t, "b"), g.nodeAt(350, 2.5 * DiffPainter.ROW_HEIGHT, DiffPainter.ROW_HEIGHT));
        assertEquals(row(t, "a"), g.nodeAt(10, 2.5 * DiffPainter.ROW_HEIGHT, DiffPainter.ROW_HEIGHT));
        assertEquals(-1, g.nodeAt(10, 3.5 * DiffPainter.ROW_HEIGHT, DiffPainter.ROW_HEIGHT));
    }

    @Test
    void baseShapeShowsWhatIsGone() {
        DiffTree t = diff().tree();
        DiffGeometry g = DiffGeometry.compute(t, DiffTree.Shape.BASE, 400, 10);
        int c = g.boxOf(row(t, "c"));
        assertTrue(c >= 0);
        assertEquals(400.0 * 20 / 25, g.x(c), 1e-9);
        assertEquals(400.0 * 5 / 25, g.width(c), 1e-9);
    }

    @Test
    void depthLimitLeavesOutDeeperRows() {
        DiffTree t = diff().tree();
        assertEquals(2, DiffGeometry.compute(t, DiffTree.Shape.TARGET, 400, 1).size());
    }

    @Test
    void painterColoursGrownRedSameGreyGoneBlue() {
        Diff d = diff();
        DiffTree t = d.tree();
        assertEquals(Status.GREW, t.totalChange(row(t, "a")).status());
        assertEquals(Status.GONE, t.totalChange(row(t, "c")).status());
        DiffPainter p = new DiffPainter(d);
        RecordingSurface s = new RecordingSurface(400, 200, 7);
        DiffGeometry g = DiffGeometry.compute(t, DiffTree.Shape.BASE, 400, 10);
        p.paint(s, g, 0, -1);
        Color a = fillAt(s, g.x(g.boxOf(row(t, "a"))), 2), b = fillAt(s, g.x(g.boxOf(row(t, "b"))), 2),
                c = fillAt(s, g.x(g.boxOf(row(t, "c"))), 2);
        assertTrue(a.getRed() > a.getBlue() + 0.2, "a is red: " + a);
        assertTrue(c.getBlue() > c.getRed() + 0.2, "c is blue: " + c);
        assertEquals(DiffPalette.SAME, b);
        // Labels are drawn inside their boxes.
        assertTrue(s.texts().stream().anyMatch(o -> o.text().equals("a")));
    }

    @Test
    void intensityGrowsWithTheShareOfTheChange() {
        DiffTree t = diff().tree();
        DiffPainter p = new DiffPainter(diff());
        // main moved 15 (25 -> 40): within 2*sqrt(65) = 16.1, so SAME. a moved 20 of the larger total 40:
        // sqrt(0.5 / 0.5) = 1. c moved 5 of 40: sqrt(0.125 / 0.5) = 0.5.
        assertEquals(0, DiffPalette.intensity(t.totalChange(row(t, "main")), p.reference()));
        assertEquals(1.0, DiffPalette.intensity(t.totalChange(row(t, "a")), p.reference()), 1e-9);
        assertEquals(0.5, DiffPalette.intensity(t.totalChange(row(t, "c")), p.reference()), 1e-9);
        assertEquals(0, DiffPalette.intensity(t.totalChange(row(t, "b")), p.reference()));
    }

    static Color fillAt(RecordingSurface s, double x, int depth) {
        double y = depth * DiffPainter.ROW_HEIGHT;
        return s.rects().stream().filter(o -> Math.abs(o.x() - x) < 1e-9 && Math.abs(o.y() - y) < 1e-9)
                .findFirst().orElseThrow(() -> new AssertionError("no box at " + x + "," + y)).fill();
    }
}
