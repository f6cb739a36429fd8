// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis;

import dev.kiln.analysis.StackTransform.FunctionMatcher;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.EventKind;
import dev.kiln.model.EventTable;
import dev.kiln.model.LabelTable;
import dev.kiln.model.Profile;
import dev.kiln.model.SampleTable;
import dev.kiln.model.StackTable;

import java.util.List;

/**
 * The rows of one {@link Weight} that pass a {@link Filter}, each with its stack after the filter's
 * {@link StackTransform} and its weight: the one place where every analysis applies a filter. A row is kept
 * when all of these hold:
 * <ul>
 * <li>its weight is not 0;</li>
 * <li>its thread passes {@link Filter#acceptsThread};</li>
 * <li>samples: its time passes {@link Filter#acceptsTime}; events: the event overlaps the range, and a
 *     duration weight counts only the part inside the range;</li>
 * <li>{@code focus}: some frame of its original stack has a function whose name matches (pprof's focus: the
 *     whole stack is kept); {@code ignore}: no frame matches; a row without frames fails a focus;</li>
 * <li>every {@code key=value} label is on the row (string labels by value, numeric ones by their decimal
 *     number); rows without labels (events, JFR samples) fail any label condition.</li>
 * </ul>
 * Focus and ignore look at the original frames, before {@code hide} (as pprof). Rows are visited in table
 * order. Per-stack sums ({@link #weightByStack()}) are computed on first use and kept.
 */
public final class FilteredStacks {
    /** Receives kept rows: the row index (in the weight's sample table or in the event table), its derived stack (-1 = no frames) and weight. */
    @FunctionalInterface
    public interface RowVisitor {
        void accept(int row, int stack, long weight);
    }

    private final StackTransform transform;
    private final Weight weight;
    private final Filter filter;
    private final ProgressSink progress;
    private final boolean[] stackKept; // per original stack; null when no focus/ignore
    private final boolean emptyStackKept;
    private final boolean[] threadKept; // index thread + 1 (slot 0 = no thread)
    private final boolean[] labelSetKept; // index set + 1 (slot 0 = no labels)
    private long[] byStack;
    private long rootWeight, total;

    private FilteredStacks(StackTransform transform, Weight weight, Filter filter, ProgressSink progress) {
        this.transform = transform;
        this.weight = weight;
        this.filter = filter;
        this.progress = progress;
        Profile p = transform.profile();
        StackTable st = p.stacks();
        if (filter.focus() != null || filter.ignore() != null) {
            FunctionMatcher focus = filter.focus() == null ? null : new FunctionMatcher(p, filter.focus());
            FunctionMatcher ignore = filter.ignore() == null ? null : new FunctionMatcher(p, filter.ignore());
            boolean[] hasFocus = new boolean[st.size()], hasIgnore = new boolean[st.size()];
            stackKept = new boolean[st.size()];
            for (int s = 0; s < st.size(); s++) {
                int up = st.parent(s);
                hasFocus[s] = focus != null && ((up >= 0 && hasFocus[up]) || focus.matchesFrame(st.frame(s)));
                hasIgnore[s] = ignore != null && ((up >= 0 && hasIgnore[up]) || ignore.matchesFrame(st.frame(s)));
                stackKept[s] = (focus == null || hasFocus[s]) && !hasIgnore[s];
            }
            emptyStackKept = focus == null;
        } else {
            stackKept = null;
            emptyStackKept = true;
        }
        threadKept = new boolean[p.threads().size() + 1];
        for (int t = -1; t < p.threads().size(); t++) threadKept[t + 1] = filter.acceptsThread(p, t);
        LabelTable lt = p.labels();
        labelSetKept = new boolean[lt.size() + 1];
        for (int s = -1; s < lt.size(); s++) labelSetKept[s + 1] = hasLabels(p, s, filter.labels());
    }

    public static FilteredStacks of(Profile profile, Weight weight, Filter filter) {
        return of(StackTransform.of(profile, filter), weight, filter, ProgressSink.NONE);
    }

