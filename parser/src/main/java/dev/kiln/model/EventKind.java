// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

/** Kinds of events that have a duration or a peer, held in the {@link EventTable}. */
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
    CPU_LOAD("jdk.CPULoad");

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
