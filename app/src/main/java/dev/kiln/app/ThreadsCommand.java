// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kiln.analysis.Filter;
import dev.kiln.analysis.timeline.GoroutineGroups;
import dev.kiln.analysis.timeline.GoroutineStates;
import dev.kiln.analysis.timeline.ThreadState;
import dev.kiln.analysis.timeline.ThreadTimelines;
import dev.kiln.analysis.MutatorUtilization;
import dev.kiln.analysis.timeline.UserRanges;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.SourceFormat;
import dev.kiln.model.Units;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code kiln threads FILE [--thread REGEX] [--sort lifetime|STATE] [--json]}: time per thread state for each thread
 * of a JFR recording ({@link ThreadTimelines}), or goroutine counts per state and stack for a Go goroutine profile
 * ({@link GoroutineStates}, which has no timeline and says so). Other profiles have neither: exit
 * {@link Main#BAD_INPUT}.
 */
final class ThreadsCommand {
    static final String USAGE = """
            usage: kiln threads FILE [--thread REGEX] [--sort lifetime|blocked|STATE] [--json]
              JFR: per thread, its lifetime and the time spent in each state (RUNNING, RUNNABLE_NATIVE, BLOCKED,
                   WAITING, PARKED, SLEEPING, IO, UNKNOWN), sorted by lifetime (default) or by a state's time
              Go execution traces: goroutines grouped by start function (execution, scheduler wait, sync block,
                   network, syscall, sleep, GC assist), user tasks and regions per name (count, total, mean,
                   median, p90, p99, max), then every goroutine's and P's lane as for JFR
              Go goroutine profiles: goroutines per state and per stack with a wait-time histogram (no timeline)
              --thread REGEX   only threads (goroutines: "goroutine N") whose name contains a match
            """;
    private static final int TOP_STACKS = 20;

    /** One thread's lane: name, Java id, start (epoch ns), lifetime and nanoseconds per state (all states). */
    record ThreadRow(String thread, long javaId, long startEpochNanos, long lifetimeNanos, Map<String, Long> stateNanos) { }

    /** The JSON form for JFR. */
    record TimelineReport(String file, String format, boolean hasTimeline, long executionSamplePeriodNanos,
                          long nativeSamplePeriodNanos, String sortedBy, List<ThreadRow> threads) { }

    /** The JSON form for Go execution traces: goroutine groups, then every lane (goroutines and Ps). */
    record TraceReport(List<GoroutineGroups.Group> groups, UserRanges user, List<MutatorUtilization.Point> mmu, TimelineReport lanes) { }

    private ThreadsCommand() { }

    static void printGroups(List<GoroutineGroups.Group> groups, PrintStream out) {
        out.printf(Locale.ROOT, "Goroutines by start function (%d groups, as go tool trace's Goroutines page)%n", groups.size());
        out.printf(Locale.ROOT, "  %-48s %5s %10s %10s %10s %10s %10s %10s %10s%n", "start function", "count", "execution",
                "sched wait", "sync block", "network", "syscall", "sleep", "GC assist");
        for (GoroutineGroups.Group g : groups) {
            out.printf(Locale.ROOT, "  %-48s %5d %10s %10s %10s %10s %10s %10s %10s%n", g.startFunction(), g.goroutines(),
                    d(g.execution()), d(g.schedulerWait()), d(g.syncBlock()), d(g.networkWait()), d(g.syscall()),
                    d(g.sleep()), d(g.gcAssist()));
        }
    }

    static void printRanges(String what, List<UserRanges.Row> rows, PrintStream out) {
        if (rows.isEmpty()) return;
        out.println();
        out.printf(Locale.ROOT, "%s (%d names)%n", what, rows.size());
        out.printf(Locale.ROOT, "  %-40s %9s %10s %10s %10s %10s %10s %10s%n", "name", "count", "total", "mean", "median", "p90", "p99", "max");
        for (UserRanges.Row r : rows) {
            out.printf(Locale.ROOT, "  %-40s %,9d %10s %10s %10s %10s %10s %10s%n", r.name(), r.count(), d(r.totalNanos()),
                    d(r.meanNanos()), d(r.p50Nanos()), d(r.p90Nanos()), d(r.p99Nanos()), d(r.maxNanos()));
        }
    }

    private static String d(long nanos) { return nanos == 0 ? "-" : Units.duration(nanos); }

    static int run(String[] args, PrintStream out, PrintStream err) {
        boolean json = false;
        String file = null, sort = "lifetime";
        Pattern thread = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--json" -> json = true;
                case "--thread", "--sort" -> {
                    if (i + 1 >= args.length) return usage(err, a + " needs a value");
                    String v = args[++i];
                    if (a.equals("--sort")) {
                        sort = v.toLowerCase(Locale.ROOT);
                        if (!sort.equals("lifetime") && stateOf(sort) == null) return usage(err, "unknown sort key " + v);
                    } else {
                        try {
                            thread = Pattern.compile(v);
                        } catch (PatternSyntaxException e) {
                            return usage(err, "bad --thread pattern: " + e.getDescription());
                        }
                    }
                }
                default -> {
                    if (a.startsWith("-")) return usage(err, "unknown option " + a);
                    if (file != null) return usage(err, "expected one FILE");
                    file = a;
                }
            }
        }
        if (file == null) return usage(err, "expected one FILE");
        Profile profile = Cli.load(file, err);
        if (profile == null) return Main.BAD_INPUT;
        Filter filter = thread == null ? Filter.NONE : Filter.NONE.withThreadName(thread);
        Object report;
        if (profile.format() == SourceFormat.JFR) {
            report = timelineReport(profile, ThreadTimelines.of(profile, filter, ProgressSink.NONE), sort);
        } else if (GoroutineGroups.applies(profile)) {
            ThreadTimelines tl = ThreadTimelines.of(profile, filter, ProgressSink.NONE);
            MutatorUtilization mu = MutatorUtilization.of(profile);
            List<MutatorUtilization.Point> mmu = mu.spanNanos() > 0 ? mu.curve(100) : List.of();
            report = new TraceReport(GoroutineGroups.of(profile, tl).groups(), UserRanges.of(profile, filter), mmu, timelineReport(profile, tl, sort));
        } else if (GoroutineStates.applies(profile)) {
            report = GoroutineStates.of(profile, filter);
        } else {
            err.println("kiln: " + profile.sourceName() + ": no thread states: a " + profile.format().label()
                    + " of " + profile.valueTypes() + " has neither thread timelines (JFR) nor goroutine states");
            return Main.BAD_INPUT;
        }
        if (json) {
            try {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
            } catch (IOException e) {
                err.println("kiln: cannot write JSON: " + e.getMessage());
                return Main.BAD_INPUT;
            }
        } else if (report instanceof TimelineReport r) {
            printTimelines(r, out);
        } else if (report instanceof TraceReport r) {
            printGroups(r.groups(), out);
            printRanges("User tasks", r.user().tasks(), out);
            printRanges("User regions", r.user().regions(), out);
            printMmu(r.mmu(), out);
            out.println();
            printTimelines(r.lanes(), out);
        } else {
            printGoroutines(profile.sourceName(), (GoroutineStates) report, out);
        }
        return Main.OK;
    }

    /** Every tenth point of the curve: window, MMU, and a bar. */
    static void printMmu(List<MutatorUtilization.Point> mmu, PrintStream out) {
        if (mmu.isEmpty()) return;
        out.println();
        out.println("Minimum mutator utilization (the lowest share of the Ps the program had in any window that long;");
        out.println("  the GC's stop-the-worlds, background mark workers and mark assists take Ps, as go tool trace counts them)");
        for (int i = 0; i < mmu.size(); i += Math.max(1, mmu.size() / 10)) {
            MutatorUtilization.Point m = mmu.get(i);
            out.printf(Locale.ROOT, "  %10s  %5.1f%%  %s%n", Units.duration(m.windowNanos()), 100 * m.mmu(), "#".repeat((int) Math.round(40 * m.mmu())));
        }
    }

    private static int usage(PrintStream err, String why) {
        err.println("kiln threads: " + why);
        err.print(USAGE);
        return Main.USAGE;
    }

    /** A state by name, case-insensitive; "blocked" and the other state names; null when none. */
    private static ThreadState stateOf(String name) {
        for (ThreadState s : ThreadState.values()) if (s.name().equalsIgnoreCase(name)) return s;
        return null;
    }

    static TimelineReport timelineReport(Profile p, ThreadTimelines tl, String sort) {
        List<ThreadRow> rows = new ArrayList<>();
        for (int l = 0; l < tl.laneCount(); l++) {
            int t = tl.laneThread(l);
            Map<String, Long> states = new LinkedHashMap<>();
            for (ThreadState s : ThreadState.values()) states.put(s.name(), tl.total(l, s));
            String name = p.threadName(t);
            if (name.isEmpty()) name = "<unnamed thread " + p.threads().javaId(t) + ">";
            rows.add(new ThreadRow(name, p.threads().javaId(t), tl.laneStartNanos(l), tl.laneLengthNanos(l), states));
        }
        ThreadState key = stateOf(sort);
        Comparator<ThreadRow> by = key == null ? Comparator.comparingLong(ThreadRow::lifetimeNanos)
                : Comparator.comparingLong(r -> r.stateNanos().get(key.name()));
        rows.sort(by.reversed().thenComparing(ThreadRow::thread));
        return new TimelineReport(p.sourceName(), p.format().label(), true, tl.executionSamplePeriodNanos(),
                tl.nativeSamplePeriodNanos(), key == null ? "lifetime" : key.name(), List.copyOf(rows));
    }

    /** A thread state's constant ({@code PARKED}, as JSON and --sort name it) for people ("Parked"); other keys as they are. */
    static String stateName(String key) {
        for (ThreadState s : ThreadState.values()) if (s.name().equals(key)) return s.displayName();
        return key;
    }

    static void printTimelines(TimelineReport r, PrintStream out) {
        out.printf(Locale.ROOT, "File:     %s (%s)%n", r.file(), r.format());
        out.printf(Locale.ROOT, "Threads:  %d with a timeline, sorted by %s%n", r.threads().size(), stateName(r.sortedBy()).toLowerCase(Locale.ROOT));
        if (r.executionSamplePeriodNanos() > 0 || r.nativeSamplePeriodNanos() > 0) {
            out.printf(Locale.ROOT, "Samples:  each stands for up to %s (jdk.ExecutionSample) / %s (jdk.NativeMethodSample);"
                            + " events win over samples; Unknown = alive, nothing recorded%n",
                    Units.duration(r.executionSamplePeriodNanos()), Units.duration(r.nativeSamplePeriodNanos()));
        } else {
            out.println("States:   as the trace records them; a P's Unknown time is idle");
        }
        if (r.threads().isEmpty()) return;
        List<ThreadState> shown = new ArrayList<>();
        for (ThreadState s : ThreadState.values()) {
            if (r.threads().stream().anyMatch(t -> t.stateNanos().get(s.name()) > 0)) shown.add(s);
        }
        int nameWidth = Math.max(6, r.threads().stream().mapToInt(t -> t.thread().length()).max().orElse(6));
        out.println();
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "  %-" + nameWidth + "s %10s", "thread", "lifetime"));
        for (ThreadState s : shown) h.append(String.format(Locale.ROOT, " %17s", s.displayName()));
        out.println(h);
        for (ThreadRow t : r.threads()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-" + nameWidth + "s %10s", t.thread(),
                    Units.duration(t.lifetimeNanos())));
            for (ThreadState s : shown) {
                long v = t.stateNanos().get(s.name());
                line.append(String.format(Locale.ROOT, " %10s %6s", v == 0 ? "-" : Units.duration(v),
                        v == 0 ? "" : Units.percent(v, t.lifetimeNanos())));
            }
            out.println(line);
        }
    }

    static void printGoroutines(String file, GoroutineStates g, PrintStream out) {
        out.printf(Locale.ROOT, "File:       %s (%s)%n", file, g.format());
        out.printf(Locale.ROOT, "NO TIMELINE: %s%n", g.note());
        out.printf(Locale.ROOT, "Goroutines: %,d; states %s%n", g.goroutines(), g.stateSource());
        if (g.goroutines() == 0) out.println("(nothing matches; only debug=2 dumps name their goroutines, \"goroutine N\")");
        out.println();
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "  %-24s %10s", "state", "goroutines"));
        for (String b : g.waitBuckets()) h.append(String.format(Locale.ROOT, " %12s", b));
        out.println(h + "   (wait time)");
        for (GoroutineStates.StateGroup s : g.byState()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-24s %,10d", s.state(), s.goroutines()));
            for (long n : s.waitHistogram()) line.append(String.format(Locale.ROOT, " %,12d", n));
            out.println(line);
        }
        out.println();
        out.printf(Locale.ROOT, "By stack (%d of %d, largest first)%n", Math.min(TOP_STACKS, g.byStack().size()), g.byStack().size());
        out.printf(Locale.ROOT, "  %10s  %-28s %s%n", "goroutines", "states", "where (first frame outside runtime)");
        for (GoroutineStates.StackGroup s : g.byStack().subList(0, Math.min(TOP_STACKS, g.byStack().size()))) {
            StringBuilder states = new StringBuilder();
            s.states().forEach((k, v) -> states.append(states.length() == 0 ? "" : ", ").append(k).append('=').append(v));
            out.printf(Locale.ROOT, "  %,10d  %-28s %s%n", s.goroutines(), states, s.site());
        }
    }
}
