// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kiln.analysis.FilteredStacks;
import dev.kiln.analysis.graph.CallGraph;
import dev.kiln.analysis.graph.GraphDrawing;
import dev.kiln.export.AtomicFiles;
import dev.kiln.export.CallGraphWriter;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code kiln graph FILE (--dot | --svg | --json)}: the call graph of one weight, pruned as {@code go tool pprof -dot}
 * prunes it (the same nodes and edges for the same {@code --nodecount}), as pprof-style DOT, as an SVG drawn by Kiln's
 * layered layout, or as JSON (nodes, edges, legend); to {@code -o OUT} or standard output.
 */
final class GraphCommand {
    static final String USAGE = """
            usage: kiln graph FILE (--dot | --svg | --json) [options]   call graph (pprof's -dot)
              --nodecount N          keep at most N nodes (default 80; 0: no limit)
              --dot                  Graphviz DOT, as go tool pprof -dot writes it
              --svg                  SVG with Kiln's layered layout
              -o OUT                 write to OUT (default: standard output)
            """ + FunctionQuery.OPTIONS;

    record GraphJson(String file, String weight, String unit, long total, List<String> legend, List<CallGraph.Node> nodes,
                     List<CallGraph.Edge> edges) { }

    private GraphCommand() { }

    static int run(String[] args, PrintStream out, PrintStream err) {
        FunctionQuery q = new FunctionQuery();
        String format = null, output = null;
        int nodeCount = CallGraph.Options.DEFAULT.nodeCount();
        try {
            for (int i = 0; i < args.length; i++) {
                int used = q.filterArgs.accept(args, i);
                if (used > 0) { i += used - 1; continue; }
                String a = args[i];
                switch (a) {
                    case "--dot", "--svg", "--json" -> {
                        if (format != null && !format.equals(a)) throw new IllegalArgumentException("choose one of --dot, --svg, --json");
                        format = a;
                    }
                    case "--nodecount", "--value", "-o" -> {
                        if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
                        String v = args[++i];
                        if (a.equals("--value")) q.value = v;
                        else if (a.equals("-o")) output = v;
                        else nodeCount = count(v);
                    }
                    default -> {
                        if (a.startsWith("-") && a.length() > 1) throw new IllegalArgumentException("unknown option " + a);
                        if (q.file != null) throw new IllegalArgumentException("expected one FILE");
                        q.file = a;
                    }
                }
            }
            if (q.file == null) throw new IllegalArgumentException("expected FILE");
            if (format == null) throw new IllegalArgumentException("choose --dot, --svg or --json");
        } catch (IllegalArgumentException e) {
            err.println("kiln graph: " + e.getMessage());
            err.print(USAGE);
            return Main.USAGE;
        }
        FilteredStacks rows = q.rows("graph", err);
        if (rows == null) return q.failure;
        CallGraph g = CallGraph.of(rows, CallGraph.Options.nodeCount(nodeCount));
        String title = rows.profile().sourceName();
        String fmt = format;
        AtomicFiles.Content content = stream -> {
            Writer w = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
            switch (fmt) {
                case "--dot" -> CallGraphWriter.dot(g, title, w);
                case "--svg" -> CallGraphWriter.svg(g, title, w);
                default -> w.write(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(new GraphJson(title,
                        g.type().kind(), g.type().unit(), g.total(), GraphDrawing.of(g).legend(), g.nodes(), g.edges())) + "\n");
            }
            w.flush();
        };
        try {
            if (output == null) content.writeTo(out);
            else AtomicFiles.write(Path.of(output), content);
        } catch (IOException e) {
            err.println("kiln graph: cannot write " + (output == null ? "the graph" : output) + ": " + e.getMessage());
            return Main.BAD_INPUT;
        }
        out.flush();
        return Main.OK;
    }

    private static int count(String v) {
        try {
            int n = Integer.parseInt(v);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--nodecount wants a count, not '" + v + "'");
        }
    }
}
