// SPDX-License-Identifier: Apache-2.0
package dev.kiln.testutil;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** Ground truth from the JDK's {@code jfr summary} output stored beside a capture. In the test-jar, for the app's tests too. */
public final class JfrSummary {
    private JfrSummary() { }

    /** Every row of a {@code jfr summary} table, zero counts and the pseudo-types too, in name order. */
    public static Map<String, Long> rows(Path summary) throws Exception {
        Map<String, Long> rows = new TreeMap<>();
        boolean table = false;
        for (String line : Files.readAllLines(summary)) {
            if (line.startsWith("=====")) { table = true; continue; }
            if (!table || line.isBlank()) continue;
            String[] f = line.trim().split("\\s+");
            rows.put(String.join(" ", Arrays.copyOf(f, f.length - 2)), Long.parseLong(f[f.length - 2]));
        }
        return rows;
    }

    /** Event counts of a {@code jfr summary} output, without its pseudo-types jdk.Metadata and jdk.CheckPoint, nor zeros. */
    public static Map<String, Long> counts(Path summary) throws Exception {
        Map<String, Long> counts = new TreeMap<>(rows(summary));
        counts.keySet().removeAll(java.util.Set.of("jdk.Metadata", "jdk.CheckPoint", "jdk.Checkpoint"));
        counts.values().removeIf(n -> n == 0);
        return counts;
    }
}
