// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import dev.kiln.analysis.Filter;
import dev.kiln.model.Profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JFR recording's class loading, for the JIT and classes page, as JMC's Class Loading page shows it: the classes
 * loaded and unloaded since the JVM started over time ({@code jdk.ClassLoadingStatistics}, the whole recording); per
 * class loader at the last {@code jdk.ClassLoaderStatistics} its classes, hidden classes and metaspace, with the
 * {@code jdk.ClassLoad}, {@code ClassDefine} and {@code ClassUnload} events (off by default; counted in the filter's time
 * range) by defining loader; and the classes unloaded. Loaders by classes, most first.
 */
public record ClassLoading(TimeSeries loaded, TimeSeries unloaded, List<Loader> loaders, int loadEvents, int defineEvents,
                           int unloadEvents, List<String> unloadedClasses) {
    /**
     * One class loader: {@code name (class)}, its class's name when unnamed, "bootstrap" for the boot loader;
     * {@code classes} and the sizes are -1 for a loader the statistics do not list (seen only in class events).
     */
    public record Loader(String name, long classes, long hiddenClasses, long chunkBytes, long blockBytes, int loads, int defines, int unloads) { }

    /** Rows of one periodic emission are microseconds apart; emissions are at least this far apart. */
    private static final long SNAPSHOT_GAP_NANOS = 10_000_000L;

    public static ClassLoading of(Profile p, Filter f) {
        StoreColumns s = StoreColumns.of(p, "jdk.ClassLoadingStatistics");
        TimeSeries loaded = series(s, "Classes loaded", "loadedClassCount"), unloaded = series(s, "Classes unloaded", "unloadedClassCount");
        Map<String, long[]> by = new LinkedHashMap<>(); // classes, hidden, chunk, block, loads, defines, unloads
        StoreColumns st = StoreColumns.of(p, "jdk.ClassLoaderStatistics");
        if (st != null) {
            long last = st.table().startNanos(latest(st));
            for (int r = 0; r < st.size(); r++) {
                if (st.table().startNanos(r) < last - SNAPSHOT_GAP_NANOS) continue;
                long[] t = by.computeIfAbsent(st.loader("classLoader", r) + "\0" + st.number("classLoaderData", r), k -> new long[7]);
                t[0] = st.number("classCount", r);
                t[1] = st.number("hiddenClassCount", r);
                t[2] = st.number("chunkSize", r) + Math.max(0, st.number("hiddenChunkSize", r));
                t[3] = st.number("blockSize", r) + Math.max(0, st.number("hiddenBlockSize", r));
            }
        }
        int[] events = new int[3];
        List<String> gone = new ArrayList<>();
        String[] types = {"jdk.ClassLoad", "jdk.ClassDefine", "jdk.ClassUnload"}, classes = {"loadedClass", "definedClass", "unloadedClass"};
        for (int k = 0; k < 3; k++) {
            StoreColumns e = StoreColumns.of(p, types[k]);
            for (int r = 0; e != null && r < e.size(); r++) {
                if (!f.acceptsTime(e.table().startNanos(r))) continue;
                events[k]++;
                String loader = e.loader("definingClassLoader", r);
                long[] t = null;
                for (Map.Entry<String, long[]> m : by.entrySet()) if (m.getKey().startsWith(loader + "\0")) { t = m.getValue(); break; }
                if (t == null) t = by.computeIfAbsent(loader + "\0", x -> new long[]{-1, -1, -1, -1, 0, 0, 0});
                t[4 + k]++;
                if (k == 2) gone.add(e.text(classes[k], r) + " (" + loader + ")");
            }
        }
        List<Loader> loaders = new ArrayList<>();
        by.forEach((key, t) -> loaders.add(new Loader(key.substring(0, key.indexOf('\0')), t[0], t[1], t[2], t[3], (int) t[4], (int) t[5], (int) t[6])));
        loaders.sort(Comparator.comparingLong((Loader l) -> Math.max(l.classes(), l.loads())).reversed().thenComparing(Loader::name));
        return new ClassLoading(loaded, unloaded, List.copyOf(loaders), events[0], events[1], events[2], List.copyOf(gone));
    }

    public boolean isEmpty() { return loaded.size() == 0 && loaders.isEmpty(); }

    /** The row with the latest start (the last of equal ones). */
    static int latest(StoreColumns s) {
        int last = 0;
        for (int r = 1; r < s.size(); r++) if (s.table().startNanos(r) >= s.table().startNanos(last)) last = r;
        return last;
    }

    private static TimeSeries series(StoreColumns s, String label, String field) {
        List<long[]> rows = new ArrayList<>();
        for (int r = 0; s != null && r < s.size(); r++) rows.add(new long[]{s.table().startNanos(r), s.number(field, r)});
        return StoreColumns.series(label, "count", rows);
    }
}
