// SPDX-License-Identifier: Apache-2.0
package dev.kiln.io;

import com.google.protobuf.CodedOutputStream;
import dev.kiln.analysis.Filter;
import dev.kiln.analysis.Weights;
import dev.kiln.analysis.tree.CallTree;
import dev.kiln.analysis.tree.FlameLayout;
import dev.kiln.export.PprofWriter;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.FrameKind;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileBuilder;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.ProfileValidator;
import dev.kiln.model.SourceFormat;
import dev.kiln.model.ValueType;
import dev.kiln.pprof.GoTextReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Generated hostile inputs: each loads (and analyses) or fails with a clear error, within a bounded time. */
class HostileInputTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Profile load(Path file) {
        Profile p = assertTimeoutPreemptively(BOUND, () -> ProfileLoader.load(file, ProgressSink.NONE));
        ProfileValidator.check(p);
        return p;
    }

    /** A 10,000-frame stack survives pprof export and import, and its call tree and flame layout are built. */
    @Test
    void tenThousandFrameStack() throws Exception {
        int depth = 10_000;
        ProfileBuilder b = new ProfileBuilder(SourceFormat.PPROF, "deep");
        int[] frames = new int[depth];
        for (int i = 0; i < depth; i++) frames[i] = b.frame(b.function("main.f" + i, "main", "deep.go"), i + 1, -1, FrameKind.UNKNOWN, 0);
        ProfileBuilder.SampleTableBuilder t = b.sampleTable("pprof", List.of(new ValueType("samples", "count")), false, false, false);
        t.add(b.stackOfLeafFirst(frames, depth), -1, Long.MIN_VALUE, -1, 7);
        Path file = dir.resolve("deep.pb.gz");
        PprofWriter.write(b.build(), Weights.available(b.build()), Filter.NONE, file, ProgressSink.NONE);
        Profile p = load(file);
        CallTree tree = assertTimeoutPreemptively(BOUND, () -> CallTree.build(p, Weights.defaultWeight(p), Filter.NONE, CallTree.Options.DEFAULT));
        assertEquals(7, tree.rootTotal());
        assertEquals(depth, FlameLayout.of(tree).maxDepth());
    }

    /** A goroutine dump with 100,000 goroutines: one thread row and one sample each. */
    @Test
    void hundredThousandGoroutines() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int g = 1; g <= 100_000; g++) {
            text.append("goroutine ").append(g).append(" [chan receive, ").append(g % 90).append(" minutes]:\n")
                    .append("main.worker(0x0)\n\t/src/main.go:").append(10 + g % 7).append(" +0x1d\n")
                    .append("created by main.start\n\t/src/main.go:3 +0x2a\n\n");
        }
        Path file = dir.resolve("many.txt");
        Files.writeString(file, text);
        Profile p = load(file);
        assertEquals(100_000, p.threads().size());
        assertEquals(100_000, p.sampleTables().get(0).size());
    }

    /** A length prefix of 2 GiB in 20 bytes: refused at once, no allocation of the declared size. */
    @Test
    void hugeDeclaredLength() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeTag(2, 2); // sample, length-delimited
        out.writeUInt32NoTag(Integer.MAX_VALUE);
        out.writeRawBytes(new byte[16]);
        out.flush();
        Path file = dir.resolve("huge.pb");
        Files.write(file, bytes.toByteArray());
        ProfileFormatException e = assertTimeoutPreemptively(BOUND,
                () -> assertThrows(ProfileFormatException.class, () -> ProfileLoader.load(file, ProgressSink.NONE)));
        assertTrue(e.getMessage().startsWith("huge.pb: "), e.getMessage());
    }

    /** Negative values (pprof diff profiles carry them) and strings that are not UTF-8 load as they are. */
    @Test
    void negativeValuesAndBrokenUtf8() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        // sample_type {type: 1 "samples", unit: 2 "count"}
        ByteArrayOutputStream vt = new ByteArrayOutputStream();
        CodedOutputStream v = CodedOutputStream.newInstance(vt);
        v.writeInt64(1, 1);
        v.writeInt64(2, 2);
        v.flush();
        out.writeByteArray(1, vt.toByteArray());
        // sample {location_id: 1, value: -5}
        ByteArrayOutputStream sm = new ByteArrayOutputStream();
        CodedOutputStream s = CodedOutputStream.newInstance(sm);
        s.writeUInt64(1, 1);
        s.writeInt64(2, -5);
        s.flush();
        out.writeByteArray(2, sm.toByteArray());
        // location {id: 1, line {function_id: 1}}
        ByteArrayOutputStream ln = new ByteArrayOutputStream();
        CodedOutputStream l = CodedOutputStream.newInstance(ln);
        l.writeUInt64(1, 1);
        l.flush();
        ByteArrayOutputStream loc = new ByteArrayOutputStream();
        CodedOutputStream lc = CodedOutputStream.newInstance(loc);
        lc.writeUInt64(1, 1);
        lc.writeByteArray(4, ln.toByteArray());
        lc.flush();
        out.writeByteArray(4, loc.toByteArray());
        // function {id: 1, name: 3}
        ByteArrayOutputStream fn = new ByteArrayOutputStream();
        CodedOutputStream f = CodedOutputStream.newInstance(fn);
        f.writeUInt64(1, 1);
        f.writeInt64(2, 3);
        f.flush();
        out.writeByteArray(5, fn.toByteArray());
        out.writeByteArray(6, new byte[0]);
        out.writeByteArray(6, "samples".getBytes(StandardCharsets.UTF_8));
        out.writeByteArray(6, "count".getBytes(StandardCharsets.UTF_8));
        out.writeByteArray(6, new byte[] {'m', (byte) 0xff, (byte) 0xfe, 'x'});
        out.flush();
        Path file = dir.resolve("odd.pb");
        Files.write(file, bytes.toByteArray());
        Profile p = load(file);
        assertEquals(-5, p.sampleTables().get(0).value(0, 0));
        assertTrue(p.frameName(p.stacks().frame(p.sampleTables().get(0).stack(0))).startsWith("m"));
    }

    /** Text that only starts like a Go profile: a clear error naming the line, quickly. */
    @Test
    void textThatOnlyLooksLikeAProfile() throws Exception {
        Path file = dir.resolve("fake.txt");
        Files.writeString(file, "goroutine profile: total 3\n3 @ 0x1 0x2\n#\tnot a frame line at all\n" + "x".repeat(2 << 20));
        assertTrue(GoTextReader.looksLikeGoText(Files.readAllBytes(file), 64));
        assertTimeoutPreemptively(BOUND, () -> {
            try {
                ProfileValidator.check(ProfileLoader.load(file, ProgressSink.NONE));
            } catch (ProfileFormatException e) {
                assertTrue(e.getMessage().startsWith("fake.txt: "), e.getMessage());
            }
        });
    }
}
