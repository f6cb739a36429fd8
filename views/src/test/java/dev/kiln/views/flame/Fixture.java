// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.flame;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.Weights;
import dev.kiln.analysis.tree.CallTree;
import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.FrameKind;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileBuilder;
import dev.kiln.model.SourceFormat;
import dev.kiln.model.ValueType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test inputs: small profiles from {@code "main;a;b 3"} lines, and the real JDK 17 capture with its facts. */
final class Fixture {
    static final Path CAPTURES = Path.of("../parser/src/test/resources/captures");
    static final Path MIXED = CAPTURES.resolve("jfr/jdk17-mixed.jfr");
    private static Profile mixed;

    private Fixture() { }

    /** A profile with one {@code samples/count} column; a frame {@code N:name} is a native frame. */
    static Profile profile(String... lines) {
        ProfileBuilder b = new ProfileBuilder(SourceFormat.PPROF, "fixture");
        ProfileBuilder.SampleTableBuilder t = b.sampleTable("fixture", List.of(new ValueType("samples", "count")), false, false, false);
        for (String line : lines) {
            String[] parts = line.trim().split("\\s+");
            int s = -1;
            for (String f : parts[0].split(";")) {
                FrameKind kind = f.startsWith("N:") ? FrameKind.NATIVE : FrameKind.JIT;
                String name = f.startsWith("N:") ? f.substring(2) : f;
                s = b.stack(s, b.frame(b.function(name, "", ""), 0, -1, kind, 0));
            }
            t.add(s, -1, 0, -1, Long.parseLong(parts[1]));
        }
        return b.build();
    }

    static CallTree tree(Profile p) {
        return CallTree.build(p, Weights.defaultWeight(p), Filter.NONE, CallTree.Options.DEFAULT);
    }

    static synchronized Profile mixed() throws Exception {
        if (mixed == null) mixed = ProfileLoader.load(MIXED, ProgressSink.NONE);
        return mixed;
    }

    static CallTree mixedCpuTree() throws Exception {
        Profile p = mixed();
        return CallTree.build(p, Weights.parse(p, "cpu/samples"), Filter.NONE, CallTree.Options.DEFAULT);
    }

    /** The ExecutionSample count from the capture's facts file. */
    static long mixedExecutionSamples() {
        try {
            String facts = Files.readString(CAPTURES.resolve("jfr/jdk17-mixed.facts.txt"));
            Matcher m = Pattern.compile("== jdk\\.ExecutionSample: events=(\\d+)").matcher(facts);
            if (!m.find()) throw new IllegalStateException("no ExecutionSample section in the facts file");
            return Long.parseLong(m.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
