// SPDX-License-Identifier: Apache-2.0
package dev.kiln.gotrace;

/**
 * The numbers of the Go 1.22+ execution trace format (headers {@code go 1.22 trace} to {@code go 1.25 trace}): event
 * types, how many arguments each has, their names, and the goroutine and P statuses. Go's own sources define them
 * ({@code internal/trace/event/go122/event.go} for 1.22-1.24, {@code internal/trace/tracev2/events.go} since 1.25);
 * 1.25 only adds the sync batch and clock snapshots after the last 1.23 number.
 *
 * <p>Every event is a type byte and unsigned LEB128 arguments. Events of the per-M batches ("timed" events) have
 * the time since the batch's previous event (in ticks) as their first argument; {@link #argCount} counts it.
 */
final class GoTraceFormat {
    private GoTraceFormat() { }

    static final int EV_EVENT_BATCH = 1, EV_STACKS = 2, EV_STACK = 3, EV_STRINGS = 4, EV_STRING = 5,
            EV_CPU_SAMPLES = 6, EV_CPU_SAMPLE = 7, EV_FREQUENCY = 8;
    static final int PROCS_CHANGE = 9, PROC_START = 10, PROC_STOP = 11, PROC_STEAL = 12, PROC_STATUS = 13;
    static final int GO_CREATE = 14, GO_CREATE_SYSCALL = 15, GO_START = 16, GO_DESTROY = 17, GO_DESTROY_SYSCALL = 18,
            GO_STOP = 19, GO_BLOCK = 20, GO_UNBLOCK = 21, GO_SYSCALL_BEGIN = 22, GO_SYSCALL_END = 23,
            GO_SYSCALL_END_BLOCKED = 24, GO_STATUS = 25;
    static final int STW_BEGIN = 26, STW_END = 27;
    static final int GC_ACTIVE = 28, GC_BEGIN = 29, GC_END = 30, GC_SWEEP_ACTIVE = 31, GC_SWEEP_BEGIN = 32,
            GC_SWEEP_END = 33, GC_MARK_ASSIST_ACTIVE = 34, GC_MARK_ASSIST_BEGIN = 35, GC_MARK_ASSIST_END = 36,
            HEAP_ALLOC = 37, HEAP_GOAL = 38;
    static final int GO_LABEL = 39, USER_TASK_BEGIN = 40, USER_TASK_END = 41, USER_REGION_BEGIN = 42,
            USER_REGION_END = 43, USER_LOG = 44;
    /** Go 1.23. */
    static final int GO_SWITCH = 45, GO_SWITCH_DESTROY = 46, GO_CREATE_BLOCKED = 47, GO_STATUS_STACK = 48,
            EV_EXPERIMENTAL_BATCH = 49;
    /** Go 1.25: the sync batch (frequency and clock snapshot) that starts a generation. */
    static final int EV_SYNC = 50, CLOCK_SNAPSHOT = 51;
    /** Experimental events (alloc/free experiment, Go 1.23): 128 to 136. */
    static final int EXPERIMENTAL_FIRST = 128, EXPERIMENTAL_LAST = 136;

    /** Goroutine statuses as the trace writes them. */
    static final int G_BAD = 0, G_RUNNABLE = 1, G_RUNNING = 2, G_SYSCALL = 3, G_WAITING = 4;
    /** P statuses as the trace writes them. */
    static final int P_BAD = 0, P_RUNNING = 1, P_IDLE = 2, P_SYSCALL = 3, P_SYSCALL_ABANDONED = 4;

    static final int MAX_BATCH_SIZE = 64 << 10, MAX_FRAMES_PER_STACK = 128, MAX_STRING_SIZE = 1 << 10;
    /** Most arguments of a timed event, the time delta included. */
    static final int MAX_ARGS = 5;

    private static final int[] ARGS = new int[256];
    private static final String[] NAMES = new String[256];

    private static void spec(int type, String name, int args) { NAMES[type] = name; ARGS[type] = args; }

