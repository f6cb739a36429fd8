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

    /** Event counts of a {@code jfr summary} output, without its pseudo-types jdk.Metadata and jdk.CheckPoint, nor zeros. */
    public static Map<String, Long> counts(Path summary) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        boolean table = false;
        for (String line : Files.readAllLines(summary)) {
            if (line.startsWith("=====")) { table = true; continue; }
            if (!table || line.isBlank()) continue;
            String[] f = line.trim().split("\\s+");
            String name = String.join(" ", Arrays.copyOf(f, f.length - 2));
            if (name.equals("jdk.Metadata") || name.equals("jdk.CheckPoint") || name.equals("jdk.Checkpoint")) continue;
            long n = Long.parseLong(f[f.length - 2]);
            if (n > 0) counts.put(name, n);
        }
        return counts;
    }
}
