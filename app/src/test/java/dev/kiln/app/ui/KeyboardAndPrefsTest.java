// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.kiln.app.ui.ShellTest.CAPTURES;
import static dev.kiln.app.ui.ShellTest.MIXED;
import static dev.kiln.app.ui.ShellTest.all;
import static dev.kiln.app.ui.ShellTest.awaitFx;
import static dev.kiln.app.ui.ShellTest.awaitLoaded;
import static dev.kiln.app.ui.ShellTest.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 23 items 3 and 4: the shortcut list, Ctrl+F, Ctrl+Tab and Ctrl+W; the window remembered between runs. */
@ExtendWith(ApplicationExtension.class)
class KeyboardAndPrefsTest {
    @TempDir
    Path dir;
    MainWindow window;
    Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        window = new MainWindow(stage, new RecentFiles(dir.resolve("recent.txt")));
        stage.show();
    }

    @Test
    void helpListsEveryMenuShortcutAndTheViewsKeys() throws Exception {
        List<Shortcuts.Shortcut> all = fx(() -> Shortcuts.all(window.menuBarNode()));
        List<String> menu = all.stream().filter(s -> s.where().equals("menu")).map(s -> s.keys() + " " + s.what()).toList();
        for (String expected : List.of("Ctrl+O File > Open...", "Ctrl+W File > Close Tab", "Ctrl+D File > Compare With...",
                "Ctrl+F View > Find in View", "Ctrl+Tab View > Next Capture", "Ctrl+Shift+Tab View > Previous Capture",
                "F1 Help > Keyboard Shortcuts")) {
            assertTrue(menu.contains(expected), expected + " in " + menu);
        }
        assertTrue(all.stream().anyMatch(s -> s.keys().equals("Backspace") && s.where().equals("flame graph")));
        Alert a = fx(window::showShortcuts);
        Node grid = fx(() -> a.getDialogPane().lookup("#shortcuts"));
        assertTrue(fx(() -> all(grid).stream().anyMatch(n -> n instanceof Label l && l.getText().equals("Ctrl+Shift+Tab"))));
        fx(() -> { a.close(); return null; });
    }

    @Test
    void ctrlTabMovesBetweenCapturesCtrlFSearchesAndCtrlWCloses(FxRobot robot) throws Exception {
        CaptureTab one = fx(() -> window.open(MIXED));
        CaptureTab two = fx(() -> window.open(CAPTURES.resolve("pprof/heap-baseline.pb.gz")));
        awaitLoaded(one);
        awaitLoaded(two);
        assertEquals(two, fx(() -> window.tabs().getSelectionModel().getSelectedItem()));
        robot.press(KeyCode.CONTROL).type(KeyCode.TAB).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(one, fx(() -> window.tabs().getSelectionModel().getSelectedItem()), "wraps around");
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.TAB).release(KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(two, fx(() -> window.tabs().getSelectionModel().getSelectedItem()));
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.TAB).release(KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();

        // Ctrl+F: the flame graph's search field, the allocations' column filter; the Overview has nothing to search
        assertTrue(fx(() -> one.selectView("flame")));
        awaitFx(() -> one.viewNode("flame") instanceof FlameTab f && f.view().tree() != null);
        robot.press(KeyCode.CONTROL).type(KeyCode.F).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        Node focused = fx(() -> stage.getScene().getFocusOwner());
        assertInstanceOf(TextField.class, focused);
        assertTrue(fx(() -> all(one.viewNode("flame")).contains(focused)), "the flame graph's own field");
        assertTrue(fx(() -> one.selectView("allocs")));
        awaitFx(() -> Shortcuts.findTarget(one.viewNode("allocs")) != null);
        Node allocs = fx(window::findInView);
        assertInstanceOf(TableView.class, allocs);
        assertTrue(fx(() -> ((TableView<?>) allocs).getColumns().get(0).getContextMenu().isShowing()));
        fx(() -> { ((TableView<?>) allocs).getColumns().get(0).getContextMenu().hide(); return null; });
        assertTrue(fx(() -> one.selectView("overview")));
        assertEquals(null, fx(window::findInView));
        assertEquals("This view has nothing to search", fx(window::statusMessage));

        robot.press(KeyCode.CONTROL).type(KeyCode.W).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of(two), fx(window::captureTabs));
    }

    @Test
    void theWindowItsLastViewAndFolderAreRememberedInTheGivenFile() throws Exception {
        Path store = dir.resolve("config/window.properties");
        fx(() -> { window.usePrefs(new WindowPrefs(store)); return null; });
        fx(() -> { stage.setX(40); stage.setY(30); stage.setWidth(1000); stage.setHeight(700); return null; });
        CaptureTab tab = fx(() -> window.open(MIXED));
        awaitLoaded(tab);
        assertEquals("overview", fx(tab::selectedView), "nothing remembered yet");
        assertTrue(fx(() -> tab.selectView("tree")));
        assertTrue(fx(window::savePrefs));
        assertTrue(Files.isRegularFile(store));

        WindowPrefs read = new WindowPrefs(store);
        assertEquals("tree", read.lastView());
        double[] b = read.bounds();
        assertEquals(List.of(40.0, 30.0, 1000.0, 700.0), List.of(b[0], b[1], b[2], b[3]));
        assertFalse(read.maximized());

        read.setLastFolder(CAPTURES.resolve("pprof"));
        read.save();
        fx(() -> {
            Stage second = new Stage();
            MainWindow again = new MainWindow(second, new RecentFiles(dir.resolve("recent.txt")));
            again.usePrefs(new WindowPrefs(store));
            second.show();
            assertEquals(1000.0, second.getWidth());
            assertEquals(CAPTURES.resolve("pprof").toAbsolutePath().toFile(), again.lastFolder());
            CaptureTab t = again.open(MIXED);
            t.stateProperty().addListener((o, was, now) -> second.setUserData(t.selectedView()));
            return null;
        });
        Stage second = fx(() -> javafx.stage.Window.getWindows().stream().filter(w -> w instanceof Stage s && s != stage)
                .map(w -> (Stage) w).findFirst().orElseThrow());
        awaitFx(() -> second.getUserData() != null);
        assertEquals("tree", fx(second::getUserData), "the last view is selected in a new capture");
        fx(() -> { second.close(); return null; });
    }
}
