// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.jvm;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.jvm.IoTargets;
import dev.kiln.model.Profile;
import dev.kiln.model.Units;
import dev.kiln.views.common.TableColumns;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.layout.BorderPane;
import javafx.geometry.Orientation;

import java.util.List;
import java.util.Locale;

/**
 * The I/O page of a JFR recording: a sortable table of the files (by path) and sockets (by host:port) the program
 * waited on, with reads, writes and forces, their bytes, the time spent and the longest event, in the capture's
 * filter (time range and threads); below it the stack of the selected target's longest event.
 */
public final class IoView extends BorderPane {
    private final TableView<IoTargets.Target> table = new TableView<>();
    private final Label heading = new Label();
    private final TextArea stack = new TextArea();
    private Profile profile;

    public IoView() {
        setId("io-view");
        heading.setStyle("-fx-font-weight: bold;");
        heading.setPadding(new Insets(8));
        TableColumn<IoTargets.Target, String> kind = new TableColumn<>("Kind");
        kind.setCellValueFactory(d -> new ReadOnlyStringWrapper(d.getValue().kind() == IoTargets.Kind.FILE ? "file" : "socket"));
        kind.setPrefWidth(60);
        TableColumn<IoTargets.Target, String> name = new TableColumn<>("Path or host:port");
        name.setCellValueFactory(d -> new ReadOnlyStringWrapper(d.getValue().name()));
        name.setPrefWidth(380);
        table.getColumns().add(kind);
        table.getColumns().add(name);
        table.getColumns().add(TableColumns.number("Reads", t -> (long) t.reads(), IoView::count, 70));
        table.getColumns().add(TableColumns.number("Read", IoTargets.Target::bytesRead, Units::bytes, 90));
        table.getColumns().add(TableColumns.number("Writes", t -> (long) t.writes(), IoView::count, 70));
        table.getColumns().add(TableColumns.number("Written", IoTargets.Target::bytesWritten, Units::bytes, 90));
        table.getColumns().add(TableColumns.number("Forces", t -> (long) t.forces(), IoView::count, 70));
        TableColumn<IoTargets.Target, Long> total = TableColumns.number("Time", IoTargets.Target::totalNanos, Units::duration, 90);
        table.getColumns().add(total);
        table.getColumns().add(TableColumns.number("Longest", IoTargets.Target::maxNanos, Units::duration, 90));
        table.setPlaceholder(new Label("No file or socket event in this range (the JVM records those over 20 ms by default)"));
        stack.setEditable(false);
        stack.setStyle("-fx-font-family: monospace;");
        table.getSelectionModel().selectedItemProperty().addListener((o, a, t) -> showStack(t));
        SplitPane split = new SplitPane(table, stack);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.68);
        setTop(heading);
        setCenter(split);
    }

    private static String count(long n) { return String.format(Locale.ROOT, "%,d", n); }

    public void setProfile(Profile p, Filter f) {
        profile = p;
        IoTargets io = IoTargets.of(p, f);
        table.getItems().setAll(io.targets());
        long events = 0, nanos = 0;
        for (IoTargets.Target t : io.targets()) { events += t.events(); nanos += t.totalNanos(); }
        heading.setText(String.format(Locale.ROOT, "%,d file and socket events on %d targets, %s waited%s", events, io.targets().size(),
                Units.duration(nanos), f.isNone() ? "" : " (filtered)"));
        if (!table.getItems().isEmpty()) table.getSelectionModel().select(0);
        else showStack(null);
    }

    private void showStack(IoTargets.Target t) {
        if (t == null || profile == null) { stack.setText(""); return; }
        StringBuilder b = new StringBuilder("Longest event on " + t.name() + " (" + Units.duration(t.maxNanos()) + "):\n");
        stack.setText(StackText.append(b, profile, t.longestStack()).toString());
    }

    public List<IoTargets.Target> rows() { return List.copyOf(table.getItems()); }

    public TableView<IoTargets.Target> table() { return table; }

    public String stackText() { return stack.getText(); }

    public String headingText() { return heading.getText(); }
}
