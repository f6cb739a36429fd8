// SPDX-License-Identifier: Apache-2.0
package dev.kiln.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kiln.analysis.Filter;
import dev.kiln.analysis.FilteredStacks;
import dev.kiln.analysis.StackTransform;
import dev.kiln.analysis.Weight;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.IntList;
import dev.kiln.model.Profile;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a {@link Profile} in speedscope's file format ({@value #SCHEMA}), UTF-8 JSON through Jackson:
 * {@code $schema}, {@code shared.frames} (one frame per function: {@code name}, and {@code file} when known),
 * one {@code sampled} profile per exported {@link Weight} named by its value type ({@code cpu/samples}) with
 * {@code unit} ({@code nanoseconds}, {@code bytes}, else {@code none}), {@code startValue} 0,
 * {@code endValue} the kept total, and one sample per distinct stack (after the filter's hide/collapse; frame
 * indices root first, an empty list for rows without frames) with its kept weight in {@code weights};
 * then {@code name} (the source file), {@code activeProfileIndex} 0 and {@code exporter}. Weights per
 * function are therefore exact; the time order of samples is not kept.
 */
public final class SpeedscopeWriter {
    /** The {@code $schema} value speedscope checks. */
    public static final String SCHEMA = "https://www.speedscope.app/file-format-schema.json";
    /** The {@code exporter} value. */
    public static final String EXPORTER = "Kiln";

    private SpeedscopeWriter() { }

    /** Writes {@code target} via {@link AtomicFiles}. */
    public static void write(Profile p, List<Weight> weights, Filter filter, Path target, ProgressSink progress) throws IOException {
        AtomicFiles.write(target, out -> write(p, weights, filter, out, progress));
    }

    /** Writes the JSON to a stream (flushed, not closed). */
    public static void write(Profile p, List<Weight> weights, Filter filter, OutputStream out, ProgressSink progress) throws IOException {
        if (weights.isEmpty()) throw new IllegalArgumentException("no weight to export");
        StackTransform transform = StackTransform.of(p, filter);
        FilteredStacks[] rows = new FilteredStacks[weights.size()];
        for (int w = 0; w < rows.length; w++) rows[w] = FilteredStacks.of(transform, weights.get(w), filter, progress);
        // Speedscope frames: one per function used, numbered in order of first use.
        int[] funcFrame = new int[p.functions().size()];
        Arrays.fill(funcFrame, -1);
        IntList frameFunc = new IntList();
        for (FilteredStacks r : rows) {
            long[] byStack = r.weightByStack();
            for (int s = 0; s < byStack.length; s++) {
                if (byStack[s] == 0) continue;
                for (int x = s; x >= 0; x = transform.parent(x)) {
                    int fn = p.frames().func(transform.frame(x));
                    if (funcFrame[fn] < 0) {
                        funcFrame[fn] = frameFunc.size();
                        frameFunc.add(fn);
                    }
                }
            }
        }
        try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeStringField("$schema", SCHEMA);
            g.writeObjectFieldStart("shared");
            g.writeArrayFieldStart("frames");
            for (int i = 0; i < frameFunc.size(); i++) {
                int fn = frameFunc.get(i);
                g.writeStartObject();
                g.writeStringField("name", p.string(p.functions().name(fn)));
                if (p.functions().file(fn) > 0) g.writeStringField("file", p.string(p.functions().file(fn)));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeArrayFieldStart("profiles");
            IntList path = new IntList();
            for (FilteredStacks r : rows) {
                progress.checkCancelled();
                long[] byStack = r.weightByStack();
                g.writeStartObject();
                g.writeStringField("type", "sampled");
                g.writeStringField("name", r.weight().type().toString());
                g.writeStringField("unit", unit(r.weight().type().unit()));
                g.writeNumberField("startValue", 0);
                g.writeNumberField("endValue", r.total());
                g.writeArrayFieldStart("samples");
                if (r.rootWeight() != 0) { g.writeStartArray(); g.writeEndArray(); }
                for (int s = 0; s < byStack.length; s++) {
                    if (byStack[s] == 0) continue;
                    path.clear();
                    for (int x = s; x >= 0; x = transform.parent(x)) path.add(funcFrame[p.frames().func(transform.frame(x))]);
                    g.writeStartArray();
                    for (int i = path.size() - 1; i >= 0; i--) g.writeNumber(path.get(i));
                    g.writeEndArray();
                }
                g.writeEndArray();
                g.writeArrayFieldStart("weights");
                if (r.rootWeight() != 0) g.writeNumber(r.rootWeight());
                for (long v : byStack) if (v != 0) g.writeNumber(v);
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("name", p.sourceName());
            g.writeNumberField("activeProfileIndex", 0);
            g.writeStringField("exporter", EXPORTER);
            g.writeEndObject();
        }
        out.flush();
    }

    /** Speedscope's unit for a Kiln unit. */
    static String unit(String unit) {
        return switch (unit) {
            case "nanoseconds", "bytes" -> unit;
            default -> "none";
        };
    }
}
