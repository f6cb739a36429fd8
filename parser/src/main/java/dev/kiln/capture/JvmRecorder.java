// SPDX-License-Identifier: Apache-2.0
package dev.kiln.capture;

import dev.kiln.job.ProgressSink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records Java Flight Recorder data from a JVM on this machine through the JDK's {@code jcmd} tool (the
 * {@code jcmd} next to the running JVM unless another is given). {@link #record} starts a recording, waits, and
 * writes it to a file; {@link #dumpRunning} writes what the JVM's running recordings hold so far.
 * Guarantees: the output file appears only complete (written next to it first, then moved); a recording Kiln
 * started is stopped again even when the wait is interrupted or fails; every failure is an {@link IOException}
 * whose message names the PID and says why (no such process, not a JVM this user may attach to, jcmd missing,
 * the JVM refused the command, with its own words).
 */
public final class JvmRecorder {
    /** One JVM listed by {@code jcmd -l}: its process id and main class or jar (may be empty). */
    public record Jvm(long pid, String mainClass) { }

    private static final AtomicLong COUNTER = new AtomicLong();
    private static final long JCMD_TIMEOUT_SECONDS = 60;

    private final Path jcmd;

    /** Uses {@code ${java.home}/bin/jcmd}. */
    public JvmRecorder() {
        this(Path.of(System.getProperty("java.home"), "bin", isWindows() ? "jcmd.exe" : "jcmd"));
    }

    public JvmRecorder(Path jcmd) {
        this.jcmd = jcmd;
    }

    /**
     * Parses a recording length as typed by a user (the CLI's {@code --duration}, the app's Duration field):
     * {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}, or a bare number of seconds. Throws
     * {@link IllegalArgumentException} with a message to show when it is not a duration or not positive.
     */
    public static Duration parseDuration(String s) {
        String t = s.strip().toLowerCase(java.util.Locale.ROOT);
        Duration d;
        try {
            if (t.endsWith("ms")) d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).strip()));
            else if (t.endsWith("s")) d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1).strip()));
            else if (t.endsWith("m")) d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1).strip()));
            else if (t.endsWith("h")) d = Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1).strip()));
            else d = Duration.ofSeconds(Long.parseLong(t));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a duration: " + s + " (examples: 30s, 500ms, 2m)");
        }
        if (d.isZero() || d.isNegative()) throw new IllegalArgumentException("the duration must be positive: " + s);
        return d;
    }

    /** The JVMs this user can attach to, without jcmd itself. */
    public List<Jvm> list() throws IOException {
        String out = jcmd(List.of("-l"));
        List<Jvm> jvms = new ArrayList<>();
        long self = -1;
        for (String line : out.split("\\R")) {
            line = line.strip();
            if (line.isEmpty()) continue;
            int sp = line.indexOf(' ');
            String id = sp < 0 ? line : line.substring(0, sp);
            String main = sp < 0 ? "" : line.substring(sp + 1).strip();
            long pid;
            try {
                pid = Long.parseLong(id);
            } catch (NumberFormatException e) {
                continue;
            }
            if (main.startsWith("jdk.jcmd/sun.tools.jcmd.JCmd") || main.startsWith("sun.tools.jcmd.JCmd")) continue;
            jvms.add(new Jvm(pid, main));
        }
        return jvms;
    }

    /**
     * Starts a recording on {@code pid} with {@code settings} ({@code default}, {@code profile} or the path of a
     * {@code .jfc} file), waits {@code duration} (reporting progress in milliseconds), then stops it and writes it
     * to {@code output}. A cancel of {@code progress} ends the wait early and the data so far is still written (the
     * GUI's Stop). Returns {@code output}.
     */
    public Path record(long pid, String settings, Duration duration, Path output, ProgressSink progress) throws IOException {
        if (duration.isNegative() || duration.isZero()) throw new IllegalArgumentException("the duration must be positive");
        String settingsArg = settingsArg(settings);
        checkAttachable(pid);
        Path target = output.toAbsolutePath();
        Path tmp = tempNextTo(target);
        String name = "kiln-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        expect(pid, jcmd(List.of(Long.toString(pid), "JFR.start", "name=" + name, "settings=" + settingsArg)), "Started recording");
        boolean stopped = false;
        try {
            long total = duration.toMillis(), start = System.nanoTime();
            while (true) {
                long done = (System.nanoTime() - start) / 1_000_000;
                progress.progress(Math.min(done, total), total, "recording JVM " + pid);
                if (done >= total || progress.isCancelled()) break;
                if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    throw new IOException("JVM " + pid + " exited during the recording");
                }
                Thread.sleep(Math.min(200, total - done));
            }
            String out = jcmd(List.of(Long.toString(pid), "JFR.stop", "name=" + name, "filename=" + quote(tmp.toString())));
            stopped = true;
            expect(pid, out, "Stopped recording");
            return finish(pid, tmp, target);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("recording of JVM " + pid + " was interrupted", e);
        } finally {
            if (!stopped) {
                try {
                    jcmd(List.of(Long.toString(pid), "JFR.stop", "name=" + name));
                } catch (IOException ignored) {
                    // the JVM may be gone; nothing more to stop
                }
            }
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes what the JVM's running recordings (all of them, merged) hold so far to {@code output}; they keep running. */
    public Path dumpRunning(long pid, Path output) throws IOException {
        checkAttachable(pid);
        Path target = output.toAbsolutePath();
        Path tmp = tempNextTo(target);
        try {
            expect(pid, jcmd(List.of(Long.toString(pid), "JFR.dump", "filename=" + quote(tmp.toString()))), "Dumped recording");
            return finish(pid, tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Path finish(long pid, Path tmp, Path target) throws IOException {
        if (!Files.isRegularFile(tmp) || Files.size(tmp) == 0) {
            throw new IOException("JVM " + pid + " reported the recording written but " + tmp + " is missing or empty");
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    private static Path tempNextTo(Path target) throws IOException {
        Path dir = target.getParent();
        if (dir != null) Files.createDirectories(dir);
        // The JVM writes the file itself; the name must not exist yet and must end in .jfr.
        return target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + COUNTER.incrementAndGet() + ".part.jfr");
    }

    private static String settingsArg(String settings) {
        if (settings == null || settings.isBlank()) return "default";
        if (settings.equals("default") || settings.equals("profile")) return settings;
        Path p = Path.of(settings).toAbsolutePath();
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("settings must be default, profile or a .jfc file; " + settings + " does not exist");
        }
        return quote(p.toString());
    }

    private static String quote(String s) {
        return s.chars().anyMatch(Character::isWhitespace) ? "\"" + s + "\"" : s;
    }

    private void checkAttachable(long pid) throws IOException {
        if (ProcessHandle.of(pid).isEmpty()) throw new IOException("no process with PID " + pid);
        for (Jvm j : list()) if (j.pid() == pid) return;
        throw new IOException("process " + pid + " is not a JVM this user may attach to (not listed by jcmd -l; "
                + "it may belong to another user or run with -XX:-UsePerfData)");
    }

    /** jcmd prints its answer and exits 0 even when the JVM refused the command; success is in the words. */
    private static void expect(long pid, String out, String success) throws IOException {
        if (out.contains(success)) return;
        String body = out.strip();
        String firstLine = body.startsWith(pid + ":") ? body.substring(body.indexOf(':') + 1).strip() : body;
        throw new IOException("JVM " + pid + " refused: " + (firstLine.isEmpty() ? "(no answer)" : firstLine.lines().findFirst().orElse("")));
    }

    private String jcmd(List<String> args) throws IOException {
        if (!Files.isExecutable(jcmd)) {
            throw new IOException("jcmd not found at " + jcmd + " (recording needs a full JDK, not a JRE)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(jcmd.toString());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] bytes;
        try (InputStream in = p.getInputStream()) {
            bytes = in.readNBytes(1 << 20);
            try {
                if (!p.waitFor(JCMD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException("jcmd " + String.join(" ", args) + " did not finish in " + JCMD_TIMEOUT_SECONDS + " s");
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for jcmd", e);
            }
        }
        String out = new String(bytes, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            String reason = out.contains("Permission denied") || out.contains("Operation not permitted")
                    ? "not permitted to attach (the JVM runs as another user?)"
                    : out.contains("No such process") ? "no such process"
                    : out.contains("Unable to open socket file") || out.contains("AttachNotSupportedException")
                    ? "the JVM does not answer (not a HotSpot JVM, or attach is disabled)"
                    : lastMeaningfulLine(out);
            throw new IOException("jcmd " + String.join(" ", args) + ": " + reason);
        }
        return out;
    }

    private static String lastMeaningfulLine(String out) {
        String last = "exit code non-zero";
        for (String line : out.split("\\R")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("at ") && !l.endsWith(":")) { last = l; break; }
        }
        return last;
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
    }
}
