// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.findings;

import dev.kiln.job.ProgressSink;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.testutil.Captures;
import dev.kiln.testutil.FactsFile;
import dev.kiln.testutil.JmcRulesOnFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JMC's rules run headless through {@link JmcRules}. */
class JmcRulesTest {
    /** Generous: about 5 s on a quiet 2-core machine, but the test machine is shared. */
    static final Duration BOUND = Duration.ofSeconds(150);
    static final Pattern MARKUP = Pattern.compile("<(p|ul|ol|li|a|b|i|br|code|pre)[\\s>/]|&(lt|gt|amp|quot|#\\d+);");

    @Test
    void rulesProduceResultsOnTheMixedRecording() {
        Path file = Captures.file("jfr", "jdk17-mixed.jfr");
        JmcRules.Report report = assertTimeoutPreemptively(BOUND.plusSeconds(10),
                () -> JmcRulesOnFile.run(file, ProgressSink.NONE, BOUND));
        assertTrue(report.complete(), report.problem());
        assertNull(report.problem());
        assertTrue(report.rulesTotal() > 20, "JMC offers many rules: " + report.rulesTotal());
        assertEquals(report.rulesTotal(), report.results().size());
        assertFalse(report.reportable().isEmpty());
        for (String id : new String[] {"JavaBlocking", "GcPauseRatio", "Allocations.class", "SocketRead", "Exceptions"}) {
            assertNotNull(report.result(id), id);
        }
        // The recording's most contended monitor (facts) is what JMC's blocking rule names, as a warning.
        FactsFile facts = new FactsFile(Captures.file("jfr", "jdk17-mixed.facts.txt"));
        String monitor = facts.section("jdk.JavaMonitorEnter").tables().get("by monitorClass").get(0).name();
        JmcRules.Result blocking = report.result("JavaBlocking");
        assertEquals("WARNING", blocking.severity());
        assertEquals(Severity.WARNING, blocking.kilnSeverity());
        assertTrue(blocking.explanation().contains("'" + monitor + "'"), blocking.explanation());
        assertTrue(blocking.score() > 0 && blocking.score() <= 100);
        for (JmcRules.Result r : report.results()) {
            for (String s : new String[] {r.ruleName(), r.summary(), r.explanation(), r.solution()}) {
                assertNotNull(s, r.ruleId());
                assertFalse(MARKUP.matcher(s).find(), r.ruleId() + ": " + s);
                assertFalse(s.contains("''"), r.ruleId() + ": " + s);
            }
        }
    }

    @Test
    void timeLimitStopsTheRunAndKeepsWhatWasDone() {
        Path file = Captures.file("jfr", "jdk17-diff-baseline.jfr");
        JmcRules.Report report = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> JmcRulesOnFile.run(file, ProgressSink.NONE, Duration.ofMillis(1)));
        assertFalse(report.complete());
        assertNotNull(report.problem());
        assertTrue(report.results().size() < report.rulesTotal());
    }

    @Test
    void cancellingStopsTheRun() {
        ProgressSink cancelAfterFirstReport = new ProgressSink() {
            volatile boolean cancelled;

            @Override
            public void progress(long done, long total, String what) { cancelled = true; }

            @Override
            public boolean isCancelled() { return cancelled; }
        };
        Path file = Captures.file("jfr", "jdk17-diff-baseline.jfr");
        assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(CancellationException.class, () -> JmcRulesOnFile.run(file, cancelAfterFirstReport)));
    }

    @Test
    void nonJfrAndDamagedFilesFailCleanly() {
        assertTimeoutPreemptively(BOUND, () -> {
            assertThrows(ProfileFormatException.class, () -> JmcRulesOnFile.run(Captures.file("pprof", "cpu-baseline.pb.gz"), ProgressSink.NONE));
            for (Path bad : Captures.list("bad", ".jfr", ".gz")) {
                try {
                    JmcRules.Report r = JmcRulesOnFile.run(bad, ProgressSink.NONE, Duration.ofSeconds(60));
                    assertNotNull(r.results(), bad.toString());
                } catch (ProfileFormatException expected) {
                    assertTrue(expected.getMessage().startsWith(bad.getFileName().toString()), expected.getMessage());
                }
            }
        });
    }

    @Test
    void plainTextFromJmcMarkup() {
        assertEquals("Use docs (https://x.example) for A<B> & C.\n- one\n- two",
                JmcRules.plain("<p>Use <a href=\"https://x.example\">docs</a> for <b>A&lt;B&gt;</b> &amp; C.</p>"
                        + "<ul><li>one</li><li>two</li></ul>"));
        assertEquals("See the guide (https://g.example). It's ''fine''".replace("''", "'"),
                JmcRules.plain("See the [guide](https://g.example). It''s ''fine''"));
        assertEquals("", JmcRules.plain(null));
    }
}
