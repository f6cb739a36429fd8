// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.timeline;

import dev.kiln.analysis.Filter;
import dev.kiln.model.EventKind;
import dev.kiln.model.EventTable;
import dev.kiln.model.Profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * User tasks and regions of a Go execution trace ({@code runtime/trace.NewTask}, {@code WithRegion} /
 * {@code StartRegion}) per name, as {@code go tool trace}'s User-defined tasks and regions pages summarize them:
 * how many, and their durations (total, mean, median, 90th and 99th percentile, longest). A task or region still
 * open when the trace ends counts up to the end; one that began before the trace started counts from its start.
 * Sorted by total duration, largest first. A time range in the {@link Filter} keeps those that start in it.
 */
public record UserRanges(List<Row> tasks, List<Row> regions) {
    /** One name: count and durations in nanoseconds. */
    public record Row(String name, long count, long totalNanos, long meanNanos, long p50Nanos, long p90Nanos,
                      long p99Nanos, long maxNanos) { }

    public static UserRanges of(Profile p, Filter filter) {
        Filter f = filter == null ? Filter.NONE : filter;
        Map<String, List<Long>> tasks = new LinkedHashMap<>(), regions = new LinkedHashMap<>();
        EventTable ev = p.events();
        for (int r = 0; r < ev.size(); r++) {
            EventKind k = ev.kind(r);
            if (k != EventKind.GO_TASK && k != EventKind.GO_REGION) continue;
            long start = ev.startNanos(r);
            if (start < f.fromNanos() || start >= f.toNanos()) continue;
            String name = ev.detail(r) < 0 ? "" : p.string(ev.detail(r));
            (k == EventKind.GO_TASK ? tasks : regions).computeIfAbsent(name, x -> new ArrayList<>()).add(ev.durationNanos(r));
        }
        return new UserRanges(rows(tasks), rows(regions));
    }

    private static List<Row> rows(Map<String, List<Long>> byName) {
        List<Row> out = new ArrayList<>();
        byName.forEach((name, list) -> {
            long[] d = list.stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(d);
            long total = 0;
            for (long v : d) total += v;
            out.add(new Row(name, d.length, total, total / d.length, quantile(d, 0.5), quantile(d, 0.9), quantile(d, 0.99), d[d.length - 1]));
        });
        out.sort(Comparator.comparingLong(Row::totalNanos).reversed().thenComparing(Row::name));
        return List.copyOf(out);
    }

    /** The nearest-rank quantile of sorted values. */
    public static long quantile(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
