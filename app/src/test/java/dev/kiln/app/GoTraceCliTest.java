// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.SampleTable;
import dev.kiln.model.ValueType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.kiln.app.CliTest.CAPTURES;
import static dev.kiln.app.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** summary, threads, export and diff of Go execution traces, against go tool trace's own numbers. */
class GoTraceCliTest {
    static final String MIXED = CAPTURES.resolve("gotrace/mixed.trace").toString();

    static long total(Path pprof, String type, String unit) throws Exception {
        Profile p = ProfileLoader.load(pprof, ProgressSink.NONE);
        SampleTable t = p.tableOf(new ValueType(type, unit));
        int col = t.valueTypes().indexOf(new ValueType(type, unit));
        long sum = 0;
        for (int r = 0; r < t.size(); r++) sum += t.value(col, r);
        return sum;
    }

    @Test
    void summaryNamesTheTraceFormatGoroutinesPsAndGc() {
        CliTest.Result r = run("summary", MIXED);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Trace:      go 1.23"), r.out());
        assertTrue(r.out().contains("Goroutines: 22 on 2 Ps"), r.out()); // mixed.facts.txt: goroutines 22, procs 2
        assertTrue(r.out().contains("GC:         62 cycles"), r.out());
        // no window of 1 ms lies inside a stop-the-world (the longest is 400.5 us), so the program keeps some Ps
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("MMU:        1.00 ms (\\d+)%, 10.00 ms (\\d+)%, 100.00 ms (\\d+)%").matcher(r.out());
        assertTrue(m.find(), r.out());
        int ms1 = Integer.parseInt(m.group(1)), ms10 = Integer.parseInt(m.group(2)), ms100 = Integer.parseInt(m.group(3));
        assertTrue(0 < ms1 && ms1 <= ms10 && ms10 <= ms100 && ms100 < 100, r.out());
    }

    @Test
    void threadsGroupsTheGoroutinesByStartFunction() throws Exception {
        CliTest.Result r = run("threads", MIXED, "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        JsonNode first = json.get("groups").get(0);
        assertEquals("main.main.func2", first.get("startFunction").asText());
        assertEquals(4, first.get("goroutines").asInt());
        assertEquals(24, json.get("lanes").get("threads").size());
        JsonNode mmu = json.get("mmu"); // the curve as go tool trace's MMU page samples it: 100 windows on a log scale
        assertEquals(100, mmu.size());
        assertEquals(0, mmu.get(0).get("mmu").asDouble()); // it starts where the MMU leaves 0
        assertTrue(mmu.get(99).get("windowNanos").asLong() <= 404_142_721L, mmu.get(99).toString()); // at most the trace
        assertTrue(mmu.get(99).get("mmu").asDouble() > 0.5, mmu.get(99).toString());
        assertTrue(run("threads", MIXED).out().contains("Goroutines by start function (15 groups"));
        // mixed.facts.txt: RegionBegin 560637, TaskBegin 5
        long regions = 0, tasks = 0;
        for (JsonNode n : json.get("user").get("regions")) regions += n.get("count").asLong();
        for (JsonNode n : json.get("user").get("tasks")) tasks += n.get("count").asLong();
        assertEquals(560_637, regions);
        assertEquals(5, tasks);
        JsonNode top = json.get("user").get("regions").get(0);
        assertTrue(top.get("p50Nanos").asLong() <= top.get("p90Nanos").asLong() && top.get("p90Nanos").asLong() <= top.get("maxNanos").asLong(), top.toString());
    }

    @Test
    void theExportedDelayProfilesHaveGoToolTracesTotals(@TempDir Path dir) throws Exception {
        for (String type : new String[] {"sched", "sync", "net", "syscall"}) {
            Path out = dir.resolve(type + ".pb.gz");
            CliTest.Result r = run("export", MIXED, "--to", "pprof", "--value", type, "-o", out.toString());
            assertEquals(0, r.code(), r.err());
            long go = total(CAPTURES.resolve("gotrace/mixed." + type + ".pb"), "delay", "nanoseconds");
            long kiln = total(out, type, "nanoseconds");
            assertEquals(go, kiln, go / 10_000.0, type); // within 0.01%
        }
    }

    @Test
    void anExportOfDelayProfilesReadsTheirEventsAloneAndWritesWhatTheWholeReadGives(@TempDir Path dir) throws Exception {
        Profile whole = ProfileLoader.load(Path.of(MIXED), ProgressSink.NONE);
        for (String[] values : new String[][] {{"sched"}, {"sync/count", "net"}, {"syscall"}}) {
            Path out = dir.resolve("kiln.pb.gz"), expected = dir.resolve("whole.pb.gz");
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("export", MIXED, "--to", "pprof", "-o", out.toString()));
            for (String v : values) { args.add("--value"); args.add(v); }
            CliTest.Result r = run(args.toArray(new String[0]));
            assertEquals(0, r.code(), r.err());
            java.util.List<dev.kiln.analysis.Weight> weights = new java.util.ArrayList<>();
            for (String v : values) weights.add(dev.kiln.analysis.jvm.JvmWeights.parse(whole, v));
            dev.kiln.report.Exports.write(whole, "pprof", weights, dev.kiln.analysis.Filter.NONE, 0, 0, expected, ProgressSink.NONE);
            assertTrue(java.util.Arrays.equals(java.nio.file.Files.readAllBytes(expected), java.nio.file.Files.readAllBytes(out)),
                    String.join(",", values));
        }
        // a weight the trace does not have: the message lists every weight of the whole read
        CliTest.Result r = run("export", CAPTURES.resolve("gotrace/leak.trace").toString(), "--to", "pprof", "--value", "net",
                "-o", dir.resolve("x.pb.gz").toString());
        assertEquals(Main.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("choices: cpu/samples, sched/nanoseconds"), r.err());
    }

    @Test
    void aDiffOfTwoTracesComparesGoroutineGroupsAndTheDelayProfiles(@TempDir Path dir) throws Exception {
        String a = CAPTURES.resolve("gotrace/go122.trace").toString(), b = CAPTURES.resolve("gotrace/go123.trace").toString();
        Path out = dir.resolve("diff.json");
        CliTest.Result r = run("diff", a, b, "--value", "sched", "--json", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode states = new ObjectMapper().readTree(out.toFile()).get("threadStates");
        boolean workers = false;
        for (JsonNode s : states) workers |= s.get("thread").asText().equals("goroutines main.main.func1");
        assertTrue(workers, states.toString());
        // go122's run is 2.5 s against go123's 1.5 s: from go123 to go122 the scheduler latency grows by 64%
        assertEquals(1, run("diff", b, a, "--value", "sched", "--fail-on", "total>+10%").code());
        assertEquals(0, run("diff", b, a, "--value", "sched", "--fail-on", "total>+100%").code());
    }
}
