// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis;

import dev.kiln.model.EventKind;
import dev.kiln.model.EventTable;
import dev.kiln.model.SampleTable;
import dev.kiln.model.ValueType;

import java.util.Objects;
import java.util.Set;

/**
 * What an analysis sums: either one weight column of a {@link SampleTable} ({@link #table()} non-null), or a
 * quantity of the events of some {@link EventKind}s ({@link #eventKinds()} non-empty): their duration, their
 * number, or their {@code amount} (bytes of I/O). {@link #type()} names it ({@code cpu/samples},
 * {@code monitor-blocked/nanoseconds}). Obtain weights from {@link Weights}.
 */
public record Weight(ValueType type, SampleTable table, int column, Set<EventKind> eventKinds, EventMeasure measure) {
    /** What an event weight sums per event. */
    public enum EventMeasure { DURATION, COUNT, AMOUNT }

    public Weight {
        Objects.requireNonNull(type, "type");
        eventKinds = eventKinds == null ? Set.of() : Set.copyOf(eventKinds);
        if ((table == null) == eventKinds.isEmpty()) throw new IllegalArgumentException("a weight is a sample column or events");
    }

    /** A weight read from column {@code column} of a sample table. */
    public static Weight ofSamples(SampleTable table, int column) {
        return new Weight(table.valueTypes().get(column), table, column, Set.of(), null);
    }

    /** A weight summed over events of the given kinds. */
    public static Weight ofEvents(ValueType type, Set<EventKind> kinds, EventMeasure measure) {
        return new Weight(type, null, -1, kinds, Objects.requireNonNull(measure));
    }

    public boolean isEvents() { return table == null; }

    /** Whether an event row belongs to this weight (always false for a sample weight). */
    public boolean includes(EventTable events, int row) {
        return table == null && eventKinds.contains(events.kind(row));
    }

    /** The weight of an event row of this weight, unclipped. */
    public long eventValue(EventTable events, int row) {
        return switch (measure) {
            case DURATION -> events.durationNanos(row);
            case COUNT -> 1;
            case AMOUNT -> events.amount(row);
        };
    }

    @Override
    public String toString() { return type.toString(); }
}
