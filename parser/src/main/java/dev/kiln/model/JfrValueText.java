// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How JFR values read for people, by their metadata's content type: a duration in ms or µs ({@code N/A} for JFR's
 * "none", {@code Forever}), an amount of data in KiB or MiB, a percentage, a frequency, a memory address in hex, an
 * {@code @Unsigned} number without its sign, a time since the recording's start and as clock time. Shared by
 * {@code kiln events} (its text form) and the Events page; the cell of a {@link JfrField} by {@link #cell}.
 */
public final class JfrValueText {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT);

    private JfrValueText() { }

    /** A duration in ns: {@code N/A} for JFR's "none" (the least long), {@code Forever} for the greatest. */
    public static String timespan(long nanos) {
        return nanos == Long.MIN_VALUE ? "N/A" : nanos == Long.MAX_VALUE ? "Forever" : Units.duration(nanos);
    }

    /** A number of a content type other than time ({@code DataAmount} in unit BYTES or BITS, {@code Percentage}, ...). */
    public static String quantity(Number n, String contentType, String unit) {
        if (contentType == null) return String.valueOf(n);
        return switch (contentType) {
            case "DataAmount" -> "BITS".equals(unit) ? n + " bits" : Units.bytes(n.longValue());
            case "Percentage" -> String.format(Locale.ROOT, "%.2f%%", n.doubleValue() * 100);
            case "Frequency" -> n + " Hz";
            case "MemoryAddress" -> "0x" + Long.toHexString(n.longValue()).toUpperCase(Locale.ROOT);
            default -> String.valueOf(n);
        };
    }

    /** A time of day in the machine's time zone, to the millisecond ({@code 06:15:22.456}). */
    public static String clockTime(long epochNanos) {
        return CLOCK.format(Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L))
                .atZone(ZoneId.systemDefault()));
    }

    /**
     * A timestamp as seconds since the recording's start and as clock time ({@code 3.142 s · 06:15:22.456}); {@code N/A}
     * for JFR's "none" and "forever".
     */
    public static String timestamp(long epochNanos, long startEpochNanos) {
        if (epochNanos == Long.MIN_VALUE || epochNanos == Long.MAX_VALUE) return "N/A";
        return String.format(Locale.ROOT, "%.3f s · %s", (epochNanos - startEpochNanos) / 1e9, clockTime(epochNanos));
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
