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
 * entries. A parent with more than {@value #NARROW} children has them all in a hash map instead. The rows are kept
 * in blocks of {@value #BLOCK_ROWS}, so that growing copies nothing and allocates no huge array.
 */
public final class TreeIndex {
    private static final int NARROW = 8, NONE = -1, WIDE = -2;
    // Per node, 4 ints in one row (one cache line holds what a lookup reads of a node): key, parent, first child
    // (NONE, or WIDE when the children are in the map), next sibling.
    private static final int KEY = 0, PARENT = 1, HEAD = 2, NEXT = 3, ROW = 4;
    private static final int BLOCK_SHIFT = 14, BLOCK_ROWS = 1 << BLOCK_SHIFT, BLOCK_MASK = BLOCK_ROWS - 1;
    private int[][] blocks = new int[16][];
    private int size;
    private int rootHead = NONE;
    private final LongIntMap wide = new LongIntMap(64);

    public int size() { return size; }

    public int key(int node) { return get(check(node), KEY); }

    public int parent(int node) { return get(check(node), PARENT); }

    private int get(int node, int field) { return blocks[node >>> BLOCK_SHIFT][(node & BLOCK_MASK) * ROW + field]; }

    private void set(int node, int field, int value) { blocks[node >>> BLOCK_SHIFT][(node & BLOCK_MASK) * ROW + field] = value; }

    /** The node of {@code key} under {@code parent} (-1: a root), added if new. */
    public int child(int parent, int key) {
        if (parent < -1 || parent >= size) throw new IllegalArgumentException("no node " + parent);
        int head = parent < 0 ? rootHead : get(parent, HEAD);
        int children = 0;
        if (head == WIDE) {
            int c = wide.get(wideKey(parent, key));
            if (c >= 0) return c;
        } else {
            for (int c = head; c >= 0; c = get(c, NEXT), children++) {
                if (get(c, KEY) == key) return c;
            }
        }
        int node = size;
        if (node == Integer.MAX_VALUE) throw new OutOfMemoryError("tree too large");
        int block = node >>> BLOCK_SHIFT;
        if (block == blocks.length) blocks = Arrays.copyOf(blocks, blocks.length * 2);
        int[] rows = blocks[block];
        if (rows == null) { // the first block starts small, for the many small trees
            blocks[block] = new int[(block == 0 ? 64 : BLOCK_ROWS) * ROW];
        } else if (rows.length < ((node & BLOCK_MASK) + 1) * ROW) {
            blocks[block] = Arrays.copyOf(rows, Math.min(BLOCK_ROWS * ROW, rows.length * 2));
        }
        size++;
        set(node, KEY, key);
        set(node, PARENT, parent);
        set(node, HEAD, NONE);
        if (head != WIDE && children < NARROW) {
            set(node, NEXT, head);
            setHead(parent, node);
            return node;
        }
        set(node, NEXT, NONE);
        if (head != WIDE) { // the list is full: move the children to the map
            for (int c = head; c >= 0; c = get(c, NEXT)) wide.put(wideKey(parent, get(c, KEY)), c);
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
        for (int i = 0; i < size; i++) out[i] = get(i, field);
        return out;
    }

    private void setHead(int parent, int head) {
        if (parent < 0) rootHead = head;
        else set(parent, HEAD, head);
    }

    private int check(int node) {
        if (node < 0 || node >= size) throw new IndexOutOfBoundsException(node);
        return node;
    }

    /** (parent + 1) in the high half keeps -1 representable; the key's 32 bits in the low half. */
    private static long wideKey(int parent, int key) { return ((long) (parent + 1) << 32) | (key & 0xffffffffL); }
}
