// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import javafx.stage.Stage;
import org.controlsfx.control.CheckComboBox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.List;

import static dev.kiln.app.ui.ShellTest.CAPTURES;
import static dev.kiln.app.ui.ShellTest.MIXED;
import static dev.kiln.app.ui.ShellTest.awaitFx;
import static dev.kiln.app.ui.ShellTest.awaitLoaded;
import static dev.kiln.app.ui.ShellTest.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The capture tab's ControlsFX CheckComboBox of threads (goroutine groups for a Go trace) filters every view. */
@ExtendWith(ApplicationExtension.class)
class ThreadPickerTest {
    @TempDir
    Path dir;
    MainWindow window;

    @Start
    void start(Stage stage) {
        window = new MainWindow(stage, new RecentFiles(dir.resolve("recent.txt")));
        stage.show();
    }

    @Test
    void checkingAThreadFiltersTheFlameGraphAndUncheckingShowsAllAgain(FxRobot robot) throws Exception {
        CaptureTab tab = fx(() -> window.open(MIXED));
        awaitLoaded(tab);
        assertTrue(fx(() -> tab.selectView("flame")));
        awaitFx(() -> tab.viewNode("flame") instanceof FlameTab f && f.view().tree() != null && !f.view().busyProperty().get());
        FlameTab flame = (FlameTab) fx(() -> tab.viewNode("flame"));
        long all = fx(() -> flame.view().tree().rootTotal());
        CheckComboBox<ThreadPicks.Pick> picker = robot.lookup("#thread-picker").queryAs(CheckComboBox.class);
        assertTrue(fx(() -> picker.getTitle()).startsWith("All threads ("), fx(picker::getTitle));
        ThreadPicks.Pick main = fx(() -> picker.getItems().stream().filter(p -> p.label().equals("main")).findFirst().orElseThrow());

        robot.clickOn(picker); // opens its list of check boxes
        WaitForAsyncUtils.waitForFxEvents();
        // the picker's own list (other popups of earlier tests may still be open)
        javafx.scene.control.ListView<?> list = robot.lookup(n -> n instanceof javafx.scene.control.ListView<?> l
                && l.getItems().equals(picker.getItems())).queryAs(javafx.scene.control.ListView.class);
        robot.interact(() -> list.scrollTo(list.getItems().indexOf(main)));
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> { list.applyCss(); list.layout(); });
        javafx.scene.Node cell = fx(() -> list.lookupAll(".list-cell").stream()
                .filter(n -> n instanceof javafx.scene.control.ListCell<?> c && "main".equals(c.getText())).findFirst().orElseThrow());
        robot.clickOn(cell);
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(picker::hide);
        assertEquals(List.of(main), fx(() -> List.copyOf(picker.getCheckModel().getCheckedItems())));
        assertEquals(main.threads(), fx(() -> tab.filterProperty().get().threads()));
        assertEquals("main", fx(picker::getTitle));
        awaitFx(() -> flame.view().tree().rootTotal() < all && !flame.view().busyProperty().get());

        fx(() -> { picker.getCheckModel().clearChecks(); return null; });
        assertNull(fx(() -> tab.filterProperty().get().threads()));
        awaitFx(() -> flame.view().tree().rootTotal() == all);
    }

    /**
     * Same-named threads are one pick, but the title counts threads, as the status bar does: the held-out ZGC recording
     * has 21 threads (every one named) under 19 names.
     */
    @Test
    void theTitleCountsThreadsNotNames(FxRobot robot) throws Exception {
        CaptureTab tab = fx(() -> window.open(CAPTURES.resolve("jfr/print/jdk17-zgc.jfr")));
        awaitLoaded(tab);
        CheckComboBox<ThreadPicks.Pick> picker = robot.lookup("#thread-picker").queryAs(CheckComboBox.class);
        int threads = fx(() -> tab.profile().threads().size());
        assertEquals(21, threads);
        assertEquals(19, fx(() -> picker.getItems().size()));
        assertEquals("All threads (21)", fx(picker::getTitle));
    }

    @Test
    void aGoTraceOffersGoroutineGroupsByStartFunction(FxRobot robot) throws Exception {
        CaptureTab tab = fx(() -> window.open(CAPTURES.resolve("gotrace/mixed.trace")));
        awaitLoaded(tab);
        CheckComboBox<ThreadPicks.Pick> picker = robot.lookup("#thread-picker").queryAs(CheckComboBox.class);
        assertTrue(fx(picker::getTitle).startsWith("All goroutine groups ("), fx(picker::getTitle));
        assertTrue(fx(() -> picker.getItems().stream().allMatch(p -> p.label().matches("\\S.* \\(\\d+\\)"))));
        assertTrue(fx(() -> picker.getItems().stream().noneMatch(p -> p.label().startsWith("P "))), "Ps are not goroutines");
    }

    /**
     * JDK 21+ virtual threads have an empty name (the corpus README: {@code <virtual thread, empty name>}); jdk25-mixed
     * runs its VirtualTasks on them. They are one pick, last, so every thread row can be picked and the title counts
     * every thread, as the status bar does.
     */
    @Test
    void unnamedVirtualThreadsAreOnePickAndCounted(FxRobot robot) throws Exception {
        CaptureTab tab = fx(() -> window.open(CAPTURES.resolve("jfr/jdk25-mixed.jfr")));
        awaitLoaded(tab);
        CheckComboBox<ThreadPicks.Pick> picker = robot.lookup("#thread-picker").queryAs(CheckComboBox.class);
        int threads = fx(() -> tab.profile().threads().size());
        assertEquals(String.format(java.util.Locale.ROOT, "All threads (%,d)", threads), fx(picker::getTitle));
        java.util.Set<Integer> covered = new java.util.HashSet<>();
        fx(() -> picker.getItems().stream().map(ThreadPicks.Pick::threads).toList()).forEach(covered::addAll);
        assertEquals(threads, covered.size(), "every thread row is in a pick");
        ThreadPicks.Pick last = fx(() -> picker.getItems().get(picker.getItems().size() - 1));
        assertTrue(last.label().startsWith("<virtual threads, no name> ("), last.label());
        assertTrue(last.threads().size() > 1000, last.label());
        assertTrue(fx(() -> last.threads().stream().allMatch(t -> tab.profile().threads().isVirtual(t) && tab.profile().threadName(t).isEmpty())));
    }
}
