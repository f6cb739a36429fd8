// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.common;

import javafx.scene.paint.Color;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Contrast and label colour choice by hand-computed WCAG values; both palettes' text on their backgrounds. */
class CanvasPaletteTest {
    @Test
    void contrastRatiosByHand() {
        // Black on white: (1 + 0.05) / (0 + 0.05) = 21.
        assertEquals(21, CanvasPalette.contrast(Color.BLACK, Color.WHITE), 1e-9);
        assertEquals(1, CanvasPalette.contrast(Color.RED, Color.RED), 1e-9);
        // Pure red: luminance 0.2126; against black (0.2626 / 0.05) = 5.252.
        assertEquals(5.252, CanvasPalette.contrast(Color.rgb(255, 0, 0), Color.BLACK), 1e-9);
    }

    @Test
    void labelsAreBlackOnLightFillsAndWhiteOnDarkOnes() {
        assertEquals(CanvasPalette.DARK_INK, CanvasPalette.textOn(Color.WHITE));
        assertEquals(CanvasPalette.DARK_INK, CanvasPalette.textOn(Color.rgb(255, 0, 0))); // 5.25 vs 4.0 for white
        assertEquals(CanvasPalette.LIGHT_INK, CanvasPalette.textOn(Color.rgb(0, 0, 128)));
        // Whatever the fill, the chosen ink reaches AA contrast.
        for (int v = 0; v < 256; v += 5) {
            Color grey = Color.rgb(v, v, v), blue = Color.rgb(v / 3, v / 2, v);
            assertTrue(CanvasPalette.contrast(grey, CanvasPalette.textOn(grey)) >= 4.5, grey.toString());
            assertTrue(CanvasPalette.contrast(blue, CanvasPalette.textOn(blue)) >= 4.5, blue.toString());
        }
    }

    @Test
    void paletteTextIsReadableOnItsBackgroundAndPanel() {
        for (CanvasPalette p : new CanvasPalette[] {CanvasPalette.LIGHT, CanvasPalette.DARK}) {
            assertTrue(CanvasPalette.contrast(p.text(), p.background()) >= 7, p + " text");
            assertTrue(CanvasPalette.contrast(p.text(), p.selection()) >= 4.5, p + " text on the selected row");
            assertTrue(CanvasPalette.contrast(p.mutedText(), p.panel()) >= 4.5, p + " axis labels");
            assertTrue(CanvasPalette.contrast(p.accent(), p.background()) >= 4.5, p + " edge labels");
        }
        assertTrue(CanvasPalette.luminance(CanvasPalette.DARK.background()) < 0.05);
    }
}
