// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.flame;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.Weight;
import dev.kiln.analysis.Weights;
import dev.kiln.analysis.jvm.JvmWeights;
import dev.kiln.analysis.tree.CallTree;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.Units;
import dev.kiln.views.common.CanvasPalette;
import dev.kiln.views.common.CanvasTheme;
import dev.kiln.views.common.DrawSurface;
import dev.kiln.views.common.PulseRedraw;
import dev.kiln.views.common.FxSurface;
import dev.kiln.views.common.TextFit;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.util.Duration;
import javafx.util.StringConverter;
import org.controlsfx.control.BreadCrumbBar;
import org.controlsfx.control.SegmentedButton;
import org.controlsfx.control.textfield.TextFields;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An interactive flame graph of one weight of a {@link Profile}. Above the graph: a weight selector
 * ({@link JvmWeights#available}: the thrown exceptions too), icicle/flame orientation (a ControlsFX {@link SegmentedButton}), an inverted (bottom-up)
 * toggle, and a clearable regex search (Ctrl+F focuses it, Esc or its × clears it) that paints matching frames magenta
 * and shows the matched share of the total; below those a {@link BreadCrumbBar} of the zoom path. Click a box to zoom into it, Backspace zooms out one
 * level, double-click resets; drag or scroll moves deep graphs vertically; hovering shows a tooltip with name,
 * self, total and share of the root.
 *
 * <p>{@link #setProfile} builds the call tree in a background {@link Task} (while {@link #busyProperty()} is
 * true) and hands over an immutable {@link FlameModel}; {@link #setTree} installs a prebuilt tree at once.
 * The view owns one {@link Canvas} sized to its area; state changes only mark it dirty, and it is redrawn at
 * most once per pulse. Selection sync: {@link #selectFunction}/{@link #focusFunction} select a function by
 * name from outside, {@link #selectedFunctionProperty()} follows the selection, and
 * {@link #setOnNodeSelected} is called when the user clicks a box. FX thread only.
 */
public final class FlameGraphView extends Region {
    /** A mouse press that moves further than this many pixels is a drag (vertical pan), not a click. */
    public static final double CLICK_DRAG_THRESHOLD = 4;
    /** Ancestor rows kept in view above a zoom root when zooming into a deep box. */
    private static final int ZOOM_CONTEXT_ROWS = 3;
    private static final int MAX_CRUMBS = 8;

    /** A box the user clicked: the tree, its row and the row's function name. */
    public record NodeSelection(CallTree tree, int node, String function) { }

    private static final ExecutorService JOBS = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kiln-flame");
        t.setDaemon(true);
        return t;
    });

    private final ComboBox<Weight> weightBox = new ComboBox<>();
    private final ToggleButton icicleButton = new ToggleButton("Icicle");
    private final ToggleButton flameButton = new ToggleButton("Flame");
    private final CheckBox invertedBox = new CheckBox("Inverted (callers)");
    private final TextField searchField = TextFields.createClearableTextField();
    private final Label matchedLabel = new Label();
    private final ProgressIndicator progress = new ProgressIndicator();
    private final HBox toolbar;
    private final BreadCrumbBar<Integer> crumbBar = new BreadCrumbBar<>();
    private final Canvas canvas = new Canvas();
    private final DrawSurface surface = new FxSurface(canvas);
    private final Tooltip tooltip = new Tooltip();
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy", false);
    private final ReadOnlyStringWrapper selectedFunction = new ReadOnlyStringWrapper(this, "selectedFunction");
    private final PulseRedraw pulse = new PulseRedraw(this::redrawNow);

    private Profile profile;
    private Filter filter = Filter.NONE;
    private FlameModel model;
    private FlamePainter painter;
    private FlameGeometry geometry;
    private Task<FlameModel> job;
    private boolean updatingControls;
    /** Redraws when the theme changes (held here: the theme holds it weakly). */
    private final javafx.beans.value.ChangeListener<CanvasPalette> themeListener = CanvasTheme.onChange(this::markDirty);
    private int zoomRoot, hovered = -1;
    private double scroll;
    private boolean[] matched;
    private long matchedTotal;
    private Consumer<NodeSelection> onNodeSelected;
    private Runnable onViewChanged = () -> { };
    private double pressX, pressY, pressScroll;
    private boolean dragging;

    public FlameGraphView() {
        getStyleClass().add("flame-graph");
        ToggleGroup orientation = new ToggleGroup();
        icicleButton.setToggleGroup(orientation);
        flameButton.setToggleGroup(orientation);
        icicleButton.setSelected(true);
        icicleButton.setTooltip(new Tooltip("Root on top, callees below"));
        flameButton.setTooltip(new Tooltip("Root at the bottom, callees above"));
        orientation.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) a.setSelected(true); // keep one selected
            else { scroll = 0; markDirty(); }
        });
        invertedBox.setTooltip(new Tooltip("Bottom-up: leaf functions at the root, their callers beyond"));
        invertedBox.selectedProperty().addListener((o, a, b) -> { if (!updatingControls) recompute(); });
        weightBox.setConverter(new StringConverter<>() {
            @Override public String toString(Weight w) { return w == null ? "" : w.type().toString(); }
            @Override public Weight fromString(String s) { return null; }
        });
        weightBox.valueProperty().addListener((o, a, b) -> { if (!updatingControls && b != null) recompute(); });
        searchField.setPromptText("Search regex (Ctrl+F)");
        searchField.setPrefColumnCount(22);
        searchField.textProperty().addListener((o, a, b) -> applySearch());
        searchField.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE) { searchField.clear(); canvas.requestFocus(); e.consume(); }
        });
        progress.setPrefSize(18, 18);
        progress.setVisible(false);
        progress.visibleProperty().bind(busy);
        Label weightLabel = new Label("Weight");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        SegmentedButton orientationButtons = new SegmentedButton(icicleButton, flameButton);
        orientationButtons.setToggleGroup(orientation);
        orientationButtons.setId("flame-orientation");
        weightBox.setId("flame-weight");
        toolbar = new HBox(8, weightLabel, weightBox, orientationButtons, invertedBox, spacer,
                progress, searchField, matchedLabel);
        toolbar.setAlignment(Pos.CENTER_LEFT);
        toolbar.setPadding(new Insets(4, 6, 4, 6));
        matchedLabel.setMinWidth(170);
        crumbBar.setId("flame-crumbs");
        crumbBar.setPadding(new Insets(0, 6, 3, 6));
        crumbBar.setMinHeight(26);
        crumbBar.setAutoNavigationEnabled(false); // a crumb zooms; the bar follows the zoom
        crumbBar.setCrumbFactory(this::crumb);
        crumbBar.setOnCrumbAction(e -> {
            Integer n = e.getSelectedCrumb().getValue();
            if (n != null && n != zoomRoot) zoomTo(n);
        });
        canvas.setFocusTraversable(true);
        tooltip.setShowDelay(Duration.millis(200));
        tooltip.setHideDelay(Duration.ZERO);
        getChildren().addAll(toolbar, crumbBar, canvas);

        canvas.addEventHandler(MouseEvent.MOUSE_PRESSED, this::onPressed);
        canvas.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::onDragged);
        canvas.addEventHandler(MouseEvent.MOUSE_CLICKED, this::onClicked);
        canvas.addEventHandler(MouseEvent.MOUSE_MOVED, e -> hover(nodeAt(e.getX(), e.getY())));
        canvas.addEventHandler(MouseEvent.MOUSE_EXITED, e -> hover(-1));
        canvas.addEventHandler(ScrollEvent.SCROLL, e -> {
            setScroll(scroll + (rows().icicle() ? -e.getDeltaY() : e.getDeltaY()));
            e.consume();
        });
        canvas.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.BACK_SPACE) { zoomOut(); e.consume(); }
            else if (e.getCode() == KeyCode.ESCAPE && !searchField.getText().isEmpty()) { searchField.clear(); e.consume(); }
        });
        addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.F && e.isShortcutDown()) { focusSearch(); e.consume(); }
        });
        updateCrumbs();
        updateMatchedLabel();
    }

    // ---- input ----

    /**
     * Shows {@code p}: offers its weights, selects the default one and builds the tree in the background.
     * The previous graph stays until the new one is ready. The thrown exceptions join the weights with the tree (their
     * table is derived from the events, in the background).
     */
    public void setProfile(Profile p) {
        profile = p;
        updatingControls = true;
        try {
            weightBox.getItems().setAll(Weights.available(p));
            weightBox.setValue(Weights.defaultWeight(p));
        } finally {
            updatingControls = false;
        }
        recompute();
    }

    /** Shows a prebuilt tree at once (no background job); the weight selector lists its profile's weights, or only the tree's weight when it is none of them. */
    public void setTree(CallTree tree) {
        cancelJob();
        profile = tree.profile();
        filter = tree.filter();
        updatingControls = true;
        try {
            List<Weight> all = JvmWeights.made(profile); // on the FX thread: the exceptions' table is not made here
            // a weight of the profile's own, or one an analysis made (the thrown exceptions): then only that one
            weightBox.getItems().setAll(all.contains(tree.weight()) ? all : List.of(tree.weight()));
            weightBox.setValue(tree.weight());
            invertedBox.setSelected(tree.isInverted());
        } finally {
            updatingControls = false;
        }
        install(FlameModel.of(tree));
    }

    /** Rebuilds the graph under another filter (in the background). */
    public void setFilter(Filter f) {
        filter = f == null ? Filter.NONE : f;
        recompute();
    }

    /** Shows another weight of the current profile (in the background). */
    public void setWeight(Weight w) { weightBox.setValue(w); }

    public Weight weight() { return weightBox.getValue(); }

    /** Switches between the top-down tree and the inverted (bottom-up) tree (in the background). */
    public void setInverted(boolean inverted) { invertedBox.setSelected(inverted); }

    /** Root on top (icicle, the default) or at the bottom (flame). */
    public void setIcicle(boolean icicle) { (icicle ? icicleButton : flameButton).setSelected(true); }

    public boolean isIcicle() { return icicleButton.isSelected(); }

    /** Sets the search regex (empty clears it), as if typed into the search field. */
    public void setSearch(String regex) { searchField.setText(regex == null ? "" : regex); }

    public void focusSearch() {
        searchField.requestFocus();
        searchField.selectAll();
    }

    /** True while a tree is being built in the background. */
    public ReadOnlyBooleanProperty busyProperty() { return busy.getReadOnlyProperty(); }

    private void recompute() {
        Profile p = profile;
        Weight w = weightBox.getValue();
        if (p == null || w == null) return;
        cancelJob();
        Filter f = filter;
        CallTree.Options options = CallTree.Options.DEFAULT.withInverted(invertedBox.isSelected());
        List<Weight> weights = new ArrayList<>();
        Task<FlameModel> t = new Task<>() {
            @Override
            protected FlameModel call() {
                weights.addAll(JvmWeights.available(p));
                return FlameModel.compute(p, w, f, options, new ProgressSink() {
                    @Override public void progress(long done, long total, String what) { updateProgress(done, total); }
                    @Override public boolean isCancelled() { return Thread.currentThread().isInterrupted() || isCancelled0(); }
                });
            }

            private boolean isCancelled0() { return isCancelled(); }
        };
        t.setOnSucceeded(e -> {
            if (job != t) return;
            job = null;
            busy.set(false);
            if (!weightBox.getItems().equals(weights)) {
                updatingControls = true;
                try {
                    weightBox.getItems().setAll(weights); // the chosen weight is one of them
                    weightBox.setValue(w);
                } finally {
                    updatingControls = false;
                }
            }
            install(t.getValue());
        });
        t.setOnFailed(e -> {
            if (job == t) { job = null; busy.set(false); matchedLabel.setText("failed: " + t.getException().getMessage()); }
        });
        job = t;
        busy.set(true);
        JOBS.execute(t);
    }

    private void cancelJob() {
        if (job != null) job.cancel(false);
        job = null;
        busy.set(false);
    }

    private void install(FlameModel m) {
        String keep = selectedFunction.get();
        model = m;
        painter = new FlamePainter(m.tree(), m.funcKind());
        zoomRoot = 0;
        scroll = 0;
        hovered = -1;
        geometry = null;
        applySearch();
        updateCrumbs();
        selectedFunction.set(keep);
        markDirty();
    }

    // ---- state read by the shell and tests ----

    /** The tree shown, or null before the first one is ready. */
    public CallTree tree() { return model == null ? null : model.tree(); }

    public FlameModel model() { return model; }

    /** The row the graph is zoomed to (0 = the root). */
    public int zoomRoot() { return zoomRoot; }

    /** Labels of the breadcrumb path from the root to the zoom root. */
    public List<String> zoomPath() {
        List<String> out = new ArrayList<>();
        if (model == null) return out;
        CallTree t = model.tree();
        for (int n = zoomRoot; n >= 0; n = t.parent(n)) out.add(0, t.label(n));
        return out;
    }

    /** Weight of the samples with at least one frame matching the search (0 without a search). */
    public long matchedTotal() { return matchedTotal; }

    /** Search match per tree row (null without a search). */
    public boolean[] matched() { return matched; }

    /** The text shown next to the search field ({@code matched: 12.50% of total}). */
    public String matchedText() { return matchedLabel.getText(); }

    /** Tooltip text for the hovered box ("" when none). */
    public String hoverText() { return hovered < 0 ? "" : describe(hovered); }

    // ---- selection ----

    /** The selected function name (clicked or set by {@link #selectFunction}); null when none. */
    public ReadOnlyStringProperty selectedFunctionProperty() { return selectedFunction.getReadOnlyProperty(); }

    /** Called with the clicked box whenever the user selects one (not for {@link #selectFunction}). */
    public void setOnNodeSelected(Consumer<NodeSelection> listener) { onNodeSelected = listener; }

    /** Called after every change of the zoom root or the vertical scroll offset (by the user or by code). */
    public void setOnViewChanged(Runnable listener) { onViewChanged = listener == null ? () -> { } : listener; }

    /** Shows or hides the toolbar (weight, orientation, inverted, search), e.g. when a host view offers those itself. */
    public void setToolbarVisible(boolean visible) {
        toolbar.setVisible(visible);
        toolbar.setManaged(visible);
        requestLayout();
    }

    /** Vertical scroll offset in pixels (0 = the root row at its edge). */
    public double scrollOffset() { return scroll; }

    /** Scrolls vertically to {@code pixels}, clamped to the graph's depth. */
    public void setScrollOffset(double pixels) { setScroll(pixels); }

    /** Outlines every box of the function {@code name} (null clears) without zooming. */
    public void selectFunction(String name) {
        selectedFunction.set(name);
        markDirty();
    }

    /**
     * Selects the function {@code name} and zooms to its heaviest box; returns that row, or -1 (and only
     * selects) when the tree has no box of that function.
     */
    public int focusFunction(String name) {
        selectFunction(name);
        if (model == null || name == null) return -1;
        CallTree t = model.tree();
        int best = -1;
        for (int n = 1; n < t.size(); n++) {
            if (t.name(n).equals(name) && (best < 0 || t.total(n) > t.total(best))) best = n;
        }
        if (best >= 0) zoomTo(best);
        return best;
    }

    // ---- zoom ----

    /** Zooms so that row {@code node} spans the full width. */
    public void zoomTo(int node) {
        if (model == null || node < 0 || node >= model.tree().size()) return;
        zoomRoot = node;
        scroll = Math.max(0, model.tree().depth(node) - ZOOM_CONTEXT_ROWS) * FlamePainter.ROW_HEIGHT;
        updateCrumbs();
        markDirty();
        onViewChanged.run();
    }

    /** Zooms out to the zoom root's parent (no-op at the root). */
    public void zoomOut() {
        if (model != null && zoomRoot > 0) zoomTo(model.tree().parent(zoomRoot));
    }

    public void resetZoom() {
        if (model != null) zoomTo(0);
    }

    private void updateCrumbs() {
        if (model == null) {
            crumbBar.setSelectedCrumb(null);
            return;
        }
        CallTree t = model.tree();
        List<Integer> path = new ArrayList<>();
        for (int n = zoomRoot; n >= 0; n = t.parent(n)) path.add(0, n);
        if (path.size() > MAX_CRUMBS) {
            // root, its child, an ellipsis that zooms to the first hidden row, then the last rows up to the zoom root
            List<Integer> shown = new ArrayList<>(path.subList(0, 2));
            shown.add(-2 - path.get(2));
            shown.addAll(path.subList(path.size() - (MAX_CRUMBS - 3), path.size()));
            path = shown;
        }
        crumbBar.setSelectedCrumb(BreadCrumbBar.buildTreeModel(path.toArray(new Integer[0])));
    }

    /** A crumb's button: the row's function without its package (the full label in its tooltip); -2 - n is "…" for row n. */
    private Button crumb(javafx.scene.control.TreeItem<Integer> item) {
        int v = item.getValue();
        int n = v < -1 ? -2 - v : v;
        CallTree t = model.tree();
        String text = v < -1 ? "\u2026" : n == 0 ? CallTree.ROOT_NAME : TextFit.withoutPackage(t.label(n));
        Button b = new BreadCrumbBar.BreadCrumbButton(text);
        b.getStyleClass().add("flame-crumb");
        b.setMnemonicParsing(false);
        b.setTooltip(new Tooltip(t.label(n)));
        if (n == zoomRoot) b.setDisable(true); // its action is the bar's (setOnCrumbAction)
        return b;
    }

    /** The breadcrumb buttons, root first (for tests and keyboard navigation). */
    List<Button> crumbs() {
        crumbBar.applyCss();
        crumbBar.layout();
        return crumbBar.getChildrenUnmodifiable().stream().filter(Button.class::isInstance).map(Button.class::cast).toList();
    }

    // ---- search ----

    private void applySearch() {
        String text = searchField.getText();
        matched = null;
        matchedTotal = 0;
        searchField.setStyle("");
        if (model != null && text != null && !text.isEmpty()) {
            try {
                Pattern p = Pattern.compile(text);
                CallTree t = model.tree();
                byte[] byFunc = new byte[t.funcCount()]; // 0 unknown, 1 no, 2 yes
                boolean[] m = new boolean[t.size()];
                for (int n = 1; n < t.size(); n++) {
                    int f = t.func(n);
                    if (byFunc[f] == 0) byFunc[f] = (byte) (p.matcher(t.funcName(f)).find() ? 2 : 1);
                    m[n] = byFunc[f] == 2;
                }
                long sum = 0;
                for (int n = 1; n < t.size(); ) {
                    if (m[n]) { sum += t.total(n); n = t.subtreeEnd(n); } else n++;
                }
                matched = m;
                matchedTotal = sum;
            } catch (PatternSyntaxException e) {
                searchField.setStyle("-fx-control-inner-background: #ffd6d6;");
            }
        }
        updateMatchedLabel();
        markDirty();
    }

    private void updateMatchedLabel() {
        if (matched == null || model == null) matchedLabel.setText("");
        else matchedLabel.setText("matched: " + Units.percent(matchedTotal, model.tree().rootTotal()) + " of total");
    }

    // ---- mouse ----

    private void onPressed(MouseEvent e) {
        canvas.requestFocus();
        pressX = e.getX();
        pressY = e.getY();
        pressScroll = scroll;
        dragging = false;
    }

    private void onDragged(MouseEvent e) {
        double dy = e.getY() - pressY;
        if (!dragging && Math.hypot(e.getX() - pressX, dy) > CLICK_DRAG_THRESHOLD) dragging = true;
        if (dragging) setScroll(pressScroll + (rows().icicle() ? -dy : dy));
    }

    private void onClicked(MouseEvent e) {
        if (e.getButton() != MouseButton.PRIMARY || dragging || model == null) return;
        if (e.getClickCount() >= 2) { resetZoom(); return; }
        int n = nodeAt(e.getX(), e.getY());
        if (n < 0) return;
        zoomTo(n);
        if (n > 0) {
            CallTree t = model.tree();
            selectedFunction.set(t.name(n));
            if (onNodeSelected != null) onNodeSelected.accept(new NodeSelection(t, n, t.name(n)));
        }
    }

    private void hover(int n) {
        if (n == hovered) return;
        hovered = n;
        if (n < 0) {
            Tooltip.uninstall(canvas, tooltip);
        } else {
            tooltip.setText(describe(n));
            Tooltip.install(canvas, tooltip);
        }
        markDirty();
    }

    private String describe(int n) {
        CallTree t = model.tree();
        var type = t.weight().type();
        long root = t.rootTotal();
        StringBuilder sb = new StringBuilder(n == 0 ? CallTree.ROOT_NAME : t.label(n));
        sb.append("\nTotal: ").append(FlamePainter.amount(t.total(n), type)).append(" (")
                .append(Units.percent(t.total(n), root)).append(" of all)");
        sb.append("\nSelf:  ").append(FlamePainter.amount(t.self(n), type)).append(" (")
                .append(Units.percent(t.self(n), root)).append(" of all)");
        if (zoomRoot > 0 && n >= zoomRoot && n < t.subtreeEnd(zoomRoot)) {
            sb.append(String.format(Locale.ROOT, "\n%s of the zoomed frame", Units.percent(t.total(n), t.total(zoomRoot))));
        }
        return sb.toString();
    }

    /** The tree row drawn at canvas pixel (x, y), or -1. */
    public int nodeAt(double x, double y) {
        if (model == null) return -1;
        return geometry().nodeAt(rows(), x, y);
    }

    private void setScroll(double s) {
        double max = model == null ? 0 : rows().maxScroll(model.layout().maxDepth());
        s = Math.max(0, Math.min(max, s));
        if (s != scroll) { scroll = s; markDirty(); onViewChanged.run(); }
    }

    // ---- drawing ----

    private FlameRows rows() {
        return new FlameRows(FlamePainter.ROW_HEIGHT, canvas.getHeight(), isIcicle(), scroll);
    }

    private FlameGeometry geometry() {
        FlameRows r = rows();
        if (geometry == null || geometry.zoomRoot() != zoomRoot || geometry.layout() != model.layout()
                || geometry.viewWidth() != canvas.getWidth() || geometryRows == null || !geometryRows.equals(r)) {
            geometry = FlameGeometry.compute(model.layout(), zoomRoot, canvas.getWidth(), r.firstVisibleDepth(), r.lastVisibleDepth());
            geometryRows = r;
        }
        return geometry;
    }

    private FlameRows geometryRows;

    private void markDirty() {
        pulse.markDirty();
    }

    /** Redraws the canvas immediately (normally done once per pulse after a change). */
    public void redrawNow() {
        pulse.painted();
        paint(surface);
    }

    /** Paints the current state onto any surface of the canvas's size (for tests and measurements). */
    public void paint(DrawSurface s) {
        if (model == null) {
            s.setFill(CanvasTheme.palette().background());
            s.fillRect(0, 0, s.width(), s.height());
            return;
        }
        int sel = -1;
        String name = selectedFunction.get();
        if (name != null) {
            CallTree t = model.tree();
            for (int f = 0; f < t.funcCount(); f++) if (t.funcName(f).equals(name)) { sel = f; break; }
        }
        painter.paint(s, geometry(), rows(), new FlamePainter.Highlight(matched, sel, hovered));
    }

    @Override
    protected void layoutChildren() {
        double w = getWidth(), h = getHeight();
        Insets in = getInsets();
        double x = in.getLeft(), y = in.getTop(), cw = w - in.getLeft() - in.getRight();
        double th = toolbar.isVisible() ? toolbar.prefHeight(cw) : 0;
        toolbar.resizeRelocate(x, y, cw, th);
        double bh = crumbBar.prefHeight(cw);
        crumbBar.resizeRelocate(x, y + th, cw, bh);
        double ch = Math.max(0, h - in.getBottom() - y - th - bh);
        canvas.relocate(x, y + th + bh);
        if (canvas.getWidth() != cw || canvas.getHeight() != ch) {
            canvas.setWidth(cw);
            canvas.setHeight(ch);
            markDirty();
        }
    }

    @Override
    protected double computePrefWidth(double height) { return 900; }

    @Override
    protected double computePrefHeight(double width) { return 600; }
}
