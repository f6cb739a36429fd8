// SPDX-License-Identifier: Apache-2.0
package dev.kiln.hostile;

import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileFormatException;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads one file through {@link ProfileLoader} the way the CLI does and prints the outcome on one line:
 * {@code OK <threads> threads <warnings> warnings} (exit 0) or {@code ERROR <message>} (exit 2). Anything else
 * (an exception that escapes, a hang) is left to show: {@link LowMemoryLoadTest} runs it in a small heap.
 */
public final class LoadMain {
    private LoadMain() { }

    public static void main(String[] args) throws IOException {
        try {
            Profile p = ProfileLoader.load(Path.of(args[0]), ProgressSink.NONE);
            System.out.println("OK " + p.threads().size() + " threads " + p.warnings().size() + " warnings");
        } catch (ProfileFormatException e) {
            System.out.println("ERROR " + e.getMessage());
            System.exit(2);
        }
    }
}
