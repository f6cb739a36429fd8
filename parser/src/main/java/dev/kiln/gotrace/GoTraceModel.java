// SPDX-License-Identifier: Apache-2.0
package dev.kiln.gotrace;

import dev.kiln.gotrace.Generation.Event;
import dev.kiln.model.EventKind;
import dev.kiln.model.FrameKind;
import dev.kiln.model.GoNames;
import dev.kiln.model.LongIntMap;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileBuilder;
import dev.kiln.model.SourceFormat;
import dev.kiln.model.ValueType;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.kiln.gotrace.GoTraceFormat.*;

/**
 * Turns a trace's ordered events into the model. Goroutines and Ps become thread rows ({@code G12 main.worker},
 * {@code P 0}); each goroutine's life becomes gap-free state intervals ({@link EventKind#GO_RUNNING}, runnable,
 * waiting with its reason, syscall), each P's the goroutines it ran ({@link EventKind#GO_ON_P}); GC cycles, stop-the-
 * world pauses ({@link EventKind#GC_PAUSE}, {@code detail} = the kind), mark assists, sweeps, metrics (heap in use,
 * heap goal, GOMAXPROCS), user tasks, regions and logs become events; CPU samples a sample table.
 *
 * <p><b>Stacks of intervals.</b> A waiting or syscall interval has the stack where it blocked or entered the call; a
 * running one the stack where it stopped running (none when it exited); a runnable one the stack where it stopped
 * running or blocked before (the place it resumes at).
 *
 * <p><b>The four delay profiles</b> ({@link EventKind#GO_SCHED_DELAY} and the next three) are measured exactly as
 * {@code go tool trace -pprof=TYPE} measures them, so that exports of them equal Go's: only state transitions that
 * carry a stack count; a span opens at such a transition into the state (for sync, with a reason naming a channel,
 * select or sync; for net, the reason "network") and closes at the goroutine's next such transition into another
 * state; its stack is the opening event's (for an unblock, the unblocker's); time before the goroutine first ran is
 * left out; spans of no length are dropped.
 *
 * <p>Times follow Go's reader: trace nanoseconds, each event at least 1 ns after the one before it in the order.
 */
final class GoTraceModel implements GoTraceOrder.Sink {
    /** Counts of every ordered event by Go's event kind and of every state transition, for tests. */
    static final class Stats {
        final Map<String, Long> kinds = new TreeMap<>(), transitions = new TreeMap<>();
        final java.util.Set<Long> goroutines = new java.util.HashSet<>(), procs = new java.util.HashSet<>();
        /** Whether the mutator utilization counts GC work as Go 1.23's analysis does (see {@link GoUtilization}). */
        boolean goCompatibleUtilization;
    }

    private static final int S_UNDETERMINED = 0, S_NOT_EXIST = 1, S_RUNNABLE = 2, S_RUNNING = 3, S_SYSCALL = 4, S_WAITING = 5;
    private static final String[] STATE_NAMES = {"Undetermined", "NotExist", "Runnable", "Running", "Syscall", "Waiting"};
    private static final EventKind[] DELAYS = {EventKind.GO_SCHED_DELAY, EventKind.GO_SYNC_DELAY, EventKind.GO_NET_DELAY,
            EventKind.GO_SYSCALL_DELAY};

    /** Go's event kinds, named as its reader names them, counted for the summary. */
    private enum Kind { StateTransition, RangeBegin, RangeActive, RangeEnd, Metric, Label, StackSample, TaskBegin, TaskEnd,
        RegionBegin, RegionEnd, Log, Sync, Experimental }

    private static final class G {
        final long id;
        final int row;
        int state = S_UNDETERMINED;
        long since;
        int sinceStack = -1, reason = -1, lastStack = -1;
        String reasonText;
        long runP = -1;
        /** The rows of the open state interval and of its P's interval (-1: none), added at their start. */
        int openRow = -1, openPRow = -1;
        String name;
        int createStack = -1;
        /** First time it ran (0: never), as Go's goroutine summary's start time. */
        long firstRun;
        final long[] trackStart = new long[4];
        final int[] trackStack = new int[4], trackReason = new int[4];
        /** The row of an open delay span added at its start (-1: it waits to know when the goroutine first ran). */
        final int[] trackRow = new int[4];
        final boolean[] tracking = new boolean[4];
        long assistStart = -1, stwStart = -1;
        int assistStack = -1, stwKind = -1, stwStack = -1;
        String stwKindText = "";
        /** Its open regions (null until it opens one: most goroutines of a dense trace never do). */
        ArrayDeque<long[]> regions;

