// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.tree;

import dev.kiln.analysis.Filter;
import dev.kiln.io.SourceFiles;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The source view on the real JDK 17 recording, with the workload's source found under a root, and without it. */
@ExtendWith(ApplicationExtension.class)
class SourceViewTest {
    static final String HEAVY = "MixedWorkload$Fractal.mixHeavy";
    private SourceView view;

    @Start
    void start(Stage stage) {
        view = new SourceView();
        stage.setScene(new Scene(view, 1400, 700));
        stage.show();
    }

    private static SourceView.SourceLookup under(String folder) {
        SourceFiles files = new SourceFiles(List.of(TestProfiles.CAPTURES.resolve(folder)));
        return path -> files.find(path).map(f -> new SourceView.SourceText(f.location(), f.lines()));
    }

    @Test
    void showsTheFunctionsLinesWithTheirSamplesAndText(FxRobot robot) throws Exception {
        Profile p = TestProfiles.mixed();
        SourceView.Data d = SourceView.Data.compute(p, null, Filter.NONE, HEAVY, under("sources/java"), ProgressSink.NONE);
        robot.interact(() -> view.setData(d));
        SourceView.Listing l = d.listings().get(0);
        assertTrue(l.location().endsWith("MixedWorkload.java"), l.location());
        // facts: mixHeavy's self samples; every one is on a line of the file, whose text is the file's
        long self = Long.parseLong(TestProfiles.fact("\\n\\s+MixedWorkload\\$Fractal\\.mixHeavy\\s+samples=(\\d+)"));
        assertEquals(self, l.flat());
        List<String> source = Files.readAllLines(TestProfiles.CAPTURES.resolve("sources/java/MixedWorkload.java"));
        long sampled = 0;
        for (SourceView.Row r : view.table().getItems()) {
            assertEquals(source.get(r.line() - 1), r.text(), "line " + r.line());
            sampled += r.flat();
        }
        assertEquals(self, sampled);
        assertTrue(view.table().getItems().stream().anyMatch(r -> r.cum() == 0), "lines around the sampled ones");
        assertTrue(view.hintLabel().getText().startsWith("Source: "), view.hintLabel().getText());
        robot.interact(() -> TestProfiles.screenshot(view, "screenshot-source.png"));
    }

    @Test
    void withoutTheSourceTheLinesShowByNumberAndSayWhatToDo(FxRobot robot) throws Exception {
        Profile p = TestProfiles.mixed();
        robot.interact(() -> {
            view.setLookup(null);
            view.setProfile(p, Filter.NONE);
            view.show(HEAVY);
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> view.getData() != null && HEAVY.equals(view.getData().function()));
        WaitForAsyncUtils.waitForFxEvents();
        assertNull(view.getData().listings().get(0).location());
        assertTrue(view.table().getItems().stream().allMatch(r -> r.text() == null && r.cum() > 0), "only the sampled lines");
        assertTrue(view.hintLabel().getText().contains("Add the folder"), view.hintLabel().getText());
    }
}
