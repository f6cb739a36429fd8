// SPDX-License-Identifier: Apache-2.0
package dev.kiln.gotrace;

import dev.kiln.gotrace.Generation.BrokenTrace;
import dev.kiln.gotrace.Generation.Event;

import static dev.kiln.gotrace.GoTraceFormat.*;

/**
 * Puts the events of a trace's M streams into one order the runtime could have produced, and tells which
 * goroutine and P each event belongs to. Each M writes its own events in order, but the streams interleave only by
 * time stamps, which are not exact across threads; so, as Go's own reader does, the ordering keeps the scheduler's
 * state (every goroutine's and P's status and sequence number, which goroutine and P each M holds, the GC's
 * sequence) and takes the earliest event only when that state allows it: a goroutine starts after it became
 * runnable, a P is stolen after it entered a syscall. When the earliest event cannot go yet, the next M's is tried.
 *
 * <p>{@link #advance} answers whether an event could go; when it can, the state moves and the {@link Sink} gets
 * the event with its context as it was just before (M, P, goroutine; -1 for none). The goroutine a status or
 * creation event is about is in its arguments. Go 1.23's coroutine switch is passed on as the block of the current
 * goroutine and the start of the next, as Go's reader does.
 */
final class GoTraceOrder {
    static final long NONE = -1;
    /** States before a status event ({@link Event#extra}): */
    static final int UNDETERMINED = -2, NOT_EXIST = -3;

    interface Sink {
        void event(Generation gen, Event ev, long m, long p, long g);
    }

    private static final class GState { int status; long seqGen, seq; }
    private static final class PState { int status; long seqGen, seq; }
    private static final class MState { long g = NONE, p = NONE; }

    private final LongMap<GState> gs = new LongMap<>();
    private final LongMap<PState> ps = new LongMap<>();
    private final LongMap<MState> ms = new LongMap<>();
    private final Sink sink;
    private long initialGen;
    private long gcSeq;
    /** 0 undetermined, 1 not running, 2 running. */
    private int gcState;
    private long ctxM, ctxP, ctxG;

    /** The goroutine and thread {@link #gState} and {@link #advance} looked up last: most events are of the one before's. */
    private long lastGid = NONE, lastMid = NONE;
    private GState lastG;
    private MState lastM;

    GoTraceOrder(Sink sink) { this.sink = sink; }

    private GState gState(long id) {
        if (id == lastGid && lastG != null) return lastG;
        GState s = gs.get(id);
        if (s != null) { lastGid = id; lastG = s; }
        return s;
    }

    private void removeG(long id) {
        gs.remove(id);
        if (id == lastGid) lastG = null;
    }

    /** Number of goroutines that exist now. */
    int goroutines() { return gs.size(); }

    private void emit(Generation gen, Event ev) { sink.event(gen, ev, ctxM, ctxP, ctxG); }

    private static boolean succeeds(long gen, long seq, long prevGen, long prevSeq) {
        return gen == prevGen && seq == prevSeq + 1;
    }

