// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import dev.kiln.model.JfrEventTable;
import dev.kiln.model.JfrField;
import dev.kiln.model.Profile;

/**
 * Reads a {@link JfrEventTable}'s columns for the JVM pages whatever the recording declares: a missing field (or one
 * of another kind) reads as none (-1, "", false) rather than failing, since JDK versions add and rename fields.
 */
final class StoreColumns {
    private final Profile p;
    private final JfrEventTable t;

    StoreColumns(Profile p, JfrEventTable t) {
        this.p = p;
        this.t = t;
    }

    /** The columns of {@code type}, or null when the recording has no event of it. */
    static StoreColumns of(Profile p, String type) {
        JfrEventTable t = p.jfrEvents().table(type);
        return t == null || t.size() == 0 ? null : new StoreColumns(p, t);
    }

    JfrEventTable table() { return t; }

    int size() { return t.size(); }

    /** An integer field's value, -1 when absent. */
    long number(String path, int row) {
        JfrField f = t.field(path);
        return f == null || f.kind() != JfrField.Kind.LONG ? -1 : f.longValue(row);
    }

    boolean bool(String path, int row) {
        JfrField f = t.field(path);
        return f != null && f.kind() == JfrField.Kind.BOOLEAN && f.booleanValue(row);
    }

    /** A text field's value, a class field's name or a thread field's name; "" when absent or none. */
    String text(String path, int row) {
        JfrField f = t.field(path);
        if (f == null) return "";
        return switch (f.kind()) {
            case STRING, ARRAY -> f.index(row) < 0 ? "" : p.string(f.index(row));
            case CLASS -> p.className(f.index(row));
            case THREAD -> p.threadName(f.index(row));
            default -> "";
        };
    }

    /** A {@code jdk.types.Method} field as {@code jfr print} writes it: {@code java.util.HashMap.putVal(int, Object, Object, boolean, boolean)}. */
    String method(String path, int row) {
        String type = text(path + ".type", row), name = text(path + ".name", row);
        if (type.isEmpty() && name.isEmpty()) return "";
        return type + "." + name + parameters(text(path + ".descriptor", row));
    }

    /** A {@code jdk.types.ClassLoader} field: its name and class ({@code app (jdk.internal.loader.ClassLoaders$AppClassLoader)}), "bootstrap" for none. */
    String loader(String path, int row) {
        String type = text(path + ".type", row), name = text(path + ".name", row);
        if (type.isEmpty()) return name.isEmpty() ? "bootstrap" : name;
        return name.isEmpty() ? type : name + " (" + type + ")";
    }

    /** (time, value) rows as a series, sorted by time. */
    static TimeSeries series(String label, String unit, java.util.List<long[]> rows) {
        rows.sort(java.util.Comparator.comparingLong(a -> a[0]));
        long[] t = new long[rows.size()];
        double[] v = new double[rows.size()];
        for (int i = 0; i < t.length; i++) { t[i] = rows.get(i)[0]; v[i] = rows.get(i)[1]; }
        return new TimeSeries(label, unit, t, v);
    }

    /** A method descriptor's parameters with simple type names, {@code (ILjava/lang/String;[J)V} to {@code (int, String, long[])}. */
    static String parameters(String descriptor) {
        StringBuilder b = new StringBuilder("(");
        int end = descriptor.indexOf(')');
        for (int i = 1, dims = 0; i > 0 && i < end; i++) {
            char c = descriptor.charAt(i);
            if (c == '[') { dims++; continue; }
            String name;
            if (c == 'L') {
                int semi = descriptor.indexOf(';', i);
                String cls = descriptor.substring(i + 1, semi);
                name = cls.substring(cls.lastIndexOf('/') + 1);
                i = semi;
            } else {
                name = switch (c) {
                    case 'B' -> "byte"; case 'C' -> "char"; case 'D' -> "double"; case 'F' -> "float";
                    case 'I' -> "int"; case 'J' -> "long"; case 'S' -> "short"; case 'Z' -> "boolean";
                    default -> String.valueOf(c);
                };
            }
            if (b.length() > 1) b.append(", ");
            b.append(name).append("[]".repeat(dims));
            dims = 0;
        }
        return b.append(')').toString();
    }
}
