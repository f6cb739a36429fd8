// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The most recently opened files, newest first, at most {@link #MAX}, kept one absolute path per line in a small
 * text file (by default {@code $XDG_CONFIG_HOME/kiln/recent.txt}, else {@code ~/.config/kiln/recent.txt}). A file
 * that cannot be read or written leaves the list empty or unsaved; it never fails the app.
 */
public final class RecentFiles {
    public static final int MAX = 10;
    private final Path store;
    private final List<Path> files = new ArrayList<>();

    public RecentFiles(Path store) {
        this.store = store;
        try {
            if (Files.isRegularFile(store)) {
                for (String line : Files.readAllLines(store, StandardCharsets.UTF_8)) {
                    if (!line.isBlank() && files.size() < MAX) files.add(Path.of(line.strip()));
                }
            }
        } catch (IOException | RuntimeException e) {
            files.clear();
        }
    }

    /**
     * The default store under the user's configuration folder: {@code -Dkiln.config.dir=DIR} (tests, portable
     * setups), else {@code $XDG_CONFIG_HOME/kiln}, else {@code ~/.config/kiln}. The theme and the window's
     * preferences are kept beside it.
     */
    public static Path defaultStore() {
        String dir = System.getProperty("kiln.config.dir");
        if (dir != null && !dir.isBlank()) return Path.of(dir).resolve("recent.txt");
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("kiln").resolve("recent.txt");
    }

    /** Newest first. */
    public List<Path> list() { return List.copyOf(files); }

    /** Moves {@code file} to the front and saves the list. */
    public void add(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        files.remove(abs);
        files.add(0, abs);
        while (files.size() > MAX) files.remove(files.size() - 1);
        save();
    }

    public void clear() {
        files.clear();
        save();
    }

    private void save() {
        try {
            Files.createDirectories(store.getParent());
            List<String> lines = new ArrayList<>();
            for (Path p : files) lines.add(p.toString());
            Files.write(store, lines, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            // Recent files are a convenience; a read-only home must not break opening files.
        }
    }
}
