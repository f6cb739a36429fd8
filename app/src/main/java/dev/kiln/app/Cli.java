// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kiln.analysis.ProfileSummary;
import dev.kiln.analysis.Weights;
import dev.kiln.analysis.jvm.JvmWeights;
import dev.kiln.analysis.ProfileSummary.FunctionRow;
import dev.kiln.gotrace.GoTraceReader;
import dev.kiln.io.ProfileLoader;
import dev.kiln.jfr.JfrReader;
import dev.kiln.model.SourceFormat;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.Units;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.Map;

/** The headless sub-commands. Each returns an exit code from {@link Main}. */
final class Cli {
    static final String USAGE_TEXT = """
            usage: kiln                          open the desktop app (its welcome page offers a sample capture)
                   kiln --sample                 open the desktop app on the bundled sample capture
                   kiln FILE [FILE...]           open each FILE in a tab
                   kiln summary FILE [--json]    what FILE holds: format, producer, time span, threads, event and
                                                 sample types, top functions per value type
                   kiln tree FILE [options]      call tree (top-down, --inverted, --collapsed) of one weight
                   kiln peek FILE REGEX          callers and callees of matching functions (pprof's -peek)
                   kiln list FILE REGEX          source lines with flat and cum (pprof's -list; --source-root DIR)
                   kiln graph FILE --dot|--svg   call graph pruned as pprof's -dot (--nodecount N, -o OUT)
                   kiln threads FILE [options]   time per thread state (JFR) or goroutine states (Go)
                   kiln locks FILE [options]     contended locks with waiters and owners; Go contention sites
                   kiln allocs FILE [options]    allocations by class or by site
                   kiln findings FILE [--no-jmc] problems found by Kiln's checks and JMC's rules
                   kiln events FILE [--type T]   JFR event types with counts and fields; the events of type T
                                                 with every field (--json as jfr print --json)
                   kiln gc FILE                  JFR garbage collections: pauses, collectors, causes, heap, phases
                   kiln env FILE                 JVM, OS, CPU, memory, container, properties, flags, settings
                   kiln diff BASE TARGET [options] regressions and improvements; --fail-on RULE gates CI (exit 1)
                   kiln export FILE --to FORMAT  write pprof, collapsed, speedscope, svg or png (-o OUT, filters)
                   kiln report FILE -o OUT.html  one self-contained HTML report (flame graph, tables, timeline)
                   kiln record PID [--duration 30s] [-o OUT.jfr]  record a local JVM with JFR (--list, --dump)
                   kiln fetch URL [-o OUT]       save a profile from a Go service's /debug/pprof/... endpoint
            Every command takes --json; `kiln COMMAND --help` lists its options (filters: --thread, --from,
            --to, --focus, --ignore, --hide, --collapse-recursion, --tag).
            FILE is a JFR recording, a pprof profile (.pb.gz or raw) or a Go text profile (debug=1/2); the
            format is detected from the content. Exit codes: 0 done, 2 the input could not be read, 64 usage.
            """;

    private static final int TOP = 10;

    private Cli() { }

    /** The bundled JFR sample, copied out of the jar once into the temp folder. */
    static Path sampleCapture() throws IOException {
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "kiln-sample-jdk17-mixed.jfr");
        try (InputStream in = Cli.class.getResourceAsStream("sample.jfr")) {
            if (in == null) throw new IOException("sample.jfr is missing from the application");
            Path tmp = Files.createTempFile(target.getParent(), "kiln-sample", ".tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return target;
    }

    static int summary(String[] args, PrintStream out, PrintStream err) {
        boolean json = false;
        List<String> files = new ArrayList<>();
        for (String a : args) {
            if (a.equals("--json")) json = true;
            else if (a.startsWith("-")) { err.println("kiln summary: unknown option " + a); return Main.USAGE; }
            else files.add(a);
        }
        if (files.size() != 1) {
            err.println("kiln summary: expected one FILE");
            err.print(USAGE_TEXT);
            return Main.USAGE;
        }
        // a Go trace's goroutine states are counted, not held: the summary needs only their counts and totals
        Profile profile = isGoTrace(files.get(0)) ? load(files.get(0), err, ProfileSummary.GO_TRACE_ROWS) : Cli.load(files.get(0), err);
        if (profile == null) return Main.BAD_INPUT;
        ProfileSummary s = ProfileSummary.of(profile, TOP, JvmWeights.derivedTables(profile));
        if (json) {
            try {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(s));
            } catch (IOException e) {
                err.println("kiln: cannot write JSON: " + e.getMessage());
                return Main.BAD_INPUT;
            }
        } else {
            printText(s, out);
        }
        return Main.OK;
    }

