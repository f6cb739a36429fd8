// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kiln.analysis.FilteredStacks;
import dev.kiln.analysis.source.SourceLines;
import dev.kiln.analysis.source.SourceLines.Routine;
import dev.kiln.io.SourceFiles;
import dev.kiln.model.Units;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code kiln list FILE REGEX [--source-root DIR]...}: the source lines of every function matching REGEX with their
 * flat and cum weight, as {@code go tool pprof -list} prints them: per routine a header with its sums, then the
 * lines from five before its first sampled line to five after its last ({@code .} for nothing). Sources are found
 * under the roots by the longest matching suffix of the recorded path ({@link SourceFiles}); without the source,
 * the sampled lines are printed by number with a word on what to point Kiln at.
 */
final class ListCommand {
    static final String USAGE = """
            usage: kiln list FILE REGEX [options]   source lines of matching functions with flat and cum
              --source-root DIR      where to look for sources (repeatable): a folder, or a -sources.jar;
                                     a recorded path is found by its longest suffix under a root
            """ + FunctionQuery.OPTIONS;

    record RoutineJson(String function, String file, String source, long flat, long cum, List<SourceLines.Listed> lines) { }

    record ListJson(String file, String weight, String unit, long total, List<RoutineJson> routines, List<String> withoutSource) { }

    private ListCommand() { }

    static int run(String[] args, PrintStream out, PrintStream err) {
        FunctionQuery q;
        try {
            q = FunctionQuery.parse(args, true);
        } catch (IllegalArgumentException e) {
            err.println("kiln list: " + e.getMessage());
            err.print(USAGE);
            return Main.USAGE;
        }
        FilteredStacks rows = q.rows("list", err);
        if (rows == null) return q.failure;
        SourceLines.Result r = SourceLines.of(rows, q.function);
        String unit = rows.weight().type().unit();
        SourceFiles sources = new SourceFiles(q.sourceRoots);
        List<RoutineJson> routines = new ArrayList<>();
        for (Routine routine : r.routines()) {
            Optional<SourceFiles.Found> src = sources.find(routine.file());
            routines.add(new RoutineJson(routine.function(), routine.file(), src.map(SourceFiles.Found::location).orElse(null),
                    routine.flat(), routine.cum(), SourceLines.listing(routine, src.map(SourceFiles.Found::lines).orElse(null))));
        }
        if (q.json) {
            try {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(
                        new ListJson(rows.profile().sourceName(), rows.weight().type().kind(), unit, r.total(), routines, r.withoutSource())));
            } catch (IOException e) {
                err.println("kiln: cannot write JSON: " + e.getMessage());
                return Main.BAD_INPUT;
            }
            return Main.OK;
        }
        out.printf(Locale.ROOT, "Total: %s%n", Units.format(r.total(), unit));
        if (routines.isEmpty() && r.withoutSource().isEmpty()) {
            out.println("no function with weight matches " + q.function.pattern());
        }
        boolean missing = false;
        for (RoutineJson routine : routines) {
            out.printf(Locale.ROOT, "ROUTINE ======================== %s in %s%n", routine.function(), routine.file());
            out.printf(Locale.ROOT, "%10s %10s (flat, cum) %s of Total%n", Units.format(routine.flat(), unit),
                    Units.format(routine.cum(), unit), Units.percent(routine.cum(), r.total()));
            if (routine.source() == null) {
                missing = true;
                out.println("    (source not found: the sampled lines by number)");
            }
            for (SourceLines.Listed l : routine.lines()) {
                out.printf(Locale.ROOT, "%10s %10s %6d:%s%n", dot(l.flat(), unit), dot(l.cum(), unit), l.line(),
                        l.text() == null ? "" : l.text());
            }
        }
        for (String name : r.withoutSource()) out.println("No source information for " + name);
        if (missing) {
            out.println("Some sources were not found" + (q.sourceRoots.isEmpty() ? "" : " under " + q.sourceRoots)
                    + ": give the folder that holds them (a checkout of the code, a -sources.jar) with --source-root DIR.");
        }
        return Main.OK;
    }

    static String dot(long v, String unit) { return v == 0 ? "." : Units.format(v, unit); }
}
