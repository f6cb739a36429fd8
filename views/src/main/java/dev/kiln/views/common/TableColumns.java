// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.common;

import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;

import java.util.function.Function;

/** Table columns the views share: a right-aligned number shown through a formatter (units, percentages, "."). */
public final class TableColumns {
    private TableColumns() { }

    /** A column of {@code value(row)} shown as {@code format(value)}, right-aligned, {@code width} pixels wide. */
    public static <R> TableColumn<R, Long> number(String title, Function<R, Long> value, Function<Long, String> format, double width) {
        TableColumn<R, Long> c = new TableColumn<>(title);
        c.setCellValueFactory(v -> new SimpleObjectProperty<>(value.apply(v.getValue())));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(Long v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : format.apply(v));
            }
        });
        c.setStyle("-fx-alignment: CENTER-RIGHT;");
        c.setPrefWidth(width);
        return c;
    }

    /** A column of text, {@code width} pixels wide. */
    public static <R> TableColumn<R, String> text(String title, Function<R, String> value, double width) {
        TableColumn<R, String> c = new TableColumn<>(title);
        c.setCellValueFactory(v -> new SimpleObjectProperty<>(value.apply(v.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    /** Fits the table's columns to its width without a scroll bar: column {@code flexible} (a name) gives way, the others keep their width. */
    public static void fitToWidth(javafx.scene.control.TableView<?> t, int flexible) {
        t.setColumnResizePolicy(javafx.scene.control.TableView.CONSTRAINED_RESIZE_POLICY);
        for (int i = 0; i < t.getColumns().size(); i++) if (i != flexible) t.getColumns().get(i).setMinWidth(t.getColumns().get(i).getPrefWidth());
    }
}
