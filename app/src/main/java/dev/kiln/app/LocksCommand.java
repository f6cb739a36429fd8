// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kiln.analysis.Filter;
import dev.kiln.analysis.locks.ContentionSites;
import dev.kiln.analysis.locks.LockGraph;
import dev.kiln.analysis.locks.LockGraph.By;
import dev.kiln.analysis.locks.LockGraph.Kind;
import dev.kiln.analysis.locks.LockGraph.LockRow;
import dev.kiln.analysis.locks.LockGraph.Party;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.Units;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code kiln locks FILE [--by class|instance] [--thread REGEX] [--kind blocked|waiting|parked|all] [--top N] [--json]}:
 * the most contended locks of a JFR recording (one table per kind, or all kinds combined with {@code --kind all}),
 * each with blocked time, events, top waiters and owners and the top waiting stack; for Go block/mutex profiles
 * and async-profiler lock profiles, the contention sites with delay and contentions, and the note that owners are
 * unknown.
 */
final class LocksCommand {
    static final String USAGE = "usage: kiln locks FILE [--by class|instance] [filters] [--kind blocked|waiting|parked|all]"
            + " [--top N] [--json]\n" + FilterArgs.HELP;
    private static final int DETAILS = 3, FRAMES = 6;

    /** A stack for the JSON form: its index in the profile and its frames, leaf first, lock machinery skipped, cut. */
    record StackJson(int stack, long nanos, long count, List<String> frames) { }

    /** A lock row for the JSON form. */
    record LockJson(String lock, String className, long address, int instances, long nanos, long count,
                    List<LockGraph.KindTotal> kinds, List<Party> waiters, List<Party> owners, List<StackJson> stacks) { }

    /** One table: a kind (or "all") with its locks. */
    record Section(String kind, long nanos, long count, List<LockJson> locks) { }

    /** The JFR report. */
    record JfrReport(String file, String by, String thread, List<Section> sections) { }

    /** The contention-profile report. */
    record ContentionReport(String file, String delayType, String countType, long totalDelayNanos, long totalContentions,
                            boolean ownersKnown, String note, List<ContentionSites.Site> sites,
                            List<ContentionSites.Total> byContended) { }

    private LocksCommand() { }

