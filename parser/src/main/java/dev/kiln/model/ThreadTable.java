// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

/**
 * Threads (and Go goroutines). Unknown numbers are -1. For goroutines from a text dump, {@code state} is the
 * text in brackets ("chan receive"), {@code waitNanos} the reported wait (-1 if none) and
 * {@code createdByStack} the stack of the "created by" frame (-1 if none).
 */
public final class ThreadTable {
    private final int[] name;
    private final long[] javaId, osId, goroutineId, waitNanos;
    private final boolean[] virtual;
    private final int[] state, createdByStack;

    ThreadTable(int[] name, long[] javaId, long[] osId, boolean[] virtual, long[] goroutineId,
                int[] state, long[] waitNanos, int[] createdByStack) {
        this.name = name;
        this.javaId = javaId;
        this.osId = osId;
        this.virtual = virtual;
        this.goroutineId = goroutineId;
        this.state = state;
        this.waitNanos = waitNanos;
        this.createdByStack = createdByStack;
    }

    public int size() { return name.length; }

    public int name(int threadIndex) { return name[threadIndex]; }

    public long javaId(int threadIndex) { return javaId[threadIndex]; }

    public long osId(int threadIndex) { return osId[threadIndex]; }

    public boolean isVirtual(int threadIndex) { return virtual[threadIndex]; }

    public long goroutineId(int threadIndex) { return goroutineId[threadIndex]; }

    public int state(int threadIndex) { return state[threadIndex]; }

    public long waitNanos(int threadIndex) { return waitNanos[threadIndex]; }

    public int createdByStack(int threadIndex) { return createdByStack[threadIndex]; }
}
