// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.common;

import dev.kiln.model.Profile;

/** A stack of the profile as one line for a table cell: its top frames, leaf first. */
public final class StackText {
    private StackText() { }

    /** Up to {@code max} frames of {@code stack}, leaf first, joined by arrows; {@code none} for no stack (-1). */
    public static String leafFirst(Profile p, int stack, int max, String none) {
        if (stack < 0) return none;
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (int s = stack; s >= 0 && n < max; s = p.stacks().parent(s), n++) {
            if (n > 0) sb.append("  \u2190  ");
            sb.append(p.frameName(p.stacks().frame(s)));
        }
        return sb.toString();
    }
}
