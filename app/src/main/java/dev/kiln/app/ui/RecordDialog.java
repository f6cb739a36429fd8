// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import dev.kiln.capture.JvmRecorder;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * File > Record from a Running JVM: lists the JVMs on this machine ({@link JvmRecorder#list()}, in the background,
 * again on Refresh) and asks for the JFR settings (profile, default, or a .jfc file), the duration (parsed like
 * {@code kiln record --duration}: {@link JvmRecorder#parseDuration}), the file to write (by default
 * {@code pid-PID-DATE-TIME.jfr} in Kiln's captures folder) and whether to dump what the JVM's running recordings
 * hold instead of recording. Record is enabled only for a selected JVM, a valid duration and a file name; its
 * result is a {@link Request}.
 */
public final class RecordDialog extends Dialog<RecordDialog.Request> {
    /** What to record: {@code settings} is {@code profile}, {@code default} or a .jfc path; {@code dump} ignores the duration. */
    public record Request(long pid, String name, String settings, Duration duration, boolean dump, Path output) { }

    public static final ButtonType RECORD = new ButtonType("Record", ButtonBar.ButtonData.OK_DONE);
    private static final String PROFILE = "profile (more detail, for profiling)", DEFAULT = "default (low overhead, always-on)",
            CUSTOM = "Custom .jfc file...";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    private final JvmRecorder recorder;
    private final Path capturesDir;
    final ListView<JvmRecorder.Jvm> jvms = new ListView<>();
    final Label listStatus = new Label();
    final ChoiceBox<String> settings = new ChoiceBox<>();
    final Label jfcLabel = new Label();
    final TextField duration = new TextField("30s");
    final CheckBox dump = new CheckBox("Dump what it has recorded so far (its running recordings keep running)");
    final TextField output = new TextField();
    final Label problem = new Label();
    private Path jfc;
    private String autoOutput = "";
    private Task<List<JvmRecorder.Jvm>> listing;

    public RecordDialog(Window owner, Path capturesDir, JvmRecorder recorder) {
        this.recorder = recorder;
        this.capturesDir = capturesDir;
        if (owner != null) initOwner(owner);
        setTitle("Record from a running JVM");
        setHeaderText("Record a Java Flight Recorder capture of a JVM on this machine");
        setResizable(true);
        getDialogPane().getButtonTypes().addAll(RECORD, ButtonType.CANCEL);

        jvms.setId("record-jvms");
        jvms.setPrefSize(560, 180);
        jvms.setCellFactory(v -> new ListCell<>() {
            {
                setPrefWidth(0); // long command lines are clipped, not scrolled
            }

            @Override
            protected void updateItem(JvmRecorder.Jvm j, boolean empty) {
                super.updateItem(j, empty);
                setText(null);
                setTooltip(null);
                setGraphic(null);
                if (empty || j == null) return;
                Label pid = new Label(Long.toString(j.pid()));
                pid.setMinWidth(64);
                Label name = new Label(displayName(j.mainClass()) + (j.pid() == ProcessHandle.current().pid() ? "  (this Kiln)" : ""));
                name.setStyle("-fx-font-weight: bold;");
                name.setMinWidth(Label.USE_PREF_SIZE);
                Label full = new Label(j.mainClass());
                full.getStyleClass().add("muted");
                full.setMinWidth(0);
                HBox row = new HBox(12, pid, name, full);
                row.setMinWidth(0);
                setGraphic(row);
                setTooltip(new javafx.scene.control.Tooltip(describe(j)));
            }
        });
        listStatus.getStyleClass().add("muted");
        Button refresh = new Button("Refresh");
        refresh.setOnAction(e -> refresh());

        settings.setId("record-settings");
        settings.getItems().addAll(PROFILE, DEFAULT, CUSTOM);
        settings.setValue(PROFILE);
        settings.valueProperty().addListener((o, was, now) -> {
            if (CUSTOM.equals(now)) chooseJfc(was);
        });
        jfcLabel.getStyleClass().add("muted");
        duration.setId("record-duration");
        duration.setPrefColumnCount(8);
        duration.setPromptText("30s, 500ms, 2m");
        dump.setId("record-dump");
        output.setId("record-output");
        Button browse = new Button("Browse...");
        browse.setOnAction(e -> chooseOutput());
        problem.setId("record-problem");
        problem.getStyleClass().add("muted");
        problem.setWrapText(true);

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        grid.setPadding(new Insets(10));
        int r = 0;
        Label jvmLabel = new Label("JVM");
        GridPane.setValignment(jvmLabel, javafx.geometry.VPos.TOP);
        grid.add(jvmLabel, 0, r);
        grid.add(jvms, 1, r++, 2, 1);
        grid.add(listStatus, 1, r);
        grid.add(refresh, 2, r++);
        grid.add(new Label("Settings"), 0, r);
        grid.add(new HBox(10, settings, jfcLabel), 1, r++, 2, 1);
        grid.add(new Label("Duration"), 0, r);
        Label durationHint = new Label("e.g. 30s, 500ms, 2m; Stop ends it early and opens what was recorded");
        durationHint.getStyleClass().add("muted");
        grid.add(new HBox(10, duration, durationHint), 1, r++, 2, 1);
        grid.add(dump, 1, r++, 2, 1);
        grid.add(new Label("Save to"), 0, r);
        grid.add(output, 1, r);
        grid.add(browse, 2, r++);
        grid.add(problem, 1, r, 2, 1);
        GridPane.setHgrow(output, Priority.ALWAYS);
        GridPane.setVgrow(jvms, Priority.ALWAYS);
        for (javafx.scene.Node n : grid.getChildren()) {
            if (n instanceof Label l && GridPane.getColumnIndex(n) == 0) l.setMinWidth(Label.USE_PREF_SIZE);
        }
        getDialogPane().setContent(grid);

        jvms.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (output.getText().equals(autoOutput)) {
                autoOutput = now == null ? "" : defaultOutput(capturesDir, now.pid(), LocalDateTime.now()).toString();
                output.setText(autoOutput);
            }
            validate();
        });
        duration.textProperty().addListener((o, was, now) -> validate());
        output.textProperty().addListener((o, was, now) -> validate());
        dump.selectedProperty().addListener((o, was, now) -> {
            duration.setDisable(now);
            settings.setDisable(now);
            validate();
        });
        setResultConverter(b -> b == RECORD ? request() : null);
        validate();
        refresh();
    }

    /**
     * A short name for what {@code jcmd -l} reports: the main class, the jar's file name, or the source file of a
     * {@code java File.java} launch; "(no main class reported)" when empty.
     */
    static String displayName(String mainClass) {
        String[] parts = mainClass.strip().split("\\s+");
        if (parts[0].isEmpty()) return "(no main class reported)";
        String first = parts[0].endsWith("javac.launcher.Main") && parts.length > 1 ? parts[1] : parts[0];
        int slash = Math.max(first.lastIndexOf('/'), first.lastIndexOf('\\'));
        return slash >= 0 ? first.substring(slash + 1) : first;
    }

    /** "12345  com.example.Main" with a note for Kiln itself. */
    static String describe(JvmRecorder.Jvm j) {
        String main = j.mainClass().isEmpty() ? "(no main class reported)" : j.mainClass();
        return j.pid() + "    " + main + (j.pid() == ProcessHandle.current().pid() ? "    (this Kiln)" : "");
    }

    /** {@code DIR/pid-PID-yyyyMMdd-HHmmss.jfr}, made unique with {@code -2}, {@code -3}... when it exists. */
    static Path defaultOutput(Path dir, long pid, LocalDateTime time) {
        return MainWindow.unique(dir.resolve("pid-" + pid + "-" + time.format(STAMP) + ".jfr"));
    }

    /** Lists the JVMs again in the background, keeping the selected PID selected if it is still there. */
    public Task<List<JvmRecorder.Jvm>> refresh() {
        if (listing != null) listing.cancel();
        JvmRecorder.Jvm selected = jvms.getSelectionModel().getSelectedItem();
        listStatus.setText("Looking for JVMs...");
        Task<List<JvmRecorder.Jvm>> task = FxJobs.start("Listing JVMs", sink -> recorder.list());
        listing = task;
        task.setOnSucceeded(e -> {
            List<JvmRecorder.Jvm> list = task.getValue();
            jvms.getItems().setAll(list);
            listStatus.setText(list.isEmpty() ? "No JVM found that this user can record (started with -XX:-UsePerfData?)"
                    : list.size() + (list.size() == 1 ? " JVM" : " JVMs") + " on this machine");
            JvmRecorder.Jvm keep = selected == null ? null : list.stream().filter(j -> j.pid() == selected.pid()).findFirst().orElse(null);
            if (keep == null) keep = list.stream().filter(j -> j.pid() != ProcessHandle.current().pid()).findFirst().orElse(null);
            if (keep != null) jvms.getSelectionModel().select(keep);
        });
        task.setOnFailed(e -> listStatus.setText("Cannot list JVMs: " + CaptureTab.describe(task.getException())));
        return task;
    }

    /** Selects the JVM with this PID if it is listed; false if it is not. */
    public boolean select(long pid) {
        for (JvmRecorder.Jvm j : jvms.getItems()) {
            if (j.pid() == pid) {
                jvms.getSelectionModel().select(j);
                return true;
            }
        }
        return false;
    }

    private void chooseJfc(String previous) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("JFR settings file");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("JFR settings (*.jfc)", "*.jfc"));
        Path lib = Path.of(System.getProperty("java.home"), "lib", "jfr");
        if (lib.toFile().isDirectory()) chooser.setInitialDirectory(lib.toFile());
        File f = chooser.showOpenDialog(getDialogPane().getScene().getWindow());
        if (f == null) {
            // Back to what was chosen before, once this change is done.
            javafx.application.Platform.runLater(() -> settings.setValue(jfc != null ? CUSTOM : previous == null ? PROFILE : previous));
            return;
        }
        setJfc(f.toPath());
    }

    /** Uses a custom .jfc settings file. */
    public void setJfc(Path file) {
        jfc = file;
        settings.setValue(CUSTOM);
        jfcLabel.setText(file.getFileName().toString());
        validate();
    }

    private void chooseOutput() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Save the recording as");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("JFR recordings (*.jfr)", "*.jfr"));
        Path current = output.getText().isBlank() ? capturesDir.resolve("recording.jfr") : Path.of(output.getText());
        if (current.getParent() != null && current.getParent().toFile().isDirectory()) chooser.setInitialDirectory(current.getParent().toFile());
        chooser.setInitialFileName(current.getFileName().toString());
        File f = chooser.showSaveDialog(getDialogPane().getScene().getWindow());
        if (f != null) output.setText(f.getPath());
    }

    /** Enables Record only for a complete request and says what is missing. */
    private void validate() {
        String why = "";
        if (jvms.getSelectionModel().getSelectedItem() == null) why = "Choose a JVM.";
        else if (output.getText().isBlank()) why = "Choose where to save the recording.";
        else if (!dump.isSelected()) {
            try {
                JvmRecorder.parseDuration(duration.getText());
            } catch (IllegalArgumentException e) {
                why = "Duration: " + e.getMessage();
            }
            if (why.isEmpty() && CUSTOM.equals(settings.getValue()) && jfc == null) why = "Choose a .jfc settings file.";
        }
        problem.setText(why);
        problem.setVisible(!why.isEmpty());
        getDialogPane().lookupButton(RECORD).setDisable(!why.isEmpty());
    }

    /** The request the dialog's fields describe, or null when they are incomplete. */
    public Request request() {
        JvmRecorder.Jvm j = jvms.getSelectionModel().getSelectedItem();
        if (j == null || output.getText().isBlank()) return null;
        Duration d;
        try {
            d = dump.isSelected() ? Duration.ZERO : JvmRecorder.parseDuration(duration.getText());
        } catch (IllegalArgumentException e) {
            return null;
        }
        String s = CUSTOM.equals(settings.getValue()) ? (jfc == null ? null : jfc.toString())
                : DEFAULT.equals(settings.getValue()) ? "default" : "profile";
        if (s == null && !dump.isSelected()) return null;
        return new Request(j.pid(), j.mainClass(), s, d, dump.isSelected(), Path.of(output.getText().strip()));
    }

    /** The Record button (for tests). */
    Button recordButton() { return (Button) getDialogPane().lookupButton(RECORD); }
}
