// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.FilteredStacks;
import dev.kiln.analysis.Weight;
import dev.kiln.analysis.jvm.JvmWeights;
import dev.kiln.model.Profile;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The arguments {@code kiln list} and {@code kiln peek} share, {@code FILE REGEX [--value TYPE] [--json] [filters]}
 * (and {@code --source-root DIR} for list), and the kept rows of the weight they look at.
 */
final class FunctionQuery {
    static final String OPTIONS = """
              --value TYPE           weight (default: the profile's default)
              --json                 print JSON
            """ + FilterArgs.HELP;

    String file, value;
    Pattern function;
    boolean json;
    final List<Path> sourceRoots = new ArrayList<>();
    final FilterArgs filterArgs = new FilterArgs();

    /** Parses {@code args}; throws IllegalArgumentException with what is wrong. */
    static FunctionQuery parse(String[] args, boolean sourceRoots) {
        FunctionQuery q = new FunctionQuery();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            int used = q.filterArgs.accept(args, i);
            if (used > 0) { i += used - 1; continue; }
            String a = args[i];
            switch (a) {
                case "--json" -> q.json = true;
                case "--value", "--source-root" -> {
                    if (a.equals("--source-root") && !sourceRoots) throw new IllegalArgumentException("unknown option " + a);
                    if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
                    String v = args[++i];
                    if (a.equals("--value")) q.value = v;
                    else q.sourceRoots.add(Path.of(v));
                }
                default -> {
                    if (a.startsWith("-") && a.length() > 1) throw new IllegalArgumentException("unknown option " + a);
                    positional.add(a);
                }
            }
        }
        if (positional.size() != 2) throw new IllegalArgumentException("expected FILE and REGEX");
        q.file = positional.get(0);
        try {
            q.function = Pattern.compile(positional.get(1));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("REGEX is not a regular expression: " + e.getDescription());
        }
        return q;
    }

    /**
     * Loads the file and picks the weight and filter; prints why and returns null when it cannot (the exit code
     * is then in {@link #failure}).
     */
    FilteredStacks rows(String command, PrintStream err) {
        Profile profile = Cli.loadForWeight(file, value, err);
        if (profile == null) { failure = Main.BAD_INPUT; return null; }
        Weight weight;
        Filter filter;
        try {
            weight = JvmWeights.parse(profile, value);
            filter = filterArgs.toFilter(profile);
        } catch (IllegalArgumentException e) {
            err.println("kiln " + command + ": " + e.getMessage());
            failure = Main.USAGE;
            return null;
        }
        if (weight == null) {
            err.println("kiln " + command + ": " + profile.sourceName() + " has no samples or events to look at");
            failure = Main.BAD_INPUT;
            return null;
        }
        return FilteredStacks.of(profile, weight, filter);
    }

    int failure;
}
