// SPDX-License-Identifier: Apache-2.0
package dev.kiln.bench;

import dev.kiln.model.*;
import java.nio.file.*;
import java.util.*;
/**
 * Prints a hash per JFR store table, per sample table and of the event table, values resolved to names (strings, thread
 * names, stacks as frame texts), so that a change to the reader or the model can be checked for an identical model:
 * run before and after on every capture and compare the lines.
 *
 * <pre>java -cp "app/target/kiln.jar:app/target/lib/*:parser/target/test-classes" dev.kiln.bench.ModelHash FILE [TYPE,TYPE...]</pre>
 */
public final class ModelHash {
    static Profile p;
    static Map<Integer, String> stackText = new HashMap<>();
    static String stack(int s) {
        if (s < 0) return "-";
        return stackText.computeIfAbsent(s, k -> {
            StringBuilder sb = new StringBuilder();
            for (int x = k; x >= 0; x = p.stacks().parent(x)) {
                int f = p.stacks().frame(x);
                sb.append(p.frameName(f)).append(':').append(p.frames().line(f)).append(';');
            }
            return sb.toString();
        });
    }
    static long h(long h, String s) { return h * 31 + (s == null ? 7 : s.hashCode()); }
    static long h(long h, long v) { return h * 1_000_003 + v; }
    public static void main(String[] a) throws Exception {
        Set<String> only = a.length > 1 ? new HashSet<>(Arrays.asList(a[1].split(","))) : null;
        p = only == null ? dev.kiln.io.ProfileLoader.load(Path.of(a[0]), dev.kiln.job.ProgressSink.NONE)
                : dev.kiln.io.ProfileLoader.load(Path.of(a[0]), dev.kiln.job.ProgressSink.NONE, only);
        long all = 0;
        for (JfrEventTable t : p.jfrEvents().tables()) {
            long hh = h(0, t.name());
            for (JfrField f : t.fields()) {
                hh = h(hh, f.path()); hh = h(hh, f.kind().name());
                for (int r = 0; r < t.size(); r++) {
                    switch (f.kind()) {
                        case LONG, DOUBLE, BOOLEAN -> hh = h(hh, f.longValue(r));
                        case STRING, ARRAY -> { int i = f.index(r); hh = h(hh, i < 0 ? null : p.string(i)); }
                        case THREAD -> { int i = f.index(r); hh = h(hh, i < 0 ? "none" : p.threadName(i) + "#" + p.threads().javaId(i)); }
                        case STACK -> hh = h(hh, stack(f.index(r)));
                        case CLASS -> { int i = f.index(r); hh = h(hh, i < 0 ? "none" : p.className(i)); }
                    }
                }
            }
            all = h(all, hh);
        }
        System.out.println("store tables " + p.jfrEvents().tables().size() + " hash " + Long.toHexString(all));
        for (SampleTable t : p.sampleTables()) {
            long hh = h(0, t.name());
            for (int r = 0; r < t.size(); r++) {
                hh = h(hh, t.timeNanos(r)); hh = h(hh, t.thread(r) < 0 ? "none" : p.threadName(t.thread(r)));
                hh = h(hh, stack(t.stack(r))); hh = h(hh, t.clazz(r) < 0 ? "none" : p.className(t.clazz(r)));
                for (int v = 0; v < t.valueTypes().size(); v++) hh = h(hh, t.value(v, r));
            }
            System.out.println("samples " + t.name() + " " + t.size() + " " + Long.toHexString(hh));
        }
        EventTable e = p.events();
        long hh = 0;
        for (int r = 0; r < e.size(); r++) {
            hh = h(hh, e.kind(r).name()); hh = h(hh, e.thread(r) < 0 ? "none" : p.threadName(e.thread(r)));
            hh = h(hh, e.startNanos(r)); hh = h(hh, e.durationNanos(r)); hh = h(hh, stack(e.stack(r)));
            hh = h(hh, e.clazz(r) < 0 ? "none" : p.className(e.clazz(r))); hh = h(hh, e.address(r));
            hh = h(hh, e.otherThread(r) < 0 ? "none" : p.threadName(e.otherThread(r)));
            hh = h(hh, e.detail(r) < 0 ? null : p.string(e.detail(r))); hh = h(hh, e.amount(r));
        }
        System.out.println("events " + e.size() + " " + Long.toHexString(hh));
        System.out.println("threads " + p.threads().size() + " stacks " + p.stacks().size() + " warnings " + p.warnings() + " counts " + p.eventCounts().hashCode());
    }
}
