// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.common;

import javafx.scene.paint.Color;
import javafx.scene.text.Font;

/**
 * The few drawing calls a canvas view makes, so painters can draw on a JavaFX canvas ({@link FxSurface}) or
 * into a {@link RecordingSurface} that tests inspect. Coordinates are pixels from the top-left corner; text is
 * placed by its baseline. {@link #textWidth} measures with the current font, and {@link #fillTextFitted}
 * draws a label shortened to fit a width, so painters never draw text wider than its box.
 */
public interface DrawSurface {
    /** Width of the drawable area in pixels. */
    double width();

    /** Height of the drawable area in pixels. */
    double height();

    void setFill(Color color);

    void setStroke(Color color);

    void setLineWidth(double width);

    void setFont(Font font);

    /** Clears a rectangle to transparent. */
    void clearRect(double x, double y, double w, double h);

    void fillRect(double x, double y, double w, double h);

    void strokeRect(double x, double y, double w, double h);

    /** A straight line from (x1, y1) to (x2, y2) in the stroke colour and line width. */
    void strokeLine(double x1, double y1, double x2, double y2);

    /** Draws {@code text} with its baseline at {@code y}, unclipped. */
    void fillText(String text, double x, double y);

    /** Width of {@code text} in the current font, in pixels. */
    double textWidth(String text);

    /**
     * Draws {@link TextFit#fit the longest form of text} that fits {@code maxWidth} and returns it; draws
     * nothing and returns null when not even a few characters fit.
     */
    default String fillTextFitted(String text, double x, double y, double maxWidth) {
        String s = TextFit.fit(text, maxWidth, this::textWidth);
        if (s != null) fillText(s, x, y);
        return s;
    }
}