    /**
     * Tries to move on with {@code ev}, read from thread {@code m}'s stream. False when it cannot go yet.
     *
     * @throws BrokenTrace when the event contradicts the state in a way no other order could fix
     */
    boolean advance(Generation gen, Event ev, long m) {
        long g = gen.number;
        if (initialGen == 0) initialGen = g;
        MState mst = null;
        if (m == NONE) {
            ctxM = NONE; ctxP = NONE; ctxG = NONE;
        } else {
            mst = m == lastMid && lastM != null ? lastM : ms.get(m);
            if (mst == null) ms.put(m, mst = new MState());
            lastMid = m;
            lastM = mst;
            ctxM = m; ctxP = mst.p; ctxG = mst.g;
        }
        long newP = ctxP, newG = ctxG;
        long[] a = ev.args;
        switch (ev.type) {
            case PROC_STATUS -> {
                long pid = a[0];
                int status = (int) a[1];
                if (status <= P_BAD || status > P_SYSCALL_ABANDONED) throw new BrokenTrace("P " + pid + " has status " + status);
                int old = procState(status);
                PState s = ps.get(pid);
                if (s != null) {
                    if (status == P_SYSCALL_ABANDONED && s.status == P_SYSCALL) {
                        old = P_RUNNING;
                        a[1] = P_SYSCALL;
                    } else if (status == P_SYSCALL_ABANDONED && s.status == P_SYSCALL_ABANDONED) {
                        old = P_IDLE;
                    } else if (s.status != status) {
                        throw new BrokenTrace("P " + pid + " has status " + status + " but was " + s.status);
                    }
                    s.seqGen = g; s.seq = 0;
                } else {
                    s = new PState();
                    s.status = status; s.seqGen = g; s.seq = 0;
                    ps.put(pid, s);
                    old = g == initialGen ? UNDETERMINED : NOT_EXIST;
                }
                ev.extra = old;
                if (status == P_RUNNING || status == P_SYSCALL) newP = pid;
                if (status == P_SYSCALL_ABANDONED && old == P_RUNNING) {
                    long[] holder = {NONE};
                    ms.forEach((id, st) -> { if (st.p == pid) { holder[0] = id; ctxP = pid; ctxG = st.g; } });
                    if (holder[0] != NONE) ctxM = holder[0];
                    else throw new BrokenTrace("no thread holds P " + pid + ", which is about to be stolen");
                }
                emit(gen, ev);
            }
            case PROC_START -> {
                long pid = a[0];
                PState s = ps.get(pid);
                if (s == null || s.status != P_IDLE || !succeeds(g, a[1], s.seqGen, s.seq) || ctxP != NONE) return false;
                require(ev, true, -1, 0);
                s.status = P_RUNNING; s.seqGen = g; s.seq = a[1];
                newP = pid;
                emit(gen, ev);
            }
            case PROC_STOP -> {
                PState s = ps.get(ctxP);
                if (s == null) throw new BrokenTrace("ProcStop for P " + ctxP + ", which does not exist");
                if (s.status != P_RUNNING && s.status != P_SYSCALL) throw new BrokenTrace("ProcStop for a P that is not running");
                require(ev, true, 1, 0);
                s.status = P_IDLE;
                newP = NONE;
                emit(gen, ev);
            }
            case PROC_STEAL -> {
                long pid = a[0];
                PState s = ps.get(pid);
                if (s == null || (s.status != P_SYSCALL && s.status != P_SYSCALL_ABANDONED)
                        || !succeeds(g, a[1], s.seqGen, s.seq)) return false;
                require(ev, true, 0, 0);
                int oldStatus = s.status;
                ev.extra = oldStatus;
                s.status = P_IDLE; s.seqGen = g; s.seq = a[1];
                if (oldStatus != P_SYSCALL_ABANDONED) {
                    long victim = a[2];
                    if (victim == ctxM) {
                        if (ctxP != pid) throw new BrokenTrace("thread " + victim + " stole P " + pid + " from itself but holds P " + ctxP);
                        newP = NONE;
                    } else {
                        MState v = ms.get(victim);
                        if (v == null) throw new BrokenTrace("P " + pid + " stolen from thread " + victim + ", which does not exist");
                        if (v.p != pid) throw new BrokenTrace("P " + pid + " stolen from thread " + victim + ", which holds P " + v.p);
                        v.p = NONE;
                    }
                }
                emit(gen, ev);
            }
            case GO_STATUS, GO_STATUS_STACK -> {
                long gid = a[0], mid = a[1];
                int status = (int) a[2];
                if (status <= G_BAD || status > G_WAITING) throw new BrokenTrace("goroutine " + gid + " has status " + status);
                int old = status;
                GState s = gState(gid);
                if (s != null) {
                    if (s.status != status) throw new BrokenTrace("goroutine " + gid + " has status " + goStatus(status) + " but was " + goStatus(s.status));
                    s.seqGen = g; s.seq = 0;
                } else if (g == initialGen) {
                    s = new GState();
                    s.status = status; s.seqGen = g;
                    gs.put(gid, s);
                    old = UNDETERMINED;
                } else {
                    throw new BrokenTrace("status of goroutine " + gid + ", which is new, after the first generation");
                }
                ev.extra = old;
                if (status == G_RUNNING) newG = gid;
                else if (status == G_SYSCALL) {
                    if (mid == NONE) throw new BrokenTrace("goroutine " + gid + " in a syscall without a thread");
                    if (mid == ctxM) {
                        if (g != initialGen && ctxG != gid) throw new BrokenTrace("syscalling goroutine " + gid + " on a thread that runs goroutine " + ctxG);
                        newG = gid;
                    } else {
                        MState other = ms.get(mid);
                        if (other != null) {
                            if (other.g != gid) throw new BrokenTrace("syscalling goroutine " + gid + " on a thread that runs goroutine " + other.g);
                            ctxG = other.g;
                        } else {
                            other = new MState();
                            other.g = gid;
                            ms.put(mid, other);
                        }
                        ctxM = mid;
                    }
                }
                emit(gen, ev);
            }
            case GO_CREATE, GO_CREATE_BLOCKED -> {
                require(ev, true, 1, 0);
                GState cur = gState(ctxG);
                if (cur != null && cur.status != G_RUNNING) throw new BrokenTrace(name(ev.type) + " by a goroutine that is not running");
                long nid = a[0];
                if (gState(nid) != null) throw new BrokenTrace("goroutine " + nid + " created twice");
                GState s = new GState();
                s.status = ev.type == GO_CREATE_BLOCKED ? G_WAITING : G_RUNNABLE;
                s.seqGen = g;
                gs.put(nid, s);
                emit(gen, ev);
            }
            case GO_DESTROY, GO_STOP, GO_BLOCK -> {
                GState s = running(ev);
                if (ev.type == GO_DESTROY) removeG(ctxG);
                else s.status = ev.type == GO_STOP ? G_RUNNABLE : G_WAITING;
                newG = NONE;
                emit(gen, ev);
            }
            case GO_START -> {
                long gid = a[0];
                GState s = gState(gid);
                if (s == null || s.status != G_RUNNABLE || !succeeds(g, a[1], s.seqGen, s.seq)) return false;
                require(ev, true, 1, -1);
                s.status = G_RUNNING; s.seqGen = g; s.seq = a[1];
                newG = gid;
                emit(gen, ev);
            }
            case GO_UNBLOCK -> {
                long gid = a[0];
                GState s = gState(gid);
                if (s == null || s.status != G_WAITING || !succeeds(g, a[1], s.seqGen, s.seq)) return false;
                s.status = G_RUNNABLE; s.seqGen = g; s.seq = a[1];
                emit(gen, ev);
            }
            case GO_SWITCH, GO_SWITCH_DESTROY -> {
                GState cur = running(ev);
                long next = a[0];
                GState s = gState(next);
                if (s == null || s.status != G_WAITING || !succeeds(g, a[1], s.seqGen, s.seq)) return false;
                emit(gen, ev);
                Event synthetic = new Event();
                synthetic.time = ev.time;
                if (ev.type == GO_SWITCH) {
                    cur.status = G_WAITING;
                    synthetic.type = GO_BLOCK;
                } else {
                    removeG(ctxG);
                    synthetic.type = GO_DESTROY;
                }
                emit(gen, synthetic);
                s.status = G_RUNNING; s.seqGen = g; s.seq = a[1];
                Event start = new Event();
                start.type = GO_START;
                start.time = ev.time;
                start.args[0] = next;
                start.args[1] = a[1];
                long saved = ctxG;
                ctxG = NONE;
                emit(gen, start);
                ctxG = saved;
                newG = next;
            }
            case GO_SYSCALL_BEGIN -> {
                GState s = running(ev);
                s.status = G_SYSCALL;
                PState p = ps.get(ctxP);
                if (p == null) throw new BrokenTrace("GoSyscallBegin on P " + ctxP + ", which has no status");
                p.status = P_SYSCALL;
                if (!succeeds(g, a[0], p.seqGen, p.seq)) throw new BrokenTrace("GoSyscallBegin out of sequence on P " + ctxP);
                p.seq = a[0];
                emit(gen, ev);
            }
            case GO_SYSCALL_END -> {
                require(ev, true, 1, 1);
                GState s = gState(ctxG);
                if (s == null || s.status != G_SYSCALL) throw new BrokenTrace("GoSyscallEnd for goroutine " + ctxG + ", which is not in a syscall");
                s.status = G_RUNNING;
                PState p = ps.get(ctxP);
                if (p == null || p.status != P_SYSCALL) throw new BrokenTrace("GoSyscallEnd on P " + ctxP + ", which is not in a syscall");
                p.status = P_RUNNING;
                emit(gen, ev);
            }
            case GO_SYSCALL_END_BLOCKED -> {
                if (ctxP != NONE) {
                    PState p = ps.get(ctxP);
                    if (p == null) throw new BrokenTrace("GoSyscallEndBlocked on P " + ctxP + ", which has no status");
                    if (p.status == P_SYSCALL) return false;
                }
                require(ev, true, 0, 1);
                GState s = gState(ctxG);
                if (s == null || s.status != G_SYSCALL) throw new BrokenTrace("GoSyscallEndBlocked for goroutine " + ctxG + ", which is not in a syscall");
                s.status = G_RUNNABLE;
                newG = NONE;
                emit(gen, ev);
            }
            case GO_CREATE_SYSCALL -> {
                require(ev, true, 0, -1);
                long nid = a[0];
                if (gState(nid) != null) throw new BrokenTrace("goroutine " + nid + " created twice");
                GState s = new GState();
                s.status = G_SYSCALL; s.seqGen = g;
                gs.put(nid, s);
                newG = nid;
                emit(gen, ev);
            }
            case GO_DESTROY_SYSCALL -> {
                require(ev, true, 0, 1);
                GState s = gState(ctxG);
                if (s == null || s.status != G_SYSCALL) throw new BrokenTrace("GoDestroySyscall for goroutine " + ctxG + ", which is not in a syscall");
                removeG(ctxG);
                newG = NONE;
                if (ctxP != NONE) {
                    PState p = ps.get(ctxP);
                    if (p == null || p.status != P_SYSCALL) throw new BrokenTrace("GoDestroySyscall on P " + ctxP + ", which is not in a syscall");
                    p.status = P_SYSCALL_ABANDONED;
                    newP = NONE;
                    Event steal = new Event();
                    steal.type = PROC_STEAL;
                    steal.time = ev.time;
                    steal.args[0] = ctxP;
                    steal.extra = P_SYSCALL;
                    emit(gen, steal);
                }
                emit(gen, ev);
            }
            case GC_ACTIVE -> {
                long seq = a[0];
                if (g == initialGen) {
                    if (gcState != 0) throw new BrokenTrace("GCActive in the first generation after other GC events");
                    gcSeq = seq; gcState = 2;
                } else {
                    if (seq != gcSeq + 1) return false;
                    if (gcState != 2) throw new BrokenTrace("GCActive while no GC runs");
                    gcSeq = seq;
                }
                emit(gen, ev);
            }
            case GC_BEGIN -> {
                long seq = a[0];
                if (gcState == 0) {
                    gcSeq = seq; gcState = 2;
                } else {
                    if (seq != gcSeq + 1) return false;
                    if (gcState == 2) throw new BrokenTrace("GCBegin while a GC runs");
                    gcSeq = seq; gcState = 2;
                }
                emit(gen, ev);
            }
            case GC_END -> {
                if (a[0] != gcSeq + 1) return false;
                if (gcState != 2) throw new BrokenTrace("GCEnd while no GC runs");
                gcSeq = a[0]; gcState = 1;
                emit(gen, ev);
            }
            case GC_SWEEP_BEGIN, GC_SWEEP_END, HEAP_ALLOC, HEAP_GOAL -> {
                require(ev, true, 1, 0);
                emit(gen, ev);
            }
            case GC_SWEEP_ACTIVE, GC_MARK_ASSIST_ACTIVE, USER_TASK_BEGIN, USER_TASK_END, CLOCK_SNAPSHOT -> emit(gen, ev);
            case STW_BEGIN, STW_END, GC_MARK_ASSIST_BEGIN, GC_MARK_ASSIST_END, USER_REGION_BEGIN, USER_REGION_END,
                 PROCS_CHANGE, GO_LABEL, USER_LOG -> {
                require(ev, true, 1, 1);
                emit(gen, ev);
            }
            default -> {
                if (ev.type >= EXPERIMENTAL_FIRST && ev.type <= EXPERIMENTAL_LAST) {
                    require(ev, true, 0, 0);
                    emit(gen, ev);
                } else {
                    throw new BrokenTrace("unexpected " + name(ev.type) + " in a batch of thread " + m);
                }
            }
        }
        if (mst != null) { mst.p = newP; mst.g = newG; }
        return true;
    }

