// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import dev.kiln.testutil.FactsFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.kiln.app.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A recording too large for the heap Kiln assumes ({@code -Dkiln.memoryLimit}): {@code kiln summary} refuses it
 * with one message and a hint, and {@code kiln tree --collapsed}, which reads the CPU samples alone, still works.
 */
class TooLargeCliTest {
    static final String NAME = "jdk17-multichunk.jfr";

    @AfterEach
    void clearLimit() {
        System.clearProperty("kiln.memoryLimit");
    }

    /**
     * Caps the heap at what is in use now plus three times the file: below what a whole load needs (three times
     * the file plus the chunks in flight), above what the CPU samples alone need (an eighth of it plus the chunks).
     */
    static void limitBetweenCpuOnlyAndWhole(Path file) throws Exception {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        System.setProperty("kiln.memoryLimit", String.valueOf(rt.totalMemory() - rt.freeMemory() + 3 * Files.size(file)));
    }

    @Test
    void summaryRefusesWithAHintAndTheCollapsedTreeReadsTheCpuSamples() throws Exception {
        Path file = Path.of("../parser/src/test/resources/captures/jfr").resolve(NAME);
        long cpuSamples = new FactsFile(Path.of("../parser/src/test/resources/captures/jfr").resolve(NAME.replace(".jfr", ".facts.txt"))).section("event").rows().stream()
                .filter(r -> r.name().equals("jdk.ExecutionSample")).findFirst().orElseThrow().getLong("count");
        try {
            limitBetweenCpuOnlyAndWhole(file);
            CliTest.Result r = run("summary", file.toString());
            assertEquals(Main.BAD_INPUT, r.code(), r.out() + r.err());
            assertEquals("", r.out());
            String first = r.err().lines().findFirst().orElse("");
            assertTrue(first.contains(NAME) && first.contains("MB of memory"), r.err());
            assertTrue(r.err().contains("`kiln tree " + file + " --collapsed`"), r.err());

            limitBetweenCpuOnlyAndWhole(file);
            CliTest.Result tree = run("tree", file.toString(), "--collapsed");
            assertEquals(Main.OK, tree.code(), tree.err());
            long sum = tree.out().lines().mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
            assertEquals(cpuSamples, sum);
        } finally {
            System.clearProperty("kiln.memoryLimit");
        }
    }

    @Test
    void whenEvenTheCpuSamplesDoNotFitTheTreeSaysSoWithoutOfferingThemAgain() throws Exception {
        Path file = Path.of("../parser/src/test/resources/captures/jfr").resolve(NAME);
        try {
            System.setProperty("kiln.memoryLimit", "1"); // nothing free, whatever the collector frees meanwhile
            CliTest.Result tree = run("tree", file.toString(), "--collapsed");
            assertEquals(Main.BAD_INPUT, tree.code(), tree.err());
            assertEquals("", tree.out());
            assertTrue(tree.err().contains(NAME) && tree.err().contains("even its CPU samples alone"), tree.err());
            assertTrue(!tree.err().contains("kiln tree"), "no hint to run what just failed: " + tree.err());
        } finally {
            System.clearProperty("kiln.memoryLimit");
        }
    }
}
