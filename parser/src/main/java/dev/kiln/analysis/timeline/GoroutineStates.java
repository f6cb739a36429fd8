// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.timeline;

import dev.kiln.analysis.Filter;
import dev.kiln.model.Profile;
import dev.kiln.model.SampleTable;
import dev.kiln.model.StackTable;
import dev.kiln.model.ThreadTable;
import dev.kiln.model.ValueType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Goroutine counts per state and per stack for Go goroutine profiles (debug=2 tracebacks, debug=1 count text,
 * pprof {@code goroutine/count}). These are snapshots without timestamps: <b>there is no timeline for this
 * format</b>, and the result says so ({@link #hasTimeline()} is false, {@link #note()} explains).
 *
 * <p><b>States.</b> A debug=2 dump records each goroutine's state (the text in brackets: "chan receive",
 * "semacquire", ...); those are used as they are ({@link #stateSource()} = {@value #RECORDED}). The other forms
 * record only stacks; the state is then derived from the first frame, leaf first, that names a known blocking
 * point ({@value #DERIVED}), with the wording of Go 1.19's wait reasons:
 * {@code runtime.chanrecv*} "chan receive", {@code runtime.chansend*} "chan send", {@code runtime.selectgo}
 * "select", {@code runtime.block} "select (no cases)", {@code sync.runtime_Semacquire*} / {@code runtime.semacquire1}
 * "semacquire", {@code sync.runtime_notifyListWait} "sync.Cond.Wait", {@code time.Sleep} "sleep",
 * {@code internal/poll.runtime_pollWait} / {@code runtime.netpollblock} "IO wait"; everything else is
 * {@value #UNKNOWN_STATE} (running and runnable goroutines cannot be told apart from stacks, and debug=1 text
 * omits {@code runtime.*} frames, so channel and select waits stay unknown there).
 *
 * <p><b>Wait times.</b> debug=2 shows ", N minutes" only for goroutines blocked a minute or more; a goroutine
 * without it is counted under {@code "<1 min"} (this includes running goroutines). Other forms record no wait and
 * count under {@code "not recorded"}. Buckets: {@link #WAIT_BUCKETS}, lower bounds inclusive.
 *
 * <p>Only the thread conditions of the {@link Filter} apply (to debug=2 goroutine rows; rows without a goroutine
 * are kept only when no thread condition is set).
 */
public record GoroutineStates(String format, boolean hasTimeline, String note, String stateSource, long goroutines,
                              List<String> waitBuckets, List<StateGroup> byState, List<StackGroup> byStack) {
    public static final String RECORDED = "recorded in the dump";
    public static final String DERIVED = "derived from the stack (not recorded)";
    public static final String UNKNOWN_STATE = "unknown";
    public static final String NO_TIMELINE = "Goroutine profiles are snapshots without timestamps: there is no "
            + "timeline for this format, only counts at the moment of the dump.";
    /** Wait-time buckets, in this order in every histogram. */
    public static final List<String> WAIT_BUCKETS = List.of("<1 min", "1-5 min", "5-30 min", "30+ min", "not recorded");

    /** Goroutines in one state and their wait histogram (counts per {@link #WAIT_BUCKETS} entry). */
    public record StateGroup(String state, long goroutines, long[] waitHistogram) { }

    /**
     * Goroutines with one stack: the stack row, its frames leaf first, their count per state and wait histogram.
     */
    public record StackGroup(int stack, List<String> frames, long goroutines, Map<String, Long> states,
                             long[] waitHistogram) {
        public String topFunction() { return frames.isEmpty() ? "<no frames>" : frames.get(0); }

        /** The first frame, leaf first, outside package {@code runtime} (where the goroutine's own code waits). */
        public String site() {
            for (String f : frames) if (!f.startsWith("runtime.")) return f;
            return topFunction();
        }
    }

    private static final String[][] DERIVATION = {
            {"runtime.chanrecv", "chan receive"}, {"runtime.chanrecv1", "chan receive"}, {"runtime.chanrecv2", "chan receive"},
            {"runtime.chansend", "chan send"}, {"runtime.chansend1", "chan send"},
            {"runtime.selectgo", "select"}, {"runtime.block", "select (no cases)"},
            {"sync.runtime_SemacquireMutex", "semacquire"}, {"sync.runtime_Semacquire", "semacquire"},
            {"sync.runtime_SemacquireRWMutex", "semacquire"}, {"sync.runtime_SemacquireRWMutexR", "semacquire"},
            {"runtime.semacquire1", "semacquire"},
            {"sync.runtime_notifyListWait", "sync.Cond.Wait"},
            {"time.Sleep", "sleep"},
            {"internal/poll.runtime_pollWait", "IO wait"}, {"runtime.netpollblock", "IO wait"},
    };
    private static final Map<String, String> DERIVED_STATE = new HashMap<>();

    static {
        for (String[] d : DERIVATION) DERIVED_STATE.put(d[0], d[1]);
    }

    /** The goroutine value type, or null when the profile is not a goroutine profile. */
    public static ValueType goroutineType(Profile p) {
        for (ValueType v : p.valueTypes()) if (v.kind().equals("goroutine") && v.unit().equals("count")) return v;
        return null;
    }

    /** Whether {@link #of} applies to a profile. */
    public static boolean applies(Profile p) { return goroutineType(p) != null; }

    public static GoroutineStates of(Profile p, Filter filter) {
        ValueType vt = goroutineType(p);
        if (vt == null) throw new IllegalArgumentException(p.sourceName() + " is not a goroutine profile");
        if (filter == null) filter = Filter.NONE;
        SampleTable t = p.tableOf(vt);
        int col = t.valueTypes().indexOf(vt);
        ThreadTable threads = p.threads();
        boolean recorded = false;
        for (int r = 0; r < t.size() && !recorded; r++) {
            int th = t.thread(r);
            recorded = th >= 0 && threads.state(th) >= 0;
        }
        Map<String, long[]> states = new LinkedHashMap<>(); // state -> [count, hist...]
        Map<Integer, StackAcc> stacks = new LinkedHashMap<>();
        long total = 0;
        for (int r = 0; r < t.size(); r++) {
            int th = t.thread(r);
            if (!filter.acceptsThread(p, th)) continue;
            long n = t.value(col, r);
            if (n == 0) continue;
            String state;
            int bucket;
            if (th >= 0 && threads.state(th) >= 0) {
                state = p.string(threads.state(th));
                bucket = bucket(threads.waitNanos(th));
            } else {
                state = recorded ? UNKNOWN_STATE : derive(p, t.stack(r));
                bucket = WAIT_BUCKETS.size() - 1;
            }
            total += n;
            long[] s = states.computeIfAbsent(state, k -> new long[1 + WAIT_BUCKETS.size()]);
            s[0] += n;
            s[1 + bucket] += n;
            StackAcc a = stacks.computeIfAbsent(t.stack(r), k -> new StackAcc());
            a.count += n;
            a.hist[bucket] += n;
            a.states.merge(state, n, Long::sum);
        }
        List<StateGroup> byState = new ArrayList<>();
        states.forEach((k, v) -> byState.add(new StateGroup(k, v[0], java.util.Arrays.copyOfRange(v, 1, v.length))));
        byState.sort(Comparator.comparingLong(StateGroup::goroutines).reversed().thenComparing(StateGroup::state));
        List<StackGroup> byStack = new ArrayList<>();
        stacks.forEach((s, a) -> byStack.add(new StackGroup(s, frames(p, s), a.count, sortedByCount(a.states), a.hist)));
        byStack.sort(Comparator.comparingLong(StackGroup::goroutines).reversed().thenComparing(StackGroup::topFunction));
        return new GoroutineStates(p.format().label(), false, NO_TIMELINE, recorded ? RECORDED : DERIVED, total,
                WAIT_BUCKETS, List.copyOf(byState), List.copyOf(byStack));
    }

    /** Count of goroutines in a state, 0 when none. */
    public long count(String state) {
        for (StateGroup g : byState) if (g.state.equals(state)) return g.goroutines;
        return 0;
    }

    /** Index into {@link #WAIT_BUCKETS} of a debug=2 wait (-1 = none shown, i.e. under a minute). */
    static int bucket(long waitNanos) {
        long minutes = waitNanos < 0 ? 0 : waitNanos / 60_000_000_000L;
        return minutes < 1 ? 0 : minutes < 5 ? 1 : minutes < 30 ? 2 : 3;
    }

    /** The state a stack implies (see the class comment), or {@value #UNKNOWN_STATE}. */
    static String derive(Profile p, int stack) {
        StackTable st = p.stacks();
        for (int s = stack; s >= 0; s = st.parent(s)) {
            String d = DERIVED_STATE.get(p.frameName(st.frame(s)));
            if (d != null) return d;
        }
        return UNKNOWN_STATE;
    }

    private static List<String> frames(Profile p, int stack) {
        List<String> f = new ArrayList<>();
        for (int s = stack; s >= 0; s = p.stacks().parent(s)) f.add(p.frameName(p.stacks().frame(s)));
        return List.copyOf(f);
    }

    private static Map<String, Long> sortedByCount(Map<String, Long> m) {
        Map<String, Long> r = new LinkedHashMap<>();
        m.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).forEach(e -> r.put(e.getKey(), e.getValue()));
        return r;
    }

    private static final class StackAcc {
        long count;
        final long[] hist = new long[WAIT_BUCKETS.size()];
        final Map<String, Long> states = new HashMap<>();
    }
}
