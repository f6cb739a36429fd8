// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kiln.analysis.Filter;
import dev.kiln.analysis.diff.Change;
import dev.kiln.analysis.diff.Diff;
import dev.kiln.analysis.diff.DiffRule;
import dev.kiln.analysis.diff.DiffTree;
import dev.kiln.analysis.diff.JvmDiff;
import dev.kiln.analysis.diff.Status;
import dev.kiln.export.AtomicFiles;
import dev.kiln.io.ProfileLoader;
import dev.kiln.model.Profile;
import dev.kiln.model.Units;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * {@code kiln diff BASE TARGET [--value TYPE] [--normalize] [--top N] [--json FILE] [--fail-on RULE]... [filters]}:
 * the top regressions and improvements between two captures (see {@link Diff}), lock, thread-state, allocation,
 * goroutine and JVM ({@link JvmDiff}: GC, heap, exceptions, compilations, I/O) deltas when both sides have them,
 * and a regression gate: exit 1 when a {@link DiffRule} is violated,
 * 2 when the captures cannot be read or compared, 64 on bad usage, else 0.
 */
final class DiffCommand {
    static final int REGRESSION = 1;
    static final String USAGE = """
            usage: kiln diff BASE TARGET [--value TYPE] [--normalize] [--top N] [--json FILE] [--html FILE] [--fail-on RULE]... [filters]
                   kiln diff FILE --base-range A:B --target-range C:D [options]   two time ranges of one capture
              --value TYPE           weight to compare (cpu, alloc, samples, alloc_space, cpu/nanoseconds, exceptions, ...);
                                     default: TARGET's default weight and the same type in BASE
              --normalize            scale BASE so both totals match (as pprof -normalize)
              --top N                rows per table (default 10)
              --json FILE            also write the whole diff as JSON to FILE
              --html FILE            also write a self-contained HTML report (differential flame graph, deltas)
              --fail-on RULE         exit 1 when a rule is violated (repeatable, or comma-separated):
                                     total>+10%  self:FUNC>+15%  total:FUNC>+15%  lock:*>+20%  lock:CLASS>+20%
                                     goroutines>+100   gc-count>+20%  gc-pause-p99>+20%  gc-pause-max>+20%
                                     heap-after-gc-max>+10%  exceptions>+50%  exceptions:CLASS>+100
                                     compilations>+50%  io:*>+20%  io:PATH_OR_HOST:PORT>+1000000
                                     events:TYPE>+20% (events of one type, jdk.GarbageCollection)
                                     (N% = relative to BASE, N alone = absolute)
              --base-range A:B, --target-range C:D
                                     compare time ranges (seconds from each capture's start), e.g. of one file
            Exit codes: 0 within budget, 1 regression found, 2 cannot read or compare, 64 usage.
            Filters apply to both captures (--from/--to count from each capture's start):
            """ + FilterArgs.HELP;

    /** The merged call tree as columns, for JSON. */
    record TreeJson(List<String> name, int[] parent, int[] subtreeEnd, long[] baseSelf, long[] baseTotal,
                    long[] targetSelf, long[] targetTotal) { }

    /** The whole diff for JSON. */
    record Report(String base, String target, String compared, boolean normalized, double scale, Change total,
                  List<Diff.FunctionDelta> functions, List<Diff.LockDelta> lockTotals, List<Diff.LockDelta> locks,
                  List<Diff.KeyDelta> threadStateTotals, List<Diff.ThreadStateDelta> threadStates, String allocationType,
                  String allocationBy, List<Diff.KeyDelta> allocations, Change goroutines, List<Diff.KeyDelta> goroutineStates,
                  List<Diff.GoroutineStackDelta> goroutineStacks, JvmDiff jvm, List<DiffRule.Result> rules, List<String> notes, TreeJson tree) { }

    private DiffCommand() { }