    /** Reuses a transform (which must {@link StackTransform#matches match} the filter). */
    public static FilteredStacks of(StackTransform transform, Weight weight, Filter filter, ProgressSink progress) {
        if (!transform.matches(transform.profile(), filter)) throw new IllegalArgumentException("transform does not match filter " + filter);
        return new FilteredStacks(transform, weight, filter, progress);
    }

    private static boolean hasLabels(Profile p, int set, List<String> wanted) {
        if (wanted.isEmpty()) return true;
        if (set < 0) return false;
        LabelTable lt = p.labels();
        for (String kv : wanted) {
            int eq = kv.indexOf('=');
            String key = eq < 0 ? kv : kv.substring(0, eq), value = eq < 0 ? "" : kv.substring(eq + 1);
            boolean found = false;
            for (int l = lt.start(set); l < lt.end(set) && !found; l++) {
                if (!p.string(lt.key(l)).equals(key)) continue;
                found = lt.str(l) >= 0 ? p.string(lt.str(l)).equals(value) : Long.toString(lt.num(l)).equals(value);
            }
            if (!found) return false;
        }
        return true;
    }

    public StackTransform transform() { return transform; }

    public Weight weight() { return weight; }

    public Filter filter() { return filter; }

    public Profile profile() { return transform.profile(); }

    private boolean keepStack(int originalStack) {
        return originalStack < 0 ? emptyStackKept : stackKept == null || stackKept[originalStack];
    }

    /** Visits every kept row in table order. */
    public void forEach(RowVisitor visitor) {
        Profile p = transform.profile();
        if (!weight.isEvents()) {
            SampleTable t = weight.table();
            int column = weight.column();
            for (int r = 0; r < t.size(); r++) {
                if ((r & 0xFFFF) == 0) progress.checkCancelled();
                long v = t.value(column, r);
                if (v == 0) continue;
                int s = t.stack(r);
                if (!keepStack(s) || !threadKept[t.thread(r) + 1] || !labelSetKept[t.labelSet(r) + 1]) continue;
                if (!filter.acceptsTime(t.timeNanos(r))) continue;
                visitor.accept(r, transform.map(s), v);
            }
            return;
        }
        EventTable ev = p.events();
        boolean ranged = filter.fromNanos() != Long.MIN_VALUE || filter.toNanos() != Long.MAX_VALUE;
        boolean duration = weight.measure() == Weight.EventMeasure.DURATION;
        boolean[] kinds = new boolean[EventKind.values().length];
        for (EventKind k : weight.eventKinds()) kinds[k.ordinal()] = true;
        for (int e = 0; e < ev.size(); e++) {
            if ((e & 0xFFFF) == 0) progress.checkCancelled();
            if (!kinds[ev.kind(e).ordinal()]) continue;
            long v = weight.eventValue(ev, e);
            int s = ev.stack(e);
            if (!keepStack(s) || !threadKept[ev.thread(e) + 1] || !labelSetKept[0]) continue;
            if (ranged) {
                long start = ev.startNanos(e), d = ev.durationNanos(e);
                if (!filter.overlaps(start, d)) continue;
                if (duration) v = Math.max(0, Math.min(start + d, filter.toNanos()) - Math.max(start, filter.fromNanos()));
            }
            if (v == 0) continue;
            visitor.accept(e, transform.map(s), v);
        }
    }

    /** Kept weight summed per derived stack (index = derived stack); shared, do not modify. */
    public long[] weightByStack() {
        if (byStack == null) {
            long[] sums = new long[transform.size()];
            long[] root = new long[2]; // [0] weight of rows without frames, [1] total
            forEach((row, stack, w) -> {
                if (stack < 0) root[0] += w;
                else sums[stack] += w;
                root[1] += w;
            });
            rootWeight = root[0];
            total = root[1];
            byStack = sums;
        }
        return byStack;
    }

    /** Kept weight of rows whose stack is empty (no frames recorded, or all hidden). */
    public long rootWeight() { weightByStack(); return rootWeight; }

    /** Sum of the kept weight. */
    public long total() { weightByStack(); return total; }
}
