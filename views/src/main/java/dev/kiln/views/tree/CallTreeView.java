// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.tree;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.Weight;
import dev.kiln.analysis.Weights;
import dev.kiln.analysis.jvm.JvmWeights;
import dev.kiln.analysis.tree.CallTree;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.Units;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.controlsfx.control.SegmentedButton;
import org.controlsfx.control.textfield.TextFields;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A call tree as a table: top-down (callers first) or, in "Hot methods" mode, bottom-up (each function's self
 * weight first, then its callers), with columns function, total, total %, self and self %. Tree items are created
 * only when their parent is expanded, so trees with hundreds of thousands of nodes open instantly; every column
 * sorts (children are sorted within their parent). A weight selector offers {@link JvmWeights#available}, a search
 * field expands to and selects the first node (depth-first order) whose function matches a regular expression.
 *
 * <p>{@link #setProfile} computes both trees in a background {@link Task}; {@link #setData} shows an already
 * computed {@link Data} synchronously (tests, or a shell that computed it itself). The selected node and its
 * function name are observable ({@link #selectedFunctionProperty()}), and {@link #selectFunction} selects a
 * function from outside (e.g. the flame graph). Must be used on the FX thread.
 */
public class CallTreeView extends BorderPane {
    /** Everything the view shows, computed off the FX thread; immutable. */
    public record Data(Profile profile, List<Weight> weights, Weight weight, Filter filter, CallTree topDown,
                       CallTree inverted) {
        /** Builds both trees of one weight (the profile's default weight when {@code weight} is null). */
        public static Data compute(Profile profile, Weight weight, Filter filter, ProgressSink progress) {
            List<Weight> all = JvmWeights.available(profile);
            Weight w = weight != null ? weight : Weights.defaultWeight(profile);
            Filter f = filter == null ? Filter.NONE : filter;
            if (w == null) return new Data(profile, all, null, f, null, null);
            CallTree down = CallTree.build(profile, w, f, CallTree.Options.DEFAULT, progress);
            CallTree up = CallTree.build(profile, w, f, CallTree.Options.DEFAULT.withInverted(true), progress);
            return new Data(profile, all, w, f, down, up);
        }
    }

    /** How deep the initially expanded hot path goes, and the share of the total its nodes must hold. */
    static final int HOT_PATH_LEVELS = 12;
    static final double HOT_PATH_SHARE = 0.2;

    private final TreeTableView<Integer> table = new TreeTableView<>();
    private final ComboBox<Weight> weightBox = new ComboBox<>();
    private final ToggleButton treeToggle = new ToggleButton("Call tree");
    private final ToggleButton hotToggle = new ToggleButton("Hot methods");
    private final TextField search = TextFields.createClearableTextField();
    private final Label status = new Label("No profile");
    private final TreeTableColumn<Integer, Long> totalCol;
    private final ReadOnlyIntegerWrapper selectedNode = new ReadOnlyIntegerWrapper(this, "selectedNode", -1);
    private final ReadOnlyStringWrapper selectedFunction = new ReadOnlyStringWrapper(this, "selectedFunction", null);
    private final ReadOnlyObjectWrapper<Data> data = new ReadOnlyObjectWrapper<>(this, "data", null);
    private final Map<Integer, NodeItem> items = new HashMap<>();
    private CallTree tree;
    private Task<Data> running;
    private boolean updatingControls;

    public CallTreeView() {
        TreeTableColumn<Integer, String> fn = new TreeTableColumn<>("Function");
        fn.setCellValueFactory(c -> new javafx.beans.property.SimpleStringProperty(tree == null ? "" : tree.label(c.getValue().getValue())));
        fn.setPrefWidth(640);
        totalCol = numberColumn("Total", n -> tree.total(n), false);
        TreeTableColumn<Integer, Long> totalPct = numberColumn("Total %", n -> tree.total(n), true);
        TreeTableColumn<Integer, Long> self = numberColumn("Self", n -> tree.self(n), false);
        TreeTableColumn<Integer, Long> selfPct = numberColumn("Self %", n -> tree.self(n), true);
        table.getColumns().setAll(List.of(fn, totalCol, totalPct, self, selfPct));
        totalCol.setSortType(TreeTableColumn.SortType.DESCENDING);
        table.getSortOrder().setAll(List.of(totalCol));
        table.setShowRoot(true);
        table.setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No call tree: the profile has no samples or events with stacks"));
        table.getSelectionModel().selectedItemProperty().addListener((o, a, item) -> {
            int n = item == null || tree == null ? -1 : item.getValue();
            selectedNode.set(n);
            selectedFunction.set(n <= 0 ? null : tree.name(n));
        });

        weightBox.setPromptText("weight");
        weightBox.valueProperty().addListener((o, a, w) -> {
            Data d = data.get();
            if (!updatingControls && w != null && d != null && !w.equals(d.weight())) compute(d.profile(), w, d.filter());
        });
        hotToggle.selectedProperty().addListener((o, a, b) -> showTree());
        search.setPromptText("Search function (regex), Enter");
        search.setPrefColumnCount(28);
        search.setOnAction(e -> search(search.getText()));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        // top-down or bottom-up: a ControlsFX SegmentedButton keeps exactly one selected
        javafx.scene.control.ToggleGroup modeGroup = new javafx.scene.control.ToggleGroup();
        treeToggle.setToggleGroup(modeGroup);
        hotToggle.setToggleGroup(modeGroup);
        SegmentedButton mode = new SegmentedButton(treeToggle, hotToggle);
        mode.setToggleGroup(modeGroup);
        mode.setId("tree-mode");
        treeToggle.setSelected(true);
        treeToggle.setTooltip(new Tooltip("Top-down: callers above their callees"));
        hotToggle.setTooltip(new Tooltip("Bottom-up: functions by self time, their callers below"));
        modeGroup.selectedToggleProperty().addListener((o, a, b) -> { if (b == null) a.setSelected(true); });
        HBox bar = new HBox(8, new Label("Weight"), weightBox, mode, search, spacer, status);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6));
        setTop(bar);
        setCenter(table);
    }

    private TreeTableColumn<Integer, Long> numberColumn(String title, Function<Integer, Long> value, boolean percent) {
        TreeTableColumn<Integer, Long> c = new TreeTableColumn<>(title);
        c.setCellValueFactory(f -> new javafx.beans.property.SimpleObjectProperty<>(tree == null ? 0L : value.apply(f.getValue().getValue())));
        c.setCellFactory(col -> new TreeTableCell<>() {
            @Override
            protected void updateItem(Long v, boolean empty) {
                super.updateItem(v, empty);
                if (empty || v == null || tree == null) setText(null);
                else setText(percent ? Units.percent(v, tree.rootTotal()) : Units.format(v, tree.weight().type().unit()));
            }
        });
        c.setStyle("-fx-alignment: CENTER-RIGHT;");
        c.setPrefWidth(percent ? 80 : 110);
        return c;
    }

    // ---- data

    /** Computes the default weight's trees of {@code profile} in the background, then shows them. */
    public void setProfile(Profile profile) { setProfile(profile, Filter.NONE); }

    /** Computes the default weight's trees of {@code profile} under {@code filter} in the background, then shows them. */
    public void setProfile(Profile profile, Filter filter) { compute(profile, null, filter); }

    /**
     * Recomputes the current weight's trees under {@code filter} in the background (also while the first trees
     * are still being computed).
     */
    public void setFilter(Filter filter) {
        Data d = data.get();
        if (d != null) compute(d.profile(), d.weight(), filter);
        else if (pendingProfile != null) compute(pendingProfile, pendingWeight, filter);
    }

    private Profile pendingProfile;
    private String pendingFunction;
    private Weight pendingWeight;

    private void compute(Profile profile, Weight weight, Filter filter) {
        if (running != null) running.cancel();
        pendingProfile = profile;
        pendingWeight = weight;
        Task<Data> task = new Task<>() {
            @Override
            protected Data call() {
                Task<Data> self = this;
                return Data.compute(profile, weight, filter, new ProgressSink() {
                    @Override
                    public void progress(long done, long total, String what) { updateProgress(done, total); }

                    @Override
                    public boolean isCancelled() { return self.isCancelled(); }
                });
            }
        };
        running = task;
        status.setText("Computing call tree…");
        task.setOnSucceeded(e -> {
            if (running == task) setData(task.getValue());
        });
        task.setOnFailed(e -> status.setText("Failed: " + task.getException().getMessage()));
        Thread t = new Thread(task, "kiln-calltree");
        t.setDaemon(true);
        t.start();
    }

    /** Shows computed trees now (FX thread). */
    public void setData(Data d) {
        data.set(d);
        updatingControls = true;
        try {
            weightBox.getItems().setAll(d.weights());
            weightBox.setValue(d.weight());
        } finally {
            updatingControls = false;
        }
        showTree();
    }

    /** The data shown, or null. */
    public Data getData() { return data.get(); }

    /** The data shown (changes when a background computation is shown). */
    public ReadOnlyObjectProperty<Data> dataProperty() { return data.getReadOnlyProperty(); }

    /** Whether "Hot methods" (bottom-up) mode is on. */
    public boolean isHotMethods() { return hotToggle.isSelected(); }

    public void setHotMethods(boolean on) { (on ? hotToggle : treeToggle).setSelected(true); }

    /** The tree shown now (top-down or inverted), or null. */
    public CallTree shownTree() { return tree; }

    /** The table, for the shell and tests (read-only use). */
    public TreeTableView<Integer> table() { return table; }

    private void showTree() {
        Data d = data.get();
        String keep = pendingFunction != null ? pendingFunction : selectedFunction.get();
        pendingFunction = null;
        items.clear();
        tree = d == null ? null : hotToggle.isSelected() ? d.inverted() : d.topDown();
        if (tree == null) {
            table.setRoot(null);
            status.setText(d == null ? "No profile" : "No weights");
            return;
        }
        NodeItem root = new NodeItem(0);
        table.setRoot(root);
        root.setExpanded(true);
        if (hotToggle.isSelected()) {
            status.setText(String.format("%,d functions · %s total", root.getChildren().size(), Units.format(tree.rootTotal(), tree.weight().type().unit())));
        } else {
            status.setText(String.format("%,d call paths · %s total", tree.size() - 1, Units.format(tree.rootTotal(), tree.weight().type().unit())));
        }
        // Open the hot path: follow the heaviest child while it holds at least HOT_PATH_SHARE of the whole.
        TreeItem<Integer> item = root;
        for (int level = 0; level < HOT_PATH_LEVELS && !item.isLeaf(); level++) {
            TreeItem<Integer> heaviest = null;
            for (TreeItem<Integer> c : item.getChildren()) if (heaviest == null || tree.total(c.getValue()) > tree.total(heaviest.getValue())) heaviest = c;
            if (heaviest == null || tree.total(heaviest.getValue()) < HOT_PATH_SHARE * tree.rootTotal()) break;
            heaviest.setExpanded(true);
            item = heaviest;
        }
        if (keep != null) selectFunction(keep); // the selection survives a new filter, weight or mode
    }

    // ---- selection and search

    public ReadOnlyIntegerProperty selectedNodeProperty() { return selectedNode.getReadOnlyProperty(); }

    /** The function name of the selected node (null for none or the root). */
    public ReadOnlyStringProperty selectedFunctionProperty() { return selectedFunction.getReadOnlyProperty(); }

    /**
     * Selects the node of function {@code name} with the largest total (expanding its ancestors and scrolling to
     * it); returns false, changing nothing, when no node has that name. Before the first tree is shown it
     * returns false and selects the function once the tree is shown.
     */
    public boolean selectFunction(String name) {
        if (name == null) return false;
        if (tree == null) {
            pendingFunction = name;
            return false;
        }
        int best = -1;
        for (int n = 1; n < tree.size(); n++) {
            if (tree.name(n).equals(name) && (best < 0 || tree.total(n) > tree.total(best))) best = n;
        }
        if (best < 0) return false;
        selectNode(best);
        status.setText("Selected " + name);
        return true;
    }

    /**
     * Selects the first node, in depth-first order, whose label contains a match of {@code regex}; returns it,
     * or -1 (also for an invalid expression, shown in the status).
     */
    public int search(String regex) {
        if (tree == null || regex == null || regex.isBlank()) return -1;
        Pattern p;
        try {
            p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            status.setText("Bad regex: " + e.getDescription());
            return -1;
        }
        for (int n = 1; n < tree.size(); n++) {
            if (p.matcher(tree.label(n)).find()) {
                selectNode(n);
                status.setText("Found " + tree.label(n));
                return n;
            }
        }
        status.setText("No match for " + regex);
        return -1;
    }

    /** Expands the ancestors of a node, selects it and scrolls to it. */
    public void selectNode(int node) {
        List<Integer> path = new ArrayList<>();
        for (int n = node; n > 0; n = tree.parent(n)) path.add(0, n);
        NodeItem item = (NodeItem) table.getRoot();
        item.setExpanded(true);
        for (int n : path) {
            item.setExpanded(true);
            item.getChildren(); // materialize
            item = items.get(n);
        }
        table.getSelectionModel().select(item);
        int row = table.getRow(item);
        if (row >= 0) table.scrollTo(Math.max(0, row - 3));
    }

    // ---- lazy items

    private Comparator<TreeItem<Integer>> currentOrder() {
        Comparator<TreeItem<Integer>> c = table.getComparator();
        return c != null ? c : Comparator.comparingLong((TreeItem<Integer> i) -> tree.total(i.getValue())).reversed();
    }

    /** A tree row whose children are created the first time they are asked for. */
    private final class NodeItem extends TreeItem<Integer> {
        private boolean loaded;

        NodeItem(int node) {
            super(node);
            items.put(node, this);
        }

        @Override
        public boolean isLeaf() {
            int n = getValue();
            return tree.subtreeEnd(n) == n + 1;
        }

        @Override
        public javafx.collections.ObservableList<TreeItem<Integer>> getChildren() {
            if (!loaded) {
                loaded = true;
                int n = getValue();
                List<TreeItem<Integer>> kids = new ArrayList<>();
                for (int c = n + 1; c < tree.subtreeEnd(n); c = tree.subtreeEnd(c)) kids.add(new NodeItem(c));
                kids.sort(currentOrder());
                super.getChildren().setAll(kids);
            }
            return super.getChildren();
        }
    }
}
