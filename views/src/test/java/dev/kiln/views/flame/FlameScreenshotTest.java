// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.flame;

import dev.kiln.analysis.jvm.JvmWeights;
import dev.kiln.analysis.jvm.ThrownExceptions;
import dev.kiln.analysis.tree.CallTree;
import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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

    /**
     * The held-out ZGC recording (Holdout.java throws) with {@code exceptions/count} chosen: every throwing stack, the
     * root the 411 throwables jfr summary counts (417 exception events less 6 errors written twice), into
     * {@code screenshot-flame-exceptions.png} beside {@link #OUT}.
     */
    @Test
    void writesExceptionsScreenshot(FxRobot robot) throws Exception {
        Profile p = ProfileLoader.load(Fixture.CAPTURES.resolve("jfr/print/jdk17-zgc.jfr"), ProgressSink.NONE);
        AtomicReference<FlameGraphView> view = new AtomicReference<>();
        AtomicReference<Scene> scene = new AtomicReference<>();
        robot.interact(() -> {
            view.set(new FlameGraphView());
            scene.set(new Scene(view.get(), 1400, 800));
            view.get().setProfile(p);
        });
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> view.get().tree() != null && !view.get().busyProperty().get());
        robot.interact(() -> view.get().setWeight(JvmWeights.exceptions(p)));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !view.get().busyProperty().get()
                && view.get().tree().weight().type().equals(ThrownExceptions.THROWN));
        assertEquals(417 - 6, view.get().tree().rootTotal());
        AtomicReference<WritableImage> image = new AtomicReference<>();
        robot.interact(() -> {
            view.get().applyCss();
            view.get().layout();
            view.get().redrawNow();
            image.set(scene.get().snapshot(null));
        });
        assertNotEquals(image.get().getPixelReader().getArgb(700, 150), 0xFFFFFFFF);
        Path out = OUT.resolveSibling("screenshot-flame-exceptions.png");
        Files.createDirectories(out.getParent());
        ImageIO.write(SwingFXUtils.fromFXImage(image.get(), null), "png", out.toFile());
    }
}
