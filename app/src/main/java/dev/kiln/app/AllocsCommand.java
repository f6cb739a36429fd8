// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.alloc.Allocations;
import dev.kiln.analysis.alloc.Allocations.By;
import dev.kiln.analysis.alloc.Allocations.Row;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.Units;
import dev.kiln.model.ValueType;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code kiln allocs FILE [--by class|site] [--type TYPE] [--top N] [--json]}: the top allocated classes (with their
 * top allocation sites) or the top allocation sites (with their classes), one column per value type (JFR: bytes
 * and events; pprof heap: alloc/inuse objects and space), sorted by {@code --type} (default: bytes, or the
 * file's default sample type). Profiles without classes (Go heap) are shown by site.
 */
final class AllocsCommand {
    static final String USAGE = "usage: kiln allocs FILE [--by class|site] [--type TYPE] [--top N] [filters] [--json]\n" + FilterArgs.HELP;
    private static final int PARTS = 3;

    /** The JSON form: columns name the values of every row. */
    record Report(String file, String source, String by, String sortedBy, List<String> columns, long[] totals,
                  boolean hasClasses, String note, List<Row> rows) { }

    private AllocsCommand() { }

    static int run(String[] args, PrintStream out, PrintStream err) {
        boolean json = false;
        By by = null;
        String type = null;
        int top = 15;
        List<String> files = new ArrayList<>();
        FilterArgs filterArgs = new FilterArgs();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                int used = filterArgs.accept(args, i);
                if (used > 0) {
                    i += used - 1;
                    continue;
                }
                switch (a) {
                    case "--json" -> json = true;
                    case "--by" -> by = switch (LocksCommand.value(args, ++i, a)) {
                        case "class" -> By.CLASS;
                        case "site" -> By.SITE;
                        default -> throw new IllegalArgumentException("--by takes class or site");
                    };
                    case "--type" -> type = LocksCommand.value(args, ++i, a);
                    case "--top" -> top = Integer.parseInt(LocksCommand.value(args, ++i, a));
                    default -> {
                        if (a.startsWith("-")) throw new IllegalArgumentException("unknown option " + a);
                        files.add(a);
                    }
                }
            }
            if (files.size() != 1) throw new IllegalArgumentException("expected one FILE");
        } catch (IllegalArgumentException e) {
            err.println("kiln allocs: " + e.getMessage());
            err.print(USAGE);
            return Main.USAGE;
        }
        Profile profile = LocksCommand.load(files.get(0), err);
        if (profile == null) return Main.BAD_INPUT;
        if (!Allocations.applies(profile)) {
            out.println(profile.sourceName() + ": no allocation samples (jdk.ObjectAllocationSample, TLAB events, pprof heap/allocs)");
            return Main.OK;
        }
        Filter filter;
        try {
            filter = filterArgs.toFilter(profile);
        } catch (IllegalArgumentException e) {
            err.println("kiln allocs: " + e.getMessage());
            return Main.USAGE;
        }
        Allocations a = Allocations.of(profile, filter, ProgressSink.NONE);
        int column = a.defaultColumn();
        if (type != null) {
            column = -1;
            for (int c = 0; c < a.valueTypes().size(); c++) {
                ValueType v = a.valueTypes().get(c);
                if (v.kind().equals(type) || v.toString().equals(type)) column = c;
            }
            if (column < 0) {
                err.println("kiln allocs: no value type " + type + " in " + profile.sourceName() + "; it has " + a.valueTypes());
                return Main.USAGE;
            }
        }
        String note = "";
        if (by == null) by = a.hasClasses() ? By.CLASS : By.SITE;
        else if (by == By.CLASS && !a.hasClasses()) {
            note = "This profile does not name allocated classes (Go heap profiles): showing allocation sites.";
            by = By.SITE;
        }
        List<String> columns = a.valueTypes().stream().map(ValueType::toString).toList();
        long[] totals = new long[columns.size()];
        for (int c = 0; c < totals.length; c++) totals[c] = a.total(c);
        Report r = new Report(profile.sourceName(), a.source(), by.name().toLowerCase(Locale.ROOT), columns.get(column), columns, totals,
                a.hasClasses(), note, a.top(by, column, top, PARTS));
        if (json) return LocksCommand.printJson(r, out, err);
        printText(r, a.valueTypes(), column, out);
        return Main.OK;
    }

    static void printText(Report r, List<ValueType> types, int column, PrintStream out) {
        out.printf(Locale.ROOT, "File: %s%n", r.file());
        out.printf(Locale.ROOT, "Allocations from %s, by %s, sorted by %s%n", r.source(), r.by(), r.sortedBy());
        StringBuilder totals = new StringBuilder();
        for (int c = 0; c < types.size(); c++) {
            totals.append(c == 0 ? "" : ", ").append(Units.format(r.totals()[c], types.get(c).unit())).append(' ').append(types.get(c).kind());
        }
        out.printf(Locale.ROOT, "Total: %s%n", totals);
        if (!r.note().isEmpty()) out.println(r.note());
        out.println();
        StringBuilder head = new StringBuilder("  ");
        for (ValueType v : types) head.append(String.format(Locale.ROOT, "%15s ", v.kind()));
        head.append(String.format(Locale.ROOT, "%8s  %s", "%", r.by().equals("class") ? "class  [top sites]" : "site  [classes]"));
        out.println(head);
        for (Row row : r.rows()) {
            StringBuilder line = new StringBuilder("  ");
            for (int c = 0; c < types.size(); c++) line.append(String.format(Locale.ROOT, "%15s ", Units.format(row.values()[c], types.get(c).unit())));
            line.append(String.format(Locale.ROOT, "%8s  %s", Units.percent(row.values()[column], r.totals()[column]), row.name()));
            if (r.hasClasses() && !row.parts().isEmpty()) {
                List<String> parts = new ArrayList<>();
                for (Row p : row.parts()) parts.add(p.name() + " " + Units.percent(p.values()[column], row.values()[column]));
                line.append("  [").append(String.join(", ", parts)).append(']');
            }
            out.println(line);
        }
    }
}
