// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.tree;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.FilteredStacks;
import dev.kiln.analysis.Weights;
import dev.kiln.analysis.tree.Butterfly;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The peek view on the real JDK 17 recording: callers and callees of a function, navigation by double-click and search. */
@ExtendWith(ApplicationExtension.class)
class PeekViewTest {
    private PeekView view;

    @Start
    void start(Stage stage) {
        view = new PeekView();
        stage.setScene(new Scene(view, 1400, 800));
        stage.show();
    }

    @Test
    void opensOnTheTopSelfFunctionAndFollowsACallerWhenDoubleClicked(FxRobot robot) throws Exception {
        Profile p = TestProfiles.mixed();
        PeekView.Data d = PeekView.Data.compute(p, null, Filter.NONE, null, ProgressSink.NONE);
        // the facts' top function by self samples is where the view opens
        String topSelf = TestProfiles.firstEntryAfter("== jdk\\.ExecutionSample");
        assertEquals(topSelf, d.butterfly().function());
        robot.interact(() -> view.setData(d));
        assertEquals(d.butterfly().function(), view.functionProperty().get());
        assertEquals(d.butterfly().callers().size(), view.callersTable().getItems().size());
        assertFalse(view.callersTable().getItems().isEmpty(), "the top function is called from somewhere");
        // the callers' weights are those of Butterfly over the same rows, and none is the function itself
        Butterfly b = Butterfly.of(FilteredStacks.of(p, Weights.defaultWeight(p), Filter.NONE), d.butterfly().function(), false);
        assertEquals(b.total(), d.butterfly().total());
        for (Butterfly.Edge e : view.callersTable().getItems()) assertNotEquals(d.butterfly().function(), e.name());
        robot.interact(() -> TestProfiles.screenshot(view, "screenshot-peek.png"));

        String caller = view.callersTable().getItems().get(0).name();
        robot.doubleClickOn(robot.lookup(".table-row-cell").nth(0).queryAs(javafx.scene.Node.class));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> caller.equals(view.functionProperty().get()));
        assertTrue(view.calleesTable().getItems().stream().anyMatch(e -> e.name().equals(d.butterfly().function())),
                "the function we came from is a callee of its caller");
    }

    @Test
    void searchPeeksAtTheMatchingFunctionWithTheMostTotal(FxRobot robot) throws Exception {
        Profile p = TestProfiles.mixed();
        robot.interact(() -> view.setData(PeekView.Data.compute(p, null, Filter.NONE, null, ProgressSink.NONE)));
        String want = PeekView.Data.mostTotal(FilteredStacks.of(p, Weights.defaultWeight(p), Filter.NONE), Pattern.compile("^java\\.lang\\.Thread\\.run$"));
        assertEquals("java.lang.Thread.run", want);
        robot.clickOn(view.searchField()).write("^java\\.lang\\.Thread\\.run$").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> want.equals(view.functionProperty().get()));
        assertTrue(view.callersTable().getItems().isEmpty(), "Thread.run starts its stacks: no caller");
        assertFalse(view.calleesTable().getItems().isEmpty());
    }
}
