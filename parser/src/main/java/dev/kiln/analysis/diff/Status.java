// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.diff;

/**
 * How one value changed from base to target (see {@link Change} for the noise threshold that separates
 * {@link #SAME} from {@link #GREW} and {@link #SHRANK}).
 */
public enum Status {
    /** Zero in base, non-zero in target. */
    NEW,
    /** Non-zero in base, zero in target. */
    GONE,
    /** Present on both sides and grew by more than the noise threshold. */
    GREW,
    /** Present on both sides and shrank by more than the noise threshold. */
    SHRANK,
    /** Unchanged, or changed by less than the noise threshold (or zero on both sides). */
    SAME
}
