// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** JFR values for people: times against java.time's own formatting, units by content type. */
class JfrValueTextTest {
    @Test
    void clockTimeIsJavaTimesLocalTimeToTheMillisecond() {
        DateTimeFormatter f = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
        Random r = new Random(1);
        for (int i = 0; i < 1000; i++) {
            long nanos = 1_700_000_000_000_000_000L + (r.nextLong() % 100_000_000_000_000_000L);
            Instant t = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
            assertEquals(f.format(t.atZone(ZoneId.systemDefault())), JfrValueText.clockTime(nanos), t.toString());
        }
    }

    @Test
    void timestampIsSecondsSinceTheStartThenClockTime() {
        long start = 1_795_000_000_000_000_000L;
        String clock = JfrValueText.clockTime(start + 3_141_592_653L);
        assertEquals("3.142 s · " + clock, JfrValueText.timestamp(start + 3_141_592_653L, start));
        assertEquals("0.000 s · " + JfrValueText.clockTime(start), JfrValueText.timestamp(start, start));
        assertEquals("-0.250 s · " + JfrValueText.clockTime(start - 250_000_000L), JfrValueText.timestamp(start - 250_000_000L, start));
        assertEquals("1234.005 s · " + JfrValueText.clockTime(start + 1_234_004_600_000L), JfrValueText.timestamp(start + 1_234_004_600_000L, start));
        assertEquals("N/A", JfrValueText.timestamp(Long.MIN_VALUE, start));
    }

    @Test
    void quantitiesByContentType() {
        assertEquals("1.50 KiB", JfrValueText.quantity(1536L, "DataAmount", "BYTES"));
        assertEquals("8 bits", JfrValueText.quantity(8L, "DataAmount", "BITS"));
        assertEquals("12.50%", JfrValueText.quantity(0.125, "Percentage", null));
        assertEquals("0x7F00", JfrValueText.quantity(0x7f00L, "MemoryAddress", null));
        assertEquals("42", JfrValueText.quantity(42L, null, null));
        assertEquals("1.50 ms", JfrValueText.timespan(1_500_000));
        assertEquals("Forever", JfrValueText.timespan(Long.MAX_VALUE));
        assertEquals("8589934592.00 GiB", JfrValueText.quantity(java.math.BigInteger.ONE.shiftLeft(63), "DataAmount", "BYTES"));
    }

    /** An @Unsigned amount past 2^63 - 1 in a cell: ZGC's young generation without a limit (jfr print: maxSize 2^63). */
    @Test
    void anUnsignedAmountIsReadWithoutItsSign() throws Exception {
        Profile p = dev.kiln.io.ProfileLoader.load(dev.kiln.testutil.Captures.file("jfr", "print/jdk17-zgc.jfr"), dev.kiln.job.ProgressSink.NONE);
        JfrEventTable t = p.jfrEvents().table("jdk.YoungGenerationConfiguration");
        JfrField max = t.field("maxSize");
        assertEquals(Long.MIN_VALUE, max.longValue(0)); // 2^63 as Java holds it
        assertEquals("8589934592.00 GiB", JfrValueText.cell(p, max, 0));
    }
}
