// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.timeline;

import dev.kiln.model.EventKind;
import dev.kiln.model.Profile;

/**
 * What a thread was doing during one interval of its {@link ThreadTimelines} lane, and which recorded evidence
 * says so. The order of the constants is the order of the per-state totals.
 */
public enum ThreadState {
    /** Running Java code: a {@code jdk.ExecutionSample} hit the thread. */
    RUNNING,
    /** In a native method: a {@code jdk.NativeMethodSample} hit the thread. */
    RUNNABLE_NATIVE,
    /** Waiting to enter a monitor ({@code jdk.JavaMonitorEnter}). */
    BLOCKED,
    /** In {@code Object.wait} ({@code jdk.JavaMonitorWait}). */
    WAITING,
    /** In {@code LockSupport.park} ({@code jdk.ThreadPark}). */
    PARKED,
    /** In {@code Thread.sleep} ({@code jdk.ThreadSleep}). */
    SLEEPING,
    /** In socket or file I/O ({@code jdk.SocketRead/Write}, {@code jdk.FileRead/Write/Force}). */
    IO,
    /** A goroutine ready to run, waiting for a P (Go execution traces: scheduler latency). */
    RUNNABLE,
    /** A goroutine in a system call (Go execution traces). */
    SYSCALL,
    /** Alive, but nothing was recorded for this time. */
    UNKNOWN;

    private static final ThreadState[] VALUES = values();

    /** Number of states. */
    public static final int COUNT = VALUES.length;

    public static ThreadState of(int ordinal) { return VALUES[ordinal]; }

    /** The state for people: "Running", "Running native", "Blocked", "Waiting", "Parked", "Sleeping", "I/O", "Runnable", "Syscall", "Unknown". */
    public String displayName() {
        return switch (this) {
            case RUNNABLE_NATIVE -> "Running native";
            case IO -> "I/O";
            default -> name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** The state an event with a duration puts its thread in, or null for kinds that say nothing about it. */
    public static ThreadState ofEvent(EventKind kind) {
        return switch (kind) {
            case MONITOR_ENTER -> BLOCKED;
            case MONITOR_WAIT -> WAITING;
            case THREAD_PARK -> PARKED;
            case THREAD_SLEEP -> SLEEPING;
            case SOCKET_READ, SOCKET_WRITE, FILE_READ, FILE_WRITE, FILE_FORCE -> IO;
            case GO_RUNNING, GO_ON_P -> RUNNING;
            case GO_RUNNABLE -> RUNNABLE;
            case GO_SYSCALL -> SYSCALL;
            case GO_WAITING -> WAITING;
            default -> null;
        };
    }

    /**
     * The state an event row puts its thread in, or null: as {@link #ofEvent(EventKind)}, and a goroutine's wait by
     * its reason: sync (mutexes, wait groups, conditions) is {@link #BLOCKED}, network {@link #IO}, sleep
     * {@link #SLEEPING}, channels, select and the rest {@link #WAITING}.
     */
    public static ThreadState ofEvent(Profile p, int row) {
        EventKind k = p.events().kind(row);
        if (k != EventKind.GO_WAITING) return ofEvent(k);
        String reason = p.events().detail(row) < 0 ? "" : p.string(p.events().detail(row));
        if (reason.startsWith("sync")) return BLOCKED;
        if (reason.equals("network")) return IO;
        if (reason.equals("sleep")) return SLEEPING;
        return WAITING;
    }
}