        G(long id, int row) { this.id = id; this.row = row; }
    }

    private final ProfileBuilder b;
    /** By kind: whether its rows are kept (null: all are); the count and total duration of those not. */
    private final boolean[] kept;
    private final long[] notHeldCount = new long[EventKind.values().length], notHeldNanos = new long[notHeldCount.length];
    private final int version;
    private final Stats stats;
    private final String name;
    private final LongMap<G> gs = new LongMap<>();
    /** The goroutine {@link #g} gave last (goroutines are never taken out of {@link #gs}). */
    private G lastG;
    private final GoUtilization util;
    private final LongIntMap pRows = new LongIntMap();
    private final Map<Long, long[]> pSweep = new HashMap<>();
    private final Map<Long, long[]> tasks = new HashMap<>();
    private final List<long[]> delays = new ArrayList<>();
    /** Trace stack id of this generation to its model stack + 1. */
    private LongIntMap stackCache = new LongIntMap();
    /** The block and stop reasons of this generation by trace string id. */
    private LongMap<Reason> reasons = new LongMap<>();
    private final ProfileBuilder.SampleTableBuilder cpu;
    private final int metricHeap, metricGoal, metricProcs;
    private long lastTs = Long.MIN_VALUE, firstTs = Long.MAX_VALUE;
    private long gcStart = -1, gcSeq;
    private long wallOffset;
    private boolean wallKnown;
    private final long[] kindCounts = new long[Kind.values().length];

    /**
     * {@code kinds}: the event kinds to keep in the event table (null: all); the others are followed as ever (states,
     * strings, stacks, threads, counts) but not added, so the kept rows are the whole load's.
     */
    GoTraceModel(String name, int version, Stats stats, java.util.Set<EventKind> kinds) {
        if (kinds != null) {
            kept = new boolean[EventKind.values().length];
            for (EventKind k : kinds) kept[k.ordinal()] = true;
        } else {
            kept = null;
        }
        this.name = name;
        this.version = version;
        this.stats = stats;
        util = new GoUtilization(stats != null && stats.goCompatibleUtilization);
        b = new ProfileBuilder(SourceFormat.GO_TRACE, name);
        b.producer("Go execution trace (runtime/trace, format go 1." + version + ")");
        cpu = b.sampleTable("go.CPUSample", List.of(ValueType.CPU_SAMPLES), true, false, false);
        metricHeap = b.string("/memory/classes/heap/objects:bytes");
        metricGoal = b.string("/gc/heap/goal:bytes");
        metricProcs = b.string("/sched/gomaxprocs:threads");
    }

    void incomplete(String warning) { b.incomplete(warning); }

    void startGeneration(Generation gen) {
        stackCache = new LongIntMap();
        reasons = new LongMap<>();
        if (!wallKnown && gen.snapshotWallNanos != 0) {
            wallOffset = gen.snapshotWallNanos - gen.nanos(gen.snapshotTicks);
            wallKnown = true;
        }
    }

    void endGeneration(Generation gen) {
        count(Kind.Sync);
        lastTs++;
        util.sync();
    }

    private long time(long t) {
        if (t <= lastTs) t = lastTs + 1;
        lastTs = t;
        if (t < firstTs) firstTs = t;
        return t;
    }

    private void count(Kind kind) {
        kindCounts[kind.ordinal()]++;
        if (stats != null) stats.kinds.merge(kind.name(), 1L, Long::sum);
    }

    private G g(long id) {
        G g = lastG;
        if (g != null && g.id == id) return g; // most events are of the goroutine the one before was of
        g = gs.get(id);
        if (g == null) {
            g = new G(id, b.addThread("G" + id, -1, -1, false, id, null, -1, -1));
            gs.put(id, g);
            if (stats != null) stats.goroutines.add(id);
        }
        lastG = g;
        return g;
    }

    private int pRow(long id) {
        if (stats != null) stats.procs.add(id);
        int row = pRows.get(id);
        if (row < 0) pRows.put(id, row = b.addThread("P " + id, -1, -1, false, -1, null, -1, -1));
        return row;
    }

