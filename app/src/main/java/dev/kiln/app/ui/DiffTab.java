// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import dev.kiln.analysis.diff.Diff;
import dev.kiln.io.ProfileLoader;
import dev.kiln.model.Profile;
import dev.kiln.views.diff.DiffView;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.concurrent.Task;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A tab comparing two captures, titled {@code base ⇄ target}: loads both files (or takes profiles already
 * loaded) and computes their {@link Diff} in one background job with progress and Cancel, then shows a
 * {@link DiffView}. If a file cannot be opened, or the two cannot be compared, the tab shows the same error
 * banner as a capture tab, naming the file (or both) and the reason.
 */
public final class DiffTab extends javafx.scene.control.Tab {
    private final Path base, target;
    private final ReadOnlyObjectWrapper<CaptureTab.State> state = new ReadOnlyObjectWrapper<>(CaptureTab.State.LOADING);
    private final Task<Diff> task;
    private final DiffView view = new DiffView();
    private String error = "";

    /**
     * Starts comparing {@code target} against {@code base}; {@code baseProfile} / {@code targetProfile} are used
     * instead of loading when not null (an open capture). {@code status} receives status-bar messages.
     */
    public DiffTab(Path base, Profile baseProfile, Path target, Profile targetProfile, Consumer<String> status) {
        super(title(base, target));
        this.base = base;
        this.target = target;
        setTooltip(new Tooltip("Base: " + base.toAbsolutePath() + "\nTarget: " + target.toAbsolutePath()));
        getStyleClass().add("diff-tab");
        AtomicReference<Path> current = new AtomicReference<>();
        task = FxJobs.start("Comparing " + getText(), sink -> {
            current.set(base);
            Profile b = baseProfile != null ? baseProfile : ProfileLoader.load(base, sink);
            current.set(target);
            Profile t = targetProfile != null ? targetProfile : ProfileLoader.load(target, sink);
            current.set(null);
            sink.progress(-1, -1, "Comparing...");
            return Diff.of(b, t, Diff.Options.DEFAULT, sink);
        });
        setContent(loadingPane());
        task.setOnSucceeded(e -> {
            view.setDiff(task.getValue());
            setContent(view);
            state.set(CaptureTab.State.READY);
        });
        task.setOnFailed(e -> failed(current.get(), task.getException()));
        task.setOnCancelled(e -> {
            Label l = new Label("Comparing " + getText() + " was cancelled.");
            Button close = new Button("Close tab");
            close.setOnAction(a -> close());
            VBox box = new VBox(10, l, close);
            box.setAlignment(Pos.CENTER);
            setContent(box);
            state.set(CaptureTab.State.CANCELLED);
            status.accept("Cancelled comparing " + getText());
        });
        setOnClosed(e -> task.cancel());
    }

    /** The tab title: {@code base.jfr ⇄ target.jfr}. */
    static String title(Path base, Path target) {
        return base.getFileName() + " \u21c4 " + target.getFileName();
    }

    private VBox loadingPane() {
        return CaptureTab.loadingPane("Comparing " + getText() + "...", task, this::cancel);
    }

    private void failed(Path file, Throwable t) {
        String why = CaptureTab.describe(t);
        String title = file != null ? "Could not open " + file.getFileName() : "Could not compare " + getText();
        String detail = file != null ? file.toAbsolutePath().toString()
                : base.toAbsolutePath() + "\n" + target.toAbsolutePath();
        error = title + ": " + why;
        setContent(CaptureTab.errorPane(title, why, detail, this::close));
        getStyleClass().add("tab-error");
        state.set(CaptureTab.State.FAILED);
    }

    private void close() {
        task.cancel();
        TabPane pane = getTabPane();
        if (pane != null) pane.getTabs().remove(this);
    }

    /** Cancels loading and comparing (no effect once done). */
    public void cancel() { task.cancel(); }

    public Path base() { return base; }

    public Path target() { return target; }

    /** The diff view (filled once {@link CaptureTab.State#READY}). */
    public DiffView view() { return view; }

    /** The load-and-compare task. */
    public Task<Diff> loadTask() { return task; }

    /** The message shown when loading or comparing failed, else empty. */
    public String error() { return error; }

    public CaptureTab.State state() { return state.get(); }

    public ReadOnlyObjectProperty<CaptureTab.State> stateProperty() { return state.getReadOnlyProperty(); }
}
