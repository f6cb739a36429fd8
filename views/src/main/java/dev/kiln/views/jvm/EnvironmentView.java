// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.jvm;

import dev.kiln.analysis.jvm.JvmEnvironment;
import dev.kiln.model.JfrEventTable;
import dev.kiln.model.JfrField;
import dev.kiln.model.Profile;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import org.controlsfx.control.textfield.TextFields;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The Environment page of a JFR recording, as JMC's: where it was made ({@link JvmEnvironment}), in groups of one
 * table: JVM, OS, CPU, memory, virtualization, container and the recording, then the flags not at their default (with
 * their origin), the system properties and environment variables at start, and the recording settings per event type.
 * A search field keeps the rows whose name or value contains its text (case-insensitive) and opens their groups; the
 * selected row's whole value shows below (multi-line values, such as the CPU's description, in full); Ctrl+C or the
 * context menu copies the value (or {@code name=value}) to the clipboard.
 */
public final class EnvironmentView extends BorderPane {
    /** A row: a group's heading (no value) or a name, its value and a detail (a flag's origin). */
    public record Entry(String name, String value, String detail) { }

    private final TreeTableView<Entry> table = new TreeTableView<>();
    private final TextField search = TextFields.createClearableTextField();
    private final Label heading = new Label(), matched = new Label();
    private final TextArea full = new TextArea();
    private final List<TreeItem<Entry>> groups = new ArrayList<>();
    /** Each group's rows, all of them (the search shows some). */
    private final List<List<TreeItem<Entry>>> rows = new ArrayList<>();

