// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.diff;

import dev.kiln.analysis.diff.Diff;
import dev.kiln.analysis.diff.DiffTree;
import dev.kiln.analysis.diff.Status;
import dev.kiln.model.Profile;
import dev.kiln.views.common.RecordingSurface;
import dev.kiln.views.tree.TestProfiles;
import javafx.scene.Scene;
import javafx.scene.paint.Color;
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

/**
 * The diff view on the JDK 17 diff pair (CORPUS-README: the regressed run spends far more CPU in
 * {@code DiffWorkload.computeChecksum}); expected numbers come from the captures' facts files.
 */
@ExtendWith(ApplicationExtension.class)
class DiffViewTest {
    static final Path JFR = TestProfiles.CAPTURES.resolve("jfr");
    static final String CHECKSUM = "DiffWorkload.computeChecksum";
    private static Profile baseline, regressed;
    private DiffView view;

    @Start
    void start(Stage stage) {
        view = new DiffView();
        stage.setScene(new Scene(view, 1400, 800));
        stage.show();
    }

    static synchronized Profile baseline() {
        if (baseline == null) baseline = TestProfiles.load(JFR.resolve("jdk17-diff-baseline.jfr"));
        return baseline;
    }

    static synchronized Profile regressed() {
        if (regressed == null) regressed = TestProfiles.load(JFR.resolve("jdk17-diff-regressed.jfr"));
        return regressed;
    }

    /** Self samples of a method in the ExecutionSample section of a facts file. */
    static long selfSamples(String facts, String method) throws Exception {
        Matcher m = Pattern.compile("^\\s+" + Pattern.quote(method) + "\\s+samples=(\\d+)", Pattern.MULTILINE)
                .matcher(Files.readString(JFR.resolve(facts)));
        assertTrue(m.find(), method + " in " + facts);
        return Long.parseLong(m.group(1));
    }

    static DiffView.DeltaRow firstWith(DiffView v, Status s) {
        return v.functionTable().getItems().stream().filter(r -> r.change().status() == s).findFirst().orElse(null);
    }

    void awaitIdle() throws Exception {
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !view.busyProperty().get() && view.diff() != null);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void regressedFunctionIsTheTopGrewRowAndIsRed(FxRobot robot) throws Exception {
        long b = selfSamples("jdk17-diff-baseline.facts.txt", CHECKSUM);
        long t = selfSamples("jdk17-diff-regressed.facts.txt", CHECKSUM);
        robot.interact(() -> view.setProfiles(baseline(), regressed()));
        awaitIdle();
        DiffView.DeltaRow top = firstWith(view, Status.GREW);
        assertNotNull(top);
        assertEquals(CHECKSUM, top.name());
        assertEquals(b, top.change().base());
        assertEquals(t, top.change().target());
        assertEquals(t - b, top.change().delta(), 1e-9);
        assertTrue(view.titleText().contains("jdk17-diff-baseline") && view.titleText().contains("jdk17-diff-regressed"), view.titleText());
        assertTrue(view.comparedText().contains("cpu/samples"), view.comparedText());

        // The painter fills the function's widest box red.
        Diff d = view.diff();
        DiffTree tree = d.tree();
        int node = -1;
        for (int n = 1; n < tree.size(); n++) {
            if (tree.name(n).equals(CHECKSUM) && (node < 0 || tree.targetTotal(n) > tree.targetTotal(node))) node = n;
        }
        assertTrue(node > 0);
        RecordingSurface s = new RecordingSurface(1400, 800, 7);
        DiffFlameGraph flame = view.flameGraph();
        robot.interact(() -> flame.paint(s));
        DiffGeometry g = flame.geometry();
        int box = g.boxOf(node);
        assertTrue(box >= 0, "the box is drawn");
        double x = g.x(box), y = g.depth(box) * DiffPainter.ROW_HEIGHT;
        Color fill = s.rects().stream().filter(o -> o.x() == x && o.y() == y).findFirst().orElseThrow().fill();
        assertTrue(fill.getRed() > fill.getBlue() + 0.3 && fill.getRed() > fill.getGreen() + 0.3, "red: " + fill);
        assertTrue(s.texts().stream().anyMatch(o -> o.text().startsWith("DiffWorkload.computeC")), "labelled");

        // The tooltip states base, target and delta.
        String tip = flame.painter().tooltip(node);
        assertTrue(tip.contains("GREW"), tip);

        assertTrue(view.legendTexts().stream().anyMatch(l -> l.startsWith("Red: grew")), view.legendTexts().toString());
        assertTrue(view.legendTexts().stream().anyMatch(l -> l.startsWith("Blue: shrank")), view.legendTexts().toString());

    }

    @Test
    void normalizeComparesSharesAndTheScreenshotShowsBothColours(FxRobot robot) throws Exception {
        Diff d = Diff.of(baseline(), regressed(), Diff.Options.DEFAULT);
        robot.interact(() -> view.setDiff(d));
        robot.interact(() -> view.setNormalize(true));
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> view.diff() != d && !view.busyProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        Diff n = view.diff();
        assertTrue(n.options().normalize());
        // Normalized, the totals match, so the base is scaled by target/base total (from the facts files).
        long bt = Long.parseLong(fact("jdk17-diff-baseline.facts.txt", "^== jdk\\.ExecutionSample: events=(\\d+)"));
        long tt = Long.parseLong(fact("jdk17-diff-regressed.facts.txt", "^== jdk\\.ExecutionSample: events=(\\d+)"));
        assertEquals((double) tt / bt, n.scale(), 1e-9);
        assertTrue(view.comparedText().contains("normalized"), view.comparedText());
        robot.interact(() -> {
            view.applyCss();
            view.layout();
            view.flameGraph().redrawNow();
            TestProfiles.screenshot(view, "screenshot-diff.png");
        });
    }

    static String fact(String facts, String regex) throws Exception {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(Files.readString(JFR.resolve(facts)));
        assertTrue(m.find(), regex + " in " + facts);
        return m.group(1);
    }

    @Test
    void swapTurnsTheRegressionIntoAShrink(FxRobot robot) throws Exception {
        long b = selfSamples("jdk17-diff-baseline.facts.txt", CHECKSUM);
        long t = selfSamples("jdk17-diff-regressed.facts.txt", CHECKSUM);
        Diff d = Diff.of(baseline(), regressed(), Diff.Options.DEFAULT);
        robot.interact(() -> view.setDiff(d));
        robot.interact(() -> view.swap());
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> view.diff() != d && !view.busyProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(view.titleText().startsWith("Base: jdk17-diff-regressed"), view.titleText());
        DiffView.DeltaRow top = firstWith(view, Status.SHRANK);
        assertEquals(CHECKSUM, top.name());
        assertEquals(b - t, top.change().delta(), 1e-9);
    }
}
