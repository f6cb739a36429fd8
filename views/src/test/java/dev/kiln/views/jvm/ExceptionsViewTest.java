// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.jvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.analysis.Filter;
import dev.kiln.analysis.jvm.ThrownExceptions;
import dev.kiln.model.Profile;
import dev.kiln.views.tree.TestProfiles;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Exceptions page on jdk17-parallel-gc.jfr against the JDK's jfr print --json of its throw events
 * (print/jdk17-parallel-gc.exceptions.json.gz): per class the exception events less the error events (the JDK writes an
 * Error as one of each more), the flame graph weighing as much, and selecting a class narrowing messages and stacks.
 */
@ExtendWith(ApplicationExtension.class)
class ExceptionsViewTest {
    private ExceptionsView view;

    @Start
    void start(Stage stage) {
        view = new ExceptionsView();
        stage.setScene(new Scene(view, 1600, 900));
        stage.show();
    }

    /** Throwables per class (dotted name): JavaExceptionThrow events less JavaErrorThrow events; and the statistics' readings. */
    static Map<String, Long> truth(List<Long> statistics) throws Exception {
        Map<String, Long> by = new TreeMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(TestProfiles.CAPTURES.resolve("jfr/print/jdk17-parallel-gc.exceptions.json.gz")))) {
            for (JsonNode e : new ObjectMapper().readTree(in).path("recording").path("events")) {
                String type = e.path("type").asText();
                String cls = e.path("values").path("thrownClass").path("name").asText().replace('/', '.');
                if (type.equals("jdk.JavaExceptionThrow")) by.merge(cls, 1L, Long::sum);
                else if (type.equals("jdk.JavaErrorThrow")) by.merge(cls, -1L, Long::sum);
                else statistics.add(e.path("values").path("throwables").asLong());
            }
        }
        return by;
    }

    private void waitForFlame(FxRobot robot, String status) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> view.statusText().equals(status));
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void classesMessagesAndStacksAreTheJdksThrowEvents(FxRobot robot) throws Exception {
        Profile p = TestProfiles.load(TestProfiles.CAPTURES.resolve("jfr/print/jdk17-parallel-gc.jfr"));
        List<Long> statistics = new java.util.ArrayList<>();
        Map<String, Long> want = truth(statistics);
        long total = want.values().stream().mapToLong(Long::longValue).sum();
        robot.interact(() -> view.setProfile(p, Filter.NONE));
        waitForFlame(robot, "Throwing stacks of every class");
        Map<String, Long> got = new TreeMap<>();
        for (ThrownExceptions.ClassRow r : view.classTable().getItems()) got.put(r.className(), (long) r.count());
        assertEquals(want, got);
        assertEquals(total, view.flameGraph().tree().rootTotal());
        assertEquals("exceptions/count", view.flameGraph().weight().type().toString());
        assertTrue(view.headingText().startsWith(String.format(java.util.Locale.ROOT, "%,d throwables of %d classes", total, want.size())), view.headingText());
        // the rate chart: one point between each two readings of jdk.ExceptionStatistics
        assertEquals(statistics.size() - 1, view.chart().series().get(1).size());
        long messages = view.messageTable().getItems().stream().mapToLong(ThrownExceptions.MessageRow::count).sum();
        assertEquals(total, messages);
        robot.interact(() -> TestProfiles.screenshot(view, "screenshot-exceptions.png"));

        // selecting a class: its messages only, and its stacks in the flame graph
        String nfe = "java.lang.NumberFormatException";
        robot.interact(() -> view.classTable().getSelectionModel().select(
                view.classTable().getItems().stream().filter(r -> r.className().equals(nfe)).findFirst().orElseThrow()));
        waitForFlame(robot, "Throwing stacks of " + nfe);
        assertEquals((long) want.get(nfe), view.flameGraph().tree().rootTotal());
        assertTrue(view.messageTable().getItems().stream().allMatch(m -> m.className().equals(nfe)));
        assertEquals((long) want.get(nfe), view.messageTable().getItems().stream().mapToLong(ThrownExceptions.MessageRow::count).sum());
        // the flame graph's own toggles keep the weight (inverted: every stack still counted)
        robot.interact(() -> view.flameGraph().setInverted(true));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !view.flameGraph().busyProperty().get() && view.flameGraph().tree().isInverted());
        assertEquals((long) want.get(nfe), view.flameGraph().tree().rootTotal());

        // Esc on the class table: every class again
        robot.interact(() -> view.classTable().getSelectionModel().clearSelection());
        waitForFlame(robot, "Throwing stacks of every class");
        assertEquals(total, view.flameGraph().tree().rootTotal());
    }
}
