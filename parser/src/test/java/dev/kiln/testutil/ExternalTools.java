// SPDX-License-Identifier: Apache-2.0
package dev.kiln.testutil;

import static org.junit.jupiter.api.Assertions.fail;

/** Tests that need a tool from outside the JDK (go, Chromium): how they react when it is not installed. */
public final class ExternalTools {
    /** The words every such skip's message carries ({@link SkippedToolsReport} lists them at the end of the run). */
    public static final String SKIPPED = "skipped outside CI";

    private ExternalTools() { }

    /**
     * A failure in CI (which installs the tool, and sets CI=true), a skip with the reason elsewhere, so that
     * {@code mvn verify} works on a machine with only the JDK and Maven.
     */
    public static <T> T missing(String why) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) return fail(why);
        throw new org.opentest4j.TestAbortedException(why + "; " + SKIPPED + " (.ci/run installs it)");
    }
}
