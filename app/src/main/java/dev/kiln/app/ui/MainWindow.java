// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import dev.kiln.model.Profile;
import dev.kiln.model.SampleTable;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.concurrent.Task;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.stage.FileChooser;
import javafx.stage.Stage;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Kiln's main window: a menu bar (File, View, Help), one tab per open capture, and a status bar showing the
 * selected capture's file, format and sample counts, or a progress bar with Cancel while it loads. Files are opened
 * with File > Open, Open Recent, the command line, drag and drop, or the desktop's open-file events; all of them
 * go through {@link #open(Path)}.
 */
public final class MainWindow {
    static final String LIGHT_CSS = "kiln.css", DARK_CSS = "kiln-dark.css";

    private final Stage stage;
    private final RecentFiles recent;
    private final TabPane tabs = new TabPane();
    private final BorderPane root = new BorderPane();
    private final Scene scene;
    private final Menu recentMenu = new Menu("Open Recent");
    private final CheckMenuItem darkItem = new CheckMenuItem("Dark Theme");
    private final Label info = new Label();
    private final Label message = new Label();
    private final ProgressBar progress = new ProgressBar();
    private final Button cancel = new Button("Cancel");
    private final StackPane empty = new StackPane();
    private File lastFolder;

    public MainWindow(Stage stage, RecentFiles recent) {
        this.stage = stage;
        this.recent = recent;
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.ALL_TABS);
        tabs.getStyleClass().add("capture-tabs");
        tabs.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> refreshStatus());
        tabs.getTabs().addListener((javafx.collections.ListChangeListener<Tab>) c -> refreshCenter());

        Label hint = new Label("Open a capture with File > Open... or drop JFR / pprof files here.");
        hint.getStyleClass().add("placeholder");
        empty.getChildren().add(hint);

        root.setTop(menuBar());
        root.setCenter(empty);
        root.setBottom(statusBar());
        root.getStyleClass().add("kiln-root");

        scene = new Scene(root, 1200, 800);
        scene.getStylesheets().add(css(LIGHT_CSS));
        scene.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) e.acceptTransferModes(TransferMode.COPY);
            e.consume();
        });
        scene.setOnDragDropped(e -> {
            boolean ok = e.getDragboard().hasFiles();
            if (ok) openDropped(e.getDragboard().getFiles());
            e.setDropCompleted(ok);
            e.consume();
        });
        stage.setTitle("Kiln");
        stage.setScene(scene);
        refreshStatus();
    }

    private static String css(String name) {
        return MainWindow.class.getResource(name).toExternalForm();
    }

    private MenuBar menuBar() {
        MenuItem open = new MenuItem("Open...");
        open.setAccelerator(KeyCombination.keyCombination("Shortcut+O"));
        open.setOnAction(e -> chooseAndOpen());
        MenuItem close = new MenuItem("Close Tab");
        close.setAccelerator(KeyCombination.keyCombination("Shortcut+W"));
        close.setOnAction(e -> closeSelectedTab());
        MenuItem quit = new MenuItem("Quit");
        quit.setAccelerator(KeyCombination.keyCombination("Shortcut+Q"));
        quit.setOnAction(e -> { stage.close(); Platform.exit(); });
        MenuItem export = new MenuItem("Export...");
        export.setAccelerator(KeyCombination.keyCombination("Shortcut+E"));
        export.setOnAction(e -> chooseAndExport());
        rebuildRecentMenu();
        Menu file = new Menu("File", null, open, recentMenu, export, close, new SeparatorMenuItem(), quit);

        darkItem.setAccelerator(KeyCombination.keyCombination("Shortcut+Shift+D"));
        darkItem.setOnAction(e -> setDark(darkItem.isSelected()));
        Menu view = new Menu("View", null, darkItem);

        MenuItem about = new MenuItem("About Kiln");
        about.setOnAction(e -> about());
        Menu help = new Menu("Help", null, about);
        return new MenuBar(file, view, help);
    }

    private HBox statusBar() {
        info.getStyleClass().add("status-info");
        message.getStyleClass().add("status-message");
        message.setMinWidth(0);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        progress.setPrefWidth(180);
        cancel.setId("status-cancel");
        cancel.setOnAction(e -> {
            if (tabs.getSelectionModel().getSelectedItem() instanceof CaptureTab t) t.cancel();
        });
        HBox bar = new HBox(12, info, message, spacer, progress, cancel);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 10, 4, 10));
        bar.getStyleClass().add("status-bar");
        return bar;
    }

    private void refreshCenter() {
        root.setCenter(tabs.getTabs().isEmpty() ? empty : tabs);
    }

    private final ChangeListener<CaptureTab.State> stateListener = (o, was, now) -> refreshStatus();

    /** Opens {@code file} in a new tab (loading in the background) and selects it. */
    public CaptureTab open(Path file) {
        CaptureTab tab = new CaptureTab(file, this::showMessage);
        tab.stateProperty().addListener(stateListener);
        tab.stateProperty().addListener((o, was, now) -> {
            if (now == CaptureTab.State.READY) {
                recent.add(file);
                rebuildRecentMenu();
            }
        });
        tabs.getTabs().add(tab);
        tabs.getSelectionModel().select(tab);
        message.setText("");
        return tab;
    }

    /** Opens each file in its own tab: the drop handler, also used for several command-line files. */
    public List<CaptureTab> openDropped(List<File> files) {
        List<CaptureTab> opened = new ArrayList<>();
        for (File f : files) opened.add(open(f.toPath()));
        return opened;
    }

    private void chooseAndOpen() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Open a capture");
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("All captures", "*.jfr", "*.pb.gz", "*.pprof", "*.pb", "*.txt"),
                new FileChooser.ExtensionFilter("JFR recordings (*.jfr)", "*.jfr"),
                new FileChooser.ExtensionFilter("pprof profiles (*.pb.gz, *.pprof, *.pb)", "*.pb.gz", "*.pprof", "*.pb"),
                new FileChooser.ExtensionFilter("Go text profiles (*.txt)", "*.txt"),
                new FileChooser.ExtensionFilter("All files", "*"));
        if (lastFolder != null && lastFolder.isDirectory()) chooser.setInitialDirectory(lastFolder);
        List<File> files = chooser.showOpenMultipleDialog(stage);
        if (files == null || files.isEmpty()) return;
        lastFolder = files.get(0).getParentFile();
        openDropped(files);
    }

    private void rebuildRecentMenu() {
        recentMenu.getItems().clear();
        for (Path p : recent.list()) {
            MenuItem item = new MenuItem(p.getFileName() + "  \u2014  " + (p.getParent() == null ? "" : p.getParent()));
            item.setMnemonicParsing(false);
            item.setOnAction(e -> open(p));
            recentMenu.getItems().add(item);
        }
        if (recentMenu.getItems().isEmpty()) {
            MenuItem none = new MenuItem("(none)");
            none.setDisable(true);
            recentMenu.getItems().add(none);
        } else {
            MenuItem clear = new MenuItem("Clear Recent");
            clear.setOnAction(e -> { recent.clear(); rebuildRecentMenu(); });
            recentMenu.getItems().addAll(new SeparatorMenuItem(), clear);
        }
    }

    /** Closes the selected capture tab, cancelling its load if it is still loading. */
    public void closeSelectedTab() {
        Tab t = tabs.getSelectionModel().getSelectedItem();
        if (t == null) return;
        if (t instanceof CaptureTab c) c.cancel();
        tabs.getTabs().remove(t);
    }

    /** Switches between the light and the dark theme. */
    public void setDark(boolean dark) {
        darkItem.setSelected(dark);
        String d = css(DARK_CSS);
        scene.getStylesheets().remove(d);
        if (dark) scene.getStylesheets().add(d);
    }

    public boolean isDark() { return darkItem.isSelected(); }

    private void about() {
        Alert a = new Alert(Alert.AlertType.INFORMATION, "", ButtonType.OK);
        a.initOwner(stage);
        a.setTitle("About Kiln");
        a.setHeaderText("Kiln " + version());
        a.setContentText("A profile analyzer for JFR recordings and Go pprof profiles.\nJava " + System.getProperty("java.version")
                + ", JavaFX " + System.getProperty("javafx.runtime.version", "?"));
        a.showAndWait();
    }

    private static String version() {
        String v = MainWindow.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }

    /** Formats of File > Export with their file-chooser filters, in menu order. */
    private static final List<String[]> EXPORTS = List.of(
            new String[] {"pprof", "pprof profile (*.pb.gz)", "*.pb.gz"},
            new String[] {"svg", "Flame graph image, SVG (*.svg)", "*.svg"},
            new String[] {"png", "Flame graph image, PNG (*.png)", "*.png"},
            new String[] {"speedscope", "speedscope JSON (*.speedscope.json)", "*.json"},
            new String[] {"collapsed", "Collapsed stacks (*.txt)", "*.txt"});

    private void chooseAndExport() {
        if (!(tabs.getSelectionModel().getSelectedItem() instanceof CaptureTab c) || c.state() != CaptureTab.State.READY) {
            showMessage("Open a capture first: there is nothing to export");
            return;
        }
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export " + c.file().getFileName());
        for (String[] e : EXPORTS) chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(e[1], e[2]));
        chooser.setInitialFileName(dev.kiln.app.ExportCommand.defaultName(c.profile().sourceName(), "pprof"));
        File target = chooser.showSaveDialog(stage);
        if (target == null) return;
        String format = EXPORTS.get(Math.max(0, chooser.getExtensionFilters().indexOf(chooser.getSelectedExtensionFilter())))[0];
        export(c, format, target.toPath());
    }

    /**
     * Exports a loaded capture in the background (default weight; pprof and speedscope carry every weight) and
     * reports the outcome in the status bar. The file is written whole or not at all.
     */
    public Task<Path> export(CaptureTab c, String format, Path target) {
        Profile p = c.profile();
        Task<Path> task = FxJobs.start("Exporting " + target.getFileName(), progress -> {
            dev.kiln.app.ExportCommand.write(p, format, dev.kiln.app.ExportCommand.defaultWeights(p, format),
                    dev.kiln.analysis.Filter.NONE, 1600, 900, target, progress);
            return target;
        });
        showMessage("Exporting " + target.getFileName() + "...");
        task.setOnSucceeded(e -> showMessage("Exported " + p.sourceName() + " to " + target));
        task.setOnFailed(e -> showMessage("Could not export to " + target + ": " + task.getException().getMessage()));
        return task;
    }

    /** Shows a short message in the status bar (until the next tab change). */
    public void showMessage(String text) {
        message.setText(text);
    }

    private void refreshStatus() {
        Tab t = tabs.getSelectionModel().getSelectedItem();
        progress.progressProperty().unbind();
        boolean loading = t instanceof CaptureTab c && c.state() == CaptureTab.State.LOADING;
        progress.setVisible(loading);
        progress.setManaged(loading);
        cancel.setVisible(loading);
        cancel.setManaged(loading);
        if (!(t instanceof CaptureTab c)) {
            info.setText("No capture open");
            stage.setTitle("Kiln");
            return;
        }
        stage.setTitle(c.file().getFileName() + " \u2014 Kiln");
        if (loading) progress.progressProperty().bind(c.loadTask().progressProperty());
        info.setText(statusText(c));
    }

    /** What the status bar says about a capture tab: file, format and sample counts, or its state. */
    static String statusText(CaptureTab c) {
        String name = c.file().getFileName().toString();
        return switch (c.state()) {
            case LOADING -> name + "  \u00b7  loading...";
            case FAILED -> name + "  \u00b7  could not be opened";
            case CANCELLED -> name + "  \u00b7  loading cancelled";
            case READY -> {
                Profile p = c.profile();
                StringBuilder sb = new StringBuilder(name).append("  \u00b7  ").append(p.format().label());
                long total = 0;
                for (SampleTable s : p.sampleTables()) total += s.size();
                sb.append("  \u00b7  ").append(String.format(Locale.ROOT, "%,d samples", total));
                if (p.sampleTables().size() > 1) sb.append(" in ").append(p.sampleTables().size()).append(" tables");
                sb.append(String.format(Locale.ROOT, "  \u00b7  %,d events", p.events().size()));
                if (p.isIncomplete()) sb.append("  \u00b7  INCOMPLETE");
                yield sb.toString();
            }
        };
    }

    /** The status bar's capture text. */
    public String statusInfo() { return info.getText(); }

    /** The status bar's message. */
    public String statusMessage() { return message.getText(); }

    public TabPane tabs() { return tabs; }

    public Scene scene() { return scene; }

    /** The capture tabs, in order. */
    public List<CaptureTab> captureTabs() {
        List<CaptureTab> out = new ArrayList<>();
        for (Tab t : tabs.getTabs()) if (t instanceof CaptureTab c) out.add(c);
        return out;
    }
}
