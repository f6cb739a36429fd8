// SPDX-License-Identifier: Apache-2.0
package dev.kiln.testutil;

import dev.kiln.analysis.findings.JmcRules;
import dev.kiln.io.ProfileLoader;
import dev.kiln.jfr.JfrReader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.ProfileFormatException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** {@link JmcRules} on a file, loaded as the CLI loads it: gzip unpacked by {@code io}, items read by the JFR reader. */
public final class JmcRulesOnFile {
    private JmcRulesOnFile() { }

    public static JmcRules.Report run(Path file, ProgressSink progress) throws ProfileFormatException, IOException {
        return run(file, progress, JmcRules.DEFAULT_TIMEOUT);
    }

    public static JmcRules.Report run(Path file, ProgressSink progress, Duration timeout)
            throws ProfileFormatException, IOException {
        return JmcRules.run(file.getFileName().toString(),
                p -> ProfileLoader.withJfrFile(file, p, plain -> JfrReader.loadItems(plain, p)), progress, timeout);
    }
}
