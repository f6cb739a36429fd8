// SPDX-License-Identifier: Apache-2.0
package dev.kiln.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Finds the source text of a file a profile names, under source roots the user gives, so that a profile built on
 * another machine (other paths, {@code -trimpath}, a CI checkout) still finds its files:
 * <ol>
 * <li>the recorded path itself, when it exists;</li>
 * <li>else the <b>longest suffix</b> of the recorded path that exists under a root ({@code /build/x/go/app/main.go}
 *     is found as {@code ROOT/app/main.go} before {@code ROOT/main.go});</li>
 * <li>the same suffixes inside {@code *-sources.jar} files: a root that is such a jar, or those found in a root
 *     folder up to {@value #JAR_DEPTH} levels down (Maven's {@code ~/.m2} layout is deeper: name the jar or its
 *     folder).</li>
 * </ol>
 * A Java frame's path is its class's ({@code SourceLines.javaPath}: {@code com/acme/Foo.java}). Files are only
 * read, texts are cached per recorded path, and a file that cannot be read counts as not found. Thread-safe.
 */
public final class SourceFiles {
    static final int JAR_DEPTH = 3;
    private static final long MAX_BYTES = 16L << 20;

    /** Where a source was found and its lines (line 1 at index 0). */
    public record Found(String location, List<String> lines) { }

    private final List<Path> roots;
    private List<Path> jars;
    private final Map<String, Optional<Found>> cache = new HashMap<>();

    public SourceFiles(List<Path> roots) { this.roots = List.copyOf(roots); }

    /** The source of {@code recordedPath}, or empty when no root holds it. */
    public synchronized Optional<Found> find(String recordedPath) { // views look up from background jobs
        return cache.computeIfAbsent(recordedPath, this::lookUp);
    }

    private Optional<Found> lookUp(String recorded) {
        String norm = recorded.replace('\\', '/');
        if (norm.isEmpty()) return Optional.empty();
        try {
            Path direct = Path.of(recorded);
            if (direct.isAbsolute() && Files.isRegularFile(direct)) return read(direct);
        } catch (RuntimeException notAPath) {
            // a name no file system accepts: try its suffixes below
        }
        String[] parts = Stream.of(norm.split("/")).filter(s -> !s.isEmpty() && !s.equals(".")).toArray(String[]::new);
        for (int from = 0; from < parts.length; from++) { // longest suffix first
            String suffix = String.join("/", java.util.Arrays.copyOfRange(parts, from, parts.length));
            if (suffix.contains("..")) continue;
            for (Path root : roots) {
                if (!Files.isDirectory(root)) continue;
                Path candidate = root.resolve(suffix);
                if (Files.isRegularFile(candidate)) {
                    Optional<Found> f = read(candidate);
                    if (f.isPresent()) return f;
                }
            }
            for (Path jar : jars()) {
                Optional<Found> f = readFromJar(jar, suffix);
                if (f.isPresent()) return f;
            }
        }
        return Optional.empty();
    }

    private List<Path> jars() {
        if (jars != null) return jars;
        jars = new ArrayList<>();
        for (Path root : roots) {
            if (Files.isRegularFile(root) && root.toString().endsWith(".jar")) jars.add(root);
            else if (Files.isDirectory(root)) {
                try (Stream<Path> s = Files.find(root, JAR_DEPTH, (p, a) -> a.isRegularFile()
                        && p.getFileName().toString().endsWith("-sources.jar"))) {
                    s.sorted().forEach(jars::add);
                } catch (IOException | RuntimeException e) {
                    // an unreadable folder holds no jar we can use
                }
            }
        }
        return jars;
    }

    private static Optional<Found> read(Path file) {
        try {
            if (Files.size(file) > MAX_BYTES) return Optional.empty();
            return Optional.of(new Found(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) { // unreadable or not UTF-8: not found
            return Optional.empty();
        }
    }

    private static Optional<Found> readFromJar(Path jar, String suffix) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry e = zip.getEntry(suffix);
            if (e == null) {
                for (Enumeration<? extends ZipEntry> all = zip.entries(); all.hasMoreElements() && e == null; ) {
                    ZipEntry z = all.nextElement();
                    if (z.getName().endsWith("/" + suffix)) e = z;
                }
            }
            if (e == null || e.isDirectory() || e.getSize() > MAX_BYTES) return Optional.empty();
            try (InputStream in = zip.getInputStream(e)) {
                String text = new String(in.readNBytes((int) MAX_BYTES), StandardCharsets.UTF_8);
                return Optional.of(new Found(jar + "!/" + e.getName(), text.lines().toList()));
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
