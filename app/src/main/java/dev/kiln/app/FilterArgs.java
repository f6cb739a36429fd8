// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import dev.kiln.analysis.Filter;
import dev.kiln.model.Profile;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The filter options every analysing sub-command accepts, parsed into a {@link Filter}. A command offers each
 * argument to {@link #accept} first; the options are
 * {@code --thread REGEX}, {@code --from S}, {@code --to S} (seconds from the start of the capture),
 * {@code --focus RE}, {@code --ignore RE}, {@code --hide RE}, {@code --collapse-recursion} and
 * {@code --tag key=value} (repeatable).
 */
final class FilterArgs {
    static final String HELP = """
              --thread REGEX         only threads whose name matches
              --from S, --to S       only samples/events in [S, S) seconds from the start of the capture
              --focus RE             only samples with a function matching RE on the stack
              --ignore RE            drop samples with a function matching RE on the stack
              --hide RE              remove frames of functions matching RE from stacks
              --collapse-recursion   fold direct recursion into one frame
              --tag key=value        only samples carrying the label (repeatable; pprof labels)
            """;

    private Pattern thread, focus, ignore, hide;
    private double fromSeconds = Double.NaN, toSeconds = Double.NaN;
    private boolean collapseRecursion;
    private final List<String> tags = new ArrayList<>();

    /**
     * Consumes a filter option at {@code args[i]} with its value.
     *
     * @return the number of arguments consumed: 0 when {@code args[i]} is not a filter option
     * @throws IllegalArgumentException when the value is missing or invalid (a bad regex, a bad number)
     */
    int accept(String[] args, int i) {
        String a = args[i];
        if (a.equals("--collapse-recursion")) { collapseRecursion = true; return 1; }
        if (!List.of("--thread", "--from", "--to", "--focus", "--ignore", "--hide", "--tag").contains(a)) return 0;
        if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
        String v = args[i + 1];
        switch (a) {
            case "--thread" -> thread = Pattern.compile(v);
            case "--focus" -> focus = Pattern.compile(v);
            case "--ignore" -> ignore = Pattern.compile(v);
            case "--hide" -> hide = Pattern.compile(v);
            case "--from" -> fromSeconds = seconds(a, v);
            case "--to" -> toSeconds = seconds(a, v);
            default -> {
                if (v.indexOf('=') <= 0) throw new IllegalArgumentException("--tag wants key=value, not '" + v + "'");
                tags.add(v);
            }
        }
        return 2;
    }

    /** A number of seconds from the start, for {@code option}; a clear message when it is none. */
    static double seconds(String option, String v) {
        try {
            double s = Double.parseDouble(v);
            if (Double.isNaN(s) || Double.isInfinite(s)) throw new NumberFormatException();
            return s;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " wants seconds from the start, not '" + v + "'");
        }
    }

    /**
     * The filter for a loaded profile (the time range is relative to its start).
     *
     * @throws IllegalArgumentException when {@code --from} is not before {@code --to}
     */
    Filter toFilter(Profile p) {
        if (fromSeconds >= toSeconds) throw new IllegalArgumentException("--from " + fromSeconds + " is not before --to " + toSeconds);
        long from = Double.isNaN(fromSeconds) ? Long.MIN_VALUE : p.startEpochNanos() + Math.round(fromSeconds * 1e9);
        long to = Double.isNaN(toSeconds) ? Long.MAX_VALUE : p.startEpochNanos() + Math.round(toSeconds * 1e9);
        return new Filter(thread, null, from, to, focus, ignore, hide, collapseRecursion, tags);
    }
}
