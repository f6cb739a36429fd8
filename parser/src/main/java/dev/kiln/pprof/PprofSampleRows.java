// SPDX-License-Identifier: Apache-2.0
package dev.kiln.pprof;

import dev.kiln.model.IntList;
import dev.kiln.model.ProfileBuilder;

import java.util.Arrays;
import java.util.List;

/**
 * Turns decoded samples ({@link PprofSamples}, range after range, in file order) into rows of the profile's sample
 * table: a stack from the sample's locations, a label set from its labels, its values. Not thread-safe: one reader's
 * loading thread uses it.
 *
 * <p>Stacks are interned a range of samples at a time, depth by depth (see {@link #stacks}). Labels: a sample with
 * the labels of the sample before it (as the file writes them) gets its label set without interning.
 */
final class PprofSampleRows {
    private final ProfileBuilder b;
    private final ProfileBuilder.SampleTableBuilder table;
    private final int[] slotFrameEnd;
    private final IntList slotFrames;
    private final List<String> strings;
    private final int nTypes;
    private final long[] row;

    private final int[] builderString;
    private int[] lk = new int[8], ls = new int[8], lu = new int[8], order = new int[8];
    private long[] ln = new long[8];
    // the previous sample's labels as the file has them
    private long[] prevKey = new long[8], prevStr = new long[8], prevNum = new long[8], prevUnit = new long[8];
    private int prevLabels = -1, prevLabelSet = -1;

    /**
     * @param slotFrameEnd the frames of slot {@code s} are {@code slotFrames[slotFrameEnd[s - 1], slotFrameEnd[s])},
     *                     innermost first
     */
    PprofSampleRows(ProfileBuilder b, ProfileBuilder.SampleTableBuilder table, int[] slotFrameEnd, IntList slotFrames,
                    List<String> strings, int nTypes) {
        this.b = b;
        this.table = table;
        this.slotFrameEnd = slotFrameEnd;
        this.slotFrames = slotFrames;
        this.strings = strings;
        this.nTypes = nTypes;
        this.row = new long[Math.max(1, nTypes)];
        this.builderString = new int[strings.size()];
        Arrays.fill(builderString, -1);
    }

    /** Adds the samples of {@code s} as rows. */
    void add(PprofSamples s) throws PprofReader.BadProfile {
        int[] stacks = stacks(s);
        int valStart = 0, labelStart = 0;
        for (int i = 0; i < s.count; i++) {
            int valEnd = s.valEnd.get(i), labelEnd = s.labelEnd.get(i);
            if (valEnd - valStart != nTypes) {
                throw new PprofReader.BadProfile("sample " + (s.first + i + 1) + " has " + (valEnd - valStart)
                        + " values but the profile has " + nTypes + " sample types");
            }
            int stack = stacks[i];
            for (int v = 0; v < nTypes; v++) row[v] = s.values.get(valStart + v);
            int labelSet = labelEnd > labelStart ? labelSet(s, labelStart, labelEnd) : -1;
            table.add(stack, -1, 0, -1, labelSet, row);
            valStart = valEnd;
            labelStart = labelEnd;
        }
    }

    // stacks(): per sample of the range, its stack; per sample still going deeper, its index, the position of its
    // next location in the slots (counting down from the root end to the leaf), where its slots start, its stack so far.
    private int[] out = new int[0], live = out, next = out, first = out, at = out;

    /**
     * The stack of every sample of {@code s}, interned a depth at a time: the root-most location of every sample,
     * then the next one of every sample deep enough, and so on. Going sample by sample, each lookup in a tree of
     * millions of stacks would wait for the one before it (a cache miss each, as neighbouring samples share little
     * more than their roots); going depth by depth, the lookups of neighbouring samples do not depend on each other
     * and the processor overlaps their misses. A range's samples are few enough for these arrays to stay in the
     * cache. A sample whose stack so far and location are those of the sample before it takes that one's stack
     * without a lookup (pprof writes samples with shared callers one after another).
     */
    private int[] stacks(PprofSamples s) {
        int n = s.count;
        if (out.length < n) {
            out = new int[n];
            live = new int[n];
            next = new int[n];
            first = new int[n];
            at = new int[n];
        }
        int m = 0;
        for (int i = 0, start = 0; i < n; i++) {
            int end = s.locEnd.get(i);
            out[i] = -1;
            if (end > start) {
                live[m] = i;
                next[m] = end - 1;
                first[m] = start;
                at[m++] = -1;
            }
            start = end;
        }
        IntList slots = s.slots;
        while (m > 0) {
            int kept = 0, prevAt = Integer.MIN_VALUE, prevSlot = -1, prevStack = -1;
            for (int j = 0; j < m; j++) {
                int slot = slots.get(next[j]), st = at[j];
                if (slot != prevSlot || st != prevAt) {
                    prevAt = st;
                    prevSlot = slot;
                    int fStart = slot == 0 ? 0 : slotFrameEnd[slot - 1];
                    for (int f = slotFrameEnd[slot] - 1; f >= fStart; f--) st = b.stack(st, slotFrames.get(f));
                    prevStack = st;
                } else {
                    st = prevStack;
                }
                if (next[j] == first[j]) {
                    out[live[j]] = st;
                } else {
                    live[kept] = live[j];
                    next[kept] = next[j] - 1;
                    first[kept] = first[j];
                    at[kept++] = st;
                }
            }
            m = kept;
        }
        return out;
    }

