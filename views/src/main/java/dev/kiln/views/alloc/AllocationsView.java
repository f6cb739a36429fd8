// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.alloc;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.alloc.Allocations;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.Units;
import dev.kiln.model.ValueType;
import dev.kiln.views.common.BackgroundJob;
import dev.kiln.views.common.TableColumns;
import dev.kiln.views.common.StackText;
import javafx.beans.property.SimpleStringProperty;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.controlsfx.control.table.TableFilter;

import java.util.List;
import java.util.Locale;

/**
 * Allocations: the top allocated classes (or, for profiles without classes such as Go heap profiles, the top
 * allocation sites) with every value column of the source and a share of the selected one; selecting a class shows
 * its allocation stacks (top frames, leaf first) below. A value selector switches the column that sorts and shares
 * (JFR bytes / events; pprof inuse/alloc space/objects). Class names are shown as recorded by the reader.
 *
 * <p>{@link #setProfile} computes in a background {@link Task}; {@link #setData} shows computed {@link Data} now.
 */
public class AllocationsView extends BorderPane {
    /** Frames (leaf first) shown per allocation stack. */
    public static final int STACK_FRAMES = 5;

    /** What the view shows; {@code allocations} is null when the profile has none. Immutable. */
    public record Data(Profile profile, Allocations allocations) {
        public static Data compute(Profile p, Filter filter, ProgressSink progress) {
            return new Data(p, Allocations.applies(p) ? Allocations.of(p, filter == null ? Filter.NONE : filter, progress) : null);
        }
    }

    private final ComboBox<ValueType> valueBox = new ComboBox<>();
    private final Label status = new Label("No profile");
    private final TableView<Allocations.Row> rows = new TableView<>();
    private final TableView<Allocations.StackRow> stacks = new TableView<>();
    /** ControlsFX's column filters on the class (or site) table: its items are the filter's backing list. */
    private final TableFilter<Allocations.Row> rowsFilter;
    private final Label stacksTitle = new Label("Allocation stacks");
    private Data data;
    private final BackgroundJob<Data> job = new BackgroundJob<>("kiln-allocs");
    private boolean updating;

    public AllocationsView() {
        valueBox.valueProperty().addListener((o, a, b) -> {
            if (!updating) refresh();
        });
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(8, new Label("Value"), valueBox, spacer, status);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6));
        setTop(bar);
        rows.setPlaceholder(new Label("No allocations in this profile"));
        rowsFilter = TableFilter.forTableView(rows).lazy(true).apply(); // right-click a column header to filter
        rows.getSelectionModel().selectedItemProperty().addListener((o, a, r) -> showStacks(r));
        stacks.setPlaceholder(new Label("Select a class"));
        stacksTitle.setStyle("-fx-font-weight: bold;");
        stacksTitle.setPadding(new Insets(4, 6, 2, 6));
        VBox.setVgrow(stacks, Priority.ALWAYS);
        SplitPane split = new SplitPane(rows, new VBox(stacksTitle, stacks));
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.55);
        setCenter(split);
    }

    private int column() {
        if (data == null || data.allocations() == null) return 0;
        int c = data.allocations().valueTypes().indexOf(valueBox.getValue());
        return c < 0 ? data.allocations().defaultColumn() : c;
    }

    private static String fmt(long v, ValueType t) { return Units.format(v, t.unit()); }

    private void buildColumns(Allocations a) {
        rows.getColumns().clear();
        stacks.getColumns().clear();
        TableColumn<Allocations.Row, String> name = new TableColumn<>(a.hasClasses() ? "Class" : "Allocation site");
        name.setCellValueFactory(v -> new SimpleStringProperty(v.getValue().name()));
        name.setPrefWidth(520);
        rows.getColumns().add(name);
        TableColumn<Allocations.StackRow, String> frames = new TableColumn<>("Allocation stack (top frames, leaf first)");
        frames.setCellValueFactory(v -> new SimpleStringProperty(frames(v.getValue().stack())));
        frames.setPrefWidth(820);
        stacks.getColumns().add(frames);
        for (int c = 0; c < a.valueTypes().size(); c++) {
            int col = c;
            ValueType t = a.valueTypes().get(c);
            rows.getColumns().add(TableColumns.number(t.toString(), r -> r.values()[col], v -> fmt(v, t), 130));
            stacks.getColumns().add(TableColumns.number(t.toString(), r -> r.values()[col], v -> fmt(v, t), 130));
        }
        rows.getColumns().add(TableColumns.number("%", r -> r.values()[column()], v -> Units.percent(v, a.total(column())), 80));
        stacks.getColumns().add(TableColumns.number("%", r -> r.values()[column()], v -> Units.percent(v, a.total(column())), 80));
    }

    private String frames(int stack) {
        return StackText.leafFirst(data.profile(), stack, STACK_FRAMES, Allocations.NO_STACK);
    }

    // ---- data

    /** Computes the allocations of {@code profile} in the background, then shows them. */
    public void setProfile(Profile profile) { setProfile(profile, Filter.NONE); }

    public void setProfile(Profile profile, Filter filter) {
        job.run(status, "Computing allocations…", progress -> Data.compute(profile, filter, progress), this::setData);
    }

    /** Shows computed data now (FX thread). */
    public void setData(Data d) {
        data = d;
        Allocations a = d.allocations();
        updating = true;
        try {
            valueBox.getItems().setAll(a == null ? List.of() : a.valueTypes());
            valueBox.setValue(a == null ? null : a.valueTypes().get(a.defaultColumn()));
        } finally {
            updating = false;
        }
        if (a == null) {
            rowsFilter.getBackingList().clear();
            stacks.getItems().clear();
            status.setText("No allocation data (JFR allocation samples or a heap profile)");
            return;
        }
        buildColumns(a);
        refresh();
    }

    public Data getData() { return data; }

    public TableView<Allocations.Row> rowsTable() { return rows; }

    public TableView<Allocations.StackRow> stacksTable() { return stacks; }

    public ComboBox<ValueType> valueBox() { return valueBox; }

    /** The class table's column filters (ControlsFX TableFilter: right-click a column header). */
    public TableFilter<Allocations.Row> rowsFilter() { return rowsFilter; }

    private void refresh() {
        if (data == null || data.allocations() == null) return;
        Allocations a = data.allocations();
        int c = column();
        List<Allocations.Row> top = a.top(a.hasClasses() ? Allocations.By.CLASS : Allocations.By.SITE, c, 0, 0);
        rowsFilter.getBackingList().setAll(top);
        rows.refresh();
        status.setText(String.format(Locale.ROOT, "%,d %s · %s total (%s)", top.size(), a.hasClasses() ? "classes" : "sites",
                fmt(a.total(c), a.valueTypes().get(c)), a.source()));
        if (!top.isEmpty()) rows.getSelectionModel().select(0);
    }

    private void showStacks(Allocations.Row r) {
        if (r == null || data == null || data.allocations() == null) {
            stacks.getItems().clear();
            return;
        }
        Allocations a = data.allocations();
        if (a.hasClasses()) {
            stacksTitle.setText("Allocation stacks of " + r.name());
            stacks.getItems().setAll(a.stacksOfClass(r.name(), column()));
        } else {
            stacksTitle.setText("Classes are not recorded in this profile: the rows above are allocation sites");
            stacks.getItems().clear();
        }
    }
}
