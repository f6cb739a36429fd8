// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.findings;

/** How urgent a {@link Finding} is, least urgent first (so {@code compareTo} orders by urgency). */
public enum Severity {
    /** Worth knowing: where the time or memory goes. */
    INFO,
    /** Probably a problem worth looking at. */
    WARNING,
    /** Almost certainly a problem that dominates the capture. */
    CRITICAL
}
