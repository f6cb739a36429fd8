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
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

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

    /** ControlsFX's TableFilter on the class table: a header's context menu filters by value, and the filter resets. */
    @Test
    void theClassTableFiltersByColumnValue(FxRobot robot) {
        AllocationsView.Data d = AllocationsView.Data.compute(TestProfiles.mixed(), Filter.NONE, ProgressSink.NONE);
        robot.interact(() -> view.setData(d));
        int all = view.rowsTable().getItems().size();
        assertTrue(all > 3, "classes: " + all);
        String second = view.rowsTable().getItems().get(1).name();
        javafx.scene.control.TableColumn<dev.kiln.analysis.alloc.Allocations.Row, ?> classColumn = view.rowsTable().getColumns().get(0);
        assertEquals("Class", classColumn.getText());
        javafx.scene.Node header = robot.lookup(n -> n instanceof javafx.scene.control.Label l && "Class".equals(l.getText())).query();
        // the header's context menu holds the column's filter panel (values with check boxes, a search field)
        robot.interact(() -> classColumn.getContextMenu().show(header, javafx.geometry.Side.BOTTOM, 0, 0));
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
        assertTrue(classColumn.getContextMenu().isShowing(), "the column's filter menu");
        assertTrue(classColumn.getContextMenu().getStyleClass().contains("column-filter"));
        robot.interact(() -> classColumn.getContextMenu().hide());

        robot.interact(() -> {
            view.rowsFilter().unSelectAllValues(classColumn);
            view.rowsFilter().selectValue(classColumn, second);
            view.rowsFilter().executeFilter();
        });
        assertEquals(List.of(second), view.rowsTable().getItems().stream().map(dev.kiln.analysis.alloc.Allocations.Row::name).toList());
        robot.interact(() -> { view.rowsFilter().resetAllFilters(); view.rowsFilter().executeFilter(); });
        assertEquals(all, view.rowsTable().getItems().size());
    }
}