    /** The model stack of a trace stack id of this generation; -1 for none or an unknown id. */
    private int stack(Generation gen, long id) {
        if (id == 0) return -1;
        int cached = stackCache.get(id);
        if (cached >= 0) return cached - 1;
        long[] f = gen.stacks.get(id);
        int s = -1;
        if (f != null && f.length > 0) {
            int n = f.length / 4;
            int[] frames = new int[n];
            for (int i = 0; i < n; i++) {
                String fn = gen.string(f[4 * i + 1]), file = gen.string(f[4 * i + 2]);
                if (fn == null || fn.isEmpty()) fn = "<unknown>"; // as go tool pprof names a frame without a function; the address stays on the frame
                if (file == null) file = "";
                int func = b.function(fn, GoNames.packageOf(fn), file);
                frames[i] = b.frame(func, (int) Math.min(Integer.MAX_VALUE, f[4 * i + 3]), -1, FrameKind.UNKNOWN, f[4 * i]);
            }
            s = b.stackOfLeafFirst(frames, n);
        }
        stackCache.put(id, s + 1);
        return s;
    }

    /** The entry function of a stack: its outermost frame, as Go's goroutine summary names goroutines. */
    private static String root(Generation gen, long id) {
        long[] f = id == 0 ? null : gen.stacks.get(id);
        if (f == null || f.length == 0) return null;
        return gen.string(f[f.length - 3]);
    }

    private String str(Generation gen, long id) {
        String s = gen.string(id);
        return s == null ? "" : s;
    }

    /** A block or stop reason, with what the delay profiles ask of it; its string index taken when first asked. */
    private final class Reason {
        final String text;
        final boolean sync, network;
        private int index = -2;

        Reason(String text) {
            this.text = text;
            sync = text.contains("chan") || text.contains("sync") || text.contains("select");
            network = text.equals("network");
        }

        /** Its string index, -1 for no reason. */
        int index() {
            if (index == -2) index = text.isEmpty() ? -1 : b.string(text);
            return index;
        }
    }

    private Reason reason(Generation gen, long id) {
        Reason r = reasons.get(id);
        if (r == null) reasons.put(id, r = new Reason(str(gen, id)));
        return r;
    }

