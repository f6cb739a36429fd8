// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.jvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.analysis.Filter;
import dev.kiln.analysis.jvm.GcPauses;
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

import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Memory page on jdk17-mixed.jfr against jfr print --json's jdk.GarbageCollection events (print/jdk17-mixed.gc.json.gz). */
@ExtendWith(ApplicationExtension.class)
class MemoryViewTest {
    private MemoryView view;

    @Start
    void start(Stage stage) {
        view = new MemoryView();
        stage.setScene(new Scene(view, 1300, 560));
        stage.show();
    }

    /** (start epoch ns, sumOfPauses ns) of each collection, by start. */
    static List<long[]> truth() throws Exception {
        List<long[]> out = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(TestProfiles.CAPTURES.resolve("jfr/print/jdk17-mixed.gc.json.gz")))) {
            for (JsonNode e : new ObjectMapper().readTree(in).path("recording").path("events")) {
                if (!e.path("type").asText().equals("jdk.GarbageCollection")) continue;
                Instant t = Instant.parse(e.path("values").path("startTime").asText());
                out.add(new long[]{t.getEpochSecond() * 1_000_000_000L + t.getNano(), Duration.parse(e.path("values").path("sumOfPauses").asText()).toNanos()});
            }
        }
        out.sort((a, b) -> Long.compare(a[0], b[0]));
        return out;
    }

    @Test
    void pausesAndCollectorsFollowTheRange(FxRobot robot) throws Exception {
        Profile p = TestProfiles.mixed();
        List<long[]> truth = truth();
        robot.interact(() -> view.setProfile(p, Filter.NONE));
        assertEquals(truth.size(), view.chart().series().get(0).size());
        List<GcPauses.Collector> rows = view.rows();
        assertEquals(truth.size(), rows.stream().mapToInt(GcPauses.Collector::count).sum());
        long max = truth.stream().mapToLong(a -> a[1]).max().orElseThrow();
        assertEquals(max, rows.stream().mapToLong(GcPauses.Collector::maxNanos).max().orElseThrow());
        assertTrue(view.headingText().startsWith(truth.size() + " garbage collections, paused "), view.headingText());
        // the heap chart: used before and after each collection (one GCHeapSummary each), committed for both
        assertEquals(truth.size(), view.heapChart().series().get(0).size());
        assertEquals(truth.size(), view.heapChart().series().get(1).size());
        assertEquals(2 * truth.size(), view.heapChart().series().get(2).size());
        assertTrue(view.heapChart().isVisible());
        // hover over the longest pause: the readout shows its duration
        long[] longest = truth.stream().filter(a -> a[1] == max).findFirst().orElseThrow();
        robot.interact(() -> {
            view.chart().hover(view.chart().chartLayout().xOf(longest[0]) + 0.5);
            view.chart().paintNow();
        });
        assertEquals("GC pause: " + Units.duration(max), view.chart().readout().get(1));
        robot.interact(() -> TestProfiles.screenshot(view, "screenshot-memory.png"));
        // a range holding the last five collections
        long from = truth.get(truth.size() - 5)[0];
        robot.interact(() -> view.setFilter(Filter.NONE.withTimeRange(from, Long.MAX_VALUE - 1)));
        assertEquals(5, view.rows().stream().mapToInt(GcPauses.Collector::count).sum());
        assertTrue(view.headingText().contains("in the chosen time range"), view.headingText());
    }
}
