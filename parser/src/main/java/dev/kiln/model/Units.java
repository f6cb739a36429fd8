// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import java.util.Locale;

/** Formats weights for people, by unit: nanoseconds as time, bytes in binary multiples, counts with separators. */
public final class Units {
    private Units() { }

    public static String format(long value, String unit) {
        switch (unit) {
            case "nanoseconds": return duration(value);
            case "bytes": return bytes(value);
            default: return String.format(Locale.ROOT, "%,d", value);
        }
    }

    public static String duration(long nanos) {
        double abs = Math.abs((double) nanos);
        if (abs >= 60e9) return String.format(Locale.ROOT, "%.1f min", nanos / 60e9);
        if (abs >= 1e9) return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
        if (abs >= 1e6) return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
        if (abs >= 1e3) return String.format(Locale.ROOT, "%.2f us", nanos / 1e3);
        return nanos + " ns";
    }

    public static String bytes(long bytes) {
        double abs = Math.abs((double) bytes);
        if (abs >= 1L << 30) return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
        if (abs >= 1L << 20) return String.format(Locale.ROOT, "%.2f MiB", bytes / (double) (1L << 20));
        if (abs >= 1L << 10) return String.format(Locale.ROOT, "%.2f KiB", bytes / 1024.0);
        return bytes + " B";
    }

    public static String percent(long part, long whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.2f%%", 100.0 * part / whole);
    }
}
