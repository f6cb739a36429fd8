// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.jvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.analysis.Filter;
import dev.kiln.analysis.jvm.GcDetails;
import dev.kiln.analysis.jvm.GcPauses;
import dev.kiln.analysis.jvm.OldObjects;
import dev.kiln.analysis.jvm.TimeSeries;
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
        robot.interact(() -> { view.heapChart().paintNow(); view.chart().paintNow(); TestProfiles.screenshot(view, "screenshot-memory.png"); });
        // a range holding the last five collections
        long from = truth.get(truth.size() - 5)[0];
        robot.interact(() -> view.setFilter(Filter.NONE.withTimeRange(from, Long.MAX_VALUE - 1)));
        assertEquals(5, view.rows().stream().mapToInt(GcPauses.Collector::count).sum());
        assertTrue(view.headingText().contains("in the chosen time range"), view.headingText());
    }

    static List<JsonNode> events(String what, String type) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(TestProfiles.CAPTURES.resolve("jfr/print/jdk17-mixed." + what + ".json.gz")))) {
            for (JsonNode e : new ObjectMapper().readTree(in).path("recording").path("events")) if (e.path("type").asText().equals(type)) out.add(e.path("values"));
        }
        return out;
    }

    static long nanos(JsonNode d) { return Duration.parse(d.asText()).toNanos(); }

    static long epoch(JsonNode t) {
        Instant i = Instant.parse(t.asText());
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    void select(FxRobot robot, String tabId) {
        robot.interact(() -> view.tabs().getSelectionModel().select(view.tabs().getTabs().stream().filter(t -> t.getId().equals(tabId)).findFirst().orElseThrow()));
    }

    @Test
    void allocationMetaspaceCausesPhasesAndLeakCandidates(FxRobot robot) throws Exception {
        Profile p = TestProfiles.mixed();
        robot.interact(() -> view.setProfile(p, Filter.NONE));

        // allocation rate: the samples' weights per second; the heading names the source
        select(robot, "memory-alloc");
        long weight = events("mem", "jdk.ObjectAllocationSample").stream().mapToLong(v -> v.path("weight").asLong()).sum();
        TimeSeries rate = view.allocationChart().series().get(0);
        double bytes = 0;
        for (int i = 0; i < rate.size(); i++) bytes += rate.value(i); // 1 s buckets: bytes per second = bytes
        assertEquals(weight, bytes, 1e-3);
        assertTrue(view.allocationHeadingText().contains("jdk.ObjectAllocationSample weight"), view.allocationHeadingText());
        assertTrue(view.allocationHeadingText().contains(Units.bytes(weight)), view.allocationHeadingText());
        // metaspace: used before and after GC, committed; reserved in the heading, as the last summary has them
        List<JsonNode> meta = events("mem", "jdk.MetaspaceSummary");
        meta.sort((a, b) -> Long.compare(epoch(a.path("startTime")), epoch(b.path("startTime"))));
        JsonNode lastMeta = meta.get(meta.size() - 1).path("metaspace");
        assertEquals(3, view.metaspaceChart().series().size());
        assertEquals(meta.size(), view.metaspaceChart().series().get(2).size());
        assertTrue(view.metaspaceHeadingText().contains("reserved " + Units.bytes(lastMeta.path("reserved").asLong())), view.metaspaceHeadingText());
        assertTrue(view.metaspaceHeadingText().contains("committed " + Units.bytes(lastMeta.path("committed").asLong())), view.metaspaceHeadingText());
        robot.interact(() -> { view.allocationChart().paintNow(); view.metaspaceChart().paintNow(); TestProfiles.screenshot(view, "screenshot-memory-allocation.png"); });

        // causes: count and pauses per cause; the longest pause first, its phases beside
        select(robot, "memory-gc");
        List<JsonNode> gcs = events("gc", "jdk.GarbageCollection");
        for (GcDetails.Cause c : view.causeTable().getItems()) {
            List<JsonNode> of = gcs.stream().filter(v -> v.path("cause").asText().equals(c.cause())).toList();
            assertEquals(of.size(), c.count(), c.cause());
            assertEquals(of.stream().mapToLong(v -> nanos(v.path("sumOfPauses"))).sum(), c.totalPauseNanos(), c.cause());
        }
        assertEquals(gcs.stream().map(v -> v.path("cause").asText()).distinct().count(), view.causeTable().getItems().size());
        JsonNode longest = gcs.stream().max(java.util.Comparator.comparingLong(v -> nanos(v.path("longestPause")))).orElseThrow();
        GcDetails.Collection first = view.longestTable().getItems().get(0);
        assertEquals(longest.path("gcId").asLong(), first.gcId());
        assertEquals(first, view.longestTable().getSelectionModel().getSelectedItem());
        long phases = 0;
        for (String type : List.of("jdk.GCPhasePause", "jdk.GCPhasePauseLevel1", "jdk.GCPhasePauseLevel2")) {
            phases += events("gc", type).stream().filter(v -> v.path("gcId").asLong() == first.gcId()).count();
        }
        assertEquals(phases, view.phaseTable().getItems().size());
        assertTrue(phases > 1, "the longest pause has phases");
        // choosing another collection shows its phases
        GcDetails.Collection second = view.longestTable().getItems().get(1);
        robot.interact(() -> view.longestTable().getSelectionModel().select(second));
        assertEquals(second.phases(), view.phaseTable().getItems());
        robot.interact(() -> view.longestTable().getSelectionModel().select(0));
        robot.interact(() -> TestProfiles.screenshot(view, "screenshot-memory-gc.png"));

        // leak candidates: every old-object sample, oldest first, the selected one's allocation stack
        select(robot, "memory-leaks");
        List<JsonNode> old = events("old", "jdk.OldObjectSample");
        old.sort((a, b) -> Long.compare(epoch(a.path("allocationTime")), epoch(b.path("allocationTime"))));
        assertEquals(old.size(), view.leakTable().getItems().size());
        OldObjects.Sample s0 = view.leakTable().getItems().get(0);
        assertEquals(nanos(old.get(0).path("objectAge")), s0.ageNanos());
        assertEquals(old.get(0).path("lastKnownHeapUsage").asLong(), s0.lastKnownHeapUsageBytes());
        JsonNode top = old.get(0).path("stackTrace").path("frames").get(0).path("method");
        int topLine = old.get(0).path("stackTrace").path("frames").get(0).path("lineNumber").asInt();
        String topFrame = top.path("type").path("name").asText().replace('/', '.') + "." + top.path("name").asText() + (topLine > 0 ? " line: " + topLine : "");
        assertEquals("  at " + topFrame, view.leakStackText().lines().skip(1).findFirst().orElse(""), view.leakStackText());
        int last = old.size() - 1;
        robot.interact(() -> { view.leakTable().getSelectionModel().select(last); view.leakTable().scrollTo(last); });
        JsonNode lastTop = old.get(last).path("stackTrace").path("frames").get(0).path("method");
        assertTrue(view.leakStackText().contains("at " + lastTop.path("type").path("name").asText().replace('/', '.') + "." + lastTop.path("name").asText()), view.leakStackText());
        robot.interact(() -> TestProfiles.screenshot(view, "screenshot-memory-leaks.png"));
        // a range: only the objects allocated in it
        long from = epoch(old.get(old.size() / 2).path("allocationTime"));
        robot.interact(() -> view.setFilter(Filter.NONE.withTimeRange(from, Long.MAX_VALUE - 1)));
        assertEquals(old.size() - old.size() / 2, view.leakTable().getItems().size());
        assertEquals(gcs.stream().filter(v -> epoch(v.path("startTime")) >= from).count(),
                view.causeTable().getItems().stream().mapToLong(GcDetails.Cause::count).sum());
    }
}
