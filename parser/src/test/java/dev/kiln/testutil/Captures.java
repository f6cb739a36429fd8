// SPDX-License-Identifier: Apache-2.0
package dev.kiln.testutil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The real captures copied from the shared corpus into {@code src/test/resources/captures}. */
public final class Captures {
    private Captures() { }

    public static Path dir(String sub) {
        try {
            return Path.of(Captures.class.getResource("/captures/" + sub).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path file(String sub, String name) { return dir(sub).resolve(name); }

    /** Files of a capture folder whose names end with one of the suffixes, sorted. */
    public static List<Path> list(String sub, String... suffixes) {
        try (Stream<Path> s = Files.list(dir(sub))) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                for (String suffix : suffixes) if (n.endsWith(suffix)) return true;
                return false;
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
