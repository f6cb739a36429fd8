// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import dev.kiln.job.ProgressSink;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.concurrent.Task;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A tab standing for a capture being taken (a JVM being recorded, a profile being fetched over HTTP): what is
 * captured, a progress bar with the job's message, the time elapsed, and one button. For a recording the button is
 * Stop: the job is asked to end early (its {@link ProgressSink#isCancelled()} turns true) and what was recorded is
 * still saved and opened. Otherwise it is Cancel: the job is abandoned. When the job has saved its file,
 * {@code onSaved} receives it on the FX thread (the window then opens the file and drops this tab); when the job
 * fails, the tab shows the same error banner as a capture that cannot be opened, naming the target.
 */
public final class AcquireTab extends Tab {
    private final String target;
    private final boolean stopKeepsData;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final ReadOnlyObjectWrapper<CaptureTab.State> state = new ReadOnlyObjectWrapper<>(CaptureTab.State.LOADING);
    private final Task<Path> task;
    private final Label elapsed = new Label();
    private final Timeline clock;
    private String error = "";

    /**
     * Starts {@code job} in the background. {@code heading} says what is happening ("Recording JVM 1234 for
     * 30 s"), {@code target} names what is captured (the URL, "JVM 1234"), {@code failTitle} heads the error banner
     * ("Could not fetch URL"); {@code stopKeepsData} makes the button a Stop that keeps the data rather than a Cancel.
     */
    AcquireTab(String title, String heading, String target, String failTitle, boolean stopKeepsData, FxJobs.Job<Path> job,
               Consumer<Path> onSaved, Consumer<String> status) {
        super(title);
        this.target = target;
        this.stopKeepsData = stopKeepsData;
        setTooltip(new Tooltip(heading));
        getStyleClass().add("acquire-tab");
        task = FxJobs.start(heading, sink -> job.run(new ProgressSink() {
            @Override
            public void progress(long done, long total, String what) { sink.progress(done, total, what); }

            @Override
            public boolean isCancelled() { return stop.get() || sink.isCancelled(); }
        }));
        long start = System.nanoTime();
        elapsed.getStyleClass().add("muted");
        elapsed.setId("capture-elapsed");
        clock = new Timeline(new KeyFrame(Duration.seconds(1), e -> elapsed.setText(clockText((System.nanoTime() - start) / 1_000_000_000L))));
        clock.setCycleCount(Timeline.INDEFINITE);
        clock.play();
        elapsed.setText(clockText(0));
        // A job that reports its own progress (a recording: "12 s of 30 s recorded") needs no second clock.
        task.progressProperty().addListener((o, was, now) -> {
            boolean known = now.doubleValue() >= 0;
            elapsed.setVisible(!known);
            elapsed.setManaged(!known);
        });
        VBox pane = CaptureTab.loadingPane(heading + "...", task, stopKeepsData ? "Stop and open" : "Cancel", this::stopOrCancel);
        pane.getChildren().get(pane.getChildren().size() - 1).setId("stop-capture");
        pane.getChildren().add(3, elapsed);
        setContent(pane);
        task.setOnSucceeded(e -> {
            clock.stop();
            state.set(CaptureTab.State.READY);
            onSaved.accept(task.getValue());
        });
        task.setOnFailed(e -> {
            clock.stop();
            String why = CaptureTab.describe(task.getException());
            // The fetcher's messages start with the URL, which the banner's title already names.
            if (why.startsWith(target + ": ")) why = why.substring(target.length() + 2);
            error = failTitle + ": " + why;
            setContent(CaptureTab.errorPane(failTitle, why, heading, this::close));
            getStyleClass().add("tab-error");
            state.set(CaptureTab.State.FAILED);
            status.accept(error);
        });
        task.setOnCancelled(e -> {
            clock.stop();
            state.set(CaptureTab.State.CANCELLED);
            status.accept("Cancelled: " + heading);
            close();
        });
        setOnClosed(e -> task.cancel());
    }

    /** "0:07 elapsed". */
    static String clockText(long seconds) {
        return String.format(Locale.ROOT, "%d:%02d elapsed", seconds / 60, seconds % 60);
    }

    /** The button's action: Stop (end early, keep and open the data) for a recording, else Cancel. */
    public void stopOrCancel() {
        if (stopKeepsData) stop.set(true);
        else task.cancel();
    }

    private void close() {
        task.cancel();
        TabPane pane = getTabPane();
        if (pane != null) pane.getTabs().remove(this);
    }

    /** What is captured (a URL, "JVM 1234"). */
    public String target() { return target; }

    /** Whether the button is a Stop that keeps the data (a recording) rather than a Cancel. */
    public boolean stopKeepsData() { return stopKeepsData; }

    /** The capture job (its value is the saved file). */
    public Task<Path> task() { return task; }

    /** The message shown when the capture failed, else empty. */
    public String error() { return error; }

    /** LOADING while capturing, READY once saved (the tab is then replaced), FAILED or CANCELLED. */
    public CaptureTab.State state() { return state.get(); }

    public ReadOnlyObjectProperty<CaptureTab.State> stateProperty() { return state.getReadOnlyProperty(); }
}
