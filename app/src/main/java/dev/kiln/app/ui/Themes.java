// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The light/dark theme choice: {@link Choice#SYSTEM} follows the operating system where it can be known, by a probe
 * ({@link #probe}) that runs a short command with a {@link #PROBE_TIMEOUT_MS} time limit, off the FX thread;
 * unknown means light. The probes: GNOME {@code gsettings get org.gnome.desktop.interface color-scheme}
 * ({@code 'prefer-dark'}), else its {@code gtk-theme} containing "dark"; macOS {@code defaults read -g
 * AppleInterfaceStyle} ("Dark"; the key is absent in light mode); Windows {@code reg query
 * HKCU\...\Themes\Personalize /v AppsUseLightTheme} (0x0 = dark). The parsers are pure functions of the commands'
 * output. The choice is kept in a one-line text file next to the recent files ({@link #defaultStore()}); a file
 * that cannot be read or written means {@link Choice#SYSTEM} and never fails the app.
 */
public final class Themes {
    /** How long a probe command may run. */
    public static final long PROBE_TIMEOUT_MS = 2000;

    /** What the user chose in View &gt; Theme. */
    public enum Choice { SYSTEM, LIGHT, DARK }

    private Themes() { }

    /** {@code ~/.config/kiln/theme.txt} (or under {@code $XDG_CONFIG_HOME}). */
    public static Path defaultStore() { return RecentFiles.defaultStore().resolveSibling("theme.txt"); }

    /** The stored choice, {@link Choice#SYSTEM} when none or unreadable. */
    public static Choice load(Path store) {
        try {
            return Files.isRegularFile(store) ? Choice.valueOf(Files.readString(store, StandardCharsets.UTF_8).strip()) : Choice.SYSTEM;
        } catch (IOException | RuntimeException e) {
            return Choice.SYSTEM;
        }
    }

    /** Stores the choice; failures are ignored (the theme is a convenience). */
    public static void save(Path store, Choice choice) {
        try {
            Files.createDirectories(store.getParent());
            Files.writeString(store, choice.name() + "\n", StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            // read-only home: the choice lasts for this session only
        }
    }

    // ---- parsers (pure)

    /**
     * GNOME: dark when {@code colorScheme} (output of {@code gsettings get ... color-scheme}) is
     * {@code 'prefer-dark'}, or the GTK theme name contains "dark"; null when both outputs are empty (unknown).
     */
    public static Boolean parseGnome(String colorScheme, String gtkTheme) {
        String cs = colorScheme == null ? "" : colorScheme.strip().toLowerCase(Locale.ROOT);
        String gtk = gtkTheme == null ? "" : gtkTheme.strip().toLowerCase(Locale.ROOT);
        if (cs.isEmpty() && gtk.isEmpty()) return null;
        return cs.contains("prefer-dark") || gtk.contains("dark");
    }

    /** macOS: {@code defaults read -g AppleInterfaceStyle} prints "Dark" in dark mode and fails (no key) in light mode. */
    public static boolean parseMac(String output, int exitCode) {
        return exitCode == 0 && output != null && output.strip().equalsIgnoreCase("dark");
    }

    /** Windows: the {@code AppsUseLightTheme} line of {@code reg query}; {@code 0x0} is dark. Null without that line. */
    public static Boolean parseWindows(String output) {
        if (output == null) return null;
        for (String line : output.split("\\R")) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 3 && f[0].equalsIgnoreCase("AppsUseLightTheme")) return Long.decode(f[2]) == 0;
        }
        return null;
    }

    // ---- probe

    /** Whether the OS is in dark mode (false when unknown). Runs commands: never call it on the FX thread. */
    public static boolean probe() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        Boolean dark;
        if (os.startsWith("mac")) {
            Result r = run(List.of("defaults", "read", "-g", "AppleInterfaceStyle"));
            dark = r == null ? null : parseMac(r.out, r.exit);
        } else if (os.startsWith("windows")) {
            Result r = run(List.of("reg", "query", "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Themes\\Personalize",
                    "/v", "AppsUseLightTheme"));
            dark = r == null ? null : parseWindows(r.out);
        } else {
            Result cs = run(List.of("gsettings", "get", "org.gnome.desktop.interface", "color-scheme"));
            Result gtk = run(List.of("gsettings", "get", "org.gnome.desktop.interface", "gtk-theme"));
            dark = parseGnome(cs == null || cs.exit != 0 ? "" : cs.out, gtk == null || gtk.exit != 0 ? "" : gtk.out);
        }
        return dark != null && dark;
    }

    private record Result(String out, int exit) { }

    /** Output and exit code of a command, or null when it cannot be run or takes longer than the timeout. */
    private static Result run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return null;
            }
            try (InputStream in = p.getInputStream()) {
                return new Result(new String(in.readAllBytes(), StandardCharsets.UTF_8), p.exitValue());
            }
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