    static int run(String[] args, PrintStream out, PrintStream err) {
        FilterArgs filterArgs = new FilterArgs();
        List<String> files = new ArrayList<>(), ruleTexts = new ArrayList<>();
        String value = null, json = null, html = null;
        boolean normalize = false;
        int top = 10;
        double[] baseRange = null, targetRange = null;
        List<DiffRule> rules;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                int used = filterArgs.accept(args, i);
                if (used > 0) {
                    i += used - 1;
                    continue;
                }
                switch (a) {
                    case "--value" -> value = LocksCommand.value(args, ++i, a);
                    case "--normalize" -> normalize = true;
                    case "--top" -> top = Integer.parseInt(LocksCommand.value(args, ++i, a));
                    case "--json" -> json = LocksCommand.value(args, ++i, a);
                    case "--html" -> html = LocksCommand.value(args, ++i, a);
                    case "--fail-on" -> ruleTexts.add(LocksCommand.value(args, ++i, a));
                    case "--base-range" -> baseRange = range(a, LocksCommand.value(args, ++i, a));
                    case "--target-range" -> targetRange = range(a, LocksCommand.value(args, ++i, a));
                    default -> {
                        if (a.startsWith("-")) throw new IllegalArgumentException("unknown option " + a);
                        files.add(a);
                    }
                }
            }
            // One file with two ranges compares the capture with itself, range against range.
            if (files.size() == 1 && baseRange != null && targetRange != null) files.add(files.get(0));
            if (files.size() != 2) throw new IllegalArgumentException("expected BASE and TARGET (or one FILE with --base-range and --target-range)");
            List<Path> inputs = files.stream().map(Path::of).toList();
            if (json != null) AtomicFiles.refuseInputs(Path.of(json), inputs);
            if (html != null) AtomicFiles.refuseInputs(Path.of(html), inputs);
            rules = DiffRule.parseAll(ruleTexts);
        } catch (IllegalArgumentException e) { // also a bad number or regex
            err.println("kiln diff: " + e.getMessage());
            err.print(USAGE);
            return Main.USAGE;
        }
        Profile[] both = loadBoth(files.get(0), files.get(1), err);
        if (both == null) return Main.BAD_INPUT;
        Profile base = both[0], target = both[1];
        Diff d;
        try {
            Diff.Options o = Diff.Options.DEFAULT.withWeight(value).withNormalize(normalize)
                    .withFilters(inRange(filterArgs.toFilter(base), base, baseRange),
                            inRange(filterArgs.toFilter(target), target, targetRange));
            d = Diff.of(base, target, o);
        } catch (Diff.IncompatibleException e) {
            err.println("kiln diff: cannot compare: " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (IllegalArgumentException e) {
            err.println("kiln diff: " + e.getMessage());
            return Main.USAGE;
        }
        List<DiffRule.Result> results = new ArrayList<>();
        for (DiffRule r : rules) results.add(r.check(d));
        printText(d, results, top, files, out);
        if (json != null) {
            try {
                writeJson(report(d, results), Path.of(json));
            } catch (IOException e) {
                err.println("kiln diff: cannot write " + json + ": " + e.getMessage());
                return Main.BAD_INPUT;
            }
        }
        if (html != null) {
            try {
                dev.kiln.report.HtmlReport.writeDiff(d, Path.of(files.get(0)).getFileName().toString(),
                        Path.of(files.get(1)).getFileName().toString(), Path.of(html));
            } catch (IOException e) {
                err.println("kiln diff: cannot write " + html + ": " + e.getMessage());
                return Main.BAD_INPUT;
            }
        }
        return results.stream().anyMatch(DiffRule.Result::violated) ? REGRESSION : Main.OK;
    }

    static Report report(Diff d, List<DiffRule.Result> rules) {
        DiffTree t = d.tree();
        int n = t.size();
        List<String> names = new ArrayList<>(n);
        int[] parent = new int[n], end = new int[n];
        long[] bs = new long[n], bt = new long[n], ts = new long[n], tt = new long[n];
        for (int i = 0; i < n; i++) {
            names.add(t.label(i));
            parent[i] = t.parent(i);
            end[i] = t.subtreeEnd(i);
            bs[i] = t.baseSelf(i);
            bt[i] = t.baseTotal(i);
            ts[i] = t.targetSelf(i);
            tt[i] = t.targetTotal(i);
        }
        return new Report(d.base().sourceName(), d.target().sourceName(), d.compared(), d.options().normalize(), d.scale(),
                d.total(), d.functions(), d.lockTotals(), d.locks(), d.threadStateTotals(), d.threadStates(),
                d.allocationType() == null ? null : d.allocationType().toString(), d.allocationBy(), d.allocations(),
                d.goroutines(), d.goroutineStates(), d.goroutineStacks(), d.jvm(), rules, d.notes(), new TreeJson(names, parent, end, bs, bt, ts, tt));
    }

    /** Writes JSON to a temporary file next to {@code file}, then moves it into place. */
    static void writeJson(Object report, Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), report);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    // ---- text ----

    private static String fmt(double v, String unit) { return Units.format(Math.round(v), unit); }

    private static String signed(double v, String unit) { return (v > 0 ? "+" : "") + fmt(v, unit); }

    private static String pct(Change c) {
        if (c.status() == Status.NEW) return "new";
        if (c.status() == Status.GONE) return "gone";
        return String.format(Locale.ROOT, "%+.1f%%", c.relativePct());
    }

    private static String status(Change c) { return c.status().name(); }

    /** "A:B" in seconds, A before B. */
    private static double[] range(String option, String text) {
        String[] parts = text.split(":", -1);
        try {
            if (parts.length == 2) {
                double from = Double.parseDouble(parts[0]), to = Double.parseDouble(parts[1]);
                if (from < to) return new double[] {from, to};
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(option + " wants FROM:TO in seconds from the start, FROM before TO, not '" + text + "'");
    }

    private static Filter inRange(Filter f, Profile p, double[] range) {
        if (range == null) return f;
        return f.withTimeRange(p.startEpochNanos() + Math.round(range[0] * 1e9), p.startEpochNanos() + Math.round(range[1] * 1e9));
    }

    /**
     * The base and the target (the same profile when they are one file), or null when either fails to load (its
     * messages on {@code err}, the base's first). Two pprof profiles load at once, the target on a second thread
     * (on 2 cores a pprof load keeps about one busy); anything else one after the other: a JFR recording's reader
     * decodes on every core and sizes its load by the memory free.
     */
    static Profile[] loadBoth(String baseFile, String targetFile, PrintStream err) {
        if (baseFile.equals(targetFile)) {
            Profile p = LocksCommand.load(baseFile, err);
            return p == null ? null : new Profile[] {p, p};
        }
        if (!isPprof(baseFile) || !isPprof(targetFile)) {
            Profile base = LocksCommand.load(baseFile, err);
            Profile target = base == null ? null : LocksCommand.load(targetFile, err);
            return target == null ? null : new Profile[] {base, target};
        }
        ByteArrayOutputStream targetErr = new ByteArrayOutputStream();
        CompletableFuture<Profile> target = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (PrintStream e = new PrintStream(targetErr, true, StandardCharsets.UTF_8)) {
                target.complete(LocksCommand.load(targetFile, e));
            } catch (Throwable x) {
                target.completeExceptionally(x);
            }
        }, "kiln-diff-target");
        t.setDaemon(true);
        t.start();
        Profile base = LocksCommand.load(baseFile, err);
        if (base == null) return null; // as one after the other: the target's messages are not shown
        Profile other;
        try {
            other = target.join();
        } catch (CompletionException x) {
            if (x.getCause() instanceof Error e) throw e;
            if (x.getCause() instanceof RuntimeException r) throw r;
            throw x;
        }
        err.print(targetErr.toString(StandardCharsets.UTF_8));
        return other == null ? null : new Profile[] {base, other};
    }

    /** Whether a file is a pprof profile, gzipped or not, by its first bytes; false when it cannot be read. */
    private static boolean isPprof(String file) {
        byte[] head = new byte[512];
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            int n = in.readNBytes(head, 0, head.length);
            ProfileLoader.Detected d = ProfileLoader.detect(head, n);
            if (d != ProfileLoader.Detected.GZIP) return d == ProfileLoader.Detected.PROTOBUF;
        } catch (IOException | RuntimeException e) {
            return false;
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(Path.of(file)))) {
            int n = in.readNBytes(head, 0, head.length);
            return ProfileLoader.detect(head, n) == ProfileLoader.Detected.PROTOBUF;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static void printText(Diff d, List<DiffRule.Result> rules, int top, List<String> files, PrintStream out) {
        String unit = d.unit();
        out.printf(Locale.ROOT, "Base:     %s%n", files.get(0));
        out.printf(Locale.ROOT, "Target:   %s%n", files.get(1));
        out.printf(Locale.ROOT, "Compared: %s%s%n", d.compared(),
                d.options().normalize() ? String.format(Locale.ROOT, " (normalized: base x %.4f)", d.scale()) : "");
        Change t = d.total();
        out.printf(Locale.ROOT, "Total:    %s -> %s (%s, %s) %s%n", fmt(t.base(), unit), fmt(t.target(), unit), signed(t.delta(), unit), pct(t), status(t));
        for (String n : d.notes()) out.println("Note:     " + n);
        functionTable(out, "Top regressions (self " + unit + ")", d, top, f -> f.self().delta() > 0 && !f.self().isSame(),
                Comparator.comparingDouble((Diff.FunctionDelta f) -> -f.self().delta()));
        functionTable(out, "Top improvements (self " + unit + ")", d, top, f -> f.self().delta() < 0 && !f.self().isSame(),
                Comparator.comparingDouble((Diff.FunctionDelta f) -> f.self().delta()));
        if (!d.locks().isEmpty()) {
            out.println();
            out.println("Locks (time and events per lock class):");
            out.printf(Locale.ROOT, "  %-8s %-44s %12s %12s %12s %9s %10s %s%n", "kind", "class", "base", "target", "delta", "delta%", "events", "status");
            List<Diff.LockDelta> rows = new ArrayList<>(d.lockTotals());
            rows.addAll(d.locks().stream().limit(top).toList());
            for (Diff.LockDelta l : rows) {
                out.printf(Locale.ROOT, "  %-8s %-44s %12s %12s %12s %9s %10s %s%n", l.kind().name().toLowerCase(Locale.ROOT),
                        l.className(), fmt(l.nanos().base(), "nanoseconds"), fmt(l.nanos().target(), "nanoseconds"),
                        signed(l.nanos().delta(), "nanoseconds"), pct(l.nanos()), signed(l.count().delta(), "count"), status(l.nanos()));
            }
        }
        if (!d.threadStateTotals().isEmpty()) {
            out.println();
            out.println("Thread states (all threads):");
            for (Diff.KeyDelta k : d.threadStateTotals()) keyRow(out, ThreadsCommand.stateName(k.key()), k.value(), "nanoseconds");
            List<Diff.ThreadStateDelta> changed = d.threadStates().stream().filter(x -> !x.nanos().isSame()).limit(top).toList();
            if (!changed.isEmpty()) {
                out.println("Thread states, largest changes:");
                for (Diff.ThreadStateDelta x : changed) {
                    keyRow(out, (x.thread().isEmpty() ? "<unnamed>" : x.thread()) + " " + x.state().displayName(), x.nanos(), "nanoseconds");
                }
            }
        }
        if (d.allocationType() != null) {
            List<Diff.KeyDelta> changed = d.allocations().stream().filter(k -> !k.value().isSame()).limit(top).toList();
            out.println();
            out.printf(Locale.ROOT, "Allocations by %s (%s)%s%n", d.allocationBy(), d.allocationType(), changed.isEmpty() ? ": no change beyond noise" : ":");
            for (Diff.KeyDelta k : changed) keyRow(out, k.key(), k.value(), d.allocationType().unit());
        }
        if (d.goroutines() != null) {
            Change g = d.goroutines();
            out.println();
            out.printf(Locale.ROOT, "Goroutines: %,d -> %,d (%s)%n", g.base(), g.target(), signed(g.delta(), "count"));
            for (Diff.KeyDelta k : d.goroutineStates()) if (!k.value().isSame()) keyRow(out, k.key(), k.value(), "count");
            for (Diff.GoroutineStackDelta s : d.goroutineStacks().stream().filter(x -> !x.count().isSame()).limit(top).toList()) {
                out.printf(Locale.ROOT, "  %s goroutines %s at %s%n", signed(s.count().delta(), "count"), s.state(), s.site());
            }
        }
        jvmTables(d.jvm(), top, out);
        if (!rules.isEmpty()) {
            out.println();
            out.println("Budget:");
            for (DiffRule.Result r : rules) {
                String u = switch (r.rule().metric()) {
                    case "lock" -> "nanoseconds";
                    case "goroutines", "exceptions", "events" -> "count";
                    case "io" -> "bytes";
                    case "total", "self" -> unit;
                    default -> JvmDiff.unit(r.rule().metric());
                };
                String rel = Double.isInfinite(r.relativePct()) ? "new" : String.format(Locale.ROOT, "%+.1f%%", r.relativePct());
                out.printf(Locale.ROOT, "  %-9s %s: %s -> %s (%s, %s), limit %s%n", r.violated() ? "VIOLATED" : "ok", r.rule(),
                        fmt(r.base(), u), fmt(r.target(), u), signed(r.delta(), u), rel, r.rule().limitText());
            }
        }
    }

    /** GC, heap, exceptions, compilations (every metric), then the exception classes, I/O targets and event types that changed. */
    private static void jvmTables(JvmDiff j, int top, PrintStream out) {
        if (j.isEmpty()) return;
        out.println();
        out.println("JVM:");
        for (Diff.KeyDelta k : j.metrics()) keyRow(out, k.key(), k.value(), JvmDiff.unit(k.key()));
        List<Diff.KeyDelta> exc = j.exceptions().stream().filter(k -> !k.value().isSame()).limit(top).toList();
        out.println("Exceptions by class" + (exc.isEmpty() ? ": no change beyond noise" : ":"));
        for (Diff.KeyDelta k : exc) keyRow(out, k.key(), k.value(), "count");
        List<Diff.KeyDelta> io = j.io().stream().filter(k -> !k.value().isSame()).limit(top).toList();
        out.println("I/O bytes by path and host" + (io.isEmpty() ? ": no change beyond noise" : ":"));
        for (Diff.KeyDelta k : io) keyRow(out, k.key(), k.value(), "bytes");
        List<Diff.KeyDelta> events = j.events().stream().filter(k -> !k.value().isSame()).limit(top).toList();
        out.println("Events by type" + (events.isEmpty() ? ": no change beyond noise" : ":"));
        for (Diff.KeyDelta k : events) keyRow(out, k.key(), k.value(), "count");
    }

    private static void keyRow(PrintStream out, String key, Change c, String unit) {
        out.printf(Locale.ROOT, "  %-50s %12s -> %12s %13s %9s %s%n", key, fmt(c.base(), unit), fmt(c.target(), unit),
                signed(c.delta(), unit), pct(c), status(c));
    }

    private static void functionTable(PrintStream out, String title, Diff d, int top, Predicate<Diff.FunctionDelta> keep,
                                      Comparator<Diff.FunctionDelta> order) {
        List<Diff.FunctionDelta> rows = d.functions().stream().filter(keep).sorted(order).limit(top).toList();
        String unit = d.unit();
        out.println();
        out.println(title + (rows.isEmpty() ? ": none beyond noise" : ":"));
        if (rows.isEmpty()) return;
        out.printf(Locale.ROOT, "  %-60s %12s %12s %13s %9s %s%n", "function", "base", "target", "delta", "delta%", "status");
        for (Diff.FunctionDelta f : rows) {
            Change c = f.self();
            String name = f.line() > 0 ? f.name() + ":" + f.line() : f.name();
            out.printf(Locale.ROOT, "  %-60s %12s %12s %13s %9s %s%n", name, fmt(c.scaledBase(), unit), fmt(c.target(), unit),
                    signed(c.delta(), unit), pct(c), status(c));
        }
    }
}
