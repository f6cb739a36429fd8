// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.common;

import javafx.scene.paint.Color;

/**
 * The theme colours of the canvas views (flame graphs, timeline, lock graph): everything that is not data.
 * {@link #LIGHT} and {@link #DARK} match the app's light and dark stylesheets; data colours (flame hues, diff
 * red/blue, thread states, lock roles) are the views' own and the same in both. Text drawn on a data-coloured box
 * takes {@link #textOn} of the box's fill, so it stays readable whatever the theme.
 *
 * @param dark        whether this is the dark palette
 * @param background  the canvas background
 * @param panel       gutters and axis bars, a step off the background
 * @param stripe      every other lane
 * @param text        text on the background
 * @param mutedText   axis labels and notes
 * @param grid        separators and axis lines
 * @param selection   the selected row's band
 * @param accent      emphasised text on the background (labels of selected edges)
 */
public record CanvasPalette(boolean dark, Color background, Color panel, Color stripe, Color text, Color mutedText,
                            Color grid, Color selection, Color accent) {
    /** Text on light fills. */
    public static final Color DARK_INK = Color.BLACK;
    /** Text on dark fills. */
    public static final Color LIGHT_INK = Color.WHITE;

    public static final CanvasPalette LIGHT = new CanvasPalette(false, Color.WHITE, Color.web("#f5f6f8"),
            Color.web("#fafbfc"), Color.web("#212529"), Color.web("#495057"), Color.web("#dee2e6"),
            Color.web("#d0ebff"), Color.rgb(170, 70, 0));
    /** Background and panel as in kiln-dark.css ({@code -fx-background}, {@code -fx-control-inner-background}). */
    public static final CanvasPalette DARK = new CanvasPalette(true, Color.web("#1f2023"), Color.web("#26282c"),
            Color.web("#232428"), Color.web("#e3e5e8"), Color.web("#a3a8b0"), Color.web("#3d4047"),
            Color.web("#1d3b5c"), Color.web("#ffab70"));

    /**
     * {@link #DARK_INK} or {@link #LIGHT_INK}, whichever contrasts more with {@code fill}; black and white
     * guarantee a {@link #contrast} of at least 4.58 on any opaque fill.
     */
    public static Color textOn(Color fill) {
        return contrast(fill, DARK_INK) >= contrast(fill, LIGHT_INK) ? DARK_INK : LIGHT_INK;
    }

    /** WCAG 2 relative luminance of an sRGB colour (alpha ignored), in [0, 1]. */
    public static double luminance(Color c) {
        return 0.2126 * linear(c.getRed()) + 0.7152 * linear(c.getGreen()) + 0.0722 * linear(c.getBlue());
    }

    /** WCAG 2 contrast ratio of two colours, from 1 (same luminance) to 21 (black on white). */
    public static double contrast(Color a, Color b) {
        double la = luminance(a), lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double linear(double v) {
        return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }
}
