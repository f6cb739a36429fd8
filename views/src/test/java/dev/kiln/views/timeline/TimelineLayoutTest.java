// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.timeline;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Layout and hit arithmetic on hand-made numbers, no JavaFX toolkit. */
class TimelineLayoutTest {
    // 1000 px wide: plot = 1000 - GUTTER = 820 px for 8200 ns -> 10 ns per pixel.
    private final TimelineLayout l = TimelineLayout.of(1000, 24 + 18 * 10, new int[]{5, 3, 9, 1, 0, 2, 4, 6, 7, 8, 10, 11}, 10_000, 18_200);

    @Test
    void timeAndXRoundTrip() {
        assertEquals(TimelineLayout.GUTTER, l.xOf(10_000), 1e-9);
        assertEquals(TimelineLayout.GUTTER + 820, l.xOf(18_200), 1e-9);
        assertEquals(14_100, l.timeAt(TimelineLayout.GUTTER + 410));
    }

    @Test
    void rowsAndVisibility() {
        assertEquals(-1, l.rowAt(10), "axis");
        assertEquals(0, l.rowAt(24));
        assertEquals(-1, l.rowAt(24 + 17), "gap between lanes");
        assertEquals(1, l.rowAt(24 + 18 + 1));
        assertEquals(0, l.firstVisibleRow());
        assertEquals(10, l.endVisibleRow(), "10 lanes fit");
        TimelineLayout s = l.withScroll(18 * 2 + 5);
        assertEquals(2, s.firstVisibleRow());
        assertEquals(2, s.rowAt(24 + 1));
        assertEquals(18 * 2, s.withScroll(1e9).scrollY(), 1e-9, "clamped to 12 - 10 lanes");
    }

    @Test
    void zoomKeepsAnchorAndClamps() {
        double x = TimelineLayout.GUTTER + 205; // time 12_050
        TimelineLayout z = l.zoom(4, x);
        assertEquals(2050, z.span());
        assertEquals(12_050, z.timeAt(x), 10);
        assertEquals(l.span(), z.zoom(1e-9, x).span(), "zoom out stops at the data");
        TimelineLayout p = z.pan(-10_000, 0);
        assertEquals(18_200, p.viewEnd(), "pan stops at the end");
    }
}
