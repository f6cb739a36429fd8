// SPDX-License-Identifier: Apache-2.0
package dev.kiln.report;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.jvm.ClassLoading;
import dev.kiln.analysis.jvm.Compilations;
import dev.kiln.analysis.jvm.Safepoints;
import dev.kiln.analysis.jvm.TimeSeries;
import dev.kiln.export.SeriesSvgWriter;
import dev.kiln.model.Profile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's JIT and classes and safepoints sections: the same analyses as the app's pages, cut to the longest rows,
 * with their charts as SVG text ({@link SeriesSvgWriter}, every name escaped) that the page puts in place.
 */
final class JitAndSafepointsSections {
    static final int ROWS = 20;

    private JitAndSafepointsSections() { }

    static void put(Profile p, Map<String, Object> d) {
        if (Compilations.applies(p)) {
            Compilations c = Compilations.of(p, Filter.NONE);
            ClassLoading cl = ClassLoading.of(p, Filter.NONE);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("compilations", c.compilations().size());
            m.put("compilationNanos", c.totalNanos());
            m.put("statistics", c.statistics());
            m.put("longest", first(c.compilations()));
            m.put("compilers", c.compilers());
            m.put("deoptimizations", c.deoptimizations().size());
            m.put("reasons", c.deoptimizationReasons());
            m.put("loaders", first(cl.loaders()));
            m.put("loaderCount", cl.loaders().size());
            m.put("classEvents", List.of(cl.loadEvents(), cl.defineEvents(), cl.unloadEvents()));
            m.put("classSvg", cl.loaded().size() == 0 ? "" : chart(p, List.of(cl.loaded(), cl.unloaded()), 200));
            List<TimeSeries> heaps = c.codeCacheChart();
            m.put("codeSvg", heaps.isEmpty() ? "" : chart(p, heaps, 200));
            d.put("jit", m);
        }
        if (Safepoints.applies(p)) {
            Safepoints s = Safepoints.of(p, Filter.NONE);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", s.safepoints().size());
            m.put("totalNanos", s.totalNanos());
            m.put("share", p.durationNanos() <= 0 ? 0 : (double) s.totalNanos() / p.durationNanos());
            m.put("operations", s.operations().size());
            m.put("startNanos", p.startEpochNanos());
            m.put("longest", first(s.longest()));
            m.put("byOperation", first(s.byOperation()));
            m.put("operationCount", s.byOperation().size());
            m.put("svg", s.safepoints().isEmpty() ? "" : chart(p, s.series(), 220));
            d.put("safepoints", m);
        }
    }

    /** The series over the recording, "" when its clock is beyond belief (a damaged header: the axis would not end). */
    private static String chart(Profile p, List<TimeSeries> series, int height) {
        long start = p.startEpochNanos(), d = p.durationNanos(), limit = 1_000_000_000L * 86_400 * 365;
        if (d <= 0 || d > limit || start < 0 || start > Long.MAX_VALUE - 2 * limit) return "";
        return SeriesSvgWriter.svg(series, start, start + d, start, 900, height);
    }

    private static <T> List<T> first(List<T> l) { return l.subList(0, Math.min(ROWS, l.size())); }
}
