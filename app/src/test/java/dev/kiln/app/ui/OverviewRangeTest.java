// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import dev.kiln.views.overview.OverviewView;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.stage.Stage;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

import static dev.kiln.app.ui.ShellTest.MIXED;
import static dev.kiln.app.ui.ShellTest.all;
import static dev.kiln.app.ui.ShellTest.awaitFx;
import static dev.kiln.app.ui.ShellTest.awaitLoaded;
import static dev.kiln.app.ui.ShellTest.fx;
import static dev.kiln.app.ui.ShellTest.labelWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Overview follows the capture's time range: its counts equal those of the JDK's own JFR reader
 * ({@code jdk.jfr.consumer.RecordingFile}, independent of Kiln's reader) over the same range.
 */
@ExtendWith(ApplicationExtension.class)
class OverviewRangeTest {
    @TempDir
    Path dir;
    MainWindow window;

    @Start
    void start(Stage stage) {
        window = new MainWindow(stage, new RecentFiles(dir.resolve("recent.txt")));
        stage.show();
    }

    private static long nanos(Instant t) { return t.getEpochSecond() * 1_000_000_000L + t.getNano(); }

    /** [samples in range, monitor enters overlapping the range] by the JDK's reader. */
    private static long[] jdkCounts(long from, long to) throws Exception {
        long[] out = new long[2];
        for (RecordedEvent e : RecordingFile.readAllEvents(MIXED)) {
            String type = e.getEventType().getName();
            long start = nanos(e.getStartTime()), end = nanos(e.getEndTime());
            if (type.equals("jdk.ExecutionSample") && start >= from && start < to) out[0]++;
            if (type.equals("jdk.JavaMonitorEnter") && start < to && end >= from) out[1]++;
        }
        return out;
    }

    private static OverviewView overview(CaptureTab tab, boolean ranged) throws Exception {
        awaitFx(() -> tab.viewNode("overview") instanceof OverviewTab o && o.overview() != null
                && !o.overview().data().range().isEmpty() == ranged);
        return fx(() -> ((OverviewTab) tab.viewNode("overview")).overview());
    }

    /** The count shown next to an event kind in "Events with a duration". */
    private static String eventCount(OverviewView ov, String kind) {
        for (Node n : all(ov)) {
            if (n instanceof GridPane g) {
                Integer row = null;
                for (Node c : g.getChildren()) if (c instanceof Label l && l.getText().equals(kind)) row = GridPane.getRowIndex(c);
                if (row == null) continue;
                for (Node c : g.getChildren()) {
                    if (GridPane.getRowIndex(c) == row.intValue() && GridPane.getColumnIndex(c) == 2) return ((Label) c).getText();
                }
            }
        }
        return null;
    }

    @Test
    void countsAndFindingsFollowTheTimeRange() throws Exception {
        CaptureTab tab = fx(() -> window.open(MIXED));
        awaitLoaded(tab);
        OverviewView whole = overview(tab, false);
        String wholeSamples = fx(() -> labelWith(whole, l -> "samples:jdk.ExecutionSample:cpu/samples".equals(l.getUserData())).getText());

        long start = fx(() -> tab.profile().startEpochNanos());
        long from = start + 2_000_000_017L, to = start + 5_500_000_029L; // odd offsets: no event sits on a bound
        long[] expected = jdkCounts(from, to);
        assertTrue(expected[0] > 0 && expected[1] > 0, "the range holds samples and monitor enters");
        fx(() -> { tab.setTimeRange(from, to); return null; });
        OverviewView ranged = overview(tab, true);

        Label samples = fx(() -> labelWith(ranged, l -> "samples:jdk.ExecutionSample:cpu/samples".equals(l.getUserData())));
        assertEquals(String.format(Locale.ROOT, "%,d", expected[0]), fx(samples::getText));
        assertTrue(!wholeSamples.equals(fx(samples::getText)), "fewer than in the whole recording: " + wholeSamples);
        assertEquals(String.format(Locale.ROOT, "%,d", expected[1]), fx(() -> eventCount(ranged, "Monitor enter")));
        Label banner = fx(() -> labelWith(ranged, l -> "overview-range".equals(l.getId())));
        assertNotNull(banner);
        assertTrue(fx(banner::getText).startsWith(fx(tab::timeRangeText)), fx(banner::getText));
        // Findings were recomputed: their text speaks of the range's length, not the recording's.
        assertTrue(fx(() -> ranged.data().findings().stream().anyMatch(f -> f.explanation().contains("3.5 s"))),
                fx(() -> ranged.data().findings().toString()));

        fx(() -> { tab.clearTimeRange(); return null; });
        OverviewView again = overview(tab, false);
        assertNull(fx(() -> labelWith(again, l -> "overview-range".equals(l.getId()))));
        assertEquals(wholeSamples, fx(() -> labelWith(again, l -> "samples:jdk.ExecutionSample:cpu/samples".equals(l.getUserData())).getText()));
    }
}
