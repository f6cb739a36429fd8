// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

/**
 * Interned label sets (pprof's sample labels). Set {@code s} holds labels {@code start(s)} to
 * {@code end(s) - 1}; each label has a key, and either a string value ({@code str >= 0}) or a number with an
 * optional unit. Equal sets are stored once.
 */
public final class LabelTable {
    private final int[] setStart;
    private final int[] key, str, numUnit;
    private final long[] num;

    LabelTable(int[] setStart, int[] key, int[] str, long[] num, int[] numUnit) {
        this.setStart = setStart;
        this.key = key;
        this.str = str;
        this.num = num;
        this.numUnit = numUnit;
    }

    /** Number of label sets. */
    public int size() { return setStart.length - 1; }

    public int start(int setIndex) { return setStart[setIndex]; }

    public int end(int setIndex) { return setStart[setIndex + 1]; }

    public int key(int label) { return key[label]; }

    /** String value as a string index, or -1 for a numeric label. */
    public int str(int label) { return str[label]; }

    public long num(int label) { return num[label]; }

    public int numUnit(int label) { return numUnit[label]; }

    /** Number of label entries across all sets. */
    public int labelCount() { return key.length; }
}
