// SPDX-License-Identifier: Apache-2.0
package dev.kiln.report;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.jvm.JvmEnvironment;
import dev.kiln.analysis.jvm.ThrownExceptions;
import dev.kiln.export.SeriesSvgWriter;
import dev.kiln.model.JfrEventTable;
import dev.kiln.model.Profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report's Exceptions and Environment sections, the data of the app's pages of the same names: the thrown classes
 * and messages ({@link ThrownExceptions}, the first {@link #ROWS}) with the throw rates as an inline SVG chart, and the
 * environment ({@link JvmEnvironment}) as groups of name and value rows; the event types of the Events page, the
 * recording's every type with events and its count (as {@code jfr summary} counts them) grouped by category path.
 * Nothing is added for a profile without them.
 */
final class JvmReport {
    static final int ROWS = 100;

    private JvmReport() { }

    /** Puts {@code eventTypes}, {@code exceptions} and {@code environment} into the report's data when the profile has them. */
    static void put(Profile p, Map<String, Object> d) {
        if (!p.jfrEvents().isEmpty()) d.put("eventTypes", eventTypes(p));
        if (ThrownExceptions.applies(p)) {
            ThrownExceptions t = ThrownExceptions.of(p, Filter.NONE);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("total", t.total());
            m.put("source", t.source() == null ? "" : t.source());
            m.put("classes", t.byClass().subList(0, Math.min(ROWS, t.byClass().size())));
            m.put("classCount", t.byClass().size());
            m.put("messages", t.byMessage().subList(0, Math.min(ROWS, t.byMessage().size())));
            m.put("messageCount", t.byMessage().size());
            m.put("startNanos", p.startEpochNanos());
            long start = p.startEpochNanos(), end = start + p.durationNanos();
            // no chart for a damaged file's span (a tampered header: years): the axis would need millions of ticks
            boolean sane = p.durationNanos() > 0 && p.durationNanos() < 86_400_000_000_000L && p.startEpochNanos() > 0
                    && p.startEpochNanos() < Long.MAX_VALUE / 2;
            m.put("svg", !sane || t.thrownRate().size() == 0 && t.rate().size() == 0 ? ""
                    : SeriesSvgWriter.svg(List.of(t.thrownRate(), t.rate()), start, end, start, 900, 200));
            d.put("exceptions", m);
        }
        if (JvmEnvironment.applies(p)) {
            JvmEnvironment<Map<String, String>> env = JvmEnvironment.of(p, false);
            List<Map<String, Object>> groups = new ArrayList<>();
            env.sections().forEach((key, fields) -> groups.add(group(JvmEnvironment.title(key), rows(fields))));
            List<List<String>> flags = new ArrayList<>();
            for (Map<String, String> f : env.flags()) flags.add(List.of(f.get("name"), f.getOrDefault("value", "") + " (" + f.getOrDefault("origin", "") + ")"));
            groups.add(group("Flags not at their default (" + flags.size() + ")", flags));
            groups.add(group("System properties (" + env.properties().size() + ")", rows(env.properties())));
            groups.add(group("Environment variables (" + env.environment().size() + ")", rows(env.environment())));
            List<List<String>> settings = new ArrayList<>();
            env.settings().forEach((type, s) -> settings.add(List.of(type, s.toString().replaceAll("^\\{|\\}$", ""))));
            groups.add(group("Recording settings (" + settings.size() + " event types)", settings));
            d.put("environment", groups);
        }
    }

    /**
     * {@code total} events of {@code typeCount} types ({@code declared} declared), and {@code groups}: per category path
     * ({@code "Java Virtual Machine / GC / Collector"}, by name) its {@code count} and its types' {@code [label, name,
     * count]} rows, most events first.
     */
    private static Map<String, Object> eventTypes(Profile p) {
        Map<String, List<JfrEventTable>> byCategory = new TreeMap<>();
        long total = 0;
        int types = 0;
        for (JfrEventTable t : p.jfrEvents().tables()) {
            if (t.size() == 0) continue;
            byCategory.computeIfAbsent(String.join(" / ", t.category()), k -> new ArrayList<>()).add(t);
            total += t.size();
            types++;
        }
        List<Map<String, Object>> groups = new ArrayList<>();
        byCategory.forEach((category, tables) -> {
            tables.sort(Comparator.comparingInt(JfrEventTable::size).reversed().thenComparing(JfrEventTable::name));
            List<List<Object>> rows = new ArrayList<>();
            long n = 0;
            for (JfrEventTable t : tables) {
                rows.add(List.of(t.label(), t.name(), t.size()));
                n += t.size();
            }
            groups.add(Map.of("category", category.isEmpty() ? "(no category)" : category, "count", n, "rows", rows));
        });
        return Map.of("total", total, "typeCount", types, "declared", p.jfrEvents().tables().size(), "groups", groups);
    }

    private static Map<String, Object> group(String title, List<List<String>> rows) { return Map.of("title", title, "rows", rows); }

    private static List<List<String>> rows(Map<String, String> m) {
        List<List<String>> out = new ArrayList<>();
        m.forEach((k, v) -> out.add(List.of(k, v == null ? "" : v)));
        return out;
    }
}
