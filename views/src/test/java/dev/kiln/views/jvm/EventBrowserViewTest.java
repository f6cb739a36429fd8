// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.jvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.analysis.Filter;
import dev.kiln.model.JfrEventTable;
import dev.kiln.model.Profile;
import dev.kiln.model.JfrValueText;
import dev.kiln.model.Units;
import dev.kiln.views.tree.TestProfiles;
import javafx.scene.Scene;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TreeItem;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Event browser on jdk17-mixed.jfr against the JDK's tools: the type tree's counts against {@code jfr summary}
 * (jdk17-mixed.summary.txt), the table's rows and cells against {@code jfr print --json} (print/jdk17-mixed.print.json.gz:
 * per type the count and the first and last three events; print/jdk17-mixed.io.json.gz: every file and socket event).
 */
@ExtendWith(ApplicationExtension.class)
class EventBrowserViewTest {
    private EventBrowserView view;

    @Start
    void start(Stage stage) {
        view = new EventBrowserView();
        stage.setScene(new Scene(view, 1400, 800));
        stage.show();
    }

    /** jfr summary's count per event type (its own bookkeeping records left out), 0s included. */
    static Map<String, Long> summary(Path file) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        boolean table = false;
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("=====")) { table = true; continue; }
            if (!table || line.isBlank()) continue;
            String[] f = line.trim().split("\\s+");
            if (f[0].equals("jdk.Metadata") || f[0].equals("jdk.CheckPoint")) continue;
            counts.put(f[0], Long.parseLong(f[f.length - 2]));
        }
        return counts;
    }

    static JsonNode json(String name) throws Exception {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(TestProfiles.CAPTURES.resolve("jfr/print/" + name)))) {
            return new ObjectMapper().readTree(in);
        }
    }

    private void await(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> view.isReady());
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** The tree's rows by type name (types) and by category path (categories, "A/B"). */
    private static void collect(TreeItem<EventBrowserView.TypeEntry> item, String path, Map<String, Long> types, Map<String, Long> categories) {
        for (TreeItem<EventBrowserView.TypeEntry> c : item.getChildren()) {
            EventBrowserView.TypeEntry e = c.getValue();
            if (e.type() != null) types.put(e.type().name(), e.count());
            else {
                String p = path.isEmpty() ? e.name() : path + "/" + e.name();
                categories.put(p, e.count());
                collect(c, p, types, categories);
            }
        }
    }

    private static long nanos(String instant) {
        Instant t = Instant.parse(instant);
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    @Test
    void treeCountsAsJfrSummaryAndTableAsJfrPrint(FxRobot robot) throws Exception {
        Profile p = TestProfiles.mixed();
        robot.interact(() -> view.setProfile(p, Filter.NONE));
        await(robot);

        // the tree: every type with events, counted as jfr summary counts it; empty ones only when asked for
        Map<String, Long> summary = summary(TestProfiles.CAPTURES.resolve("jfr/jdk17-mixed.summary.txt"));
        Map<String, Long> nonZero = new TreeMap<>(summary);
        nonZero.values().removeIf(n -> n == 0);
        Map<String, Long> types = new TreeMap<>(), categories = new HashMap<>();
        collect(view.tree().getRoot(), "", types, categories);
        assertEquals(nonZero, types);
        // a category counts the events of the types below it
        Map<String, Long> expectedCategories = new HashMap<>();
        for (JfrEventTable t : p.jfrEvents().tables()) {
            String path = "";
            for (String c : t.category()) {
                path = path.isEmpty() ? c : path + "/" + c;
                expectedCategories.merge(path, summary.getOrDefault(t.name(), 0L), Long::sum);
            }
        }
        expectedCategories.values().removeIf(n -> n == 0);
        assertEquals(expectedCategories, categories);
        assertTrue(categories.get("Java Virtual Machine/GC") > 6148, categories.toString());
        robot.interact(() -> view.showEmptyBox().setSelected(true));
        types.clear();
        collect(view.tree().getRoot(), "", types, new HashMap<>());
        assertEquals(0L, types.get("jdk.JavaExceptionThrow"));
        assertTrue(types.keySet().containsAll(summary.keySet()), "every declared type");
        robot.interact(() -> view.showEmptyBox().setSelected(false));
        // search keeps matching types only, by label or name
        robot.interact(() -> view.searchField().setText("gcheapsummary"));
        types.clear();
        collect(view.tree().getRoot(), "", types, new HashMap<>());
        assertEquals(Map.of("jdk.GCHeapSummary", summary.get("jdk.GCHeapSummary")), types);
        robot.interact(() -> view.searchField().setText(""));

        // the table of jdk.ExecutionSample: as many rows as jfr print, the first and last three as it prints them
        JsonNode print = json("jdk17-mixed.print.json.gz");
        JsonNode samples = print.get("jdk.ExecutionSample");
        robot.interact(() -> assertTrue(view.selectType("jdk.ExecutionSample")));
        await(robot);
        int n = samples.get("count").asInt();
        assertEquals(2354, n);
        assertEquals(n, view.table().getItems().size());
        assertTrue(view.headingText().contains("2,354 events"), view.headingText());
        List<JsonNode> expected = new ArrayList<>();
        samples.get("head").forEach(expected::add);
        List<JsonNode> tail = new ArrayList<>();
        samples.get("tail").forEach(tail::add);
        for (int i = 0; i < expected.size(); i++) assertSample(p, i, expected.get(i).get("values"));
        for (int i = 0; i < tail.size(); i++) assertSample(p, n - tail.size() + i, tail.get(i).get("values"));

        // the stack pane: the selected (first) event's thread and frames, top first, with lines
        JsonNode first = expected.get(0).get("values");
        JsonNode frame0 = first.get("stackTrace").get("frames").get(0);
        assertTrue(view.stackText().startsWith("Thread: \"" + first.get("sampledThread").get("javaName").asText() + "\" (javaThreadId "
                + first.get("sampledThread").get("javaThreadId").asLong()), view.stackText());
        assertTrue(view.stackText().contains("  at " + frameName(frame0) + " line: " + frame0.get("lineNumber").asInt() + "\n"), view.stackText());
        assertTrue(view.fieldsText().contains("state = " + first.get("state").asText()), view.fieldsText());

        // sorting by start time, latest first: jfr print's last event comes first
        robot.interact(() -> {
            TableColumn<Integer, String> start = view.column("startTime");
            start.setSortType(TableColumn.SortType.DESCENDING);
            view.table().getSortOrder().setAll(start);
        });
        await(robot);
        assertEquals(n, view.table().getItems().size());
        assertSample(p, 0, tail.get(tail.size() - 1).get("values"));
        // sorting by thread: names in order
        robot.interact(() -> {
            TableColumn<Integer, String> thread = view.column("sampledThread");
            thread.setSortType(TableColumn.SortType.ASCENDING);
            view.table().getSortOrder().setAll(thread);
        });
        await(robot);
        for (int i = 1; i < n; i++) {
            assertTrue(view.cell(i - 1, "sampledThread").compareTo(view.cell(i, "sampledThread")) <= 0, "row " + i);
        }

        // a struct's fields are columns under its name, in the units people read
        JsonNode heap = print.get("jdk.GCHeapSummary").get("head").get(0).get("values");
        robot.interact(() -> assertTrue(view.selectType("jdk.GCHeapSummary")));
        await(robot);
        assertEquals(print.get("jdk.GCHeapSummary").get("count").asInt(), view.table().getItems().size());
        assertEquals(Units.bytes(heap.get("heapSpace").get("committedSize").asLong()), view.cell(0, "heapSpace.committedSize"));
        assertEquals("heapSpace", view.column("heapSpace.committedSize").getParentColumn().getText());
        assertEquals(Units.bytes(heap.get("heapUsed").asLong()), view.cell(0, "heapUsed"));
        assertEquals(heap.get("when").asText(), view.cell(0, "when"));
        assertTrue(view.stackText().contains("has no stack trace"), view.stackText());
        JsonNode gc = print.get("jdk.GarbageCollection").get("head").get(0).get("values");
        robot.interact(() -> assertTrue(view.selectType("jdk.GarbageCollection")));
        await(robot);
        assertEquals(Units.duration(Duration.parse(gc.get("sumOfPauses").asText()).toNanos()), view.cell(0, "sumOfPauses"));
        assertEquals(gc.get("name").asText(), view.cell(0, "name"));
    }

    private void assertSample(Profile p, int index, JsonNode v) {
        long start = nanos(v.get("startTime").asText());
        String cell = view.cell(index, "startTime");
        double seconds = Double.parseDouble(cell.substring(0, cell.indexOf(" s · ")));
        assertEquals((start - p.startEpochNanos()) / 1e9, seconds, 0.0005, index + ": " + cell + " vs " + v);
        assertEquals(JfrValueText.clockTime(start), cell.substring(cell.indexOf(" s · ") + 5), "row " + index);
        assertEquals(DateTimeFormatter.ofPattern("HH:mm:ss").format(Instant.ofEpochSecond(start / 1_000_000_000L).atZone(ZoneId.systemDefault())),
                cell.substring(cell.indexOf(" s · ") + 5, cell.indexOf('.', cell.indexOf(" s · ") + 5)), "clock time to the second");
        assertEquals(v.get("sampledThread").get("javaName").asText(), view.cell(index, "sampledThread"), "row " + index);
        assertEquals(frameName(v.get("stackTrace").get("frames").get(0)), view.cell(index, "stackTrace"), "row " + index);
        assertEquals(v.get("state").asText(), view.cell(index, "state"), "row " + index);
    }

    private static String frameName(JsonNode frame) {
        JsonNode m = frame.get("method");
        return m.get("type").get("name").asText().replace('/', '.') + "." + m.get("name").asText();
    }

    @Test
    void rowFilterTimeRangeAndShowInTimeline(FxRobot robot) throws Exception {
        Profile p = TestProfiles.mixed();
        List<JsonNode> reads = new ArrayList<>();
        for (JsonNode e : json("jdk17-mixed.io.json.gz").path("recording").path("events")) {
            if (e.get("type").asText().equals("jdk.FileRead")) reads.add(e.get("values"));
        }
        robot.interact(() -> {
            view.setProfile(p, Filter.NONE);
        });
        await(robot);
        robot.interact(() -> assertTrue(view.selectType("jdk.FileRead")));
        await(robot);
        assertEquals(reads.size(), view.table().getItems().size());
        // the text filter: a path's part, case ignored
        long journal = reads.stream().filter(v -> v.get("path").asText().contains("journal.dat")).count();
        assertEquals(2, journal);
        robot.interact(() -> view.rowFilterField().setText("JOURNAL.dat"));
        await(robot);
        assertEquals(journal, view.table().getItems().size());
        for (int i = 0; i < journal; i++) assertTrue(view.cell(i, "path").endsWith("journal.dat"));
        robot.interact(() -> view.rowFilterField().setText(""));
        await(robot);
        assertEquals(reads.size(), view.table().getItems().size());

        // the capture's time range: the events that overlap it, in the tree and the table
        long from = p.startEpochNanos() + 5_000_000_000L, to = p.startEpochNanos() + 8_000_000_000L;
        long inRange = reads.stream().filter(v -> {
            long s = nanos(v.get("startTime").asText());
            return s < to && s + Duration.parse(v.get("duration").asText()).toNanos() >= from;
        }).count();
        assertTrue(inRange > 0 && inRange < reads.size(), inRange + " of " + reads.size());
        robot.interact(() -> view.setFilter(Filter.NONE.withTimeRange(from, to)));
        await(robot);
        assertEquals(inRange, view.table().getItems().size());
        Map<String, Long> types = new TreeMap<>();
        collect(view.tree().getRoot(), "", types, new HashMap<>());
        assertEquals(inRange, types.get("jdk.FileRead"));
        assertTrue(types.get("jdk.ExecutionSample") < 2354, types.toString());
        assertTrue(view.headingText().contains(String.format(Locale.ROOT, "%,d event", inRange)), view.headingText());

        // show in timeline: the selected event's start, duration and thread
        AtomicReference<EventBrowserView.EventTime> asked = new AtomicReference<>();
        robot.interact(() -> {
            assertTrue(view.showInTimelineButton().isDisable(), "off without a target");
            view.setOnShowInTimeline(asked::set);
            view.table().getSelectionModel().select(1);
        });
        assertNull(asked.get());
        robot.interact(() -> view.showInTimelineButton().fire());
        EventBrowserView.EventTime t = asked.get();
        assertNotNull(t);
        JfrEventTable table = p.jfrEvents().table("jdk.FileRead");
        int row = view.table().getItems().get(1);
        assertEquals(table.startNanos(row), t.startNanos());
        assertEquals(table.durationNanos(row), t.durationNanos());
        assertEquals(table.thread(row), t.thread());
        assertEquals(view.cell(1, "eventThread"), p.threadName(t.thread()));
        assertTrue(t.startNanos() < to && t.startNanos() + t.durationNanos() >= from);

        // the screenshot: the longest monitor waits of the whole recording (durations, classes, threads, addresses)
        robot.interact(() -> {
            view.setOnShowInTimeline(e -> { });
            view.setFilter(Filter.NONE);
            view.selectType("jdk.JavaMonitorEnter");
        });
        await(robot);
        robot.interact(() -> {
            TableColumn<Integer, String> duration = view.column("duration");
            duration.setSortType(TableColumn.SortType.DESCENDING);
            view.table().getSortOrder().setAll(duration);
        });
        await(robot);
        robot.interact(() -> {
            view.table().getSelectionModel().select(1);
            view.table().scrollTo(0);
        });
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> TestProfiles.screenshot(view, "screenshot-events.png"));
    }
}
