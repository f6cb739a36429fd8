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

    // written out: a record's own are bootstrapped through java.lang.invoke on first use, tens of ms in a short CLI run
    @Override
    public boolean equals(Object o) { return o instanceof ValueType v && kind.equals(v.kind) && unit.equals(v.unit); }

    @Override
    public int hashCode() { return kind.hashCode() * 31 + unit.hashCode(); }

    @Override
    public String toString() { return kind + "/" + unit; }
}
