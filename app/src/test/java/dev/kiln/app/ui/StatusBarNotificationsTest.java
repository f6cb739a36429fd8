// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import dev.kiln.testutil.JfrSummary;
import javafx.concurrent.Task;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Labeled;
import javafx.stage.PopupWindow;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.controlsfx.control.StatusBar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static dev.kiln.app.ui.ShellTest.MIXED;
import static dev.kiln.app.ui.ShellTest.all;
import static dev.kiln.app.ui.ShellTest.awaitFx;
import static dev.kiln.app.ui.ShellTest.awaitLoaded;
import static dev.kiln.app.ui.ShellTest.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ControlsFX in the shell: the window's StatusBar (capture facts, a background job's progress and Cancel) and Notifications. */
@ExtendWith(ApplicationExtension.class)
class StatusBarNotificationsTest {
    @TempDir
    Path dir;
    MainWindow window;

    @Start
    void start(Stage stage) {
        window = new MainWindow(stage, new RecentFiles(dir.resolve("recent.txt")));
        stage.show();
    }

    @Test
    void theStatusBarSaysFormatSizeAndCountsAndCancelsABackgroundJob(FxRobot robot) throws Exception {
        StatusBar bar = robot.lookup("#status-bar").queryAs(StatusBar.class);
        assertEquals("No capture open", fx(bar::getText));
        CaptureTab tab = fx(() -> window.open(MIXED));
        awaitLoaded(tab);
        String text = fx(bar::getText);
        assertTrue(text.startsWith("jdk17-mixed.jfr  \u00b7  JFR"), text);
        assertTrue(text.matches(".*  \u00b7  [0-9.,]+ (KiB|MiB|kB|MB|KB).*"), "the file's size: " + text);
        assertTrue(text.matches(".*[0-9,]+ samples.*[0-9,]+ events of [0-9,]+ types  \u00b7  [0-9,]+ threads.*"), text);
        Map<String, Long> summary = JfrSummary.counts(MIXED.resolveSibling("jdk17-mixed.summary.txt"));
        long events = summary.values().stream().mapToLong(Long::longValue).sum();
        assertTrue(text.contains(String.format(Locale.ROOT, "  \u00b7  %,d events of %,d types  \u00b7  ", events, summary.size())),
                "every event of the recording, as jfr summary counts them: " + text);
        assertEquals(0.0, fx(bar::getProgress), "no job: no progress bar");
        Button cancel = robot.lookup("#status-cancel").queryAs(Button.class);
        assertFalse(fx(cancel::isVisible));

        CountDownLatch never = new CountDownLatch(1);
        Task<Path> job = FxJobs.start("waiting", sink -> {
            sink.progress(-1, -1, "waiting");
            while (!sink.isCancelled()) never.await(10, java.util.concurrent.TimeUnit.MILLISECONDS);
            return null;
        });
        fx(() -> { window.status().track("Exporting x.html", job); return null; });
        awaitFx(() -> bar.getProgress() != 0);
        assertTrue(fx(bar::getText).endsWith("Exporting x.html..."), fx(bar::getText));
        assertTrue(fx(cancel::isVisible));
        robot.clickOn(cancel);
        awaitFx(job::isCancelled);
        awaitFx(() -> !cancel.isVisible() && bar.getProgress() == 0);
        assertFalse(fx(bar::getText).contains("Exporting"), fx(bar::getText));
    }

    @Test
    void aWrittenExportIsNotified() throws Exception {
        CaptureTab tab = fx(() -> window.open(MIXED));
        awaitLoaded(tab);
        Path out = dir.resolve("mixed.txt");
        Task<Path> t = fx(() -> window.export(tab, "collapsed", out));
        awaitFx(() -> t.getState() == javafx.concurrent.Worker.State.SUCCEEDED);
        assertTrue(Files.size(out) > 0);
        awaitFx(() -> !window.notifier().shown().isEmpty());
        Notifier.Note n = fx(() -> window.notifier().shown().get(0));
        assertEquals("Export written", n.title());
        assertTrue(n.text().endsWith(out.toString()), n.text());
        assertFalse(n.warning());
        // the popup itself, in the window's corner
        awaitFx(() -> popupLabel("Export written") != null);

        Task<Path> bad = fx(() -> window.export(tab, "collapsed", MIXED));
        awaitFx(() -> bad.getState() == javafx.concurrent.Worker.State.FAILED);
        awaitFx(() -> window.notifier().shown().size() == 2);
        Notifier.Note w = fx(() -> window.notifier().shown().get(1));
        assertEquals("Export failed", w.title());
        assertTrue(w.warning());
    }

    static Labeled popupLabel(String text) {
        for (Window w : Window.getWindows()) {
            if (!(w instanceof PopupWindow) || w.getScene() == null) continue;
            for (Node n : all(w.getScene().getRoot())) if (n instanceof Labeled l && text.equals(l.getText())) return l;
        }
        return null;
    }
}
