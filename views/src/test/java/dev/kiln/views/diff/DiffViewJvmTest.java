// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.diff;

import dev.kiln.analysis.diff.Diff;
import dev.kiln.analysis.diff.Status;
import dev.kiln.views.tree.TestProfiles;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Tab;
import javafx.scene.control.TableCell;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The diff view's JVM deltas tab on two JDK 17 recordings (parallel GC vs G1); counts from their {@code jfr summary}. */
@ExtendWith(ApplicationExtension.class)
class DiffViewJvmTest {
    static final Path JFR = TestProfiles.CAPTURES.resolve("jfr");
    private DiffView view;

    @Start
    void start(Stage stage) {
        view = new DiffView();
        stage.setScene(new Scene(view, 1400, 800));
        stage.show();
    }

    /** The event count of a type in a {@code jfr summary} output. */
    static long count(Path summary, String type) throws Exception {
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(type) + "\\s+(\\d+)\\s+\\d+\\s*$").matcher(Files.readString(summary));
        assertTrue(m.find(), type);
        return Long.parseLong(m.group(1));
    }

    static DiffView.DeltaRow row(DiffView v, String name) {
        return v.jvmTable().getItems().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name));
    }

    @Test
    void jvmTabListsGcCompilationsExceptionsIoAndEventTypes(FxRobot robot) throws Exception {
        Diff d = Diff.of(TestProfiles.load(JFR.resolve("print/jdk17-parallel-gc.jfr")), TestProfiles.load(JFR.resolve("jdk17-mixed.jfr")),
                Diff.Options.DEFAULT);
        robot.interact(() -> view.setDiff(d));
        WaitForAsyncUtils.waitForFxEvents();
        Tab tab = view.tables().getTabs().stream().filter(t -> "diff-tab-jvm".equals(t.getId())).findFirst().orElse(null);
        assertNotNull(tab, "JVM deltas tab");
        Path base = JFR.resolve("print/jdk17-parallel-gc.summary.txt"), target = JFR.resolve("jdk17-mixed.summary.txt");
        DiffView.DeltaRow gc = row(view, "gc-count");
        assertEquals(count(base, "jdk.GarbageCollection"), gc.change().base());
        assertEquals(count(target, "jdk.GarbageCollection"), gc.change().target());
        assertEquals(Status.SHRANK, gc.change().status());
        DiffView.DeltaRow comp = row(view, "compilations");
        assertEquals(count(base, "jdk.Compilation"), comp.change().base());
        assertEquals(count(target, "jdk.Compilation"), comp.change().target());
        assertEquals("Exceptions thrown", row(view, "java.lang.NumberFormatException").detail());
        DiffView.DeltaRow gcEvents = view.jvmTable().getItems().stream()
                .filter(r -> r.name().equals("jdk.GarbageCollection") && r.detail().equals("Events")).findFirst().orElseThrow();
        assertEquals(count(base, "jdk.GarbageCollection"), gcEvents.change().base());
        assertEquals(count(target, "jdk.GarbageCollection"), gcEvents.change().target());
        assertTrue(view.jvmTable().getItems().stream().anyMatch(r -> r.detail().equals("I/O bytes") && r.change().status() == Status.NEW));
        robot.interact(() -> view.tables().getSelectionModel().select(tab));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#diff-jvm .table-cell").queryAllAs(TableCell.class).stream()
                .anyMatch(c -> "gc-count".equals(c.getText())), "gc-count row shown");
        robot.interact(() -> {
            int first = view.jvmTable().getItems().indexOf(gcEvents);
            view.jvmTable().scrollTo(Math.max(0, first - 12)); // the exception classes above, the event types below
        });
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> TestProfiles.screenshot(view, "screenshot-diff-jvm.png"));
    }

    /**
     * The weight menu of two recordings that threw offers {@code exceptions/count}; chosen, both sides' totals are the
     * throwables of their jfr summary (exception events less error events, which the JDK writes once more as exceptions).
     */
    @Test
    void exceptionsAreAWeightToCompare(FxRobot robot) throws Exception {
        Path base = JFR.resolve("print/jdk17-parallel-gc.jfr"), target = JFR.resolve("print/jdk17-zgc.jfr");
        var b = TestProfiles.load(base);
        var t = TestProfiles.load(target);
        robot.interact(() -> view.setProfiles(b, t));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !view.busyProperty().get() && view.diff() != null);
        @SuppressWarnings("unchecked")
        ComboBox<String> menu = robot.lookup(n -> n instanceof ComboBox<?> c && c.getItems().contains("cpu/samples")).queryAs(ComboBox.class);
        assertTrue(menu.getItems().contains("exceptions/count"), menu.getItems().toString());
        robot.interact(() -> menu.setValue("exceptions/count"));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !view.busyProperty().get() && view.diff().compared().equals("exceptions/count"));
        Path bs = JFR.resolve("print/jdk17-parallel-gc.summary.txt"), ts = JFR.resolve("print/jdk17-zgc.summary.txt");
        assertEquals(count(bs, "jdk.JavaExceptionThrow") - count(bs, "jdk.JavaErrorThrow"), view.diff().total().base());
        assertEquals(count(ts, "jdk.JavaExceptionThrow") - count(ts, "jdk.JavaErrorThrow"), view.diff().total().target());
        assertEquals("exceptions/count", menu.getValue());
    }
}