    /** Loads a capture for a sub-command, or prints why it cannot ("kiln: FILE: reason") and returns null. */
    static Profile load(String file, PrintStream err) {
        return load(file, err, null);
    }

    /**
     * Loads a capture for a command that needs one weight: when that is the CPU samples (named, or the default),
     * a JFR recording is read for its execution samples alone, which is several times faster; the whole
     * recording is read when it turns out to have none.
     */
    static Profile loadForWeight(String file, String value, PrintStream err) {
        if (value != null && Weights.eventTypes(value) != null) return loadForWeights(file, List.of(value), err);
        if (value == null || value.equals("cpu") || value.equals("cpu/samples")) {
            Profile p = load(file, err, Set.of("jdk.ExecutionSample"));
            if (p == null || p.format() != SourceFormat.JFR || p.tableOf(JfrReader.CPU_SAMPLES) != null) return p;
        }
        return load(file, err, null);
    }

    /**
     * Loads a capture for a command that needs the weights {@code values} (as {@code --value} names them): when the
     * file is a Go execution trace and each names a delay profile ({@code sched}, {@code sync}, {@code net},
     * {@code syscall}), its event table holds those events alone (the rows the whole load has of them; its other
     * tables are whole), which is several times faster on a dense trace. Anything else is read whole, and so is a
     * trace when a weight is not found in the lighter load (the message then lists every choice).
     */
    static Profile loadForWeights(String file, List<String> values, PrintStream err) {
        Set<String> types = new java.util.TreeSet<>();
        for (String v : values) {
            Set<String> t = Weights.eventTypes(v);
            if (t == null || !t.stream().allMatch(n -> n.startsWith("go."))) { types = null; break; }
            types.addAll(t);
        }
        if (types != null && !types.isEmpty() && isGoTrace(file)) {
            Profile p = load(file, err, types);
            if (p == null) return null;
            try {
                for (String v : values) Weights.parse(p, v);
                return p;
            } catch (IllegalArgumentException e) {
                // not in the lighter load: the whole one says which weights there are
            }
        }
        return load(file, err, null);
    }

