// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.tree;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.FilteredStacks;
import dev.kiln.analysis.Weight;
import dev.kiln.analysis.Weights;
import dev.kiln.analysis.tree.CallTree.Granularity;
import dev.kiln.analysis.tree.CallTree.Options;
import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.EventTable;
import dev.kiln.model.Profile;
import dev.kiln.testutil.Captures;
import dev.kiln.testutil.FactsFile;
import dev.kiln.testutil.FactsFile.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Call trees of every weight of every real capture: the root carries the whole weight, the table keeps its
 * invariants, the flame layout nests, and functions' self / total weights match the ground-truth files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CallTreeCorpusTest {
    private final Map<String, Profile> loaded = new HashMap<>();

    static Stream<String> captures() {
        return Stream.concat(Captures.list("jfr", ".jfr").stream(),
                Captures.list("pprof", ".pb.gz", ".pb", ".debug1.txt", ".debug2.txt").stream())
                .map(p -> p.getParent().getFileName() + "/" + p.getFileName());
    }

    @BeforeAll
    void loadAll() throws Exception {
        for (String c : captures().toList()) loaded.put(c, ProfileLoader.load(path(c), ProgressSink.NONE));
    }

    private static Path path(String capture) {
        String[] parts = capture.split("/");
        return Captures.file(parts[0], parts[1]);
    }

    /** The weight summed straight from the model, without any analysis code. */
    private static long modelSum(Profile p, Weight w) {
        if (!w.isEvents()) return w.table().total(w.column());
        EventTable ev = p.events();
        long sum = 0;
        for (int e = 0; e < ev.size(); e++) {
            if (!w.eventKinds().contains(ev.kind(e))) continue;
            sum += switch (w.measure()) {
                case DURATION -> ev.durationNanos(e);
                case COUNT -> 1;
                case AMOUNT -> ev.amount(e);
            };
        }
        return sum;
    }

    @ParameterizedTest
    @MethodSource("captures")
    void everyWeightsTreeCarriesTheWholeWeight(String capture) {
        Profile p = loaded.get(capture);
        List<Weight> weights = Weights.available(p);
        assertFalse(weights.isEmpty(), capture + " offers no weight");
        for (Weight w : weights) {
            long expected = modelSum(p, w);
            for (Options o : List.of(Options.DEFAULT, Options.DEFAULT.withInverted(true),
                    new Options(Granularity.LINE, true, false))) {
                CallTree t = CallTree.build(p, w, Filter.NONE, o);
                assertEquals(expected, t.rootTotal(), capture + " " + w + " " + o);
                checkInvariants(t, capture + " " + w + " " + o);
            }
            assertEquals(w, Weights.parse(p, w.toString()));
        }
    }

    private static void checkInvariants(CallTree t, String what) {
        assertEquals(-1, t.parent(0), what);
        assertEquals(t.size(), t.subtreeEnd(0), what);
        long[] childSum = new long[t.size()];
        for (int n = 1; n < t.size(); n++) {
            int p = t.parent(n);
            assertTrue(p >= 0 && p < n, what + ": parent before child at " + n);
            assertEquals(t.depth(p) + 1, t.depth(n), what);
            assertTrue(t.subtreeEnd(n) > n && t.subtreeEnd(n) <= t.subtreeEnd(p), what + ": subtree of " + n + " inside its parent's");
            childSum[p] += t.total(n);
        }
        for (int n = 0; n < t.size(); n++) {
            assertEquals(t.total(n), t.self(n) + childSum[n], what + ": total = self + children at " + n);
            // every row in [n, subtreeEnd) descends from n, and the next row after it does not
            int end = t.subtreeEnd(n);
            if (end < t.size()) assertTrue(t.depth(end) <= t.depth(n), what + ": subtree of " + n + " ends early");
            for (int c = n + 1; c < end; c = t.subtreeEnd(c)) assertEquals(n, t.parent(c), what + ": child chain of " + n);
        }
        FlameLayout f = FlameLayout.of(t);
        for (int n = 1; n < t.size(); n++) {
            int p = t.parent(n);
            if (f.width(n) < 0) continue; // (diff weights are not in this corpus)
            assertTrue(f.x(n) >= f.x(p) && f.x(n) + f.width(n) <= f.x(p) + f.width(p), what + ": flame box " + n + " inside its parent");
            int next = t.subtreeEnd(n);
            if (next < t.size() && t.parent(next) == p) assertEquals(f.x(n) + f.width(n), f.x(next), what + ": siblings abut");
        }
    }

    /** Sum of self over the rows of one function: pprof's flat. */
    private static long flat(CallTree t, String function) {
        long sum = 0;
        for (int n = 1; n < t.size(); n++) if (t.name(n).equals(function)) sum += t.self(n);
        return sum;
    }

    /** Total of the depth-1 row of a function in an inverted tree: also its flat. */
    private static long invertedRoot(CallTree inv, String function) {
        for (int c = 1; c < inv.size(); c = inv.subtreeEnd(c)) if (inv.name(c).equals(function)) return inv.total(c);
        return 0;
    }

    @ParameterizedTest
    @MethodSource("captures")
    void jfrSelfAndTotalTablesComeOutOfTheTree(String capture) {
        if (!capture.startsWith("jfr/")) return;
        Profile p = loaded.get(capture);
        FactsFile facts = new FactsFile(path(capture.replace(".jfr", ".facts.txt")));
        FactsFile.Section s = facts.section("jdk.ExecutionSample");
        assertNotNull(s, capture);
        Weight cpu = Weights.parse(p, "cpu/samples");
        CallTree t = CallTree.build(p, cpu, Filter.NONE, Options.DEFAULT);
        CallTree inv = CallTree.build(p, cpu, Filter.NONE, Options.DEFAULT.withInverted(true));
        FilteredStacks rows = FilteredStacks.of(p, cpu, Filter.NONE);
        assertEquals(Long.parseLong(s.header().replaceAll(".*events=(\\d+).*", "$1")), t.rootTotal());
        for (Row r : s.tables().get("self samples by method")) {
            String name = r.name().startsWith(".") ? r.name().substring(1) : r.name();
            assertEquals(r.getLong("samples"), flat(t, name), capture + " self " + name);
            assertEquals(r.getLong("samples"), invertedRoot(inv, name), capture + " inverted " + name);
            assertEquals(r.getLong("samples"), Butterfly.of(rows, name, false).self(), capture + " butterfly self " + name);
        }
        for (Row r : s.tables().get("total")) {
            String name = r.name().startsWith(".") ? r.name().substring(1) : r.name();
            assertEquals(r.getLong("samples"), Butterfly.of(rows, name, false).total(), capture + " total " + name);
        }
        List<Row> byThread = s.tables().get("samples by sampledThread");
        for (Row r : byThread) {
            if (r.name().startsWith("<")) continue; // <none>, <virtual thread, empty name>
            Filter f = Filter.NONE.withThreadName(Pattern.compile("^" + Pattern.quote(r.name()) + "$"));
            assertEquals(r.getLong("samples"), t.withFilter(f).rootTotal(), capture + " thread " + r.name());
        }
    }

    @Test
    void regressedJdk17ChecksumDominatesSelfAndLockTimeMatches() {
        Profile p = loaded.get("jfr/jdk17-diff-regressed.jfr");
        FactsFile facts = new FactsFile(Captures.file("jfr", "jdk17-diff-regressed.facts.txt"));
        CallTree inv = CallTree.build(p, Weights.parse(p, "cpu"), Filter.NONE, Options.DEFAULT.withInverted(true));
        // The largest depth-1 row of the inverted tree is the facts' top self method.
        int top = 1;
        for (int c = 1; c < inv.size(); c = inv.subtreeEnd(c)) if (inv.total(c) > inv.total(top)) top = c;
        Row first = facts.section("jdk.ExecutionSample").tables().get("self samples by method").get(0);
        assertEquals(first.name(), inv.name(top));
        assertEquals(first.getLong("samples"), inv.total(top));
        // Blocked time on monitors: the facts list every monitor class with its summed milliseconds.
        double ms = 0;
        for (Row r : facts.section("jdk.JavaMonitorEnter").tables().get("by monitorClass")) ms += r.getDouble("total_ms");
        CallTree blocked = CallTree.build(p, Weights.parse(p, "monitor-blocked"), Filter.NONE, Options.DEFAULT);
        assertEquals(ms, blocked.rootTotal() / 1e6, 0.0015);
        Row site = facts.section("jdk.JavaMonitorEnter").tables().get("by top frame").get(0);
        CallTree blockedInv = CallTree.build(p, Weights.parse(p, "monitor-blocked"), Filter.NONE, Options.DEFAULT.withInverted(true));
        assertEquals(site.getDouble("total_ms"), invertedRoot(blockedInv, site.name()) / 1e6, 0.0015);
    }

    /** pprof -top rows: flat and cum of a function in a section of a {@code .top.txt}. */
    private static Map<String, long[]> topRows(String file, String sampleIndex) throws Exception {
        List<String> lines = Files.readAllLines(Captures.file("pprof", file));
        Map<String, long[]> out = new HashMap<>();
        Pattern row = Pattern.compile("^\\s*([\\d.]+)(ms|s)?\\s+[\\d.]+%\\s+[\\d.]+%\\s+([\\d.]+)(ms|s)?\\s+[\\d.]+%\\s+(\\S+)$");
        boolean in = false;
        for (String l : lines) {
            if (l.startsWith("### ")) in = l.contains("-sample_index=" + sampleIndex + " ");
            Matcher m = in ? row.matcher(l) : null;
            if (m != null && m.matches()) out.put(m.group(5), new long[] {scale(m.group(1), m.group(2)), scale(m.group(3), m.group(4))});
        }
        assertFalse(out.isEmpty(), file + " " + sampleIndex);
        return out;
    }

    private static long scale(String number, String unit) {
        double v = Double.parseDouble(number);
        return Math.round(unit == null ? v : unit.equals("ms") ? v * 1e6 : v * 1e9);
    }

    @Test
    void goCpuFlatAndCumMatchPprofTop() throws Exception {
        for (String name : List.of("cpu-regressed", "cpu-baseline")) {
            Profile p = loaded.get("pprof/" + name + ".pb.gz");
            for (String index : List.of("samples", "cpu")) {
                Weight w = Weights.parse(p, index);
                CallTree t = CallTree.build(p, w, Filter.NONE, Options.DEFAULT);
                FilteredStacks rows = FilteredStacks.of(p, w, Filter.NONE);
                Map<String, long[]> top = topRows(name + ".top.txt", index);
                assertEquals(5, top.size());
                for (Map.Entry<String, long[]> e : top.entrySet()) {
                    assertEquals(e.getValue()[0], flat(t, e.getKey()), name + " " + index + " flat " + e.getKey());
                    assertEquals(e.getValue()[1], Butterfly.of(rows, e.getKey(), false).total(), name + " " + index + " cum " + e.getKey());
                }
            }
        }
        // the regression itself: computeHash is the top flat function of cpu-regressed
        assertTrue(topRows("cpu-regressed.top.txt", "samples").containsKey("main.computeHash"));
    }

    @Test
    void goLabelFiltersMatchPprofTags() throws Exception {
        // cpu-regressed.tags.txt: " handler: Total 6.7s" then "3.8s (57.57%): checkout" ...; each percentage is
        // of the weight carrying that key, so sum the key's values to get the whole.
        Profile p = loaded.get("pprof/cpu-regressed.pb.gz");
        CallTree t = CallTree.build(p, Weights.parse(p, "cpu"), Filter.NONE, Options.DEFAULT);
        Pattern header = Pattern.compile("^\\s*(\\w+): Total .*"), share = Pattern.compile("^\\s*\\S+ \\(\\s*([\\d.]+)%\\): (\\S+)$");
        Map<String, Map<String, Double>> percentByKey = new java.util.LinkedHashMap<>();
        String key = null;
        for (String l : Files.readAllLines(Captures.file("pprof", "cpu-regressed.tags.txt"))) {
            Matcher h = header.matcher(l), s = share.matcher(l);
            if (h.matches()) percentByKey.put(key = h.group(1), new java.util.LinkedHashMap<>());
            else if (key != null && s.matches()) percentByKey.get(key).put(s.group(2), Double.parseDouble(s.group(1)));
        }
        assertEquals(List.of("handler", "stage", "tenant"), List.copyOf(percentByKey.keySet()));
        for (Map.Entry<String, Map<String, Double>> k : percentByKey.entrySet()) {
            Map<String, Long> weight = new HashMap<>();
            for (String value : k.getValue().keySet()) {
                weight.put(value, t.withFilter(Filter.NONE.withLabels(List.of(k.getKey() + "=" + value))).rootTotal());
            }
            long whole = weight.values().stream().mapToLong(Long::longValue).sum();
            for (Map.Entry<String, Double> v : k.getValue().entrySet()) {
                assertEquals(v.getValue(), Math.round(10000.0 * weight.get(v.getKey()) / whole) / 100.0, 1e-9, k.getKey() + "=" + v.getKey());
            }
        }
        // two labels at once: stage only occurs inside handler=checkout
        long hash = t.withFilter(Filter.NONE.withLabels(List.of("stage=hash"))).rootTotal();
        assertEquals(hash, t.withFilter(Filter.NONE.withLabels(List.of("stage=hash", "handler=checkout"))).rootTotal());
        assertEquals(0, t.withFilter(Filter.NONE.withLabels(List.of("stage=hash", "handler=search"))).rootTotal());
    }
}
