// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kiln.analysis.FilteredStacks;
import dev.kiln.analysis.tree.Butterfly;
import dev.kiln.model.Units;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code kiln peek FILE REGEX}: callers and callees of every function matching REGEX, as {@code go tool pprof -peek}
 * prints them: per function its callers above (the weight through each call and its share of the function's cum),
 * the function's flat, flat%, sum% and cum, and its callees below. Functions with weight are shown by flat,
 * then name; direct recursion is not an edge of its own (as in pprof's graph), and the outermost frame has no caller.
 */
final class PeekCommand {
    static final String USAGE = """
            usage: kiln peek FILE REGEX [options]   callers and callees of matching functions
            """ + FunctionQuery.OPTIONS;

    record PeekJson(String file, String weight, String unit, long total, List<Butterfly> functions) { }

    private PeekCommand() { }

    static int run(String[] args, PrintStream out, PrintStream err) {
        FunctionQuery q;
        try {
            q = FunctionQuery.parse(args, false);
        } catch (IllegalArgumentException e) {
            err.println("kiln peek: " + e.getMessage());
            err.print(USAGE);
            return Main.USAGE;
        }
        FilteredStacks rows = q.rows("peek", err);
        if (rows == null) return q.failure;
        Set<String> names = new LinkedHashSet<>();
        var p = rows.profile();
        for (int f = 0; f < p.functions().size(); f++) {
            String n = p.string(p.functions().name(f));
            if (q.function.matcher(n).find()) names.add(n);
        }
        List<Butterfly> found = new ArrayList<>();
        for (String n : names) {
            Butterfly b = Butterfly.of(rows, n, false);
            if (b.total() == 0 && b.self() == 0) continue;
            found.add(new Butterfly(b.function(), b.self(), b.total(), withoutSelfAndRoot(b.callers(), n), withoutSelfAndRoot(b.callees(), n)));
        }
        found.sort(Comparator.comparingLong((Butterfly b) -> -b.self()).thenComparing(Butterfly::function));
        String unit = rows.weight().type().unit();
        long total = rows.total();
        if (q.json) {
            try {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(
                        new PeekJson(p.sourceName(), rows.weight().type().kind(), unit, total, found)));
            } catch (IOException e) {
                err.println("kiln: cannot write JSON: " + e.getMessage());
                return Main.BAD_INPUT;
            }
            return Main.OK;
        }
        out.printf(Locale.ROOT, "File:    %s%n", p.sourceName());
        out.printf(Locale.ROOT, "Weight:  %s, total %s%n", rows.weight(), Units.format(total, unit));
        if (found.isEmpty()) {
            out.println("no function with weight matches " + q.function.pattern());
            return Main.OK;
        }
        String rule = "----------------------------------------------------------+-------------";
        out.println(rule);
        out.printf(Locale.ROOT, "%10s %6s %6s %10s %6s %10s %6s + context%n", "flat", "flat%", "sum%", "cum", "cum%", "calls", "calls%");
        out.println(rule);
        long sum = 0;
        for (Butterfly b : found) {
            for (Butterfly.Edge e : b.callers()) edge(out, e, b, unit);
            sum += b.self();
            out.printf(Locale.ROOT, "%10s %6s %6s %10s %6s %17s | %s%n", Units.format(b.self(), unit), Units.percent(b.self(), total),
                    Units.percent(sum, total), Units.format(b.total(), unit), Units.percent(b.total(), total), "", b.function());
            for (Butterfly.Edge e : b.callees()) edge(out, e, b, unit);
            out.println(rule);
        }
        return Main.OK;
    }

    private static void edge(PrintStream out, Butterfly.Edge e, Butterfly b, String unit) {
        out.printf(Locale.ROOT, "%44s %10s %6s |   %s%n", "", Units.format(e.total(), unit), Units.percent(e.total(), b.total()), e.name());
    }

    private static List<Butterfly.Edge> withoutSelfAndRoot(List<Butterfly.Edge> edges, String function) {
        return edges.stream().filter(e -> !e.name().equals(function) && !e.name().equals(Butterfly.ROOT)).toList();
    }
}
