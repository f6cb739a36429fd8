// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.FilteredStacks;
import dev.kiln.analysis.Weight;
import dev.kiln.analysis.jvm.JvmWeights;
import dev.kiln.analysis.Weights;
import dev.kiln.export.AtomicFiles;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.Units;
import dev.kiln.report.Exports;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code kiln export FILE --to pprof|collapsed|speedscope|svg|png|html [-o OUT] [--value TYPE]... [filters]}: writes
 * the (filtered) profile in a format other tools read, through the parser's writers (all of which replace
 * the output file only once it is complete), and prints what was written, the filter and, per weight, how
 * much of it the filter kept.
 */
public final class ExportCommand {
    static final String USAGE = """
            usage: kiln export FILE --to FORMAT [options]   write FILE in a format other tools read
              --to FORMAT            pprof (gzipped protobuf, for go tool pprof), collapsed ("a;b;c N"),
                                     speedscope (JSON), svg or png (flame graph), html (the report of
                                     `kiln report`, every weight); also --format FORMAT
                                     (--to followed by a number is the end of the time range)
              -o, --output OUT       output file (default: FILE's base name with the format's extension, here;
                                     never FILE itself: Kiln does not write over its input)
              --value TYPE           weight to export (repeatable for pprof and speedscope; default: every
                                     weight for pprof and speedscope, the profile's default for the others)
              --width N, --height N  image size in pixels (svg: width only; default 1200 x 800)
            An existing OUT is replaced only when the export succeeded. Exit codes: 0 done, 2 FILE could not be
            read or OUT could not be written, 64 usage.
            """ + FilterArgs.HELP;

    private static final List<String> FORMATS = Exports.FORMATS;

    private ExportCommand() { }

    static int run(String[] args, PrintStream out, PrintStream err) {
        FilterArgs filterArgs = new FilterArgs();
        String file = null, to = null, output = null;
        List<String> values = new ArrayList<>();
        int width = 1200, height = 800;
        try {
            for (int i = 0; i < args.length; i++) {
                // "--to pprof" names the format; "--to 12.5" stays the end of the time range (a filter option).
                if (args[i].equals("--to") && i + 1 < args.length && FORMATS.contains(args[i + 1].toLowerCase(Locale.ROOT))) {
                    to = args[++i].toLowerCase(Locale.ROOT);
                    continue;
                }
                int used = filterArgs.accept(args, i);
                if (used > 0) { i += used - 1; continue; }
                String a = args[i];
                switch (a) {
                    case "--format", "-o", "--output", "--value", "--width", "--height" -> {
                        if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
                        String v = args[++i];
                        switch (a) {
                            case "--format" -> to = v.toLowerCase(Locale.ROOT);
                            case "--value" -> values.add(v);
                            case "--width" -> width = pixels(a, v);
                            case "--height" -> height = pixels(a, v);
                            default -> output = v;
                        }
                    }
                    default -> {
                        if (a.startsWith("-")) throw new IllegalArgumentException("unknown option " + a);
                        if (file != null) throw new IllegalArgumentException("expected one FILE");
                        file = a;
                    }
                }
            }
            if (file == null) throw new IllegalArgumentException("expected one FILE");
            if (to == null) throw new IllegalArgumentException("--to is required: one of " + String.join(", ", FORMATS));
            if (!FORMATS.contains(to)) throw new IllegalArgumentException("unknown format '" + to + "'; choices: " + String.join(", ", FORMATS));
            boolean multi = to.equals("pprof") || to.equals("speedscope");
            if (!multi && values.size() > 1) throw new IllegalArgumentException("--to " + to + " exports one weight; give --value once");
        } catch (IllegalArgumentException e) {
            err.println("kiln export: " + e.getMessage());
            err.print(USAGE);
            return Main.USAGE;
        }
        Profile profile = values.isEmpty() ? Cli.load(file, err) : Cli.loadForWeights(file, values, err);
        if (profile == null) return Main.BAD_INPUT;
        List<Weight> weights = new ArrayList<>();
        Filter filter;
        try {
            for (String v : values) weights.add(JvmWeights.parse(profile, v));
            if (weights.isEmpty()) weights = Exports.defaultWeights(profile, to);
            filter = filterArgs.toFilter(profile);
        } catch (IllegalArgumentException e) {
            err.println("kiln export: " + e.getMessage());
            return Main.USAGE;
        }
        if (weights.isEmpty()) {
            err.println("kiln export: " + profile.sourceName() + " has no samples or events to export");
            return Main.BAD_INPUT;
        }
        List<Path> inputs = List.of(Path.of(file));
        Path target = output != null ? Path.of(output) : AtomicFiles.avoidingInputs(Path.of(Exports.defaultName(profile.sourceName(), to)), inputs);
        try {
            AtomicFiles.refuseInputs(target, inputs);
        } catch (IllegalArgumentException e) {
            err.println("kiln export: " + e.getMessage());
            return Main.USAGE;
        }
        try {
            Exports.write(profile, to, weights, filter, width, height, target, ProgressSink.NONE);
        } catch (IOException e) {
            err.println("kiln export: cannot write " + target + ": " + e);
            return Main.BAD_INPUT;
        }
        long size;
        try {
            size = Files.size(target);
        } catch (IOException e) {
            size = -1;
        }
        out.printf(Locale.ROOT, "Exported %s to %s (%s, %s)%n", profile.sourceName(), target, to, Units.bytes(size));
        out.printf(Locale.ROOT, "Weights: %s%n", weights.stream().map(Weight::toString).collect(Collectors.joining(", ")));
        out.printf(Locale.ROOT, "Filter:  %s%n", filter.isNone() ? "none" : TreeCommand.describe(filter));
        for (Weight w : weights) {
            long all = FilteredStacks.of(profile, w, Filter.NONE).total();
            long kept = filter.isNone() ? all : FilteredStacks.of(profile, w, filter).total();
            String unit = w.type().unit();
            out.printf(Locale.ROOT, "  %-28s kept %s of %s (%s)%n", w, Units.format(kept, unit), Units.format(all, unit), Units.percent(kept, all));
        }
        return Main.OK;
    }

    private static int pixels(String option, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n < 16 || n > 20000) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " wants pixels between 16 and 20000, not '" + v + "'");
        }
    }
}
