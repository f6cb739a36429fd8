// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.jvm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.analysis.Filter;
import dev.kiln.model.Profile;
import dev.kiln.model.Units;
import dev.kiln.views.tree.TestProfiles;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The safepoints page on the long-safepoints recording (print/jdk17-safepoints.jfr) against jfr print --json
 * (print/jdk17-safepoints.safepoints.json.gz), its events joined by safepointId here.
 */
@ExtendWith(ApplicationExtension.class)
class SafepointsViewTest {
    private SafepointsView view;

    @Start
    void start(Stage stage) {
        view = new SafepointsView();
        stage.setScene(new Scene(view, 1300, 720));
        stage.show();
    }

    @Test
    void longestPausesWithTheirOperation(FxRobot robot) throws Exception {
        Profile p = TestProfiles.load(TestProfiles.CAPTURES.resolve("jfr/print/jdk17-safepoints.jfr"));
        Map<Long, long[]> by = new HashMap<>(); // id -> start, end
        Map<Long, String> ops = new HashMap<>();
        for (String type : List.of("jdk.SafepointBegin", "jdk.SafepointStateSynchronization", "jdk.SafepointEnd", "jdk.ExecuteVMOperation")) {
            for (JsonNode v : JitViewTest.truth("jdk17-safepoints.safepoints.json.gz", type)) {
                long s = JitViewTest.start(v), e = s + Duration.parse(v.path("duration").asText()).toNanos();
                long[] t = by.computeIfAbsent(v.path("safepointId").asLong(), k -> new long[]{Long.MAX_VALUE, Long.MIN_VALUE});
                t[0] = Math.min(t[0], s);
                t[1] = Math.max(t[1], e);
                if (type.equals("jdk.ExecuteVMOperation")) ops.put(v.path("safepointId").asLong(), v.path("operation").asText());
            }
        }
        long[] longest = by.entrySet().stream().max(Map.Entry.comparingByValue((a, b) -> Long.compare(a[1] - a[0], b[1] - b[0])))
                .map(e -> new long[]{e.getKey(), e.getValue()[1] - e.getValue()[0], e.getValue()[0]}).orElseThrow();
        long total = by.values().stream().mapToLong(t -> t[1] - t[0]).sum();
        robot.interact(() -> view.setProfile(p, Filter.NONE));
        assertEquals(by.size(), view.safepoints().getItems().size());
        assertEquals(longest[0], view.safepoints().getItems().get(0).id());
        assertEquals(longest[1], view.safepoints().getItems().get(0).totalNanos());
        assertEquals(ops.get(longest[0]), view.safepoints().getItems().get(0).operation());
        assertEquals(by.size(), view.chart().series().get(0).size());
        assertTrue(view.headingText().startsWith(by.size() + " safepoints stopped the Java threads for " + Units.duration(total)), view.headingText());
        assertTrue(view.headingText().contains("longest " + Units.duration(longest[1]) + " (" + ops.get(longest[0]) + ")"), view.headingText());
        assertEquals(ops.size(), view.operations().getItems().stream().mapToInt(o -> o.count()).sum());
        // hover over the longest pause: the readout shows it
        robot.interact(() -> {
            view.chart().hover(view.chart().chartLayout().xOf(longest[2]) + 0.5);
            view.chart().paintNow();
        });
        assertEquals("Safepoint pause: " + Units.duration(longest[1]), view.chart().readout().get(1));
        robot.interact(() -> {
            view.chart().hover(-1);
            view.chart().paintNow();
            TestProfiles.screenshot(view, "screenshot-safepoints.png");
        });
        // a range that starts after the longest pause
        long from = longest[2] + longest[1];
        long after = by.values().stream().filter(t -> t[0] >= from).count();
        robot.interact(() -> view.setFilter(Filter.NONE.withTimeRange(from, Long.MAX_VALUE - 1)));
        assertEquals(after, view.safepoints().getItems().size());
        assertTrue(view.headingText().contains("in the chosen time range"), view.headingText());
    }
}
