// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.locks;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.KeyedSums;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.EventKind;
import dev.kiln.model.EventTable;
import dev.kiln.model.IntList;
import dev.kiln.model.LongIntMap;
import dev.kiln.model.LongList;
import dev.kiln.model.Profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Who waits for which lock, and who held it, from the JFR lock events of a {@link Profile}, built in one pass.
 * <p>
 * A <em>lock</em> is one (class, address) pair of a {@code jdk.JavaMonitorEnter} / {@code jdk.JavaMonitorWait}
 * monitor or of a {@code jdk.ThreadPark} blocker ({@code parkedClass}, e.g. {@code ReentrantLock$NonfairSync});
 * parks without a blocker object form the lock {@link #NO_BLOCKER}. Addresses are as recorded: a park blocker is
 * a heap object whose address changes when the GC moves it, so one blocker may show as several instances; the
 * by-class view is the robust one. Every event belongs to one {@link Kind} (enter = blocked, wait = waiting,
 * park = parked); queries take the set of kinds to show, so the kinds can be seen apart or combined.
 * <p>
 * Edges: waiter thread -> lock, weighted by the summed event durations and the number of events; lock -> owner
 * thread, where the owner is the monitor-enter event's {@code previousOwner} (the thread that held the monitor
 * while the waiter was blocked), weighted by the time waiters spent blocked on it while that thread held it.
 * Only monitor-enter events name an owner (a wait's {@code notifier} is not an owner; a park names none).
 * Stacks are stack indices of the profile's {@code StackTable}; aggregates are (stack -> weight).
 * <p>
 * The {@link Filter}'s thread conditions apply to the waiting thread; an event is kept when its interval overlaps
 * the time range, with its whole duration. Other filter fields do not apply to events and are ignored.
 */
public final class LockGraph {
    /** What a waiting thread was doing. */
    public enum Kind {
        /** {@code jdk.JavaMonitorEnter}: blocked entering a {@code synchronized} monitor. */
        BLOCKED,
        /** {@code jdk.JavaMonitorWait}: in {@code Object.wait} on a monitor. */
        WAITING,
        /** {@code jdk.ThreadPark}: parked ({@code LockSupport.park}), e.g. on a {@code ReentrantLock}. */
        PARKED;

        /** The kind of an event kind, or null for other events. */
        public static Kind of(EventKind k) {
            return switch (k) {
                case MONITOR_ENTER -> BLOCKED;
                case MONITOR_WAIT -> WAITING;
                case THREAD_PARK -> PARKED;
                default -> null;
            };
        }
    }

    /** How locks are grouped in a query. */
    public enum By { CLASS, INSTANCE }

    /** Display name of the class of parks that name no blocker object. */
    public static final String NO_BLOCKER = "<no blocker>";

    /** A thread with its weight on one lock (as waiter or as owner). {@code thread} is a thread row. */
    public record Party(int thread, String name, long nanos, long count) { }

    /** A waiting stack (stack index of the profile) with its weight. */
    public record StackWeight(int stack, long nanos, long count) { }

    /** Time and number of events of one kind. */
    public record KindTotal(Kind kind, long nanos, long count) { }

    /**
     * One lock (an instance, or all instances of a class): {@code name} is the class name, plus
     * {@code @0x<address>} for an instance; {@code address} is 0 for a class row. Waiters, owners and stacks are
     * sorted by time, largest first, and cut to the asked number.
     */
    public record LockRow(String name, String className, long address, int instances, long nanos, long count,
                          List<KindTotal> kinds, List<Party> waiters, List<Party> owners, List<StackWeight> stacks) { }

    /** A node of the graph: a thread ({@code id} = its thread row) or a lock ({@code id} = its group). */
    public record Node(String type, int id, String label, long nanos, long count) { }

    /** An edge between nodes (indices into the node list): type {@code waits} (thread -> lock) or {@code heldBy}. */
    public record Edge(String type, int from, int to, long nanos, long count) { }

    /** Nodes (threads and locks) and weighted edges of a graph view. */
    public record Graph(List<Node> nodes, List<Edge> edges) { }

    private static final int KINDS = Kind.values().length;

    private final Profile profile;
    // Locks: one row per (class, address). Sums: nanos and count per kind (columns 2k, 2k+1).
    private final int[] lockClass;
    private final long[] lockAddress;
    private final KeyedSums lockSums;
    // (lock * KINDS + kind, waiter thread + 1) -> nanos, count
    private final KeyedSums waits;
    // (lock, owner thread) -> nanos, count
    private final KeyedSums owners;
    // (lock * KINDS + kind, stack + 1) -> nanos, count
    private final KeyedSums stacks;

    private LockGraph(Profile profile, int[] lockClass, long[] lockAddress, KeyedSums lockSums, KeyedSums waits,
                      KeyedSums owners, KeyedSums stacks) {
        this.profile = profile;
        this.lockClass = lockClass;
        this.lockAddress = lockAddress;
        this.lockSums = lockSums;
        this.waits = waits;
        this.owners = owners;
        this.stacks = stacks;
    }

    /** Whether a profile has any event this graph is made of. */
    public static boolean applies(Profile p) {
        EventTable ev = p.events();
        for (int e = 0; e < ev.size(); e++) if (Kind.of(ev.kind(e)) != null) return true;
        return false;
    }

    /** Builds the graph of all lock events that pass the filter, in one pass over the events. */
    public static LockGraph of(Profile p, Filter filter, ProgressSink progress) {
        EventTable ev = p.events();
        LongIntMap addressIds = new LongIntMap(256);
        IntList lockClass = new IntList();
        LongList lockAddress = new LongList();
        KeyedSums lockSums = new KeyedSums(2 * KINDS, 256);
        KeyedSums waits = new KeyedSums(2, 256), owners = new KeyedSums(2, 256), stacks = new KeyedSums(2, 1024);
        for (int e = 0; e < ev.size(); e++) {
            if ((e & 0xffff) == 0) progress.checkCancelled();
            Kind kind = Kind.of(ev.kind(e));
            if (kind == null) continue;
            int thread = ev.thread(e);
            long start = ev.startNanos(e), nanos = ev.durationNanos(e);
            if (!filter.overlaps(start, nanos) || !filter.acceptsThread(p, thread)) continue;
            long address = ev.address(e);
            int clazz = ev.clazz(e);
            int addressId = addressIds.get(address);
            if (addressId < 0) {
                addressId = addressIds.size();
                addressIds.put(address, addressId);
            }
            int lock = lockSums.row(KeyedSums.pack(addressId, clazz));
            if (lock == lockClass.size()) {
                lockClass.add(clazz);
                lockAddress.add(address);
            }
            int k = kind.ordinal();
            lockSums.addAt(lock, 2 * k, nanos);
            lockSums.addAt(lock, 2 * k + 1, 1);
            waits.add2(KeyedSums.pack(lock * KINDS + k, thread + 1), nanos, 1);
            stacks.add2(KeyedSums.pack(lock * KINDS + k, ev.stack(e) + 1), nanos, 1);
            int owner = ev.otherThread(e);
            if (kind == Kind.BLOCKED && owner >= 0) owners.add2(KeyedSums.pack(lock, owner), nanos, 1);
        }
        return new LockGraph(p, lockClass.toArray(), lockAddress.toArray(), lockSums, waits, owners, stacks);
    }

    /** All kinds, for the combined view. */
    public static Set<Kind> allKinds() { return EnumSet.allOf(Kind.class); }

    /** Number of lock instances seen. */
    public int lockCount() { return lockClass.length; }

    /** Class name of a lock instance ({@link #NO_BLOCKER} for parks without a blocker). */
    public String className(int lock) { return lockClass[lock] < 0 ? NO_BLOCKER : profile.className(lockClass[lock]); }

    public long address(int lock) { return lockAddress[lock]; }

    /** Summed time of the given kinds over all locks. */
    public long totalNanos(Set<Kind> kinds) {
        long sum = 0;
        for (int l = 0; l < lockClass.length; l++) sum += lockNanos(l, kinds);
        return sum;
    }

    /** Number of events of the given kinds over all locks. */
    public long totalCount(Set<Kind> kinds) {
        long sum = 0;
        for (int l = 0; l < lockClass.length; l++) for (Kind k : kinds) sum += lockSums.get(l, 2 * k.ordinal() + 1);
        return sum;
    }

    private long lockNanos(int lock, Set<Kind> kinds) {
        long sum = 0;
        for (Kind k : kinds) sum += lockSums.get(lock, 2 * k.ordinal());
        return sum;
    }

    /** Group of each lock under a grouping: the lock itself, or a dense id per class. */
    private int[] groups(By by) {
        int[] group = new int[lockClass.length];
        if (by == By.INSTANCE) {
            for (int l = 0; l < group.length; l++) group[l] = l;
            return group;
        }
        LongIntMap classGroup = new LongIntMap(64);
        for (int l = 0; l < group.length; l++) {
            int g = classGroup.get(lockClass[l]);
            if (g < 0) {
                g = classGroup.size();
                classGroup.put(lockClass[l], g);
            }
            group[l] = g;
        }
        return group;
    }

    private static int groupCount(int[] group) {
        int n = 0;
        for (int g : group) n = Math.max(n, g + 1);
        return n;
    }

    /**
     * The locks (or lock classes) with the most time of the given kinds, largest first; locks with no event of
     * those kinds are left out. {@code top} &lt;= 0 means all; {@code details} cuts waiters, owners and stacks
     * ({@code <= 0}: all).
     */
    public List<LockRow> topLocks(By by, Set<Kind> kinds, int top, int details) {
        int[] group = groups(by);
        int n = groupCount(group);
        long[] nanos = new long[n], count = new long[n];
        long[][] kindNanos = new long[KINDS][n], kindCount = new long[KINDS][n];
        int[] instances = new int[n], firstLock = new int[n];
        Arrays.fill(firstLock, -1);
        for (int l = 0; l < lockClass.length; l++) {
            int g = group[l];
            boolean any = false;
            for (Kind k : kinds) {
                long c = lockSums.get(l, 2 * k.ordinal() + 1);
                if (c == 0) continue;
                any = true;
                kindNanos[k.ordinal()][g] += lockSums.get(l, 2 * k.ordinal());
                kindCount[k.ordinal()][g] += c;
                nanos[g] += lockSums.get(l, 2 * k.ordinal());
                count[g] += c;
            }
            if (any) {
                instances[g]++;
                if (firstLock[g] < 0) firstLock[g] = l;
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int g = 0; g < n; g++) if (count[g] > 0) order.add(g);
        order.sort((a, b) -> nanos[a] != nanos[b] ? Long.compare(nanos[b], nanos[a])
                : count[a] != count[b] ? Long.compare(count[b], count[a]) : Integer.compare(a, b));
        if (top > 0 && order.size() > top) order = order.subList(0, top);
        List<LockRow> rows = new ArrayList<>();
        for (int g : order) {
            int l = firstLock[g];
            List<KindTotal> kt = new ArrayList<>();
            for (Kind k : kinds) if (kindCount[k.ordinal()][g] > 0) kt.add(new KindTotal(k, kindNanos[k.ordinal()][g], kindCount[k.ordinal()][g]));
            String cls = className(l);
            boolean instance = by == By.INSTANCE;
            rows.add(new LockRow(instance ? cls + "@0x" + Long.toHexString(lockAddress[l]) : cls, cls,
                    instance ? lockAddress[l] : 0, instances[g], nanos[g], count[g], List.copyOf(kt),
                    parties(waits, true, group, g, kinds, details), parties(owners, false, group, g, kinds, details),
                    stackWeights(group, g, kinds, details)));
        }
        return rows;
    }

    /** Waiters ({@code waits} rows keyed lock*KINDS+kind) or owners ({@code owners} rows keyed lock) of one group. */
    private List<Party> parties(KeyedSums sums, boolean waiters, int[] group, int g, Set<Kind> kinds, int details) {
        if (!waiters && !kinds.contains(Kind.BLOCKED)) return List.of();
        KeyedSums byThread = new KeyedSums(2, 16);
        for (int r = 0; r < sums.size(); r++) {
            int hi = KeyedSums.high(sums.key(r));
            int lock = waiters ? hi / KINDS : hi;
            if (group[lock] != g || (waiters && !kinds.contains(Kind.values()[hi % KINDS]))) continue;
            int thread = KeyedSums.low(sums.key(r)) - (waiters ? 1 : 0);
            byThread.add2(thread, sums.get(r, 0), sums.get(r, 1));
        }
        List<Party> out = new ArrayList<>();
        for (int r = 0; r < byThread.size(); r++) {
            int t = (int) byThread.key(r);
            out.add(new Party(t, t < 0 ? "<no thread>" : profile.threadName(t), byThread.get(r, 0), byThread.get(r, 1)));
        }
        out.sort((a, b) -> a.nanos() != b.nanos() ? Long.compare(b.nanos(), a.nanos()) : a.name().compareTo(b.name()));
        return details > 0 && out.size() > details ? List.copyOf(out.subList(0, details)) : out;
    }

    private List<StackWeight> stackWeights(int[] group, int g, Set<Kind> kinds, int details) {
        KeyedSums byStack = new KeyedSums(2, 16);
        for (int r = 0; r < stacks.size(); r++) {
            int hi = KeyedSums.high(stacks.key(r));
            if (group[hi / KINDS] != g || !kinds.contains(Kind.values()[hi % KINDS])) continue;
            byStack.add2(KeyedSums.low(stacks.key(r)) - 1, stacks.get(r, 0), stacks.get(r, 1));
        }
        List<StackWeight> out = new ArrayList<>();
        for (int r = 0; r < byStack.size(); r++) out.add(new StackWeight((int) byStack.key(r), byStack.get(r, 0), byStack.get(r, 1)));
        out.sort((a, b) -> a.nanos() != b.nanos() ? Long.compare(b.nanos(), a.nanos()) : Integer.compare(a.stack(), b.stack()));
        return details > 0 && out.size() > details ? List.copyOf(out.subList(0, details)) : out;
    }

    /**
     * Waiting time per stack index (array as long as the profile's stack table) of the given kinds, over all
     * locks, or only those of one class when {@code className} is not null: the input of a tree view.
     */
    public long[] waitingStackNanos(Set<Kind> kinds, String className) {
        long[] out = new long[profile.stacks().size()];
        for (int r = 0; r < stacks.size(); r++) {
            int hi = KeyedSums.high(stacks.key(r)), stack = KeyedSums.low(stacks.key(r)) - 1;
            if (stack < 0 || !kinds.contains(Kind.values()[hi % KINDS])) continue;
            if (className != null && !className.equals(className(hi / KINDS))) continue;
            out[stack] += stacks.get(r, 0);
        }
        return out;
    }

    /**
     * The graph view: one node per thread that waits or owns, one per lock group with an event of the given
     * kinds; {@code waits} edges thread -> lock and {@code heldBy} edges lock -> owner thread (blocked only).
     */
    public Graph graph(By by, Set<Kind> kinds) {
        int[] group = groups(by);
        int n = groupCount(group);
        List<Node> nodes = new ArrayList<>();
        int[] lockNode = new int[n];
        Arrays.fill(lockNode, -1);
        LongIntMap threadNode = new LongIntMap(64);
        KeyedSums edges = new KeyedSums(2, 64); // (from node, to node) -> nanos, count; from > to marks heldBy
        List<long[]> nodeSums = new ArrayList<>();
        List<String> edgeTypes = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            KeyedSums sums = pass == 0 ? waits : owners;
            if (pass == 1 && !kinds.contains(Kind.BLOCKED)) break;
            for (int r = 0; r < sums.size(); r++) {
                int hi = KeyedSums.high(sums.key(r));
                int lock = pass == 0 ? hi / KINDS : hi;
                if (pass == 0 && !kinds.contains(Kind.values()[hi % KINDS])) continue;
                int thread = KeyedSums.low(sums.key(r)) - (pass == 0 ? 1 : 0);
                int g = group[lock];
                if (lockNode[g] < 0) {
                    lockNode[g] = nodes.size();
                    String cls = className(lock);
                    nodes.add(new Node("lock", g, by == By.INSTANCE ? cls + "@0x" + Long.toHexString(lockAddress[lock]) : cls, 0, 0));
                    nodeSums.add(new long[2]);
                }
                int t = threadNode.get(thread + 1L);
                if (t < 0) {
                    t = nodes.size();
                    threadNode.put(thread + 1L, t);
                    nodes.add(new Node("thread", thread, thread < 0 ? "<no thread>" : profile.threadName(thread), 0, 0));
                    nodeSums.add(new long[2]);
                }
                long nanos = sums.get(r, 0), count = sums.get(r, 1);
                int from = pass == 0 ? t : lockNode[g], to = pass == 0 ? lockNode[g] : t;
                int e = edges.add2(KeyedSums.pack(from, to), nanos, count);
                if (e == edgeTypes.size()) edgeTypes.add(pass == 0 ? "waits" : "heldBy");
                if (pass == 0) {
                    nodeSums.get(t)[0] += nanos;
                    nodeSums.get(t)[1] += count;
                    nodeSums.get(lockNode[g])[0] += nanos;
                    nodeSums.get(lockNode[g])[1] += count;
                }
            }
        }
        List<Node> weighted = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node x = nodes.get(i);
            weighted.add(new Node(x.type(), x.id(), x.label(), nodeSums.get(i)[0], nodeSums.get(i)[1]));
        }
        List<Edge> out = new ArrayList<>();
        for (int e = 0; e < edges.size(); e++) {
            long key = edges.key(e);
            out.add(new Edge(edgeTypes.get(e), KeyedSums.high(key), KeyedSums.low(key), edges.get(e, 0), edges.get(e, 1)));
        }
        return new Graph(weighted, out);
    }
}
