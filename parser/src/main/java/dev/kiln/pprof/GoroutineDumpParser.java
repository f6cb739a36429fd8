// SPDX-License-Identifier: Apache-2.0
package dev.kiln.pprof;

import dev.kiln.model.GoNames;
import dev.kiln.model.FrameKind;
import dev.kiln.model.IntList;
import dev.kiln.model.ProfileBuilder;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.ValueType;
import dev.kiln.pprof.GoText.LineReader;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads goroutine tracebacks: the {@code goroutine} profile that Go's {@code runtime/pprof} writes with
 * {@code debug=2}, as a panic or {@code SIGQUIT} prints it, from its first {@code goroutine N [state]:} line on.
 *
 * <p>One thread row per goroutine ({@code "goroutine 19"}, goroutine id, state = first part of the bracket text,
 * wait = the {@code "N minutes"} part as nanoseconds (a lower bound, the runtime rounds down; -1 when absent),
 * created-by stack = single frame of the {@code created by} function, -1 if none) and one sample per goroutine,
 * value type {@code (goroutine, count)}, value 1, thread column set, with string label {@code state} (and
 * {@code locked_to_thread=true} when the runtime says so, and numeric label {@code created_by_goroutine} from newer
 * Go's {@code created by X in goroutine N}). Period type = the value type, period 1.
 *
 * <p>Guarantees: one sample table, {@code goroutine}; the first comment says the text held tracebacks; one record
 * per goroutine kept. Goroutines are separated by empty lines; the last one needs none, but a last line without
 * its newline (other than blank) is taken as cut: that goroutine is dropped and the profile marked
 * {@link dev.kiln.model.Profile#isIncomplete() incomplete}, as is a last goroutine whose last function line has no
 * file line. A line outside a goroutine is a malformed line; text the runtime prints in place of a stack
 * ({@code "goroutine running on other thread; stack unavailable"}) is a warning, not an error; frames the runtime
 * elided are counted in one warning. At most
 * {@link GoTextReader#MAX_RECORDS} goroutines and {@link GoTextReader#MAX_FRAMES} frames per goroutine are kept.
 */
final class GoroutineDumpParser extends GoTextParser {
    static final Pattern GOROUTINE_HEADER = Pattern.compile("goroutine (\\d+)(?: [^\\[]*)? ?\\[([^\\]]*)\\]:");
    private static final Pattern MINUTES = Pattern.compile("(\\d+) minutes?");
    private static final Pattern IN_GOROUTINE = Pattern.compile(" in goroutine (\\d+)$");
    private static final Pattern FILE_LINE = Pattern.compile("\\t(.*):(\\d+)(?: \\+0x[0-9a-fA-F]+)?(?: .*)?");

    GoroutineDumpParser(LineReader in, String fileName) {
        super(in, fileName);
    }

    // ---- debug=2 goroutine tracebacks

    void readTracebacks() throws IOException, ProfileFormatException {
        kindLabel = "goroutine";
        ValueType vt = new ValueType("goroutine", "count");
        b.period(vt, 1).defaultValueType(vt);
        b.comment("goroutine tracebacks (debug=2)");
        ProfileBuilder.SampleTableBuilder t = b.sampleTable("goroutine", List.of(vt), false, false, true);
        Goroutine g = null;
        String line;
        int elided = 0;
        while ((line = in.next()) != null) {
            boolean cut = !in.terminated();
            Matcher m = GOROUTINE_HEADER.matcher(line);
            if (!cut && m.matches()) {
                if (g != null) { elided += emit(g, t); if (stopped) return; }
                g = new Goroutine(number(m.group(1)), m.group(2), in.lineNumber());
                continue;
            }
            if (cut && !line.isBlank()) {
                truncatedGoroutine(g, "the text ends inside line " + in.lineNumber());
                g = null;
                break;
            }
            if (line.isBlank()) {
                if (g != null) { elided += emit(g, t); if (stopped) return; }
                g = null;
                continue;
            }
            if (g == null) throw malformed("expected 'goroutine <id> [<state>]:' but found " + GoText.quote(line));
            if (line.startsWith("\t")) {
                Matcher fl = FILE_LINE.matcher(line);
                String file = fl.matches() ? fl.group(1) : line.trim();
                int lineNo = fl.matches() ? GoText.sourceLine(fl.group(2)) : 0;
                if (g.pendingCreatedBy != null) {
                    g.createdByFrame = b.frame(b.function(g.pendingCreatedBy, GoNames.packageOf(g.pendingCreatedBy), file),
                            lineNo, -1, FrameKind.UNKNOWN, 0);
                    g.pendingCreatedBy = null;
                } else if (g.pendingFunc != null) {
                    addFrame(g, g.pendingFunc, file, lineNo);
                    g.pendingFunc = null;
                }
                continue;
            }
            flushPending(g);
            if (line.startsWith("created by ")) {
                String name = line.substring("created by ".length()).trim();
                Matcher ig = IN_GOROUTINE.matcher(name);
                if (ig.find()) {
                    g.creator = number(ig.group(1));
                    name = name.substring(0, ig.start());
                }
                g.pendingCreatedBy = name;
                continue;
            }
            if (line.startsWith("...") && line.contains("elided")) {
                g.elided = true;
                continue;
            }
            if (line.endsWith(")") && line.indexOf('(') > 0 && !line.startsWith(" ")) {
                g.pendingFunc = line.substring(0, line.lastIndexOf('('));
                continue;
            }
            // e.g. "goroutine running on other thread; stack unavailable"
            b.warning("Line " + in.lineNumber() + ": unexpected text in goroutine " + g.id + ": " + GoText.quote(line));
        }
        if (g != null) {
            if (g.complete()) elided += emit(g, t);
            else truncatedGoroutine(g, "the text ends inside the traceback of goroutine " + g.id);
        }
        if (elided > 0) {
            b.warning(elided + " goroutine(s) have more frames than the runtime prints; the rest was elided in the text");
        }
    }

    private void truncatedGoroutine(Goroutine g, String why) {
        incomplete("Incomplete goroutine dump: " + why + "; "
                + (g == null ? "" : "goroutine " + g.id + " (line " + g.line + ") was dropped, ")
                + "the " + kept + " complete goroutines before it were kept");
    }

    private static final class Goroutine {
        final long id;
        final long line;
        final String state;
        long waitNanos = -1;
        boolean locked, elided;
        long creator = -1;
        final IntList frames = new IntList();
        String pendingFunc, pendingCreatedBy;
        int createdByFrame = -1;

        Goroutine(long id, String bracket, long line) {
            this.id = id;
            this.line = line;
            String[] parts = bracket.split(",");
            this.state = parts[0].trim();
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                Matcher m = MINUTES.matcher(p);
                if (m.matches()) {
                    long minutes = Long.parseLong(m.group(1).length() > 12 ? "999999999999" : m.group(1));
                    waitNanos = Math.min(minutes, Long.MAX_VALUE / 60_000_000_000L) * 60_000_000_000L; // no overflow
                } else if (p.equals("locked to thread")) {
                    locked = true;
                }
            }
        }

        /** False when a function line still waits for its file line. */
        boolean complete() { return pendingFunc == null && pendingCreatedBy == null; }
    }

    private void flushPending(Goroutine g) {
        if (g.pendingFunc != null) {
            addFrame(g, g.pendingFunc, "", 0);
            g.pendingFunc = null;
        }
        if (g.pendingCreatedBy != null) {
            g.createdByFrame = b.frame(b.function(g.pendingCreatedBy, GoNames.packageOf(g.pendingCreatedBy), ""), 0, -1,
                    FrameKind.UNKNOWN, 0);
            g.pendingCreatedBy = null;
        }
    }

    private void addFrame(Goroutine g, String name, String file, int line) {
        if (g.frames.size() >= GoTextReader.MAX_FRAMES) {
            b.warning("Some goroutines have more than " + GoTextReader.MAX_FRAMES + " frames; the callers beyond were dropped");
            return;
        }
        g.frames.add(b.frame(b.function(name, GoNames.packageOf(name), file), line, -1, FrameKind.UNKNOWN, 0));
    }

    /** Adds the goroutine's thread row and sample; returns 1 when its frames were elided. */
    private int emit(Goroutine g, ProfileBuilder.SampleTableBuilder t) {
        if (kept >= GoTextReader.MAX_RECORDS) {
            stopped = true;
            incomplete("Stopped after " + GoTextReader.MAX_RECORDS + " goroutines; the rest of the file was not read");
            return 0;
        }
        flushPending(g);
        int createdBy = g.createdByFrame < 0 ? -1 : b.stack(-1, g.createdByFrame);
        int thread = b.addThread("goroutine " + g.id, -1, -1, false, g.id, g.state, g.waitNanos, createdBy);
        int n = 1 + (g.locked ? 1 : 0) + (g.creator >= 0 ? 1 : 0);
        int[] keys = new int[n], strs = new int[n], units = new int[n];
        long[] nums = new long[n];
        Arrays.fill(units, -1);
        keys[0] = b.string("state");
        strs[0] = b.string(g.state);
        int i = 1;
        if (g.locked) { keys[i] = b.string("locked_to_thread"); strs[i++] = b.string("true"); }
        if (g.creator >= 0) { keys[i] = b.string("created_by_goroutine"); strs[i] = -1; nums[i] = g.creator; }
        int labels = b.labelSet(keys, strs, nums, units, n);
        t.add(stackOf(g.frames), thread, 0, -1, labels, new long[] {1});
        kept++;
        return g.elided ? 1 : 0;
    }
}
