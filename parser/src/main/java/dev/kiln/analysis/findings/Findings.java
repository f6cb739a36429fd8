// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.findings;

import dev.kiln.analysis.FunctionTotals;
import dev.kiln.model.EventKind;
import dev.kiln.model.EventTable;
import dev.kiln.model.Profile;
import dev.kiln.model.SampleTable;
import dev.kiln.model.StackTable;
import dev.kiln.model.ValueType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Kiln's own findings, computed from a {@link Profile}'s tables alone (JFR and pprof alike). Each check is a simple
 * aggregation with named thresholds:
 * <ul>
 * <li><b>lock-contention</b> (JFR): one lock class holds more than {@link #LOCK_SHARE} of all blocked time, and that
 *     time is at least {@link #LOCK_MIN_DURATION_SHARE} of the recording's length. "Blocked time" is the duration of
 *     {@code jdk.JavaMonitorEnter} events (by monitor class) plus {@code jdk.ThreadPark} events whose parked class
 *     is a lock ({@link #LOCK_LIKE_PARK_CLASS}: {@code ReentrantLock$NonfairSync}, {@code Semaphore$FairSync},
 *     {@code StampedLock} ...). Parks on other classes ({@code FutureTask}, {@code Condition} objects, no blocker)
 *     and {@code Object.wait} are waiting for work or results, not contention, and are left out. The second
 *     condition keeps a lock that is the only one contended but costs almost nothing from being reported.</li>
 * <li><b>goroutine-leak</b> (Go goroutine profiles, pprof or text debug=1/2): at least {@link #LEAK_MIN_GOROUTINES}
 *     goroutines, and at least {@link #LEAK_SHARE} of all, on the same stack (same functions and lines). Names the
 *     count, the goroutine state (debug=2 dumps) and the top non-runtime frame with file:line.</li>
 * <li><b>thread-blocked</b> (JFR): a thread spent more than {@link #THREAD_BLOCKED_SHARE} of its observed lifetime
 *     blocked or waiting (monitor enter, monitor wait, park; sleeps and I/O are not counted). The lifetime is an
 *     approximation: from the thread's first to its last activity seen in the capture (any sample or event start
 *     and event end), so a thread that was idle before its first event looks shorter-lived, and events below
 *     JFR's thresholds (10-20 ms in the default settings) are missing from the blocked time. Threads observed for
 *     less than {@link #THREAD_MIN_LIFETIME_NANOS} are skipped. WARNING when lock contention is most of that time,
 *     INFO when waiting is. A wait for work on the thread's own queue (its stack through {@link #IDLE_WAIT_FRAME}:
 *     a pool worker's {@code getTask}, {@code ForkJoinPool.awaitWork}, a queue's {@code take} or {@code poll}, the
 *     cleaner's {@code ReferenceQueue.remove}, a timer's loop) is an idle pool thread and not counted.</li>
 * <li><b>allocation-site</b>: one allocation site (the leaf function of JFR allocation samples, or of pprof's
 *     {@code alloc_space}) has more than {@link #DOMINANT_SHARE} of the allocated bytes.</li>
 * <li><b>cpu-hotspot</b>: one function has more than {@link #DOMINANT_SHARE} of the CPU self time
 *     ({@code jdk.ExecutionSample}, else {@code jdk.CPUTimeSample}; pprof's {@code cpu} value type).</li>
 * </ul>
 * {@link JvmFindings} adds those of the JVM's own events (GC overhead, heap growth after GC, exception storms, long
 * safepoints). Allocation and CPU findings are INFO, or WARNING above {@link #OVERWHELMING_SHARE}. Sample-based checks need at
 * least {@link #MIN_SAMPLE_ROWS} samples. Explanations are plain text with numbers formatted in {@link Locale#ROOT}.
 */
public final class Findings {
    /** A lock is reported when it holds more than this share of all blocked time... */
    public static final double LOCK_SHARE = 0.5;
    /** ...and its blocked time is at least this share of the recording's length (0.1 = on average a tenth of a thread). */
    public static final double LOCK_MIN_DURATION_SHARE = 0.1;
    /** Parked-on classes that are locks (their park is contention, not waiting). */
    public static final Pattern LOCK_LIKE_PARK_CLASS = Pattern.compile("(Lock|Mutex|Semaphore)(\\$\\w*Sync)?$");
    public static final int LEAK_MIN_GOROUTINES = 100;
    public static final double LEAK_SHARE = 0.5;
    public static final double THREAD_BLOCKED_SHARE = 0.8;
    public static final long THREAD_MIN_LIFETIME_NANOS = 1_000_000_000L;
    public static final double DOMINANT_SHARE = 0.5;
    public static final double OVERWHELMING_SHARE = 0.8;
    public static final int MIN_SAMPLE_ROWS = 10;
    /**
     * Frames of a thread waiting for work on its own queue (a pool's worker, the cleaner, a timer, a scheduler): a
     * wait below one of them is idle time, not a finding.
     */
    public static final Pattern IDLE_WAIT_FRAME = Pattern.compile("java\\.util\\.concurrent\\.(ThreadPoolExecutor\\.getTask"
            + "|ForkJoinPool\\.awaitWork|DelayScheduler\\.loop|[\\w$]*(Queue|Deque)\\.(take|poll))"
            + "|java\\.lang\\.ref\\.ReferenceQueue\\.remove|java\\.util\\.TimerThread\\.mainLoop");

    private Findings() { }

    /** All findings, most urgent first (then by id). */
    public static List<Finding> of(Profile p) {
        List<Finding> all = new ArrayList<>();
        all.addAll(lockContention(p));
        all.addAll(goroutineLeaks(p));
        all.addAll(blockedThreads(p));
        all.addAll(allocationSites(p));
        all.addAll(cpuHotspots(p));
        all.addAll(GoTraceFindings.of(p));
        all.addAll(JvmFindings.of(p));
        all.sort(BY_SEVERITY);
        return all;
    }

    /** Most urgent first, then by id. */
    public static final Comparator<Finding> BY_SEVERITY =
            Comparator.comparing(Finding::severity).reversed().thenComparing(Finding::id);

    // ---- (a) lock contention

    public static List<Finding> lockContention(Profile p) {
        EventTable ev = p.events();
        int classes = p.classes().size();
        long[] monitorNanos = new long[classes + 1], parkNanos = new long[classes + 1];
        int[] monitorCount = new int[classes + 1], parkCount = new int[classes + 1];
        boolean[] lockLike = lockLikeClasses(p);
        long total = 0;
        for (int r = 0; r < ev.size(); r++) {
            EventKind k = ev.kind(r);
            int c = ev.clazz(r) + 1; // slot 0 = unknown class
            long d = Math.max(0, ev.durationNanos(r));
            if (k == EventKind.MONITOR_ENTER) {
                monitorNanos[c] += d;
                monitorCount[c]++;
                total += d;
            } else if (k == EventKind.THREAD_PARK && lockLike[c]) {
                parkNanos[c] += d;
                parkCount[c]++;
                total += d;
            }
        }
        List<Finding> out = new ArrayList<>();
        if (total == 0) return out;
        long span = span(p);
        for (int c = 0; c <= classes; c++) {
            for (int park = 0; park < 2; park++) {
                long nanos = park == 0 ? monitorNanos[c] : parkNanos[c];
                double share = (double) nanos / total;
                if (share <= LOCK_SHARE || nanos < LOCK_MIN_DURATION_SHARE * span) continue;
                String cls = c == 0 ? "<unknown class>" : p.className(c - 1);
                int count = park == 0 ? monitorCount[c] : parkCount[c];
                String what = park == 0 ? "entering monitors of " + cls : "parked on " + cls;
                Severity sev = nanos >= span ? Severity.CRITICAL : Severity.WARNING;
                out.add(new Finding("lock-contention/" + cls, sev, "Lock contention on " + cls,
                        String.format(Locale.ROOT, "Threads were blocked %s ms %s (%,d events), %s of all blocked "
                                + "time: on average %.1f threads at once over the %s recording.", ms(nanos), what, count,
                                pct(share), (double) nanos / span, seconds(span)),
                        new Finding.Link(Finding.Link.LOCKS, Finding.Link.LOCK_CLASS, cls, null)));
            }
        }
        return out;
    }

    /** Per class slot (0 = unknown, c + 1 = class c): whether a park on it is a lock acquisition. */
    private static boolean[] lockLikeClasses(Profile p) {
        boolean[] lockLike = new boolean[p.classes().size() + 1];
        for (int c = 0; c < p.classes().size(); c++) lockLike[c + 1] = LOCK_LIKE_PARK_CLASS.matcher(p.className(c)).find();
        return lockLike;
    }

    /** Length of the capture: its duration, else the span of its events. */
    private static long span(Profile p) {
        if (p.durationNanos() > 0) return p.durationNanos();
        EventTable ev = p.events();
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        for (int r = 0; r < ev.size(); r++) {
            min = Math.min(min, ev.startNanos(r));
            max = Math.max(max, ev.startNanos(r) + ev.durationNanos(r));
        }
        if (max <= min) return 1;
        long span = max - min;
        return span > 0 ? span : Long.MAX_VALUE; // damaged times more than Long.MAX_VALUE apart
    }

    // ---- (b) goroutine leak

    public static List<Finding> goroutineLeaks(Profile p) {
        List<Finding> out = new ArrayList<>();
        for (SampleTable t : p.sampleTables()) {
            for (int col = 0; col < t.valueTypes().size(); col++) {
                ValueType vt = t.valueTypes().get(col);
                if (vt.kind().equals("goroutine")) out.addAll(goroutineLeaks(p, t, col, vt));
            }
        }
        return out;
    }

    private static List<Finding> goroutineLeaks(Profile p, SampleTable t, int col, ValueType vt) {
        // Group samples by their stack's functions and lines (frames that differ only in address fall together).
        Map<String, Integer> groupOfKey = new HashMap<>();
        Map<Integer, Integer> groupOfStack = new HashMap<>();
        List<Integer> groupStack = new ArrayList<>();
        List<long[]> groupCount = new ArrayList<>(); // [goroutines]
        List<Map<Integer, Long>> groupStates = new ArrayList<>();
        List<long[]> groupWait = new ArrayList<>(); // [max wait ns]
        long total = 0;
        for (int r = 0; r < t.size(); r++) {
            long v = t.value(col, r);
            total += v;
            int s = t.stack(r);
            if (s < 0 || v <= 0) continue;
            Integer g = groupOfStack.get(s);
            if (g == null) {
                g = groupOfKey.computeIfAbsent(stackKey(p, s), k -> {
                    groupStack.add(s);
                    groupCount.add(new long[1]);
                    groupStates.add(new HashMap<>());
                    groupWait.add(new long[] {-1});
                    return groupStack.size() - 1;
                });
                groupOfStack.put(s, g);
            }
            groupCount.get(g)[0] += v;
            int th = t.thread(r);
            if (th >= 0 && p.threads().state(th) >= 0) {
                groupStates.get(g).merge(p.threads().state(th), v, Long::sum);
                groupWait.get(g)[0] = Math.max(groupWait.get(g)[0], p.threads().waitNanos(th));
            }
        }
        List<Finding> out = new ArrayList<>();
        for (int g = 0; g < groupStack.size(); g++) {
            long n = groupCount.get(g)[0];
            double share = (double) n / total;
            if (n < LEAK_MIN_GOROUTINES || share < LEAK_SHARE) continue;
            int frame = topUserFrame(p, groupStack.get(g));
            String func = p.frameName(frame);
            String where = location(p, frame);
            String state = groupStates.get(g).entrySet().stream().max(Map.Entry.comparingByValue())
                    .map(e -> p.string(e.getKey())).orElse(null);
            long wait = groupWait.get(g)[0];
            String stateText = state == null ? "" : " in state \"" + state + "\""
                    + (wait > 0 ? " (waiting up to " + minutes(wait) + ")" : "");
            out.add(new Finding("goroutine-leak/" + func, Severity.WARNING, "Goroutine leak suspect: " + func,
                    String.format(Locale.ROOT, "%,d of %,d goroutines (%s) are on the same stack%s, at %s%s.",
                            n, total, pct(share), stateText, func, where.isEmpty() ? "" : " (" + where + ")"),
                    new Finding.Link(Finding.Link.FLAME, Finding.Link.FOCUS, regexLiteral(func), vt.toString())));
        }
        return out;
    }

    /** Functions and lines of a stack, leaf first, as text. */
    private static String stackKey(Profile p, int s) {
        StringBuilder key = new StringBuilder();
        for (; s >= 0; s = p.stacks().parent(s)) {
            int f = p.stacks().frame(s);
            key.append(p.functions().name(p.frames().func(f))).append(':').append(p.frames().line(f)).append(';');
        }
        return key.toString();
    }

    /** The frame nearest the leaf whose function is not in Go's runtime ({@code runtime.}, {@code runtime/}). */
    static int topUserFrame(Profile p, int stack) {
        StackTable st = p.stacks();
        for (int s = stack; s >= 0; s = st.parent(s)) {
            String name = p.frameName(st.frame(s));
            if (!name.startsWith("runtime.") && !name.startsWith("runtime/")) return st.frame(s);
        }
        return st.frame(stack);
    }

    /** "file:line", "file", or "" when the frame has neither. */
    static String location(Profile p, int frame) {
        int file = p.functions().file(p.frames().func(frame));
        String f = file < 0 ? "" : p.string(file);
        int line = p.frames().line(frame);
        if (f.isEmpty()) return line > 0 ? "line " + line : "";
        return line > 0 ? f + ":" + line : f;
    }

    // ---- (c) threads blocked most of their lifetime

    public static List<Finding> blockedThreads(Profile p) {
        int n = p.threads().size();
        if (n == 0) return List.of();
        long[] first = new long[n], last = new long[n], blocked = new long[n], waiting = new long[n];
        java.util.Arrays.fill(first, Long.MAX_VALUE);
        java.util.Arrays.fill(last, Long.MIN_VALUE);
        Map<Long, Long> byThreadClass = new HashMap<>(); // (thread << 32 | class slot) -> ns
        boolean[] lockLike = lockLikeClasses(p);
        IdleWaits idleWaits = new IdleWaits(p);
        EventTable ev = p.events();
        for (int r = 0; r < ev.size(); r++) {
            int th = ev.thread(r);
            if (th < 0) continue;
            long start = ev.startNanos(r), d = Math.max(0, ev.durationNanos(r));
            first[th] = Math.min(first[th], start);
            last[th] = Math.max(last[th], start + d);
            EventKind k = ev.kind(r);
            int slot = ev.clazz(r) + 1;
            if (k == EventKind.MONITOR_ENTER || (k == EventKind.THREAD_PARK && lockLike[slot])) blocked[th] += d;
            else if ((k == EventKind.MONITOR_WAIT || k == EventKind.THREAD_PARK) && !idleWaits.test(ev.stack(r))) waiting[th] += d;
            else continue;
            byThreadClass.merge(((long) th << 32) | slot, d, Long::sum);
        }
        for (SampleTable t : p.sampleTables()) {
            if (!t.hasTime()) continue;
            for (int r = 0; r < t.size(); r++) {
                int th = t.thread(r);
                if (th < 0) continue;
                long time = t.timeNanos(r);
                first[th] = Math.min(first[th], time);
                last[th] = Math.max(last[th], time);
            }
        }
        List<Finding> out = new ArrayList<>();
        for (int th = 0; th < n; th++) {
            long life = last[th] - first[th], idle = blocked[th] + waiting[th];
            if (first[th] == Long.MAX_VALUE || life < THREAD_MIN_LIFETIME_NANOS || idle == 0) continue;
            double share = Math.min(1.0, (double) idle / life);
            if (share <= THREAD_BLOCKED_SHARE) continue;
            long bestNanos = -1;
            int bestSlot = 0;
            for (Map.Entry<Long, Long> e : byThreadClass.entrySet()) {
                if ((int) (e.getKey() >>> 32) == th && e.getValue() > bestNanos) {
                    bestNanos = e.getValue();
                    bestSlot = (int) (long) e.getKey();
                }
            }
            String on = bestSlot == 0 ? "" : "; mostly on " + p.className(bestSlot - 1);
            String name = p.threadName(th);
            boolean contention = blocked[th] >= waiting[th];
            out.add(new Finding("thread-blocked/" + name, contention ? Severity.WARNING : Severity.INFO,
                    "Thread " + name + (contention ? " is mostly blocked" : " is mostly waiting"),
                    String.format(Locale.ROOT, "%s was blocked %s ms and waiting %s ms in its observed lifetime of %s, "
                            + "%s of it%s.", name, ms(blocked[th]), ms(waiting[th]), seconds(life), pct(share), on),
                    new Finding.Link(Finding.Link.THREADS, Finding.Link.THREAD, name, null)));
        }
        return out;
    }

    /**
     * A pool thread waiting for work on its own queue: a wait or park whose stack passes through a frame of
     * {@link #IDLE_WAIT_FRAME}. Such waits are how an idle pool looks, not a finding; memoized per stack.
     */
    private static final class IdleWaits {
        private final Profile p;
        private final byte[] known; // 0 not yet, 1 idle, 2 not

        IdleWaits(Profile p) {
            this.p = p;
            this.known = new byte[p.stacks().size()];
        }

        boolean test(int stack) {
            if (stack < 0) return false;
            if (known[stack] == 0) {
                boolean idle = false;
                for (int s = stack; s >= 0 && !idle; s = p.stacks().parent(s)) idle = IDLE_WAIT_FRAME.matcher(p.frameName(p.stacks().frame(s))).matches();
                known[stack] = (byte) (idle ? 1 : 2);
            }
            return known[stack] == 1;
        }
    }

    // ---- (d) allocation site, (e) CPU hot spot

    public static List<Finding> allocationSites(Profile p) {
        ValueType vt = p.tableOf(ValueType.ALLOC_BYTES) != null ? ValueType.ALLOC_BYTES : firstOfKind(p, "alloc_space");
        return dominantSelf(p, vt, "allocation-site", "Allocation dominated by ", "of the allocated bytes");
    }

    public static List<Finding> cpuHotspots(Profile p) {
        ValueType vt = p.tableOf(ValueType.CPU_SAMPLES) != null ? ValueType.CPU_SAMPLES
                : p.tableOf(ValueType.CPU_TIME_SAMPLES) != null ? ValueType.CPU_TIME_SAMPLES : firstOfKind(p, "cpu");
        return dominantSelf(p, vt, "cpu-hotspot", "CPU hot spot: ", "of the CPU self time");
    }

    private static ValueType firstOfKind(Profile p, String kind) {
        for (ValueType vt : p.valueTypes()) if (vt.kind().equals(kind)) return vt;
        return null;
    }

    private static List<Finding> dominantSelf(Profile p, ValueType vt, String rule, String title, String ofWhat) {
        if (vt == null || p.tableOf(vt).size() < MIN_SAMPLE_ROWS) return List.of();
        FunctionTotals totals = FunctionTotals.of(p, vt);
        if (totals.grandTotal() <= 0) return List.of();
        List<Finding> out = new ArrayList<>();
        for (FunctionTotals.Row row : totals.bySelf()) {
            double share = (double) row.self() / totals.grandTotal();
            if (share <= DOMINANT_SHARE) break;
            out.add(new Finding(rule + "/" + row.name(), share > OVERWHELMING_SHARE ? Severity.WARNING : Severity.INFO,
                    title + row.name(),
                    String.format(Locale.ROOT, "%s has %s (%s of %s) %s (%s).", row.name(), pct(share),
                            amount(row.self(), vt), amount(totals.grandTotal(), vt), ofWhat, vt),
                    new Finding.Link(Finding.Link.FLAME, Finding.Link.FOCUS, regexLiteral(row.name()), vt.toString())));
        }
        return out;
    }

    // ---- formatting

    /** A regular expression that matches exactly the given text (metacharacters escaped with a backslash). */
    public static String regexLiteral(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8).append('^');
        for (char c : s.toCharArray()) {
            if ("\\^$.|?*+()[]{}".indexOf(c) >= 0) b.append('\\');
            b.append(c);
        }
        return b.append('$').toString();
    }

    static String pct(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%,d", Math.round(nanos / 1e6));
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    private static String minutes(long nanos) {
        long min = nanos / 60_000_000_000L;
        return min >= 1 ? min + " min" : seconds(nanos);
    }

    private static String amount(long v, ValueType vt) {
        return switch (vt.unit()) {
            case "bytes" -> String.format(Locale.ROOT, "%,d bytes", v);
            case "nanoseconds" -> ms(v) + " ms";
            default -> String.format(Locale.ROOT, "%,d %s", v, vt.unit());
        };
    }
}
