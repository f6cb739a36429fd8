// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.diff;

import dev.kiln.analysis.diff.Diff;
import dev.kiln.analysis.tree.CallTree;
import dev.kiln.views.flame.FlameGraphView;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * Base and target flame graphs of a {@link Diff} next to each other ({@link Diff#baseTree()}, {@link Diff#targetTree()}),
 * kept in step: zooming one (click, breadcrumb, Backspace, double-click) zooms the other to the same call path,
 * matched by the labels of its frames from the root; where the other side lacks the path, it zooms to the longest
 * prefix it has and says so above the graph. Selecting a function selects it on both sides, and vertical scrolling
 * follows (horizontal position is the zoom). Each graph is as wide as its own total; the labels above say the
 * totals. FX thread only.
 */
public final class SideBySideFlames extends SplitPane {
    private final FlameGraphView base = new FlameGraphView(), target = new FlameGraphView();
    private final Label baseLabel = new Label(), targetLabel = new Label();
    private final Label baseNote = new Label(), targetNote = new Label();
    private Diff diff;
    private boolean syncing;

    public SideBySideFlames() {
        getStyleClass().add("diff-side-by-side");
        getItems().addAll(pane(baseLabel, baseNote, base), pane(targetLabel, targetNote, target));
        link(base, target, targetNote);
        link(target, base, baseNote);
    }

    private static VBox pane(Label title, Label note, FlameGraphView view) {
        title.setStyle("-fx-font-weight: bold;");
        view.setToolbarVisible(false); // the diff view's toolbar chooses the weight for both
        note.getStyleClass().add("muted");
        note.setManaged(false);
        VBox.setVgrow(view, Priority.ALWAYS);
        VBox box = new VBox(2, title, note, view);
        box.setPadding(new Insets(4, 2, 0, 2));
        return box;
    }

    private void link(FlameGraphView from, FlameGraphView to, Label toNote) {
        from.setOnViewChanged(() -> {
            if (syncing || from.tree() == null || to.tree() == null) return;
            syncing = true;
            try {
                String[] path = from.tree().path(from.zoomRoot());
                int[] found = find(to.tree(), path);
                if (to.zoomRoot() != found[0]) to.zoomTo(found[0]);
                to.setScrollOffset(from.scrollOffset());
                boolean missing = found[1] < path.length;
                toNote.setText(missing ? "Not in " + (to == base ? "base" : "target") + ": " + path[path.length - 1]
                        + " (zoomed to its nearest caller here)" : "");
                toNote.setManaged(missing);
                toNote.setVisible(missing);
            } finally {
                syncing = false;
            }
        });
        from.selectedFunctionProperty().addListener((o, was, name) -> {
            if (!syncing && name != null && !name.equals(to.selectedFunctionProperty().get())) to.selectFunction(name);
        });
    }

    /**
     * The row of {@code tree} at the end of {@code path} (frame labels from the root, as {@link CallTree#path}) and
     * how many of its labels matched: {@code [row, matched]}; when only a prefix exists, the row of that prefix.
     */
    public static int[] find(CallTree tree, String[] path) {
        int n = 0, depth = 0;
        for (String label : path) {
            int child = -1;
            for (int c = n + 1; c < tree.subtreeEnd(n); c = tree.subtreeEnd(c)) {
                if (tree.label(c).equals(label)) { child = c; break; }
            }
            if (child < 0) break;
            n = child;
            depth++;
        }
        return new int[] {n, depth};
    }

    /** Shows the two sides of {@code d} (both zoomed out). */
    public void setDiff(Diff d) {
        if (d == diff) return;
        diff = d;
        syncing = true;
        try {
            base.setTree(d.baseTree());
            target.setTree(d.targetTree());
        } finally {
            syncing = false;
        }
        baseLabel.setText("Base: " + d.base().sourceName() + "  \u00b7  " + DiffPainter.amount(d.baseTree().rootTotal(), d.unit()));
        targetLabel.setText("Target: " + d.target().sourceName() + "  \u00b7  " + DiffPainter.amount(d.targetTree().rootTotal(), d.unit()));
        for (Label n : new Label[] {baseNote, targetNote}) { n.setText(""); n.setManaged(false); n.setVisible(false); }
    }

    public Diff diff() { return diff; }

    public FlameGraphView baseView() { return base; }

    public FlameGraphView targetView() { return target; }

    /** The note above the base graph ("Not in base: ..."), or "" when the zoomed path exists there. */
    public String baseNote() { return baseNote.isVisible() ? baseNote.getText() : ""; }

    public String targetNote() { return targetNote.isVisible() ? targetNote.getText() : ""; }
}
