// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.source;

import dev.kiln.analysis.FilteredStacks;
import dev.kiln.analysis.StackTransform;
import dev.kiln.model.FrameTable;
import dev.kiln.model.FunctionTable;
import dev.kiln.model.LongIntMap;
import dev.kiln.model.Profile;
import dev.kiln.model.SourceFormat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The weight of each source line of the functions whose name matches a pattern, as {@code go tool pprof -list}
 * counts it, over the kept rows of a {@link FilteredStacks}:
 * <ul>
 * <li>a line is one (function name, source file, line number); its {@code flat} is the weight of rows whose leaf
 *     frame is on it, its {@code cum} the weight of rows with a frame on it, each row counted once per line
 *     however often the line recurs in its stack;</li>
 * <li>a {@link Routine} is one function in one source file: its {@code flat} and {@code cum} are the sums over its
 *     lines (so a recursive function's cum may exceed the total, as in pprof), its lines sorted by number;</li>
 * <li>a JFR frame names no file: its file is its class's source path ({@link #javaPath}: {@code com/acme/Foo.java}
 *     for {@code com.acme.Foo$Bar}), which source roots and {@code -sources.jar} files hold;</li>
 * <li>other frames without a source file give no line: their function is listed in {@link Result#withoutSource()};</li>
 * <li>frames without a line number (0) count on line 0.</li>
 * </ul>
 * Routines are sorted by function name, then file. The pattern is found anywhere in the name (as pprof's regexp).
 * Reads no file: {@code dev.kiln.io.SourceFiles} finds the text of the lines.
 */
public final class SourceLines {
    /** One source line's weight. */
    public record Line(int line, long flat, long cum) { }

    /** One function's lines in one file. */
    public record Routine(String function, String file, long flat, long cum, List<Line> lines) { }

    /**
     * @param total         the whole kept weight (pprof's "Total")
     * @param withoutSource matching functions that had weight but no source file, sorted
     */
    public record Result(long total, List<Routine> routines, List<String> withoutSource) { }

    /** Lines shown before the first and after the last sampled line of a listing, as {@code go tool pprof -list}. */
    public static final int MARGIN = 5;

    /** A line of a listing: its number, weights and text ({@code null} when the source is not known). */
    public record Listed(int line, long flat, long cum, String text) { }

    private SourceLines() { }

    /**
     * The rows to show of a routine: with its source {@code text} (line 1 at index 0), every line from {@value #MARGIN}
     * before the first sampled line to {@value #MARGIN} after the last, then any sampled line past the end of the text
     * (an older version of the file); without text ({@code null}), the sampled lines alone.
     */
    public static List<Listed> listing(Routine routine, List<String> text) {
        List<Listed> out = new ArrayList<>();
        List<Line> lines = routine.lines();
        if (text == null) {
            for (Line l : lines) out.add(new Listed(l.line(), l.flat(), l.cum(), null));
            return out;
        }
        Map<Integer, Line> byNumber = new HashMap<>();
        for (Line l : lines) byNumber.put(l.line(), l);
        int from = Math.max(1, lines.get(0).line() - MARGIN), to = Math.min(text.size(), lines.get(lines.size() - 1).line() + MARGIN);
        for (int n = from; n <= to; n++) {
            Line l = byNumber.get(n);
            out.add(new Listed(n, l == null ? 0 : l.flat(), l == null ? 0 : l.cum(), text.get(n - 1)));
        }
        for (Line l : lines) if (l.line() < from || l.line() > to) out.add(new Listed(l.line(), l.flat(), l.cum(), null));
        return out;
    }

    /** The path a Java class's source has in a source tree: {@code com.acme.Foo$Bar} gives {@code com/acme/Foo.java}. */
    public static String javaPath(String className) {
        String outer = className;
        int dollar = outer.indexOf('$');
        if (dollar > 0) outer = outer.substring(0, dollar);
        return outer.replace('.', '/') + ".java";
    }

    public static Result of(FilteredStacks rows, Pattern function) {
        StackTransform t = rows.transform();
        Profile p = t.profile();
        FrameTable frames = p.frames();
        FunctionTable functions = p.functions();
        boolean[] matches = new boolean[functions.size()];
        for (int f = 0; f < matches.length; f++) matches[f] = function.matcher(p.string(functions.name(f))).find();
        // One node per (function name, file, line): functions are told apart by name and file, as pprof does.
        Map<String, Integer> routineOf = new HashMap<>();
        List<String[]> routineKeys = new ArrayList<>();
        int[] funcRoutine = new int[functions.size()];
        for (int f = 0; f < funcRoutine.length; f++) {
            if (!matches[f]) { funcRoutine[f] = -1; continue; }
            String file = p.string(functions.file(f)), container = p.string(functions.container(f));
            if (file.isEmpty() && p.format() == SourceFormat.JFR && !container.isEmpty()) file = javaPath(container);
            String[] key = {p.string(functions.name(f)), file};
            funcRoutine[f] = routineOf.computeIfAbsent(key[0] + '\0' + key[1], k -> { routineKeys.add(key); return routineKeys.size() - 1; });
        }
        LongIntMap nodeOf = new LongIntMap(); // (routine << 32 | line) -> node
        List<long[]> nodes = new ArrayList<>(); // {routine, line, flat, cum, last stack counted}
        long[] byStack = rows.weightByStack();
        for (int d = 0; d < byStack.length; d++) {
            long w = byStack[d];
            if (w == 0) continue;
            for (int x = d; x >= 0; x = t.parent(x)) {
                int frame = t.frame(x);
                int r = funcRoutine[frames.func(frame)];
                if (r < 0) continue;
                long key = ((long) r << 32) | (frames.line(frame) & 0xffffffffL);
                int n = nodeOf.get(key);
                if (n < 0) {
                    n = nodes.size();
                    nodeOf.put(key, n);
                    nodes.add(new long[] {r, frames.line(frame), 0, 0, -1});
                }
                long[] node = nodes.get(n);
                if (x == d) node[2] += w;
                if (node[4] != d) { // once per stack, however often the line recurs in it
                    node[4] = d;
                    node[3] += w;
                }
            }
        }
        List<List<Line>> linesOf = new ArrayList<>();
        for (int r = 0; r < routineKeys.size(); r++) linesOf.add(new ArrayList<>());
        for (long[] n : nodes) linesOf.get((int) n[0]).add(new Line((int) n[1], n[2], n[3]));
        List<Routine> routines = new ArrayList<>();
        List<String> withoutSource = new ArrayList<>();
        for (int r = 0; r < routineKeys.size(); r++) {
            List<Line> lines = linesOf.get(r);
            if (lines.isEmpty()) continue;
            String name = routineKeys.get(r)[0], file = routineKeys.get(r)[1];
            if (file.isEmpty()) {
                if (!withoutSource.contains(name)) withoutSource.add(name);
                continue;
            }
            lines.sort(Comparator.comparingInt(Line::line));
            long flat = 0, cum = 0;
            for (Line l : lines) { flat += l.flat(); cum += l.cum(); }
            routines.add(new Routine(name, file, flat, cum, List.copyOf(lines)));
        }
        routines.sort(Comparator.comparing(Routine::function).thenComparing(Routine::file));
        withoutSource.removeIf(n -> routines.stream().anyMatch(r -> r.function().equals(n)));
        withoutSource.sort(null);
        return new Result(rows.total(), List.copyOf(routines), List.copyOf(withoutSource));
    }
}
