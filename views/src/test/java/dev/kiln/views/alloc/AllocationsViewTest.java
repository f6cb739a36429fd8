// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.alloc;

import dev.kiln.analysis.Filter;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.views.tree.TestProfiles;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

@ExtendWith(ApplicationExtension.class)
class AllocationsViewTest {
    private AllocationsView view;

    @Start
    void start(Stage stage) {
        view = new AllocationsView();
        stage.setScene(new Scene(view, 1400, 800));
        stage.show();
    }

    /** A JVM descriptor ({@code [B}, {@code [Ljava.lang.String;}) as a Java type name. */
    static String javaName(String descriptor) {
        int dims = 0;
        while (descriptor.charAt(dims) == '[') dims++;
        if (dims == 0) return descriptor;
        String rest = descriptor.substring(dims);
        String base = switch (rest) {
            case "B" -> "byte"; case "C" -> "char"; case "D" -> "double"; case "F" -> "float";
            case "I" -> "int"; case "J" -> "long"; case "S" -> "short"; case "Z" -> "boolean";
            default -> rest.substring(1, rest.length() - 1);
        };
        return base + "[]".repeat(dims);
    }

    @Test
    void topClassIsTheFactsTopObjectClassWithItsStacks(FxRobot robot) {
        Profile p = TestProfiles.mixed();
        String top = javaName(TestProfiles.firstEntryAfter("== jdk\\.ObjectAllocationSample[^\\n]*\\n  weight by objectClass"));
        long topBytes = Long.parseLong(TestProfiles.fact("== jdk\\.ObjectAllocationSample[^\\n]*\\n  weight by objectClass[^\\n]*\\n\\s+\\S+\\s+events=\\d+ weight_bytes=(\\d+)"));
        AllocationsView.Data d = AllocationsView.Data.compute(p, Filter.NONE, ProgressSink.NONE);
        robot.interact(() -> view.setData(d));
        assertEquals(top, view.rowsTable().getItems().get(0).name());
        assertEquals(topBytes, view.rowsTable().getItems().get(0).values()[d.allocations().defaultColumn()]);
        assertFalse(view.stacksTable().getItems().isEmpty(), "stacks of the selected top class");
        robot.interact(() -> TestProfiles.screenshot(view, "screenshot-allocs.png"));
    }
}
