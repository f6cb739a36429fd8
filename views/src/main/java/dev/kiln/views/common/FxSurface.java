// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.common;

import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.Text;

import java.util.HashMap;
import java.util.Map;

/**
 * A {@link DrawSurface} over a canvas's {@link GraphicsContext}. Text widths are measured once per character
 * and font (a {@link Text} node is far too slow per label) and summed, which is exact for the proportional
 * UI fonts up to kerning. Use on the FX thread only.
 */
public final class FxSurface implements DrawSurface {
    private final Canvas canvas;
    private final GraphicsContext g;
    private final Map<Font, double[]> advances = new HashMap<>();
    private final Text probe = new Text();
    private double[] advance;
    private Font font;

    public FxSurface(Canvas canvas) {
        this.canvas = canvas;
        this.g = canvas.getGraphicsContext2D();
        setFont(Font.getDefault());
    }

    @Override public double width() { return canvas.getWidth(); }

    @Override public double height() { return canvas.getHeight(); }

    @Override public void setFill(Color color) { g.setFill(color); }

    @Override public void setStroke(Color color) { g.setStroke(color); }

    @Override public void setLineWidth(double width) { g.setLineWidth(width); }

    @Override
    public void setFont(Font f) {
        if (f.equals(font)) return;
        font = f;
        g.setFont(f);
        advance = advances.computeIfAbsent(f, k -> new double[256]);
    }

    @Override public void clearRect(double x, double y, double w, double h) { g.clearRect(x, y, w, h); }

    @Override public void fillRect(double x, double y, double w, double h) { g.fillRect(x, y, w, h); }

    @Override public void strokeRect(double x, double y, double w, double h) { g.strokeRect(x, y, w, h); }

    @Override public void strokeLine(double x1, double y1, double x2, double y2) { g.strokeLine(x1, y1, x2, y2); }

    @Override public void fillText(String text, double x, double y) { g.fillText(text, x, y); }

    @Override
    public double textWidth(String text) {
        double w = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 256) {
                double a = advance[c];
                if (a == 0) a = advance[c] = measure(String.valueOf(c));
                w += a;
            } else {
                w += measure(String.valueOf(c));
            }
        }
        return w;
    }

    private double measure(String s) {
        probe.setFont(font);
        probe.setText(s);
        return probe.getLayoutBounds().getWidth();
    }
}
