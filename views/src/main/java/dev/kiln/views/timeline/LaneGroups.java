// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.timeline;

import dev.kiln.analysis.timeline.GoroutineGroups;
import dev.kiln.analysis.timeline.NaturalOrder;
import dev.kiln.analysis.timeline.ThreadState;
import dev.kiln.analysis.timeline.ThreadTimelines;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lanes in groups that fold, as a Go trace's goroutines by start function ({@code G12 main.worker} is in
 * {@code main.worker}; the Ps in "Ps"). A layout row holds a lane index, or {@code -(group + 1)} for a group's
 * header row, which shows the group's name, its lane count and, per pixel column, the state most of its lanes are in.
 * A folded group shows only its header. No JavaFX; FX thread only (the header's pixel states are cached per view).
 */
public final class LaneGroups {
    private final String[] names;
    private final int[] groupOf;
    private final int[][] lanes;
    private final BitSet folded = new BitSet();
    /** Per group: the pixel states last computed, and for which view (start, end, width). */
    private final int[][] cachedStates;
    private final long[][] cachedFor;

    private LaneGroups(String[] names, int[] groupOf, int[][] lanes) {
        this.names = names;
        this.groupOf = groupOf;
        this.lanes = lanes;
        cachedStates = new int[names.length][];
        cachedFor = new long[names.length][];
    }

    /** Groups of a Go trace's lanes by the names of their threads; groups of more than {@code foldAbove} lanes start folded. */
    public static LaneGroups ofGoTrace(String[] laneNames, int foldAbove) {
        Map<String, List<Integer>> byKey = new LinkedHashMap<>();
        for (int l = 0; l < laneNames.length; l++) {
            String n = laneNames[l];
            String key = n.startsWith("P ") ? "Ps" : GoroutineGroups.startFunction(n);
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(l);
        }
        List<String> keys = new ArrayList<>(byKey.keySet());
        keys.sort((a, b) -> a.equals("Ps") ? 1 : b.equals("Ps") ? -1 : NaturalOrder.INSTANCE.compare(a, b)); // Ps last
        String[] names = keys.toArray(new String[0]);
        int[] groupOf = new int[laneNames.length];
        int[][] lanes = new int[names.length][];
        for (int g = 0; g < names.length; g++) {
            lanes[g] = byKey.get(names[g]).stream().mapToInt(Integer::intValue).toArray();
            for (int l : lanes[g]) groupOf[l] = g;
        }
        LaneGroups groups = new LaneGroups(names, groupOf, lanes);
        for (int g = 0; g < names.length; g++) if (lanes[g].length > foldAbove) groups.folded.set(g);
        return groups;
    }

    public int count() { return names.length; }

    public String name(int group) { return names[group]; }

    public int size(int group) { return lanes[group].length; }

    public int groupOf(int lane) { return groupOf[lane]; }

    public boolean folded(int group) { return folded.get(group); }

    public void setFolded(int group, boolean fold) { folded.set(group, fold); }

    public void toggle(int group) { folded.flip(group); }

    /** Folds or unfolds every group. */
    public void setAllFolded(boolean fold) {
        if (fold) folded.set(0, names.length);
        else folded.clear();
    }

    /** A header row's code in a layout's order, and back. */
    public static int headerRow(int group) { return -(group + 1); }

    public static int groupOfRow(int code) { return -code - 1; }

    /** The header's gutter text: an arrow that says whether it is folded, the name and the lane count. */
    public String headerText(int group) {
        return (folded(group) ? "\u25b8 " : "\u25be ") + names[group] + " (" + lanes[group].length + ")";
    }

    /**
     * Layout rows for lanes already filtered and sorted: groups in their order, each a header row followed, unless
     * folded, by its lanes in the order given. A group none of whose lanes is kept is left out.
     */
    public int[] rows(int[] kept) {
        int[][] perGroup = new int[names.length][];
        int[] n = new int[names.length];
        for (int l : kept) n[groupOf[l]]++;
        for (int g = 0; g < names.length; g++) perGroup[g] = new int[n[g]];
        Arrays.fill(n, 0);
        for (int l : kept) perGroup[groupOf[l]][n[groupOf[l]]++] = l;
        int[] out = new int[kept.length + names.length];
        int at = 0;
        for (int g = 0; g < names.length; g++) {
            if (n[g] == 0) continue;
            out[at++] = headerRow(g);
            if (!folded(g)) for (int l : perGroup[g]) out[at++] = l;
        }
        return Arrays.copyOf(out, at);
    }

    /**
     * Per pixel column of the plot, the state most of the group's lanes are in at the column's first instant (the
     * ordinal of {@link ThreadState}, -1 where no lane is alive); {@link ThreadState#UNKNOWN} only where no lane
     * is in another state. Cached for the last view.
     */
    public int[] pixelStates(int group, TimelineLayout l, ThreadTimelines tl) {
        int columns = (int) Math.ceil(l.plotWidth());
        long[] key = {l.viewStart(), l.viewEnd(), columns};
        if (cachedStates[group] != null && Arrays.equals(cachedFor[group], key)) return cachedStates[group];
        int states = ThreadState.COUNT;
        // per state, +1 where an interval's first column is and -1 after its last: one pass over the intervals in
        // view, then a running sum per column (column c's first instant is viewStart + c * span / columns)
        int[] counts = new int[(columns + 1) * states];
        long v0 = l.viewStart(), v1 = l.viewEnd();
        double perNano = columns / (double) (v1 - v0);
        for (int lane : lanes[group]) {
            int end = tl.endInterval(lane);
            int i = TimelinePainter.firstEndingAfter(tl, tl.firstInterval(lane), end, v0);
            for (; i < end; i++) {
                long start = tl.startNanos(i);
                if (start >= v1) break;
                int c0 = start <= v0 ? 0 : (int) Math.ceil((start - v0) * perNano);
                int c1 = (int) Math.min(columns, Math.ceil((tl.endNanos(i) - v0) * perNano));
                if (c1 <= c0) continue; // shorter than a column: holds no column's first instant
                int st = tl.state(i).ordinal();
                counts[c0 * states + st]++;
                counts[c1 * states + st]--;
            }
        }
        for (int c = 1; c < columns; c++) {
            for (int st = 0; st < states; st++) counts[c * states + st] += counts[(c - 1) * states + st];
        }
        int unknown = ThreadState.UNKNOWN.ordinal();
        int[] out = new int[columns];
        for (int c = 0; c < columns; c++) {
            int best = -1, bestCount = 0;
            for (int s = 0; s < states; s++) {
                if (s == unknown) continue;
                if (counts[c * states + s] > bestCount) { bestCount = counts[c * states + s]; best = s; }
            }
            out[c] = best >= 0 ? best : counts[c * states + unknown] > 0 ? unknown : -1;
        }
        cachedStates[group] = out;
        cachedFor[group] = key;
        return out;
    }
}
