// SPDX-License-Identifier: Apache-2.0
package dev.kiln.jfr;

import dev.kiln.model.IntList;
import dev.kiln.model.LongIntMap;

import java.util.Arrays;

/**
 * The stacks a load has added to its model so far, by the bytes of their constant-pool entries, for the chunks read
 * after them. A recording writes into each chunk every stack that chunk uses, under a new key; most were in earlier
 * chunks, and a hit spares decoding the frames and adding them to the model again.
 * <p>
 * An entry's bytes name methods and frame types by key, and keys mean the same only within one run of one JVM. So
 * the cache holds the stacks of one run (its process id and start time, from {@code jdk.JVMInformation}) written in
 * one layout at a time: a chunk of another run finds nothing, and adding its stacks empties the cache first.
 * Shared by a load's workers, which look up, and its loading thread, which adds.
 */
final class SeenStacks {
    /** What {@link #lookUp} gives for a stack it does not hold. */
    static final int MISS = Integer.MIN_VALUE;

    private String run;
    /** How many lookups found their stack, for tests. */
    private int hits;
    private byte[] bytes = new byte[1 << 16];
    private int used;
    /** Per entry: where its bytes end in {@link #bytes} (they start where the previous entry's end), its stack, whether it is truncated, the next entry of the same hash (-1: none). */
    private final IntList ends = new IntList(), stacks = new IntList(), truncated = new IntList(), next = new IntList();
    /** Hash → the latest entry with it. */
    private LongIntMap latest = new LongIntMap(1024);

    /**
     * For each entry {@code data[from[i], to[i])} of a chunk of {@code run}: the model's stack, or {@link #MISS};
     * {@code truncatedOut[i]} is set for a truncated one. Nothing is found for a null run.
     */
    synchronized void lookUp(String run, byte[] data, int[] from, int[] to, long[] hash, int n, int[] out, boolean[] truncatedOut) {
        boolean same = run != null && run.equals(this.run);
        for (int i = 0; i < n; i++) {
            out[i] = MISS;
            if (!same || from[i] < 0) continue;
            for (int e = latest.get(hash[i]); e >= 0; e = next.get(e)) {
                int start = e == 0 ? 0 : ends.get(e - 1), end = ends.get(e);
                if (Arrays.equals(bytes, start, end, data, from[i], to[i])) {
                    out[i] = stacks.get(e);
                    hits++;
                    truncatedOut[i] = truncated.get(e) != 0;
                    break;
                }
            }
        }
    }

    /**
     * Adds stacks of a chunk of {@code run}: entry {@code i}'s bytes are {@code src[ends[i - 1], ends[i])} (from 0 for
     * the first), the model's stack for it {@code stack[i]}. A null run adds nothing; another run than the one held
     * replaces it.
     */
    synchronized void add(String run, byte[] src, int[] srcEnds, long[] hash, int[] stack, boolean[] isTruncated, int n) {
        if (run == null || n == 0) return;
        if (!run.equals(this.run)) {
            this.run = run;
            used = 0;
            ends.clear();
            stacks.clear();
            truncated.clear();
            next.clear();
            latest = new LongIntMap(1024);
        }
        int total = srcEnds[n - 1];
        if (used + total > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(used + total, bytes.length * 2));
        System.arraycopy(src, 0, bytes, used, total);
        for (int i = 0; i < n; i++) {
            int e = ends.size();
            ends.add(used + srcEnds[i]);
            stacks.add(stack[i]);
            truncated.add(isTruncated[i] ? 1 : 0);
            next.add(latest.get(hash[i]));
            latest.put(hash[i], e);
        }
        used += total;
    }

    synchronized int hits() { return hits; }
}
