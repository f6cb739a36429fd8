// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kiln.analysis.Filter;
import dev.kiln.analysis.Weight;
import dev.kiln.analysis.jvm.JvmWeights;
import dev.kiln.analysis.tree.CallTree;
import dev.kiln.analysis.tree.CallTree.Granularity;
import dev.kiln.export.CollapsedWriter;
import dev.kiln.model.Profile;
import dev.kiln.model.Units;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code kiln tree FILE [options]}: the call tree of one weight as indented text (total, total%, self, name;
 * children by total, pruned below {@code --min-percent}), as collapsed stacks ({@code a;b;c N}, the format of
 * flamegraph.pl and async-profiler) or as JSON (a flat list of the printed rows with parent ids).
 */
final class TreeCommand {
    static final String USAGE_TEXT = """
            usage: kiln tree FILE [options]       print the call tree of one weight
              --value TYPE           weight: a value type or event weight (cpu, cpu/samples, alloc, inuse_space,
                                     monitor-blocked, park, sleep, io, exceptions ...); default: the profile's default
              --inverted             bottom-up: leaf functions first, their callers below
              --lines                one node per function and source line
              --merge-lambdas        fold lambda/hidden-class names ($$Lambda$12+0x...) into one node
              --max-depth N          print at most N levels below the root
              --min-percent P        hide nodes below P% of the total (default 0.5; text and JSON)
              --collapsed            print collapsed stacks "a;b;c N" (all nodes, no pruning)
              --json                 print JSON
            """ + FilterArgs.HELP;

    /** One printed row of the JSON form; {@code parent} is the id of the parent row (-1 for the root). */
    record NodeJson(int id, int parent, int depth, String name, long self, long total) { }

    /** The JSON form. */
    record TreeJson(String file, String weight, String unit, boolean inverted, String filter, long total,
                    double minPercent, int maxDepth, int prunedNodes, List<NodeJson> nodes) { }

    /** Levels of indentation the text form shows; deeper rows name their depth. */
    static final int MAX_INDENT = 64;

    private TreeCommand() { }

