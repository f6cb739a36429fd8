// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import dev.kiln.analysis.findings.Finding;
import javafx.concurrent.Task;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A view's tab content while its analysis runs in the background: a progress bar and Cancel, replaced by the view
 * (built on the FX thread from the analysis result) or by the error.
 */
final class BackgroundView<T> extends StackPane implements Consumer<Finding.Link> {
    private final Task<T> task;
    private Node built;
    private Finding.Link pending;

    BackgroundView(String what, FxJobs.Job<T> job, Function<T, Node> view) {
        Label label = new Label(what + "...");
        ProgressBar bar = new ProgressBar();
        bar.setPrefWidth(320);
        Button cancel = new Button("Cancel");
        VBox box = new VBox(10, label, bar, cancel);
        box.setAlignment(Pos.CENTER);
        getChildren().add(box);
        task = FxJobs.start(what, job);
        bar.progressProperty().bind(task.progressProperty());
        cancel.setOnAction(e -> task.cancel());
        task.setOnSucceeded(e -> {
            built = view.apply(task.getValue());
            getChildren().setAll(built);
            if (pending != null) accept(pending);
        });
        task.setOnCancelled(e -> getChildren().setAll(message(what + ": cancelled")));
        task.setOnFailed(e -> getChildren().setAll(message(what + " failed: " + CaptureTab.describe(task.getException()))));
    }

    private static Node message(String text) {
        Label l = new Label(text);
        l.setWrapText(true);
        l.getStyleClass().add("placeholder");
        return l;
    }

    Task<T> task() { return task; }

    /** The view once built, else null. */
    Node view() { return built; }

    /** Passes the link to the view when it is built and can show links. */
    @Override
    @SuppressWarnings("unchecked")
    public void accept(Finding.Link link) {
        if (built == null) pending = link;
        else if (built instanceof Consumer<?> c) ((Consumer<Finding.Link>) c).accept(link);
        if (built != null) pending = null;
    }
}
