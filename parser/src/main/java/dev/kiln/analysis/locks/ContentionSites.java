// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.locks;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.KeyedSums;
import dev.kiln.model.Profile;
import dev.kiln.model.SampleTable;
import dev.kiln.model.StackTable;
import dev.kiln.model.ValueType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A contention-site graph from profiles that weigh stacks by time spent blocked but name no thread: Go's block
 * and mutex profiles (pprof {@code contentions/count} + {@code delay/nanoseconds}, or the legacy text forms) and
 * async-profiler's lock profile ({@code locks/nanoseconds}). Such profiles have no goroutine or thread identity,
 * so <b>owners are unknown</b>: {@link #ownersKnown()} is always false and {@link #note()} says so in words.
 * <p>
 * For each sample the <em>contended</em> node is the leaf frame's function: the blocking function
 * ({@code sync.(*Mutex).Lock}, {@code runtime.chansend1}, {@code runtime.selectgo}, {@code sync.(*Cond).Wait});
 * in an async-profiler lock profile the leaf is a synthetic frame naming the lock class
 * ({@code java.util.concurrent.locks.ReentrantLock$NonfairSync}), so there the contended node is the lock class.
 * The <em>site</em> is the first caller of the leaf that is not synchronization machinery (Go {@code runtime.},
 * {@code sync.}, {@code internal/...}; Java {@code java.util.concurrent.locks}, {@code Unsafe}, {@code Object.wait},
 * {@code LockSupport}); when every caller is machinery, the outermost frame. Edges site -> contended carry the
 * summed delay and contentions and the stacks (stack indices) that make them up.
 * <p>
 * Go's mutex profile charges delay to the stack that <em>released</em> the lock ({@code Unlock}), i.e. the
 * holder side; rows whose contended function is an unlock are marked {@link Site#releasing()}. async-profiler's
 * lock profile has no contention count: {@link #countType()} is null and counts are 0.
 */
public final class ContentionSites {
    /** Callers skipped when looking for the site: runtime and lock implementation frames. */
    static final Pattern MACHINERY = Pattern.compile(
            "^(runtime|sync|sync/atomic|internal/[\\w/]+)\\.|^(java[./]util[./]concurrent[./]locks[./]"
                    + "|jdk[./]internal[./]misc[./]Unsafe\\.|sun[./]misc[./]Unsafe\\.|java[./]lang[./]Object\\.wait)");

    /** Whether a function name is runtime or lock-implementation machinery (skipped when looking for a site). */
    public static boolean isMachinery(String functionName) { return MACHINERY.matcher(functionName).find(); }

    /** One edge: a waiting (or, for {@code releasing}, holding) site and the function or lock it blocked in. */
    public record Site(String site, String contended, long delayNanos, long contentions, boolean releasing,
                       List<StackDelay> stacks) { }

    /** A stack (stack index of the profile) with its delay and contentions. */
    public record StackDelay(int stack, long delayNanos, long contentions) { }

    /** Totals of one node (a contended function or a site). */
    public record Total(String name, long delayNanos, long contentions) { }

    private final ValueType delayType, countType;
    private final long totalDelay, totalContentions;
    private final List<Site> sites;
    private final String note;

    private ContentionSites(ValueType delayType, ValueType countType, long totalDelay, long totalContentions,
                            List<Site> sites, String note) {
        this.delayType = delayType;
        this.countType = countType;
        this.totalDelay = totalDelay;
        this.totalContentions = totalContentions;
        this.sites = sites;
        this.note = note;
    }

    /** The delay value type of a profile ({@code delay/nanoseconds} or {@code locks/nanoseconds}), or null. */
    public static ValueType delayTypeOf(Profile p) {
        for (ValueType v : p.valueTypes()) {
            if (v.unit().equals("nanoseconds") && (v.kind().equals("delay") || v.kind().equals("locks"))) return v;
        }
        return null;
    }

    /** Whether a profile is a contention profile this analysis reads. */
    public static boolean applies(Profile p) {
        ValueType d = delayTypeOf(p);
        return d != null && p.tableOf(d).size() > 0;
    }

    /** Builds the site graph; the filter's thread and time conditions apply where samples have them. */
    public static ContentionSites of(Profile p, Filter filter) {
        ValueType delayType = delayTypeOf(p);
        if (delayType == null) throw new IllegalArgumentException("no contention delay in " + p.sourceName());
        SampleTable t = p.tableOf(delayType);
        int delayCol = t.valueTypes().indexOf(delayType);
        ValueType countType = new ValueType("contentions", "count");
        int countCol = t.valueTypes().indexOf(countType);
        if (countCol < 0) countType = null;
        StackTable st = p.stacks();
        // Per distinct stack: its contended and site names (string indices), computed once.
        KeyedSums pairStack = new KeyedSums(2, 64); // (pair row, stack) -> delay, count
        KeyedSums pairs = new KeyedSums(2, 64);     // (site name, contended name) -> delay, count
        long totalDelay = 0, totalCount = 0;
        int[] siteOf = new int[st.size()], contendedOf = new int[st.size()];
        Arrays.fill(siteOf, Integer.MIN_VALUE);
        for (int r = 0; r < t.size(); r++) {
            if (!filter.acceptsThread(p, t.thread(r)) || !filter.acceptsTime(t.timeNanos(r))) continue;
            long delay = t.value(delayCol, r), count = countCol < 0 ? 0 : t.value(countCol, r);
            if (delay == 0 && count == 0) continue;
            totalDelay += delay;
            totalCount += count;
            int s = t.stack(r);
            int site = 0, contended = 0; // the empty string: no stack
            if (s >= 0) {
                if (siteOf[s] == Integer.MIN_VALUE) {
                    contendedOf[s] = nameOf(p, s);
                    int caller = st.parent(s), outer = s;
                    while (caller >= 0 && isMachinery(p.string(nameOf(p, caller)))) {
                        outer = caller;
                        caller = st.parent(caller);
                    }
                    siteOf[s] = nameOf(p, caller >= 0 ? caller : outer);
                }
                site = siteOf[s];
                contended = contendedOf[s];
            }
            int pair = pairs.add2(KeyedSums.pack(site, contended), delay, count);
            pairStack.add2(KeyedSums.pack(pair, s), delay, count);
        }
        List<List<StackDelay>> stacksOfPair = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) stacksOfPair.add(new ArrayList<>());
        for (int r = 0; r < pairStack.size(); r++) {
            long key = pairStack.key(r);
            stacksOfPair.get(KeyedSums.high(key)).add(new StackDelay(KeyedSums.low(key), pairStack.get(r, 0), pairStack.get(r, 1)));
        }
        List<Site> sites = new ArrayList<>();
        boolean anyReleasing = false;
        for (int i = 0; i < pairs.size(); i++) {
            String contended = p.string(KeyedSums.low(pairs.key(i)));
            boolean releasing = contended.endsWith("Unlock");
            anyReleasing |= releasing;
            List<StackDelay> sd = stacksOfPair.get(i);
            sd.sort(Comparator.comparingLong(StackDelay::delayNanos).reversed().thenComparingInt(StackDelay::stack));
            sites.add(new Site(p.string(KeyedSums.high(pairs.key(i))), contended, pairs.get(i, 0), pairs.get(i, 1),
                    releasing, List.copyOf(sd)));
        }
        sites.sort(Comparator.comparingLong(Site::delayNanos).reversed().thenComparing(Comparator.comparingLong(Site::contentions).reversed())
                .thenComparing(Site::site).thenComparing(Site::contended));
        StringBuilder note = new StringBuilder("Owners unknown: ");
        note.append(delayType.kind().equals("locks")
                ? "async-profiler's lock profile records the waiting stack with the lock class as its leaf frame, not who held the lock."
                : "Go's block and mutex profiles record stacks and delays but no goroutine identity, so who held what is not known.");
        if (anyReleasing) {
            note.append(" Rows marked 'releasing' come from the mutex profile, which charges the delay to the stack that"
                    + " released the lock (the holder side), not to the waiters.");
        }
        if (countType == null) note.append(" The profile has no contention counts.");
        return new ContentionSites(delayType, countType, totalDelay, totalCount, List.copyOf(sites), note.toString());
    }

    private static int nameOf(Profile p, int stack) {
        return p.functions().name(p.frames().func(p.stacks().frame(stack)));
    }

    public ValueType delayType() { return delayType; }

    /** {@code contentions/count}, or null when the profile has no counts (async-profiler). */
    public ValueType countType() { return countType; }

    public long totalDelayNanos() { return totalDelay; }

    public long totalContentions() { return totalContentions; }

    /** Always false: these profiles do not say who held a lock. */
    public boolean ownersKnown() { return false; }

    /** What the numbers mean and what they cannot say (owners unknown), for the user. */
    public String note() { return note; }

    /** Site -> contended edges, largest delay first. */
    public List<Site> sites() { return sites; }

    /** Totals per contended function (or lock class), largest delay first. */
    public List<Total> byContended() { return totals(true); }

    /** Totals per site, largest delay first. */
    public List<Total> bySite() { return totals(false); }

    private List<Total> totals(boolean contended) {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (Site s : sites) {
            long[] v = m.computeIfAbsent(contended ? s.contended() : s.site(), k -> new long[2]);
            v[0] += s.delayNanos();
            v[1] += s.contentions();
        }
        List<Total> out = new ArrayList<>();
        m.forEach((k, v) -> out.add(new Total(k, v[0], v[1])));
        out.sort(Comparator.comparingLong(Total::delayNanos).reversed().thenComparing(Comparator.comparingLong(Total::contentions).reversed())
                .thenComparing(Total::name));
        return out;
    }
}
