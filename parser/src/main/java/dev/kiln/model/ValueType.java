// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import java.util.Objects;

/**
 * What a weight column measures, as pprof's {@code sample_type}: a kind ("cpu", "alloc_space",
 * "contentions") and a unit ("nanoseconds", "bytes", "count").
 */
public record ValueType(String kind, String unit) {
    public ValueType {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(unit, "unit");
    }

    @Override
    public String toString() { return kind + "/" + unit; }
}