    @Override
    public void event(Generation gen, Event ev, long m, long p, long curG) {
        long t = time(ev.time);
        long[] a = ev.args;
        switch (ev.type) {
            case GO_CREATE, GO_CREATE_BLOCKED -> {
                count(Kind.StateTransition);
                G n = g(a[0]);
                n.createStack = stack(gen, a[2]);
                if (n.name == null) n.name = root(gen, a[1]);
                goTransition(gen, n, S_NOT_EXIST, ev.type == GO_CREATE ? S_RUNNABLE : S_WAITING, t, a[2], false, null, p);
            }
            case GO_CREATE_SYSCALL -> { count(Kind.StateTransition); goTransition(gen, g(a[0]), S_NOT_EXIST, S_SYSCALL, t, 0, false, null, p); }
            case GO_START -> { count(Kind.StateTransition); goTransition(gen, g(a[0]), S_RUNNABLE, S_RUNNING, t, 0, false, null, p); }
            case GO_DESTROY -> { count(Kind.StateTransition); goTransition(gen, g(curG), S_RUNNING, S_NOT_EXIST, t, 0, false, null, p); }
            case GO_DESTROY_SYSCALL -> { count(Kind.StateTransition); goTransition(gen, g(curG), S_SYSCALL, S_NOT_EXIST, t, 0, false, null, p); }
            case GO_STOP, GO_BLOCK -> {
                count(Kind.StateTransition);
                G g = g(curG);
                if (g.name == null) g.name = root(gen, a[1]);
                goTransition(gen, g, S_RUNNING, ev.type == GO_STOP ? S_RUNNABLE : S_WAITING, t, a[1], true, reason(gen, a[0]), p);
            }
            case GO_UNBLOCK, GO_SWITCH, GO_SWITCH_DESTROY -> {
                count(Kind.StateTransition);
                goTransition(gen, g(a[0]), S_WAITING, S_RUNNABLE, t, ev.type == GO_UNBLOCK ? a[2] : 0, false, null, p);
            }
            case GO_SYSCALL_BEGIN -> {
                count(Kind.StateTransition);
                G g = g(curG);
                if (g.name == null) g.name = root(gen, a[1]);
                goTransition(gen, g, S_RUNNING, S_SYSCALL, t, a[1], true, null, p);
            }
            case GO_SYSCALL_END -> { count(Kind.StateTransition); goTransition(gen, g(curG), S_SYSCALL, S_RUNNING, t, 0, false, null, p); }
            case GO_SYSCALL_END_BLOCKED -> { count(Kind.StateTransition); goTransition(gen, g(curG), S_SYSCALL, S_RUNNABLE, t, 0, false, null, p); }
            case GO_STATUS, GO_STATUS_STACK -> {
                count(Kind.StateTransition);
                int old = ev.extra == GoTraceOrder.UNDETERMINED ? S_UNDETERMINED : state((int) ev.extra);
                goTransition(gen, g(a[0]), old, state((int) a[2]), t, ev.type == GO_STATUS_STACK ? a[3] : 0, true, null, p);
            }
            case PROC_START -> procTransition(a[0], "Idle", "Running");
            case PROC_STOP -> procTransition(p, "Running", "Idle");
            case PROC_STEAL -> procTransition(a[0], ev.extra == P_SYSCALL_ABANDONED ? "Idle" : "Running", "Idle");
            case PROC_STATUS -> {
                String old = ev.extra == GoTraceOrder.UNDETERMINED ? "Undetermined" : ev.extra == GoTraceOrder.NOT_EXIST
                        ? "NotExist" : ev.extra == P_RUNNING ? "Running" : "Idle";
                procTransition(a[0], old, a[1] == P_RUNNING || a[1] == P_SYSCALL ? "Running" : "Idle");
            }
            case PROCS_CHANGE -> {
                util.gomaxprocs((int) a[0]);
                metric(curG, t, metricProcs, a[0]);
            }
            case HEAP_ALLOC -> metric(curG, t, metricHeap, a[0]);
            case HEAP_GOAL -> metric(curG, t, metricGoal, a[0]);
            case STW_BEGIN -> {
                count(Kind.RangeBegin);
                G g = g(curG);
                g.stwStart = t;
                g.stwKindText = str(gen, a[0]);
                g.stwKind = b.string(g.stwKindText);
                util.stw(true, g.stwKindText);
                g.stwStack = stack(gen, a[1]);
            }
            case STW_END -> {
                count(Kind.RangeEnd);
                G g = g(curG);
                if (g.stwStart >= 0) util.stw(false, g.stwKindText);
                if (g.stwStart >= 0) lateEvent(EventKind.GC_PAUSE, g.row, g.stwStart, t - g.stwStart, g.stwStack, -1, 0, -1, g.stwKind, 0);
                g.stwStart = -1;
            }
            case GC_ACTIVE -> { count(Kind.RangeActive); gcStart = t; gcSeq = a[0]; }
            case GC_BEGIN -> { count(Kind.RangeBegin); gcStart = t; gcSeq = a[0]; }
            case GC_END -> {
                count(Kind.RangeEnd);
                if (gcStart >= 0) lateEvent(EventKind.GO_GC, -1, gcStart, t - gcStart, -1, -1, 0, -1, -1, a[0]);
                gcStart = -1;
            }
            case GC_SWEEP_ACTIVE -> { count(Kind.RangeActive); pSweep.put(a[0], new long[] {t, -1, -1}); }
            case GC_SWEEP_BEGIN -> { count(Kind.RangeBegin); pSweep.put(p, new long[] {t, stack(gen, a[0]), curG}); }
            case GC_SWEEP_END -> {
                count(Kind.RangeEnd);
                long[] s = pSweep.remove(p);
                if (s != null) {
                    int row = s[2] > 0 ? g(s[2]).row : pRow(p);
                    lateEvent(EventKind.GO_SWEEP, row, s[0], t - s[0], (int) s[1], -1, 0, -1, -1, a[0]);
                }
            }
            case GC_MARK_ASSIST_ACTIVE -> {
                count(Kind.RangeActive);
                G g = g(a[0]);
                g.assistStart = t;
                g.assistStack = -1;
                G ctx = gs.get(curG);
                util.assistActive(p, a[0], ctx != null && executing(ctx.state));
            }
            case GC_MARK_ASSIST_BEGIN -> {
                count(Kind.RangeBegin);
                G g = g(curG);
                g.assistStart = t;
                g.assistStack = stack(gen, a[0]);
                util.assist(true, p, curG);
            }
            case GC_MARK_ASSIST_END -> {
                count(Kind.RangeEnd);
                util.assist(false, p, curG);
                G g = g(curG);
                if (g.assistStart >= 0) lateEvent(EventKind.GO_MARK_ASSIST, g.row, g.assistStart, t - g.assistStart, g.assistStack, -1, 0, -1, -1, 0);
                g.assistStart = -1;
            }
            case GO_LABEL -> {
                count(Kind.Label);
                util.label(p, curG, str(gen, a[0]));
            }
            case USER_TASK_BEGIN -> {
                count(Kind.TaskBegin);
                tasks.put(a[0], new long[] {t, b.string(str(gen, a[2])), a[1], curG > 0 ? g(curG).row : -1, stack(gen, a[3])});
            }
            case USER_TASK_END -> {
                count(Kind.TaskEnd);
                long[] task = tasks.remove(a[0]);
                if (task != null) lateEvent(EventKind.GO_TASK, (int) task[3], task[0], t - task[0], (int) task[4], -1, task[2], -1, (int) task[1], a[0]);
            }
            case USER_REGION_BEGIN -> {
                count(Kind.RegionBegin);
                G g = g(curG);
                int nameIndex = b.string(str(gen, a[1])), stack = stack(gen, a[2]);
                int row = event(EventKind.GO_REGION, g.row, t, 0, stack, -1, 0, -1, nameIndex, a[0]);
                if (g.regions == null) g.regions = new ArrayDeque<>(4);
                g.regions.push(new long[] {t, nameIndex, a[0], stack, row});
            }
            case USER_REGION_END -> {
                count(Kind.RegionEnd);
                G g = g(curG);
                int nameIndex = b.string(str(gen, a[1]));
                long[] r = g.regions == null || g.regions.isEmpty() || g.regions.peek()[1] != nameIndex ? null : g.regions.pop();
                if (r != null) eventEnds((int) r[4], t - r[0], (int) r[3]);
                else lateEvent(EventKind.GO_REGION, g.row, firstTs, t - firstTs, stack(gen, a[2]), -1, 0, -1, nameIndex, a[0]);
            }
            case USER_LOG -> {
                count(Kind.Log);
                String key = str(gen, a[1]), value = str(gen, a[2]);
                event(EventKind.GO_LOG, curG > 0 ? g(curG).row : -1, t, 0, stack(gen, a[3]), -1, 0, -1,
                        b.string(key.isEmpty() ? value : key + ": " + value), a[0]);
            }
            case CLOCK_SNAPSHOT -> { }
            default -> count(Kind.Experimental);
        }
        util.after(t);
    }

