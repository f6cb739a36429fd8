// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.kiln.app.CliTest.CAPTURES;
import static dev.kiln.app.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kiln graph} end to end: its DOT keeps the nodes and edges {@code go tool pprof -dot -nodecount=N} keeps
 * ({@code captures/pprof/*.graphN.dot}, made by {@code graph-truth.sh}), its SVG is well-formed with a box per node,
 * and bad arguments get the usage exit code.
 */
class GraphCommandTest {
    private static final Pattern NODE = Pattern.compile("^N(\\d+) \\[label=.* tooltip=\"(.*) \\([^()]*\\)\" color=.*");
    private static final Pattern EDGE = Pattern.compile("^N(\\d+) -> N(\\d+) \\[.*");

    /** A DOT document's nodes (names in order) and edges ("caller -> callee", "..." for residual ones). */
    private static List<List<String>> read(List<String> lines) {
        List<String> nodes = new ArrayList<>();
        Map<String, String> byId = new HashMap<>();
        List<String> edges = new ArrayList<>();
        for (String line : lines) {
            Matcher n = NODE.matcher(line);
            if (n.matches()) {
                String name = n.group(2).replace("\\\"", "\"").replace("\\\\", "\\");
                nodes.add(name);
                byId.put(n.group(1), name);
                continue;
            }
            Matcher e = EDGE.matcher(line);
            if (e.matches()) edges.add(byId.get(e.group(1)) + (line.contains("style=\"dotted\"") ? " ... " : " -> ") + byId.get(e.group(2)));
        }
        return List.of(nodes, new ArrayList<>(new TreeSet<>(edges)));
    }

    @ParameterizedTest(name = "{0} -nodecount={1}")
    @CsvSource({"cpu-regressed, 20", "cpu-baseline, 10", "heap-regressed, 10", "jvm-asprof-cpu, 30", "goroutine, 8"})
    void dotKeepsWhatGoToolPprofKeeps(String name, int nodeCount) throws Exception {
        CliTest.Result r = run("graph", CAPTURES.resolve("pprof/" + name + ".pb.gz").toString(), "--dot", "--nodecount", "" + nodeCount);
        assertEquals(0, r.code(), r.err());
        List<List<String>> want = read(Files.readAllLines(CAPTURES.resolve("pprof/" + name + ".graph" + nodeCount + ".dot")));
        List<List<String>> got = read(r.out().lines().toList());
        assertTrue(want.get(0).size() > 3);
        assertEquals(want.get(0), got.get(0), "nodes");
        assertEquals(want.get(1), got.get(1), "edges");
        assertTrue(r.out().startsWith("digraph \""), r.out());
        assertTrue(r.out().contains("Showing top " + want.get(0).size() + " nodes out of"), r.out());
    }

    @Test
    void svgIsWellFormedWithABoxPerNode(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("g.svg");
        CliTest.Result r = run("graph", CAPTURES.resolve("jfr/jdk17-mixed.jfr").toString(), "--svg", "--nodecount", "25", "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(out.toFile());
        var groups = doc.getElementsByTagName("g");
        int nodes = 0, edges = 0;
        for (int i = 0; i < groups.getLength(); i++) {
            String c = groups.item(i).getAttributes().getNamedItem("class") == null ? "" : groups.item(i).getAttributes().getNamedItem("class").getNodeValue();
            if (c.equals("node")) nodes++;
            if (c.equals("edge")) edges++;
        }
        assertTrue(nodes > 5 && nodes <= 25, "nodes " + nodes);
        assertTrue(edges >= nodes - 3, "edges " + edges);
        assertTrue(Files.readString(out).contains("java.lang.Thread.run"), "a Java method");
    }

    @Test
    void jsonHasTheNodesAndLegend() throws Exception {
        CliTest.Result r = run("graph", CAPTURES.resolve("pprof/cpu-regressed.pb.gz").toString(), "--json", "--nodecount", "20",
                "--focus", "walkTree");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("cpu", j.get("weight").asText());
        boolean walk = false;
        for (JsonNode n : j.get("nodes")) walk |= n.get("name").asText().equals("main.walkTree") && n.get("cum").asLong() == j.get("total").asLong();
        assertTrue(walk, r.out());
        assertTrue(j.get("legend").get(0).asText().startsWith("Showing nodes accounting for"), r.out());
    }

    @Test
    void badArgumentsAreUsageErrors() {
        String file = CAPTURES.resolve("pprof/cpu-regressed.pb.gz").toString();
        assertEquals(Main.USAGE, run("graph", file).code());
        assertEquals(Main.USAGE, run("graph", file, "--dot", "--nodecount", "many").code());
        assertEquals(Main.USAGE, run("graph", file, "--dot", "--svg").code());
        assertEquals(Main.USAGE, run("graph", file, "--dot", "--value", "nosuch").code());
        assertEquals(Main.BAD_INPUT, run("graph", "/nonexistent/file.pb.gz", "--dot").code());
    }
}
