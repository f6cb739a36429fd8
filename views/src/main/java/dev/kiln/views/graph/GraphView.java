// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.graph;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.FilteredStacks;
import dev.kiln.analysis.StackTransform;
import dev.kiln.analysis.Weight;
import dev.kiln.analysis.Weights;
import dev.kiln.analysis.jvm.JvmWeights;
import dev.kiln.analysis.graph.CallGraph;
import dev.kiln.analysis.graph.GraphDrawing;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.views.common.BackgroundJob;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.controlsfx.control.textfield.TextFields;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The call graph ({@code go tool pprof -http}'s Graph): functions as boxes sized by flat and coloured by cum, calls
 * as weighted edges, pruned to the nodes that matter ({@link CallGraph}), laid out in layers. A bar chooses the
 * weight and the node count, searches (matching boxes are outlined), and shows and clears the focus; clicking a box
 * focuses the graph on that function (only the stacks through it, as pprof's {@code -focus}) and makes it the
 * selected function ({@link #functionProperty()}), which the shell shares with the other views. Scroll zooms, drag
 * pans, "Fit" shows it all. The graph is computed in the background for the filter the shell gives
 * ({@link #setProfile}); FX thread only.
 */
public class GraphView extends BorderPane {
    /** Node counts offered; 0 means no limit. */
    static final List<Integer> NODE_COUNTS = List.of(20, 40, 80, 160, 0);

    /** What the view shows: the graph of a weight (null when the capture has none) for a filter and focus. Immutable. */
    public record Data(Profile profile, List<Weight> weights, Weight weight, Filter filter, String focus, int nodeCount,
                       CallGraph graph, GraphDrawing drawing) {
        /** The graph for {@code weight} (null: the default), the shell's filter, an optional focus function and node count. */
        public static Data compute(Profile profile, Weight weight, Filter filter, String focus, int nodeCount, ProgressSink progress) {
            List<Weight> all = JvmWeights.available(profile);
            Weight w = weight != null ? weight : Weights.defaultWeight(profile);
            Filter f = filter == null ? Filter.NONE : filter;
            if (w == null) return new Data(profile, all, null, f, focus, nodeCount, null, null);
            Filter used = focus == null ? f : f.withFocus(Pattern.compile("^" + Pattern.quote(focus) + "$"));
            CallGraph g = CallGraph.of(FilteredStacks.of(StackTransform.of(profile, used), w, used, progress), CallGraph.Options.nodeCount(nodeCount));
            return new Data(profile, all, w, f, focus, nodeCount, g, GraphDrawing.of(g));
        }
    }

    private final GraphCanvas canvas = new GraphCanvas();
    private final ComboBox<Weight> weightBox = new ComboBox<>();
    private final ComboBox<Integer> nodesBox = new ComboBox<>();
    private final TextField search = TextFields.createClearableTextField();
    private final Label focusLabel = new Label(), status = new Label("No profile");
    private final Button clearFocus = new Button("Clear focus");
    private final ReadOnlyStringWrapper function = new ReadOnlyStringWrapper(this, "function");
    private final BackgroundJob<Data> job = new BackgroundJob<>("kiln-graph");
    private Profile profile;
    private Filter filter = Filter.NONE;
    private Data data;
    private boolean updating;

    public GraphView() {
        getStyleClass().add("graph-view");
        weightBox.valueProperty().addListener((o, a, b) -> {
            if (!updating && b != null && profile != null) compute(b, focus(), nodeCount());
        });
        nodesBox.getItems().setAll(NODE_COUNTS);
        nodesBox.setValue(CallGraph.Options.DEFAULT.nodeCount());
        nodesBox.setConverter(new javafx.util.StringConverter<>() {
            @Override public String toString(Integer n) { return n == null ? "" : n == 0 ? "all" : n.toString(); }

            @Override public Integer fromString(String s) { return s.equals("all") ? 0 : Integer.valueOf(s); }
        });
        nodesBox.valueProperty().addListener((o, a, b) -> {
            if (!updating && b != null && profile != null) compute(weightBox.getValue(), focus(), b);
        });
        search.setPromptText("Highlight functions (regex)");
        search.setPrefColumnCount(22);
        search.textProperty().addListener((o, a, b) -> highlight(b));
        clearFocus.setOnAction(e -> compute(weightBox.getValue(), null, nodeCount()));
        clearFocus.setDisable(true);
        Button fit = new Button("Fit");
        fit.setOnAction(e -> canvas.fit());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(8, new Label("Value"), weightBox, new Label("Nodes"), nodesBox, search, fit, focusLabel, clearFocus, spacer, status);
        for (javafx.scene.Node n : bar.getChildren()) if (n instanceof Region r && n != status && n != spacer) r.setMinWidth(Region.USE_PREF_SIZE);
        status.setMinWidth(0); // a long legend is cut, not the controls
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6));
        setTop(bar);
        setCenter(canvas);
        canvas.setOnNodeClicked(n -> {
            String name = data.graph().nodes().get(n).name();
            function.set(name);
            compute(weightBox.getValue(), name, nodeCount());
        });
    }

    private String focus() { return data == null ? null : data.focus(); }

    private int nodeCount() { return nodesBox.getValue() == null ? CallGraph.Options.DEFAULT.nodeCount() : nodesBox.getValue(); }

    /** Shows the graph of the profile for the shell's filter (keeping the weight, focus and node count), in the background. */
    public void setProfile(Profile profile, Filter filter) {
        boolean same = data != null && data.profile() == profile;
        this.profile = profile;
        this.filter = filter == null ? Filter.NONE : filter;
        compute(same ? data.weight() : null, same ? data.focus() : null, nodeCount());
    }

    /** Outlines the node of a function chosen elsewhere (the call tree, the flame graph); no change when it is not shown. */
    public void select(String functionName) {
        if (functionName == null || functionName.equals(function.get())) return;
        function.set(functionName);
        if (search.getText().isEmpty()) markNamed(functionName);
    }

    private void compute(Weight w, String focus, int nodes) {
        Profile p = profile;
        Filter f = filter;
        job.run(status, "Building the call graph…", progress -> Data.compute(p, w, f, focus, nodes, progress), this::setData);
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
            nodesBox.setValue(d.nodeCount());
        } finally {
            updating = false;
        }
        focusLabel.setText(d.focus() == null ? "" : "Focus: " + d.focus());
        clearFocus.setDisable(d.focus() == null);
        canvas.setDrawing(d.drawing());
        if (d.graph() == null) {
            status.setText("No samples or events in this capture");
            return;
        }
        status.setText(d.weight() + " · " + String.join(" · ", d.drawing().legend()));
        status.setTooltip(new javafx.scene.control.Tooltip(String.join("\n", d.drawing().legend())));
        if (!search.getText().isEmpty()) highlight(search.getText());
        else if (function.get() != null) markNamed(function.get());
    }

    private void highlight(String regex) {
        if (data == null || data.graph() == null) return;
        if (regex == null || regex.isBlank()) { canvas.setMatches(null); return; }
        Pattern p;
        try {
            p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            status.setText("Not a regular expression: " + e.getDescription());
            return;
        }
        List<CallGraph.Node> nodes = data.graph().nodes();
        boolean[] m = new boolean[nodes.size()];
        int count = 0;
        for (int i = 0; i < m.length; i++) if (m[i] = p.matcher(nodes.get(i).name()).find()) count++;
        canvas.setMatches(m);
        status.setText(count + " of " + nodes.size() + " functions match");
    }

    private void markNamed(String name) {
        if (data == null || data.graph() == null) return;
        int i = data.graph().indexOf(name);
        if (i < 0) { canvas.setMatches(null); return; }
        boolean[] m = new boolean[data.graph().nodes().size()];
        m[i] = true;
        canvas.setMatches(m);
    }

    public Data getData() { return data; }

    /** The function last clicked here or selected elsewhere. */
    public ReadOnlyStringProperty functionProperty() { return function.getReadOnlyProperty(); }

    public TextField searchField() { return search; }

    public Label statusLabel() { return status; }

    public Button clearFocusButton() { return clearFocus; }

    /** The canvas region (for tests: clicking a node, painting into a recording surface). */
    GraphCanvas canvas() { return canvas; }
}
