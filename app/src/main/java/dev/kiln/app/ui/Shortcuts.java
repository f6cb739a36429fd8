// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.GridPane;

import java.util.ArrayList;
import java.util.List;

/**
 * Help &gt; Keyboard Shortcuts: every shortcut of the menus (read from their accelerators, so the list cannot drift
 * from them) and those of the views, which have no menu item. Also finds what Ctrl+F should focus in a view.
 */
final class Shortcuts {
    private Shortcuts() { }

    /** One line of the list: the keys, what they do, and where they work. */
    record Shortcut(String keys, String what, String where) { }

    /** The views' own keys (no menu item carries them). */
    static final List<Shortcut> VIEW_KEYS = List.of(
            new Shortcut("Ctrl+F", "Focus the view's search or filter field (tables: the first column's filter)", "every view"),
            new Shortcut("Esc", "Clear the search", "flame graph"),
            new Shortcut("Click", "Zoom into a box; a crumb above zooms back out to it", "flame graph"),
            new Shortcut("Backspace", "Zoom out one level", "flame graph"),
            new Shortcut("Double-click", "Reset the zoom", "flame graph"),
            new Shortcut("Scroll / drag", "Move a deep graph up and down", "flame graph"),
            new Shortcut("Enter", "Search (call tree) or peek at the function (peek)", "call tree, peek"),
            new Shortcut("+ / - / 0", "Zoom in, out, to the whole recording", "thread timeline"),
            new Shortcut("Drag", "Choose a time range for every view of the capture", "thread timeline"),
            new Shortcut("Scroll / drag", "Zoom and pan", "call graph"),
            new Shortcut("Right-click a column header", "Filter the table by the column's values", "locks, allocations"));

    /** Every shortcut: the menus' accelerators in menu order, then {@link #VIEW_KEYS}. */
    static List<Shortcut> all(MenuBar bar) {
        List<Shortcut> out = new ArrayList<>();
        for (Menu m : bar.getMenus()) collect(m, m.getText(), out);
        out.addAll(VIEW_KEYS);
        return out;
    }

    private static void collect(Menu menu, String path, List<Shortcut> out) {
        for (MenuItem i : menu.getItems()) {
            if (i instanceof Menu sub) collect(sub, path + " > " + sub.getText(), out);
            else if (i.getAccelerator() != null) out.add(new Shortcut(display(i.getAccelerator()), path + " > " + i.getText(), "menu"));
        }
    }

    /** An accelerator as the menus show it ("Ctrl+O" on Linux and Windows). */
    static String display(KeyCombination k) { return k.getDisplayText(); }

    /** The Help dialog's content: a two-column list with headings. */
    static Node table(List<Shortcut> shortcuts) {
        GridPane g = new GridPane();
        g.setHgap(18);
        g.setVgap(4);
        g.setPadding(new Insets(8));
        g.setId("shortcuts");
        int row = 0;
        String where = null;
        for (Shortcut s : shortcuts) {
            String group = s.where().equals("menu") ? "Menus" : "Views";
            if (!group.equals(where)) {
                Label h = new Label(group);
                h.setStyle("-fx-font-weight: bold; -fx-padding: 6 0 2 0;");
                g.add(h, 0, row++, 2, 1);
                where = group;
            }
            Label keys = new Label(s.keys());
            keys.setStyle("-fx-font-family: monospace;");
            keys.setMinWidth(Label.USE_PREF_SIZE);
            Label what = new Label(s.where().equals("menu") ? s.what() : s.what() + "  (" + s.where() + ")");
            what.setWrapText(true);
            g.add(keys, 0, row);
            g.add(what, 1, row++);
        }
        ScrollPane scroll = new ScrollPane(g);
        scroll.setFitToWidth(true);
        scroll.setPrefSize(720, 520);
        return scroll;
    }

    /** What Ctrl+F focuses in {@code view}: its first visible text field, else a table whose columns have filters. */
    static Node findTarget(Node view) {
        if (view == null) return null;
        Node table = null;
        List<Node> nodes = new ArrayList<>();
        collect(view, nodes);
        for (Node n : nodes) {
            if (n instanceof TextField t && t.isEditable() && !t.isDisabled() && shown(t, view)) return t;
            if (table == null && n instanceof TableView<?> tv && !tv.getColumns().isEmpty() && tv.getColumns().get(0).getContextMenu() != null) table = tv;
        }
        return table;
    }

    private static void collect(Node n, List<Node> out) {
        out.add(n);
        if (n instanceof ScrollPane s && s.getContent() != null) collect(s.getContent(), out);
        else if (n instanceof javafx.scene.Parent p) for (Node c : p.getChildrenUnmodifiable()) collect(c, out);
    }

    /** Whether {@code n} and every parent up to {@code root} is visible. */
    private static boolean shown(Node n, Node root) {
        for (Node p = n; p != null && p != root.getParent(); p = p.getParent()) if (!p.isVisible()) return false;
        return true;
    }
}
