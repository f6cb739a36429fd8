// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Started from the class path as {@code java -jar kiln.jar FILE} starts it (here headless on Monocle, in a process of
 * its own), the window opens with nothing on the console: no "Unsupported JavaFX configuration" warning.
 */
class CleanConsoleTest {
    @Test
    void theAppStartsWithACleanConsole(@TempDir Path dir) throws Exception {
        Path err = dir.resolve("err.txt"), out = dir.resolve("out.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dglass.platform=Monocle", "-Dmonocle.platform=Headless", "-Dprism.order=sw", "-Djava.awt.headless=true",
                "-Duser.home=" + dir, "-Dkiln.theme=dark", // no config of the user's, no OS theme probe
                "dev.kiln.app.Main", ShellTest.MIXED.toString()))
                .redirectError(err.toFile()).redirectOutput(out.toFile()).start();
        try {
            // the window is up when the toolkit has started; give it time to load and show the capture
            assertTrue(!p.waitFor(8, TimeUnit.SECONDS), "the app is still running (a window is open): " + Files.readString(err));
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        String console = Files.readString(err) + Files.readString(out);
        assertTrue(!console.contains("Unsupported JavaFX configuration"), console);
        assertEquals("", console.strip(), "nothing on the console at start");
    }
}
