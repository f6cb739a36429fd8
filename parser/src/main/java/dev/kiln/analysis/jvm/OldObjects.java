// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import dev.kiln.analysis.Filter;
import dev.kiln.model.JfrEventTable;
import dev.kiln.model.JfrField;
import dev.kiln.model.Profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Leak candidates: a JFR recording's {@code jdk.OldObjectSample} events (objects sampled at allocation that were still
 * alive when the recording ended; the {@code profile} settings keep up to 256), each with its class, allocation time, age,
 * the heap used when it was last seen alive, the array length (-1 for an object that is no array), its allocating thread
 * and stack, and its GC root when the recording was made with {@code path-to-gc-roots=true} ("" otherwise). Those
 * allocated in the filter's time range, oldest first. Read from the event store.
 */
public record OldObjects(List<Sample> samples) {
    public record Sample(String className, long allocationNanos, long ageNanos, long lastKnownHeapUsageBytes,
                         long arrayElements, int thread, int stack, String root) { }

    public static boolean applies(Profile p) {
        JfrEventTable t = p.jfrEvents().table("jdk.OldObjectSample");
        return t != null && t.size() > 0;
    }

    public static OldObjects of(Profile p, Filter f) {
        JfrEventTable t = p.jfrEvents().table("jdk.OldObjectSample");
        if (t == null) return new OldObjects(List.of());
        JfrField alloc = t.field("allocationTime"), age = t.field("objectAge"), heap = t.field("lastKnownHeapUsage"),
                type = t.field("object.type"), elements = t.field("arrayElements"), root = t.field("root.description"),
                rootType = t.field("root.type"), rootSystem = t.field("root.system");
        List<Sample> out = new ArrayList<>();
        for (int r = 0; r < t.size(); r++) {
            long at = alloc == null ? t.startNanos(r) : alloc.longValue(r);
            if (!f.acceptsTime(at) || !f.acceptsThread(p, t.thread(r))) continue;
            long n = elements == null ? Integer.MIN_VALUE : elements.longValue(r);
            out.add(new Sample(type == null || type.index(r) < 0 ? "" : p.className(type.index(r)), at, age == null ? 0 : age.longValue(r),
                    heap == null ? 0 : heap.longValue(r), n == Integer.MIN_VALUE ? -1 : n, t.thread(r), t.stack(r),
                    rootText(p, r, root, rootType, rootSystem)));
        }
        out.sort(Comparator.comparingLong(Sample::allocationNanos));
        return new OldObjects(List.copyOf(out));
    }

    /** "description (type, system)" of the root, the parts the recording has; "" without one. */
    private static String rootText(Profile p, int r, JfrField... fields) {
        List<String> parts = new ArrayList<>();
        for (JfrField f : fields) if (f != null && f.index(r) >= 0 && !p.string(f.index(r)).isEmpty()) parts.add(p.string(f.index(r)));
        if (parts.isEmpty()) return "";
        return parts.size() == 1 ? parts.get(0) : parts.get(0) + " (" + String.join(", ", parts.subList(1, parts.size())) + ")";
    }
}
