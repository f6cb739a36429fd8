// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.tree;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.FilteredStacks;
import dev.kiln.analysis.StackTransform;
import dev.kiln.analysis.Weight;
import dev.kiln.analysis.Weights;
import dev.kiln.analysis.source.SourceLines;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.Units;
import dev.kiln.views.common.BackgroundJob;
import dev.kiln.views.common.TableColumns;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The source lines of one function with the flat and cum weight of each ({@code go tool pprof -list} in a table):
 * from five lines before its first sampled line to five after its last, sampled lines in bold. The source text
 * comes from a {@link SourceLookup} the shell gives (the view reads no file); without the text the sampled lines
 * still show by number, with a word and a button ({@link #setOnAddSourceRoot}) to point Kiln at the sources. A
 * function found in several files offers a choice of file. Follows {@link #show}; the shown function is
 * {@link #functionProperty()}. Computations run in the background; must be used on the FX thread.
 */
public class SourceView extends BorderPane {
    /** A found source: where it is and its lines (line 1 at index 0). */
    public record SourceText(String location, List<String> lines) { }

    /** Finds the text of a file a profile names (called off the FX thread). */
    @FunctionalInterface
    public interface SourceLookup {
        Optional<SourceText> find(String recordedPath);
    }

    /** One row: a line number, its weights and its text (null when the source was not found). */
    public record Row(int line, long flat, long cum, String text) { }

    private static List<Row> rows(SourceLines.Routine routine, List<String> text) {
        List<Row> out = new ArrayList<>();
        for (SourceLines.Listed l : SourceLines.listing(routine, text)) out.add(new Row(l.line(), l.flat(), l.cum(), l.text()));
        return out;
    }

    /** One function in one file with its rows and where its source was found (null: not found). */
    public record Listing(String function, String file, String location, long flat, long cum, List<Row> rows) { }

    /** What the view shows. Immutable. */
    public record Data(Profile profile, Weight weight, String function, long total, List<Listing> listings) {
        public static Data compute(Profile profile, Weight weight, Filter filter, String function, SourceLookup lookup,
                                   ProgressSink progress) {
            Weight w = weight != null ? weight : Weights.defaultWeight(profile);
            Filter f = filter == null ? Filter.NONE : filter;
            if (w == null || function == null) return new Data(profile, w, function, 0, List.of());
            FilteredStacks rows = FilteredStacks.of(StackTransform.of(profile, f), w, f, progress);
            SourceLines.Result r = SourceLines.of(rows, Pattern.compile("^" + Pattern.quote(function) + "$"));
            List<Listing> out = new ArrayList<>();
            for (SourceLines.Routine routine : r.routines()) {
                Optional<SourceText> text = lookup == null ? Optional.empty() : lookup.find(routine.file());
                out.add(new Listing(routine.function(), routine.file(), text.map(SourceText::location).orElse(null),
                        routine.flat(), routine.cum(), rows(routine, text.map(SourceText::lines).orElse(null))));
            }
            out.sort((a, b) -> Long.compare(b.cum(), a.cum()));
            return new Data(profile, w, function, r.total(), List.copyOf(out));
        }
    }

    private final Label title = new Label("Select a function in the flame graph, call tree or peek");
    private final Label status = new Label("");
    private final Label hint = new Label();
    private final Button addRoot = new Button("Add Source Folder…");
    private final ComboBox<Listing> files = new ComboBox<>();
    private final TableView<Row> table = new TableView<>();
    private final ReadOnlyStringWrapper function = new ReadOnlyStringWrapper(this, "function");
    private final BackgroundJob<Data> job = new BackgroundJob<>("kiln-source");
    private Profile profile;
    private Filter filter = Filter.NONE;
    private SourceLookup lookup;
    private Data data;

    public SourceView() {
        title.setStyle("-fx-font-weight: bold;");
        files.setVisible(false);
        files.managedProperty().bind(files.visibleProperty());
        files.valueProperty().addListener((o, a, l) -> showListing(l));
        files.setCellFactory(c -> new javafx.scene.control.ListCell<>() {
            @Override
            protected void updateItem(Listing l, boolean empty) {
                super.updateItem(l, empty);
                setText(empty || l == null ? null : l.file());
            }
        });
        files.setButtonCell(files.getCellFactory().call(null));
        addRoot.setDisable(true);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(8, title, files, spacer, status, addRoot);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6));
        hint.setWrapText(true);
        hint.setPadding(new Insets(0, 6, 4, 6));
        hint.managedProperty().bind(hint.visibleProperty());
        hint.setVisible(false);
        setTop(new VBox(bar, hint));
        table.setPlaceholder(new Label("No source lines: the function has no weight here, or its frames have no line numbers"));
        TableColumn<Row, Long> flat = TableColumns.number("Self", Row::flat, this::dot, 110), cum = TableColumns.number("Total", Row::cum, this::dot, 110);
        TableColumn<Row, Number> line = new TableColumn<>("Line");
        line.setCellValueFactory(v -> new SimpleObjectProperty<>(v.getValue().line()));
        line.setStyle("-fx-alignment: CENTER-RIGHT;");
        line.setPrefWidth(70);
        TableColumn<Row, String> text = new TableColumn<>("Source");
        text.setCellValueFactory(v -> new SimpleStringProperty(v.getValue().text() == null ? "" : v.getValue().text().replace("\t", "    ")));
        text.setStyle("-fx-font-family: monospace;");
        text.setPrefWidth(900);
        table.getColumns().addAll(List.of(flat, cum, line, text));
        table.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(Row r, boolean empty) {
                super.updateItem(r, empty);
                setStyle(!empty && r != null && r.cum() > 0 ? "-fx-font-weight: bold;" : "");
            }
        });
        setCenter(table);
    }

    private String dot(long v) { return v == 0 ? "." : data == null ? "" : Units.format(v, data.weight().type().unit()); }

    /** What the "Add Source Folder…" button does (the shell asks for a folder, then calls {@link #setLookup}). */
    public void setOnAddSourceRoot(Runnable action) {
        addRoot.setOnAction(e -> action.run());
        addRoot.setDisable(action == null);
    }

    /** Where source texts come from; shows the current function again with it. */
    public void setLookup(SourceLookup lookup) {
        this.lookup = lookup;
        if (profile != null && function.get() != null) compute(function.get());
    }

    public void setProfile(Profile profile, Filter filter) {
        this.profile = profile;
        this.filter = filter == null ? Filter.NONE : filter;
        if (function.get() != null) compute(function.get());
    }

    /** Shows the source of {@code functionName} (in the background). */
    public void show(String functionName) {
        if (profile == null || functionName == null) return;
        compute(functionName);
    }

    private void compute(String fn) {
        Profile p = profile;
        Filter f = filter;
        SourceLookup l = lookup;
        Weight w = data == null || data.profile() != p ? null : data.weight();
        job.run(status, "Finding the source…", progress -> Data.compute(p, w, f, fn, l, progress), this::setData);
    }

    /** Shows computed data now (FX thread). */
    public void setData(Data d) {
        data = d;
        profile = d.profile();
        function.set(d.function());
        files.getItems().setAll(d.listings());
        files.setVisible(d.listings().size() > 1);
        if (d.listings().isEmpty()) {
            title.setText(d.function() == null ? "Select a function" : d.function());
            table.getItems().clear();
            hint.setText(d.function() == null ? "" : "No line information for " + d.function() + " (its frames name no file or line).");
            hint.setVisible(d.function() != null);
            status.setText("");
            return;
        }
        files.setValue(d.listings().get(0));
        showListing(d.listings().get(0));
    }

    private void showListing(Listing l) {
        if (l == null || data == null) return;
        String unit = data.weight().type().unit();
        title.setText(l.function() + " in " + l.file());
        table.getItems().setAll(l.rows());
        status.setText("self " + Units.format(l.flat(), unit) + " · total " + Units.format(l.cum(), unit) + " ("
                + Units.percent(l.cum(), data.total()) + ")");
        boolean missing = l.location() == null;
        hint.setText(missing ? "Source not found for " + l.file() + ": the sampled lines are shown by number. Add the folder"
                + " that holds the code (a checkout, or a folder with -sources.jar files); Kiln finds the file by the longest"
                + " matching end of its recorded path." : "Source: " + l.location());
        hint.setVisible(true);
        int first = 0;
        while (first < l.rows().size() && l.rows().get(first).cum() == 0) first++;
        if (first < l.rows().size()) table.scrollTo(Math.max(0, first - 2));
    }

    public Data getData() { return data; }

    public ReadOnlyStringProperty functionProperty() { return function.getReadOnlyProperty(); }

    public TableView<Row> table() { return table; }

    public Label hintLabel() { return hint; }
}
