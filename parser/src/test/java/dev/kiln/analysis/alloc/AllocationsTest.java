// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.alloc;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.alloc.Allocations.By;
import dev.kiln.analysis.alloc.Allocations.Row;
import dev.kiln.io.ProfileLoader;
import dev.kiln.jfr.JfrReader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.FrameKind;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileBuilder;
import dev.kiln.model.SourceFormat;
import dev.kiln.model.ValueType;
import dev.kiln.testutil.Captures;
import dev.kiln.testutil.FactsFile;
import dev.kiln.testutil.PprofTop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Allocation tables of the real captures against their facts / pprof top files, and of a hand-made profile. */
class AllocationsTest {
    static Stream<String> jfrCaptures() { return Captures.list("jfr", ".jfr").stream().map(p -> p.getFileName().toString()); }

    static Allocations load(String sub, String name) throws Exception {
        Profile p = ProfileLoader.load(Captures.file(sub, name), ProgressSink.NONE);
        assertTrue(Allocations.applies(p), name);
        return Allocations.of(p, Filter.NONE, ProgressSink.NONE);
    }

    @ParameterizedTest
    @MethodSource("jfrCaptures")
    void jfrTopClassesAndSitesEqualFacts(String name) throws Exception {
        FactsFile f = new FactsFile(Captures.file("jfr", name.replace(".jfr", ".facts.txt")));
        FactsFile.Section s = f.section("jdk.ObjectAllocationSample");
        if (s == null) return;
        Allocations a = load("jfr", name);
        assertEquals(List.of(JfrReader.ALLOC_BYTES, Allocations.EVENTS), a.valueTypes());
        assertEquals(Long.parseLong(s.header().replaceAll(".*total_weight_bytes=(\\d+).*", "$1")), a.total(0));
        assertEquals(Long.parseLong(s.header().replaceAll(".*events=(\\d+).*", "$1")), a.total(1));
        assertTopMatches(s.tables().get("weight by objectClass"), a.top(By.CLASS, 0, 0, 1), true);
        assertTopMatches(s.tables().get("weight by top frame"), a.top(By.SITE, 0, 0, 1), false);
    }

    /** Same values in the same ranks, and each named row has its bytes and event count. */
    private static void assertTopMatches(List<FactsFile.Row> facts, List<Row> ours, boolean classes) {
        assertNotNull(facts);
        Map<String, Row> byName = new HashMap<>();
        for (Row r : ours) byName.put(r.name(), r);
        String bytesKey = facts.get(0).attrs().containsKey("weight_bytes") ? "weight_bytes" : "tlab_bytes";
        for (int i = 0; i < facts.size(); i++) {
            FactsFile.Row e = facts.get(i);
            String name = classes ? FactsFile.javaClassName(e.name()) : e.name();
            Row o = byName.get(name);
            assertNotNull(o, name);
            assertEquals(e.getLong(bytesKey), o.values()[0], name);
            assertEquals(e.getLong("events"), o.values()[1], name + " events");
            assertEquals(e.getLong(bytesKey), ours.get(i).values()[0], "rank " + (i + 1));
        }
    }

    @Test
    void tlabEventsWhenThereAreNoAllocationSamples() throws Exception {
        // async-profiler's recording has jdk.ObjectAllocationInNewTLAB only.
        String name = "asprof-jdk17-mixed.jfr";
        FactsFile f = new FactsFile(Captures.file("jfr", name.replace(".jfr", ".facts.txt")));
        Allocations a = load("jfr", name);
        assertEquals(List.of(JfrReader.TLAB_BYTES, Allocations.EVENTS), a.valueTypes());
        long events = f.section("event").rows().stream().filter(r -> r.name().equals("jdk.ObjectAllocationInNewTLAB")).findFirst()
                .orElseThrow().getLong("count");
        assertEquals(events, a.total(1));
        assertTopMatches(f.section("jdk.ObjectAllocationInNewTLAB").tables().get("tlabSize by objectClass"), a.top(By.CLASS, 0, 0, 0), true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap-baseline.pb.gz", "heap-regressed.pb.gz", "allocs-baseline.pb.gz", "allocs-regressed.pb.gz",
            "heap-baseline.debug1.txt", "heap-regressed.debug1.txt"})
    void pprofHeapTopSitePerSampleTypeEqualsPprofTop(String file) throws Exception {
        String base = file.substring(0, file.indexOf('.'));
        Allocations a = load("pprof", file);
        assertFalse(a.hasClasses());
        Map<String, List<PprofTop.Row>> top = PprofTop.read(Captures.file("pprof", base + ".top.txt"));
        assertEquals(4, top.size());
        for (Map.Entry<String, List<PprofTop.Row>> e : top.entrySet()) {
            int column = -1;
            for (int c = 0; c < a.valueTypes().size(); c++) if (a.valueTypes().get(c).kind().equals(e.getKey())) column = c;
            assertTrue(column >= 0, e.getKey() + " in " + a.valueTypes());
            ValueType vt = a.valueTypes().get(column);
            // The text form holds the same samples as the protobuf written just before it (heap-*.debug1.facts.txt).
            assertEquals(PprofTop.rawSum(Captures.file("pprof", base + ".facts.txt"), vt.toString()), a.total(column), vt.toString());
            List<Row> sites = a.top(By.SITE, column, 0, 0);
            for (int i = 0; i < 2; i++) {
                PprofTop.Row expected = e.getValue().get(i);
                assertEquals(expected.name(), sites.get(i).name(), vt + " rank " + (i + 1));
                assertEquals(expected.flat(), sites.get(i).values()[column], expected.tolerance(), vt + " " + expected.name());
            }
        }
    }

