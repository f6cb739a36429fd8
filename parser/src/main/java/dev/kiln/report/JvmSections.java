// SPDX-License-Identifier: Apache-2.0
package dev.kiln.report;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.diff.Diff;
import dev.kiln.analysis.diff.JvmDiff;
import dev.kiln.analysis.jvm.AllocationRate;
import dev.kiln.analysis.jvm.Metaspace;
import dev.kiln.analysis.jvm.OldObjects;
import dev.kiln.analysis.jvm.ThreadCpu;
import dev.kiln.analysis.jvm.TimeSeries;
import dev.kiln.model.Profile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's data for the JVM pages beyond CPU load and collections: thread CPU top, allocation rate, metaspace and
 * leak candidates of a recording, and the JVM delta rows of a diff, as the app's CPU, Memory and Diff pages show them.
 */
final class JvmSections {
    static final int STACK_FRAMES = 40;

    private JvmSections() { }

    /** The {@code top} threads by mean CPU load, formatted. */
    static List<Map<String, Object>> threadCpu(Profile p, int top) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ThreadCpu.Row r : ThreadCpu.of(p, Filter.NONE).threads()) {
            if (rows.size() >= top) break;
            rows.add(Map.of("name", r.name(), "mean", pct(r.meanTotal()), "max", pct(r.maxTotal()), "user", pct(r.meanUser()),
                    "system", pct(r.meanSystem()), "samples", r.samples()));
        }
        return rows;
    }

    private static String pct(double v) { return TimeSeries.format(v, TimeSeries.PERCENT); }

    /** Adds {@code allocation}, {@code metaspace} and {@code leaks} to the report's data when the recording has them. */
    static void memory(Profile p, Map<String, Object> d) {
        AllocationRate rate = AllocationRate.of(p);
        if (!rate.isEmpty()) {
            double[] mm = rate.rate().meanMax(Long.MIN_VALUE, Long.MAX_VALUE);
            d.put("allocation", Map.of("source", rate.source(), "totalBytes", rate.totalBytes(), "bucketSeconds", rate.bucketNanos() / 1e9,
                    "mean", rate.rate().format(mm[0]), "max", rate.rate().format(mm[1])));
        }
        Metaspace m = Metaspace.of(p);
        if (!m.isEmpty()) {
            TimeSeries used = m.usedAfter().size() > 0 ? m.usedAfter() : m.usedBefore();
            d.put("metaspace", Map.of("usedBytes", last(used), "committedBytes", last(m.committed()), "reservedBytes", last(m.reserved()),
                    "summaries", m.committed().size()));
        }
        if (!OldObjects.applies(p)) return;
        List<Map<String, Object>> rows = new ArrayList<>();
        for (OldObjects.Sample s : OldObjects.of(p, Filter.NONE).samples()) {
            List<String> stack = new ArrayList<>();
            for (int st = s.stack(); st >= 0 && stack.size() < STACK_FRAMES; st = p.stacks().parent(st)) stack.add(p.frameName(p.stacks().frame(st)));
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("className", s.className());
            r.put("allocatedSeconds", (s.allocationNanos() - p.startEpochNanos()) / 1e9);
            r.put("ageNanos", s.ageNanos());
            r.put("heapBytes", s.lastKnownHeapUsageBytes());
            r.put("arrayElements", s.arrayElements());
            r.put("thread", p.threadName(s.thread()));
            r.put("root", s.root());
            r.put("stack", stack);
            rows.add(r);
        }
        d.put("leaks", rows);
    }

    private static long last(TimeSeries s) { return s.size() == 0 ? 0 : (long) s.value(s.size() - 1); }

    /** Every JVM metric, and the exception classes, I/O targets and event types that changed ({@code top} of each). */
    static Map<String, Object> diff(JvmDiff j, int top) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Diff.KeyDelta k : j.metrics()) rows.add(row("", k, JvmDiff.unit(k.key())));
        rows.addAll(changed("Exceptions thrown", j.exceptions(), "count", top));
        rows.addAll(changed("I/O bytes", j.io(), "bytes", top));
        rows.addAll(changed("Events", j.events(), "count", top));
        return Map.of("rows", rows);
    }

    private static List<Map<String, Object>> changed(String group, List<Diff.KeyDelta> l, String unit, int top) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Diff.KeyDelta k : l) if (!k.value().isSame() && out.size() < top) out.add(row(group, k, unit));
        return out;
    }

    private static Map<String, Object> row(String group, Diff.KeyDelta k, String unit) {
        return Map.of("group", group, "key", k.key(), "unit", unit, "change", HtmlReport.change(k.value()));
    }
}
