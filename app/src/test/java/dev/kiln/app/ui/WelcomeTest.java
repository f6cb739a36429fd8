// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;

import static dev.kiln.app.ui.ShellTest.MIXED;
import static dev.kiln.app.ui.ShellTest.all;
import static dev.kiln.app.ui.ShellTest.awaitFx;
import static dev.kiln.app.ui.ShellTest.awaitLoaded;
import static dev.kiln.app.ui.ShellTest.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 23 item 6: the welcome page of a window without captures, and the sample capture that says what it is. */
@ExtendWith(ApplicationExtension.class)
class WelcomeTest {
    @TempDir
    Path dir;
    MainWindow window;

    @Start
    void start(Stage stage) {
        window = new MainWindow(stage, new RecentFiles(dir.resolve("recent.txt")));
        stage.show();
    }

    @Test
    void theWelcomePageOpensTheSampleWhichSaysItIsOneAndListsRecentFiles(FxRobot robot) throws Exception {
        assertTrue(fx(() -> window.welcome().getScene() != null), "the welcome page is shown");
        assertTrue(fx(() -> all(window.welcome()).stream().anyMatch(n -> n instanceof Label l && l.getText().startsWith("Open your capture with File > Open"))));
        fx(() -> { window.setSample(MIXED); return null; });
        Button sample = robot.lookup("#welcome-sample").queryAs(Button.class);
        assertTrue(fx(sample::isVisible));
        robot.clickOn(sample);
        CaptureTab tab = fx(() -> window.captureTabs().get(0));
        assertEquals("Sample capture", fx(tab::getText));
        awaitLoaded(tab);
        awaitFx(() -> !tab.notices().isEmpty());
        Node notice = fx(() -> tab.notices().get(0));
        assertTrue(fx(() -> all(notice).stream().anyMatch(n -> n instanceof Label l
                && l.getText().startsWith("This is Kiln's sample capture") && l.getText().contains("dropping files anywhere"))));

        fx(() -> { window.closeSelectedTab(); return null; });
        assertTrue(fx(() -> window.welcome().getScene() != null), "the welcome page again");
        Hyperlink recent = fx(() -> (Hyperlink) all(window.welcome()).stream().filter(n -> n instanceof Hyperlink).findFirst().orElseThrow());
        assertTrue(fx(recent::getText).startsWith("jdk17-mixed.jfr"), fx(recent::getText));
        robot.clickOn(recent);
        assertEquals("jdk17-mixed.jfr", fx(() -> window.captureTabs().get(0).getText()));
    }
}