    private static boolean isGoTrace(String file) {
        byte[] head = new byte[16];
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            return GoTraceReader.looksLike(head, in.readNBytes(head, 0, head.length));
        } catch (IOException | RuntimeException e) {
            return false; // the whole load says what is wrong with it
        }
    }

    private static Profile load(String file, PrintStream err, Set<String> jfrEventTypes) {
        try {
            return ProfileLoader.load(Path.of(file), ProgressSink.NONE, jfrEventTypes);
        } catch (dev.kiln.model.ProfileTooLargeException e) {
            if (jfrEventTypes != null) { // already the lighter load: do not offer it again
                err.printf(Locale.ROOT, "kiln: %s: even its CPU samples alone need about %,d MB of memory, and %,d MB is free; "
                        + "give Java more memory (-Xmx)%n", e.fileName(), (e.neededBytes() + (1 << 20) - 1) >> 20, Math.max(0, e.availableBytes()) >> 20);
            } else {
                err.println("kiln: " + e.getMessage());
                err.println("kiln: `kiln tree " + file + " --collapsed` reads the CPU samples alone; or give Java more memory (-Xmx)");
            }
        } catch (ProfileFormatException e) {
            err.println("kiln: " + e.getMessage());
        } catch (IOException e) {
            err.println("kiln: " + file + ": " + e.getMessage());
        }
        return null;
    }

    static void printText(ProfileSummary s, PrintStream out) {
        out.printf(Locale.ROOT, "File:       %s%n", s.file());
        out.printf(Locale.ROOT, "Format:     %s%n", s.format());
        out.printf(Locale.ROOT, "Producer:   %s%n", s.producer().isEmpty() ? "(not recorded)" : s.producer());
        if (!s.start().isEmpty()) out.printf(Locale.ROOT, "Start:      %s%n", s.start());
        if (s.durationSeconds() > 0) out.printf(Locale.ROOT, "Duration:   %.3f s%n", s.durationSeconds());
        if (!s.period().isEmpty()) out.printf(Locale.ROOT, "Period:     %s%n", s.period());
        if (s.goTrace() != null) {
            ProfileSummary.GoTrace g = s.goTrace();
            out.printf(Locale.ROOT, "Trace:      %s (Go 1.22 writes go 1.22, Go 1.23 and 1.24 go 1.23, Go 1.25 go 1.25)%n", g.traceFormat());
            out.printf(Locale.ROOT, "Goroutines: %,d on %d Ps%n", g.goroutines(), g.procs());
            out.printf(Locale.ROOT, "GC:         %,d cycles, %s in GC; %,d stop-the-world pauses, %s in all, longest %s%n",
                    g.gcCycles(), Units.duration(g.gcNanos()), g.stwPauses(), Units.duration(g.stwNanos()), Units.duration(g.stwMaxNanos()));
            if (!g.mmu().isEmpty()) {
                StringBuilder mmu = new StringBuilder();
                for (var m : g.mmu()) mmu.append(mmu.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.0f%%", Units.duration(m.windowNanos()), 100 * m.mmu()));
                out.printf(Locale.ROOT, "MMU:        %s (the lowest share of the Ps the program had in any window that long)%n", mmu);
            }
        } else if (s.threads() > 0) {
            out.printf(Locale.ROOT, "Threads:    %,d%n", s.threads());
        } else {
            out.println("Threads:    none: " + s.format() + " records stacks and their values, not threads");
        }
        if (s.incomplete()) out.println("INCOMPLETE: part of the file could not be read");
        for (String w : s.warnings()) out.println("Warning:    " + w);
        if (!s.sampleTypes().isEmpty()) {
            out.println();
            out.println("Sample types");
            out.printf(Locale.ROOT, "  %-28s %-44s %10s %16s%n", "value type", "from", "samples", "total");
            for (ProfileSummary.SampleTypeSummary t : s.sampleTypes()) {
                String name = t.type() + "/" + t.unit() + (s.defaultValueType().equals(t.type() + "/" + t.unit()) ? " *" : "");
                out.printf(Locale.ROOT, "  %-28s %-44s %,10d %16s%n", name, t.table(), t.samples(), Units.format(t.total(), t.unit()));
            }
            if (s.sampleTypes().stream().anyMatch(t -> t.unit().equals("count") && t.samples() != t.total())) {
                out.println("  (samples counts the file's sample records; total sums their values: one record can stand for several");
                out.println("   events or objects, e.g. a stack seen 3 times is one sample with the value 3)");
            }
        }
        if (!s.eventKinds().isEmpty()) {
            out.println();
            out.println("Events with duration");
            out.printf(Locale.ROOT, "  %-22s %-28s %10s %16s%n", "kind", "event type", "count", "total duration");
            for (ProfileSummary.EventKindSummary k : s.eventKinds()) {
                out.printf(Locale.ROOT, "  %-22s %-28s %,10d %16s%n", k.name(), k.jfrType(), k.count(), Units.duration(k.totalDurationNanos()));
            }
        }
        out.println();
        out.printf(Locale.ROOT, "Event types (%d)%n", s.eventCounts().size());
        for (Map.Entry<String, Long> e : s.eventCounts().entrySet()) out.printf(Locale.ROOT, "  %-52s %,12d%n", e.getKey(), e.getValue());
        for (ProfileSummary.SampleTypeSummary t : s.sampleTypes()) {
            out.println();
            out.printf(Locale.ROOT, "Top functions by %s/%s (total %s)%n", t.type(), t.unit(), Units.format(t.total(), t.unit()));
            out.println("  by self:");
            printRows(t.topSelf(), t, out);
            out.println("  by total:");
            printRows(t.topTotal(), t, out);
        }
    }

    private static void printRows(List<FunctionRow> rows, ProfileSummary.SampleTypeSummary t, PrintStream out) {
        out.printf(Locale.ROOT, "    %14s %8s %14s %8s  %s%n", "self", "self%", "total", "total%", "function");
        for (FunctionRow r : rows) {
            out.printf(Locale.ROOT, "    %14s %8s %14s %8s  %s%n", Units.format(r.self(), t.unit()), Units.percent(r.self(), t.total()),
                    Units.format(r.total(), t.unit()), Units.percent(r.total(), t.total()), r.name());
        }
    }
}
