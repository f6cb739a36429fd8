// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.flame;

import dev.kiln.model.FrameKind;
import javafx.scene.paint.Color;

/**
 * Box colours. Java (and Go, and frames of unknown kind) get a warm red-orange-yellow hue picked by a hash of
 * the name's class (everything before the last {@code .}), so all methods of a class share a colour and
 * neighbouring classes usually differ; native, C++ and kernel frames get light cool hues (blue, teal,
 * lavender) so the boundary between Java and native code stands out. Search matches are magenta.
 */
public final class FlamePalette {
    public static final Color ROOT = Color.hsb(30, 0.18, 0.90);
    public static final Color MERGED = Color.gray(0.80);
    public static final Color MATCH = Color.rgb(232, 90, 220);
    public static final Color SELECTED_OUTLINE = Color.rgb(20, 40, 160);
    public static final Color HOVER_OUTLINE = Color.rgb(40, 40, 40);

    private FlamePalette() { }

    /** The colour of a frame called {@code name} of {@code kind}; the same inputs always give the same colour. */
    public static Color of(String name, FrameKind kind) {
        int h = classHash(name);
        double v = (h & 0xFF) / 255.0, v2 = ((h >>> 8) & 0xFF) / 255.0;
        return switch (kind) {
            case NATIVE -> Color.hsb(205 + 15 * v, 0.30 + 0.10 * v2, 0.95);
            case CPP -> Color.hsb(165 + 15 * v, 0.30 + 0.10 * v2, 0.90);
            case KERNEL -> Color.hsb(265 + 15 * v, 0.25 + 0.10 * v2, 0.95);
            default -> Color.hsb(4 + 50 * v, 0.45 + 0.30 * v2, 0.98 - 0.06 * v2);
        };
    }

    /** A dimmed version for the zoom root's ancestors. */
    public static Color dimmed(Color c) {
        return c.deriveColor(0, 0.35, 1.0, 1.0);
    }

    private static int classHash(String name) {
        int paren = name.indexOf('(');
        int end = name.lastIndexOf('.', paren < 0 ? name.length() - 1 : paren);
        int h = 0x811c9dc5;
        for (int i = 0, n = end > 0 ? end : name.length(); i < n; i++) h = (h ^ name.charAt(i)) * 0x01000193;
        return h ^ (h >>> 16);
    }
}
