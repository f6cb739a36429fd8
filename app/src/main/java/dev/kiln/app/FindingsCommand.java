// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kiln.analysis.findings.Finding;
import dev.kiln.analysis.findings.Findings;
import dev.kiln.analysis.findings.JmcRules;
import dev.kiln.analysis.findings.Severity;
import dev.kiln.io.ProfileLoader;
import dev.kiln.jfr.JfrReader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.SourceFormat;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code kiln findings FILE [--no-jmc] [--json]}: Kiln's own findings for any capture and, for JFR recordings
 * unless {@code --no-jmc}, JMC's automated analysis (INFO and WARNING results in the text; every result in JSON).
 * The text lists everything most urgent first; exit code 0 whatever was found, {@link Main#BAD_INPUT} when the
 * file cannot be read.
 */
final class FindingsCommand {
    static final String USAGE = "usage: kiln findings FILE [--no-jmc] [--json]\n";

    /** The JSON document: file, format, Kiln's findings and JMC's report (null when not run). */
    record Output(String file, String format, List<Finding> findings, JmcRules.Report jmc, String jmcProblem) { }

    /** One line of the text output, from either source. */
    private record Item(Severity severity, String title, String text, String more) { }

    private FindingsCommand() { }

    static int run(String[] args, PrintStream out, PrintStream err) {
        boolean json = false, jmc = true;
        List<String> files = new ArrayList<>();
        for (String a : args) {
            if (a.equals("--json")) json = true;
            else if (a.equals("--no-jmc")) jmc = false;
            else if (a.startsWith("-")) { err.println("kiln findings: unknown option " + a); err.print(USAGE); return Main.USAGE; }
            else files.add(a);
        }
        if (files.size() != 1) {
            err.println("kiln findings: expected one FILE");
            err.print(USAGE);
            return Main.USAGE;
        }
        Path file = Path.of(files.get(0));
        Profile profile = Cli.load(file.toString(), err);
        if (profile == null) return Main.BAD_INPUT;
        List<Finding> findings = Findings.of(profile);
        SourceFormat format = profile.format();
        String name = profile.sourceName();
        profile = null; // JMC loads the recording again; let Kiln's copy go first
        JmcRules.Report report = null;
        String jmcProblem = null;
        if (jmc && format == SourceFormat.JFR) {
            try {
                report = JmcRules.run(file.getFileName().toString(),
                        p -> ProfileLoader.withJfrFile(file, p, plain -> JfrReader.loadItems(plain, p)), ProgressSink.NONE);
                if (!report.complete()) jmcProblem = report.problem();
            } catch (ProfileFormatException | IOException e) {
                jmcProblem = e.getMessage();
            }
        }
        if (json) {
            try {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(new Output(name, format.label(), findings, report, jmcProblem)));
            } catch (IOException e) {
                err.println("kiln: cannot write JSON: " + e.getMessage());
                return Main.BAD_INPUT;
            }
            return Main.OK;
        }
        printText(name, format, findings, report, jmcProblem, out);
        return Main.OK;
    }

    private static void printText(String name, SourceFormat format, List<Finding> findings, JmcRules.Report report,
                                  String jmcProblem, PrintStream out) {
        List<Item> items = new ArrayList<>();
        for (Finding f : findings) {
            Finding.Link l = f.link();
            items.add(new Item(f.severity(), f.title(), f.explanation(),
                    "show: " + l.view() + " view, " + l.filter() + " = " + l.value()
                            + (l.valueType() == null ? "" : " (" + l.valueType() + ")") + "   [" + f.id() + "]"));
        }
        if (report != null) {
            for (JmcRules.Result r : report.reportable()) {
                String score = r.score() < 0 ? "" : String.format(Locale.ROOT, ", score %.0f", r.score());
                items.add(new Item(r.kilnSeverity(), "JMC: " + r.ruleName(), r.summary(),
                        "[jmc " + r.ruleId() + score + "]"));
            }
        }
        items.sort(Comparator.comparing(Item::severity).reversed()); // stable: Kiln's before JMC's at equal severity
        out.printf(Locale.ROOT, "Findings for %s (%s)%n", name, format.label());
        if (items.isEmpty()) out.println("  nothing stands out");
        for (Item i : items) {
            out.println();
            out.printf(Locale.ROOT, "%-9s %s%n", i.severity(), i.title());
            for (String line : i.text().split("\n")) out.printf(Locale.ROOT, "%-9s %s%n", "", line);
            out.printf(Locale.ROOT, "%-9s %s%n", "", i.more());
        }
        if (report != null) {
            out.println();
            out.printf(Locale.ROOT, "JMC automated analysis: %d of %d rules evaluated, %d reportable (loading %.1f s, rules %.1f s)%n",
                    report.results().size(), report.rulesTotal(), report.reportable().size(),
                    report.loadMillis() / 1e3, report.evaluateMillis() / 1e3);
        }
        if (jmcProblem != null) out.println("JMC automated analysis incomplete: " + jmcProblem);
    }
}
