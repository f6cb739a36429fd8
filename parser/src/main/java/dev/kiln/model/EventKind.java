// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

/**
 * Kinds of events that have a duration or a peer, held in the {@link EventTable}: the JFR event types Kiln keeps,
 * then the goroutine states and ranges of Go execution traces (whose {@link #jfrType()} is a {@code go.} name that
 * no JFR type has).
 */
public enum EventKind {
    MONITOR_ENTER("jdk.JavaMonitorEnter"),
    MONITOR_WAIT("jdk.JavaMonitorWait"),
    THREAD_PARK("jdk.ThreadPark"),
    THREAD_SLEEP("jdk.ThreadSleep"),
    SOCKET_READ("jdk.SocketRead"),
    SOCKET_WRITE("jdk.SocketWrite"),
    FILE_READ("jdk.FileRead"),
    FILE_WRITE("jdk.FileWrite"),
    FILE_FORCE("jdk.FileForce"),
    THREAD_START("jdk.ThreadStart"),
    THREAD_END("jdk.ThreadEnd"),
    GC_PAUSE("jdk.GarbageCollection"),
    CPU_LOAD("jdk.CPULoad"),
    /** A goroutine running on a P ({@code amount} = the P's id). */
    GO_RUNNING("go.Running"),
    /** A goroutine ready to run, waiting for a P ({@code detail} = the reason it stopped, when it was preempted). */
    GO_RUNNABLE("go.Runnable"),
    /** A goroutine blocked ({@code detail} = the reason: "chan receive", "sync", "network", ...). */
    GO_WAITING("go.Waiting"),
    /** A goroutine in a system call. */
    GO_SYSCALL("go.Syscall"),
    /** A P running a goroutine: {@code thread} = the P's row, {@code amount} = the goroutine's row. */
    GO_ON_P("go.OnP"),
    /** A garbage collection cycle ({@code amount} = its sequence number). */
    GO_GC("go.GC"),
    /** A goroutine assisting the GC's marking. */
    GO_MARK_ASSIST("go.MarkAssist"),
    /** Sweeping ({@code amount} = bytes swept). */
    GO_SWEEP("go.Sweep"),
    /** A runtime metric's new value, an instant: {@code detail} = its name, {@code amount} = the value. */
    GO_METRIC("go.Metric"),
    /** A user task ({@code detail} = name, {@code amount} = task id, {@code address} = parent task id or 0). */
    GO_TASK("go.Task"),
    /** A user region of a goroutine ({@code detail} = name, {@code amount} = task id or 0). */
    GO_REGION("go.Region"),
    /** A user log message, an instant ({@code detail} = "category: message", {@code amount} = task id or 0). */
    GO_LOG("go.Log"),
    /**
     * Scheduler latency as {@code go tool trace -pprof=sched} measures it: from a transition into runnable that
     * has a stack to the goroutine's next transition with a stack out of it; {@code stack} = the first one's.
     */
    GO_SCHED_DELAY("go.sched"),
    /** Blocking on channels, select and sync as {@code go tool trace -pprof=sync} measures it. */
    GO_SYNC_DELAY("go.sync"),
    /** Blocking on the network as {@code go tool trace -pprof=net} measures it. */
    GO_NET_DELAY("go.net"),
    /** Time in system calls as {@code go tool trace -pprof=syscall} measures it. */
    GO_SYSCALL_DELAY("go.syscall"),
    /**
     * The mutator's share of the Ps from this instant on, as {@code go tool trace}'s MMU page counts it (GC's
     * stop-the-worlds, background mark workers and mark assists take Ps): {@code amount} = the share in parts per
     * billion; the last one, 0, marks the trace's end.
     */
    GO_UTILIZATION("go.Utilization");

    private static final EventKind[] VALUES = values();
    private final String jfrType;

    EventKind(String jfrType) { this.jfrType = jfrType; }

    /** The JFR event type this kind is read from. */
    public String jfrType() { return jfrType; }

    public static EventKind of(int ordinal) { return VALUES[ordinal]; }

    public static EventKind ofJfrType(String type) {
        for (EventKind k : VALUES) if (k.jfrType.equals(type)) return k;
        return null;
    }
}
