// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.timeline;

import dev.kiln.analysis.jvm.TimeSeries;
import javafx.scene.paint.Color;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SeriesPainter}'s segments: steps for levels and rates per bucket, lines for loads and pauses. */
class SeriesPainterTest {
    private static final long[] TIMES = {0, 1_000, 2_000};
    private static final double[] VALUES = {10, 30, 20};

    private static List<double[]> segments(String unit) {
        TimelineLayout l = TimelineLayout.of(TimelineLayout.GUTTER + 100, 100, new int[0], 0, 2_000);
        ThreadTimelineViewTest.Recorder r = new ThreadTimelineViewTest.Recorder();
        SeriesPainter.line(l, new TimeSeries("s", unit, TIMES, VALUES), 40, 0, 40, Color.RED, r);
        return r.lines;
    }

    @Test
    void aLevelHoldsUntilTheNextSampleThenSteps() {
        double g = TimelineLayout.GUTTER;
        List<double[]> s = segments("count"); // y = 40 - v
        assertEquals(4, s.size());
        assertArrayEquals(new double[]{g, 30, g + 50, 30}, s.get(0), 1e-9); // 10 held to the second sample
        assertArrayEquals(new double[]{g + 50, 30, g + 50, 10}, s.get(1), 1e-9); // up to 30
        assertArrayEquals(new double[]{g + 50, 10, g + 100, 10}, s.get(2), 1e-9);
        assertArrayEquals(new double[]{g + 100, 10, g + 100, 20}, s.get(3), 1e-9);
        assertTrue(new TimeSeries("b", "bytes", TIMES, VALUES).steps());
        assertTrue(new TimeSeries("r", "bytes/s", TIMES, VALUES).steps());
    }

    @Test
    void loadsAndPausesAreLinesThroughTheirSamples() {
        double g = TimelineLayout.GUTTER;
        for (String unit : List.of(TimeSeries.PERCENT, "nanoseconds")) {
            List<double[]> s = segments(unit);
            assertEquals(2, s.size(), unit);
            assertArrayEquals(new double[]{g, 30, g + 50, 10}, s.get(0), 1e-9);
            assertFalse(new TimeSeries("x", unit, TIMES, VALUES).steps());
        }
    }
}
