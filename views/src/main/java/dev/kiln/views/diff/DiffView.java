// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.diff;

import dev.kiln.analysis.Weight;
import dev.kiln.analysis.Weights;
import dev.kiln.analysis.jvm.JvmWeights;
import dev.kiln.analysis.diff.Change;
import dev.kiln.analysis.diff.Diff;
import dev.kiln.analysis.diff.DiffTree;
import dev.kiln.analysis.diff.JvmDiff;
import dev.kiln.analysis.diff.Status;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.ValueType;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;
import org.controlsfx.control.SegmentedButton;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Compares two captures ({@link Diff}). Top: a header naming base and target and what is compared, a toolbar
 * (weight selector, Normalize, Swap base &#8644; target, box widths by target or base) and a legend saying what
 * red, blue and grey mean. Centre: the differential flame graph ({@link DiffFlameGraph}), or in "Side by side" mode
 * the base and target flame graphs next to each other, zoomed and scrolled in step ({@link SideBySideFlames}), above tables of
 * deltas: functions (self weight: base, target, delta, delta %, status NEW/GONE/GREW/SHRANK/SAME; sortable),
 * and, when the diff has them, lock, thread-state and goroutine-stack deltas.
 *
 * <p>{@link #setProfiles} computes the diff in a background {@link Task} (while {@link #busyProperty()} is true);
 * changing the weight, Normalize or Swap recomputes it the same way. {@link #setDiff} shows a computed diff at
 * once. A comparison that fails (no comparable weight) shows its reason in the header. FX thread only.
 */
public final class DiffView extends BorderPane {
    /** A row of a delta table: a name, a detail (kind, state, total delta...), the change and its unit. */
    public record DeltaRow(String name, String detail, Change change, String unit) { }

    private static final ExecutorService JOBS = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kiln-diff");
        t.setDaemon(true);
        return t;
    });

    /** Above this difference of the totals (in %) the header suggests Normalize. */
    public static final double NORMALIZE_HINT_PCT = 10;

    private final Label title = new Label("Comparing...");
    private final Label compared = new Label();
    private final Label error = new Label();
    private final ComboBox<String> weightBox = new ComboBox<>();
    private final CheckBox normalizeBox = new CheckBox("Normalize");
    private final Button swapButton = new Button("Swap base \u21c4 target");
    private final ToggleButton byTarget = new ToggleButton("Target");
    private final ToggleButton byBase = new ToggleButton("Base");
    private final ProgressIndicator progress = new ProgressIndicator();
    private final Label legendText = new Label();
    private final DiffFlameGraph flame = new DiffFlameGraph();
    private final ToggleButton differential = new ToggleButton("Differential");
    private final ToggleButton sideBySide = new ToggleButton("Side by side");
    private SideBySideFlames sides;
    private Node legendBox;
    private final Label sideHint = new Label("Base left, target right, each as wide as its own total \u00b7 clicking a frame"
            + " zooms both to the same call path \u00b7 scrolling and selection follow");
    private final SplitPane split;
    private final TableView<DeltaRow> functions = table("diff-functions", "Function", "Total \u0394 (with callees)");
    private final TableView<DeltaRow> locks = table("diff-locks", "Lock class", "Kind");
    private final TableView<DeltaRow> threads = table("diff-threads", "Thread", "State");
    private final TableView<DeltaRow> goroutines = table("diff-goroutines", "Goroutine site", "State");
    private final TableView<DeltaRow> jvm = table("diff-jvm", "Metric, exception class, I/O target or event type", "Of");
    /** Recolours the status cells when the theme changes (held here: the theme holds it weakly). */
    private final javafx.beans.value.ChangeListener<dev.kiln.views.common.CanvasPalette> themeListener =
            dev.kiln.views.common.CanvasTheme.onChange(() -> List.of(functions, locks, threads, goroutines, jvm).forEach(TableView::refresh));
    private final TabPane tables = new TabPane();
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy", false);
    private Diff diff;
    private Profile base, target;
    private Diff.Options options = Diff.Options.DEFAULT;
    private Task<Diff> job;
    private boolean updating;

    public DiffView() {
        getStyleClass().add("diff-view");
        title.getStyleClass().add("diff-title");
        title.setStyle("-fx-font-size: 1.25em; -fx-font-weight: bold;");
        compared.getStyleClass().add("diff-compared");
        error.getStyleClass().add("diff-error");
        error.setStyle("-fx-text-fill: #b00020;");
        error.setWrapText(true);
        error.setManaged(false);
        error.setVisible(false);

        weightBox.setTooltip(new Tooltip("The weight compared on both sides"));
        weightBox.valueProperty().addListener((o, a, b) -> {
            if (!updating && b != null) { options = options.withWeight(b); recompute(); }
        });
        normalizeBox.setTooltip(new Tooltip("Scale base values by target total / base total, so the totals match\n"
                + "(compares shares instead of absolute amounts, like pprof -normalize)"));
        normalizeBox.selectedProperty().addListener((o, a, b) -> {
            if (!updating) { options = options.withNormalize(b); recompute(); }
        });
        swapButton.setId("diff-swap");
        swapButton.setTooltip(new Tooltip("Exchange base and target"));
        swapButton.setOnAction(e -> swap());
        ToggleGroup shape = new ToggleGroup();
        byTarget.setToggleGroup(shape);
        byBase.setToggleGroup(shape);
        byTarget.setSelected(true);
        byTarget.setTooltip(new Tooltip("Box widths are the target's totals: what the target spends its time on"));
        byBase.setTooltip(new Tooltip("Box widths are the base's totals: shows what shrank or disappeared"));
        shape.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) { a.setSelected(true); return; }
            flame.setShape(b == byBase ? DiffTree.Shape.BASE : DiffTree.Shape.TARGET);
            updateLegend();
        });
        progress.setPrefSize(18, 18);
        progress.visibleProperty().bind(busy);

        ToggleGroup mode = new ToggleGroup();
        differential.setToggleGroup(mode);
        sideBySide.setToggleGroup(mode);
        differential.setSelected(true);
        differential.setTooltip(new Tooltip("One flame graph coloured by the change (red grew, blue shrank)"));
        sideBySide.setTooltip(new Tooltip("Base and target flame graphs next to each other, zoomed in step"));
        sideBySide.setId("diff-side-by-side");
        mode.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) a.setSelected(true);
            else showMode();
        });
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        SegmentedButton modes = new SegmentedButton(differential, sideBySide);
        modes.setToggleGroup(mode);
        modes.setId("diff-mode");
        SegmentedButton widths = new SegmentedButton(byTarget, byBase);
        widths.setToggleGroup(shape);
        widths.setId("diff-widths");
        HBox toolbar = new HBox(8, modes, new Label("Weight"), weightBox, normalizeBox, swapButton,
                new Label("Box widths:"), widths, spacer, progress);
        toolbar.setAlignment(Pos.CENTER_LEFT);
        legendBox = legend();
        sideHint.getStyleClass().add("muted");
        sideHint.setManaged(false);
        sideHint.setVisible(false);
        VBox top = new VBox(4, title, compared, error, toolbar, legendBox, sideHint);
        top.setPadding(new Insets(6, 8, 6, 8));
        setTop(top);

        tables.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        functions.setPlaceholder(new Label("No functions"));
        split = new SplitPane(flame, tables);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.55);
        setCenter(split);
        updateLegend();
    }

    private void showMode() {
        boolean side = sideBySide.isSelected();
        if (side && sides == null) sides = new SideBySideFlames();
        if (side && diff != null) sides.setDiff(diff);
        double[] dividers = split.getDividerPositions();
        split.getItems().set(0, side ? sides : flame);
        split.setDividerPositions(dividers);
        byTarget.setDisable(side);
        byBase.setDisable(side);
        legendBox.setVisible(!side); // the colours of the side-by-side graphs are the ordinary flame colours
        legendBox.setManaged(!side);
        sideHint.setVisible(side);
        sideHint.setManaged(side);
    }

    /** Shows the differential graph (false, the default) or base and target side by side (true). */
    public void setSideBySide(boolean on) { (on ? sideBySide : differential).setSelected(true); }

    /** The side-by-side graphs, or null until that mode was first shown. */
    public SideBySideFlames sideBySide() { return sides; }

    private Node legend() {
        legendText.getStyleClass().add("muted");
        FlowPane box = new FlowPane(14, 4,
                swatch(DiffPalette.shade(DiffPalette.RED_HUE, 0.8), "Red: grew in target (or new)"),
                swatch(DiffPalette.shade(DiffPalette.BLUE_HUE, 0.8), "Blue: shrank in target (or gone)"),
                swatch(DiffPalette.SAME, "Grey: about the same (within noise)"),
                legendText);
        box.setId("diff-legend");
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    private static Node swatch(Color c, String text) {
        Rectangle r = new Rectangle(14, 14, c);
        r.setStroke(Color.gray(0.5));
        Label l = new Label(text, r);
        l.getStyleClass().add("diff-legend-item");
        return l;
    }

    private void updateLegend() {
        legendText.setText((flame.shape() == DiffTree.Shape.TARGET ? "Box width: target total" : "Box width: base total")
                + " \u00b7 stronger colour = larger change of the total (incl. callees)");
    }

    // ---- input ----

    /** Compares {@code target} against {@code base} in the background, with the target's default weight. */
    public void setProfiles(Profile base, Profile target) {
        this.base = base;
        this.target = target;
        title.setText(names(base, target));
        fillWeights();
        recompute();
    }

    /** Shows a computed diff at once (its profiles and options become the view's). */
    public void setDiff(Diff d) {
        if (job != null) job.cancel();
        busy.set(false);
        base = d.base();
        target = d.target();
        options = d.options();
        fillWeights();
        show(d);
    }

    /** Exchanges base and target and recomputes. */
    public void swap() {
        if (base == null) return;
        Profile b = base;
        base = target;
        target = b;
        options = options.withFilters(options.targetFilter(), options.baseFilter());
        title.setText(names(base, target));
        fillWeights();
        recompute();
    }

    private static String names(Profile base, Profile target) {
        return "Base: " + base.sourceName() + "   \u2192   Target: " + target.sourceName();
    }

    private void fillWeights() {
        updating = true;
        try {
            Set<String> inBase = new LinkedHashSet<>();
            for (ValueType t : JvmWeights.types(base)) inBase.add(t.toString()); // the types only: no table made on the FX thread
            List<String> both = new ArrayList<>();
            for (ValueType t : JvmWeights.types(target)) if (inBase.contains(t.toString())) both.add(t.toString());
            weightBox.getItems().setAll(both);
            String current = options.weight();
            if (current == null) {
                Weight w = Weights.defaultWeight(target);
                current = w == null ? null : w.type().toString();
            }
            weightBox.setValue(current);
            normalizeBox.setSelected(options.normalize());
        } finally {
            updating = false;
        }
    }

    private void recompute() {
        if (base == null) return;
        if (job != null) job.cancel();
        Profile b = base, t = target;
        Diff.Options o = options;
        Task<Diff> task = new DiffTask(b, t, o);
        job = task;
        busy.set(true);
        task.setOnSucceeded(e -> {
            if (job != task) return;
            busy.set(false);
            show(task.getValue());
        });
        task.setOnFailed(e -> {
            if (job != task) return;
            busy.set(false);
            showError(task.getException());
        });
        JOBS.execute(task);
    }

    /** Computes one diff; the engine stops at its next check once the task is cancelled. */
    private static final class DiffTask extends Task<Diff> {
        private final Profile base, target;
        private final Diff.Options options;

        DiffTask(Profile base, Profile target, Diff.Options options) {
            this.base = base;
            this.target = target;
            this.options = options;
        }

        @Override
        protected Diff call() {
            return Diff.of(base, target, options, new ProgressSink() {
                @Override public void progress(long done, long total, String what) { }

                @Override public boolean isCancelled() { return DiffTask.this.isCancelled(); }
            });
        }
    }

    private void showError(Throwable t) {
        error.setText("Cannot compare: " + (t.getMessage() == null ? t.toString() : t.getMessage()));
        error.setManaged(true);
        error.setVisible(true);
    }

    private void show(Diff d) {
        diff = d;
        error.setManaged(false);
        error.setVisible(false);
        title.setText(names(d.base(), d.target()));
        Change total = d.total();
        String unit = d.unit();
        StringBuilder sb = new StringBuilder("Comparing ").append(d.compared()).append("  \u00b7  total ")
                .append(DiffPainter.amount(total.base(), unit)).append(" \u2192 ").append(DiffPainter.amount(total.target(), unit))
                .append(" (").append(DiffPainter.signed(total.delta(), unit)).append(", ").append(DiffPainter.percent(total.relativePct())).append(')');
        if (d.scale() != 1) sb.append(String.format(Locale.ROOT, "  \u00b7  base normalized \u00d7%.3f", d.scale()));
        else if (!d.options().normalize() && Math.abs(total.relativePct()) > NORMALIZE_HINT_PCT) {
            sb.append("  \u00b7  the totals differ: tick Normalize to compare shares instead of amounts");
        }
        for (String n : d.notes()) sb.append("\nNote: ").append(n);
        compared.setText(sb.toString());
        flame.setDiff(d);
        if (sideBySide.isSelected()) sides.setDiff(d);

        List<DeltaRow> fr = new ArrayList<>();
        for (Diff.FunctionDelta f : d.functions()) {
            String name = f.line() > 0 ? f.name() + ":" + f.line() : f.name();
            fr.add(new DeltaRow(name, DiffPainter.signed(f.total().delta(), unit), f.self(), unit));
        }
        functions.getItems().setAll(fr);
        functions.getColumns().get(1).setText(d.scale() == 1 ? "Base" : String.format(Locale.ROOT, "Base \u00d7%.3f", d.scale()));
        List<DeltaRow> lr = new ArrayList<>();
        for (Diff.LockDelta l : d.locks()) lr.add(new DeltaRow(l.className(), dev.kiln.analysis.DisplayNames.sentence(l.kind().name()), l.nanos(), "nanoseconds"));
        locks.getItems().setAll(lr);
        List<DeltaRow> tr = new ArrayList<>();
        for (Diff.ThreadStateDelta s : d.threadStates()) tr.add(new DeltaRow(s.thread(), s.state().displayName(), s.nanos(), "nanoseconds"));
        threads.getItems().setAll(tr);
        List<DeltaRow> gr = new ArrayList<>();
        for (Diff.GoroutineStackDelta g : d.goroutineStacks()) gr.add(new DeltaRow(g.site(), g.state(), g.count(), "goroutines"));
        goroutines.getItems().setAll(gr);
        jvm.getItems().setAll(jvmRows(d.jvm()));

        List<Tab> tabs = new ArrayList<>();
        tabs.add(tab("diff-tab-functions", "Functions (self " + unit + ")", functions));
        if (!lr.isEmpty()) tabs.add(tab("diff-tab-locks", "Lock deltas", locks));
        if (!tr.isEmpty()) tabs.add(tab("diff-tab-threads", "Thread-state deltas", threads));
        if (!gr.isEmpty()) tabs.add(tab("diff-tab-goroutines", "Goroutine stack deltas", goroutines));
        if (!jvm.getItems().isEmpty()) tabs.add(tab("diff-tab-jvm", "JVM deltas", jvm));
        tables.getTabs().setAll(tabs);
    }

    /** Every JVM metric, then the exception classes, I/O targets and event types, each largest change first. */
    static List<DeltaRow> jvmRows(JvmDiff j) {
        List<DeltaRow> out = new ArrayList<>();
        for (Diff.KeyDelta k : j.metrics()) out.add(new DeltaRow(k.key(), "JVM", k.value(), JvmDiff.unit(k.key())));
        for (Diff.KeyDelta k : j.exceptions()) out.add(new DeltaRow(k.key(), "Exceptions thrown", k.value(), "count"));
        for (Diff.KeyDelta k : j.io()) out.add(new DeltaRow(k.key(), "I/O bytes", k.value(), "bytes"));
        for (Diff.KeyDelta k : j.events()) out.add(new DeltaRow(k.key(), "Events", k.value(), "count"));
        return out;
    }

    private static Tab tab(String id, String text, Node content) {
        Tab t = new Tab(text, content);
        t.setId(id);
        return t;
    }

    // ---- tables ----

    private static TableView<DeltaRow> table(String id, String nameTitle, String detailTitle) {
        TableView<DeltaRow> t = new TableView<>();
        t.setId(id);
        TableColumn<DeltaRow, String> name = new TableColumn<>(nameTitle);
        name.setCellValueFactory(c -> new SimpleStringProperty(c.getValue().name()));
        name.setPrefWidth(420);
        TableColumn<DeltaRow, String> detail = new TableColumn<>(detailTitle);
        detail.setCellValueFactory(c -> new SimpleStringProperty(c.getValue().detail()));
        detail.setPrefWidth(170);
        TableColumn<DeltaRow, Status> status = new TableColumn<>("Status");
        status.setPrefWidth(90);
        status.setCellValueFactory(c -> new SimpleObjectProperty<>(c.getValue().change().status()));
        status.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Status s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty || s == null ? null : s.toString());
                boolean dark = dev.kiln.views.common.CanvasTheme.palette().dark();
                setStyle(empty || s == null ? "" : switch (s) {
                    case GREW, NEW -> dark ? "-fx-text-fill: #ff8a80; -fx-font-weight: bold;" : "-fx-text-fill: #b3261e; -fx-font-weight: bold;";
                    case SHRANK, GONE -> dark ? "-fx-text-fill: #8ab4f8; -fx-font-weight: bold;" : "-fx-text-fill: #1f5fbf; -fx-font-weight: bold;";
                    case SAME -> dark ? "-fx-text-fill: #a3a8b0;" : "-fx-text-fill: #777777;";
                });
            }
        });
        t.getColumns().add(name);
        t.getColumns().add(number("Base", r -> r.change().scaledBase(), DeltaRow::unit, false));
        t.getColumns().add(number("Target", r -> (double) r.change().target(), DeltaRow::unit, false));
        TableColumn<DeltaRow, Double> delta = number("Delta", r -> r.change().delta(), DeltaRow::unit, true);
        t.getColumns().add(delta);
        TableColumn<DeltaRow, Double> pct = new TableColumn<>("Delta %");
        pct.setCellValueFactory(c -> new SimpleObjectProperty<>(c.getValue().change().relativePct()));
        pct.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Double v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : DiffPainter.percent(v));
            }
        });
        pct.setStyle("-fx-alignment: CENTER-RIGHT;");
        t.getColumns().add(pct);
        t.getColumns().add(status);
        t.getColumns().add(detail);
        t.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        return t;
    }

    private static TableColumn<DeltaRow, Double> number(String title, Function<DeltaRow, Double> value,
                                                        Function<DeltaRow, String> unit, boolean signed) {
        TableColumn<DeltaRow, Double> col = new TableColumn<>(title);
        col.setCellValueFactory(c -> new SimpleObjectProperty<>(value.apply(c.getValue())));
        col.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Double v, boolean empty) {
                super.updateItem(v, empty);
                DeltaRow r = empty || getTableRow() == null ? null : getTableRow().getItem();
                if (v == null || r == null) { setText(null); return; }
                setText(signed ? DiffPainter.signed(v, unit.apply(r)) : DiffPainter.amount(v, unit.apply(r)));
            }
        });
        col.setStyle("-fx-alignment: CENTER-RIGHT;");
        col.setPrefWidth(title.equals("Delta") ? 130 : 120);
        return col;
    }

    // ---- state for the shell and tests ----

    /** The diff shown, or null before the first one is ready. */
    public Diff diff() { return diff; }

    /** True while a diff is computed in the background. */
    public ReadOnlyBooleanProperty busyProperty() { return busy.getReadOnlyProperty(); }

    public DiffFlameGraph flameGraph() { return flame; }

    /** The function delta table (self weight). */
    public TableView<DeltaRow> functionTable() { return functions; }

    public TableView<DeltaRow> lockTable() { return locks; }

    public TableView<DeltaRow> threadTable() { return threads; }

    public TableView<DeltaRow> goroutineTable() { return goroutines; }

    /** GC, heap, exceptions, compilations and I/O of two JFR recordings (tab shown only when it has rows). */
    public TableView<DeltaRow> jvmTable() { return jvm; }

    /** The tabs of delta tables present for the current diff. */
    public TabPane tables() { return tables; }

    /** The header line naming base and target. */
    public String titleText() { return title.getText(); }

    /** The line saying what is compared. */
    public String comparedText() { return compared.getText(); }

    /** The error shown when the comparison failed, else empty. */
    public String errorText() { return error.isVisible() ? error.getText() : ""; }

    /** Every text of the legend, in order. */
    public List<String> legendTexts() {
        List<String> out = new ArrayList<>();
        Node legend = ((VBox) getTop()).getChildren().get(4);
        for (Node n : ((FlowPane) legend).getChildren()) if (n instanceof Label l) out.add(l.getText());
        return out;
    }

    /** Selects the box widths: by target (default) or by base. */
    public void setShape(DiffTree.Shape s) {
        (s == DiffTree.Shape.BASE ? byBase : byTarget).setSelected(true);
    }

    /** Selects a weight by name (e.g. {@code cpu/samples}) and recomputes. */
    public void setWeight(String spec) { weightBox.setValue(spec); }

    public void setNormalize(boolean n) { normalizeBox.setSelected(n); }
}