    /** The running goroutine of the context, which the event needs. */
    private GState running(Event ev) {
        require(ev, true, 1, 1);
        GState s = gState(ctxG);
        if (s == null) throw new BrokenTrace(name(ev.type) + " for goroutine " + ctxG + ", which does not exist");
        if (s.status != G_RUNNING) throw new BrokenTrace(name(ev.type) + " for goroutine " + ctxG + ", which is not running");
        return s;
    }

    /** Context rules: thread must (true) be there; P and goroutine must (1), must not (-1) or may (0) be there. */
    private void require(Event ev, boolean thread, int p, int g) {
        String problem = null;
        if (thread && ctxM == NONE) problem = "a thread";
        else if (p == 1 && ctxP == NONE) problem = "a P";
        else if (p == -1 && ctxP != NONE) problem = "no P";
        else if (g == 1 && ctxG == NONE) problem = "a goroutine";
        else if (g == -1 && ctxG != NONE) problem = "no goroutine";
        if (problem != null) throw new BrokenTrace(name(ev.type) + " on thread " + ctxM + " needs " + problem);
    }

    /** The P state a status means (syscall counts as running, an abandoned syscall as idle). */
    private static int procState(int status) {
        return switch (status) {
            case P_RUNNING, P_SYSCALL -> P_RUNNING;
            default -> P_IDLE;
        };
    }
}
