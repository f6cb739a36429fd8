// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.tree;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.FilteredStacks;
import dev.kiln.analysis.StackTransform;
import dev.kiln.analysis.Weight;
import dev.kiln.analysis.Weights;
import dev.kiln.analysis.jvm.JvmWeights;
import dev.kiln.analysis.tree.Butterfly;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.Units;
import dev.kiln.views.common.BackgroundJob;
import dev.kiln.views.common.TableColumns;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.controlsfx.control.textfield.TextFields;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Callers and callees of one function (pprof's {@code -peek}, a butterfly): the callers' table above, the
 * function's self and total between, the callees' table below, each edge with the weight through it and its share of
 * the function's total. Direct recursion is not an edge of its own and the outermost frame has no caller, as in
 * pprof. Double-click (or Enter on) a caller or callee to peek at it; the search field peeks at the function with the
 * most total weight whose name matches a regular expression. The shown function is observable
 * ({@link #functionProperty()}) and can be set from outside ({@link #peek}), so the shell keeps it in step with
 * the call tree and the flame graph. Computations run in the background; must be used on the FX thread.
 */
public class PeekView extends BorderPane {
    /** What the view shows: the butterfly of a function (null when the profile has no weight) and the whole kept weight. Immutable. */
    public record Data(Profile profile, List<Weight> weights, Weight weight, Filter filter, Butterfly butterfly, long total) {
        /**
         * The butterfly of {@code function} (when null or without weight: the function with the most self weight)
         * for {@code weight} (null: the profile's default) and {@code filter}.
         */
        public static Data compute(Profile profile, Weight weight, Filter filter, String function, ProgressSink progress) {
            List<Weight> all = JvmWeights.available(profile);
            Weight w = weight != null ? weight : Weights.defaultWeight(profile);
            Filter f = filter == null ? Filter.NONE : filter;
            if (w == null) return new Data(profile, all, null, f, null, 0);
            FilteredStacks rows = FilteredStacks.of(StackTransform.of(profile, f), w, f, progress);
            Butterfly b = function == null ? null : Butterfly.of(rows, function, false);
            if (b == null || b.total() == 0) b = Butterfly.of(rows, topSelf(rows), false);
            return new Data(profile, all, w, f, withoutSelfAndRoot(b), rows.total());
        }

        private static final long[] NO_MATCH = {};

        /** The function matching {@code name} with the most total weight (each stack counted once), or null. */
        static String mostTotal(FilteredStacks rows, Pattern name) {
            StackTransform t = rows.transform();
            Profile p = t.profile();
            long[] byStack = rows.weightByStack();
            Map<String, long[]> total = new HashMap<>(); // name -> {total, last stack counted}
            for (int d = 0; d < byStack.length; d++) {
                if (byStack[d] == 0) continue;
                for (int x = d; x >= 0; x = t.parent(x)) {
                    String n = p.frameName(t.frame(x));
                    long[] v = total.get(n);
                    if (v == null) total.put(n, v = name.matcher(n).find() ? new long[] {0, -1} : NO_MATCH);
                    if (v == NO_MATCH) continue;
                    if (v[1] != d) { v[1] = d; v[0] += byStack[d]; }
                }
            }
            return total.entrySet().stream().filter(e -> e.getValue() != NO_MATCH && e.getValue()[0] > 0)
                    .max(Map.Entry.<String, long[]>comparingByValue((a, b) -> Long.compare(a[0], b[0]))
                            .thenComparing(Map.Entry::getKey, (a, b) -> b.compareTo(a)))
                    .map(Map.Entry::getKey).orElse(null);
        }

        private static String topSelf(FilteredStacks rows) {
            StackTransform t = rows.transform();
            long[] byStack = rows.weightByStack();
            Map<String, Long> self = new HashMap<>();
            for (int d = 0; d < byStack.length; d++) {
                if (byStack[d] != 0) self.merge(t.profile().frameName(t.frame(d)), byStack[d], Long::sum);
            }
            return self.entrySet().stream().max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry::getKey,
                    (a, b) -> b.compareTo(a))).map(Map.Entry::getKey).orElse("");
        }

        private static Butterfly withoutSelfAndRoot(Butterfly b) {
            return new Butterfly(b.function(), b.self(), b.total(), keep(b.callers(), b.function()), keep(b.callees(), b.function()));
        }

        private static List<Butterfly.Edge> keep(List<Butterfly.Edge> edges, String function) {
            return edges.stream().filter(e -> !e.name().equals(function) && !e.name().equals(Butterfly.ROOT)).toList();
        }
    }

    private final ComboBox<Weight> weightBox = new ComboBox<>();
    private final TextField search = TextFields.createClearableTextField();
    private final Label status = new Label("No profile");
    private final Label summary = new Label();
    private final TableView<Butterfly.Edge> callers = new TableView<>(), callees = new TableView<>();
    private final ReadOnlyStringWrapper function = new ReadOnlyStringWrapper(this, "function");
    private final BackgroundJob<Data> job = new BackgroundJob<>("kiln-peek");
    private Profile profile;
    private Filter filter = Filter.NONE;
    private Data data;
    private boolean updating;

    public PeekView() {
        search.setPromptText("Peek at function (regex), Enter");
        search.setPrefColumnCount(28);
        search.setOnAction(e -> peekMatching(search.getText()));
        weightBox.valueProperty().addListener((o, a, b) -> {
            if (!updating && b != null && profile != null) compute(b, function.get());
        });
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(8, new Label("Value"), weightBox, search, spacer, status);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6));
        setTop(bar);
        summary.setStyle("-fx-font-weight: bold; -fx-font-size: 1.1em;");
        summary.setPadding(new Insets(6));
        summary.setWrapText(true);
        Label callersTitle = new Label("Callers (who calls it; the weight of those calls)");
        Label calleesTitle = new Label("Callees (what it calls; the weight below it)");
        for (Label l : List.of(callersTitle, calleesTitle)) l.setPadding(new Insets(4, 6, 2, 6));
        setup(callers, "No callers: it is where its stacks start");
        setup(callees, "No callees: it only runs its own code");
        VBox.setVgrow(callers, Priority.ALWAYS);
        VBox.setVgrow(callees, Priority.ALWAYS);
        setCenter(new VBox(callersTitle, callers, summary, calleesTitle, callees));
    }

    private void setup(TableView<Butterfly.Edge> table, String empty) {
        table.setPlaceholder(new Label(empty));
        TableColumn<Butterfly.Edge, String> name = new TableColumn<>("Function");
        name.setCellValueFactory(v -> new SimpleStringProperty(v.getValue().name()));
        name.setPrefWidth(620);
        table.getColumns().add(name);
        table.getColumns().add(TableColumns.number("Through the call", Butterfly.Edge::total, this::format, 150));
        table.getColumns().add(TableColumns.number("% of its total", Butterfly.Edge::total, v -> data == null ? "" : Units.percent(v, data.butterfly().total()), 150));
        table.getColumns().add(TableColumns.number("Ending there (self)", Butterfly.Edge::self, this::format, 150));
        table.setRowFactory(t -> {
            TableRow<Butterfly.Edge> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && row.getItem() != null) peek(row.getItem().name());
            });
            return row;
        });
        table.setOnKeyPressed(e -> {
            if (e.getCode() == javafx.scene.input.KeyCode.ENTER && table.getSelectionModel().getSelectedItem() != null) {
                peek(table.getSelectionModel().getSelectedItem().name());
            }
        });
        table.setTooltip(new Tooltip("Double-click to peek at that function"));
    }

    private String format(long v) { return data == null || data.weight() == null ? "" : Units.format(v, data.weight().type().unit()); }

    // ---- data

    /** Shows the profile's top self function in the background. */
    public void setProfile(Profile profile, Filter filter) {
        this.profile = profile;
        this.filter = filter == null ? Filter.NONE : filter;
        compute(data == null || data.profile() != profile ? null : data.weight(), function.get());
    }

    /** Peeks at {@code functionName} (in the background); a name without weight shows the top self function. */
    public void peek(String functionName) {
        if (profile == null || functionName == null || (data != null && functionName.equals(function.get()))) return;
        compute(weightBox.getValue(), functionName);
    }

    private void peekMatching(String regex) {
        if (profile == null || regex == null || regex.isBlank()) return;
        Pattern p;
        try {
            p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            status.setText("Not a regular expression: " + e.getDescription());
            return;
        }
        Weight w = weightBox.getValue();
        Profile prof = profile;
        Filter f = filter;
        job.run(status, "Searching…", progress -> {
            Weight weight = w != null ? w : Weights.defaultWeight(prof);
            if (weight == null) return null;
            String best = Data.mostTotal(FilteredStacks.of(StackTransform.of(prof, f), weight, f, progress), p);
            return best == null ? null : Data.compute(prof, weight, f, best, progress);
        }, d -> {
            if (d == null) status.setText("No function with weight matches " + regex);
            else setData(d);
        });
    }

    private void compute(Weight w, String fn) {
        Profile p = profile;
        Filter f = filter;
        job.run(status, "Finding callers and callees…", progress -> Data.compute(p, w, f, fn, progress), this::setData);
    }

    /** Shows computed data now (FX thread). */
    public void setData(Data d) {
        data = d;
        profile = d.profile();
        filter = d.filter();
        updating = true;
        try {
            weightBox.getItems().setAll(d.weights());
            weightBox.setValue(d.weight());
        } finally {
            updating = false;
        }
        Butterfly b = d.butterfly();
        if (b == null) {
            callers.getItems().clear();
            callees.getItems().clear();
            summary.setText("");
            status.setText("No samples or events in this capture");
            return;
        }
        callers.getItems().setAll(b.callers());
        callees.getItems().setAll(b.callees());
        long whole = d.total();
        summary.setText(b.function() + "    self " + format(b.self()) + " (" + Units.percent(b.self(), whole) + ")    total "
                + format(b.total()) + " (" + Units.percent(b.total(), whole) + ")");
        status.setText(count(b.callers().size(), "caller") + " · " + count(b.callees().size(), "callee") + " · " + d.weight());
        function.set(b.function());
    }

    private static String count(int n, String what) { return n + " " + what + (n == 1 ? "" : "s"); }

    public Data getData() { return data; }

    /** The function shown. */
    public ReadOnlyStringProperty functionProperty() { return function.getReadOnlyProperty(); }

    public TableView<Butterfly.Edge> callersTable() { return callers; }

    public TableView<Butterfly.Edge> calleesTable() { return callees; }

    public TextField searchField() { return search; }

    public Label summaryLabel() { return summary; }
}