    static int run(String[] args, PrintStream out, PrintStream err) {
        boolean json = false;
        By by = By.CLASS;
        FilterArgs filterArgs = new FilterArgs();
        String kind = null;
        int top = 10;
        List<String> files = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                int used = filterArgs.accept(args, i);
                if (used > 0) {
                    i += used - 1;
                    continue;
                }
                switch (a) {
                    case "--json" -> json = true;
                    case "--by" -> by = switch (value(args, ++i, a)) {
                        case "class" -> By.CLASS;
                        case "instance" -> By.INSTANCE;
                        default -> throw new IllegalArgumentException("--by takes class or instance");
                    };
                    case "--kind" -> kind = value(args, ++i, a);
                    case "--top" -> top = Integer.parseInt(value(args, ++i, a));
                    default -> {
                        if (a.startsWith("-")) throw new IllegalArgumentException("unknown option " + a);
                        files.add(a);
                    }
                }
            }
            if (files.size() != 1) throw new IllegalArgumentException("expected one FILE");
        } catch (IllegalArgumentException e) { // also a bad --thread pattern or --top number
            err.println("kiln locks: " + e.getMessage());
            err.print(USAGE);
            return Main.USAGE;
        }
        List<Set<Kind>> kinds = new ArrayList<>();
        if (kind == null) {
            for (Kind k : Kind.values()) kinds.add(EnumSet.of(k));
        } else if (kind.equals("all")) {
            kinds.add(LockGraph.allKinds());
        } else {
            try {
                kinds.add(EnumSet.of(Kind.valueOf(kind.toUpperCase(Locale.ROOT))));
            } catch (IllegalArgumentException e) {
                err.println("kiln locks: --kind takes blocked, waiting, parked or all");
                return Main.USAGE;
            }
        }
        Profile profile = load(files.get(0), err);
        if (profile == null) return Main.BAD_INPUT;
        Filter filter;
        try {
            filter = filterArgs.toFilter(profile);
        } catch (IllegalArgumentException e) {
            err.println("kiln locks: " + e.getMessage());
            return Main.USAGE;
        }
        Pattern thread = filter.threadName();
        Object report;
        if (LockGraph.applies(profile)) {
            LockGraph g = LockGraph.of(profile, filter, ProgressSink.NONE);
            List<Section> sections = new ArrayList<>();
            for (Set<Kind> ks : kinds) {
                if (g.totalCount(ks) == 0 && kind == null) continue;
                List<LockJson> locks = new ArrayList<>();
                for (LockRow r : g.topLocks(by, ks, top, DETAILS)) {
                    List<StackJson> stacks = new ArrayList<>();
                    for (LockGraph.StackWeight w : r.stacks()) stacks.add(new StackJson(w.stack(), w.nanos(), w.count(), frames(profile, w.stack())));
                    locks.add(new LockJson(r.name(), r.className(), r.address(), r.instances(), r.nanos(), r.count(), r.kinds(),
                            r.waiters(), r.owners(), stacks));
                }
                sections.add(new Section(ks.size() == 1 ? ks.iterator().next().name().toLowerCase(Locale.ROOT) : "all",
                        g.totalNanos(ks), g.totalCount(ks), locks));
            }
            report = new JfrReport(profile.sourceName(), by.name().toLowerCase(Locale.ROOT), thread == null ? "" : thread.pattern(), sections);
        } else if (ContentionSites.applies(profile)) {
            if (thread != null) err.println("kiln locks: note: this profile has no threads; --thread keeps nothing");
            ContentionSites c = ContentionSites.of(profile, filter);
            List<ContentionSites.Site> sites = c.sites();
            report = new ContentionReport(profile.sourceName(), c.delayType().toString(),
                    c.countType() == null ? "" : c.countType().toString(), c.totalDelayNanos(), c.totalContentions(),
                    c.ownersKnown(), c.note(), top > 0 && sites.size() > top ? sites.subList(0, top) : sites, c.byContended());
        } else {
            out.println(profile.sourceName() + ": no lock events (jdk.JavaMonitorEnter/Wait, jdk.ThreadPark) and no contention samples");
            return Main.OK;
        }
        if (json) return printJson(report, out, err);
        if (report instanceof JfrReport r) printText(r, out);
        else printText((ContentionReport) report, out);
        return Main.OK;
    }

    static String value(String[] args, int i, String option) {
        if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
        return args[i];
    }

    /** Loads a capture, or prints why not and returns null (see {@link Cli#load}). */
    static Profile load(String file, PrintStream err) {
        return Cli.load(file, err);
    }

    static int printJson(Object report, PrintStream out, PrintStream err) {
        try {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
            return Main.OK;
        } catch (IOException e) {
            err.println("kiln: cannot write JSON: " + e.getMessage());
            return Main.BAD_INPUT;
        }
    }

    /** Frame names of a stack, leaf first, without the lock machinery at the leaf (park, AQS), at most {@value #FRAMES}. */
    static List<String> frames(Profile p, int stack) {
        int s = stack;
        while (s >= 0 && p.stacks().parent(s) >= 0 && ContentionSites.isMachinery(p.frameName(p.stacks().frame(s)))) s = p.stacks().parent(s);
        List<String> out = new ArrayList<>();
        for (; s >= 0 && out.size() < FRAMES; s = p.stacks().parent(s)) out.add(p.frameName(p.stacks().frame(s)));
        return out;
    }

    private static String parties(List<Party> ps) {
        List<String> out = new ArrayList<>();
        for (Party x : ps) out.add(String.format(Locale.ROOT, "%s %s (%,d)", x.name(), Units.duration(x.nanos()), x.count()));
        return String.join(", ", out);
    }

    private static final String[] TITLES = {"Blocked entering monitors (jdk.JavaMonitorEnter)", "Waiting in Object.wait (jdk.JavaMonitorWait)",
        "Parked (jdk.ThreadPark)"};

    static void printText(JfrReport r, PrintStream out) {
        out.printf(Locale.ROOT, "File: %s%n", r.file());
        if (!r.thread().isEmpty()) out.printf(Locale.ROOT, "Threads matching: %s%n", r.thread());
        for (Section s : r.sections()) {
            out.println();
            String title = s.kind().equals("all") ? "All lock events combined (blocked + waiting + parked)"
                    : TITLES[Kind.valueOf(s.kind().toUpperCase(Locale.ROOT)).ordinal()];
            out.printf(Locale.ROOT, "%s: %,d events, %s, by %s%n", title, s.count(), Units.duration(s.nanos()), r.by());
            if (s.locks().isEmpty()) {
                out.println("  (none)");
                continue;
            }
            out.printf(Locale.ROOT, "  %12s %8s %9s  %s%n", "time", "time%", "events", "lock");
            for (LockJson l : s.locks()) {
                out.printf(Locale.ROOT, "  %12s %8s %,9d  %s%s%n", Units.duration(l.nanos()), Units.percent(l.nanos(), s.nanos()), l.count(),
                        l.lock(), l.instances() > 1 ? " (" + l.instances() + " instances)" : "");
                out.printf(Locale.ROOT, "  %32s waiters: %s%n", "", parties(l.waiters()));
                if (!l.owners().isEmpty()) out.printf(Locale.ROOT, "  %32s owners:  %s%n", "", parties(l.owners()));
                if (!l.stacks().isEmpty()) out.printf(Locale.ROOT, "  %32s stack:   %s%n", "", String.join(" <- ", l.stacks().get(0).frames()));
            }
        }
    }

    static void printText(ContentionReport r, PrintStream out) {
        out.printf(Locale.ROOT, "File: %s%n", r.file());
        boolean counts = !r.countType().isEmpty();
        out.printf(Locale.ROOT, "Contention (%s): total delay %s%s%n", r.delayType(), Units.duration(r.totalDelayNanos()),
                counts ? String.format(Locale.ROOT, ", %,d contentions", r.totalContentions()) : "");
        out.println();
        out.println("By contended function");
        out.printf(Locale.ROOT, "  %12s %8s %12s  %s%n", "delay", "delay%", "contentions", "function");
        for (ContentionSites.Total t : r.byContended()) {
            out.printf(Locale.ROOT, "  %12s %8s %12s  %s%n", Units.duration(t.delayNanos()), Units.percent(t.delayNanos(), r.totalDelayNanos()),
                    counts ? String.format(Locale.ROOT, "%,d", t.contentions()) : "-", t.name());
        }
        out.println();
        out.println("Sites (waiting call site -> contended function)");
        out.printf(Locale.ROOT, "  %12s %8s %12s  %s%n", "delay", "delay%", "contentions", "site -> contended");
        for (ContentionSites.Site s : r.sites()) {
            out.printf(Locale.ROOT, "  %12s %8s %12s  %s -> %s%s%n", Units.duration(s.delayNanos()), Units.percent(s.delayNanos(), r.totalDelayNanos()),
                    counts ? String.format(Locale.ROOT, "%,d", s.contentions()) : "-", s.site(), s.contended(), s.releasing() ? "  (releasing)" : "");
        }
        out.println();
        out.println(r.note());
    }
}
