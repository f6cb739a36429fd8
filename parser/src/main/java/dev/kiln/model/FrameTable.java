// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

/**
 * Frames: a function at a line (0 = unknown) and bytecode index (-1 = unknown), with its {@link FrameKind}
 * and, for native profiles, the program counter (0 = unknown). One row per distinct combination.
 */
public final class FrameTable {
    private final int[] func, line, bci;
    private final byte[] kind;
    private final long[] address;

    FrameTable(int[] func, int[] line, int[] bci, byte[] kind, long[] address) {
        this.func = func;
        this.line = line;
        this.bci = bci;
        this.kind = kind;
        this.address = address;
    }

    public int size() { return func.length; }

    public int func(int frameIndex) { return func[frameIndex]; }

    public int line(int frameIndex) { return line[frameIndex]; }

    public int bci(int frameIndex) { return bci[frameIndex]; }

    public FrameKind kind(int frameIndex) { return FrameKind.of(kind[frameIndex]); }

    public long address(int frameIndex) { return address[frameIndex]; }
}
