// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

/**
 * A file could not be read as a profile. The message names the file, the byte offset where known, and says
 * what was wrong in words a user understands.
 */
public class ProfileFormatException extends Exception {
    private final String fileName;
    private final long offset;
    private final String reason;

    public ProfileFormatException(String fileName, long offset, String reason) {
        this(fileName, offset, reason, null);
    }

    public ProfileFormatException(String fileName, long offset, String reason, Throwable cause) {
        super(fileName + ": " + reason + (offset >= 0 ? " (at byte " + offset + ")" : ""), cause);
        this.fileName = fileName;
        this.offset = offset;
        this.reason = reason;
    }

    public String fileName() { return fileName; }

    /** Byte offset of the problem, or -1 if unknown. */
    public long offset() { return offset; }

    public String reason() { return reason; }
}