    @Test
    void asyncProfilerAllocationLeafIsTheClass() throws Exception {
        Allocations a = load("pprof", "jvm-asprof-alloc.pb.gz");
        assertTrue(a.hasClasses());
        assertEquals(PprofTop.rawSum(Captures.file("pprof", "jvm-asprof-alloc.facts.txt"), "allocations/bytes"), a.total(0));
        List<PprofTop.Row> top = PprofTop.read(Captures.file("pprof", "jvm-asprof-alloc.top.txt")).get("allocations");
        List<Row> classes = a.top(By.CLASS, 0, 0, 1);
        for (int i = 0; i < top.size(); i++) {
            assertEquals(top.get(i).name(), classes.get(i).name());
            assertEquals(top.get(i).flat(), classes.get(i).values()[0], top.get(i).tolerance());
        }
        // Converted from the same run's recording: byte[] bytes equal its jdk.ObjectAllocationInNewTLAB [B total.
        FactsFile.Row b = new FactsFile(Captures.file("jfr", "asprof-jdk17-mixed.facts.txt")).section("jdk.ObjectAllocationInNewTLAB")
                .tables().get("tlabSize by objectClass").get(0);
        assertEquals("[B", b.name());
        assertEquals(b.getLong("tlab_bytes"), classes.get(0).values()[0]);
        // No site is a class frame.
        for (Row r : a.top(By.SITE, 0, 0, 0)) assertFalse(r.name().endsWith("[]"), r.name());
    }

    @Test
    void javaTypeNames() {
        for (String t : List.of("byte[]", "java.lang.String", "MixedWorkload$SharedLedger", "int[][]", "MixedWorkload$$Lambda$315.0x00007f86c816f588")) {
            assertTrue(Allocations.looksLikeJavaType(t), t);
        }
        for (String m : List.of("MixedWorkload.transfer", "java/lang/Thread.run", "java.lang.String.<init>", "main.(*T).Run",
                "MixedWorkload.lambda$main$4", "finish_task_switch.isra.0", "")) {
            assertFalse(Allocations.looksLikeJavaType(m), m);
        }
    }

    /**
     * JFR-style samples (bytes, class): thread A allocates byte[] 100 at Main.a, byte[] 50 at Main.b, String 20 at
     * Main.a (at t=10, 20, 30); thread B allocates byte[] 7 at Main.a at t=40.
     */
    @Test
    void fixture() {
        ProfileBuilder b = new ProfileBuilder(SourceFormat.JFR, "fixture");
        int ta = b.thread(1, "A", 1, 1, false), tb = b.thread(2, "B", 2, 2, false);
        int main = b.stack(-1, frame(b, "Main.main"));
        int sa = b.stack(main, frame(b, "Main.a")), sb = b.stack(main, frame(b, "Main.b"));
        int bytes = b.classIndex("byte[]"), str = b.classIndex("java.lang.String");
        ProfileBuilder.SampleTableBuilder t = b.sampleTable("jdk.ObjectAllocationSample", List.of(JfrReader.ALLOC_BYTES), true, true, false);
        t.add(sa, ta, 10, bytes, 100);
        t.add(sb, ta, 20, bytes, 50);
        t.add(sa, ta, 30, str, 20);
        t.add(sa, tb, 40, bytes, 7);
        Profile p = b.build();
        Allocations a = Allocations.of(p, Filter.NONE, ProgressSink.NONE);
        assertEquals("byte[] 157/3 [Main.a 107/2, Main.b 50/1]; java.lang.String 20/1 [Main.a 20/1]", text(a.top(By.CLASS, 0, 0, 0)));
        assertEquals("Main.a 127/3 [byte[] 107/2, java.lang.String 20/1]; Main.b 50/1 [byte[] 50/1]", text(a.top(By.SITE, 0, 0, 0)));
        assertEquals("Main.a 127/3 [byte[] 107/2]", text(a.top(By.SITE, 0, 1, 1)));
        assertEquals(List.of(sa, sb), a.stacksOfClass("byte[]", 0).stream().map(Allocations.StackRow::stack).toList());
        assertEquals("byte[] 107/2; java.lang.String 20/1", text(a.classesAtStack(sa, 0)));
        long[] w = a.stackWeights(0, "byte[]");
        assertEquals(107, w[sa]);
        assertEquals(50, w[sb]);
        assertEquals(0, w[main]);
        // Filters: thread A only; time [15, 35) only.
        Allocations onlyA = Allocations.of(p, Filter.NONE.withThreadName(Pattern.compile("^A$")), ProgressSink.NONE);
        assertEquals(170, onlyA.total(0));
        Allocations window = Allocations.of(p, Filter.NONE.withTimeRange(15, 35), ProgressSink.NONE);
        assertEquals("Main.b 50/1 [byte[] 50/1]; Main.a 20/1 [java.lang.String 20/1]", text(window.top(By.SITE, 0, 0, 0)));
    }

    private static String text(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        for (Row r : rows) {
            if (sb.length() > 0) sb.append("; ");
            sb.append(r.name()).append(' ').append(r.values()[0]).append('/').append(r.values()[1]);
            if (!r.parts().isEmpty()) {
                sb.append(" [");
                for (int i = 0; i < r.parts().size(); i++) {
                    Row x = r.parts().get(i);
                    sb.append(i > 0 ? ", " : "").append(x.name()).append(' ').append(x.values()[0]).append('/').append(x.values()[1]);
                }
                sb.append(']');
            }
        }
        return sb.toString();
    }

    private static int frame(ProfileBuilder b, String name) {
        return b.frame(b.function(name, "Main", ""), 0, -1, FrameKind.JIT, 0);
    }

}
