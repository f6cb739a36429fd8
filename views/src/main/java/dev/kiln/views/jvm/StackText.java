// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.jvm;

import dev.kiln.model.Profile;

/** A stack trace as the JVM pages write it: a line {@code "  at Frame line: N"} per frame, top frame first. */
final class StackText {
    private StackText() { }

    /** Appends the frames of StackTable row {@code stack}, or {@code "  (no stack)"} for -1. */
    static StringBuilder append(StringBuilder b, Profile p, int stack) {
        if (stack < 0) return b.append("  (no stack)\n");
        for (int s = stack; s >= 0; s = p.stacks().parent(s)) {
            int frame = p.stacks().frame(s), line = p.frames().line(frame);
            b.append("  at ").append(p.frameName(frame)).append(line > 0 ? " line: " + line : "").append('\n');
        }
        return b;
    }
}
