// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

/**
 * A capture that does not fit in this JVM's heap as a whole. Found before loading, from the file's size, or when
 * the load ran out of memory; either way nothing is half-loaded. The caller can offer a lighter load (a JFR
 * recording's CPU samples alone) or a larger {@code -Xmx}.
 */
public class ProfileTooLargeException extends ProfileFormatException {
    private final long neededBytes;
    private final long availableBytes;

    public ProfileTooLargeException(String fileName, long neededBytes, long availableBytes, Throwable cause) {
        // needed rounded up, available down: the two numbers never read the same
        super(fileName, -1, String.format(java.util.Locale.ROOT, "the recording needs about %,d MB of memory to open whole, "
                + "and Kiln has %,d MB free; open its CPU samples only or its latest part, or start Kiln with more memory (-Xmx)",
                (neededBytes + (1 << 20) - 1) >> 20, Math.max(0, availableBytes) >> 20), cause);
        this.neededBytes = neededBytes;
        this.availableBytes = availableBytes;
    }

    /** Estimated heap the whole load needs, in bytes. */
    public long neededBytes() { return neededBytes; }

    /** Heap that was free for it, in bytes. */
    public long availableBytes() { return availableBytes; }
}
