// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis;

import dev.kiln.analysis.MutatorUtilization;
import dev.kiln.model.EventKind;
import dev.kiln.model.EventTable;
import dev.kiln.model.Profile;
import dev.kiln.model.SampleTable;
import dev.kiln.model.SourceFormat;
import dev.kiln.model.Units;
import dev.kiln.model.ValueType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code kiln summary} prints: format, producer, time span, threads, every event and sample type with
 * count and total, and the top functions by self and total weight for each value type. A plain record tree so
 * that the text and the JSON form say the same.
 */
public record ProfileSummary(String file, String format, String producer, String start, double durationSeconds,
                             int threads, boolean incomplete, List<String> warnings, Map<String, Long> eventCounts,
                             List<SampleTypeSummary> sampleTypes, List<EventKindSummary> eventKinds,
                             String defaultValueType, String period, GoTrace goTrace) {

    /**
     * What a Go execution trace holds beyond the tables (null for other captures): its format version (Go 1.24
     * writes 1.23's), goroutines, Ps, GC cycles and their time, stop-the-world pauses (count, total, longest).
     */
    public record GoTrace(String traceFormat, int goroutines, int procs, long gcCycles, long gcNanos, long stwPauses,
                          long stwNanos, long stwMaxNanos, List<MutatorUtilization.Point> mmu,
                          List<MutatorUtilization.Point> mmuCurve) { }

    /** The window lengths the summary gives the minimum mutator utilization at. */
    public static final long[] MMU_WINDOWS = {1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L};

    /** One value type: its table, rows, total and top functions. */
    public record SampleTypeSummary(String table, String type, String unit, long samples, long total,
                                    List<FunctionRow> topSelf, List<FunctionRow> topTotal) { }

    /** One event kind: how many and their summed duration. */
    public record EventKindSummary(String kind, String name, String jfrType, long count, long totalDurationNanos) { }

    /** A function with its self and total weight. */
    public record FunctionRow(String name, long self, long total) { }

    /**
     * The event types whose rows the summary of a Go trace reads (GC cycles, stop-the-world pauses, the mutator
     * utilization): a trace read with these alone (the loader's chosen event types) counts the others, which is all the summary needs of them.
     */
    public static final Set<String> GO_TRACE_ROWS = Set.of(EventKind.GO_GC.jfrType(), EventKind.GC_PAUSE.jfrType(),
            EventKind.GO_UTILIZATION.jfrType());

    public static ProfileSummary of(Profile p, int top) { return of(p, top, List.of()); }

    /**
     * {@link #of(Profile, int)} with the value types of tables derived from {@code p}'s events too (such as the
     * throwing stacks of a recording's exceptions), after the sample tables' own.
     */
    public static ProfileSummary of(Profile p, int top, List<SampleTable> derived) {
        List<SampleTypeSummary> types = new ArrayList<>();
        List<SampleTable> tables = new ArrayList<>(p.sampleTables());
        tables.addAll(derived);
        for (SampleTable t : tables) {
            for (FunctionTotals ft : FunctionTotals.of(p, t)) {
                ValueType v = ft.valueType();
                types.add(new SampleTypeSummary(t.name(), v.kind(), v.unit(), t.size(), ft.grandTotal(),
                        rows(ft.bySelf(), top, true), rows(ft.byTotal(), top, false)));
            }
        }
        // The default value type first, as a view shows it first.
        types.sort(Comparator.comparing((SampleTypeSummary t) -> !new ValueType(t.type(), t.unit()).equals(p.defaultValueType())));
        EventTable ev = p.events();
        long[] count = new long[EventKind.values().length], nanos = new long[count.length];
        for (int e = 0; e < ev.size(); e++) {
            count[ev.kind(e).ordinal()]++;
            nanos[ev.kind(e).ordinal()] += ev.durationNanos(e);
        }
        for (EventKind k : EventKind.values()) { // the events a read for the summary counted without holding them
            count[k.ordinal()] += p.notHeldEvents(k);
            nanos[k.ordinal()] += p.notHeldNanos(k);
        }
        List<EventKindSummary> kinds = new ArrayList<>();
        for (EventKind k : EventKind.values()) {
            if (count[k.ordinal()] > 0) kinds.add(new EventKindSummary(k.name(), DisplayNames.of(k), k.jfrType(), count[k.ordinal()], nanos[k.ordinal()]));
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        p.eventCounts().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> counts.put(e.getKey(), e.getValue()));
        boolean trace = p.format() == SourceFormat.GO_TRACE;
        return new ProfileSummary(p.sourceName(), p.format().label(), p.producer(),
                startText(p),
                p.durationNanos() / 1e9, p.threads().size(), p.isIncomplete(), p.warnings(), counts, types, kinds,
                p.defaultValueType() == null ? "" : p.defaultValueType().toString(),
                p.periodType() == null || p.period() == 0 ? "" : Units.format(p.period(), p.periodType().unit()) + " (" + p.periodType().kind() + ")",
                trace ? goTraceOf(p) : null);
    }

    /**
     * When the capture started, as an ISO instant, or "" when it does not say: a pprof profile without a time, or a
     * Go execution trace, whose times count from an arbitrary origin (a Go 1.22-1.24 trace holds no wall clock).
     */
    public static String startText(Profile p) {
        if (p.startEpochNanos() <= 0 || p.format() == SourceFormat.GO_TRACE) return "";
        return Instant.ofEpochSecond(0, p.startEpochNanos()).toString();
    }

    /** What a Go execution trace holds beyond the tables (see {@link GoTrace}). */
    public static GoTrace goTraceOf(Profile p) {
        int goroutines = 0, procs = 0;
        for (int t = 0; t < p.threads().size(); t++) {
            if (p.threads().goroutineId(t) >= 0) goroutines++;
            else if (p.threadName(t).startsWith("P ")) procs++;
        }
        long gc = 0, gcNanos = 0, stw = 0, stwNanos = 0, stwMax = 0;
        EventTable ev = p.events();
        for (int e = 0; e < ev.size(); e++) {
            if (ev.kind(e) == EventKind.GO_GC) { gc++; gcNanos += ev.durationNanos(e); }
            if (ev.kind(e) == EventKind.GC_PAUSE) { stw++; stwNanos += ev.durationNanos(e); stwMax = Math.max(stwMax, ev.durationNanos(e)); }
        }
        String producer = p.producer();
        int at = producer.indexOf("format go ");
        String format = at < 0 ? "" : producer.substring(at + "format ".length()).replace(")", "");
        List<MutatorUtilization.Point> mmu = new ArrayList<>(), curve = List.of();
        MutatorUtilization mu = MutatorUtilization.of(p);
        if (mu.spanNanos() > 0) { // the trace named GOMAXPROCS
            for (long w : MMU_WINDOWS) if (w <= mu.spanNanos()) mmu.add(new MutatorUtilization.Point(w, mu.mmu(w)));
            curve = mu.curve(100);
        }
        return new GoTrace(format, goroutines, procs, gc, gcNanos, stw, stwNanos, stwMax, mmu, curve);
    }

    private static List<FunctionRow> rows(List<FunctionTotals.Row> sorted, int top, boolean bySelf) {
        List<FunctionRow> out = new ArrayList<>();
        for (FunctionTotals.Row r : sorted) {
            if (out.size() == top || (bySelf ? r.self() : r.total()) == 0) break;
            out.add(new FunctionRow(r.name(), r.self(), r.total()));
        }
        return out;
    }
}
