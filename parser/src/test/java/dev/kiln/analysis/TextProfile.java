// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis;

import dev.kiln.model.EventKind;
import dev.kiln.model.FrameKind;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileBuilder;
import dev.kiln.model.SourceFormat;
import dev.kiln.model.ValueType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds small profiles from readable lines, for analysis tests. A sample line is
 * {@code "main;a;b 3 thread=w1 t=2.5 tenant=acme"}: a stack outermost first (a frame may carry a line,
 * {@code a:12}; {@code -} is the empty stack), a weight, then optional {@code thread=NAME}, {@code t=SECONDS}
 * from {@link #START} and any other {@code key=value} as a pprof string label. Weights go to one value type,
 * {@code samples/count}. {@link #event} adds an event with a stack and a duration.
 */
public final class TextProfile {
    /** Epoch nanoseconds of the profile start; {@code t=} counts from here. */
    public static final long START = 1_700_000_000_000_000_000L;
    public static final ValueType SAMPLES = new ValueType("samples", "count");

    private final ProfileBuilder b = new ProfileBuilder(SourceFormat.PPROF, "fixture");
    private final ProfileBuilder.SampleTableBuilder table = b.sampleTable("fixture", List.of(SAMPLES), true, false, true);
    private final Map<String, Integer> threads = new HashMap<>();

    public static Profile of(String... lines) {
        TextProfile t = new TextProfile();
        for (String l : lines) t.sample(l);
        return t.build();
    }

    public TextProfile sample(String line) {
        String[] parts = line.trim().split("\\s+");
        int stack = stack(parts[0]);
        long weight = Long.parseLong(parts[1]);
        int thread = -1;
        long time = START;
        List<int[]> labels = new ArrayList<>();
        for (int i = 2; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            switch (kv[0]) {
                case "thread" -> thread = thread(kv[1]);
                case "t" -> time = START + Math.round(Double.parseDouble(kv[1]) * 1e9);
                default -> labels.add(new int[] {b.string(kv[0]), b.string(kv[1])});
            }
        }
        int n = labels.size();
        int[] key = new int[n], str = new int[n], unit = new int[n];
        for (int i = 0; i < n; i++) { key[i] = labels.get(i)[0]; str[i] = labels.get(i)[1]; }
        int set = b.labelSet(key, str, new long[n], unit, n);
        table.add(stack, thread, time, -1, set, new long[] {weight});
        return this;
    }

    /** An event of {@code kind} on {@code stack}, starting {@code startSeconds} after {@link #START}. */
    public TextProfile event(EventKind kind, String stack, String thread, double startSeconds, double durationSeconds) {
        b.event(kind, thread(thread), START + Math.round(startSeconds * 1e9), Math.round(durationSeconds * 1e9), stack(stack),
                -1, 0, -1, -1, 0);
        return this;
    }

    public Profile build() {
        b.timeSpan(START, 10_000_000_000L);
        return b.build();
    }

    private int thread(String name) {
        return threads.computeIfAbsent(name, n -> b.thread(threads.size() + 1, n, threads.size() + 1, -1, false));
    }

    private int stack(String frames) {
        if (frames.equals("-")) return -1;
        int s = -1;
        for (String f : frames.split(";")) {
            int colon = f.lastIndexOf(':');
            int line = colon > 0 ? Integer.parseInt(f.substring(colon + 1)) : 0;
            String name = colon > 0 ? f.substring(0, colon) : f;
            s = b.stack(s, b.frame(b.function(name, "", ""), line, -1, FrameKind.UNKNOWN, 0));
        }
        return s;
    }
}
