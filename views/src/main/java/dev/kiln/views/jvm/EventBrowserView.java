// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.jvm;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.jvm.EventRows;
import dev.kiln.model.JfrEventStore;
import dev.kiln.model.JfrEventTable;
import dev.kiln.model.JfrField;
import dev.kiln.model.JfrValueText;
import dev.kiln.model.Profile;
import dev.kiln.views.common.BackgroundJob;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ObservableListBase;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableRow;
import javafx.scene.control.TreeTableView;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Event browser of a JFR recording, after JMC's: on the left every event type the recording declares, in a tree
 * of its metadata categories with the number of events per type and per category (in the capture's filter; types
 * without events only with "Show empty types"; a search field keeps the types whose name or label has its text);
 * on the right the selected type's events, a column per field (a struct's fields under its name), values in the
 * units people read ({@link JfrValueText}), sortable by any column and filtered by a text; below, the selected
 * event's stack trace, its thread and all its fields. The table holds row numbers of the event store only (no object
 * per event), counting, filtering and sorting run in the background, so a type of 800,000 events stays fluid.
 * "Show in timeline" (or a double-click) hands the selected event's time and thread to {@link #setOnShowInTimeline}.
 */
public final class EventBrowserView extends BorderPane {
    /** An event's place in time: its start and duration (ns) and its thread (a ThreadTable row, -1 for none). */
    public record EventTime(long startNanos, long durationNanos, int thread) { }

    /** A row of the type tree: a category (type null) or an event type, with its events in the filter. */
    public record TypeEntry(String name, JfrEventTable type, long count) { }

    /** The rows shown, in order ({@code rows}; {@code base} before the sort), and how they were chosen. */
    private record Shown(JfrEventTable type, Filter filter, String text, JfrField sortBy, boolean descending, int inFilter, int[] base, int[] rows) { }

    private record Counts(Filter filter, Map<JfrEventTable, Integer> byType) { }

    private final TreeTableView<TypeEntry> tree = new TreeTableView<>();
    private final TextField search = new TextField();
    private final CheckBox showEmpty = new CheckBox("Show empty types");
    private final Rows rows = new Rows();
    private final TableView<Integer> table = new TableView<>(rows);
    private final TextField rowFilter = new TextField();
    private final Label heading = new Label(), status = new Label();
    private final Button showInTimeline = new Button("Show in timeline");
    private final TextArea stack = new TextArea(), fields = new TextArea();
    private final BackgroundJob<Counts> countJob = new BackgroundJob<>("kiln-event-counts");
    private final BackgroundJob<Shown> rowJob = new BackgroundJob<>("kiln-event-rows");
    private Profile profile;
    private Filter filter = Filter.NONE;
    private Counts counts;
    private JfrEventTable type;
    private Shown shown;
    private boolean rowsReady, countsReady;
    private Consumer<EventTime> onShowInTimeline;

