// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.diff;

import dev.kiln.analysis.locks.LockGraph;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A regression budget rule {@code METRIC>+LIMIT} (or {@code METRIC>LIMIT}), checked against a {@link Diff}. A
 * limit ending in {@code %} bounds the change relative to the base value ({@code delta / base * 100}; a value
 * that appears from 0 is an infinite increase); a plain number bounds the absolute delta, in the metric's unit
 * (samples, nanoseconds, bytes, goroutines, collections, exceptions). A rule is violated when the change is strictly greater than the
 * limit; limits are non-negative, so an unchanged value never violates a rule. Metrics:
 * <ul>
 * <li>{@code total}: the whole compared weight, raw (even when the diff is normalized);</li>
 * <li>{@code self:FUNC} / {@code total:FUNC}: a function's self / total weight, by exact name (normalized when
 *     the diff is); a function on neither side counts as 0 on both;</li>
 * <li>{@code lock:*} / {@code lock:CLASS}: time blocked entering monitors ({@code jdk.JavaMonitorEnter}) on all
 *     lock classes / on one class; 0 without lock events;</li>
 * <li>{@code goroutines}: the number of goroutines; 0 when a side is not a goroutine profile;</li>
 * <li>{@code gc-count}, {@code gc-pause-p99}, {@code gc-pause-max}, {@code heap-after-gc-max}, {@code exceptions},
 *     {@code compilations}: the {@link JvmDiff#metrics() JVM metrics} (0 unless both sides are JFR recordings);
 *     {@code exceptions:CLASS}: exceptions thrown of one class ({@code java.lang.NumberFormatException});
 *     {@code io:*} / {@code io:TARGET}: bytes read plus written on all targets / one file path or socket
 *     {@code host:port}; {@code events:TYPE}: the events of one type ({@code jdk.GarbageCollection},
 *     {@link JvmDiff#events()}).</li>
 * </ul>
 */
public record DiffRule(String text, String metric, String argument, double limit, boolean percent) {
    private static final Pattern RULE = Pattern.compile("^\\s*(total|self|lock|goroutines|gc-count|gc-pause-p99|gc-pause-max|heap-after-gc-max|exceptions|compilations|io|events)(?::(.+?))?\\s*>\\s*\\+?(\\d+(?:\\.\\d+)?)(%?)\\s*$");

    /** The numbers behind one rule's verdict. */
    public record Result(DiffRule rule, String subject, double base, double target, double delta, double relativePct,
                         boolean violated) { }

    /**
     * Parses one rule.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static DiffRule parse(String text) {
        Matcher m = RULE.matcher(text);
        String metric = m.matches() ? m.group(1) : null;
        String arg = m.matches() ? m.group(2) : null;
        boolean ok = metric != null && switch (metric) {
            case "total", "exceptions" -> true;
            case "self", "lock", "io", "events" -> arg != null && !arg.isBlank();
            default -> arg == null;
        };
        if (!ok) {
            throw new IllegalArgumentException("bad rule '" + text + "': expected total>+N%, self:FUNC>+N%, total:FUNC>+N%,"
                    + " lock:*>+N%, lock:CLASS>+N%, goroutines>+N, gc-count>+N%, gc-pause-p99>+N%, gc-pause-max>+N%, heap-after-gc-max>+N%,"
                    + " exceptions>+N%, exceptions:CLASS>+N%, compilations>+N%, io:*>+N%, io:TARGET>+N or events:TYPE>+N%"
                    + " (a limit with % is relative, without % absolute)");
        }
        return new DiffRule(text.trim(), metric, arg == null ? null : arg.trim(), Double.parseDouble(m.group(3)), !m.group(4).isEmpty());
    }

    /** Parses a list of option values, each possibly several comma-separated rules. */
    public static List<DiffRule> parseAll(List<String> values) {
        List<DiffRule> out = new ArrayList<>();
        for (String v : values) for (String part : v.split(",")) if (!part.isBlank()) out.add(parse(part));
        return out;
    }

    /** Checks the rule against a diff. */
    public Result check(Diff d) {
        double b, t;
        String subject;
        switch (metric) {
            case "total" -> {
                if (argument == null) {
                    subject = "total " + d.compared();
                    b = d.total().base();
                    t = d.total().target();
                } else {
                    Diff.FunctionDelta f = d.function(argument);
                    subject = "total of " + argument;
                    b = f == null ? 0 : f.total().scaledBase();
                    t = f == null ? 0 : f.total().target();
                }
            }
            case "self" -> {
                Diff.FunctionDelta f = d.function(argument);
                subject = "self of " + argument;
                b = f == null ? 0 : f.self().scaledBase();
                t = f == null ? 0 : f.self().target();
            }
            case "lock" -> {
                Diff.LockDelta l = d.lock(LockGraph.Kind.BLOCKED, argument);
                subject = "blocked time on " + (argument.equals("*") ? "all locks" : argument);
                b = l == null ? 0 : l.nanos().base();
                t = l == null ? 0 : l.nanos().target();
            }
            case "goroutines" -> {
                subject = "goroutines";
                b = d.goroutines() == null ? 0 : d.goroutines().base();
                t = d.goroutines() == null ? 0 : d.goroutines().target();
            }
            default -> {
                JvmDiff j = d.jvm();
                List<Diff.KeyDelta> rows;
                if (metric.equals("io")) {
                    subject = "I/O bytes of " + (argument.equals("*") ? "all targets" : argument);
                    rows = argument.equals("*") ? j.io() : j.io().stream().filter(k -> k.key().equals(argument)).toList();
                } else if (metric.equals("events")) {
                    subject = argument + " events";
                    rows = j.events().stream().filter(k -> k.key().equals(argument)).toList();
                } else if (metric.equals("exceptions") && argument != null) {
                    subject = "exceptions of " + argument;
                    rows = j.exceptions().stream().filter(k -> k.key().equals(argument)).toList();
                } else {
                    subject = metric;
                    rows = j.metrics().stream().filter(k -> k.key().equals(metric)).toList();
                }
                b = rows.stream().mapToDouble(k -> k.value().base()).sum();
                t = rows.stream().mapToDouble(k -> k.value().target()).sum();
            }
        }
        double delta = t - b;
        double rel = b == 0 ? (delta > 0 ? Double.POSITIVE_INFINITY : 0) : 100 * delta / b;
        boolean violated = percent ? rel > limit : delta > limit;
        return new Result(this, subject, b, t, delta, rel, violated);
    }

    @Override
    public String toString() { return text; }

    /** The limit as written, e.g. {@code +10%}. */
    public String limitText() {
        return "+" + (limit == Math.rint(limit) ? String.format(Locale.ROOT, "%d", (long) limit) : Double.toString(limit)) + (percent ? "%" : "");
    }
}
