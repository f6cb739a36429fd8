// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import dev.kiln.app.ui.KilnApp;
import dev.kiln.app.ui.SingleInstance;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Starts the desktop window for {@code kiln [FILE...]}, or, when there is no display or the toolkit cannot start,
 * says so and prints the summary of each file instead. Holds no JavaFX types itself: the toolkit is only loaded
 * when {@link #open} decides to start the window.
 */
final class Gui {
    private Gui() { }

    /**
     * Opens the window on {@code files} (its welcome page, offering the bundled sample, when empty; the summary of the
     * sample when there is no display); returns the exit code.
     */
    static int open(List<String> files, PrintStream out, PrintStream err) {
        List<Path> paths;
        try {
            paths = filesOrSample(files);
        } catch (IOException e) {
            err.println("kiln: cannot unpack the bundled sample: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        // A double-click while Kiln is open: hand the files to that window instead of starting another.
        if (!files.isEmpty() && SingleInstance.handOff(paths, SingleInstance.defaultPortFile())) {
            out.println("kiln: opened " + String.join(", ", files) + " in the running Kiln window");
            return Main.OK;
        }
        String why = whyNoDisplay(System.getenv(), System.getProperty("os.name", ""), System.getProperty("glass.platform"));
        if (why == null) {
            try {
                KilnApp.launchWith(files.isEmpty() ? List.of() : paths, files.isEmpty() ? paths.get(0) : null);
                return Main.OK;
            } catch (Throwable t) {
                why = "the window could not start (" + t + ")";
            }
        }
        return fallback(why, paths, out, err);
    }

    /** The files as paths, or the bundled sample (unpacked to the temp folder) when there are none. */
    static List<Path> filesOrSample(List<String> files) throws IOException {
        List<Path> paths = new ArrayList<>();
        if (files.isEmpty()) paths.add(Cli.sampleCapture());
        else for (String f : files) paths.add(Path.of(f));
        return paths;
    }

    /**
     * Why a window cannot be shown, or null if it probably can: on Linux and other X11 systems JavaFX needs
     * {@code DISPLAY} (or Wayland's {@code WAYLAND_DISPLAY}) unless a headless glass platform (Monocle) is chosen.
     */
    static String whyNoDisplay(Map<String, String> env, String osName, String glassPlatform) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("mac") || os.startsWith("windows")) return null;
        if ("Monocle".equalsIgnoreCase(glassPlatform)) return null;
        if (isBlank(env.get("DISPLAY")) && isBlank(env.get("WAYLAND_DISPLAY"))) {
            return "no display (neither DISPLAY nor WAYLAND_DISPLAY is set)";
        }
        return null;
    }

    private static boolean isBlank(String s) { return s == null || s.isBlank(); }

    /** The headless fallback: one line on stderr saying why, then the summary of every file on stdout. */
    static int fallback(String why, List<Path> files, PrintStream out, PrintStream err) {
        err.println("kiln: cannot open the window: " + why + ".");
        err.println("kiln: printing the summary instead (`kiln summary FILE` does this without trying the window).");
        int code = Main.OK;
        for (int i = 0; i < files.size(); i++) {
            if (i > 0) out.println();
            code = Math.max(code, Cli.summary(new String[] {files.get(i).toString()}, out, err));
        }
        return code;
    }
}
