// SPDX-License-Identifier: Apache-2.0
package dev.kiln.testutil;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.util.ArrayList;
import java.util.List;

/**
 * Says in the build output which tests were skipped because a tool from outside the JDK is missing, and why
 * ({@link ExternalTools#missing}), so that a build without Go, Chromium or npm does not look fully green: surefire
 * itself only counts skips. Registered for every test run of the parser and app modules through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener} (the app gets it with the parser's
 * test jar).
 */
public final class SkippedToolsReport implements TestExecutionListener {
    private final List<String> skipped = new ArrayList<>();

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() != TestExecutionResult.Status.ABORTED) return;
        String why = result.getThrowable().map(Throwable::getMessage).orElse("");
        if (why == null || !why.contains(ExternalTools.SKIPPED)) return;
        skipped.add(test.getDisplayName() + " (" + test.getUniqueId().replaceAll(".*\\[class:([^\\]]*\\.)?([^.\\]]+)\\].*", "$2") + "): " + why);
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (skipped.isEmpty()) return;
        System.out.println("[kiln] " + skipped.size() + " test" + (skipped.size() == 1 ? " was" : "s were")
                + " SKIPPED because a tool is not installed (CI installs them; README > Run and test names the commands):");
        for (String s : skipped) System.out.println("[kiln]   " + s);
        skipped.clear();
    }
}
