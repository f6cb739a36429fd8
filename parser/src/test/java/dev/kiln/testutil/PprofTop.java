// SPDX-License-Identifier: Apache-2.0
package dev.kiln.testutil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a pprof {@code .top.txt} ({@code go tool pprof -top} per sample index) and the raw sums of a pprof
 * {@code .facts.txt}. Flat values keep pprof's rounding: {@link Row#flat()} is the number as printed in the
 * unit of the sample type (bytes, nanoseconds, count) and {@link Row#tolerance()} half of its last digit.
 */
public final class PprofTop {
    /** A row of a top table: flat value, its rounding tolerance, and the function name without "(inline)". */
    public record Row(String name, double flat, double tolerance) { }

    private static final Pattern SECTION = Pattern.compile("^### .*-sample_index=(\\S+) .*");
    private static final Pattern ROW = Pattern.compile("^\\s*(\\S+)\\s+\\S+%\\s+\\S+%\\s+\\S+\\s+\\S+%\\s+(.+?)( \\(inline\\))?$");
    private static final Pattern NUMBER = Pattern.compile("^(-?[\\d.]+)([a-zA-Z]*)$");

    private PprofTop() { }

    /** Rows per sample index, in file order. */
    public static Map<String, List<Row>> read(Path topFile) {
        Map<String, List<Row>> out = new LinkedHashMap<>();
        List<Row> rows = null;
        boolean inTable = false;
        for (String line : lines(topFile)) {
            Matcher s = SECTION.matcher(line);
            if (s.matches()) {
                rows = new ArrayList<>();
                out.put(s.group(1), rows);
                inTable = false;
            } else if (rows != null && line.trim().startsWith("flat")) {
                inTable = true;
            } else if (inTable && !line.isBlank()) {
                Matcher m = ROW.matcher(line);
                if (m.matches()) rows.add(parse(m.group(2), m.group(1)));
            }
        }
        return out;
    }

    private static Row parse(String name, String value) {
        Matcher m = NUMBER.matcher(value);
        if (!m.matches()) throw new IllegalArgumentException(value);
        String digits = m.group(1);
        int dot = digits.indexOf('.');
        double lastDigit = dot < 0 ? 1 : Math.pow(10, -(digits.length() - dot - 1));
        double scale = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "", "b", "ns", "samples" -> 1;
            case "kb" -> 1024;
            case "mb" -> 1024.0 * 1024;
            case "gb" -> 1024.0 * 1024 * 1024;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            default -> throw new IllegalArgumentException("unit " + value);
        };
        return new Row(name, Double.parseDouble(digits) * scale, lastDigit * scale / 2 + 1);
    }

    /** "sum[type/unit]: N" (or "sum[type/unit[dflt]]: N") of a pprof facts file, or -1. */
    public static long rawSum(Path factsFile, String type) {
        Pattern p = Pattern.compile("^sum\\[" + Pattern.quote(type) + "(\\[dflt])?]: (\\d+)$");
        for (String l : lines(factsFile)) {
            Matcher m = p.matcher(l);
            if (m.matches()) return Long.parseLong(m.group(2));
        }
        return -1;
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
