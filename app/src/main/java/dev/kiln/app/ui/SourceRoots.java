// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The folders where the Source view looks for a capture's source files, remembered between runs per capture (by its
 * absolute path) in {@code source-roots.properties} beside {@link RecentFiles}' store. A capture without folders of
 * its own gets the ones added last for any capture, since captures of one program usually share them. A store that
 * cannot be read or written leaves the lists empty or unsaved; it never fails the app.
 */
public final class SourceRoots {
    private static final String LAST = "*last*";
    private final Path store;
    private final Properties props = new Properties();

    public SourceRoots(Path store) {
        this.store = store;
        try (InputStream in = Files.newInputStream(store)) {
            props.load(in);
        } catch (IOException | RuntimeException e) {
            props.clear();
        }
    }

    /** The default store, beside the recent files. */
    public static Path defaultStore() { return RecentFiles.defaultStore().resolveSibling("source-roots.properties"); }

    /** The folders for {@code capture} (null: none of its own), or the last ones used. */
    public synchronized List<Path> of(Path capture) {
        String v = capture == null ? null : props.getProperty(key(capture));
        if (v == null) v = props.getProperty(LAST, "");
        List<Path> out = new ArrayList<>();
        for (String s : v.split(File.pathSeparator)) if (!s.isBlank()) out.add(Path.of(s));
        return out;
    }

    /** Adds {@code folder} to the capture's folders and saves. */
    public synchronized void add(Path capture, Path folder) {
        List<Path> roots = of(capture);
        Path abs = folder.toAbsolutePath().normalize();
        if (!roots.contains(abs)) roots.add(abs);
        String joined = String.join(File.pathSeparator, roots.stream().map(Path::toString).toList());
        if (capture != null) props.setProperty(key(capture), joined);
        props.setProperty(LAST, joined);
        try {
            Files.createDirectories(store.getParent());
            try (OutputStream out = Files.newOutputStream(store)) {
                props.store(out, "Kiln: source folders per capture");
            }
        } catch (IOException | RuntimeException e) {
            // unsaved: the folders still apply in this run
        }
    }

    private static String key(Path capture) { return capture.toAbsolutePath().normalize().toString(); }
}
