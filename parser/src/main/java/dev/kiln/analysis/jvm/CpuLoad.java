// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import dev.kiln.analysis.Filter;
import dev.kiln.model.EventKind;
import dev.kiln.model.EventTable;
import dev.kiln.model.JfrEventTable;
import dev.kiln.model.LongList;
import dev.kiln.model.Profile;

import java.util.Arrays;

/**
 * A JFR recording's CPU load over time, from its {@code jdk.CPULoad} samples (about one a second): the JVM's share
 * (user + system) and the machine's total, both 0-1 of all CPUs, as JMC's CPU page charts them. The model keeps them
 * in per-mille, so each value is within 0.0005 (JVM: 0.001) of what {@code jfr print} shows. {@code jvmUser} and
 * {@code jvmSystem} are the JVM's two parts as the recording holds them (floats), read from the event store
 * ({@link dev.kiln.model.Profile#jfrEvents()}): empty when the profile was loaded without it.
 */
public record CpuLoad(TimeSeries jvm, TimeSeries machine, TimeSeries jvmUser, TimeSeries jvmSystem) {
    /** Whether the capture has any CPU load sample. */
    public static boolean applies(Profile p) {
        EventTable ev = p.events();
        for (int r = 0; r < ev.size(); r++) if (ev.kind(r) == EventKind.CPU_LOAD) return true;
        return false;
    }

    /** The samples of the whole capture (the pages shade a chosen range rather than cut the chart to it). */
    public static CpuLoad of(Profile p) { return of(p, Filter.NONE); }

    /** The samples taken in the filter's time range. */
    public static CpuLoad of(Profile p, Filter f) {
        EventTable ev = p.events();
        LongList t = new LongList();
        double[] jvm = new double[16], machine = new double[16];
        int n = 0;
        for (int r = 0; r < ev.size(); r++) {
            if (ev.kind(r) != EventKind.CPU_LOAD || !f.acceptsTime(ev.startNanos(r))) continue;
            if (n == jvm.length) { jvm = Arrays.copyOf(jvm, 2 * n); machine = Arrays.copyOf(machine, 2 * n); }
            t.add(ev.startNanos(r));
            jvm[n] = ev.address(r) / 1000.0;
            machine[n] = ev.amount(r) / 1000.0;
            n++;
        }
        long[] times = t.toArray();
        JfrEventTable store = p.jfrEvents().table("jdk.CPULoad");
        return new CpuLoad(new TimeSeries("JVM (user+system)", TimeSeries.PERCENT, times, Arrays.copyOf(jvm, n)),
                new TimeSeries("Machine total", TimeSeries.PERCENT, times, Arrays.copyOf(machine, n)),
                StoreSeries.of(p, store, "jvmUser", null, f, "JVM user", TimeSeries.PERCENT),
                StoreSeries.of(p, store, "jvmSystem", null, f, "JVM system", TimeSeries.PERCENT));
    }

    public boolean isEmpty() { return jvm.size() == 0; }

    /** The series the CPU page charts: JVM user, JVM system (when the store has them), JVM total, machine total. */
    public java.util.List<TimeSeries> charted() {
        return jvmUser.size() == 0 ? java.util.List.of(jvm, machine) : java.util.List.of(jvmUser, jvmSystem, jvm, machine);
    }
}
