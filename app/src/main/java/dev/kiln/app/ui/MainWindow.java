// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import dev.kiln.capture.JvmRecorder;
import dev.kiln.capture.PprofFetcher;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
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
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.stage.FileChooser;
import javafx.stage.Stage;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Kiln's main window: a menu bar (File, View, Help), one tab per open capture, and a status bar showing the
 * selected capture's file, format and sample counts, or a progress bar with Cancel while it loads. Files are opened
 * with File > Open, Open Recent, the command line, drag and drop, or the desktop's open-file events; all of them
 * go through {@link #open(Path)}. Captures can also be taken from running programs: File > Record from a Running JVM
 * ({@link RecordDialog}, {@link #record}) and File > Open URL ({@link OpenUrlDialog}, {@link #fetch}) run as a
 * tab with progress and Stop/Cancel ({@link AcquireTab}), save the file in {@link #capturesDir()} and then open it
 * like File > Open. A second capture of the same target (same PID, same URL) in this session offers the
 * comparison with the previous one in a bar above the new capture's views.
 */
public final class MainWindow {
    static final String LIGHT_CSS = "kiln.css", DARK_CSS = "kiln-dark.css";

    private final Stage stage;
    private final RecentFiles recent;
    private final TabPane tabs = new TabPane();
    private final BorderPane root = new BorderPane();
    private final Scene scene;
    private final Menu recentMenu = new Menu("Open Recent");
    private final Menu themeMenu = new Menu("Theme");
    private Themes.Choice theme = Themes.Choice.LIGHT;
    private Path themeStore;
    private java.util.function.BooleanSupplier systemDark = Themes::probe;
    private boolean dark;
    private final WindowStatus status = new WindowStatus(files -> dropOnCapture(
            tabs.getSelectionModel().getSelectedItem() instanceof CaptureTab c ? c : null, files));
    private final Notifier notifier;
    private final WelcomePane empty = new WelcomePane(new WelcomePane.Actions() {
        @Override public void open() { chooseAndOpen(); }
        @Override public void openSample() { if (sample != null) MainWindow.this.openSample(sample); }
        @Override public void openUrl() { showOpenUrlDialog(); }
        @Override public void record() { showRecordDialog(); }
        @Override public void openRecent(Path file) { MainWindow.this.open(file); }
    });
    /** The bundled sample capture, when the launcher unpacked one. */
    private Path sample;
    private MenuBar menuBar;
    private WindowPrefs prefs;
    private File lastFolder;
    private Path capturesDir = defaultCapturesDir();
    /** The last file captured from each target ("jvm:PID", "url:URL"), for "Compare with previous capture". */
    private final Map<String, Path> lastCapture = new HashMap<>();
    private String lastUrl;

    public MainWindow(Stage stage, RecentFiles recent) {
        this.stage = stage;
        this.recent = recent;
        this.notifier = new Notifier(stage, () -> dark);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.ALL_TABS);
        tabs.getStyleClass().add("capture-tabs");
        tabs.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> refreshStatus());
        tabs.getTabs().addListener((javafx.collections.ListChangeListener<Tab>) c -> refreshCenter());

        empty.show(recent.list(), false);

        root.setTop(menuBar());
        root.setCenter(empty);
        root.setBottom(status.node());
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
        // Ctrl+Tab between captures even when a view's own tabs have the focus (a TabPane would take it for its tabs)
        scene.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == javafx.scene.input.KeyCode.TAB && e.isControlDown()) {
                selectCapture(e.isShiftDown() ? -1 : 1);
                e.consume();
            }
        });
        stage.setTitle("Kiln");
        stage.setScene(scene);
        refreshStatus();
    }

    private static String css(String name) {
        return MainWindow.class.getResource(name).toExternalForm();
    }

    // ---- keyboard

    /** Selects the next ({@code +1}) or previous ({@code -1}) capture tab, wrapping around (Ctrl+Tab, Ctrl+Shift+Tab). */
    public void selectCapture(int step) {
        int n = tabs.getTabs().size();
        if (n < 2) return;
        int i = tabs.getSelectionModel().getSelectedIndex();
        tabs.getSelectionModel().select(Math.floorMod(i + step, n));
    }

    /**
     * Ctrl+F: focuses the selected view's search or filter field; in a view of tables without one, opens the first
     * column's filter. Returns what was focused, or null (and says so in the status bar) when the view has neither.
     */
    public javafx.scene.Node findInView() {
        Tab t = tabs.getSelectionModel().getSelectedItem();
        javafx.scene.Node view = t instanceof CaptureTab c && c.selectedView() != null ? c.viewNode(c.selectedView())
                : t == null ? null : t.getContent();
        javafx.scene.Node target = Shortcuts.findTarget(view);
        if (target instanceof javafx.scene.control.TextField f) {
            f.requestFocus();
            f.selectAll();
        } else if (target instanceof javafx.scene.control.TableView<?> table) {
            javafx.scene.Node header = table.lookup(".column-header");
            table.getColumns().get(0).getContextMenu().show(header == null ? table : header, javafx.geometry.Side.BOTTOM, 0, 0);
        } else {
            showMessage(t == null ? "Open a capture first: there is nothing to search" : "This view has nothing to search");
        }
        return target;
    }

    /** Help &gt; Keyboard Shortcuts: every menu accelerator and every view's keys. */
    public Alert showShortcuts() {
        Alert a = new Alert(Alert.AlertType.NONE, "", ButtonType.CLOSE);
        a.initOwner(stage);
        a.setTitle("Keyboard Shortcuts");
        a.setHeaderText("Keyboard shortcuts (Ctrl is Cmd on macOS)");
        a.getDialogPane().setContent(Shortcuts.table(Shortcuts.all(menuBar)));
        a.getDialogPane().getStylesheets().setAll(scene.getStylesheets());
        a.setResizable(true);
        a.show();
        return a;
    }

    /** The menu bar (for the shortcut list and tests). */
    MenuBar menuBarNode() { return menuBar; }

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
        MenuItem compare = new MenuItem("Compare With...");
        compare.setAccelerator(KeyCombination.keyCombination("Shortcut+D"));
        compare.setOnAction(e -> chooseAndCompare());
        MenuItem openUrl = new MenuItem("Open URL...");
        openUrl.setAccelerator(KeyCombination.keyCombination("Shortcut+U"));
        openUrl.setOnAction(e -> showOpenUrlDialog());
        MenuItem record = new MenuItem("Record from a Running JVM...");
        record.setAccelerator(KeyCombination.keyCombination("Shortcut+R"));
        record.setOnAction(e -> showRecordDialog());
        rebuildRecentMenu();
        Menu file = new Menu("File", null, open, recentMenu, openUrl, record, new SeparatorMenuItem(), compare, export, close,
                new SeparatorMenuItem(), quit);

        javafx.scene.control.ToggleGroup themes = new javafx.scene.control.ToggleGroup();
        for (Themes.Choice c : Themes.Choice.values()) {
            String name = c.name().charAt(0) + c.name().substring(1).toLowerCase(Locale.ROOT);
            javafx.scene.control.RadioMenuItem item = new javafx.scene.control.RadioMenuItem(c == Themes.Choice.SYSTEM ? "System (follow the OS)" : name);
            item.setId("theme-" + c.name().toLowerCase(Locale.ROOT));
            item.setToggleGroup(themes);
            item.setUserData(c);
            item.setOnAction(e -> setTheme(c));
            themeMenu.getItems().add(item);
        }
        selectThemeItem();
        MenuItem find = new MenuItem("Find in View");
        find.setAccelerator(KeyCombination.keyCombination("Shortcut+F"));
        find.setOnAction(e -> findInView());
        MenuItem next = new MenuItem("Next Capture");
        next.setAccelerator(KeyCombination.keyCombination("Ctrl+Tab"));
        next.setOnAction(e -> selectCapture(1));
        MenuItem previous = new MenuItem("Previous Capture");
        previous.setAccelerator(KeyCombination.keyCombination("Ctrl+Shift+Tab"));
        previous.setOnAction(e -> selectCapture(-1));
        Menu view = new Menu("View", null, find, new SeparatorMenuItem(), next, previous, new SeparatorMenuItem(), themeMenu);

        MenuItem keys = new MenuItem("Keyboard Shortcuts");
        keys.setAccelerator(KeyCombination.keyCombination("F1"));
        keys.setOnAction(e -> showShortcuts());
        MenuItem about = new MenuItem("About Kiln");
        about.setOnAction(e -> about());
        Menu help = new Menu("Help", null, keys, new SeparatorMenuItem(), about);
        menuBar = new MenuBar(file, view, help);
        return menuBar;
    }

    private void refreshCenter() {
        if (tabs.getTabs().isEmpty()) empty.show(recent.list(), sample != null);
        root.setCenter(tabs.getTabs().isEmpty() ? empty : tabs);
    }

    private final ChangeListener<CaptureTab.State> stateListener = (o, was, now) -> refreshStatus();

    /** Opens {@code file} in a new tab (loading in the background) and selects it. */
    public CaptureTab open(Path file) {
        CaptureTab tab = new CaptureTab(file, this::showMessage);
        if (prefs != null) {
            tab.setPreferredView(prefs.lastView());
            tab.setOnViewSelected(prefs::setLastView);
        }
        tab.stateProperty().addListener(stateListener);
        tab.stateProperty().addListener((o, was, now) -> {
            if (now == CaptureTab.State.READY) {
                recent.add(file);
                rebuildRecentMenu();
                if (tab.profile().isIncomplete()) {
                    notifier.warning(tab.getText() + " was read in part", "Its end could not be read; the views show what was complete.");
                } else if (lookingElsewhere(tab)) {
                    notifier.info(tab.getText() + " is open", WindowStatus.statusText(tab));
                }
            } else if (now == CaptureTab.State.FAILED && lookingElsewhere(tab)) {
                notifier.warning("Could not open " + file.getFileName(), tab.error());
            }
        });
        tabs.getTabs().add(tab);
        tabs.getSelectionModel().select(tab);
        status.showMessage("");
        return tab;
    }

    /** Offers {@code file} as the bundled sample on the welcome page (File &gt; Open Sample Capture too). */
    public void setSample(Path file) {
        sample = file;
        refreshCenter();
    }

    /**
     * Opens the bundled sample in a tab titled "Sample capture", with a note above its views saying what it is and
     * how to open one's own capture.
     */
    public CaptureTab openSample(Path file) {
        CaptureTab tab = open(file);
        tab.setText("Sample capture");
        tab.stateProperty().addListener((o, was, now) -> {
            if (now == CaptureTab.State.READY) {
                tab.showNotice("This is Kiln's sample capture, a JDK 17 recording of a mixed workload. Open yours with File > Open "
                        + "(Ctrl+O), by dropping files anywhere on this window, or from File > Open Recent.", "Open a capture...",
                        "sample-open-yours", this::chooseAndOpen);
            }
        });
        return tab;
    }

    /** The welcome page shown while no capture is open. */
    javafx.scene.Node welcome() { return empty; }

    /**
     * The drop handler, also used for command-line files: exactly two files open one diff tab (the first is the
     * base), any other number opens each file in its own tab. Returns the tabs opened.
     */
    public List<Tab> openDropped(List<File> files) {
        List<Tab> opened = new ArrayList<>();
        if (files.size() == 2) {
            opened.add(openDiff(files.get(0).toPath(), files.get(1).toPath()));
            return opened;
        }
        for (File f : files) opened.add(open(f.toPath()));
        return opened;
    }

    // ---- capture from running programs ----

    /** Where captures taken by Kiln are saved: {@code $XDG_DATA_HOME/kiln/captures} or {@code ~/.local/share/kiln/captures}. */
    static Path defaultCapturesDir() {
        String xdg = System.getenv("XDG_DATA_HOME");
        String home = System.getProperty("user.home");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "kiln", "captures");
        if (home != null && !home.isBlank() && Files.isDirectory(Path.of(home))) return Path.of(home, ".local", "share", "kiln", "captures");
        return Path.of(System.getProperty("java.io.tmpdir"), "kiln-captures");
    }

    /** The folder captures are saved in (created when the first one is). */
    public Path capturesDir() { return capturesDir; }

    public void setCapturesDir(Path dir) { capturesDir = dir; }

    /** {@code file}, or {@code name-2.ext}, {@code name-3.ext}... for the first that does not exist. */
    static Path unique(Path file) {
        if (!Files.exists(file)) return file;
        String name = file.getFileName().toString();
        int dot = name.endsWith(".pb.gz") ? name.length() - 6 : name.lastIndexOf('.') > 0 ? name.lastIndexOf('.') : name.length();
        for (int i = 2; ; i++) {
            Path p = file.resolveSibling(name.substring(0, dot) + "-" + i + name.substring(dot));
            if (!Files.exists(p)) return p;
        }
    }

    /** Shows File > Record from a Running JVM (not modal to the app: it records when Record is pressed). */
    public RecordDialog showRecordDialog() {
        RecordDialog d = new RecordDialog(stage, capturesDir, new JvmRecorder());
        d.getDialogPane().getStylesheets().setAll(scene.getStylesheets());
        d.setOnHidden(e -> {
            if (d.getResult() != null) record(d.getResult());
        });
        d.show();
        return d;
    }

    /** Shows File > Open URL; Fetch fetches in a new tab. */
    public OpenUrlDialog showOpenUrlDialog() {
        OpenUrlDialog d = new OpenUrlDialog(stage, lastUrl, capturesDir);
        d.getDialogPane().getStylesheets().setAll(scene.getStylesheets());
        d.setOnHidden(e -> {
            if (d.getResult() != null) fetch(d.getResult());
        });
        d.show();
        return d;
    }

    /**
     * Records (or dumps) a JVM in a new tab with progress and Stop; once the file is saved it opens like File >
     * Open. Stop ends the recording early and opens what was recorded.
     */
    public AcquireTab record(RecordDialog.Request r) {
        JvmRecorder recorder = new JvmRecorder();
        String what = "JVM " + r.pid() + (r.name() == null || r.name().isBlank() ? "" : " (" + RecordDialog.displayName(r.name()) + ")");
        FxJobs.Job<Path> job;
        String heading;
        if (r.dump()) {
            heading = "Dumping what " + what + " has recorded";
            job = sink -> {
                sink.progress(-1, -1, "asking the JVM to write its recordings");
                return recorder.dumpRunning(r.pid(), r.output());
            };
        } else {
            heading = "Recording " + what + " for " + seconds(r.duration().toMillis());
            job = sink -> {
                sink.progress(-1, -1, "attaching to the JVM and starting the recording");
                return recorder.record(r.pid(), r.settings(), r.duration(), r.output(), new ProgressSink() {
                    @Override
                    public void progress(long done, long total, String msg) {
                        sink.progress(done, total, seconds(done) + " of " + seconds(total) + " recorded");
                    }

                    @Override
                    public boolean isCancelled() { return sink.isCancelled(); }
                });
            };
        }
        return acquire("jvm:" + r.pid(), "\u25cf JVM " + r.pid(), heading, "JVM " + r.pid(),
                "Could not record JVM " + r.pid(), !r.dump(), job);
    }

    /** Fetches {@code url} into the captures folder in a new tab with progress and Cancel, then opens the file. */
    public AcquireTab fetch(URI url) {
        lastUrl = url.toString();
        Path out = unique(capturesDir.resolve(PprofFetcher.defaultFileName(url, LocalDateTime.now())));
        long secs = PprofFetcher.deadline(url).minus(PprofFetcher.SLACK).toSeconds();
        String path = url.getPath() == null ? "" : url.getPath().replaceAll("/+$", "");
        String endpoint = path.substring(path.lastIndexOf('/') + 1);
        FxJobs.Job<Path> job = sink -> {
            sink.progress(-1, -1, secs > 0 ? "the server profiles for " + secs + " s, then sends the profile" : "waiting for the server");
            return new PprofFetcher().fetch(url, out, sink).file();
        };
        return acquire("url:" + url, "\u21e3 " + (endpoint.isEmpty() ? url.getHost() : endpoint), "Fetching " + url, url.toString(),
                "Could not fetch " + url, false, job);
    }

    private AcquireTab acquire(String key, String title, String heading, String target, String failTitle, boolean stopKeeps,
                               FxJobs.Job<Path> job) {
        AcquireTab[] self = new AcquireTab[1];
        AcquireTab a = new AcquireTab(title, heading, target, failTitle, stopKeeps, job, file -> captured(self[0], key, file), this::showMessage);
        self[0] = a;
        a.stateProperty().addListener(stateListener);
        tabs.getTabs().add(a);
        tabs.getSelectionModel().select(a);
        status.showMessage("");
        return a;
    }

    /** A capture was saved: replace its tab by the capture's, and offer the comparison with the previous one. */
    private void captured(AcquireTab a, String key, Path file) {
        tabs.getTabs().remove(a);
        CaptureTab c = open(file);
        showMessage("Saved " + file);
        notifier.info("Capture saved", a.target() + " \u2192 " + file);
        Path previous = lastCapture.put(key, file);
        if (previous == null || previous.equals(file) || !Files.isRegularFile(previous)) return;
        c.showNotice("Captured " + a.target() + " again; the previous capture is " + previous.getFileName() + ".",
                "Compare with previous capture", "compare-previous", () -> compareWithPrevious(previous, c));
    }

    /** Opens the diff of {@code previous} (base) against the capture in {@code now}, reusing loaded profiles. */
    public DiffTab compareWithPrevious(Path previous, CaptureTab now) {
        Profile base = null;
        for (CaptureTab t : captureTabs()) {
            if (t.file().equals(previous) && t.state() == CaptureTab.State.READY) base = t.profile();
        }
        Profile target = now.state() == CaptureTab.State.READY ? now.profile() : null;
        return addDiffTab(new DiffTab(previous, base, now.file(), target, this::showMessage));
    }

    /** Whether the user looks at something else than {@code tab}: another tab, or another window. */
    private boolean lookingElsewhere(Tab tab) {
        return tabs.getSelectionModel().getSelectedItem() != tab || !stage.isFocused();
    }

    /** The capture tabs that are still capturing or failed, in order. */
    public List<AcquireTab> acquireTabs() {
        List<AcquireTab> out = new ArrayList<>();
        for (Tab t : tabs.getTabs()) if (t instanceof AcquireTab a) out.add(a);
        return out;
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 || millis >= 10_000 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    // ---- diff ----

    /** Opens a tab comparing {@code target} against {@code base} (both loaded and compared in one background job). */
    public DiffTab openDiff(Path base, Path target) {
        return addDiffTab(new DiffTab(base, null, target, null, this::showMessage));
    }

    /** Opens a tab comparing {@code target} against an open capture (its loaded profile is reused when ready). */
    public DiffTab openDiff(CaptureTab base, Path target) {
        Profile p = base.state() == CaptureTab.State.READY ? base.profile() : null;
        return addDiffTab(new DiffTab(base.file(), p, target, null, this::showMessage));
    }

    private DiffTab addDiffTab(DiffTab tab) {
        tab.stateProperty().addListener(stateListener);
        tab.stateProperty().addListener((o, was, now) -> {
            if (now == CaptureTab.State.READY && lookingElsewhere(tab)) notifier.info("Diff ready", tab.getText());
        });
        tabs.getTabs().add(tab);
        tabs.getSelectionModel().select(tab);
        status.showMessage("");
        return tab;
    }

    /**
     * Files dropped on the compare target of capture tab {@code onto}: one file opens the diff of that capture
     * (base) against the dropped file (target); any other number is handled as a drop on the window
     * ({@link #openDropped}). Returns the tabs opened.
     */
    public List<Tab> dropOnCapture(CaptureTab onto, List<File> files) {
        if (onto != null && files.size() == 1) return List.of(openDiff(onto, files.get(0).toPath()));
        return openDropped(files);
    }

    private void chooseAndCompare() {
        if (!(tabs.getSelectionModel().getSelectedItem() instanceof CaptureTab c)) {
            showMessage("Open a capture first, then compare it with another one (or drop two files on the window)");
            return;
        }
        FileChooser chooser = fileChooser("Compare " + c.file().getFileName() + " with...");
        File f = chooser.showOpenDialog(stage);
        if (f == null) return;
        rememberFolder(f.getParentFile());
        openDiff(c, f.toPath());
    }

    private void chooseAndOpen() {
        FileChooser chooser = fileChooser("Open a capture");
        List<File> files = chooser.showOpenMultipleDialog(stage);
        if (files == null || files.isEmpty()) return;
        rememberFolder(files.get(0).getParentFile());
        // Several files chosen in the dialog open one tab each (only drops and the command line diff two files).
        for (File f : files) open(f.toPath());
    }

    private void rememberFolder(File folder) {
        lastFolder = folder;
        if (prefs != null && folder != null) prefs.setLastFolder(folder.toPath());
    }

    /**
     * Remembers the window between runs in {@code p}: applies its size and position (when they are on a screen), its
     * maximized state and file chooser folder now, and saves them, with the last view, when the window closes.
     */
    void usePrefs(WindowPrefs p) {
        prefs = p;
        double[] b = p.bounds();
        if (b != null && !javafx.stage.Screen.getScreensForRectangle(b[0], b[1], b[2], b[3]).isEmpty()) {
            stage.setX(b[0]);
            stage.setY(b[1]);
            stage.setWidth(b[2]);
            stage.setHeight(b[3]);
        }
        if (p.maximized()) stage.setMaximized(true);
        Path folder = p.lastFolder();
        if (folder != null && Files.isDirectory(folder)) lastFolder = folder.toFile();
        stage.addEventHandler(javafx.stage.WindowEvent.WINDOW_HIDING, e -> savePrefs());
    }

    /** Stores the window's bounds, last view and folder (called when the window closes). */
    public boolean savePrefs() {
        if (prefs == null) return false;
        prefs.setBounds(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), stage.isMaximized());
        return prefs.save();
    }

    /** The folder the file choosers open in (the last one chosen, remembered between runs). */
    File lastFolder() { return lastFolder; }

    private FileChooser fileChooser(String title) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("All captures", "*.jfr", "*.pb.gz", "*.pprof", "*.pb", "*.txt"),
                new FileChooser.ExtensionFilter("JFR recordings (*.jfr)", "*.jfr"),
                new FileChooser.ExtensionFilter("pprof profiles (*.pb.gz, *.pprof, *.pb)", "*.pb.gz", "*.pprof", "*.pb"),
                new FileChooser.ExtensionFilter("Go text profiles (*.txt)", "*.txt"),
                new FileChooser.ExtensionFilter("All files", "*"));
        if (lastFolder != null && lastFolder.isDirectory()) chooser.setInitialDirectory(lastFolder);
        return chooser;
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
        if (t instanceof DiffTab d) d.cancel();
        tabs.getTabs().remove(t);
    }

    /** Switches to the light or the dark theme for this session (View &gt; Theme Light or Dark, not stored). */
    public void setDark(boolean dark) {
        theme = dark ? Themes.Choice.DARK : Themes.Choice.LIGHT;
        selectThemeItem();
        applyDark(dark);
    }

    /** Whether the dark stylesheet is applied. */
    public boolean isDark() { return dark; }

    /**
     * Applies a View &gt; Theme choice and stores it (when {@link #useThemeStore} gave a store). {@link Themes.Choice#SYSTEM}
     * asks the OS on a background thread and switches when it answers, unless the choice changed meanwhile.
     */
    public void setTheme(Themes.Choice choice) {
        theme = choice;
        selectThemeItem();
        if (themeStore != null) Themes.save(themeStore, choice);
        if (choice != Themes.Choice.SYSTEM) {
            applyDark(choice == Themes.Choice.DARK);
            return;
        }
        java.util.function.BooleanSupplier probe = systemDark;
        Thread t = new Thread(() -> {
            boolean d = probe.getAsBoolean();
            Platform.runLater(() -> { if (theme == Themes.Choice.SYSTEM) applyDark(d); });
        }, "kiln-theme-probe");
        t.setDaemon(true);
        t.start();
    }

    public Themes.Choice theme() { return theme; }

    /** Keeps the theme choice in {@code store} and applies the stored one ({@link Themes.Choice#SYSTEM} when none). */
    public void useThemeStore(Path store) {
        themeStore = store;
        setTheme(Themes.load(store));
    }

    /** Replaces the OS probe (tests). */
    void setSystemDarkProbe(java.util.function.BooleanSupplier probe) { systemDark = probe; }

    private void selectThemeItem() {
        for (MenuItem i : themeMenu.getItems()) ((javafx.scene.control.RadioMenuItem) i).setSelected(i.getUserData() == theme);
    }

    private void applyDark(boolean on) {
        dark = on;
        dev.kiln.views.common.CanvasTheme.setDark(on); // the canvas views repaint with the dark palette
        String d = css(DARK_CSS);
        scene.getStylesheets().remove(d);
        if (on) scene.getStylesheets().add(d);
    }

    /** The View &gt; Theme menu (for tests). */
    Menu themeMenu() { return themeMenu; }

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
            new String[] {"html", "HTML report (*.html)", "*.html"},
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
        chooser.setInitialFileName(dev.kiln.export.AtomicFiles.avoidingInputs(c.file().resolveSibling(
                dev.kiln.report.Exports.defaultName(c.profile().sourceName(), "html")), java.util.List.of(c.file())).getFileName().toString());
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
        Path input = c.file();
        Task<Path> task = FxJobs.start("Exporting " + target.getFileName(), progress -> {
            dev.kiln.export.AtomicFiles.refuseInputs(target, java.util.List.of(input)); // never over the capture read
            dev.kiln.report.Exports.write(p, format, dev.kiln.report.Exports.defaultWeights(p, format),
                    dev.kiln.analysis.Filter.NONE, 1600, 900, target, progress);
            return target;
        });
        showMessage("Exporting " + target.getFileName() + "...");
        status.track("Exporting " + target.getFileName(), task);
        task.setOnSucceeded(e -> {
            showMessage("Exported " + p.sourceName() + " to " + target);
            notifier.info("Export written", p.sourceName() + " \u2192 " + target);
        });
        task.setOnFailed(e -> {
            showMessage("Could not export to " + target + ": " + task.getException().getMessage());
            notifier.warning("Export failed", "Could not export to " + target + ": " + task.getException().getMessage());
        });
        return task;
    }

    /** Shows a short message in the status bar (until the next tab change). */
    public void showMessage(String text) {
        status.showMessage(text);
    }

    private void refreshStatus() {
        status.refresh(tabs.getSelectionModel().getSelectedItem(), stage);
    }

    /** What the status bar says about a capture tab: file, format, size and counts, or its state. */
    static String statusText(CaptureTab c) { return WindowStatus.statusText(c); }

    /** The status bar's capture text. */
    public String statusInfo() { return status.info(); }

    /** The status bar's message. */
    public String statusMessage() { return status.message(); }

    /** The status bar (a ControlsFX StatusBar) with its job progress, Cancel and message. */
    WindowStatus status() { return status; }

    /** The notifications shown (ControlsFX Notifications). */
    Notifier notifier() { return notifier; }

    public TabPane tabs() { return tabs; }

    public Scene scene() { return scene; }

    /** The diff tabs, in order. */
    public List<DiffTab> diffTabs() {
        List<DiffTab> out = new ArrayList<>();
        for (Tab t : tabs.getTabs()) if (t instanceof DiffTab d) out.add(d);
        return out;
    }

    /** The capture tabs, in order. */
    public List<CaptureTab> captureTabs() {
        List<CaptureTab> out = new ArrayList<>();
        for (Tab t : tabs.getTabs()) if (t instanceof CaptureTab c) out.add(c);
        return out;
    }
}
