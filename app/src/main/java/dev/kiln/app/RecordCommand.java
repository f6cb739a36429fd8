// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import dev.kiln.capture.JvmRecorder;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * {@code kiln record PID [--duration 30s] [--settings default|profile|FILE.jfc] [-o OUT.jfr]}: records a local JVM
 * with Java Flight Recorder ({@link JvmRecorder}), writes the recording and prints its one-line summary;
 * {@code --dump} writes what the JVM's running recordings hold instead; {@code --list} lists the JVMs. Exit 0 when
 * written, {@link Main#BAD_INPUT} when the JVM cannot be recorded or the file not read back, {@link Main#USAGE} on
 * bad usage.
 */
final class RecordCommand {
    static final String USAGE = """
            usage: kiln record PID [--duration 30s] [--settings profile] [-o OUT.jfr]
                   kiln record PID --dump [-o OUT.jfr]
                   kiln record --list
              --duration D        how long to record: 30s (default), 500ms, 2m, 1h; a bare number is seconds
              --settings S        JFR settings: default (low overhead), profile (default here) or a .jfc file
              --dump              write what the JVM's running recordings hold so far; they keep running
              -o, --output FILE   where to write (default kiln-PID-DATE-TIME.jfr in the current folder)
              --list              the JVMs on this machine that this user can record
            """;

    private RecordCommand() { }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String pidArg = null, output = null, settings = "profile";
        Duration duration = Duration.ofSeconds(30);
        boolean dump = false, list = false;
        long pid = -1;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "-o", "--output" -> output = LocksCommand.value(args, ++i, a);
                    case "--duration" -> duration = parseDuration(LocksCommand.value(args, ++i, a));
                    case "--settings" -> settings = LocksCommand.value(args, ++i, a);
                    case "--dump" -> dump = true;
                    case "--list" -> list = true;
                    default -> {
                        if (a.startsWith("-") || pidArg != null) throw new IllegalArgumentException("unexpected argument " + a);
                        pidArg = a;
                    }
                }
            }
            if (!list) {
                if (pidArg == null) throw new IllegalArgumentException("expected a PID (kiln record --list shows them)");
                try {
                    pid = Long.parseLong(pidArg);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("PID must be a number: " + pidArg);
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("kiln record: " + e.getMessage());
            err.print(USAGE);
            return Main.USAGE;
        }
        JvmRecorder recorder = new JvmRecorder();
        try {
            if (list) {
                List<JvmRecorder.Jvm> jvms = recorder.list();
                for (JvmRecorder.Jvm j : jvms) out.printf(Locale.ROOT, "%-8d %s%n", j.pid(), j.mainClass());
                return Main.OK;
            }
            Path file = Path.of(output != null ? output
                    : "kiln-" + pid + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)) + ".jfr");
            if (dump) {
                recorder.dumpRunning(pid, file);
            } else {
                err.printf(Locale.ROOT, "kiln record: recording JVM %d for %s with settings %s%n", pid, show(duration), settings);
                recorder.record(pid, settings, duration, file, ProgressSink.NONE);
            }
            Profile p = Cli.load(file.toString(), err);
            if (p == null) return Main.BAD_INPUT;
            out.println(FetchCommand.summaryLine(file, p));
            return Main.OK;
        } catch (IllegalArgumentException e) { // a settings file that does not exist
            err.println("kiln record: " + e.getMessage());
            return Main.USAGE;
        } catch (IOException e) {
            err.println("kiln record: " + e.getMessage());
            return Main.BAD_INPUT;
        }
    }

    /** {@link JvmRecorder#parseDuration}: {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}, or bare seconds. */
    static Duration parseDuration(String s) {
        return JvmRecorder.parseDuration(s);
    }

    private static String show(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