    public EnvironmentView() {
        setId("environment-view");
        heading.setStyle("-fx-font-weight: bold;");
        search.setPromptText("Search names and values (Ctrl+F)");
        search.setPrefColumnCount(30);
        search.textProperty().addListener((o, a, b) -> applySearch());
        table.setId("environment-table");
        table.getColumns().add(column("Name", Entry::name, 330));
        table.getColumns().add(column("Value", e -> e.value() == null ? "" : oneLine(e.value()), 640));
        table.getColumns().add(column("Origin", Entry::detail, 130));
        table.setShowRoot(false);
        table.setRoot(new TreeItem<>(new Entry("", null, "")));
        table.setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY_LAST_COLUMN);
        MenuItem copyValue = new MenuItem("Copy value"), copyBoth = new MenuItem("Copy name=value");
        copyValue.setOnAction(e -> copy(false));
        copyBoth.setOnAction(e -> copy(true));
        table.setContextMenu(new ContextMenu(copyValue, copyBoth));
        KeyCombination ctrlC = new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN);
        table.addEventHandler(KeyEvent.KEY_PRESSED, e -> { if (ctrlC.match(e)) { copy(false); e.consume(); } });
        addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.F && e.isShortcutDown()) { search.requestFocus(); e.consume(); }
        });
        full.setEditable(false);
        full.setWrapText(true);
        full.setStyle("-fx-font-family: monospace;");
        full.setPromptText("Select a row for its whole value");
        table.getSelectionModel().selectedItemProperty().addListener((o, a, item) -> {
            Entry e = item == null ? null : item.getValue();
            full.setText(e == null || e.value() == null ? "" : e.name() + " = " + e.value());
        });
        HBox bar = new HBox(10, heading, spacer(), search, matched);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 8, 6, 8));
        SplitPane split = new SplitPane(table, full);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.86);
        setTop(bar);
        setCenter(split);
    }

    private static javafx.scene.layout.Region spacer() {
        javafx.scene.layout.Region r = new javafx.scene.layout.Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }

    private static String oneLine(String v) { return v.strip().replace("\r", "").replace("\n", "  \u23ce  "); }

    private static TreeTableColumn<Entry, String> column(String title, Function<Entry, String> value, double width) {
        TreeTableColumn<Entry, String> c = new TreeTableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(d.getValue().getValue() == null ? "" : value.apply(d.getValue().getValue())));
        c.setPrefWidth(width);
        return c;
    }

    /** Shows the environment in the profile's event store. */
    public void setProfile(Profile p) {
        JvmEnvironment<Map<String, String>> env = JvmEnvironment.of(p, false);
        groups.clear();
        rows.clear();
        env.sections().forEach((key, fields) -> {
            List<Entry> es = new ArrayList<>();
            JfrEventTable t = p.jfrEvents().table(JvmEnvironment.SECTIONS.get(key));
            fields.forEach((k, v) -> es.add(new Entry(label(t, k), v, "")));
            group(JvmEnvironment.title(key), es, true);
        });
        List<Entry> flags = new ArrayList<>();
        for (Map<String, String> f : env.flags()) flags.add(new Entry(f.get("name"), f.getOrDefault("value", ""), f.getOrDefault("origin", "")));
        group("Flags not at their default (" + flags.size() + ")", flags, true);
        group("System properties (" + env.properties().size() + ")", entries(env.properties()), true);
        group("Environment variables (" + env.environment().size() + ")", entries(env.environment()), true);
        List<Entry> settings = new ArrayList<>();
        env.settings().forEach((type, s) -> {
            StringBuilder b = new StringBuilder();
            s.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append('=').append(v));
            settings.add(new Entry(type, b.toString(), ""));
        });
        group("Recording settings (" + settings.size() + " event types)", settings, false);
        heading.setText(env.isEmpty() ? "The recording has no environment events (or was loaded without its event store)"
                : String.format(Locale.ROOT, "Environment of %s: %d flags changed, %d system properties, %d environment variables",
                p.sourceName(), flags.size(), env.properties().size(), env.environment().size()));
        applySearch();
    }

    /** A field's label in the metadata ("JVM Arguments"), its path when it has none. */
    private static String label(JfrEventTable t, String path) {
        JfrField f = t == null ? null : t.field(path);
        return f == null || f.label() == null || f.label().isBlank() ? path : f.label();
    }

    private static List<Entry> entries(Map<String, String> m) {
        List<Entry> out = new ArrayList<>();
        m.forEach((k, v) -> out.add(new Entry(k, v, "")));
        return out;
    }

    private void group(String title, List<Entry> entries, boolean expanded) {
        TreeItem<Entry> g = new TreeItem<>(new Entry(title, null, ""));
        g.setExpanded(expanded);
        List<TreeItem<Entry>> items = new ArrayList<>();
        for (Entry e : entries) items.add(new TreeItem<>(e));
        groups.add(g);
        rows.add(items);
    }

    private void applySearch() {
        String q = search.getText() == null ? "" : search.getText().strip().toLowerCase(Locale.ROOT);
        List<TreeItem<Entry>> shown = new ArrayList<>();
        int hits = 0;
        for (int i = 0; i < groups.size(); i++) {
            TreeItem<Entry> g = groups.get(i);
            List<TreeItem<Entry>> keep = new ArrayList<>();
            for (TreeItem<Entry> r : rows.get(i)) if (q.isEmpty() || matches(r.getValue(), q)) keep.add(r);
            g.getChildren().setAll(keep);
            if (!q.isEmpty()) {
                hits += keep.size();
                g.setExpanded(!keep.isEmpty());
                if (keep.isEmpty()) continue;
            }
            shown.add(g);
        }
        table.getRoot().getChildren().setAll(shown);
        matched.setText(q.isEmpty() ? "" : hits + " rows match");
    }

    private static boolean matches(Entry e, String q) {
        return e.name().toLowerCase(Locale.ROOT).contains(q) || e.value() != null && e.value().toLowerCase(Locale.ROOT).contains(q);
    }

    private void copy(boolean withName) {
        String text = copyText(withName);
        if (text == null) return;
        ClipboardContent c = new ClipboardContent();
        c.putString(text);
        Clipboard.getSystemClipboard().setContent(c);
    }

    /** What Copy puts on the clipboard for the selected row: its value, or {@code name=value}; null for a heading or none. */
    public String copyText(boolean withName) {
        TreeItem<Entry> item = table.getSelectionModel().getSelectedItem();
        if (item == null || item.getValue().value() == null) return null;
        Entry e = item.getValue();
        return withName ? e.name() + "=" + e.value() : e.value();
    }

    public TreeTableView<Entry> table() { return table; }

    public void setSearch(String text) { search.setText(text); }

    /** The groups shown (their headings), in order. */
    public List<String> groupTitles() { return table.getRoot().getChildren().stream().map(g -> g.getValue().name()).toList(); }

    /** The rows shown in the group whose heading starts with {@code prefix}, or an empty list. */
    public List<Entry> rowsOf(String prefix) {
        for (TreeItem<Entry> g : table.getRoot().getChildren()) {
            if (g.getValue().name().startsWith(prefix)) return g.getChildren().stream().map(TreeItem::getValue).toList();
        }
        return List.of();
    }

    public String headingText() { return heading.getText(); }

    public String fullValueText() { return full.getText(); }
}
