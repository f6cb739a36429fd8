// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.common;

import javafx.scene.paint.Color;
import javafx.scene.text.Font;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link DrawSurface} that records every fill, stroke, line and text call with the fill colour in effect (for
 * lines: the stroke colour and line width in effect), for
 * tests and for timing painters without a canvas. Every character is {@link #charWidth} pixels wide, so
 * label fitting is predictable. Not thread-safe.
 */
public final class RecordingSurface implements DrawSurface {
    /** What a recorded call did. */
    public enum Kind { CLEAR, FILL_RECT, STROKE_RECT, LINE, TEXT }

    /**
     * One recorded call; {@code text} is null except for {@link Kind#TEXT}, whose {@code w} is the text width. A
     * {@link Kind#LINE} goes from (x, y) to (w, h), with {@code fill} its stroke colour and {@code lineWidth} its width.
     */
    public record Op(Kind kind, double x, double y, double w, double h, String text, Color fill, double lineWidth) { }

    private final double width, height, charWidth;
    private final boolean record;
    private final List<Op> ops = new ArrayList<>();
    private Color fill = Color.BLACK, stroke = Color.BLACK;
    private double lineWidth = 1;
    private long calls;

    /** A surface of the given size with {@code charWidth} pixels per character that records calls. */
    public RecordingSurface(double width, double height, double charWidth) {
        this(width, height, charWidth, true);
    }

    /** With {@code record} false only calls are counted, for benchmarks. */
    public RecordingSurface(double width, double height, double charWidth, boolean record) {
        this.width = width;
        this.height = height;
        this.charWidth = charWidth;
        this.record = record;
    }

    public List<Op> ops() { return ops; }

    /** Number of draw calls made (recorded or not). */
    public long calls() { return calls; }

    /** The recorded text calls. */
    public List<Op> texts() { return ops.stream().filter(o -> o.kind == Kind.TEXT).toList(); }

    /** The recorded lines. */
    public List<Op> lines() { return ops.stream().filter(o -> o.kind == Kind.LINE).toList(); }

    /** The recorded filled rectangles. */
    public List<Op> rects() { return ops.stream().filter(o -> o.kind == Kind.FILL_RECT).toList(); }

    public void reset() { ops.clear(); calls = 0; }

    @Override public double width() { return width; }

    @Override public double height() { return height; }

    @Override public void setFill(Color color) { fill = color; }

    @Override public void setStroke(Color color) { stroke = color; }

    @Override public void setLineWidth(double w) { lineWidth = w; }

    @Override public void setFont(Font font) { }

    @Override public void clearRect(double x, double y, double w, double h) { add(Kind.CLEAR, x, y, w, h, null); }

    @Override public void fillRect(double x, double y, double w, double h) { add(Kind.FILL_RECT, x, y, w, h, null); }

    @Override public void strokeRect(double x, double y, double w, double h) { add(Kind.STROKE_RECT, x, y, w, h, null); }

    @Override
    public void strokeLine(double x1, double y1, double x2, double y2) {
        calls++;
        if (record) ops.add(new Op(Kind.LINE, x1, y1, x2, y2, null, stroke, lineWidth));
    }

    @Override public void fillText(String text, double x, double y) { add(Kind.TEXT, x, y, textWidth(text), 0, text); }

    @Override public double textWidth(String text) { return text.length() * charWidth; }

    private void add(Kind kind, double x, double y, double w, double h, String text) {
        calls++;
        if (record) ops.add(new Op(kind, x, y, w, h, text, fill, lineWidth));
    }
}
