// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

/** How a frame was executing, where the producer says so (JFR frame types; pprof has none). */
public enum FrameKind {
    UNKNOWN, INTERPRETED, JIT, INLINED, NATIVE, KERNEL, CPP;

    private static final FrameKind[] VALUES = values();

    public static FrameKind of(int ordinal) { return VALUES[ordinal]; }
}
