// SPDX-License-Identifier: Apache-2.0
package dev.kiln.export;

import dev.kiln.analysis.tree.FlameLayout;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a static SVG flame graph of a {@link FlameLayout}: a heading, then one {@code <g>} per box (see
 * {@link FlameBoxes}) holding a {@code <title>} tooltip (name, total, share, self), the {@code <rect>} and
 * the label cut to fit. The document is well-formed UTF-8 XML: every string from the profile is escaped
 * ({@code & < > " '}) and characters XML 1.0 does not allow are dropped, so no name can inject markup.
 */
public final class FlameSvgWriter {
    /** Pixel height of one row. */
    public static final int ROW_HEIGHT = 16;
    private static final double CHAR_WIDTH = 7.0;

    private FlameSvgWriter() { }

    /** Writes {@code target} via {@link AtomicFiles}; {@code width} in pixels, the height follows from the depth. */
    public static void write(FlameLayout layout, int width, Path target) throws IOException {
        AtomicFiles.write(target, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            write(layout, width, w);
            w.flush();
        });
    }

    /** Writes the SVG document to {@code out}. */
    public static void write(FlameLayout layout, int width, Appendable out) throws IOException {
        FlameBoxes b = FlameBoxes.of(layout, width, ROW_HEIGHT);
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"monospace\" font-size=\"12\">\n", b.width, b.height, b.width, b.height));
        out.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", b.width, b.height));
        out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\" font-size=\"14\">", 4)).append(escape(b.heading())).append("</text>\n");
        for (int n : b.nodes) {
            double x = b.x(n), w = b.w(n);
            int y = b.y(n);
            out.append("<g><title>").append(escape(b.title(n))).append("</title>");
            out.append(String.format(Locale.ROOT, "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"#%06x\" rx=\"2\"/>",
                    x, y, w, b.rowHeight - 1, FlameBoxes.color(b.label(n))));
            String text = FlameBoxes.fit(b.label(n), w, CHAR_WIDTH);
            if (!text.isEmpty()) {
                out.append(String.format(Locale.ROOT, "<text x=\"%.2f\" y=\"%d\">", x + 3, y + b.rowHeight - 4)).append(escape(text)).append("</text>");
            }
            out.append("</g>\n");
        }
        out.append("</svg>\n");
    }

    /** Text safe inside XML content and attribute values. */
    public static String escape(String s) {
        StringBuilder r = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> r.append("&amp;");
                case '<' -> r.append("&lt;");
                case '>' -> r.append("&gt;");
                case '"' -> r.append("&quot;");
                case '\'' -> r.append("&apos;");
                default -> {
                    boolean allowed = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF)
                            || (c >= 0xE000 && c <= 0xFFFD) || Character.isSurrogate(c);
                    if (Character.isHighSurrogate(c) && (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1)))) allowed = false;
                    if (Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))) allowed = false;
                    if (allowed) r.append(c);
                }
            }
        }
        return r.toString();
    }
}
