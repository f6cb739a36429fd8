// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import java.util.Objects;

/**
 * What a weight column measures, as pprof's {@code sample_type}: a kind ("cpu", "alloc_space",
 * "contentions") and a unit ("nanoseconds", "bytes", "count").
 */
public record ValueType(String kind, String unit) {
    /** JFR's sample tables: {@code jdk.ExecutionSample}. Here, in the model, so that analysis names them without a reader. */
    public static final ValueType CPU_SAMPLES = new ValueType("cpu", "samples");
    /** {@code jdk.CPUTimeSample} (JDK 25's CPU-time sampler). */
    public static final ValueType CPU_TIME_SAMPLES = new ValueType("cpu-time", "samples");
    /** {@code jdk.NativeMethodSample}. */
    public static final ValueType NATIVE_SAMPLES = new ValueType("native", "samples");
    /** {@code jdk.ObjectAllocationSample}: bytes, weighted as JFR weights the sample. */
    public static final ValueType ALLOC_BYTES = new ValueType("alloc", "bytes");
    /** {@code jdk.ObjectAllocationInNewTLAB} and {@code OutsideTLAB} together: bytes allocated. */
    public static final ValueType TLAB_BYTES = new ValueType("tlab-alloc", "bytes");

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
