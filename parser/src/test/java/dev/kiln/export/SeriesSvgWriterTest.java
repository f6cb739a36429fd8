// SPDX-License-Identifier: Apache-2.0
package dev.kiln.export;

import dev.kiln.analysis.jvm.TimeSeries;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's inline charts: a polyline per series, through the samples, with steps for a level. */
class SeriesSvgWriterTest {
    private static String points(String unit) {
        TimeSeries s = new TimeSeries("s", unit, new long[]{0, 500, 1000}, new double[]{1, 4, 2});
        String svg = SeriesSvgWriter.svg(List.of(s), 0, 1000, 0, 400 + SeriesSvgWriter.LEFT + SeriesSvgWriter.RIGHT,
                100 + SeriesSvgWriter.TOP + SeriesSvgWriter.BOTTOM);
        Matcher m = Pattern.compile("points=\"([^\"]*)\"").matcher(svg);
        assertTrue(m.find(), svg);
        assertEquals(3, svg.split("<circle ", -1).length - 1, "a dot per sample");
        return m.group(1).trim();
    }

    @Test
    void aLevelStepsAndALoadIsALine() {
        // x: 84 + t * 400 / 1000; y: 28 + 100 * (1 - v / 5) (axis maximum 5)
        assertEquals("84.0,108.0 284.0,108.0 284.0,48.0 484.0,48.0 484.0,88.0", points("count"));
        assertEquals("84.0,108.0 284.0,48.0 484.0,88.0", points("nanoseconds"));
    }
}
