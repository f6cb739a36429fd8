// SPDX-License-Identifier: Apache-2.0
package dev.kiln.testutil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a JFR {@code .facts.txt} (written by the corpus' JfrFacts tool) into sections ("== ..." lines) with
 * sub-tables ("  header:" lines) of rows "    name   key=value key=value".
 */
public final class FactsFile {
    /** A row: a name and its numeric attributes. */
    public record Row(String name, Map<String, String> attrs) {
        public long getLong(String key) { return Long.parseLong(attrs.get(key)); }

        public double getDouble(String key) { return Double.parseDouble(attrs.get(key)); }
    }

    /** A section: its header line (after "== ") and its sub-tables keyed by sub-header (before the first "("). */
    public record Section(String header, Map<String, List<Row>> tables, List<Row> rows) { }

    private static final Pattern TRAILING_ATTR = Pattern.compile("\\s+(\\w+)=(-?[\\d.]+)$");

    public final List<String> lines;
    public final Map<String, Section> sections = new LinkedHashMap<>();

    public FactsFile(Path path) {
        try {
            lines = Files.readAllLines(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Section current = null;
        List<Row> table = null;
        for (String line : lines) {
            if (line.startsWith("== ")) {
                String h = line.substring(3);
                String key = h.split("[: ]", 2)[0];
                current = new Section(h, new LinkedHashMap<>(), new ArrayList<>());
                sections.put(key, current);
                table = current.rows;
            } else if (current != null && line.startsWith("  ") && !line.startsWith("    ") && line.trim().endsWith(":")) {
                String sub = line.trim();
                int paren = sub.indexOf(" (");
                sub = paren > 0 ? sub.substring(0, paren) : sub.substring(0, sub.length() - 1);
                table = new ArrayList<>();
                current.tables.put(sub, table);
            } else if (current != null && line.startsWith("  ") && !line.isBlank()) {
                table.add(parseRow(line.trim()));
            }
        }
    }

    static Row parseRow(String s) {
        Map<String, String> attrs = new LinkedHashMap<>();
        Matcher m;
        while ((m = TRAILING_ATTR.matcher(s)).find()) {
            attrs.put(m.group(1), m.group(2));
            s = s.substring(0, m.start());
        }
        if (attrs.isEmpty()) { // "name   count" rows (event counts, thread names)
            int sp = s.lastIndexOf(' ');
            if (sp > 0 && s.substring(sp + 1).matches("\\d+")) {
                attrs.put("count", s.substring(sp + 1));
                s = s.substring(0, sp);
            }
        }
        return new Row(s.trim(), attrs);
    }

    /** The value after "key: " or "key=" on the first line that has it. */
    public String value(String key) {
        Pattern p = Pattern.compile("(?:^|\\s)" + Pattern.quote(key) + "[:=]\\s*(\\S+)");
        for (String line : lines) {
            Matcher m = p.matcher(line);
            if (m.find()) return m.group(1);
        }
        return null;
    }

    public Section section(String key) { return sections.get(key); }

    /** A JVM descriptor class name of the facts ({@code [B}, {@code [Ljava.lang.String;}) as JMC names it ({@code byte[]}). */
    public static String javaClassName(String jvm) {
        int dims = 0;
        while (dims < jvm.length() && jvm.charAt(dims) == '[') dims++;
        if (dims == 0) return jvm;
        String base = switch (jvm.charAt(dims)) {
            case 'B' -> "byte"; case 'C' -> "char"; case 'D' -> "double"; case 'F' -> "float";
            case 'I' -> "int"; case 'J' -> "long"; case 'S' -> "short"; case 'Z' -> "boolean";
            default -> jvm.substring(dims + 1, jvm.length() - 1);
        };
        return base + "[]".repeat(dims);
    }
}
