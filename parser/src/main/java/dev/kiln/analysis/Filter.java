// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis;

import dev.kiln.model.Profile;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What part of a profile an analysis looks at; every analysis applies the same filter the same way, and filters
 * compose (all conditions must hold). Null or empty fields mean "no restriction".
 * <ul>
 * <li>{@code threadName}: keep samples/events of threads whose name matches (find, not full match);</li>
 * <li>{@code threads}: keep only these thread rows;</li>
 * <li>{@code fromNanos}/{@code toNanos}: keep samples/events whose time is in [from, to) (epoch ns; rows
 *     without time are kept);</li>
 * <li>{@code focus}: keep samples with a frame whose function matches; {@code ignore}: drop samples with such a
 *     frame; {@code hide}: remove matching frames from stacks (pprof's semantics);</li>
 * <li>{@code collapseRecursion}: fold directly recursive calls into one frame;</li>
 * <li>{@code labels}: keep samples carrying every {@code key=value} label.</li>
 * </ul>
 */
public record Filter(Pattern threadName, Set<Integer> threads, long fromNanos, long toNanos, Pattern focus,
                     Pattern ignore, Pattern hide, boolean collapseRecursion, List<String> labels) {
    /** The filter that keeps everything. */
    public static final Filter NONE = new Filter(null, null, Long.MIN_VALUE, Long.MAX_VALUE, null, null, null, false, List.of());

    public Filter {
        threads = threads == null ? null : Set.copyOf(threads);
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    public boolean isNone() { return equals(NONE); }

    /** Whether a thread row passes the thread conditions (-1, "no thread", passes only when none are set). */
    public boolean acceptsThread(Profile p, int thread) {
        if (threads != null && !threads.contains(thread)) return false;
        return threadName == null || (thread >= 0 && threadName.matcher(p.threadName(thread)).find());
    }

    /** Whether a time passes the time range; {@link Long#MIN_VALUE} (no time) always does. */
    public boolean acceptsTime(long epochNanos) {
        return epochNanos == Long.MIN_VALUE || (epochNanos >= fromNanos && epochNanos < toNanos);
    }

    /** Whether an interval [start, start+duration) overlaps the time range. */
    public boolean overlaps(long startNanos, long durationNanos) {
        return startNanos < toNanos && startNanos + durationNanos >= fromNanos;
    }

    public Filter withThreadName(Pattern p) { return new Filter(p, threads, fromNanos, toNanos, focus, ignore, hide, collapseRecursion, labels); }

    public Filter withThreads(Set<Integer> t) { return new Filter(threadName, t, fromNanos, toNanos, focus, ignore, hide, collapseRecursion, labels); }

    public Filter withTimeRange(long from, long to) { return new Filter(threadName, threads, from, to, focus, ignore, hide, collapseRecursion, labels); }

    public Filter withFocus(Pattern p) { return new Filter(threadName, threads, fromNanos, toNanos, p, ignore, hide, collapseRecursion, labels); }

    public Filter withIgnore(Pattern p) { return new Filter(threadName, threads, fromNanos, toNanos, focus, p, hide, collapseRecursion, labels); }

    public Filter withHide(Pattern p) { return new Filter(threadName, threads, fromNanos, toNanos, focus, ignore, p, collapseRecursion, labels); }

    public Filter withCollapseRecursion(boolean c) { return new Filter(threadName, threads, fromNanos, toNanos, focus, ignore, hide, c, labels); }

    public Filter withLabels(List<String> l) { return new Filter(threadName, threads, fromNanos, toNanos, focus, ignore, hide, collapseRecursion, l); }
}