    public EventBrowserView() {
        setId("events-view");
        search.setPromptText("Search event types");
        search.textProperty().addListener((o, a, b) -> rebuildTree());
        showEmpty.selectedProperty().addListener((o, a, b) -> rebuildTree());
        TreeTableColumn<TypeEntry, String> name = new TreeTableColumn<>("Event type");
        name.setCellValueFactory(d -> new ReadOnlyStringWrapper(d.getValue().getValue().name()));
        name.setPrefWidth(230);
        TreeTableColumn<TypeEntry, Long> count = new TreeTableColumn<>("Count");
        count.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(d.getValue().getValue().count()));
        count.setCellFactory(c -> new javafx.scene.control.TreeTableCell<>() {
            @Override
            protected void updateItem(Long v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : String.format(Locale.ROOT, "%,d", v));
            }
        });
        count.setStyle("-fx-alignment: CENTER-RIGHT;");
        count.setPrefWidth(80);
        count.setMaxWidth(100);
        tree.getColumns().add(name);
        tree.getColumns().add(count);
        tree.setShowRoot(false);
        tree.setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        tree.setRowFactory(t -> {
            TreeTableRow<TypeEntry> row = new TreeTableRow<>() {
                @Override
                protected void updateItem(TypeEntry e, boolean empty) {
                    super.updateItem(e, empty);
                    setTooltip(empty || e == null || e.type() == null ? null : new Tooltip(e.type().name()
                            + (e.type().description() == null ? "" : "\n" + e.type().description())));
                }
            };
            return row;
        });
        tree.getSelectionModel().selectedItemProperty().addListener((o, a, item) -> {
            TypeEntry e = item == null ? null : item.getValue();
            if (e != null && e.type() != null && e.type() != type) selectType(e.type());
        });
        showEmpty.setPadding(new Insets(2, 0, 2, 2));
        VBox.setVgrow(tree, Priority.ALWAYS);
        VBox left = new VBox(6, search, showEmpty, tree);
        left.setPadding(new Insets(6));

        rowFilter.setPromptText("Filter events (text in any column or frame)");
        rowFilter.setPrefColumnCount(26);
        rowFilter.textProperty().addListener((o, a, b) -> requestRows());
        showInTimeline.setDisable(true);
        showInTimeline.setOnAction(e -> showSelectedInTimeline());
        heading.setStyle("-fx-font-weight: bold;");
        heading.setMinWidth(Region.USE_PREF_SIZE);
        status.setStyle("-fx-opacity: 0.75;");
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox bar = new HBox(10, heading, status, gap, rowFilter, showInTimeline);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6));
        table.setPlaceholder(new Label("Select an event type on the left"));
        table.setTableMenuButtonVisible(true);
        table.setFixedCellSize(24); // rows of one height: the table never measures 800,000 of them
        // The rows are store row numbers; a sort orders them in the background (EventRows.sorted), never the FX way.
        table.setSortPolicy(t -> {
            if (shown != null && (shown.sortBy() != sortField() || shown.descending() != sortDescending())) requestRows();
            return true;
        });
        table.getSelectionModel().selectedItemProperty().addListener((o, a, row) -> showDetails(row));
        table.setRowFactory(t -> {
            TableRow<Integer> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && !row.isEmpty()) showSelectedInTimeline();
            });
            return row;
        });
        stack.setEditable(false);
        fields.setEditable(false);
        stack.setStyle("-fx-font-family: monospace;");
        fields.setStyle("-fx-font-family: monospace;");
        SplitPane details = new SplitPane(stack, fields);
        details.setDividerPositions(0.62);
        SplitPane right = new SplitPane(table, details);
        right.setOrientation(Orientation.VERTICAL);
        right.setDividerPositions(0.66);
        BorderPane rightPane = new BorderPane(right, bar, null, null, null);
        SplitPane split = new SplitPane(left, rightPane);
        split.setDividerPositions(0.24);
        SplitPane.setResizableWithParent(left, false);
        setCenter(split);
    }

    // ---- data

    /** Shows a profile's event store in a filter: counts every type in the background, then shows the tree. */
    public void setProfile(Profile p, Filter f) {
        profile = p;
        type = null;
        shown = null;
        table.getColumns().clear();
        rows.set(new int[0]);
        setFilter(f);
    }

    /** Applies the capture's filter (time range, threads) to the counts and the rows. */
    public void setFilter(Filter f) {
        filter = f == null ? Filter.NONE : f;
        if (profile == null) return;
        countsReady = false;
        JfrEventStore store = profile.jfrEvents();
        Profile p = profile;
        Filter at = filter;
        countJob.run(status, "Counting events…", progress -> {
            Map<JfrEventTable, Integer> by = new LinkedHashMap<>();
            for (JfrEventTable t : store.tables()) {
                progress.checkCancelled();
                by.put(t, EventRows.count(p, t, at));
            }
            return new Counts(at, by);
        }, c -> {
            counts = c;
            countsReady = true;
            rebuildTree();
            if (type != null) requestRows();
        });
    }

    /** What "Show in timeline" and a double-click on an event call (null: the button is off). */
    public void setOnShowInTimeline(Consumer<EventTime> action) {
        onShowInTimeline = action;
        updateButton();
    }

    private void rebuildTree() {
        if (counts == null) return;
        String q = search.getText() == null ? "" : search.getText().strip().toLowerCase(Locale.ROOT);
        TreeItem<TypeEntry> root = new TreeItem<>(new TypeEntry("", null, 0));
        Map<String, TreeItem<TypeEntry>> categories = new LinkedHashMap<>();
        Map<TreeItem<TypeEntry>, long[]> sums = new LinkedHashMap<>();
        TreeItem<TypeEntry> selected = null;
        for (Map.Entry<JfrEventTable, Integer> e : counts.byType().entrySet()) {
            JfrEventTable t = e.getKey();
            int n = e.getValue();
            if (n == 0 && !showEmpty.isSelected()) continue;
            if (!q.isEmpty() && !t.label().toLowerCase(Locale.ROOT).contains(q) && !t.name().toLowerCase(Locale.ROOT).contains(q)) continue;
            TreeItem<TypeEntry> parent = root;
            StringBuilder path = new StringBuilder();
            List<TreeItem<TypeEntry>> chain = new ArrayList<>();
            for (String c : t.category()) {
                path.append('/').append(c);
                TreeItem<TypeEntry> p0 = parent;
                parent = categories.computeIfAbsent(path.toString(), k -> {
                    TreeItem<TypeEntry> item = new TreeItem<>(new TypeEntry(c, null, 0));
                    p0.getChildren().add(item);
                    return item;
                });
                chain.add(parent);
            }
            for (TreeItem<TypeEntry> c : chain) sums.computeIfAbsent(c, k -> new long[1])[0] += n;
            TreeItem<TypeEntry> item = new TreeItem<>(new TypeEntry(t.label(), t, n));
            parent.getChildren().add(item);
            if (t == type) selected = item;
        }
        for (Map.Entry<TreeItem<TypeEntry>, long[]> s : sums.entrySet()) {
            TreeItem<TypeEntry> item = s.getKey();
            item.setValue(new TypeEntry(item.getValue().name(), null, s.getValue()[0]));
            item.setExpanded(!q.isEmpty() || item.getParent() == root);
        }
        sortTree(root);
        tree.setRoot(root);
        if (selected != null) {
            for (TreeItem<TypeEntry> up = selected.getParent(); up != null; up = up.getParent()) up.setExpanded(true);
            tree.getSelectionModel().select(selected);
            tree.scrollTo(Math.max(0, tree.getRow(selected) - 3));
        }
    }

    /** Categories first, then types, each by name (as JMC's type tree). */
    private static void sortTree(TreeItem<TypeEntry> item) {
        item.getChildren().sort((a, b) -> {
            boolean ca = a.getValue().type() == null, cb = b.getValue().type() == null;
            if (ca != cb) return ca ? -1 : 1;
            return a.getValue().name().compareToIgnoreCase(b.getValue().name());
        });
        for (TreeItem<TypeEntry> c : item.getChildren()) sortTree(c);
    }

    /** Shows the events of this type (one the profile's store holds). */
    public void selectType(JfrEventTable t) {
        if (t == type) return;
        type = t;
        shown = null;
        table.getSortOrder().clear();
        table.getColumns().setAll(columns(t));
        rows.set(new int[0]);
        table.setPlaceholder(new Label("No " + t.label() + " event" + (filter.isNone() ? "" : " in this range")));
        requestRows();
    }

    /** Selects the type of this name in the tree (and so in the table); false when the tree does not show it. */
    public boolean selectType(String typeName) {
        if (tree.getRoot() == null) return false;
        TreeItem<TypeEntry> item = find(tree.getRoot(), typeName);
        if (item == null) return false;
        for (TreeItem<TypeEntry> up = item.getParent(); up != null; up = up.getParent()) up.setExpanded(true);
        tree.getSelectionModel().select(item);
        tree.scrollTo(Math.max(0, tree.getRow(item) - 3));
        selectType(item.getValue().type());
        return true;
    }

    private static TreeItem<TypeEntry> find(TreeItem<TypeEntry> item, String typeName) {
        if (item.getValue().type() != null && item.getValue().type().name().equals(typeName)) return item;
        for (TreeItem<TypeEntry> c : item.getChildren()) {
            TreeItem<TypeEntry> f = find(c, typeName);
            if (f != null) return f;
        }
        return null;
    }

    private List<TableColumn<Integer, ?>> columns(JfrEventTable t) {
        List<TableColumn<Integer, ?>> out = new ArrayList<>();
        Map<String, TableColumn<Integer, ?>> groups = new LinkedHashMap<>();
        Profile p = profile;
        for (JfrField f : t.fields()) {
            int dot = f.path().lastIndexOf('.');
            String leaf = f.label() != null && !f.label().isBlank() ? f.label() : f.path().substring(dot + 1);
            TableColumn<Integer, String> c = new TableColumn<>(leaf);
            c.setUserData(f);
            c.setCellValueFactory(d -> new ReadOnlyStringWrapper(JfrValueText.cell(p, f, d.getValue())));
            boolean number = f.kind() == JfrField.Kind.LONG || f.kind() == JfrField.Kind.DOUBLE;
            if (number && !"Timestamp".equals(f.contentType())) c.setStyle("-fx-alignment: CENTER-RIGHT;");
            c.setPrefWidth(switch (f.kind()) {
                case STACK -> 320;
                case THREAD, STRING, CLASS, ARRAY -> 170;
                default -> "Timestamp".equals(f.contentType()) ? 190 : 95;
            });
            if (dot < 0) {
                out.add(c);
                continue;
            }
            String struct = f.path().substring(0, dot);
            TableColumn<Integer, ?> g = groups.get(struct);
            if (g == null) {
                g = new TableColumn<>(struct);
                groups.put(struct, g);
                out.add(g);
            }
            g.getColumns().add(c);
        }
        return out;
    }

    private JfrField sortField() {
        return table.getSortOrder().isEmpty() ? null : (JfrField) table.getSortOrder().get(0).getUserData();
    }

    private boolean sortDescending() {
        return !table.getSortOrder().isEmpty() && table.getSortOrder().get(0).getSortType() == TableColumn.SortType.DESCENDING;
    }

    /** Recomputes the shown rows (filter, text, sort) in the background. */
    private void requestRows() {
        if (type == null || profile == null) return;
        rowsReady = false;
        Profile p = profile;
        JfrEventTable t = type;
        Filter f = filter;
        String text = rowFilter.getText();
        JfrField by = sortField();
        boolean desc = sortDescending();
        Shown before = shown;
        rowJob.run(status, "Reading " + t.label() + "…", progress -> {
            boolean same = before != null && before.type() == t && before.filter().equals(f) && java.util.Objects.equals(before.text(), text);
            int[] base = same ? before.base() : EventRows.inFilter(p, t, f);
            int inFilter = same ? before.inFilter() : base.length;
            if (!same) base = EventRows.matching(p, t, base, text, progress);
            int[] ordered = by == null ? base : EventRows.sorted(p, t, base, by, desc, progress);
            return new Shown(t, f, text, by, desc, inFilter, base, ordered);
        }, this::show);
    }

    private void show(Shown s) {
        if (s.type() != type) return;
        Integer was = table.getSelectionModel().getSelectedItem();
        shown = s;
        rows.set(s.rows());
        int n = s.rows().length;
        heading.setText(String.format(Locale.ROOT, "%s: %,d event%s", s.type().label(), n, n == 1 ? "" : "s"));
        status.setText((n != s.inFilter() ? String.format(Locale.ROOT, "of %,d ", s.inFilter()) : "")
                + (s.filter().isNone() ? "" : "in the time range ") + "· " + s.type().name());
        int at = -1;
        if (was != null) for (int i = 0; i < n && at < 0; i++) if (s.rows()[i] == was) at = i;
        if (at < 0 && n > 0) at = 0;
        if (at >= 0) {
            table.getSelectionModel().select(at);
            table.scrollTo(Math.max(0, at - 3));
        } else {
            showDetails(null);
        }
        rowsReady = true;
    }

    private void showDetails(Integer row) {
        updateButton();
        if (row == null || type == null) {
            stack.setText("");
            fields.setText("");
            return;
        }
        JfrEventTable t = type;
        StringBuilder b = new StringBuilder();
        int th = t.thread(row);
        if (EventRows.hasThread(t)) b.append("Thread: ").append(th < 0 ? "(none)" : threadText(th)).append("\n\n");
        if (t.field("stackTrace") != null) {
            int s = t.stack(row);
            b.append("Stack trace").append(s < 0 ? ": (none)" : ", top frame first:").append('\n');
            if (s >= 0) StackText.append(b, profile, s);
        } else {
            b.append("(").append(t.name()).append(" has no stack trace)\n");
        }
        stack.setText(b.toString());
        StringBuilder v = new StringBuilder(t.name()).append('\n');
        long start = t.startNanos(row);
        if (start != Long.MIN_VALUE && start != Long.MAX_VALUE) {
            v.append(Instant.ofEpochSecond(Math.floorDiv(start, 1_000_000_000L), Math.floorMod(start, 1_000_000_000L))).append("\n");
        }
        for (JfrField f : t.fields()) {
            if (f.kind() == JfrField.Kind.STACK) continue;
            v.append(f.path()).append(" = ").append(JfrValueText.cell(profile, f, row)).append('\n');
        }
        fields.setText(v.toString());
    }

    private String threadText(int th) {
        StringBuilder b = new StringBuilder("\"").append(profile.threadName(th)).append('"');
        long java = profile.threads().javaId(th), os = profile.threads().osId(th);
        if (java >= 0 || os >= 0) {
            b.append(" (");
            if (java >= 0) b.append("javaThreadId ").append(java);
            if (os >= 0) b.append(java >= 0 ? ", " : "").append("osThreadId ").append(os);
            b.append(')');
        }
        return b.toString();
    }

    private void updateButton() {
        Integer row = table.getSelectionModel().getSelectedItem();
        showInTimeline.setDisable(onShowInTimeline == null || row == null || type == null || type.startNanos(row) == Long.MIN_VALUE);
    }

    private void showSelectedInTimeline() {
        Integer row = table.getSelectionModel().getSelectedItem();
        if (onShowInTimeline == null || row == null || type == null || type.startNanos(row) == Long.MIN_VALUE) return;
        onShowInTimeline.accept(new EventTime(type.startNanos(row), type.durationNanos(row), type.thread(row)));
    }

    // ---- for tests and the shell

    /** Whether the counts and the selected type's rows of the latest request are shown. */
    public boolean isReady() { return countsReady && (type == null || rowsReady); }

    public TreeTableView<TypeEntry> tree() { return tree; }

    public TableView<Integer> table() { return table; }

    public TextField searchField() { return search; }

    public CheckBox showEmptyBox() { return showEmpty; }

    public TextField rowFilterField() { return rowFilter; }

    public Button showInTimelineButton() { return showInTimeline; }

    public String headingText() { return heading.getText(); }

    public String stackText() { return stack.getText(); }

    public String fieldsText() { return fields.getText(); }

    /** The shown type, or null. */
    public JfrEventTable selectedType() { return type; }

    /** The leaf column of a field path of the shown type, or null. */
    @SuppressWarnings("unchecked")
    public TableColumn<Integer, String> column(String path) {
        for (TableColumn<Integer, ?> c : table.getVisibleLeafColumns()) {
            if (c.getUserData() instanceof JfrField f && f.path().equals(path)) return (TableColumn<Integer, String>) c;
        }
        return null;
    }

    /** The text of a shown cell: row {@code index} of the table, column of {@code path}. */
    public String cell(int index, String path) { return column(path).getCellData(index); }

    /**
     * The row numbers of the store shown, in order: a list over an {@code int[]}, boxed when read, replaced whole by
     * {@link #set}. One list for the table's life: TableView clears its sort order when given another list.
     */
    static final class Rows extends ObservableListBase<Integer> {
        private int[] rows = new int[0];

        void set(int[] newRows) {
            int[] old = rows;
            rows = newRows;
            beginChange();
            if (old.length > 0) nextRemove(0, new java.util.AbstractList<Integer>() {
                @Override
                public Integer get(int i) { return old[i]; }

                @Override
                public int size() { return old.length; }
            });
            if (newRows.length > 0) nextAdd(0, newRows.length);
            endChange();
        }

        @Override
        public Integer get(int index) { return rows[index]; }

        @Override
        public int size() { return rows.length; }
    }
}
