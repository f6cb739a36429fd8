// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A second launch hands its files to the running app over loopback, and only with the right token. */
class SingleInstanceTest {
    @TempDir
    Path dir;

    @Test
    void filesReachTheRunningInstance() throws Exception {
        Path portFile = dir.resolve("kiln/instance");
        BlockingQueue<List<Path>> received = new LinkedBlockingQueue<>();
        try (SingleInstance running = SingleInstance.listen(portFile, received::add)) {
            List<Path> files = List.of(dir.resolve("a.jfr"), dir.resolve("b.pb.gz"));
            assertTrue(SingleInstance.handOff(files, portFile));
            assertEquals(files, received.poll(5, TimeUnit.SECONDS));
            // A port file with the wrong token is refused: the launch starts its own window.
            Files.writeString(portFile, running.port() + " 0000\n");
            assertFalse(SingleInstance.handOff(files, portFile));
            assertEquals(null, received.poll(300, TimeUnit.MILLISECONDS));
        }
        assertFalse(Files.exists(portFile), "closing removes the port file");
    }

    @Test
    void noRunningInstanceMeansStartNormally() throws Exception {
        assertFalse(SingleInstance.handOff(List.of(dir.resolve("a.jfr")), dir.resolve("missing")));
        Path stale = dir.resolve("stale");
        Files.writeString(stale, "1 abc\n"); // nothing listens on port 1
        long t0 = System.nanoTime();
        assertFalse(SingleInstance.handOff(List.of(dir.resolve("a.jfr")), stale));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "a stale port file must not delay the start");
    }
}
