// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import dev.kiln.analysis.diff.Diff;
import dev.kiln.analysis.tree.CallTree;
import dev.kiln.testutil.CaptureTargets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.kiln.app.ui.ShellTest.awaitFx;
import static dev.kiln.app.ui.ShellTest.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * File > Record from a Running JVM on a real JVM (the HotLoop workload, which spins in {@code HotLoop.burn}),
 * headless: the dialog lists it, records it for 3 s, and the capture opens with the hot method on top; Stop ends a
 * long recording early and opens it; a second capture of the same PID offers the comparison with the first.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RecordJvmShellTest {
    static final String HOT = "HotLoop.burn";
    @TempDir
    static Path workDir;
    static CaptureTargets.Target workload;

    @TempDir
    Path dir;
    MainWindow window;

    @BeforeAll
    static void startWorkload() throws Exception {
        workload = CaptureTargets.startHotLoop(workDir);
    }

    @AfterAll
    static void stopWorkload() {
        if (workload != null) workload.close();
    }

    @Start
    void start(Stage stage) {
        window = new MainWindow(stage, new RecentFiles(dir.resolve("recent.txt")));
        window.setCapturesDir(dir.resolve("captures"));
        stage.show();
    }

    /** Opens the dialog, waits for the workload in its list, selects it and sets the duration. */
    private RecordDialog dialogFor(String duration) throws Exception {
        RecordDialog d = fx(window::showRecordDialog);
        awaitFx(() -> d.select(workload.pid()));
        fx(() -> { d.duration.setText(duration); return null; });
        return d;
    }

    /** The capture tab a capture of the workload opened (after its AcquireTab), once loaded. */
    private CaptureTab awaitCapture(int count) throws Exception {
        awaitFx(() -> window.captureTabs().size() == count && window.captureTabs().get(count - 1).state() != CaptureTab.State.LOADING);
        CaptureTab tab = fx(() -> window.captureTabs().get(count - 1));
        assertEquals(CaptureTab.State.READY, fx(tab::state), fx(tab::error));
        return tab;
    }

    /** The function with the most self weight in the capture's flame graph. */
    private static String topSelf(CaptureTab tab) throws Exception {
        assertTrue(fx(() -> tab.selectView("flame")));
        awaitFx(() -> tab.viewNode("flame") instanceof FlameTab f && f.view().tree() != null);
        CallTree tree = fx(() -> ((FlameTab) tab.viewNode("flame")).view().tree());
        int best = 0;
        for (int n = 1; n < tree.size(); n++) if (tree.self(n) > tree.self(best)) best = n;
        return tree.name(best);
    }

    @Test
    void recordsTheWorkloadForThreeSecondsAndOpensIt() throws Exception {
        RecordDialog d = dialogFor("3s");
        assertTrue(fx(() -> d.jvms.getItems().stream().anyMatch(j -> j.pid() == workload.pid() && RecordDialog.describe(j).contains("HotLoop"))));
        String output = fx(d.output::getText);
        assertTrue(output.startsWith(dir.resolve("captures").resolve("pid-" + workload.pid() + "-").toString()) && output.endsWith(".jfr"), output);
        // A bad duration disables Record and says why; the same parser as `kiln record --duration`.
        fx(() -> { d.duration.setText("3 parsecs"); return null; });
        assertTrue(fx(() -> d.recordButton().isDisabled()));
        assertTrue(fx(d.problem::getText).contains("not a duration"), fx(d.problem::getText));
        fx(() -> { d.duration.setText("3s"); return null; });
        assertFalse(fx(() -> d.recordButton().isDisabled()), fx(d.problem::getText));

        long start = System.nanoTime();
        fx(() -> { d.recordButton().fire(); return null; });
        AcquireTab recording = fx(() -> window.acquireTabs().get(0));
        assertTrue(fx(recording::getText).contains(Long.toString(workload.pid())));
        CaptureTab tab = awaitCapture(1);
        assertTrue((System.nanoTime() - start) / 1_000_000 >= 3000, "recorded the whole 3 s");
        assertTrue(fx(() -> window.acquireTabs().isEmpty()), "the recording's tab made way for the capture");
        assertEquals(Path.of(output), tab.file());
        assertTrue(Files.size(tab.file()) > 0, "saved before it was opened");
        assertTrue(topSelf(tab).endsWith(HOT), "hottest function: " + topSelf(tab));
        assertTrue(fx(() -> tab.notices().isEmpty()), "the first capture of a JVM offers no comparison");
    }

    @Test
    void stopEndsEarlyAndASecondCaptureOffersTheDiff() throws Exception {
        fx(() -> window.record(new RecordDialog.Request(workload.pid(), "HotLoop.java", "default", java.time.Duration.ofSeconds(2), false,
                dir.resolve("captures/first.jfr"))));
        CaptureTab first = awaitCapture(1);

        RecordDialog d = dialogFor("10m");
        fx(() -> { d.recordButton().fire(); return null; });
        AcquireTab recording = fx(() -> window.acquireTabs().get(0));
        assertTrue(fx(recording::stopKeepsData));
        awaitFx(() -> recording.task().getProgress() * 600 >= 1.5); // 1.5 s of 10 min recorded
        long stopAt = System.nanoTime();
        Button stop = fx(() -> (Button) recording.getContent().lookup("#stop-capture"));
        assertEquals("Stop and open", fx(stop::getText));
        fx(() -> { stop.fire(); return null; });
        CaptureTab second = awaitCapture(2);
        assertTrue((System.nanoTime() - stopAt) / 1_000_000_000L < 60, "stopped early");
        assertTrue(topSelf(second).endsWith(HOT));

        // The second capture of this PID: a bar above its views offers the diff with the first.
        Node compare = fx(() -> second.notices().isEmpty() ? null : second.notices().get(0).lookup("#compare-previous"));
        assertNotNull(compare, "the comparison is offered");
        assertTrue(fx(() -> first.notices().isEmpty()));
        fx(() -> { ((Button) compare).fire(); return null; });
        assertTrue(fx(() -> second.notices().isEmpty()), "the bar goes away once used");
        DiffTab diff = fx(() -> window.diffTabs().get(0));
        awaitFx(() -> diff.state() != CaptureTab.State.LOADING);
        assertEquals(CaptureTab.State.READY, fx(diff::state), fx(diff::error));
        assertEquals(first.file(), diff.base());
        assertEquals(second.file(), diff.target());
        Diff result = fx(() -> diff.view().diff());
        Diff.FunctionDelta hot = result.functions().stream().filter(f -> f.name().endsWith(HOT)).findFirst().orElse(null);
        assertNotNull(hot, "the hot method is in the diff");
        assertTrue(hot.self().base() > 0 && hot.self().target() > 0, hot.toString());
    }
}
