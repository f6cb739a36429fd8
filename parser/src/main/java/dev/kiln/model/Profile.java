// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import java.util.List;
import java.util.Map;

/**
 * One loaded capture, whatever its format: interned columnar tables (strings, functions, frames, stacks,
 * threads, classes, labels, samples, events) plus metadata. Immutable and safe to share across threads;
 * built only by {@link ProfileBuilder}. Holds no object per event and no bytes of the file.
 */
public final class Profile {
    final StringTable strings;
    final FunctionTable functions;
    final FrameTable frames;
    final StackTable stacks;
    final ThreadTable threads;
    final ClassTable classes;
    final LabelTable labels;
    final List<SampleTable> sampleTables;
    final EventTable events;
    final List<Mapping> mappings;
    final SourceFormat format;
    final String sourceName;
    final String producer;
    final long startEpochNanos, durationNanos;
    final ValueType periodType;
    final long period;
    final ValueType defaultValueType;
    final Map<String, Long> eventCounts;
    final JfrEventStore jfrEvents;
    final List<String> warnings, comments;
    final boolean incomplete;
    /** By event kind: the events a read of chosen kinds left out of the table, and their total duration (null: none left out). */
    final long[] notHeldCount, notHeldNanos;

    Profile(ProfileBuilder b, StringTable strings, FunctionTable functions, FrameTable frames, StackTable stacks,
            ThreadTable threads, ClassTable classes, LabelTable labels, List<SampleTable> sampleTables,
            EventTable events) {
        this.strings = strings;
        this.functions = functions;
        this.frames = frames;
        this.stacks = stacks;
        this.threads = threads;
        this.classes = classes;
        this.labels = labels;
        this.sampleTables = List.copyOf(sampleTables);
        this.events = events;
        this.mappings = List.copyOf(b.mappings);
        this.format = b.format;
        this.sourceName = b.sourceName;
        this.producer = b.producer;
        this.startEpochNanos = b.startEpochNanos;
        this.durationNanos = b.durationNanos;
        this.periodType = b.periodType;
        this.period = b.period;
        this.defaultValueType = b.defaultValueType;
        this.eventCounts = Map.copyOf(b.eventCounts);
        this.jfrEvents = b.jfrEvents.build();
        this.warnings = List.copyOf(b.warnings);
        this.comments = List.copyOf(b.comments);
        this.incomplete = b.incomplete;
        this.notHeldCount = b.notHeldCount == null ? null : b.notHeldCount.clone();
        this.notHeldNanos = b.notHeldNanos == null ? null : b.notHeldNanos.clone();
    }

    public StringTable strings() { return strings; }

    public FunctionTable functions() { return functions; }

    public FrameTable frames() { return frames; }

    public StackTable stacks() { return stacks; }

    public ThreadTable threads() { return threads; }

    public ClassTable classes() { return classes; }

    public LabelTable labels() { return labels; }

    public List<SampleTable> sampleTables() { return sampleTables; }

    public EventTable events() { return events; }

    public List<Mapping> mappings() { return mappings; }

    public SourceFormat format() { return format; }

    /** File name the profile was read from. */
    public String sourceName() { return sourceName; }

    /** "OpenJDK 17.0.15+6", "go1.19.8", "async-profiler" ... or "" when the file does not say. */
    public String producer() { return producer; }

    /** Start of the capture in epoch nanoseconds, or 0 when unknown. */
    public long startEpochNanos() { return startEpochNanos; }

    /** Length of the capture in nanoseconds, or 0 when unknown. */
    public long durationNanos() { return durationNanos; }

    /** pprof's period type, or null. */
    public ValueType periodType() { return periodType; }

    public long period() { return period; }

    /** The value type a view shows first, or null when the profile has no samples. */
    public ValueType defaultValueType() { return defaultValueType; }

    /** Number of events of each type in the file (JFR event types; pprof sample records). */
    public Map<String, Long> eventCounts() { return eventCounts; }

    /**
     * Every event type of a JFR recording with all its events, a table each; empty for other formats and for a load
     * of chosen event types only. Shared unchanged by {@link #timeSlice}.
     */
    public JfrEventStore jfrEvents() { return jfrEvents; }