    /**
     * The builder's {@link ProfileBuilder#event}, for a kept kind; an event of another kind is counted, and its row is
     * {@code -2 - kind}, which {@link #eventEnds} adds the duration of to its kind's total. -1 stays "no row".
     */
    private int event(EventKind kind, int thread, long start, long duration, int stack, int clazz, long address,
                      int otherThread, int detail, long amount) {
        if (kept != null && !kept[kind.ordinal()]) {
            notHeldCount[kind.ordinal()]++;
            notHeldNanos[kind.ordinal()] += Math.max(0, duration);
            return -2 - kind.ordinal();
        }
        return b.event(kind, thread, start, duration, stack, clazz, address, otherThread, detail, amount);
    }

    private void lateEvent(EventKind kind, int thread, long start, long duration, int stack, int clazz, long address,
                           int otherThread, int detail, long amount) {
        if (kept == null || kept[kind.ordinal()]) b.lateEvent(kind, thread, start, duration, stack, clazz, address, otherThread, detail, amount);
        else event(kind, thread, start, duration, stack, clazz, address, otherThread, detail, amount);
    }

    /** The end of a row {@link #event} gave (each row ends once: the duration it had was 0). */
    private void eventEnds(int row, long duration, int stack) {
        if (row >= 0) b.eventEnds(row, duration, stack);
        else if (row < -1) notHeldNanos[-2 - row] += Math.max(0, duration);
    }

    private void dropEvent(int row) {
        if (row >= 0) b.dropEvent(row);
        else if (row < -1) notHeldCount[-2 - row]--; // a span that never closed: its duration is still 0
    }

    private static boolean executing(int state) { return state == S_RUNNING || state == S_SYSCALL; }

    void cpuSample(Generation gen, int i, long[] times) {
        long t = time(times[i]);
        count(Kind.StackSample);
        long goroutine = gen.cpuG.get(i);
        cpu.add(stack(gen, gen.cpuStack.get(i)), goroutine == 0 ? -1 : g(goroutine).row, t, -1, 1);
    }

