// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.tree;

import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.image.WritableImage;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Shared test inputs of the view tests: the mixed JFR capture (loaded once), its facts file, screenshots. */
public final class TestProfiles {
    public static final Path CAPTURES = Path.of("../parser/src/test/resources/captures");
    public static final Path MIXED = CAPTURES.resolve("jfr/jdk17-mixed.jfr");
    public static final Path MIXED_FACTS = CAPTURES.resolve("jfr/jdk17-mixed.facts.txt");
    private static Profile mixed;

    private TestProfiles() { }

    public static synchronized Profile mixed() {
        if (mixed == null) mixed = load(MIXED);
        return mixed;
    }

    public static Profile load(Path p) {
        try {
            return ProfileLoader.load(p, ProgressSink.NONE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String facts() {
        try {
            return Files.readString(MIXED_FACTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Group 1 of the first match of {@code regex} (MULTILINE) in the facts file; fails when there is none. */
    public static String fact(String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(facts());
        if (!m.find()) throw new AssertionError("no match for " + regex + " in " + MIXED_FACTS);
        return m.group(1);
    }

    /** The first entry line (name, then key=value) after a section header line matching {@code header}. */
    public static String firstEntryAfter(String header) {
        return fact(header + "[^\\n]*\\n(?:[^\\n]*:\\n)?\\s+(\\S+)\\s+\\w+=");
    }

    /**
     * Writes a snapshot of a node (call on the FX thread) to {@code target/screenshots/<name>}, or to the folder
     * named by {@code -Dkiln.screenshotDir} (to refresh the docs: {@code -Dkiln.test.props=-Dkiln.screenshotDir=../docs}),
     * so that a normal build never rewrites committed files.
     */
    public static void screenshot(Node node, String name) {
        WritableImage img = node.snapshot(null, null);
        try {
            Path out = Path.of(System.getProperty("kiln.screenshotDir", "target/screenshots")).resolve(name);
            Files.createDirectories(out.getParent());
            ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", out.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
