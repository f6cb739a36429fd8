// SPDX-License-Identifier: Apache-2.0
package dev.kiln.export;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.Weights;
import dev.kiln.analysis.tree.CallTree;
import dev.kiln.analysis.tree.FlameLayout;
import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A flame graph image of a profile too wide to draw says how much it left out. */
class FlameImageTest {
    @Test
    void framesTooNarrowToDrawAreCountedInTheHeading(@TempDir Path dir) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 100_000; i++) text.append("main;f").append(i).append(" 1\n");
        Path file = Files.writeString(dir.resolve("wide.collapsed"), text);
        Profile p = ProfileLoader.load(file, ProgressSink.NONE);
        FlameLayout layout = FlameLayout.of(CallTree.build(p, Weights.defaultWeight(p), Filter.NONE, CallTree.Options.DEFAULT));
        FlameBoxes b = FlameBoxes.of(layout, 1200, FlameSvgWriter.ROW_HEIGHT);
        assertEquals(100_000, b.tooNarrow, "each f is 1/100,000 of 1,200 px");
        StringBuilder svg = new StringBuilder();
        FlameSvgWriter.write(layout, 1200, svg);
        assertTrue(svg.toString().contains("100,000 frames too narrow to draw at 1200 px"), svg.substring(0, 600));

        Path few = Files.writeString(dir.resolve("few.collapsed"), "main;a 3\nmain;b 1\n");
        Profile q = ProfileLoader.load(few, ProgressSink.NONE);
        FlameLayout l2 = FlameLayout.of(CallTree.build(q, Weights.defaultWeight(q), Filter.NONE, CallTree.Options.DEFAULT));
        StringBuilder svg2 = new StringBuilder();
        FlameSvgWriter.write(l2, 1200, svg2);
        assertFalse(svg2.toString().contains("too narrow"));
    }
}
