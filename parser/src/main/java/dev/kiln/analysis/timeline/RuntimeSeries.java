// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.timeline;

import dev.kiln.analysis.jvm.CpuLoad;
import dev.kiln.model.EventKind;
import dev.kiln.model.EventTable;
import dev.kiln.model.LongList;
import dev.kiln.model.Profile;

/**
 * What the runtime did beside the threads, on the timeline's time axis: GC cycles (Go traces), stop-the-world and GC
 * pauses (Go's STW, JFR's {@code jdk.GarbageCollection}), and the heap in use and heap goal over time (Go traces'
 * metrics), and a JFR recording's CPU load ({@link CpuLoad}: the JVM's and the machine's). Each as sorted columns;
 * empty when the capture has none.
 */
public record RuntimeSeries(long[] gcStart, long[] gcEnd, long[] pauseStart, long[] pauseEnd, long[] heapTime,
                            long[] heapBytes, long[] goalTime, long[] goalBytes, CpuLoad cpu) {
    public static final String HEAP = "/memory/classes/heap/objects:bytes", GOAL = "/gc/heap/goal:bytes";

    public static RuntimeSeries of(Profile p) {
        LongList gs = new LongList(), ge = new LongList(), ps = new LongList(), pe = new LongList();
        LongList ht = new LongList(), hb = new LongList(), gt = new LongList(), gb = new LongList();
        EventTable ev = p.events();
        for (int r = 0; r < ev.size(); r++) {
            EventKind k = ev.kind(r);
            long s = ev.startNanos(r);
            if (k == EventKind.GO_GC) { gs.add(s); ge.add(s + ev.durationNanos(r)); }
            else if (k == EventKind.GC_PAUSE) { ps.add(s); pe.add(s + ev.durationNanos(r)); }
            else if (k == EventKind.GO_METRIC && ev.detail(r) >= 0) {
                String name = p.string(ev.detail(r));
                if (name.equals(HEAP)) { ht.add(s); hb.add(ev.amount(r)); }
                else if (name.equals(GOAL)) { gt.add(s); gb.add(ev.amount(r)); }
            }
        }
        return new RuntimeSeries(gs.toArray(), ge.toArray(), ps.toArray(), pe.toArray(), ht.toArray(), hb.toArray(),
                gt.toArray(), gb.toArray(), CpuLoad.of(p));
    }

    public boolean isEmpty() { return gcStart.length == 0 && pauseStart.length == 0 && heapTime.length == 0 && cpu.isEmpty(); }

    /** The largest heap value (in use or goal), for the band's scale; 0 when there is none. */
    public long maxHeap() {
        long m = 0;
        for (long v : heapBytes) m = Math.max(m, v);
        for (long v : goalBytes) m = Math.max(m, v);
        return m;
    }
}
