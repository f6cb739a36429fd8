// SPDX-License-Identifier: Apache-2.0
package dev.kiln.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.analysis.DisplayNames;
import dev.kiln.analysis.Filter;
import dev.kiln.analysis.FilteredStacks;
import dev.kiln.analysis.Weight;
import dev.kiln.analysis.Weights;
import dev.kiln.analysis.alloc.Allocations;
import dev.kiln.analysis.diff.Change;
import dev.kiln.analysis.diff.Diff;
import dev.kiln.analysis.diff.DiffTree;
import dev.kiln.analysis.findings.Finding;
import dev.kiln.analysis.jvm.CpuLoad;
import dev.kiln.analysis.jvm.AllocationRate;
import dev.kiln.analysis.jvm.GcDetails;
import dev.kiln.analysis.jvm.GcPauses;
import dev.kiln.analysis.jvm.Metaspace;
import dev.kiln.analysis.jvm.ThreadCpu;
import dev.kiln.analysis.jvm.IoTargets;
import dev.kiln.analysis.jvm.JvmWeights;
import dev.kiln.analysis.jvm.ThrownExceptions;
import dev.kiln.analysis.jvm.TimeSeries;
import dev.kiln.export.SeriesSvgWriter;
import dev.kiln.analysis.findings.Findings;
import dev.kiln.analysis.graph.CallGraph;
import dev.kiln.analysis.graph.GraphDrawing;
import dev.kiln.analysis.locks.LockGraph;
import dev.kiln.analysis.ProfileSummary;
import dev.kiln.analysis.timeline.GoroutineGroups;
import dev.kiln.analysis.timeline.GoroutineStates;
import dev.kiln.analysis.timeline.NaturalOrder;
import dev.kiln.analysis.timeline.ThreadState;
import dev.kiln.analysis.timeline.ThreadTimelines;
import dev.kiln.analysis.tree.CallTree;
import dev.kiln.export.AtomicFiles;
import dev.kiln.export.CallGraphWriter;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.SampleTable;
import dev.kiln.model.ValueType;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a self-contained HTML report of a profile (or of a {@link Diff}): one file with inline CSS, inline
 * JavaScript and the data embedded as JSON (written by Jackson into a {@code <script type="application/json">}
 * block with {@code <}, {@code >}, {@code &}, U+2028 and U+2029 escaped as {@code \\uXXXX}, so no string from a
 * capture can end the block). The page needs no network access: it draws everything itself, and inserts every
 * string from the capture as DOM text, never as markup.
 *
 * <p>Contents: summary and findings; a flame graph per weight of {@link Weights#available} (click to zoom,
 * search with matched share, tooltip, weight switch); the top functions by self and total; the call graph of the
 * first weight as an inline SVG ({@link CallGraph} pruned as pprof's {@code -dot}, drawn by {@link CallGraphWriter},
 * every name escaped there; the only markup not built by the page's script); per-thread state
 * lanes ({@link ThreadTimelines}, JFR) or the goroutine state histogram ({@link GoroutineStates}, Go);
 * allocation top classes ({@link Allocations}); top locks with waiters and owners ({@link LockGraph}).
 *
 * <p><b>Size bound.</b> A weight's call tree is embedded whole when it has at most {@link Options#maxNodes} nodes;
 * otherwise only the nodes with the largest totals are kept (a node's total is at least its children's, so the
 * kept nodes form a tree), and nodes below {@link Options#minShare} of the weight's total (default 0: none) are
 * dropped too. A dropped node's weight stays in its parent's total (shown as self), and search shares count
 * only kept nodes; lanes are downsampled to {@link Options#laneBuckets} buckets
 * each holding the state that covered most of it, merged into runs. The report states the pruning. The file is
 * written atomically ({@link AtomicFiles}).
 */
public final class HtmlReport {
    /**
     * Report settings: {@code value} is the weight shown first ({@code null}: the profile's default),
     * {@code minShare} the pruning threshold as a fraction of a weight's total, {@code maxNodes} the node cap per
     * weight, {@code topFunctions} the rows of the functions table, {@code laneBuckets} the runs cap per lane.
     */
    public record Options(String value, double minShare, int maxNodes, int topFunctions, int laneBuckets) {
        public static final Options DEFAULT = new Options(null, 0, 10_000, 300, 1000);

        public Options withValue(String v) { return new Options(v, minShare, maxNodes, topFunctions, laneBuckets); }
    }

    private static final String MARKER = "@@KILN_DATA@@", GRAPH_MARKER = "@@KILN_GRAPH@@", CPU_MARKER = "@@KILN_CPU@@", GC_MARKER = "@@KILN_GC@@",
            MEMORY_MARKER = "@@KILN_MEMORY@@";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HtmlReport() { }

    /** Writes the report of {@code profile} to {@code target} (atomically). */
    public static void write(Profile profile, Options options, Path target) throws IOException {
        Map<String, Object> data = data(profile, options, ProgressSink.NONE);
        writeHtml(data, graphSvg(profile, options), cpuSvg(profile), gcSvg(profile), memorySvg(profile), target);
    }

    /** Writes the differential report of {@code diff} to {@code target} (atomically). */
    public static void writeDiff(Diff diff, String baseName, String targetName, Path target) throws IOException {
        writeHtml(diffData(diff, baseName, targetName, Options.DEFAULT), "", "", "", "", target);
    }

    /** The report's data as a tree of maps, lists and records (what the page embeds as JSON). */
    public static Map<String, Object> data(Profile p, Options o, ProgressSink progress) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("kind", "profile");
        d.put("title", p.sourceName());
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("file", p.sourceName());
        s.put("format", p.format().label());
        s.put("producer", p.producer());
        s.put("start", ProfileSummary.startText(p).isEmpty() ? null : ProfileSummary.startText(p));
        s.put("durationSeconds", p.durationNanos() / 1e9);
        s.put("threads", p.threads().size());
        List<Map<String, Object>> types = new ArrayList<>();
        for (SampleTable t : p.sampleTables()) {
            for (int c = 0; c < t.valueTypes().size(); c++) {
                long sum = 0;
                for (int r = 0; r < t.size(); r++) sum += t.value(c, r);
                types.add(Map.of("table", t.name(), "type", t.valueTypes().get(c).toString(), "samples", t.size(), "total", sum));
            }
        }
        s.put("sampleTypes", types);
        s.put("warnings", p.warnings());
        d.put("summary", s);
        List<Map<String, String>> findings = new ArrayList<>();
        for (Finding f : Findings.of(p)) {
            findings.add(Map.of("severity", f.severity().name(), "title", f.title(), "explanation", f.explanation()));
        }
        d.put("findings", findings);

        List<Weight> weights = Weights.available(p);
        Weight first = JvmWeights.parse(p, o.value());
        if (first != null) { // shown first
            weights = new ArrayList<>(weights);
            weights.remove(first);
            weights.add(0, first);
        }
        if (ThrownExceptions.applies(p) && (first == null || !first.type().equals(ThrownExceptions.THROWN))) { // the throwing stacks, one more weight
            weights = new ArrayList<>(weights);
            weights.add(ThrownExceptions.of(p, Filter.NONE).weight(p, null));
        }
        List<Map<String, Object>> ws = new ArrayList<>();
        for (Weight w : weights) {
            progress.checkCancelled();
            CallTree t = CallTree.build(p, w, Filter.NONE, CallTree.Options.DEFAULT, progress);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", w.type().toString());
            m.put("unit", w.type().unit());
            m.put("total", t.rootTotal());
            m.put("allNodes", t.size());
            m.put("tree", prune(t, o));
            m.put("top", topFunctions(t, o.topFunctions()));
            ws.add(m);
        }
        d.put("weights", ws);
        if (first != null) {
            CallGraph g = CallGraph.of(FilteredStacks.of(p, first, Filter.NONE));
            d.put("graph", Map.of("weight", first.type().toString(), "nodes", g.nodes().size(), "edges", g.edges().size(),
                    "legend", GraphDrawing.of(g).legend()));
        }
        d.put("pruning", Map.of("minShare", o.minShare(), "maxNodes", o.maxNodes(), "laneBuckets", o.laneBuckets()));

        if (GoroutineStates.applies(p)) {
            GoroutineStates g = GoroutineStates.of(p, Filter.NONE);
            List<Map<String, Object>> states = new ArrayList<>();
            for (GoroutineStates.StateGroup sg : g.byState()) states.add(Map.of("state", sg.state(), "goroutines", sg.goroutines()));
            Map<String, Object> gm = new LinkedHashMap<>();
            gm.put("goroutines", g.goroutines());
            gm.put("source", g.stateSource());
            gm.put("note", g.note());
            gm.put("states", states);
            d.put("goroutines", gm);
        } else if (p.format() == dev.kiln.model.SourceFormat.JFR) {
            d.put("timeline", timeline(ThreadTimelines.of(p, Filter.NONE, progress), p, o.laneBuckets()));
        } else if (GoroutineGroups.applies(p)) {
            ThreadTimelines tl = ThreadTimelines.of(p, Filter.NONE, progress);
            d.put("timeline", timeline(tl, p, o.laneBuckets()));
            d.put("trace", ProfileSummary.goTraceOf(p));
            List<GoroutineGroups.Group> groups = GoroutineGroups.of(p, tl).groups();
            d.put("goroutineGroups", groups.subList(0, Math.min(groups.size(), 200)));
            d.put("goroutineGroupCount", groups.size());
        }
        if (Allocations.applies(p)) {
            Allocations a = Allocations.of(p, Filter.NONE, progress);
            int col = a.defaultColumn();
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Allocations.Row r : a.top(Allocations.By.CLASS, col, 30, 5)) {
                List<Map<String, Object>> parts = new ArrayList<>();
                for (Allocations.Row q : r.parts()) parts.add(Map.of("name", q.name(), "value", q.values()[col]));
                rows.add(Map.of("name", r.name(), "value", r.values()[col], "parts", parts));
            }
            ValueType vt = a.valueTypes().get(col);
            d.put("allocations", Map.of("type", vt.toString(), "unit", vt.unit(), "total", a.total(col),
                    "byClass", a.hasClasses(), "rows", rows));
        }
        CpuLoad cpu = CpuLoad.of(p);
        if (!cpu.isEmpty()) d.put("cpu", Map.of("rows", cpuRows(p, cpu), "threads", JvmSections.threadCpu(p, 30)));
        GcPauses gc = GcPauses.of(p, Filter.NONE);
        if (GcPauses.applies(p)) d.put("gc", Map.of("count", gc.count(), "totalNanos", gc.totalNanos(), "overhead", gc.overhead(), "collectors", gc.collectors(),
                "causes", GcDetails.of(p, Filter.NONE, 0).causes()));
        JvmSections.memory(p, d);
        List<IoTargets.Target> io = IoTargets.of(p, Filter.NONE).targets();
        if (!io.isEmpty()) d.put("io", Map.of("targets", io.size(), "rows", io.subList(0, Math.min(io.size(), 50))));
        JvmReport.put(p, d);
        JitAndSafepointsSections.put(p, d);
        if (LockGraph.applies(p)) {
            LockGraph g = LockGraph.of(p, Filter.NONE, progress);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (LockGraph.LockRow r : g.topLocks(LockGraph.By.CLASS, LockGraph.allKinds(), 20, 5)) {
                rows.add(Map.of("name", r.name(), "nanos", r.nanos(), "count", r.count(),
                        "waiters", parties(r.waiters()), "owners", parties(r.owners())));
            }
            d.put("locks", Map.of("total", g.totalNanos(LockGraph.allKinds()), "rows", rows));
        }
        return d;
    }

    private static List<Map<String, Object>> parties(List<LockGraph.Party> ps) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (LockGraph.Party q : ps) out.add(Map.of("name", q.name(), "nanos", q.nanos(), "count", q.count()));
        return out;
    }

    /** The call tree cut to the nodes at or above the threshold, as depth-first columns over a name table. */
    static Map<String, Object> prune(CallTree t, Options o) {
        int n = t.size();
        long root = Math.abs(t.rootTotal());
        long threshold = (long) Math.ceil(root * o.minShare());
        if (n > o.maxNodes()) {
            long[] abs = new long[n];
            for (int i = 0; i < n; i++) abs[i] = Math.abs(t.total(i));
            Arrays.sort(abs);
            threshold = Math.max(threshold, abs[n - o.maxNodes()]);
        }
        Names names = new Names();
        int[] map = new int[n];
        List<int[]> cols = new ArrayList<>();
        int kept = 0;
        int[] f = new int[Math.min(n, o.maxNodes())], par = new int[f.length];
        long[] tot = new long[f.length];
        for (int i = 0; i < n; ) {
            if (i > 0 && (Math.abs(t.total(i)) < threshold || kept >= f.length)) {
                i = t.subtreeEnd(i);
                continue;
            }
            map[i] = kept;
            f[kept] = names.of(t.label(i));
            par[kept] = i == 0 ? -1 : map[t.parent(i)];
            tot[kept] = t.total(i);
            kept++;
            i++;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("names", names.list);
        m.put("f", Arrays.copyOf(f, kept));
        m.put("p", Arrays.copyOf(par, kept));
        m.put("v", Arrays.copyOf(tot, kept));
        m.put("threshold", threshold);
        return m;
    }

    /** Self and total (each sample once per function, as {@code FunctionTotals}) per function name, top by total. */
    static List<Object[]> topFunctions(CallTree t, int top) {
        Map<String, long[]> acc = new HashMap<>();
        int n = t.size();
        int[] open = new int[n + 1];
        int depth = 0;
        Map<String, Integer> onPath = new HashMap<>();
        for (int i = 1; i < n; i++) {
            while (depth > 0 && i >= t.subtreeEnd(open[depth - 1])) onPath.merge(t.label(open[--depth]), -1, Integer::sum);
            String name = t.label(i);
            long[] a = acc.computeIfAbsent(name, k -> new long[2]);
            a[0] += t.self(i);
            if (onPath.getOrDefault(name, 0) == 0) a[1] += t.total(i);
            onPath.merge(name, 1, Integer::sum);
            open[depth++] = i;
        }
        List<Object[]> rows = new ArrayList<>();
        acc.forEach((k, v) -> rows.add(new Object[] {k, v[0], v[1]}));
        rows.sort(Comparator.comparingLong((Object[] r) -> -Math.abs((long) r[2])).thenComparing(r -> (String) r[0]));
        return rows.size() > top ? new ArrayList<>(rows.subList(0, top)) : rows;
    }

    /** Lanes downsampled to {@code buckets} buckets over the recording: runs of [startBucket, state] pairs. */
    /** A Go trace with more lanes than this shows a row per goroutine group in the report instead of one per goroutine. */
    static final int MAX_LANES = 500;

    static Map<String, Object> timeline(ThreadTimelines tl, Profile p, int buckets) { return timeline(tl, p, buckets, MAX_LANES); }

    static Map<String, Object> timeline(ThreadTimelines tl, Profile p, int buckets, int maxLanes) {
        long from = Long.MAX_VALUE, to = Long.MIN_VALUE;
        for (int l = 0; l < tl.laneCount(); l++) {
            from = Math.min(from, tl.laneStartNanos(l));
            to = Math.max(to, tl.laneEndNanos(l));
        }
        List<Map<String, Object>> lanes = new ArrayList<>();
        List<String> states = new ArrayList<>();
        List<String> stateNames = new ArrayList<>();
        for (int s = 0; s < ThreadState.COUNT; s++) {
            states.add(ThreadState.of(s).name());
            stateNames.add(ThreadState.of(s).displayName());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("states", states);
        m.put("stateNames", stateNames);
        m.put("buckets", buckets);
        m.put("startNanos", from == Long.MAX_VALUE ? 0 : from);
        // Differences in double: a damaged recording's times can lie more than Long.MAX_VALUE apart.
        m.put("spanNanos", from == Long.MAX_VALUE ? 0 : (long) Math.min(Long.MAX_VALUE, (double) to - from));
        m.put("lanes", lanes);
        if (from >= to) return m;
        double width = ((double) to - from) / buckets;
        // Rows: one per lane; a trace with more lanes than a page draws well has one per goroutine group (start
        // function) and per P instead, each showing the state most of its time in a bucket went to.
        List<String> names = new ArrayList<>();
        List<List<Integer>> rows = new ArrayList<>();
        boolean trace = GoroutineGroups.applies(p);
        if (trace && tl.laneCount() > maxLanes) {
            Map<String, List<Integer>> byGroup = new java.util.TreeMap<>(NaturalOrder.INSTANCE);
            List<Integer> ps = new ArrayList<>();
            for (int l = 0; l < tl.laneCount(); l++) {
                String n = p.threadName(tl.laneThread(l));
                if (n.startsWith("P ")) ps.add(l);
                else byGroup.computeIfAbsent(GoroutineGroups.startFunction(n), k -> new ArrayList<>()).add(l);
            }
            for (Map.Entry<String, List<Integer>> e : byGroup.entrySet()) {
                names.add(e.getKey() + " (" + e.getValue().size() + (e.getValue().size() == 1 ? " goroutine)" : " goroutines)"));
                rows.add(e.getValue());
            }
            ps.sort(Comparator.comparing(l -> p.threadName(tl.laneThread(l)), NaturalOrder.INSTANCE));
            for (int l : ps) {
                names.add(p.threadName(tl.laneThread(l)));
                rows.add(List.of(l));
            }
            m.put("grouped", true);
        } else {
            Integer[] order = new Integer[tl.laneCount()];
            for (int l = 0; l < order.length; l++) order[l] = l;
            // goroutine and P lanes in the order people count (G2 before G18); a recording's threads as they come
            if (trace) Arrays.sort(order, Comparator.comparing(l -> p.threadName(tl.laneThread(l)), NaturalOrder.INSTANCE));
            for (int l : order) {
                names.add(p.threadName(tl.laneThread(l)));
                rows.add(List.of(l));
            }
        }
        double[] cover = new double[buckets * ThreadState.COUNT];
        for (int r = 0; r < rows.size(); r++) {
            Arrays.fill(cover, 0);
            long[] totals = new long[ThreadState.COUNT];
            for (int l : rows.get(r)) {
                for (int i = tl.firstInterval(l); i < tl.endInterval(l); i++) {
                    double a = ((double) tl.startNanos(i) - from) / width, b = ((double) tl.endNanos(i) - from) / width;
                    int st = tl.state(i).ordinal();
                    for (int k = (int) a; k < buckets && k < b; k++) {
                        double lo = Math.max(a, k), hi = Math.min(b, k + 1);
                        if (hi > lo) cover[k * ThreadState.COUNT + st] += hi - lo;
                    }
                }
                for (int s = 0; s < ThreadState.COUNT; s++) totals[s] += tl.total(l, ThreadState.of(s));
            }
            IntRuns runs = new IntRuns();
            for (int k = 0; k < buckets; k++) {
                int best = -1;
                double bestCover = 0;
                for (int s = 0; s < ThreadState.COUNT; s++) {
                    if (cover[k * ThreadState.COUNT + s] > bestCover) { bestCover = cover[k * ThreadState.COUNT + s]; best = s; }
                }
                runs.add(k, best);
            }
            lanes.add(Map.of("thread", names.get(r), "runs", runs.toArray(), "totals", totals));
        }
        return m;
    }

    /** Runs as flat pairs: start bucket, state (-1 = no lane). A new pair only where the state changes. */
    private static final class IntRuns {
        private int[] a = new int[64];
        private int n;
        private int last = -2;

        void add(int bucket, int state) {
            if (state == last) return;
            last = state;
            if (n + 2 > a.length) a = Arrays.copyOf(a, a.length * 2);
            a[n++] = bucket;
            a[n++] = state;
        }

        int[] toArray() { return Arrays.copyOf(a, n); }
    }

    /** A string table of names. */
    private static final class Names {
        final List<String> list = new ArrayList<>();
        final Map<String, Integer> index = new HashMap<>();

        int of(String s) {
            Integer i = index.get(s);
            if (i != null) return i;
            index.put(s, list.size());
            list.add(s);
            return list.size() - 1;
        }
    }

    /** The data of a differential report: merged tree sized by target totals, coloured by change. */
    public static Map<String, Object> diffData(Diff diff, String baseName, String targetName, Options o) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("kind", "diff");
        d.put("title", baseName + " \u2192 " + targetName);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("base", baseName);
        s.put("target", targetName);
        s.put("compared", diff.compared());
        s.put("unit", diff.unit());
        s.put("scale", diff.scale());
        s.put("total", change(diff.total()));
        s.put("notes", diff.notes());
        d.put("summary", s);
        DiffTree t = diff.tree();
        int n = t.size();
        long root = Math.max(Math.abs(t.targetTotal(0)), 1);
        long threshold = Math.max(1, (long) Math.ceil(root * o.minShare()));
        if (n > o.maxNodes()) {
            long[] abs = new long[n];
            for (int i = 0; i < n; i++) abs[i] = Math.abs(t.targetTotal(i));
            Arrays.sort(abs);
            threshold = Math.max(threshold, abs[n - o.maxNodes()]);
        }
        Names names = new Names();
        int[] map = new int[n];
        int cap = Math.min(n, o.maxNodes());
        int[] f = new int[cap], par = new int[cap], st = new int[cap];
        long[] v = new long[cap];
        double[] base = new double[cap], delta = new double[cap];
        int kept = 0;
        for (int i = 0; i < n; ) {
            if (i > 0 && (Math.abs(t.targetTotal(i)) < threshold || kept >= cap)) {
                i = t.subtreeEnd(i);
                continue;
            }
            Change c = t.totalChange(i);
            map[i] = kept;
            f[kept] = names.of(t.label(i));
            par[kept] = i == 0 ? -1 : map[t.parent(i)];
            v[kept] = t.targetTotal(i);
            base[kept] = Math.round(c.scaledBase() * 100) / 100.0;
            delta[kept] = Math.round(c.delta() * 100) / 100.0;
            st[kept] = c.status().ordinal();
            kept++;
            i++;
        }
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("names", names.list);
        tree.put("f", Arrays.copyOf(f, kept));
        tree.put("p", Arrays.copyOf(par, kept));
        tree.put("v", Arrays.copyOf(v, kept));
        tree.put("b", Arrays.copyOf(base, kept));
        tree.put("d", Arrays.copyOf(delta, kept));
        tree.put("s", Arrays.copyOf(st, kept));
        tree.put("threshold", threshold);
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("name", diff.compared());
        w.put("unit", diff.unit());
        w.put("total", t.targetTotal(0));
        w.put("allNodes", n);
        w.put("tree", tree);
        d.put("weights", List.of(w));
        d.put("statuses", Arrays.stream(dev.kiln.analysis.diff.Status.values()).map(Enum::name).toList());
        d.put("pruning", Map.of("minShare", o.minShare(), "maxNodes", o.maxNodes()));
        List<Map<String, Object>> fn = new ArrayList<>();
        diff.functions().stream()
                .sorted(Comparator.comparingDouble((Diff.FunctionDelta x) -> -Math.abs(x.total().delta())))
                .limit(50)
                .forEach(x -> fn.add(Map.of("name", x.name(), "self", change(x.self()), "total", change(x.total()))));
        d.put("functions", fn);
        List<Map<String, Object>> locks = new ArrayList<>();
        for (Diff.LockDelta l : diff.locks()) {
            if (locks.size() >= 20) break;
            locks.add(Map.of("name", DisplayNames.sentence(l.kind().name()) + " " + l.className(), "nanos", change(l.nanos())));
        }
        d.put("lockDeltas", locks);
        if (!diff.jvm().isEmpty()) d.put("jvm", JvmSections.diff(diff.jvm(), 30));
        return d;
    }

    static Map<String, Object> change(Change c) {
        return Map.of("base", c.base(), "target", c.target(), "delta", c.delta(),
                "relativePct", Double.isFinite(c.relativePct()) ? c.relativePct() : 0.0,
                "status", c.status().name());
    }

    /** JSON safe inside a script element: {@code < > &} and the JavaScript line separators as escapes. */
    static String scriptSafeJson(Object data) throws IOException {
        String json = JSON.writeValueAsString(data);
        StringBuilder b = new StringBuilder(json.length() + 64);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '<' -> b.append("\\u003c");
                case '>' -> b.append("\\u003e");
                case '&' -> b.append("\\u0026");
                case '\u2028' -> b.append("\\u2028");
                case '\u2029' -> b.append("\\u2029");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * The call graph of the first weight ({@link CallGraph} with pprof's defaults) as an inline {@code <svg>} element,
     * every name escaped by {@link CallGraphWriter}; "" when the profile has no weight.
     */
    static String graphSvg(Profile p, Options o) throws IOException {
        Weight w = JvmWeights.parse(p, o.value());
        if (w == null) return "";
        StringBuilder b = new StringBuilder();
        CallGraphWriter.svgElement(CallGraph.of(FilteredStacks.of(p, w, Filter.NONE)), p.sourceName(), b);
        return b.toString();
    }

    private static String template() {
        try (InputStream in = HtmlReport.class.getResourceAsStream("report.html")) {
            if (in == null) throw new IllegalStateException("report.html missing from the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JFR recording's CPU load ({@link CpuLoad}) as an inline chart, as the app's CPU page draws it; "" when it has none. */
    static String cpuSvg(Profile p) {
        CpuLoad cpu = CpuLoad.of(p);
        if (cpu.isEmpty()) return "";
        long start = Math.min(p.startEpochNanos(), cpu.jvm().time(0));
        long end = Math.max(p.startEpochNanos() + p.durationNanos(), cpu.jvm().time(cpu.jvm().size() - 1));
        return SeriesSvgWriter.svg(cpu.charted(), start, end, p.startEpochNanos(), 900, 220);
    }

    /** Mean, max and number of samples of each CPU load series, for the report's table. */
    private static List<Map<String, Object>> cpuRows(Profile p, CpuLoad cpu) {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<TimeSeries> series = new ArrayList<>(cpu.charted());
        TimeSeries switches = ThreadCpu.of(p, Filter.NONE).contextSwitches();
        if (switches.size() > 0) series.add(switches);
        for (TimeSeries s : series) {
            double[] mm = s.meanMax(Long.MIN_VALUE, Long.MAX_VALUE);
            rows.add(Map.of("series", s.label(), "mean", s.format(mm[0]), "max", s.format(mm[1]), "samples", s.size()));
        }
        return rows;
    }

    /** The allocation rate and metaspace charts of a JFR recording, as the app's Memory page draws them; "" without either. */
    static String memorySvg(Profile p) {
        long start = p.startEpochNanos(), end = start + p.durationNanos();
        AllocationRate rate = AllocationRate.of(p);
        Metaspace meta = Metaspace.of(p);
        String out = rate.isEmpty() ? "" : SeriesSvgWriter.svg(List.of(rate.rate()), start, end, start, 900, 200);
        return meta.isEmpty() ? out : out + SeriesSvgWriter.svg(List.of(meta.usedBefore(), meta.usedAfter(), meta.committed()), start, end, start, 900, 200);
    }

    /** A JFR recording's GC pauses ({@link GcPauses}) as an inline chart, as the app's Memory page draws them; "" when it has none. */
    static String gcSvg(Profile p) {
        if (!GcPauses.applies(p)) return "";
        GcPauses g = GcPauses.of(p, Filter.NONE);
        long start = Math.min(p.startEpochNanos(), g.pauses().time(0));
        long end = Math.max(p.startEpochNanos() + p.durationNanos(), g.pauses().time(g.count() - 1));
        return SeriesSvgWriter.svg(List.of(g.pauses()), start, end, p.startEpochNanos(), 900, 200);
    }

    private static void writeHtml(Map<String, Object> data, String graphSvg, String cpuSvg, String gcSvg, String memorySvg, Path target) throws IOException {
        String page = template();
        int at = page.indexOf(MARKER);
        // the graph goes in after the data marker is found, so no name in it can be taken for the marker
        String head = page.substring(0, at).replace(GRAPH_MARKER, graphSvg).replace(CPU_MARKER, cpuSvg).replace(GC_MARKER, gcSvg)
                .replace(MEMORY_MARKER, memorySvg);
        String json = scriptSafeJson(data);
        AtomicFiles.write(target, (OutputStream out) -> {
            out.write(head.getBytes(StandardCharsets.UTF_8));
            out.write(json.getBytes(StandardCharsets.UTF_8));
            out.write(page.substring(at + MARKER.length()).getBytes(StandardCharsets.UTF_8));
        });
    }
}