    private int labelSet(PprofSamples s, int start, int end) throws PprofReader.BadProfile {
        int nl = end - start;
        if (sameAsPrevious(s, start, end)) return prevLabelSet;
        if (nl == 1) return singleLabel(s, start);
        return newLabelSet(s, start, end);
    }

    // The label sets of samples with one label, as the file has it, in a direct-mapped cache (Go's heap profiles
    // give each sample one label, the allocation's size, of a few hundred values).
    private static final int CACHE = 1 << 12;
    private final long[] cacheKey = new long[CACHE], cacheStr = new long[CACHE], cacheNum = new long[CACHE];
    private final long[] cacheUnit = new long[CACHE];
    private final int[] cacheSet = new int[CACHE];
    { Arrays.fill(cacheSet, -1); }

    private int singleLabel(PprofSamples s, int j) throws PprofReader.BadProfile {
        long key = s.labelKey.get(j), str = s.labelStr.get(j), num = s.labelNum.get(j), unit = s.labelUnit.get(j);
        long h = (key * 31 + str) * 31 + num;
        h = (h * 31 + unit) * 0x9E3779B97F4A7C15L;
        int i = (int) (h >>> 52); // the top 12 bits
        if (cacheSet[i] >= 0 && cacheKey[i] == key && cacheStr[i] == str && cacheNum[i] == num && cacheUnit[i] == unit) {
            return cacheSet[i];
        }
        int set = newLabelSet(s, j, j + 1);
        cacheKey[i] = key;
        cacheStr[i] = str;
        cacheNum[i] = num;
        cacheUnit[i] = unit;
        cacheSet[i] = set;
        return set;
    }

    private int newLabelSet(PprofSamples s, int start, int end) throws PprofReader.BadProfile {
        int nl = end - start;
        if (nl > lk.length) {
            lk = new int[nl];
            ls = new int[nl];
            lu = new int[nl];
            ln = new long[nl];
            order = new int[nl];
            prevKey = new long[nl];
            prevStr = new long[nl];
            prevNum = new long[nl];
            prevUnit = new long[nl];
        }
        for (int i = 0; i < nl; i++) {
            int j = start + i;
            mapString(s.labelKey.get(j), "a label key");
            long sIdx = s.labelStr.get(j);
            if (sIdx != 0) mapString(sIdx, "a label value");
            else if (s.labelUnit.get(j) != 0) mapString(s.labelUnit.get(j), "a label unit");
        }
        // All indices are valid now; intern the labels in canonical order.
        labelOrder(s, start, end);
        for (int i = 0; i < nl; i++) {
            int j = order[i];
            long sIdx = s.labelStr.get(j), unit = s.labelUnit.get(j);
            lk[i] = builderString[(int) s.labelKey.get(j)];
            ls[i] = sIdx != 0 ? builderString[(int) sIdx] : -1;
            ln[i] = sIdx != 0 ? 0 : s.labelNum.get(j);
            lu[i] = sIdx == 0 && unit != 0 ? builderString[(int) unit] : -1;
        }
        prevLabelSet = b.labelSet(lk, ls, ln, lu, nl);
        prevLabels = nl;
        for (int i = 0; i < nl; i++) {
            prevKey[i] = s.labelKey.get(start + i);
            prevStr[i] = s.labelStr.get(start + i);
            prevNum[i] = s.labelNum.get(start + i);
            prevUnit[i] = s.labelUnit.get(start + i);
        }
        return prevLabelSet;
    }

    private boolean sameAsPrevious(PprofSamples s, int start, int end) {
        if (end - start != prevLabels) return false;
        for (int i = 0; i < prevLabels; i++) {
            int j = start + i;
            if (s.labelKey.get(j) != prevKey[i] || s.labelStr.get(j) != prevStr[i] || s.labelNum.get(j) != prevNum[i]
                    || s.labelUnit.get(j) != prevUnit[i]) return false;
        }
        return true;
    }

    /**
     * Order of a sample's labels {@code start..end-1} into {@link #order}, canonical (key, then string value, then
     * number, then unit), so that equal label sets written in different orders (Go writes them from a map) intern to
     * one set, as pprof treats them. Indices must already have been checked.
     */
    private void labelOrder(PprofSamples s, int start, int end) {
        int n = end - start;
        for (int i = 0; i < n; i++) {
            int j = i;
            for (; j > 0 && compareLabel(s, order[j - 1], start + i) > 0; j--) order[j] = order[j - 1];
            order[j] = start + i;
        }
    }

    private int compareLabel(PprofSamples s, int x, int y) {
        int c = strings.get((int) s.labelKey.get(x)).compareTo(strings.get((int) s.labelKey.get(y)));
        if (c != 0) return c;
        long sx = s.labelStr.get(x), sy = s.labelStr.get(y);
        if (sx != sy) {
            if (sx == 0 || sy == 0) return Long.compare(sx, sy);
            c = strings.get((int) sx).compareTo(strings.get((int) sy));
            if (c != 0) return c;
        }
        c = Long.compare(s.labelNum.get(x), s.labelNum.get(y));
        return c != 0 ? c : strings.get((int) s.labelUnit.get(x)).compareTo(strings.get((int) s.labelUnit.get(y)));
    }

    private void mapString(long index, String what) throws PprofReader.BadProfile {
        if (index < 0 || index >= strings.size()) {
            throw new PprofReader.BadProfile(what + " refers to string " + Long.toUnsignedString(index)
                    + " but the string table has " + strings.size() + " entries");
        }
        int i = (int) index;
        if (builderString[i] < 0) builderString[i] = b.string(strings.get(i));
    }
}
