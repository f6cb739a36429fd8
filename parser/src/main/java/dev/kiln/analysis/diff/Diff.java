// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.diff;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.Weight;
import dev.kiln.analysis.Weights;
import dev.kiln.analysis.jvm.JvmWeights;
import dev.kiln.analysis.alloc.Allocations;
import dev.kiln.analysis.locks.LockGraph;
import dev.kiln.analysis.timeline.GoroutineStates;
import dev.kiln.analysis.timeline.GoroutineGroups;
import dev.kiln.analysis.timeline.ThreadState;
import dev.kiln.analysis.timeline.ThreadTimelines;
import dev.kiln.analysis.tree.CallTree;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.SourceFormat;
import dev.kiln.model.StackTable;
import dev.kiln.model.ValueType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The difference between two profiles, a pure function of both ({@link #of}): neither input is changed. Both
 * are translated into one table space — functions aligned by name (and line at line granularity), call paths by
 * their function keys from the root, locks by class, threads by name, allocations by class (or site), goroutine
 * stacks by their frame names — and the weights of each aligned row are compared as a {@link Change}.
 *
 * <p><b>What is compared.</b> One weight per side ({@link #baseWeight()}, {@link #targetWeight()}): the one named
 * by {@link Options#weight()} on both sides, else the target's default weight and the base's weight of the same
 * value type. Types are compatible when their units agree ({@code count} and {@code samples} are the same unit)
 * and their kinds agree, with {@code cpu} and {@code samples} counts counted as the same kind (JFR
 * {@code cpu/samples} against async-profiler's pprof {@code cpu/count}); anything else throws
 * {@link IncompatibleException}. {@link #compared()} says what was compared.
 *
 * <p><b>Normalization.</b> With {@link Options#normalize()}, base values of the compared weight (tree and
 * functions) are scaled by {@code targetTotal / baseTotal} so the totals match (as {@code pprof -normalize}); the
 * total itself ({@link #total()}), locks, threads, allocations and goroutines are always compared raw.
 *
 * <p><b>Beyond stacks</b> (each empty when a side does not have it): lock blocked/wait/park time and event counts
 * per lock class ({@link LockGraph}, JFR); per-thread state time ({@link ThreadTimelines}, both JFR); allocations
 * per class, or per site when a side names no classes ({@link Allocations}, the first allocation value type both
 * sides have); goroutine counts per state and per stack ({@link GoroutineStates}); GC pauses, heap peak, exceptions
 * per class, compilations and I/O bytes per target of two JFR recordings ({@link JvmDiff}).
 *
 * <p><b>Time ranges.</b> {@link Options#baseFilter()} and {@link Options#targetFilter()} apply to their side
 * only, so {@code Diff.of(p, p, options)} with two time ranges compares two parts of one capture.
 */
public final class Diff {
    /** Thrown when the two profiles hold no comparable weight. */
    public static final class IncompatibleException extends IllegalArgumentException {
        public IncompatibleException(String message) { super(message); }
    }

    /**
     * How to compare: {@code weight} a spec for {@link Weights#parse} (null = the target's default), one filter
     * per side, normalization, the noise threshold (see {@link Change}) and the tree options (top-down only; by
     * default functions, lambda names folded so that runs with different lambda addresses align).
     */
    public record Options(String weight, Filter baseFilter, Filter targetFilter, boolean normalize,
                          double noiseFraction, long noiseMin, CallTree.Options tree) {
        public static final Options DEFAULT = new Options(null, Filter.NONE, Filter.NONE, false, 0.01, 0,
                CallTree.Options.DEFAULT.withMergeLambdas(true));

        public Options {
            baseFilter = baseFilter == null ? Filter.NONE : baseFilter;
            targetFilter = targetFilter == null ? Filter.NONE : targetFilter;
            tree = tree == null ? DEFAULT.tree : tree;
            if (tree.inverted()) throw new IllegalArgumentException("a diff compares top-down trees");
            if (!(noiseFraction >= 0) || noiseMin < 0) throw new IllegalArgumentException("noise must be >= 0");
        }

        public Options withWeight(String w) { return new Options(w, baseFilter, targetFilter, normalize, noiseFraction, noiseMin, tree); }

        /** The same filter on both sides. */
        public Options withFilter(Filter f) { return withFilters(f, f); }

        public Options withFilters(Filter base, Filter target) { return new Options(weight, base, target, normalize, noiseFraction, noiseMin, tree); }

        public Options withNormalize(boolean n) { return new Options(weight, baseFilter, targetFilter, n, noiseFraction, noiseMin, tree); }

        public Options withNoise(double fraction, long min) { return new Options(weight, baseFilter, targetFilter, normalize, fraction, min, tree); }

        public Options withTree(CallTree.Options t) { return new Options(weight, baseFilter, targetFilter, normalize, noiseFraction, noiseMin, t); }
    }

    /** A function (name, and line at line granularity, else 0) with its self and total change. */
    public record FunctionDelta(String name, int line, Change self, Change total) { }

    /** Time and number of events of one lock class and kind ({@code className} "*" = all classes). */
    public record LockDelta(LockGraph.Kind kind, String className, Change nanos, Change count) { }

    /** Nanoseconds one thread (threads with one name summed) spent in one state. */
    public record ThreadStateDelta(String thread, ThreadState state, Change nanos) { }

    /** A named value: an allocated class or site, a goroutine state, a thread state over all threads. */
    public record KeyDelta(String key, Change value) { }

    /**
     * Goroutines with one stack (frame names, leaf first), their most common state and their site: the first
     * frame outside {@code runtime.} with its file and line when known ({@code main.f (main.go:42)}).
     */
    public record GoroutineStackDelta(List<String> frames, String state, String site, Change count) { }

    private final Profile base, target;
    private final Options options;
    private final Weight baseWeight, targetWeight;
    private final String compared;
    private final double scale;
    private final Change total;
    private final DiffTree tree;
    private final CallTree baseTree, targetTree;
    private final List<FunctionDelta> functions;
    private final List<LockDelta> locks = new ArrayList<>(), lockTotals = new ArrayList<>();
    private final List<ThreadStateDelta> threadStates = new ArrayList<>();
    private final List<KeyDelta> stateTotals = new ArrayList<>(), allocations = new ArrayList<>(), goroutineStates = new ArrayList<>();
    private final List<GoroutineStackDelta> goroutineStacks = new ArrayList<>();
    private ValueType allocationType;
    private String allocationBy = "";
    private Change goroutines;
    private final JvmDiff jvm;
    private final List<String> notes = new ArrayList<>();

    private Diff(Profile base, Profile target, Options o, ProgressSink progress) {
        this.base = base;
        this.target = target;
        this.options = o;
        Weight[] w = weights(base, target, o.weight());
        baseWeight = w[0];
        targetWeight = w[1];
        compared = baseWeight.type().equals(targetWeight.type()) ? baseWeight.type().toString()
                : baseWeight.type() + " (base) vs " + targetWeight.type() + " (target)";
        if (base.format() != target.format()) {
            notes.add("comparing a " + base.format().label() + " with a " + target.format().label()
                    + ": functions align by name only, so producers that spell names differently do not align");
        }
        CompletableFuture<CallTree> baseLater = later(atOnce(base, target),
                () -> CallTree.build(base, baseWeight, o.baseFilter(), o.tree(), cancelOnly(progress)));
        CallTree tt = CallTree.build(target, targetWeight, o.targetFilter(), o.tree(), progress);
        CallTree bt = get(baseLater);
        String unit = targetWeight.type().unit();
        Comparison c = Comparison.of(bt.rootTotal(), tt.rootTotal(), o.normalize(), o, unit);
        scale = c.scale();
        total = Comparison.of(bt.rootTotal(), tt.rootTotal(), false, o, unit).change(bt.rootTotal(), tt.rootTotal());
        tree = DiffTree.merge(bt, tt, c);
        baseTree = bt;
        targetTree = tt;
        long[][] sums = tree.functionSums();
        List<FunctionDelta> fs = new ArrayList<>();
        for (int f = 0; f < tree.functionCount(); f++) {
            if (sums[0][f] == 0 && sums[1][f] == 0 && sums[2][f] == 0 && sums[3][f] == 0) continue;
            fs.add(new FunctionDelta(tree.functionName(f), tree.functionLine(f), c.change(sums[0][f], sums[2][f]),
                    c.change(sums[1][f], sums[3][f])));
        }
        fs.sort(Comparator.comparingDouble((FunctionDelta d) -> -Math.abs(d.self().delta()))
                .thenComparingDouble(d -> -Math.abs(d.total().delta())).thenComparing(FunctionDelta::name));
        functions = List.copyOf(fs);
        progress.checkCancelled();
        locks(o);
        progress.checkCancelled();
        boolean traces = base.format() == SourceFormat.GO_TRACE && target.format() == SourceFormat.GO_TRACE;
        if (traces || base.format() == SourceFormat.JFR && target.format() == SourceFormat.JFR) threads(o, progress);
        progress.checkCancelled();
        if (Allocations.applies(base) && Allocations.applies(target)) allocations(o, progress);
        if (GoroutineStates.applies(base) && GoroutineStates.applies(target)) goroutines(o);
        jvm = base.format() == SourceFormat.JFR && target.format() == SourceFormat.JFR ? JvmDiff.of(base, target, o) : JvmDiff.EMPTY;
    }

    /** Compares {@code target} against {@code base}. @throws IncompatibleException when no weight is comparable */
    public static Diff of(Profile base, Profile target, Options options) {
        return of(base, target, options, ProgressSink.NONE);
    }

    public static Diff of(Profile base, Profile target, Options options, ProgressSink progress) {
        return new Diff(Objects.requireNonNull(base), Objects.requireNonNull(target), Objects.requireNonNull(options), progress);
    }

    // ---- weights ----

    static boolean sameUnit(String a, String b) {
        return a.equals(b) || (Comparison.isCountUnit(a) && Comparison.isCountUnit(b));
    }

    /** Whether two value types measure the same thing (see the class comment). */
    public static boolean compatible(ValueType a, ValueType b) {
        if (!sameUnit(a.unit(), b.unit())) return false;
        if (a.kind().equals(b.kind())) return true;
        Set<String> cpu = Set.of("cpu", "samples");
        return Comparison.isCountUnit(a.unit()) && cpu.contains(a.kind()) && cpu.contains(b.kind());
    }

    private static Weight[] weights(Profile base, Profile target, String spec) {
        Weight bw, tw;
        if (spec != null) {
            try {
                tw = JvmWeights.parse(target, spec);
                bw = JvmWeights.parse(base, spec);
            } catch (IllegalArgumentException e) {
                throw new IncompatibleException(e.getMessage());
            }
        } else {
            tw = Weights.defaultWeight(target);
            if (tw == null) throw new IncompatibleException(target.sourceName() + " has no samples or events to compare");
            bw = null;
            for (Weight w : Weights.available(base)) if (w.type().equals(tw.type())) { bw = w; break; }
            if (bw == null) for (Weight w : Weights.available(base)) if (compatible(w.type(), tw.type())) { bw = w; break; }
            if (bw == null) {
                throw new IncompatibleException("the target's weight " + tw + " has no counterpart in " + base.sourceName()
                        + " (it offers: " + Weights.available(base).stream().map(Weight::toString).collect(Collectors.joining(", "))
                        + "); choose one with --value");
            }
        }
        if (!compatible(bw.type(), tw.type())) {
            throw new IncompatibleException("cannot compare " + bw + " of " + base.sourceName() + " with " + tw + " of "
                    + target.sourceName() + ": different value types");
        }
        return new Weight[] {bw, tw};
    }

    // ---- beyond stacks ----

    private void locks(Options o) {
        boolean b = LockGraph.applies(base), t = LockGraph.applies(target);
        if (!b && !t) return;
        LockGraph gb = LockGraph.of(base, o.baseFilter(), ProgressSink.NONE), gt = LockGraph.of(target, o.targetFilter(), ProgressSink.NONE);
        for (LockGraph.Kind k : LockGraph.Kind.values()) {
            Set<LockGraph.Kind> ks = EnumSet.of(k);
            long bn = gb.totalNanos(ks), tn = gt.totalNanos(ks), bc = gb.totalCount(ks), tc = gt.totalCount(ks);
            if (bc == 0 && tc == 0) continue;
            Comparison cn = Comparison.of(bn, tn, false, o, "nanoseconds"), cc = Comparison.of(bc, tc, false, o, "count");
            lockTotals.add(new LockDelta(k, "*", cn.change(bn, tn), cc.change(bc, tc)));
            Map<String, long[]> byClass = new LinkedHashMap<>();
            for (LockGraph.LockRow r : gb.topLocks(LockGraph.By.CLASS, ks, 0, 1)) {
                long[] v = byClass.computeIfAbsent(r.className(), x -> new long[4]);
                v[0] += r.nanos();
                v[1] += r.count();
            }
            for (LockGraph.LockRow r : gt.topLocks(LockGraph.By.CLASS, ks, 0, 1)) {
                long[] v = byClass.computeIfAbsent(r.className(), x -> new long[4]);
                v[2] += r.nanos();
                v[3] += r.count();
            }
            byClass.forEach((cls, v) -> locks.add(new LockDelta(k, cls, cn.change(v[0], v[2]), cc.change(v[1], v[3]))));
        }
        locks.sort(Comparator.comparingDouble((LockDelta d) -> -Math.abs(d.nanos().delta())).thenComparing(LockDelta::className));
    }

    private void threads(Options o, ProgressSink progress) {
        ThreadTimelines tb = ThreadTimelines.of(base, o.baseFilter(), progress), tt = ThreadTimelines.of(target, o.targetFilter(), progress);
        Map<String, long[]> byThread = new LinkedHashMap<>(); // name -> [state * 2 + side]
        long[] sums = new long[2];
        addLanes(base, tb, byThread, 0, sums);
        addLanes(target, tt, byThread, 1, sums);
        if (byThread.isEmpty()) return;
        Comparison c = Comparison.of(sums[0], sums[1], false, o, "nanoseconds");
        long[] perState = new long[ThreadState.COUNT * 2];
        byThread.forEach((name, v) -> {
            for (ThreadState s : ThreadState.values()) {
                long b = v[s.ordinal() * 2], t = v[s.ordinal() * 2 + 1];
                perState[s.ordinal() * 2] += b;
                perState[s.ordinal() * 2 + 1] += t;
                if (b != 0 || t != 0) threadStates.add(new ThreadStateDelta(name, s, c.change(b, t)));
            }
        });
        for (ThreadState s : ThreadState.values()) {
            long b = perState[s.ordinal() * 2], t = perState[s.ordinal() * 2 + 1];
            if (b != 0 || t != 0) stateTotals.add(new KeyDelta(s.name(), c.change(b, t)));
        }
        threadStates.sort(Comparator.comparingDouble((ThreadStateDelta d) -> -Math.abs(d.nanos().delta()))
                .thenComparing(ThreadStateDelta::thread).thenComparing(ThreadStateDelta::state));
    }

    /** Lanes by thread name; a Go trace's goroutines by their group (start function), as goroutine ids differ between runs. */
    private static void addLanes(Profile p, ThreadTimelines tl, Map<String, long[]> byThread, int side, long[] sums) {
        boolean trace = GoroutineGroups.applies(p);
        for (int lane = 0; lane < tl.laneCount(); lane++) {
            int t = tl.laneThread(lane);
            String key = trace && p.threads().goroutineId(t) >= 0 ? "goroutines " + GoroutineGroups.startFunction(p.threadName(t))
                    : p.threadName(t);
            long[] v = byThread.computeIfAbsent(key, x -> new long[ThreadState.COUNT * 2]);
            for (ThreadState s : ThreadState.values()) v[s.ordinal() * 2 + side] += tl.total(lane, s);
            sums[side] += tl.laneLengthNanos(lane);
        }
    }

    private void allocations(Options o, ProgressSink progress) {
        CompletableFuture<Allocations> later = later(atOnce(base, target), () -> Allocations.of(base, o.baseFilter(), cancelOnly(progress)));
        Allocations at = Allocations.of(target, o.targetFilter(), progress), ab = get(later);
        ValueType type = null;
        List<ValueType> preferred = new ArrayList<>();
        preferred.add(at.valueTypes().get(at.defaultColumn()));
        preferred.addAll(at.valueTypes());
        for (ValueType v : preferred) if (ab.valueTypes().contains(v)) { type = v; break; }
        if (type == null) return;
        int cb = ab.valueTypes().indexOf(type), ct = at.valueTypes().indexOf(type);
        Allocations.By by = ab.hasClasses() && at.hasClasses() ? Allocations.By.CLASS : Allocations.By.SITE;
        allocationType = type;
        allocationBy = by.name().toLowerCase(java.util.Locale.ROOT);
        Map<String, long[]> rows = new LinkedHashMap<>();
        for (Allocations.Row r : ab.top(by, cb, 0, 1)) rows.computeIfAbsent(r.name(), x -> new long[2])[0] += r.values()[cb];
        for (Allocations.Row r : at.top(by, ct, 0, 1)) rows.computeIfAbsent(r.name(), x -> new long[2])[1] += r.values()[ct];
        Comparison c = Comparison.of(ab.total(cb), at.total(ct), false, o, type.unit());
        rows.forEach((k, v) -> allocations.add(new KeyDelta(k, c.change(v[0], v[1]))));
        sortKeys(allocations);
    }

    // ---- the base's share on a second thread ----

    /** Profiles of at least this many stacks together have the base's share built on a second thread (tests: 0). */
    static int atOnceStacks = 1 << 18;

    /** Whether the base's call tree and allocations are worth building on a second thread, beside the target's. */
    private static boolean atOnce(Profile base, Profile target) {
        return (long) base.stacks().size() + target.stacks().size() >= atOnceStacks && Runtime.getRuntime().availableProcessors() > 1;
    }

    /** {@code work} started on a thread of its own when {@code atOnce}, else done now, on this one. */
    private static <T> CompletableFuture<T> later(boolean atOnce, Supplier<T> work) {
        if (!atOnce) return CompletableFuture.completedFuture(work.get());
        return CompletableFuture.supplyAsync(work, r -> {
            Thread t = new Thread(r, "kiln-diff-base");
            t.setDaemon(true);
            t.start();
        });
    }

    /** The result of {@link #later}, its exception (a cancellation among them) thrown here as it was thrown there. */
    private static <T> T get(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error r) throw r;
            throw e;
        }
    }

    /** The sink's cancellation without its progress (reported by the work on the caller's thread alone). */
    private static ProgressSink cancelOnly(ProgressSink progress) {
        return new ProgressSink() {
            @Override
            public void progress(long done, long total, String what) { }

            @Override
            public boolean isCancelled() { return progress.isCancelled(); }
        };
    }

    static void sortKeys(List<KeyDelta> l) {
        l.sort(Comparator.comparingDouble((KeyDelta d) -> -Math.abs(d.value().delta())).thenComparing(KeyDelta::key));
    }

    private void goroutines(Options o) {
        GoroutineStates gb = GoroutineStates.of(base, o.baseFilter()), gt = GoroutineStates.of(target, o.targetFilter());
        Comparison c = Comparison.of(gb.goroutines(), gt.goroutines(), false, o, "count");
        goroutines = c.change(gb.goroutines(), gt.goroutines());
        Map<String, long[]> states = new LinkedHashMap<>();
        for (GoroutineStates.StateGroup g : gb.byState()) states.computeIfAbsent(g.state(), x -> new long[2])[0] += g.goroutines();
        for (GoroutineStates.StateGroup g : gt.byState()) states.computeIfAbsent(g.state(), x -> new long[2])[1] += g.goroutines();
        states.forEach((k, v) -> goroutineStates.add(new KeyDelta(k, c.change(v[0], v[1]))));
        sortKeys(goroutineStates);
        record Acc(long[] n, GoroutineStates.StackGroup[] group) { }
        Map<List<String>, Acc> stacks = new LinkedHashMap<>();
        Function<List<String>, Acc> fresh = k -> new Acc(new long[2], new GoroutineStates.StackGroup[2]);
        for (GoroutineStates.StackGroup g : gb.byStack()) {
            Acc a = stacks.computeIfAbsent(g.frames(), fresh);
            a.n[0] += g.goroutines();
            if (a.group[0] == null) a.group[0] = g;
        }
        for (GoroutineStates.StackGroup g : gt.byStack()) {
            Acc a = stacks.computeIfAbsent(g.frames(), fresh);
            a.n[1] += g.goroutines();
            if (a.group[1] == null) a.group[1] = g;
        }
        stacks.forEach((frames, a) -> {
            int side = a.group[1] != null ? 1 : 0;
            GoroutineStates.StackGroup g = a.group[side];
            String state = g.states().isEmpty() ? GoroutineStates.UNKNOWN_STATE : g.states().keySet().iterator().next();
            goroutineStacks.add(new GoroutineStackDelta(frames, state, site(side == 1 ? target : base, g.stack()),
                    c.change(a.n[0], a.n[1])));
        });
        goroutineStacks.sort(Comparator.comparingDouble((GoroutineStackDelta d) -> -Math.abs(d.count().delta()))
                .thenComparing(GoroutineStackDelta::site));
    }

    /** The first frame outside {@code runtime.}, leaf first, as {@code name (file:line)} when file and line are known. */
    static String site(Profile p, int stack) {
        StackTable st = p.stacks();
        int s = stack;
        while (s >= 0 && p.frameName(st.frame(s)).startsWith("runtime.") && st.parent(s) >= 0) s = st.parent(s);
        if (s < 0) return "<no frames>";
        int frame = st.frame(s);
        String name = p.frameName(frame);
        int line = p.frames().line(frame), file = p.functions().file(p.frames().func(frame));
        if (line <= 0 || file < 0 || p.string(file).isEmpty()) return name;
        String f = p.string(file);
        return name + " (" + f.substring(f.lastIndexOf('/') + 1) + ":" + line + ")";
    }

    // ---- results ----

    public Profile base() { return base; }

    public Profile target() { return target; }

    public Options options() { return options; }

    public Weight baseWeight() { return baseWeight; }

    public Weight targetWeight() { return targetWeight; }

    /** What was compared, e.g. {@code cpu/samples}, or {@code cpu/samples (base) vs cpu/count (target)}. */
    public String compared() { return compared; }

    /** The unit of the compared weight ({@code samples}, {@code nanoseconds}, {@code bytes}, ...). */
    public String unit() { return targetWeight.type().unit(); }

    /** Factor applied to base values of the compared weight: {@code targetTotal / baseTotal} when normalized, else 1. */
    public double scale() { return scale; }

    /** The whole filtered weight of each side, raw (never normalized). */
    public Change total() { return total; }

    /** The merged call tree: differential flame-graph data of both shapes. */
    public DiffTree tree() { return tree; }

    /** The base side's call tree (compared weight, base filter); {@link DiffTree#baseNode} rows index it. */
    public CallTree baseTree() { return baseTree; }

    /** The target side's call tree (compared weight, target filter); {@link DiffTree#targetNode} rows index it. */
    public CallTree targetTree() { return targetTree; }

    /** Every function present on either side, largest |self delta| first, then largest |total delta|, then name. */
    public List<FunctionDelta> functions() { return functions; }

    /** The function of that name (any line), or null when it is on neither side. */
    public FunctionDelta function(String name) {
        for (FunctionDelta f : functions) if (f.name().equals(name)) return f;
        return null;
    }

    /** Per lock kind and class, largest |time delta| first (empty without lock events). */
    public List<LockDelta> locks() { return locks; }

    /** Per lock kind, over all classes ({@code className} "*"). */
    public List<LockDelta> lockTotals() { return lockTotals; }

    /** The lock row of a kind and class ("*" = all classes), or null. */
    public LockDelta lock(LockGraph.Kind kind, String className) {
        for (LockDelta d : className.equals("*") ? lockTotals : locks) if (d.kind() == kind && d.className().equals(className)) return d;
        return null;
    }

    /** Per thread name and state, largest |delta| first (both sides JFR; else empty). */
    public List<ThreadStateDelta> threadStates() { return threadStates; }

    /** Per state over all threads (both sides JFR; else empty). */
    public List<KeyDelta> threadStateTotals() { return stateTotals; }

    /** Allocations per class or site ({@link #allocationBy()}) of {@link #allocationType()}, largest |delta| first. */
    public List<KeyDelta> allocations() { return allocations; }

    /** The allocation value type compared, or null when a side has no allocations. */
    public ValueType allocationType() { return allocationType; }

    /** {@code class} or {@code site}; empty when there are no allocations. */
    public String allocationBy() { return allocationBy; }

    /** Number of goroutines, or null when a side is not a goroutine profile. */
    public Change goroutines() { return goroutines; }

    /** Goroutines per state, largest |delta| first. */
    public List<KeyDelta> goroutineStates() { return goroutineStates; }

    /** Goroutines per stack, largest |delta| first: the leak detector. */
    public List<GoroutineStackDelta> goroutineStacks() { return goroutineStacks; }

    /** GC, heap, exceptions, compilations and I/O of two JFR recordings ({@link JvmDiff#EMPTY} otherwise). */
    public JvmDiff jvm() { return jvm; }

    /** Caveats about this comparison (mixed formats). */
    public List<String> notes() { return notes; }

    /** Whether every compared value is {@link Status#SAME}. */
    public boolean allSame() {
        if (!total.isSame()) return false;
        for (FunctionDelta f : functions) if (!f.self().isSame() || !f.total().isSame()) return false;
        for (int n = 0; n < tree.size(); n++) if (!tree.totalChange(n).isSame() || !tree.selfChange(n).isSame()) return false;
        for (LockDelta d : locks) if (!d.nanos().isSame() || !d.count().isSame()) return false;
        for (ThreadStateDelta d : threadStates) if (!d.nanos().isSame()) return false;
        for (KeyDelta d : allocations) if (!d.value().isSame()) return false;
        for (KeyDelta d : goroutineStates) if (!d.value().isSame()) return false;
        for (GoroutineStackDelta d : goroutineStacks) if (!d.count().isSame()) return false;
        for (List<KeyDelta> l : List.of(jvm.metrics(), jvm.exceptions(), jvm.io(), jvm.events())) for (KeyDelta d : l) if (!d.value().isSame()) return false;
        return goroutines == null || goroutines.isSame();
    }
}
