// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis;

import dev.kiln.analysis.Weight.EventMeasure;
import dev.kiln.model.EventKind;
import dev.kiln.model.EventTable;
import dev.kiln.model.Profile;
import dev.kiln.model.SampleTable;
import dev.kiln.model.ValueType;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The weights a profile offers: every sample value type, in table order, then the event-derived weights of
 * the event families the profile has at least one event of:
 * <pre>
 *   monitor-blocked/nanoseconds, monitor-blocked/count   MONITOR_ENTER
 *   monitor-wait/nanoseconds,    monitor-wait/count      MONITOR_WAIT
 *   park/nanoseconds,            park/count              THREAD_PARK
 *   sleep/nanoseconds,           sleep/count             THREAD_SLEEP
 *   io/nanoseconds, io/count, io/bytes                   SOCKET_READ/WRITE, FILE_READ/WRITE/FORCE
 *   sched/nanoseconds,           sched/count             GO_SCHED_DELAY (Go traces: go tool trace -pprof=sched)
 *   sync/nanoseconds,            sync/count              GO_SYNC_DELAY (-pprof=sync)
 *   net/nanoseconds,             net/count               GO_NET_DELAY (-pprof=net)
 *   syscall/nanoseconds,         syscall/count           GO_SYSCALL_DELAY (-pprof=syscall)
 * </pre>
 */
public final class Weights {
    private record Family(String kind, Set<EventKind> kinds, boolean bytes) { }

    private static final List<Family> FAMILIES = List.of(
            new Family("monitor-blocked", EnumSet.of(EventKind.MONITOR_ENTER), false),
            new Family("monitor-wait", EnumSet.of(EventKind.MONITOR_WAIT), false),
            new Family("park", EnumSet.of(EventKind.THREAD_PARK), false),
            new Family("sleep", EnumSet.of(EventKind.THREAD_SLEEP), false),
            new Family("io", EnumSet.of(EventKind.SOCKET_READ, EventKind.SOCKET_WRITE, EventKind.FILE_READ,
                    EventKind.FILE_WRITE, EventKind.FILE_FORCE), true),
            new Family("sched", EnumSet.of(EventKind.GO_SCHED_DELAY), false),
            new Family("sync", EnumSet.of(EventKind.GO_SYNC_DELAY), false),
            new Family("net", EnumSet.of(EventKind.GO_NET_DELAY), false),
            new Family("syscall", EnumSet.of(EventKind.GO_SYSCALL_DELAY), false));

    private Weights() { }

    /** Every weight of the profile: sample value types first (table order), then event weights. */
    public static List<Weight> available(Profile p) {
        List<Weight> out = new ArrayList<>();
        for (SampleTable t : p.sampleTables()) {
            for (int c = 0; c < t.valueTypes().size(); c++) out.add(Weight.ofSamples(t, c));
        }
        EnumSet<EventKind> present = EnumSet.noneOf(EventKind.class);
        EventTable ev = p.events();
        for (int e = 0; e < ev.size(); e++) present.add(ev.kind(e));
        for (Family f : FAMILIES) {
            if (f.kinds.stream().noneMatch(present::contains)) continue;
            out.add(Weight.ofEvents(new ValueType(f.kind, "nanoseconds"), f.kinds, EventMeasure.DURATION));
            out.add(Weight.ofEvents(new ValueType(f.kind, "count"), f.kinds, EventMeasure.COUNT));
            if (f.bytes) out.add(Weight.ofEvents(new ValueType(f.kind, "bytes"), f.kinds, EventMeasure.AMOUNT));
        }
        return out;
    }

    /**
     * The event types ({@link EventKind#jfrType()}) a weight named {@code spec} (as {@link #parse} takes it) is made
     * of, when it names an event family ({@code sched}, {@code park/count}); null when it names none (a sample type).
     */
    public static Set<String> eventTypes(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        int slash = s.indexOf('/');
        String kind = slash < 0 ? s : s.substring(0, slash), unit = slash < 0 ? null : s.substring(slash + 1);
        for (Family f : FAMILIES) {
            if (!f.kind.equals(kind) || unit != null && !unit.equals("nanoseconds") && !unit.equals("count")
                    && !(f.bytes && unit.equals("bytes"))) continue;
            return f.kinds.stream().map(EventKind::jfrType).collect(Collectors.toCollection(java.util.TreeSet::new));
        }
        return null;
    }

    /** The weight the profile shows first: its default value type, else the first weight; null if none. */
    public static Weight defaultWeight(Profile p) {
        List<Weight> all = available(p);
        for (Weight w : all) if (w.type().equals(p.defaultValueType())) return w;
        return all.isEmpty() ? null : all.get(0);
    }

    /**
     * The weight named {@code spec}: a full name {@code kind/unit} ({@code cpu/samples}) or a kind alone
     * ({@code cpu}, {@code inuse_space}; the first weight of that kind), case-insensitive.
     *
     * @throws IllegalArgumentException naming the choices when there is no such weight
     */
    public static Weight parse(Profile p, String spec) {
        List<Weight> all = available(p);
        String s = spec.trim().toLowerCase(Locale.ROOT);
        for (Weight w : all) if (w.type().toString().toLowerCase(Locale.ROOT).equals(s)) return w;
        for (Weight w : all) if (w.type().kind().toLowerCase(Locale.ROOT).equals(s)) return w;
        String choices = all.isEmpty() ? "(none: the profile has no samples or events)"
                : all.stream().map(Weight::toString).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("no weight '" + spec + "' in " + p.sourceName() + "; choices: " + choices);
    }
}
