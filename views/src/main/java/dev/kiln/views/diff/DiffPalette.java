// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.diff;

import dev.kiln.analysis.diff.Change;
import javafx.scene.paint.Color;

/**
 * Colours of the differential flame graph: red for a call path whose weight grew (or is new), blue for one that
 * shrank (or is gone), grey when the change is within the noise ({@link dev.kiln.analysis.diff.Status#SAME}).
 * The strength of red and blue grows with {@code |delta| / reference}, where the reference is the larger of the
 * two totals: a path that moved 1% of the profile is pale, one that moved half of it is saturated. Every
 * changed path is at least {@link #MIN_INTENSITY} strong so it never looks grey. Pure functions.
 */
public final class DiffPalette {
    public static final Color SAME = Color.gray(0.86);
    public static final Color ROOT = Color.gray(0.78);
    public static final Color HOVER_OUTLINE = Color.rgb(30, 30, 30);
    /** Hues of grown and shrunk paths. */
    public static final double RED_HUE = 2, BLUE_HUE = 215;
    /** Lowest strength of a changed path. */
    public static final double MIN_INTENSITY = 0.25;

    private DiffPalette() { }

    /** How strong the colour of a change is, in [0, 1]: 0 for SAME, else at least {@link #MIN_INTENSITY}. */
    public static double intensity(Change c, double reference) {
        if (c.isSame()) return 0;
        double f = reference <= 0 ? 1 : Math.min(1, Math.abs(c.delta()) / reference);
        // sqrt so that a few percent is already clearly visible, and half the profile saturates.
        return Math.max(MIN_INTENSITY, Math.min(1, Math.sqrt(f / 0.5)));
    }

    /** Whether a change is drawn red (grew or new). */
    public static boolean isRed(Change c) { return !c.isSame() && c.delta() > 0; }

    /** Whether a change is drawn blue (shrank or gone). */
    public static boolean isBlue(Change c) { return !c.isSame() && c.delta() < 0; }

    /** The fill colour of a change. */
    public static Color of(Change c, double reference) {
        double i = intensity(c, reference);
        if (i == 0) return SAME;
        return shade(c.delta() > 0 ? RED_HUE : BLUE_HUE, i);
    }

    /** Red or blue at strength {@code i} in (0, 1]. */
    public static Color shade(double hue, double i) {
        return Color.hsb(hue, 0.12 + 0.78 * i, 0.98 - 0.25 * i);
    }
}