    static int run(String[] args, PrintStream out, PrintStream err) {
        FilterArgs filterArgs = new FilterArgs();
        String value = null, file = null;
        boolean inverted = false, lines = false, mergeLambdas = false, json = false, collapsed = false;
        int maxDepth = Integer.MAX_VALUE;
        double minPercent = 0.5;
        try {
            for (int i = 0; i < args.length; i++) {
                int used = filterArgs.accept(args, i);
                if (used > 0) { i += used - 1; continue; }
                String a = args[i];
                switch (a) {
                    case "--inverted" -> inverted = true;
                    case "--lines" -> lines = true;
                    case "--merge-lambdas" -> mergeLambdas = true;
                    case "--json" -> json = true;
                    case "--collapsed" -> collapsed = true;
                    case "--value", "--max-depth", "--min-percent" -> {
                        if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
                        String v = args[++i];
                        if (a.equals("--value")) value = v;
                        else if (a.equals("--max-depth")) maxDepth = nonNegative(a, v, true).intValue();
                        else minPercent = nonNegative(a, v, false).doubleValue();
                    }
                    default -> {
                        if (a.startsWith("-")) throw new IllegalArgumentException("unknown option " + a);
                        if (file != null) throw new IllegalArgumentException("expected one FILE");
                        file = a;
                    }
                }
            }
            if (file == null) throw new IllegalArgumentException("expected one FILE");
            if (json && collapsed) throw new IllegalArgumentException("--json and --collapsed exclude each other");
        } catch (IllegalArgumentException e) {
            err.println("kiln tree: " + e.getMessage());
            err.print(USAGE_TEXT);
            return Main.USAGE;
        }
        Profile profile = Cli.loadForWeight(file, value, err);
        if (profile == null) return Main.BAD_INPUT;
        Weight weight;
        Filter filter;
        try {
            weight = JvmWeights.parse(profile, value);
            filter = filterArgs.toFilter(profile);
        } catch (IllegalArgumentException e) {
            err.println("kiln tree: " + e.getMessage());
            return Main.USAGE;
        }
        if (weight == null) {
            err.println("kiln tree: " + profile.sourceName() + " has no samples or events to build a tree from");
            return Main.BAD_INPUT;
        }
        CallTree tree = CallTree.build(profile, weight, filter,
                new CallTree.Options(lines ? Granularity.LINE : Granularity.FUNCTION, mergeLambdas, inverted));
        if (collapsed) {
            try {
                CollapsedWriter.write(tree, out);
            } catch (IOException e) {
                err.println("kiln: cannot write collapsed stacks: " + e.getMessage());
                return Main.BAD_INPUT;
            }
            out.flush();
            return Main.OK;
        }
        List<Integer> rows = new ArrayList<>();
        int pruned = select(tree, minPercent, maxDepth, rows);
        if (json) {
            List<NodeJson> nodes = new ArrayList<>(rows.size());
            int[] id = new int[tree.size()];
            for (int n : rows) {
                id[n] = nodes.size();
                nodes.add(new NodeJson(nodes.size(), n == 0 ? -1 : id[tree.parent(n)], tree.depth(n), tree.label(n), tree.self(n), tree.total(n)));
            }
            TreeJson j = new TreeJson(profile.sourceName(), weight.type().kind(), weight.type().unit(), inverted,
                    describe(filter), tree.rootTotal(), minPercent, maxDepth == Integer.MAX_VALUE ? -1 : maxDepth, pruned, nodes);
            try {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(j));
            } catch (IOException e) {
                err.println("kiln: cannot write JSON: " + e.getMessage());
                return Main.BAD_INPUT;
            }
            return Main.OK;
        }
        String unit = weight.type().unit();
        out.printf(Locale.ROOT, "File:    %s%n", profile.sourceName());
        out.printf(Locale.ROOT, "Weight:  %s, %s, total %s%n", weight, inverted ? "inverted (callers below)" : "top-down",
                Units.format(tree.rootTotal(), unit));
        if (!filter.isNone()) out.printf(Locale.ROOT, "Filter:  %s%n", describe(filter));
        out.printf(Locale.ROOT, "%14s %8s %14s  %s%n", "total", "total%", "self", "name");
        boolean capped = false;
        for (int n : rows) {
            int depth = tree.depth(n);
            // Indentation grows with depth: past MAX_INDENT levels the row says its depth instead, so that a
            // 10,000-frame stack prints a line per frame, not 100 MB of spaces.
            String indent = depth <= MAX_INDENT ? "  ".repeat(depth) : "  ".repeat(MAX_INDENT) + "[" + depth + "] ";
            capped |= depth > MAX_INDENT;
            out.printf(Locale.ROOT, "%14s %8s %14s  %s%s%n", Units.format(tree.total(n), unit), Units.percent(tree.total(n), tree.rootTotal()),
                    Units.format(tree.self(n), unit), indent, tree.label(n));
        }
        if (capped) out.printf(Locale.ROOT, "(indentation stops at depth %d; deeper rows show their depth in brackets)%n", MAX_INDENT);
        if (pruned > 0) {
            out.printf(Locale.ROOT, "(%,d nodes not shown: below %s%% of the total%s)%n", pruned, trim(minPercent),
                    maxDepth == Integer.MAX_VALUE ? "" : " or deeper than " + maxDepth);
        }
        return Main.OK;
    }

    private static Number nonNegative(String option, String v, boolean integer) {
        try {
            Number n = integer ? (Number) Integer.parseInt(v) : (Number) Double.parseDouble(v);
            if (n.doubleValue() < 0 || Double.isNaN(n.doubleValue())) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " wants a non-negative " + (integer ? "integer" : "number") + ", not '" + v + "'");
        }
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /**
     * Rows to print in depth-first order, children by total (largest first) then name: non-zero rows with
     * |total| at least {@code minPercent} of the root's and depth at most {@code maxDepth}. Returns how many
     * non-zero rows were left out.
     */
    static int select(CallTree t, double minPercent, int maxDepth, List<Integer> rows) {
        double threshold = Math.abs(t.rootTotal()) * minPercent / 100.0;
        int nonZero = 0;
        for (int n = 0; n < t.size(); n++) if (t.total(n) != 0 || n == 0) nonZero++;
        Deque stack = new Deque(t.size());
        stack.push(0);
        while (stack.size > 0) {
            int n = stack.pop();
            rows.add(n);
            if (t.depth(n) >= maxDepth) continue;
            List<Integer> kids = new ArrayList<>();
            for (int c = n + 1; c < t.subtreeEnd(n); c = t.subtreeEnd(c)) {
                if (t.total(c) != 0 && Math.abs(t.total(c)) >= threshold) kids.add(c);
            }
            kids.sort((a, b) -> {
                int cmp = Long.compare(Math.abs(t.total(b)), Math.abs(t.total(a)));
                return cmp != 0 ? cmp : t.label(a).compareTo(t.label(b));
            });
            for (int k = kids.size() - 1; k >= 0; k--) stack.push(kids.get(k));
        }
        return nonZero - rows.size();
    }

    static String describe(Filter f) {
        List<String> parts = new ArrayList<>();
        if (f.threadName() != null) parts.add("thread ~ " + f.threadName());
        if (f.fromNanos() != Long.MIN_VALUE || f.toNanos() != Long.MAX_VALUE) parts.add("time range");
        if (f.focus() != null) parts.add("focus " + f.focus());
        if (f.ignore() != null) parts.add("ignore " + f.ignore());
        if (f.hide() != null) parts.add("hide " + f.hide());
        if (f.collapseRecursion()) parts.add("recursion collapsed");
        for (String l : f.labels()) parts.add("tag " + l);
        return String.join(", ", parts);
    }

    /** A small int stack. */
    private static final class Deque {
        int[] items;
        int size;

        Deque(int capacity) { items = new int[Math.max(4, capacity)]; }

        void push(int v) {
            if (size == items.length) items = Arrays.copyOf(items, size * 2);
            items[size++] = v;
        }

        int pop() { return items[--size]; }
    }
}
