// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.flame;

import dev.kiln.analysis.tree.CallTree;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Renders the view at 1400x800 on the JDK 17 capture's CPU samples into {@code target/screenshot-flame.png}, or
 * into the directory named by {@code -Dkiln.screenshotDir} (the docs: {@code -Dkiln.test.props=-Dkiln.screenshotDir=../docs}).
 */
@ExtendWith(ApplicationExtension.class)
class FlameScreenshotTest {
    static final Path OUT = Path.of(System.getProperty("kiln.screenshotDir", "target"), "screenshot-flame.png");

    @Test
    void writesScreenshot(FxRobot robot) throws Exception {
        CallTree t = Fixture.mixedCpuTree();
        AtomicReference<WritableImage> image = new AtomicReference<>();
        robot.interact(() -> {
            FlameGraphView view = new FlameGraphView();
            Scene scene = new Scene(view, 1400, 800);
            view.setTree(t);
            view.applyCss();
            view.layout();
            view.redrawNow();
            image.set(scene.snapshot(null));
        });
        WritableImage img = image.get();
        assertEquals(1400, (int) img.getWidth());
        // Smoke check: the graph area is painted, not background-white.
        assertNotEquals(img.getPixelReader().getArgb(700, 150), 0xFFFFFFFF);
        Files.createDirectories(OUT.getParent());
        ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", OUT.toFile());
    }
}
