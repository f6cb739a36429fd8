// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

/**
 * Stacks as a prefix tree: each row is a frame plus the row of its caller's stack ({@code -1} at the root).
 * A parent row always comes before its children, and no (parent, frame) pair occurs twice, so a sample
 * stores one int and shared prefixes are stored once.
 *
 * <pre>
 *   row  frame        parent      stack of row 2 = main -> run -> work
 *   0    main         -1
 *   1    run           0
 *   2    work          1
 *   3    idle          1          stack of row 3 = main -> run -> idle
 * </pre>
 */
public final class StackTable {
    private final int[] frame, parent;
    /** Computed on first use (few analyses need it; a big profile's stacks are millions of rows). */
    private volatile int[] depth;

    StackTable(int[] frame, int[] parent) {
        this.frame = frame;
        this.parent = parent;
    }

    public int size() { return frame.length; }

    /** The leaf frame of this stack. */
    public int frame(int stackIndex) { return frame[stackIndex]; }

    /** The caller's stack, or -1 when this is a root frame. */
    public int parent(int stackIndex) { return parent[stackIndex]; }

    /** Number of frames in the stack (1 for a root). */
    public int depth(int stackIndex) {
        int[] d = depth;
        if (d == null) { // computed whole before it is published; two threads may both compute it, harmlessly
            d = new int[frame.length];
            for (int i = 0; i < frame.length; i++) d[i] = parent[i] < 0 ? 1 : d[parent[i]] + 1;
            depth = d;
        }
        return d[stackIndex];
    }
}
