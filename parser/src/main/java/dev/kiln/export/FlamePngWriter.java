// SPDX-License-Identifier: Apache-2.0
package dev.kiln.export;

import dev.kiln.analysis.tree.FlameLayout;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Renders the boxes of {@link FlameSvgWriter}'s picture (the same {@link FlameBoxes}) into a PNG of exactly
 * the requested size with {@code java.awt} in headless mode: rows as high as fit (at most 16 pixels), root at
 * the bottom, labels cut to fit. Needs no display; drawing text needs the system's fonts (fontconfig).
 */
public final class FlamePngWriter {
    private FlamePngWriter() { }

    /** Writes {@code target} via {@link AtomicFiles}. */
    public static void write(FlameLayout layout, int width, int height, Path target) throws IOException {
        BufferedImage image = render(layout, width, height);
        AtomicFiles.write(target, out -> {
            if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer in this Java runtime");
        });
    }

    /** The image, {@code width} x {@code height} pixels. */
    public static BufferedImage render(FlameLayout layout, int width, int height) {
        System.setProperty("java.awt.headless", "true");
        FlameBoxes b = FlameBoxes.fitted(layout, width, height);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            boolean labels;
            double charWidth = 0;
            try {
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
                g.drawString(b.heading(), 4, 16);
                g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, Math.max(6, Math.min(12, b.rowHeight - 3))));
                charWidth = g.getFontMetrics().charWidth('m');
                labels = true;
            } catch (RuntimeException | InternalError | LinkageError noFonts) {
                labels = false; // a headless JDK without any font installed: the boxes alone
            }
            for (int n : b.nodes) {
                double x = b.x(n), w = b.w(n);
                int y = b.y(n);
                g.setColor(new Color(FlameBoxes.color(b.label(n))));
                g.fill(new Rectangle2D.Double(x, y, Math.max(w, 0.5), Math.max(1, b.rowHeight - 1)));
                if (labels && b.rowHeight >= 9) {
                    String text = FlameBoxes.fit(b.label(n), w, charWidth);
                    if (!text.isEmpty()) {
                        g.setColor(Color.BLACK);
                        g.drawString(text, (float) (x + 3), (float) (y + b.rowHeight - 4));
                    }
                }
            }
        } finally {
            g.dispose();
        }
        return image;
    }
}