    private void metric(long curG, long t, int metricName, long value) {
        count(Kind.Metric);
        event(EventKind.GO_METRIC, curG > 0 ? g(curG).row : -1, t, 0, -1, -1, 0, -1, metricName, value);
    }

    private static int state(int goStatus) {
        return switch (goStatus) {
            case G_RUNNABLE -> S_RUNNABLE;
            case G_RUNNING -> S_RUNNING;
            case G_SYSCALL -> S_SYSCALL;
            default -> S_WAITING;
        };
    }

    private void procTransition(long pid, String from, String to) {
        count(Kind.StateTransition);
        pRow(pid);
        if (stats != null) stats.transitions.merge("Proc " + from + "->" + to, 1L, Long::sum);
    }

    /**
     * A goroutine goes from {@code from} to {@code to} at {@code t}; {@code traceStack} is the event's stack id (0:
     * none), {@code own} whether that stack is the goroutine's own (not its creator's or unblocker's), {@code reason}
     * the block or stop reason (null: none), {@code p} the P of the event's context.
     */
    private void goTransition(Generation gen, G g, int from, int to, long t, long traceStack, boolean own, Reason reason, long p) {
        if (stats != null) stats.transitions.merge("Goroutine " + STATE_NAMES[from] + "->" + STATE_NAMES[to], 1L, Long::sum);
        int stack = stack(gen, traceStack);
        util.transition(p, g.id, executing(from), executing(to));
        if (from == to) {
            if (traceStack != 0) delays(g, to, t, stack, reason);
            return;
        }
        if (g.state != S_UNDETERMINED && g.state != S_NOT_EXIST) closeInterval(g, t, own ? stack : -1);
        if (own && stack >= 0) g.lastStack = stack;
        if (to == S_RUNNING) {
            g.runP = p;
            if (g.firstRun == 0) g.firstRun = t;
        }
        g.state = to;
        g.since = t;
        g.sinceStack = g.lastStack;
        g.reason = reason == null ? -1 : reason.index();
        g.reasonText = reason == null ? null : reason.text;
        openInterval(g);
        // after the state's row, so that a delay span's row follows it, as when the span was added at its end
        if (traceStack != 0) delays(g, to, t, stack, reason);
    }

    /** Adds the goroutine's new state interval at its start (rows so stay in start order); it ends at the next transition. */
    private void openInterval(G g) {
        g.openRow = g.openPRow = -1;
        switch (g.state) {
            case S_RUNNING -> {
                g.openRow = event(EventKind.GO_RUNNING, g.row, g.since, 0, -1, -1, 0, -1, -1, g.runP);
                if (g.runP >= 0) g.openPRow = event(EventKind.GO_ON_P, pRow(g.runP), g.since, 0, -1, -1, 0, -1, -1, g.row);
            }
            case S_RUNNABLE -> g.openRow = event(EventKind.GO_RUNNABLE, g.row, g.since, 0, g.sinceStack, -1, 0, -1, g.reason, 0);
            case S_WAITING -> g.openRow = event(EventKind.GO_WAITING, g.row, g.since, 0, g.sinceStack, -1, 0, -1, g.reason, 0);
            case S_SYSCALL -> g.openRow = event(EventKind.GO_SYSCALL, g.row, g.since, 0, g.sinceStack, -1, 0, -1, -1, 0);
            default -> { }
        }
    }

    private void closeInterval(G g, long t, int endStack) {
        long d = t - g.since;
        if (g.state == S_RUNNING) {
            eventEnds(g.openRow, d, endStack);
            if (g.openPRow != -1) eventEnds(g.openPRow, d, endStack);
            if (endStack >= 0) g.lastStack = endStack;
        } else {
            eventEnds(g.openRow, d, g.sinceStack);
        }
        g.openRow = g.openPRow = -1;
    }

