// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;

/**
 * How JFR values read for people, by their metadata's content type: a duration in ms or µs ({@code N/A} for JFR's
 * "none", {@code Forever}), an amount of data in KiB or MiB, a percentage, a frequency, a memory address in hex, an
 * {@code @Unsigned} number without its sign, a time since the recording's start and as clock time. Shared by
 * {@code kiln events} (its text form) and the Events page; the cell of a {@link JfrField} by {@link #cell}.
 */
public final class JfrValueText {
    private JfrValueText() { }

    /** A duration in ns: {@code N/A} for JFR's "none" (the least long), {@code Forever} for the greatest. */
    public static String timespan(long nanos) {
        return nanos == Long.MIN_VALUE ? "N/A" : nanos == Long.MAX_VALUE ? "Forever" : Units.duration(nanos);
    }

    /** A number of a content type other than time ({@code DataAmount} in unit BYTES or BITS, {@code Percentage}, ...). */
    public static String quantity(Number n, String contentType, String unit) {
        if (contentType == null) return String.valueOf(n);
        return switch (contentType) {
            case "DataAmount" -> "BITS".equals(unit) ? n + " bits" // an @Unsigned amount past 2^63 - 1 (a BigInteger) is GiB
                    : n instanceof java.math.BigInteger ? String.format(Locale.ROOT, "%.2f GiB", n.doubleValue() / (1L << 30)) : Units.bytes(n.longValue());
            case "Percentage" -> String.format(Locale.ROOT, "%.2f%%", n.doubleValue() * 100);
            case "Frequency" -> n + " Hz";
            case "MemoryAddress" -> "0x" + Long.toHexString(n.longValue()).toUpperCase(Locale.ROOT);
            default -> String.valueOf(n);
        };
    }

    /** A time of day in the machine's time zone, to the millisecond ({@code 06:15:22.456}). */
    public static String clockTime(long epochNanos) { return clock(new StringBuilder(12), epochNanos).toString(); }

    /**
     * A timestamp as seconds since the recording's start and as clock time ({@code 3.142 s · 06:15:22.456}); {@code N/A}
     * for JFR's "none" and "forever". Written digit by digit: the Events page's text filter writes one per row.
     */
    public static String timestamp(long epochNanos, long startEpochNanos) {
        if (epochNanos == Long.MIN_VALUE || epochNanos == Long.MAX_VALUE) return "N/A";
        StringBuilder b = new StringBuilder(28);
        long ms = Math.round((epochNanos - startEpochNanos) / 1e6);
        if (ms < 0) b.append('-');
        ms = Math.abs(ms);
        b.append(ms / 1000).append('.');
        digits(b, ms % 1000, 3).append(" s · ");
        return clock(b, epochNanos).toString();
    }

    private static StringBuilder clock(StringBuilder b, long epochNanos) {
        long second = Math.floorDiv(epochNanos, 1_000_000_000L);
        int offset = ZoneId.systemDefault().getRules().getOffset(Instant.ofEpochSecond(second)).getTotalSeconds();
        long msOfDay = Math.floorMod(Math.floorDiv(epochNanos, 1_000_000L) + offset * 1000L, 86_400_000L);
        digits(b, msOfDay / 3_600_000, 2).append(':');
        digits(b, msOfDay / 60_000 % 60, 2).append(':');
        digits(b, msOfDay / 1000 % 60, 2).append('.');
        return digits(b, msOfDay % 1000, 3);
    }

    private static StringBuilder digits(StringBuilder b, long v, int width) {
        String s = Long.toString(v);
        for (int i = s.length(); i < width; i++) b.append('0');
        return b.append(s);
    }

    /**
     * Row {@code row} of column {@code f} of {@code p}'s event store as people read it: numbers by their content type
     * (times since {@code p}'s start), a text as it is ({@code ""} for none), a thread or class by name, a stack trace
     * by its top frame.
     */
    public static String cell(Profile p, JfrField f, int row) {
        switch (f.kind()) {
            case LONG -> {
                long v = f.longValue(row);
                String ct = f.contentType();
                if ("Timestamp".equals(ct)) return timestamp(v, p.startEpochNanos());
                if ("Timespan".equals(ct)) return timespan(v);
                if (f.unsigned() && ct == null) return Long.toUnsignedString(v);
                if (f.unsigned() && v < 0) return quantity(new java.math.BigInteger(Long.toUnsignedString(v)), ct, f.unit());
                return quantity(v, ct, f.unit());
            }
            case DOUBLE -> { return quantity(f.doubleValue(row), f.contentType(), f.unit()); }
            case BOOLEAN -> { return String.valueOf(f.booleanValue(row)); }
            case THREAD -> { return p.threadName(f.index(row)); }
            case CLASS -> { return p.className(f.index(row)); }
            case STACK -> {
                int s = f.index(row);
                return s < 0 ? "" : p.frameName(p.stacks().frame(s));
            }
            default -> {
                int s = f.index(row);
                return s < 0 ? "" : p.string(s);
            }
        }
    }
}
