// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import dev.kiln.export.AtomicFiles;
import dev.kiln.model.Profile;
import dev.kiln.report.HtmlReport;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kiln report FILE -o report.html [--value TYPE]}: writes one self-contained HTML report of FILE
 * ({@link HtmlReport}): exit 0 when written, {@link Main#BAD_INPUT} when FILE cannot be read or the report cannot be
 * written, {@link Main#USAGE} on bad usage.
 */
final class ReportCommand {
    static final String USAGE = """
            usage: kiln report FILE -o REPORT.html [--value TYPE]
              -o, --output FILE   the HTML file to write (one self-contained file, no network needed to view it)
              --value TYPE        weight the flame graph shows first (cpu, alloc, samples, cpu/nanoseconds, ...);
                                  every other weight is in the report too, behind a switch
            """;

    private ReportCommand() { }

    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> files = new ArrayList<>();
        String output = null, value = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "-o", "--output" -> output = LocksCommand.value(args, ++i, a);
                    case "--value" -> value = LocksCommand.value(args, ++i, a);
                    default -> {
                        if (a.startsWith("-")) throw new IllegalArgumentException("unknown option " + a);
                        files.add(a);
                    }
                }
            }
            if (files.size() != 1) throw new IllegalArgumentException("expected one FILE");
            if (output == null) throw new IllegalArgumentException("-o REPORT.html is required");
            AtomicFiles.refuseInputs(Path.of(output), List.of(Path.of(files.get(0))));
        } catch (IllegalArgumentException e) {
            err.println("kiln report: " + e.getMessage());
            err.print(USAGE);
            return Main.USAGE;
        }
        Profile p = LocksCommand.load(files.get(0), err);
        if (p == null) return Main.BAD_INPUT;
        try {
            HtmlReport.write(p, HtmlReport.Options.DEFAULT.withValue(value), Path.of(output));
        } catch (IllegalArgumentException e) { // an unknown --value
            err.println("kiln report: " + e.getMessage());
            return Main.USAGE;
        } catch (IOException e) {
            err.println("kiln report: cannot write " + output + ": " + e.getMessage());
            return Main.BAD_INPUT;
        }
        out.println("wrote " + output);
        return Main.OK;
    }
}
