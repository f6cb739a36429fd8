// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import java.util.Arrays;

/**
 * Interns the nodes of a tree: {@link #child} gives the node with a parent and a key, adding it when new, so that
 * no (parent, key) pair occurs twice and a parent is always numbered before its children. Nodes are numbered from
 * 0 in the order they are added; parent -1 stands for the roots. Used for the stack prefix tree and call trees.
 *
 * <p>How: most nodes have few children, so a node's children are a list (newest first) through two fields of its
 * row; finding a child reads rows that were written near each other, not a random slot of a table of millions of
 * entries. A parent with more than {@value #NARROW} children has them all in a hash map instead.
 */
public final class TreeIndex {
    private static final int NARROW = 8, NONE = -1, WIDE = -2;
    // Per node, 4 ints in one row (one cache line holds what a lookup reads of a node): key, parent, first child
    // (NONE, or WIDE when the children are in the map), next sibling.
    private static final int KEY = 0, PARENT = 1, HEAD = 2, NEXT = 3, ROW = 4;
    private int[] rows;
    private int size;
    private int rootHead = NONE;
    private final LongIntMap wide = new LongIntMap(64);

    public TreeIndex() { this(1024); }

    public TreeIndex(int expectedNodes) { rows = new int[Math.max(16, expectedNodes) * ROW]; }

    public int size() { return size; }

    public int key(int node) { return rows[check(node) * ROW + KEY]; }

    public int parent(int node) { return rows[check(node) * ROW + PARENT]; }

    /** The node of {@code key} under {@code parent} (-1: a root), added if new. */
    public int child(int parent, int key) {
        if (parent < -1 || parent >= size) throw new IllegalArgumentException("no node " + parent);
        int head = parent < 0 ? rootHead : rows[parent * ROW + HEAD];
        int children = 0;
        if (head == WIDE) {
            int c = wide.get(wideKey(parent, key));
            if (c >= 0) return c;
        } else {
            for (int c = head; c >= 0; c = rows[c * ROW + NEXT], children++) {
                if (rows[c * ROW + KEY] == key) return c;
            }
        }
        int node = size;
        if (node * ROW + ROW > rows.length) {
            long grown = (long) ROW * IntList.grow(rows.length / ROW);
            if (grown > Integer.MAX_VALUE - 16) throw new OutOfMemoryError("tree too large");
            rows = Arrays.copyOf(rows, (int) grown);
        }
        size++;
        int at = node * ROW;
        rows[at + KEY] = key;
        rows[at + PARENT] = parent;
        rows[at + HEAD] = NONE;
        if (head != WIDE && children < NARROW) {
            rows[at + NEXT] = head;
            setHead(parent, node);
            return node;
        }
        rows[at + NEXT] = NONE;
        if (head != WIDE) { // the list is full: move the children to the map
            for (int c = head; c >= 0; c = rows[c * ROW + NEXT]) wide.put(wideKey(parent, rows[c * ROW + KEY]), c);
            setHead(parent, WIDE);
        }
        wide.put(wideKey(parent, key), node);
        return node;
    }

    /** The keys of nodes 0 to size - 1. */
    public int[] keys() { return column(KEY); }

    /** The parents of nodes 0 to size - 1 (-1 for a root). */
    public int[] parents() { return column(PARENT); }

    private int[] column(int field) {
        int[] out = new int[size];
        for (int i = 0; i < size; i++) out[i] = rows[i * ROW + field];
        return out;
    }

    private void setHead(int parent, int head) {
        if (parent < 0) rootHead = head;
        else rows[parent * ROW + HEAD] = head;
    }

    private int check(int node) {
        if (node < 0 || node >= size) throw new IndexOutOfBoundsException(node);
        return node;
    }

    /** (parent + 1) in the high half keeps -1 representable; the key's 32 bits in the low half. */
    private static long wideKey(int parent, int key) { return ((long) (parent + 1) << 32) | (key & 0xffffffffL); }
}
