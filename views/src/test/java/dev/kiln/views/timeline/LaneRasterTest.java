// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.timeline;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LaneRasterTest {
    private static final int RED = 0xFFFF0000, BLUE = 0xFF0000FF;

    @Test
    void runsAreRoundedClippedAndCleared() {
        LaneRaster r = new LaneRaster();
        r.ensureSize(10, 6);
        r.fill(1.4, 2, 2.2, 3, RED); // columns round(1.4)=1 .. round(3.6)=4 -> 1,2,3; rows 2,3,4
        r.fill(8, -3, 5, 4, BLUE); // clipped: columns 8,9; rows 0
        r.fill(5.2, 1, 0.1, 1, RED); // thinner than a pixel: still one column (5), row 1
        assertEquals(0, r.pixel(0, 2));
        assertEquals(RED, r.pixel(1, 2));
        assertEquals(RED, r.pixel(3, 4));
        assertEquals(0, r.pixel(4, 4));
        assertEquals(0, r.pixel(2, 5));
        assertEquals(BLUE, r.pixel(9, 0));
        assertEquals(0, r.pixel(9, 1));
        assertEquals(RED, r.pixel(5, 1));
        assertEquals(0, r.pixel(6, 1));
        assertEquals(0, r.dirtyTop());
        assertEquals(5, r.dirtyBottom());
        r.clear();
        for (int y = 0; y < 6; y++) for (int x = 0; x < 10; x++) assertEquals(0, r.pixel(x, y));
        assertEquals(6, r.dirtyTop());
        assertEquals(0, r.dirtyBottom());
    }

    @Test
    void argbOfOpaqueComponents() {
        assertEquals(0xFF37B24D, LaneRaster.argb(0x37 / 255.0, 0xB2 / 255.0, 0x4D / 255.0));
    }
}
