// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.flame;

import dev.kiln.analysis.tree.CallTree;
import dev.kiln.analysis.tree.FlameLayout;
import dev.kiln.model.FrameKind;
import dev.kiln.views.common.RecordingSurface;
import dev.kiln.views.common.RecordingSurface.Op;
import javafx.scene.paint.Color;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ApplicationExtension.class) // fonts need the toolkit
class FlamePainterTest {
    static final double CHAR = 7;

    static RecordingSurface paint(CallTree t, double width, FlamePainter.Highlight h) {
        RecordingSurface s = new RecordingSurface(width, 400, CHAR);
        FlameRows rows = new FlameRows(FlamePainter.ROW_HEIGHT, 400, true, 0);
        FlameGeometry g = FlameGeometry.compute(FlameLayout.of(t), 0, width, rows.firstVisibleDepth(), rows.lastVisibleDepth());
        new FlamePainter(t, FlameModel.of(t).funcKind()).paint(s, g, rows, h);
        return s;
    }

    @Test
    void rootBoxOfTheJdk17CaptureSaysTheExecutionSampleCount() throws Exception {
        long samples = Fixture.mixedExecutionSamples();
        RecordingSurface s = paint(Fixture.mixedCpuTree(), 1400, FlamePainter.Highlight.NONE);
        Op root = s.texts().get(0);
        assertEquals(String.format("all (%,d samples)", samples), root.text());
        assertEquals(FlamePainter.TEXT_PAD, root.x(), 1e-9);
        assertTrue(root.y() > 0 && root.y() < FlamePainter.ROW_HEIGHT, "root label in row 0");
    }

    @Test
    void labelsStayInsideTheirBoxes() throws Exception {
        RecordingSurface s = paint(Fixture.mixedCpuTree(), 1400, FlamePainter.Highlight.NONE);
        List<Op> rects = s.rects();
        assertTrue(s.texts().size() > 10);
        for (Op t : s.texts()) {
            // the box drawn in the same row, containing the label start
            Op box = rects.stream().filter(r -> r.y() <= t.y() && t.y() <= r.y() + r.h() && r.x() <= t.x() && t.x() < r.x() + r.w()
                    && r.w() < 1400 + 1 && r.h() < 100).reduce((a, b) -> b).orElseThrow();
            assertTrue(t.x() + t.w() <= box.x() + box.w(), t.text() + " overflows its box " + box);
        }
    }

    @Test
    void searchPaintsMatchingBoxesMagenta() {
        CallTree t = Fixture.tree(Fixture.profile("main;a;b 6", "main;c;b 2", "main;c 2"));
        boolean[] m = new boolean[t.size()];
        int matches = 0;
        for (int n = 0; n < t.size(); n++) if (t.name(n).equals("b")) { m[n] = true; matches++; }
        assertEquals(2, matches);
        RecordingSurface s = paint(t, 1000, new FlamePainter.Highlight(m, -1, -1));
        long magenta = s.rects().stream().filter(r -> r.fill().equals(FlamePalette.MATCH)).count();
        assertEquals(2, magenta);
        RecordingSurface plain = paint(t, 1000, FlamePainter.Highlight.NONE);
        assertEquals(0, plain.rects().stream().filter(r -> r.fill().equals(FlamePalette.MATCH)).count());
    }

    @Test
    void nativeFramesGetACoolHueJavaFramesAWarmOne() {
        CallTree t = Fixture.tree(Fixture.profile("main;N:write 5", "main;work 5"));
        FlamePainter p = new FlamePainter(t, FlameModel.of(t).funcKind());
        Color nat = p.color(nodeNamed(t, "write"));
        Color java = p.color(nodeNamed(t, "work"));
        assertTrue(nat.getHue() > 180 && nat.getHue() < 240, "native hue " + nat.getHue());
        assertTrue(java.getHue() < 60, "java hue " + java.getHue());
        assertEquals(FlamePalette.of("work", FrameKind.JIT), java);
        assertNotEquals(FlamePalette.of("a.B.m", FrameKind.JIT), FlamePalette.of("a.C.m", FrameKind.JIT));
        assertEquals(FlamePalette.of("a.B.m", FrameKind.JIT), FlamePalette.of("a.B.n", FrameKind.JIT), "same class, same colour");
    }

    static int nodeNamed(CallTree t, String name) {
        for (int n = 0; n < t.size(); n++) if (t.name(n).equals(name)) return n;
        throw new AssertionError(name);
    }
}
