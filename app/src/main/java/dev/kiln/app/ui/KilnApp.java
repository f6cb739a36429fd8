// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;

import java.awt.Desktop;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The JavaFX application: one {@link MainWindow} opening the files given as unnamed parameters (one tab each, or
 * one diff tab for exactly two: {@code kiln BASE TARGET}), or its welcome page when there are none, which offers
 * the bundled sample named by {@code --sample=FILE}. Started
 * by {@link #launchWith(List)}, which blocks until the window is closed. {@code -Dkiln.theme=dark} starts in the
 * dark theme; otherwise the View &gt; Theme choice of the last session applies ({@link Themes}, System by default). Not the jar's main class: the launcher
 * {@code dev.kiln.app.Main} stays free of JavaFX so that the CLI runs without the toolkit.
 */
public final class KilnApp extends Application {
    @Override
    public void start(Stage stage) {
        MainWindow window = new MainWindow(stage, new RecentFiles(RecentFiles.defaultStore()));
        window.usePrefs(new WindowPrefs(WindowPrefs.defaultStore())); // size, position, last view and folder
        if ("dark".equals(System.getProperty("kiln.theme"))) window.setDark(true);
        else window.useThemeStore(Themes.defaultStore()); // View > Theme; System asks the OS in the background
        String sample = getParameters().getNamed().get("sample");
        if (sample != null) window.setSample(Path.of(sample)); // offered on the welcome page
        // One file opens it; exactly two open their diff (base first); more open one tab each; none: the welcome page.
        window.openDropped(getParameters().getUnnamed().stream().map(File::new).toList());
        installDesktopOpenHandler(window);
        try {
            instance = SingleInstance.listen(SingleInstance.defaultPortFile(),
                    paths -> Platform.runLater(() -> {
                        window.openDropped(paths.stream().map(Path::toFile).toList());
                        stage.toFront();
                    }));
        } catch (java.io.IOException | RuntimeException e) {
            // no hand-off: a second launch simply opens a second window
        }
        stage.show();
    }

    private SingleInstance instance;

    @Override
    public void stop() {
        if (instance != null) instance.close();
    }

    /**
     * JavaFX warns "Unsupported JavaFX configuration: classes were loaded from 'unnamed module'" at every start on the
     * class path. Kiln runs there on purpose (JMC, protobuf and lz4 are automatic modules, so the app cannot be a
     * module image; the installers carry the tested FX runtime): the warning tells a user nothing they can act on.
     * Held in a field so that the level sticks (loggers are weakly referenced).
     */
    private static final java.util.logging.Logger FX_LOG = java.util.logging.Logger.getLogger("javafx");

    /**
     * Starts the toolkit and shows the window on {@code files} (the welcome page when none, offering {@code sample}
     * when not null); returns when the app exits.
     */
    public static void launchWith(List<Path> files, Path sample) {
        FX_LOG.setLevel(java.util.logging.Level.SEVERE);
        List<String> args = new java.util.ArrayList<>(files.stream().map(Path::toString).toList());
        if (sample != null) args.add("--sample=" + sample);
        Application.launch(KilnApp.class, args.toArray(String[]::new));
    }

    /**
     * Opens files the desktop sends to a running app (macOS Finder "Open With", dock drops). Only macOS delivers
     * these events; elsewhere AWT is not touched at all.
     */
    private static void installDesktopOpenHandler(MainWindow window) {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("mac")) return;
        try {
            if (!Desktop.isDesktopSupported() || !Desktop.getDesktop().isSupported(Desktop.Action.APP_OPEN_FILE)) return;
            Desktop.getDesktop().setOpenFileHandler(e -> {
                List<File> files = List.copyOf(e.getFiles());
                Platform.runLater(() -> window.openDropped(files));
            });
        } catch (RuntimeException | LinkageError e) {
            // No desktop integration: files are still opened from the menu, the command line and drops.
        }
    }
}
