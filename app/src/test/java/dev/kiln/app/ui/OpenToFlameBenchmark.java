// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import javafx.stage.Stage;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import static dev.kiln.app.ui.ShellTest.awaitFx;
import static dev.kiln.app.ui.ShellTest.awaitLoaded;
import static dev.kiln.app.ui.ShellTest.fx;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Benchmark, not a test: time from "open this file" to the first flame graph painted, through the shell's own
 * open path (load in the background, then the flame view builds its tree in the background and paints). Runs only
 * with {@code -Dkiln.test.props=-Dkiln.bench.open=FILE}; prints the median of 3 opens (the first is a warm-up).
 */
@ExtendWith(ApplicationExtension.class)
class OpenToFlameBenchmark {
    @TempDir
    Path dir;
    MainWindow window;

    @Start
    void start(Stage stage) {
        window = new MainWindow(stage, new RecentFiles(dir.resolve("recent.txt")));
        stage.show();
    }

    @Test
    void openToFirstFlameGraph() throws Exception {
        String file = System.getProperty("kiln.bench.open");
        Assumptions.assumeTrue(file != null, "benchmark: give -Dkiln.bench.open=FILE");
        long[] millis = new long[4];
        for (int i = 0; i < millis.length; i++) {
            long t0 = System.nanoTime();
            CaptureTab tab = fx(() -> window.open(Path.of(file)));
            awaitLoaded(tab);
            long loaded = System.nanoTime();
            assertTrue(fx(() -> tab.selectView("flame")));
            awaitFx(() -> tab.viewNode("flame") instanceof FlameTab f && f.view().tree() != null && !f.view().busyProperty().get());
            long built = System.nanoTime();
            fx(() -> { ((FlameTab) tab.viewNode("flame")).view().redrawNow(); return null; });
            millis[i] = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf(Locale.ROOT, "OPEN-TO-FLAME %s run %d: %d ms (load %d ms, flame tree %d ms)%n", Path.of(file).getFileName(), i,
                    millis[i], (loaded - t0) / 1_000_000, (built - loaded) / 1_000_000);
            fx(() -> { window.tabs().getTabs().clear(); return null; });
            System.gc();
        }
        long[] measured = Arrays.copyOfRange(millis, 1, millis.length);
        Arrays.sort(measured);
        System.out.printf(Locale.ROOT, "OPEN-TO-FLAME median of %d after a warm-up: %d ms%n", measured.length, measured[measured.length / 2]);
    }
}