    static {
        java.util.Arrays.fill(ARGS, -1);
        spec(PROCS_CHANGE, "ProcsChange", 3);
        spec(PROC_START, "ProcStart", 3);
        spec(PROC_STOP, "ProcStop", 1);
        spec(PROC_STEAL, "ProcSteal", 4);
        spec(PROC_STATUS, "ProcStatus", 3);
        spec(GO_CREATE, "GoCreate", 4);
        spec(GO_CREATE_SYSCALL, "GoCreateSyscall", 2);
        spec(GO_START, "GoStart", 3);
        spec(GO_DESTROY, "GoDestroy", 1);
        spec(GO_DESTROY_SYSCALL, "GoDestroySyscall", 1);
        spec(GO_STOP, "GoStop", 3);
        spec(GO_BLOCK, "GoBlock", 3);
        spec(GO_UNBLOCK, "GoUnblock", 4);
        spec(GO_SYSCALL_BEGIN, "GoSyscallBegin", 3);
        spec(GO_SYSCALL_END, "GoSyscallEnd", 1);
        spec(GO_SYSCALL_END_BLOCKED, "GoSyscallEndBlocked", 1);
        spec(GO_STATUS, "GoStatus", 4);
        spec(STW_BEGIN, "STWBegin", 3);
        spec(STW_END, "STWEnd", 1);
        spec(GC_ACTIVE, "GCActive", 2);
        spec(GC_BEGIN, "GCBegin", 3);
        spec(GC_END, "GCEnd", 2);
        spec(GC_SWEEP_ACTIVE, "GCSweepActive", 2);
        spec(GC_SWEEP_BEGIN, "GCSweepBegin", 2);
        spec(GC_SWEEP_END, "GCSweepEnd", 3);
        spec(GC_MARK_ASSIST_ACTIVE, "GCMarkAssistActive", 2);
        spec(GC_MARK_ASSIST_BEGIN, "GCMarkAssistBegin", 2);
        spec(GC_MARK_ASSIST_END, "GCMarkAssistEnd", 1);
        spec(HEAP_ALLOC, "HeapAlloc", 2);
        spec(HEAP_GOAL, "HeapGoal", 2);
        spec(GO_LABEL, "GoLabel", 2);
        spec(USER_TASK_BEGIN, "UserTaskBegin", 5);
        spec(USER_TASK_END, "UserTaskEnd", 3);
        spec(USER_REGION_BEGIN, "UserRegionBegin", 4);
        spec(USER_REGION_END, "UserRegionEnd", 4);
        spec(USER_LOG, "UserLog", 5);
        spec(GO_SWITCH, "GoSwitch", 3);
        spec(GO_SWITCH_DESTROY, "GoSwitchDestroy", 3);
        spec(GO_CREATE_BLOCKED, "GoCreateBlocked", 4);
        spec(GO_STATUS_STACK, "GoStatusStack", 5);
        spec(CLOCK_SNAPSHOT, "ClockSnapshot", 4);
        spec(128, "Span", 4);
        spec(129, "SpanAlloc", 4);
        spec(130, "SpanFree", 2);
        spec(131, "HeapObject", 3);
        spec(132, "HeapObjectAlloc", 3);
        spec(133, "HeapObjectFree", 2);
        spec(134, "GoroutineStack", 3);
        spec(135, "GoroutineStackAlloc", 3);
        spec(136, "GoroutineStackFree", 2);
    }

    /** Arguments of a timed event type including its time delta, or -1 when the type is not a timed event. */
    static int argCount(int type) { return ARGS[type & 0xff]; }

    /** Whether the version's writer may put this type into a per-M batch. */
    static boolean isTimed(int type, int version) {
        if (ARGS[type & 0xff] < 0) return false;
        if (type == CLOCK_SNAPSHOT) return version >= 25;
        if (type >= GO_SWITCH && type <= GO_STATUS_STACK) return version >= 23;
        if (type >= EXPERIMENTAL_FIRST) return version >= 23;
        return true;
    }

    static String name(int type) {
        String n = NAMES[type & 0xff];
        return n != null ? n : "event type " + (type & 0xff);
    }

    /** The stack argument (index into the arguments after the time delta, 0-based), or -1 if the event has none. */
    static int stackArg(int type) {
        return switch (type) {
            case PROCS_CHANGE, GO_STOP, GO_BLOCK, GO_SYSCALL_BEGIN, STW_BEGIN, GC_BEGIN, USER_TASK_END -> 1;
            case GO_UNBLOCK, USER_REGION_BEGIN, USER_REGION_END, GO_STATUS_STACK -> type == GO_STATUS_STACK ? 3 : 2;
            case GO_CREATE, GO_CREATE_BLOCKED -> 2;
            case GC_SWEEP_BEGIN, GC_MARK_ASSIST_BEGIN -> 0;
            case USER_TASK_BEGIN, USER_LOG -> 3;
            default -> -1;
        };
    }

    static String goStatus(int s) {
        return switch (s) {
            case G_RUNNABLE -> "Runnable";
            case G_RUNNING -> "Running";
            case G_SYSCALL -> "Syscall";
            case G_WAITING -> "Waiting";
            default -> "Bad";
        };
    }
}
