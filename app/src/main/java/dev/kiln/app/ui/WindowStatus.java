// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import dev.kiln.model.JfrEventTable;
import dev.kiln.model.Profile;
import dev.kiln.model.SampleTable;
import dev.kiln.model.Units;
import javafx.concurrent.Task;
import javafx.concurrent.Worker;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.Tooltip;
import javafx.scene.input.TransferMode;
import javafx.stage.Stage;
import org.controlsfx.control.StatusBar;

import java.io.File;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The window's bottom line, a ControlsFX {@link StatusBar}: its text says what the selected tab holds (file,
 * format, size and counts of a capture, or what a diff or a capture from a running program is doing); while a
 * background job runs (the selected tab's load, or an export) its progress bar and a Cancel (or Stop) button; on
 * the right a short message and, on a capture tab, the "Drop a file here to compare" target. FX thread only.
 */
final class WindowStatus {
    private final StatusBar bar = new StatusBar();
    private final Label message = new Label();
    private final Button cancel = new Button("Cancel");
    private final Label compareTarget = new Label("\u21c4 Drop a file here to compare");
    private Task<?> job;
    private String jobTitle;
    private Tab shown;

    /** {@code dropToCompare} receives files dropped on the compare target. */
    WindowStatus(Consumer<List<File>> dropToCompare) {
        bar.setId("status-bar");
        bar.getStyleClass().add("kiln-status-bar");
        bar.setText("");
        message.getStyleClass().add("status-message");
        message.setId("status-message");
        message.setMinWidth(0);
        cancel.setId("status-cancel");
        cancel.setOnAction(e -> cancelShown());
        compareTarget.setId("compare-target");
        compareTarget.getStyleClass().add("compare-target");
        compareTarget.setStyle("-fx-border-color: #8a8a8a; -fx-border-style: dashed; -fx-border-radius: 3; -fx-padding: 1 8 1 8;");
        compareTarget.setTooltip(new Tooltip("Drop one capture here to compare it with the open one (File > Compare With...)"));
        compareTarget.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) e.acceptTransferModes(TransferMode.COPY);
            e.consume();
        });
        compareTarget.setOnDragDropped(e -> {
            boolean ok = e.getDragboard().hasFiles();
            if (ok) dropToCompare.accept(e.getDragboard().getFiles());
            e.setDropCompleted(ok);
            e.consume();
        });
        bar.getRightItems().setAll(message, gap(), compareTarget, gap(), cancel);
    }

    private static Node gap() {
        javafx.scene.layout.Region r = new javafx.scene.layout.Region();
        r.setMinWidth(10);
        return r;
    }

    Node node() { return bar; }

    StatusBar bar() { return bar; }

    void showMessage(String text) { message.setText(text); }

    String message() { return message.getText(); }

    String info() { return bar.getText(); }

    /**
     * Shows a background job that belongs to no tab (an export) with its progress and Cancel while it runs and the
     * selected tab is not loading itself.
     */
    void track(String title, Task<?> task) {
        job = task;
        jobTitle = title;
        task.stateProperty().addListener((o, was, now) -> {
            if (now != Worker.State.RUNNING && now != Worker.State.SCHEDULED && now != Worker.State.READY && job == task) job = null;
            refresh(shown, null);
        });
        refresh(shown, null);
    }

    /** The job shown, if any (for tests). */
    Task<?> trackedJob() { return job; }

    private void cancelShown() {
        if (shown instanceof CaptureTab c && c.state() == CaptureTab.State.LOADING) c.cancel();
        else if (shown instanceof DiffTab d && d.state() == CaptureTab.State.LOADING) d.cancel();
        else if (shown instanceof AcquireTab a && a.state() == CaptureTab.State.LOADING) a.stopOrCancel();
        else if (job != null) job.cancel();
    }

    /** Shows the state of tab {@code t} (null: none open); sets the window title when {@code stage} is given. */
    void refresh(Tab t, Stage stage) {
        shown = t;
        bar.progressProperty().unbind();
        Task<?> task = t instanceof CaptureTab c && c.state() == CaptureTab.State.LOADING ? c.loadTask()
                : t instanceof DiffTab d && d.state() == CaptureTab.State.LOADING ? d.loadTask()
                : t instanceof AcquireTab a && a.state() == CaptureTab.State.LOADING ? a.task() : null;
        boolean ownJob = task == null && job != null;
        if (ownJob) task = job;
        if (task != null) bar.progressProperty().bind(task.progressProperty());
        else bar.setProgress(0);
        cancel.setVisible(task != null);
        cancel.setManaged(task != null);
        cancel.setText(!ownJob && t instanceof AcquireTab a && a.stopKeepsData() ? "Stop" : "Cancel");
        cancel.setTooltip(new Tooltip(ownJob ? "Cancel " + jobTitle : "Cancel what this tab is doing"));
        boolean canCompare = t instanceof CaptureTab;
        compareTarget.setVisible(canCompare);
        compareTarget.setManaged(canCompare);
        String title;
        String text;
        if (t instanceof AcquireTab a) {
            title = a.getText();
            text = a.getTooltip().getText() + switch (a.state()) {
                case LOADING -> "...";
                case FAILED -> "  \u00b7  failed";
                case CANCELLED -> "  \u00b7  cancelled";
                case READY -> "  \u00b7  saved";
            };
        } else if (t instanceof DiffTab d) {
            title = d.getText();
            text = d.getText() + switch (d.state()) {
                case LOADING -> "  \u00b7  comparing...";
                case FAILED -> "  \u00b7  could not be compared";
                case CANCELLED -> "  \u00b7  cancelled";
                case READY -> "  \u00b7  " + d.view().diff().compared();
            };
        } else if (t instanceof CaptureTab c) {
            title = c.getText();
            text = statusText(c);
        } else {
            title = null;
            text = "No capture open";
        }
        if (ownJob) text = text + "  \u00b7  " + jobTitle + "...";
        bar.setText(text);
        if (stage != null) stage.setTitle(title == null ? "Kiln" : title + " \u2014 Kiln");
    }

    /** What the status bar says about a capture tab: file, format, size and counts, or its state. */
    static String statusText(CaptureTab c) {
        String name = c.file().getFileName().toString();
        return switch (c.state()) {
            case LOADING -> name + "  \u00b7  loading...";
            case FAILED -> name + "  \u00b7  could not be opened";
            case CANCELLED -> name + "  \u00b7  loading cancelled";
            case READY -> {
                Profile p = c.profile();
                StringBuilder sb = new StringBuilder(name).append("  \u00b7  ").append(p.format().label());
                if (c.fileSizeBytes() >= 0) sb.append("  \u00b7  ").append(Units.bytes(c.fileSizeBytes()));
                long total = 0;
                for (SampleTable s : p.sampleTables()) total += s.size();
                sb.append("  \u00b7  ").append(String.format(Locale.ROOT, "%,d samples", total));
                if (p.sampleTables().size() > 1) sb.append(" in ").append(p.sampleTables().size()).append(" tables");
                if (p.jfrEvents().isEmpty()) {
                    sb.append(String.format(Locale.ROOT, "  \u00b7  %,d events", p.events().size()));
                } else { // a recording: every event of every type, as jfr summary counts them
                    long events = 0;
                    int types = 0;
                    for (JfrEventTable t : p.jfrEvents().tables()) {
                        events += t.size();
                        if (t.size() > 0) types++;
                    }
                    sb.append(String.format(Locale.ROOT, "  \u00b7  %,d events of %,d types", events, types));
                }
                int threads = p.threads().size(), goroutines = 0;
                for (int t = 0; t < threads; t++) if (p.threads().goroutineId(t) >= 0) goroutines++;
                if (goroutines > 0) {
                    sb.append(String.format(Locale.ROOT, "  \u00b7  %,d goroutines", goroutines));
                    if (threads > goroutines) sb.append(String.format(Locale.ROOT, ", %,d Ps", threads - goroutines));
                } else if (threads > 0) {
                    sb.append(String.format(Locale.ROOT, "  \u00b7  %,d thread%s", threads, threads == 1 ? "" : "s"));
                }
                if (p.isIncomplete()) sb.append("  \u00b7  INCOMPLETE");
                yield sb.toString();
            }
        };
    }
}