    /** The four go tool trace profiles' span tracking, on a transition that carries a stack ({@code why} null: no reason). */
    private void delays(G g, int to, long t, int stack, Reason why) {
        for (int k = 0; k < 4; k++) {
            int state = k == 0 ? S_RUNNABLE : k == 3 ? S_SYSCALL : S_WAITING;
            if (!g.tracking[k]) {
                if (to == state && (k == 0 || k == 3 || (why != null && (k == 1 ? why.sync : why.network)))) {
                    g.tracking[k] = true;
                    g.trackStart[k] = t;
                    g.trackStack[k] = stack;
                    g.trackReason[k] = why == null ? -1 : why.index();
                    // it ran before, so the span starts here and is longer than 0 when it closes (times grow): its row
                    // now, in start order, rather than a late row to merge
                    g.trackRow[k] = g.firstRun != 0 ? event(DELAYS[k], g.row, t, 0, stack, -1, 0, -1, g.trackReason[k], 0) : -1;
                }
            } else if (to != state) {
                g.tracking[k] = false;
                if (g.trackRow[k] != -1) {
                    eventEnds(g.trackRow[k], t - g.trackStart[k], g.trackStack[k]);
                } else if (g.firstRun != 0) { // its start is known: time before the first run is left out
                    long start = Math.max(g.trackStart[k], g.firstRun);
                    if (t - start > 0) lateEvent(DELAYS[k], g.row, start, t - start, g.trackStack[k], -1, 0, -1, g.trackReason[k], 0);
                } else { // whether it ever runs decides
                    delays.add(new long[] {k, g.id, g.trackStart[k], t, g.trackStack[k], g.trackReason[k]});
                }
            }
        }
    }

    Profile build(int generations) {
        long end = Math.max(lastTs, firstTs);
        gs.forEachValue(g -> {
            if (g.state != S_UNDETERMINED && g.state != S_NOT_EXIST) closeInterval(g, end, -1);
            for (int k = 0; k < 4; k++) if (g.tracking[k] && g.trackRow[k] != -1) dropEvent(g.trackRow[k]); // never closed: no span
            if (g.assistStart >= 0) lateEvent(EventKind.GO_MARK_ASSIST, g.row, g.assistStart, end - g.assistStart, g.assistStack, -1, 0, -1, -1, 0);
            while (g.regions != null && !g.regions.isEmpty()) {
                long[] r = g.regions.pop();
                eventEnds((int) r[4], end - r[0], (int) r[3]);
            }
            String state = switch (g.state) {
                case S_RUNNING -> "running";
                case S_RUNNABLE -> "runnable";
                case S_SYSCALL -> "syscall";
                case S_WAITING -> g.reason >= 0 ? g.reasonText : "waiting";
                case S_NOT_EXIST -> "exited";
                default -> null;
            };
            b.threadDetails(g.row, "G" + g.id + (g.name != null ? " " + g.name : ""), state, g.createStack);
        });
        if (gcStart >= 0) lateEvent(EventKind.GO_GC, -1, gcStart, end - gcStart, -1, -1, 0, -1, -1, gcSeq);
        for (long[] task : tasks.values()) lateEvent(EventKind.GO_TASK, (int) task[3], task[0], end - task[0], (int) task[4], -1, task[2], -1, (int) task[1], 0);
        for (long[] d : delays) {
            G g = gs.get(d[1]);
            long start = g.firstRun == 0 ? d[2] : Math.max(d[2], g.firstRun);
            if (d[3] - start > 0) lateEvent(DELAYS[(int) d[0]], g.row, start, d[3] - start, (int) d[4], -1, 0, -1, (int) d[5], 0);
        }
        util.end(end);
        for (int i = 0; i < util.times.size(); i++) {
            lateEvent(EventKind.GO_UTILIZATION, -1, util.times.get(i), 0, -1, -1, 0, -1, -1, Math.round(util.util(i) * 1e9));
        }
        TreeMap<String, Long> counts = new TreeMap<>(); // by name, as they were always given
        if (kept != null) for (EventKind k : EventKind.values()) if (!kept[k.ordinal()]) b.eventsNotHeld(k, notHeldCount[k.ordinal()], notHeldNanos[k.ordinal()]);
        for (Kind k : Kind.values()) if (kindCounts[k.ordinal()] > 0) counts.put(k.name(), kindCounts[k.ordinal()]);
        counts.forEach(b::count);
        long start = firstTs == Long.MAX_VALUE ? 0 : firstTs;
        b.timeSpan(start, end - start);
        if (wallKnown) b.comment("trace time 0 is " + java.time.Instant.ofEpochSecond(0, wallOffset) + " (wall clock)");
        b.comment(generations + " generation" + (generations == 1 ? "" : "s") + ", " + gs.size() + " goroutines, "
                + pRows.size() + " Ps");
        b.period(new ValueType("cpu", "nanoseconds"), 10_000_000L);
        b.defaultValueType(ValueType.CPU_SAMPLES);
        return b.build();
    }
}
