// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import dev.kiln.analysis.Filter;
import dev.kiln.model.JfrEventTable;
import dev.kiln.model.JfrField;
import dev.kiln.model.LongList;
import dev.kiln.model.Profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The threads' own CPU load from a JFR recording's {@code jdk.ThreadCPULoad} events (one per Java thread and period,
 * 0-1 of all CPUs, user and system apart), as "thread CPU top": per thread the mean and maximum load of its samples in
 * the filter's time range, most loaded first, and its user and system load over the whole recording; beside them the
 * machine's thread context switches per second ({@code jdk.ThreadContextSwitchRate}) when recorded. Read from the event
 * store ({@link Profile#jfrEvents()}): empty without it.
 */
public record ThreadCpu(List<Row> threads, TimeSeries contextSwitches) {
    /**
     * One thread: its samples in the range and their mean and maximum load (user + system for {@code maxTotal});
     * {@code user} and {@code system} are all its samples.
     */
    public record Row(int thread, String name, int samples, double meanUser, double meanSystem, double maxTotal,
                      TimeSeries user, TimeSeries system) {
        public double meanTotal() { return meanUser + meanSystem; }
    }

    public static boolean applies(Profile p) {
        JfrEventTable t = p.jfrEvents().table("jdk.ThreadCPULoad");
        return t != null && t.size() > 0;
    }

    public static ThreadCpu of(Profile p, Filter f) {
        JfrEventTable t = p.jfrEvents().table("jdk.ThreadCPULoad");
        TimeSeries switches = StoreSeries.of(p, p.jfrEvents().table("jdk.ThreadContextSwitchRate"), "switchRate", null, Filter.NONE,
                "Context switches/s (machine)", "count");
        JfrField user = t == null ? null : t.field("user"), system = t == null ? null : t.field("system");
        if (user == null || system == null) return new ThreadCpu(List.of(), switches);
        record Acc(LongList rows, double[] sums) { }
        Map<Integer, Acc> by = new LinkedHashMap<>();
        Integer[] order = new Integer[t.size()];
        for (int r = 0; r < t.size(); r++) order[r] = r;
        java.util.Arrays.sort(order, Comparator.comparingLong(t::startNanos));
        for (int r : order) {
            int th = t.thread(r);
            if (!f.acceptsThread(p, th)) continue;
            Acc a = by.computeIfAbsent(th, k -> new Acc(new LongList(), new double[4])); // in range: n, user, system, max
            a.rows.add(r);
            if (!f.acceptsTime(t.startNanos(r))) continue;
            double u = user.doubleValue(r), s = system.doubleValue(r);
            a.sums[0]++;
            a.sums[1] += u;
            a.sums[2] += s;
            a.sums[3] = Math.max(a.sums[3], u + s);
        }
        List<Row> rows = new ArrayList<>();
        by.forEach((th, a) -> {
            int n = (int) a.sums[0];
            if (n == 0) return;
            long[] times = new long[a.rows.size()];
            double[] us = new double[times.length], ss = new double[times.length];
            for (int i = 0; i < times.length; i++) {
                int r = (int) a.rows.get(i);
                times[i] = t.startNanos(r);
                us[i] = user.doubleValue(r);
                ss[i] = system.doubleValue(r);
            }
            rows.add(new Row(th, p.threadName(th), n, a.sums[1] / n, a.sums[2] / n, a.sums[3],
                    new TimeSeries("User", TimeSeries.PERCENT, times, us), new TimeSeries("System", TimeSeries.PERCENT, times, ss)));
        });
        rows.sort(Comparator.comparingDouble(Row::meanTotal).reversed().thenComparing(Row::name));
        return new ThreadCpu(List.copyOf(rows), switches);
    }
}