    /**
     * How many events of a kind a read of chosen event kinds left out of the {@link #events() table} (a Go trace read
     * for its summary keeps the counts and total durations of the goroutine states, not their rows); 0 for a whole
     * read and in a {@link #timeSlice}.
     */
    public long notHeldEvents(EventKind kind) { return notHeldCount == null ? 0 : notHeldCount[kind.ordinal()]; }

    /** The total duration of the events of {@link #notHeldEvents}. */
    public long notHeldNanos(EventKind kind) { return notHeldNanos == null ? 0 : notHeldNanos[kind.ordinal()]; }

    /** Recoverable problems met while reading, in words for the user. */
    public List<String> warnings() { return warnings; }

    public List<String> comments() { return comments; }

    /** True when part of the file could not be read (a truncated tail, a damaged chunk). */
    public boolean isIncomplete() { return incomplete; }

    // ---- convenience lookups ----

    public String string(int stringIndex) { return strings.get(stringIndex); }

    /** Qualified name of the function of a frame. */
    public String frameName(int frameIndex) { return strings.get(functions.name(frames.func(frameIndex))); }

    public String threadName(int threadIndex) { return threadIndex < 0 ? "" : strings.get(threads.name(threadIndex)); }

    public String className(int classIndex) { return classIndex < 0 ? "" : strings.get(classes.name(classIndex)); }

    /** All value types, in table order. */
    public List<ValueType> valueTypes() {
        return sampleTables.stream().flatMap(t -> t.valueTypes().stream()).toList();
    }

    /** The sample table that holds a value type, or null. */
    public SampleTable tableOf(ValueType type) {
        for (SampleTable t : sampleTables) if (t.valueTypes().contains(type)) return t;
        return null;
    }

    /**
     * This profile restricted to the time range [{@code fromNanos}, {@code toNanos}) (epoch ns): the samples whose
     * time is in the range (rows without a time are kept), and the events whose interval [start, start + duration)
     * overlaps it, whole (the same rules as {@code Filter.acceptsTime} and {@code Filter.overlaps}). Start and
     * duration become the range clipped to the recording. Everything else (strings, functions, frames, stacks,
     * threads, classes, labels, mappings, the file's per-type event counts, the JFR event store, warnings) is shared unchanged.
     */
    public Profile timeSlice(long fromNanos, long toNanos) {
        List<SampleTable> tables = new java.util.ArrayList<>();
        for (SampleTable t : sampleTables) {
            IntList keep = new IntList();
            for (int r = 0; r < t.size(); r++) {
                long time = t.timeNanos(r);
                if (time == Long.MIN_VALUE || (time >= fromNanos && time < toNanos)) keep.add(r);
            }
            tables.add(t.rows(keep.toArray()));
        }
        IntList keep = new IntList();
        for (int e = 0; e < events.size(); e++) {
            long start = events.startNanos(e);
            if (start < toNanos && start + events.durationNanos(e) >= fromNanos) keep.add(e);
        }
        long start = startEpochNanos, duration = durationNanos;
        if (startEpochNanos > 0) {
            start = Math.max(fromNanos, startEpochNanos);
            duration = Math.max(0, Math.min(toNanos, startEpochNanos + durationNanos) - start);
        }
        return new Profile(this, tables, events.rows(keep.toArray()), start, duration);
    }

    private Profile(Profile p, List<SampleTable> sampleTables, EventTable events, long startEpochNanos, long durationNanos) {
        this.strings = p.strings;
        this.functions = p.functions;
        this.frames = p.frames;
        this.stacks = p.stacks;
        this.threads = p.threads;
        this.classes = p.classes;
        this.labels = p.labels;
        this.sampleTables = List.copyOf(sampleTables);
        this.events = events;
        this.mappings = p.mappings;
        this.format = p.format;
        this.sourceName = p.sourceName;
        this.producer = p.producer;
        this.startEpochNanos = startEpochNanos;
        this.durationNanos = durationNanos;
        this.periodType = p.periodType;
        this.period = p.period;
        this.defaultValueType = p.defaultValueType;
        this.eventCounts = p.eventCounts;
        this.jfrEvents = p.jfrEvents;
        this.warnings = p.warnings;
        this.comments = p.comments;
        this.incomplete = p.incomplete;
        this.notHeldCount = null; // a slice holds the rows in it: those not held are in none
        this.notHeldNanos = null;
    }
}
