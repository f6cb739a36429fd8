// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.locks;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.locks.ContentionSites;
import dev.kiln.analysis.locks.LockGraph;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.Units;
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

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Lock contention: on top, the lock graph ({@link LockGraphView}: waiting threads -&gt; locks -&gt; previous owners,
 * largest lock first; clicking a lock box selects it in the table); below it, a table of the top locks ({@link LockGraph#topLocks}) by class or by instance, for one kind of
 * waiting (blocked, waiting, parked) or all; selecting a lock shows its waiting stacks (top frames, time), its
 * waiting threads and its owner threads (the previous owners of blocked monitor entries) in side tables. For Go
 * contention profiles it shows the {@link ContentionSites} table (no graph: sites have no thread identity) with the
 * note that owners are unknown.
 *
 * <p>{@link #setProfile} computes in a background {@link Task}; {@link #setData} shows computed {@link Data} now.
 * The selected lock is observable through {@link #locksTable()}'s selection model.
 */
public class LocksView extends BorderPane {
    /** Frames (leaf first) shown per waiting stack. */
    public static final int STACK_FRAMES = 4;
    /** Details per lock (waiters, owners, stacks) kept in the side tables. */
    public static final int DETAILS = 200;

    /** Which kinds of waiting to show. */
    public enum KindChoice {
        ALL("All kinds", LockGraph.allKinds()), BLOCKED("Blocked (monitor enter)", EnumSet.of(LockGraph.Kind.BLOCKED)),
        WAITING("Waiting (Object.wait)", EnumSet.of(LockGraph.Kind.WAITING)), PARKED("Parked (LockSupport.park)", EnumSet.of(LockGraph.Kind.PARKED));
        final String label;
        final Set<LockGraph.Kind> kinds;

        KindChoice(String label, Set<LockGraph.Kind> kinds) {
            this.label = label;
            this.kinds = kinds;
        }

        public Set<LockGraph.Kind> kinds() { return kinds; }

        @Override
        public String toString() { return label; }
    }

    /** What the view shows; either part may be null when the profile has no such data. Immutable. */
    public record Data(Profile profile, LockGraph graph, ContentionSites sites) {
        public static Data compute(Profile p, Filter filter, ProgressSink progress) {
            Filter f = filter == null ? Filter.NONE : filter;
            return new Data(p, LockGraph.applies(p) ? LockGraph.of(p, f, progress) : null,
                    ContentionSites.applies(p) ? ContentionSites.of(p, f) : null);
        }
    }

    private final ComboBox<LockGraph.By> byBox = new ComboBox<>();
    private final ComboBox<KindChoice> kindBox = new ComboBox<>();
    private final Label status = new Label("No profile");
    private final TableView<LockGraph.LockRow> locks = new TableView<>();
    private final TableView<LockGraph.StackWeight> stacks = new TableView<>();
    private final TableView<LockGraph.Party> waiters = new TableView<>();
    /** ControlsFX's column filters on the lock table: its items are the filter's backing list. */
    private TableFilter<LockGraph.LockRow> locksFilter;
    private final TableView<LockGraph.Party> owners = new TableView<>();
    private final BorderPane lockPane = new BorderPane();
    private final LockGraphView graph = new LockGraphView();
    private Data data;
    private final BackgroundJob<Data> job = new BackgroundJob<>("kiln-locks");

    public LocksView() {
        byBox.getItems().setAll(LockGraph.By.values());
        byBox.setValue(LockGraph.By.CLASS);
        byBox.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(LockGraph.By b) { return b == null ? "" : b == LockGraph.By.CLASS ? "By class" : "By instance"; }

            @Override
            public LockGraph.By fromString(String s) { return null; }
        });
        kindBox.getItems().setAll(KindChoice.values());
        kindBox.setValue(KindChoice.ALL);
        byBox.valueProperty().addListener((o, a, b) -> refresh());
        kindBox.valueProperty().addListener((o, a, b) -> refresh());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Label hint = new Label("Edge width = waiting time \u00b7 click a lock for its stacks");
        hint.getStyleClass().add("muted");
        hint.setMinWidth(0); // the hint gives way first when the window is narrow
        Label title = new Label("Locks");
        title.setMinWidth(Region.USE_PREF_SIZE);
        status.setMinWidth(Region.USE_PREF_SIZE);
        HBox bar = new HBox(8, title, byBox, kindBox, hint, spacer, status);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6));
        lockPane.setTop(bar);

        locks.getColumns().add(textColumn("Lock", LockGraph.LockRow::name, 380));
        locks.getColumns().add(TableColumns.number("Time", LockGraph.LockRow::nanos, Units::duration, 95));
        locks.getColumns().add(TableColumns.number("Events", LockGraph.LockRow::count, LocksView::count, 95));
        locks.getColumns().add(TableColumns.number("Instances", r -> (long) r.instances(), LocksView::count, 95));
        locks.getColumns().add(textColumn("Kinds", r -> kindsText(r.kinds()), 200));
        locks.setPlaceholder(new Label("No lock events of this kind"));
        locks.getSelectionModel().selectedItemProperty().addListener((o, a, row) -> showDetails(row));
        locks.getSelectionModel().selectedIndexProperty().addListener((o, a, i) -> graph.setSelectedRow(i.intValue()));
        graph.setOnLockClicked(row -> {
            locks.getSelectionModel().select(row);
            locks.scrollTo(row);
        });

        stacks.getColumns().add(textColumn("Waiting stack (top frames, leaf first)", s -> frames(s.stack()), 460));
        stacks.getColumns().add(TableColumns.number("Time", LockGraph.StackWeight::nanos, Units::duration, 95));
        stacks.getColumns().add(TableColumns.number("Events", LockGraph.StackWeight::count, LocksView::count, 95));
        stacks.setPlaceholder(new Label("Select a lock"));
        setupParties(waiters, "Waiting thread");
        setupParties(owners, "Previous owner");
        owners.setPlaceholder(new Label("No owners recorded (only monitor enters name one)"));
        SplitPane threads = new SplitPane(titled("Waiting threads", waiters), titled("Owner threads", owners));
        SplitPane side = new SplitPane(titled("Waiting stacks", stacks), threads);
        side.setOrientation(Orientation.VERTICAL);
        SplitPane main = new SplitPane(locks, side);
        main.setDividerPositions(0.5);
        SplitPane graphAndTables = new SplitPane(graph, main);
        graphAndTables.setOrientation(Orientation.VERTICAL);
        graphAndTables.setDividerPositions(0.5);
        lockPane.setCenter(graphAndTables);
        for (TableView<?> t : List.of(locks, stacks, waiters, owners)) t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        setCenter(lockPane);
    }

    private static String count(long v) { return String.format(Locale.ROOT, "%,d", v); }

    private static String kindsText(List<LockGraph.KindTotal> kinds) {
        StringBuilder sb = new StringBuilder();
        for (LockGraph.KindTotal k : kinds) {
            if (sb.length() > 0) sb.append(", ");
            sb.append(k.kind().name().toLowerCase(Locale.ROOT)).append(' ').append(Units.duration(k.nanos()));
        }
        return sb.toString();
    }

    private static VBox titled(String title, Region content) {
        Label l = new Label(title);
        l.setStyle("-fx-font-weight: bold;");
        l.setPadding(new Insets(4, 6, 2, 6));
        VBox.setVgrow(content, Priority.ALWAYS);
        return new VBox(l, content);
    }

    private void setupParties(TableView<LockGraph.Party> t, String title) {
        t.getColumns().add(textColumn(title, LockGraph.Party::name, 220));
        t.getColumns().add(TableColumns.number("Time", LockGraph.Party::nanos, Units::duration, 95));
        t.getColumns().add(TableColumns.number("Events", LockGraph.Party::count, LocksView::count, 95));
        t.setPlaceholder(new Label("Select a lock"));
    }

    static <R> TableColumn<R, String> textColumn(String title, Function<R, String> f, double width) {
        TableColumn<R, String> c = new TableColumn<>(title);
        c.setCellValueFactory(v -> new SimpleStringProperty(f.apply(v.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    private String frames(int stack) {
        return StackText.leafFirst(data.profile(), stack, STACK_FRAMES, "<no stack>");
    }

    // ---- data

    /** Computes the lock analysis of {@code profile} in the background, then shows it. */
    public void setProfile(Profile profile) { setProfile(profile, Filter.NONE); }

    public void setProfile(Profile profile, Filter filter) {
        job.run(status, "Computing locks…", progress -> Data.compute(profile, filter, progress), this::setData);
    }

    /** Shows computed data now (FX thread). */
    public void setData(Data d) {
        data = d;
        if (d.graph() == null && d.sites() != null) {
            setCenter(sitesPane(d.sites()));
            return;
        }
        setCenter(lockPane);
        if (d.graph() == null) {
            locksFilter().getBackingList().clear();
            graph.setRows(List.of());
            locks.setPlaceholder(new Label("This profile has no lock events (JFR monitor enter/wait, park) and no contention profile"));
            status.setText("No lock data");
            return;
        }
        refresh();
    }

    public Data getData() { return data; }

    public TableView<LockGraph.LockRow> locksTable() { return locks; }

    /** The lock table's column filters (ControlsFX TableFilter: right-click a column header), made with its columns. */
    public TableFilter<LockGraph.LockRow> locksFilter() {
        if (locksFilter == null) locksFilter = TableFilter.forTableView(locks).lazy(true).apply();
        return locksFilter;
    }

    /** The drawn lock graph above the table. */
    public LockGraphView graph() { return graph; }

    public TableView<LockGraph.StackWeight> stacksTable() { return stacks; }

    public TableView<LockGraph.Party> ownersTable() { return owners; }

    public TableView<LockGraph.Party> waitersTable() { return waiters; }

    public ComboBox<LockGraph.By> byBox() { return byBox; }

    public ComboBox<KindChoice> kindBox() { return kindBox; }

    private void refresh() {
        if (data == null || data.graph() == null) return;
        Set<LockGraph.Kind> kinds = kindBox.getValue().kinds();
        List<LockGraph.LockRow> rows = data.graph().topLocks(byBox.getValue(), kinds, 0, DETAILS);
        locksFilter().getBackingList().setAll(rows);
        graph.setRows(rows);
        status.setText(String.format(Locale.ROOT, "%,d locks · %s waited in %,d events", rows.size(),
                Units.duration(data.graph().totalNanos(kinds)), data.graph().totalCount(kinds)));
        if (!rows.isEmpty()) locks.getSelectionModel().select(0);
        else showDetails(null);
    }

    private void showDetails(LockGraph.LockRow row) {
        stacks.getItems().setAll(row == null ? List.of() : row.stacks());
        waiters.getItems().setAll(row == null ? List.of() : row.waiters());
        owners.getItems().setAll(row == null ? List.of() : row.owners());
    }

    private static Region sitesPane(ContentionSites s) {
        TableView<ContentionSites.Site> t = new TableView<>();
        t.getColumns().add(textColumn("Waiting site", ContentionSites.Site::site, 360));
        t.getColumns().add(textColumn("Contended (lock or function)", ContentionSites.Site::contended, 360));
        t.getColumns().add(TableColumns.number("Delay", ContentionSites.Site::delayNanos, Units::duration, 95));
        t.getColumns().add(TableColumns.number("Contentions", ContentionSites.Site::contentions, LocksView::count, 95));
        t.getColumns().add(textColumn("Role", x -> x.releasing() ? "releasing" : "waiting", 90));
        t.getItems().setAll(s.sites());
        Label note = new Label(s.note() + " Shown as a table of site \u2192 contended function (no graph: there are no threads to draw)."
                + String.format(Locale.ROOT, "  Total delay %s in %,d contentions.",
                Units.duration(s.totalDelayNanos()), s.totalContentions()));
        note.setWrapText(true);
        note.setPadding(new Insets(8));
        note.setStyle("-fx-font-weight: bold;");
        VBox.setVgrow(t, Priority.ALWAYS);
        return new VBox(note, t);
    }
}
