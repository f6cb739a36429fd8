// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.flame;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.Weights;
import dev.kiln.analysis.tree.CallTree;
import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.views.common.FxSurface;
import dev.kiln.views.common.RecordingSurface;
import javafx.scene.canvas.Canvas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Time per frame (geometry + paint) at full zoom-out, median of 20, on a big recording named by
 * {@code -Dkiln.bigJfr=PATH} (run with {@code -Dkiln.test.props=-Dkiln.bigJfr=... -Dkiln.test.xmx=3g});
 * skipped without it. Prints the numbers.
 */
@ExtendWith(ApplicationExtension.class)
class FlameFrameBenchmark {
    static final int FRAMES = 20;

    @Test
    void frameTimes(FxRobot robot) throws Exception {
        String path = System.getProperty("kiln.bigJfr");
        assumeTrue(path != null && Files.exists(Path.of(path)), "set -Dkiln.bigJfr");
        Profile p = ProfileLoader.load(Path.of(path), ProgressSink.NONE);
        for (String weight : new String[] {"cpu/samples", "tlab-alloc/bytes"}) {
            long t0 = System.nanoTime();
            CallTree tree = CallTree.build(p, Weights.parse(p, weight), Filter.NONE, CallTree.Options.DEFAULT);
            FlameModel m = FlameModel.of(tree);
            long build = System.nanoTime() - t0;
            FlameRows rows = new FlameRows(FlamePainter.ROW_HEIGHT, 740, true, 0);
            double[] rec = new double[FRAMES], fx = new double[FRAMES];
            int[] boxes = new int[1];
            for (int i = 0; i < FRAMES; i++) {
                RecordingSurface s = new RecordingSurface(1400, 740, 7, false);
                long a = System.nanoTime();
                FlameGeometry g = FlameGeometry.compute(m.layout(), 0, 1400, rows.firstVisibleDepth(), rows.lastVisibleDepth());
                new FlamePainter(tree, m.funcKind()).paint(s, g, rows, FlamePainter.Highlight.NONE);
                rec[i] = (System.nanoTime() - a) / 1e6;
                boxes[0] = g.size();
            }
            robot.interact(() -> {
                Canvas c = new Canvas(1400, 740);
                FxSurface s = new FxSurface(c);
                FlamePainter painter = new FlamePainter(tree, m.funcKind());
                for (int i = 0; i < FRAMES; i++) {
                    long a = System.nanoTime();
                    FlameGeometry g = FlameGeometry.compute(m.layout(), 0, 1400, rows.firstVisibleDepth(), rows.lastVisibleDepth());
                    painter.paint(s, g, rows, FlamePainter.Highlight.NONE);
                    fx[i] = (System.nanoTime() - a) / 1e6;
                }
            });
            int wide = 0;
            for (int n = 0; n < tree.size(); n++) if (m.layout().fraction(n) * 1400 >= FlameGeometry.MIN_BOX_WIDTH && tree.depth(n) <= rows.lastVisibleDepth()) wide++;
            System.out.printf(Locale.ROOT, "FLAME-BENCH %s: nodes at least %.1f px wide in visible rows: %d, max depth %d%n", weight, FlameGeometry.MIN_BOX_WIDTH, wide, m.layout().maxDepth());
            Arrays.sort(rec);
            Arrays.sort(fx);
            System.out.printf(Locale.ROOT, "FLAME-BENCH %s: nodes=%d boxes=%d build=%.0f ms frame median recording=%.2f ms fx-canvas=%.2f ms (max %.2f / %.2f)%n",
                    weight, tree.size(), boxes[0], build / 1e6, rec[FRAMES / 2], fx[FRAMES / 2], rec[FRAMES - 1], fx[FRAMES - 1]);
        }
    }
}
