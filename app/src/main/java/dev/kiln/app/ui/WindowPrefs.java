// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * What Kiln remembers between runs besides the recent files and the theme: the window's position and size (and
 * whether it was maximized), the view last selected in a capture, and the folder of the last file chosen. Kept in
 * a small properties file, {@code window.properties} beside the recent files ({@link #defaultStore()}: under
 * {@code $XDG_CONFIG_HOME/kiln} or {@code ~/.config/kiln}, or {@code -Dkiln.config.dir}); tests give their own
 * file. A file that cannot be read or written is as if empty and never fails the app.
 */
final class WindowPrefs {
    private final Path store;
    private final Properties props = new Properties();

    WindowPrefs(Path store) {
        this.store = store;
        try (Reader r = Files.newBufferedReader(store, StandardCharsets.UTF_8)) {
            props.load(r);
        } catch (IOException | RuntimeException e) {
            props.clear(); // nothing remembered yet, or unreadable: start afresh
        }
    }

    /** {@code window.properties} in the folder of {@link RecentFiles#defaultStore()}. */
    static Path defaultStore() { return RecentFiles.defaultStore().resolveSibling("window.properties"); }

    Path store() { return store; }

    /** The window's bounds as last saved: x, y, width, height; null when none (or not numbers). */
    double[] bounds() {
        try {
            double[] b = {Double.parseDouble(props.getProperty("window.x")), Double.parseDouble(props.getProperty("window.y")),
                    Double.parseDouble(props.getProperty("window.width")), Double.parseDouble(props.getProperty("window.height"))};
            return b[2] >= 200 && b[3] >= 150 ? b : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    boolean maximized() { return Boolean.parseBoolean(props.getProperty("window.maximized")); }

    void setBounds(double x, double y, double width, double height, boolean maximized) {
        props.setProperty("window.maximized", String.valueOf(maximized));
        if (maximized) return; // keep the bounds to restore to
        props.setProperty("window.x", String.valueOf(x));
        props.setProperty("window.y", String.valueOf(y));
        props.setProperty("window.width", String.valueOf(width));
        props.setProperty("window.height", String.valueOf(height));
    }

    /** The id of the view last selected in a capture tab ("flame", "tree", ...), or null. */
    String lastView() { return props.getProperty("view.last"); }

    void setLastView(String id) { if (id != null) props.setProperty("view.last", id); }

    /** The folder of the file last chosen in a file dialog, or null. */
    Path lastFolder() {
        String f = props.getProperty("chooser.folder");
        return f == null || f.isBlank() ? null : Path.of(f);
    }

    void setLastFolder(Path folder) { if (folder != null) props.setProperty("chooser.folder", folder.toAbsolutePath().toString()); }

    /** Writes the file (a temporary file moved into place); false when it could not be written. */
    boolean save() {
        try {
            Files.createDirectories(store.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(store.toAbsolutePath().getParent(), "window", ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                props.store(w, "Kiln's window; deleting this file forgets it");
            }
            Files.move(tmp, store, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
