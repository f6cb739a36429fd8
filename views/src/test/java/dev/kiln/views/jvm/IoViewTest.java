// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.jvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.analysis.Filter;
import dev.kiln.analysis.jvm.IoTargets;
import dev.kiln.model.Profile;
import dev.kiln.views.tree.TestProfiles;
import javafx.scene.Scene;
import javafx.scene.control.TableColumn;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The I/O page on jdk17-mixed.jfr against jfr print --json's file and socket events (print/jdk17-mixed.io.json.gz). */
@ExtendWith(ApplicationExtension.class)
class IoViewTest {
    private IoView view;

    @Start
    void start(Stage stage) {
        view = new IoView();
        stage.setScene(new Scene(view, 1300, 600));
        stage.show();
    }

    /** Bytes read per target ("path" or "host:port") on the threads matching a pattern, and the longest event's duration. */
    static Map<String, long[]> truth(String threads) throws Exception {
        Map<String, long[]> by = new HashMap<>();
        Pattern t = Pattern.compile(threads);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(TestProfiles.CAPTURES.resolve("jfr/print/jdk17-mixed.io.json.gz")))) {
            for (JsonNode e : new ObjectMapper().readTree(in).path("recording").path("events")) {
                JsonNode v = e.path("values");
                if (!t.matcher(v.path("eventThread").path("javaName").asText()).find()) continue;
                String key = v.has("path") ? v.path("path").asText() : v.path("host").asText() + ":" + v.path("port").asLong();
                long[] s = by.computeIfAbsent(key, k -> new long[2]);
                s[0] += v.path("bytesRead").asLong();
                s[1] = Math.max(s[1], Duration.parse(v.path("duration").asText()).toNanos());
            }
        }
        return by;
    }

    @Test
    void tableSortsAndShowsTheLongestEventsStack(FxRobot robot) throws Exception {
        Profile p = TestProfiles.mixed();
        Map<String, long[]> all = truth("");
        robot.interact(() -> view.setProfile(p, Filter.NONE));
        assertEquals(all.size(), view.rows().size());
        for (IoTargets.Target t : view.rows()) {
            assertEquals(all.get(t.name())[0], t.bytesRead(), t.name());
            assertEquals(all.get(t.name())[1], t.maxNanos(), t.name());
        }
        // first by time spent; the selected first row's longest event has a stack with frames
        assertTrue(view.stackText().startsWith("Longest event on " + view.rows().get(0).name()), view.stackText());
        assertTrue(view.stackText().contains("  at "), view.stackText());
        robot.interact(() -> TestProfiles.screenshot(view, "screenshot-io.png"));
        // sort by bytes read, largest first
        robot.interact(() -> {
            @SuppressWarnings("unchecked") TableColumn<IoTargets.Target, ?> read = view.table().getColumns().get(3);
            read.setSortType(TableColumn.SortType.DESCENDING);
            view.table().getSortOrder().setAll(read);
        });
        long maxRead = all.values().stream().mapToLong(a -> a[0]).max().orElseThrow();
        assertEquals(maxRead, view.table().getItems().get(0).bytesRead());
        // the capture's thread filter applies
        Map<String, long[]> echo = truth("^echo-client");
        robot.interact(() -> view.setProfile(p, Filter.NONE.withThreadName(Pattern.compile("^echo-client"))));
        assertEquals(echo.size(), view.rows().size());
        assertTrue(view.headingText().endsWith("(filtered)"), view.headingText());
    }
}
