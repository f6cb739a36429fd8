// SPDX-License-Identifier: Apache-2.0
package dev.kiln.gotrace;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test utility: encodes a Go execution trace written in the text form Go's own trace tests use (package
 * {@code internal/trace/raw}: a {@code Trace Go1.N} line, then one event a line, {@code Name arg=value ...}; a
 * {@code Stack} is followed by its frame lines ({@code pc= func= file= line=}), a {@code String} and an
 * {@code ExperimentalBatch} by a {@code data="..."} line; {@code #} starts a comment) into the binary format, and
 * reads the txtar files ({@code -- name --} sections) that hold such a trace and what reading it should give.
 *
 * <p>An {@code EventBatch}'s {@code size} is written as given (Go's tests use a wrong one to make a cut trace);
 * {@code size=?} writes the size of the events that follow it up to the next batch, so a hand-written trace need not
 * count bytes.
 */
final class GoTraceText {
    private GoTraceText() { }

    /** Event type, arguments (names checked for the framing events only), frames follow, data line follows. */
    private record Spec(int type, int args, boolean stack, boolean data) { }

    private static final Map<String, Spec> FRAMING = Map.ofEntries(
            Map.entry("EventBatch", new Spec(GoTraceFormat.EV_EVENT_BATCH, 4, false, false)),
            Map.entry("Stacks", new Spec(GoTraceFormat.EV_STACKS, 0, false, false)),
            Map.entry("Stack", new Spec(GoTraceFormat.EV_STACK, 2, true, false)),
            Map.entry("Strings", new Spec(GoTraceFormat.EV_STRINGS, 0, false, false)),
            Map.entry("String", new Spec(GoTraceFormat.EV_STRING, 1, false, true)),
            Map.entry("CPUSamples", new Spec(GoTraceFormat.EV_CPU_SAMPLES, 0, false, false)),
            Map.entry("CPUSample", new Spec(GoTraceFormat.EV_CPU_SAMPLE, 5, false, false)),
            Map.entry("Frequency", new Spec(GoTraceFormat.EV_FREQUENCY, 1, false, false)),
            Map.entry("ExperimentalBatch", new Spec(GoTraceFormat.EV_EXPERIMENTAL_BATCH, 4, false, true)),
            Map.entry("Sync", new Spec(GoTraceFormat.EV_SYNC, 0, false, false)),
            Map.entry("EndOfGeneration", new Spec(52, 0, false, false)));

    private static Spec spec(String name, int line) {
        Spec s = FRAMING.get(name);
        if (s != null) return s;
        for (int t = 0; t < 256; t++) {
            if (GoTraceFormat.argCount(t) >= 0 && GoTraceFormat.name(t).equals(name)) {
                return new Spec(t, GoTraceFormat.argCount(t), false, false);
            }
        }
        throw new IllegalArgumentException("line " + line + ": unknown event " + name);
    }

    /** The sections of a txtar file, by name, in order. */
    static Map<String, String> sections(String txtar) {
        Map<String, String> out = new LinkedHashMap<>();
        String name = null;
        StringBuilder body = new StringBuilder();
        for (String line : txtar.split("\n", -1)) {
            if (line.startsWith("-- ") && line.endsWith(" --") && line.length() > 6) {
                if (name != null) out.put(name, body.toString());
                name = line.substring(3, line.length() - 3).trim();
                body.setLength(0);
            } else if (name != null) {
                body.append(line).append('\n');
            }
        }
        if (name != null) out.put(name, body.toString());
        return out;
    }

    /** The binary trace of a text trace. */
    static byte[] encode(String text) {
        String[] lines = text.split("\n");
        int i = 0;
        while (i < lines.length && token(lines[i]).isEmpty()) i++;
        if (i == lines.length) throw new IllegalArgumentException("no 'Trace Go1.N' header");
        String[] head = words(lines[i++]);
        if (head.length != 2 || !head[0].equals("Trace") || !head[1].startsWith("Go1.")) {
            throw new IllegalArgumentException("expected 'Trace Go1.N', found: " + lines[i - 1]);
        }
        int version = Integer.parseInt(head[1].substring(4));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(String.format("go 1.%d trace\0\0\0", version).getBytes(StandardCharsets.US_ASCII));
        List<long[]> batchHeaders = new ArrayList<>();
        List<ByteArrayOutputStream> bodies = new ArrayList<>();
        ByteArrayOutputStream body = null;
        for (; i < lines.length; i++) {
            String[] w = words(lines[i]);
            if (w.length == 0) continue;
            Spec s = spec(w[0], i + 1);
            long[] args = args(w, s.args(), i + 1);
            if (s.type() == GoTraceFormat.EV_EVENT_BATCH) {
                batchHeaders.add(args);
                bodies.add(body = new ByteArrayOutputStream());
                continue;
            }
            if (s.type() == GoTraceFormat.EV_EXPERIMENTAL_BATCH) {
                byte[] data = data(lines, ++i);
                batchHeaders.add(new long[] {-1 - args[0], args[1], args[2], args[3]});
                bodies.add(body = new ByteArrayOutputStream());
                body.writeBytes(data);
                body = null; // an experimental batch is all data
                continue;
            }
            if (body == null) throw new IllegalArgumentException("line " + (i + 1) + ": an event outside a batch");
            body.write(s.type());
            for (long a : args) uvarint(body, a);
            if (s.stack()) {
                for (long f = 0; f < args[1]; f++) {
                    String[] fw = words(lines[++i]);
                    long[] frame = args(prepend(fw), 4, i + 1);
                    for (long a : frame) uvarint(body, a);
                }
            }
            if (s.data()) {
                byte[] data = data(lines, ++i);
                uvarint(body, data.length);
                body.writeBytes(data);
            }
        }
        for (int b = 0; b < batchHeaders.size(); b++) {
            long[] h = batchHeaders.get(b);
            byte[] data = bodies.get(b).toByteArray();
            if (h[0] < 0) { // experimental: -1 - experiment id, gen, m, time
                out.write(GoTraceFormat.EV_EXPERIMENTAL_BATCH);
                uvarint(out, -1 - h[0]);
                for (int k = 1; k < 4; k++) uvarint(out, h[k]);
            } else {
                out.write(GoTraceFormat.EV_EVENT_BATCH);
                for (int k = 0; k < 3; k++) uvarint(out, h[k]);
            }
            uvarint(out, h[0] >= 0 && h[3] != -1 ? h[3] : data.length);
            out.writeBytes(data);
        }
        return out.toByteArray();
    }

    private static String[] prepend(String[] frameWords) {
        String[] w = new String[frameWords.length + 1];
        w[0] = "frame";
        System.arraycopy(frameWords, 0, w, 1, frameWords.length);
        return w;
    }

    private static long[] args(String[] w, int n, int line) {
        if (w.length - 1 != n) throw new IllegalArgumentException("line " + line + ": " + w[0] + " takes " + n + " arguments, has " + (w.length - 1));
        long[] a = new long[n];
        for (int k = 0; k < n; k++) {
            int eq = w[k + 1].indexOf('=');
            if (eq < 1) throw new IllegalArgumentException("line " + line + ": malformed argument " + w[k + 1]);
            String v = w[k + 1].substring(eq + 1);
            a[k] = v.equals("?") ? -1 : Long.parseUnsignedLong(v);
        }
        return a;
    }

    private static byte[] data(String[] lines, int i) {
        String l = lines[i].trim();
        if (!l.startsWith("data=")) throw new IllegalArgumentException("line " + (i + 1) + ": expected data=\"...\"");
        return unquote(l.substring(5).trim(), i + 1);
    }

    /** A Go double-quoted string literal's bytes. */
    private static byte[] unquote(String q, int line) {
        if (q.length() < 2 || q.charAt(0) != '"' || q.charAt(q.length() - 1) != '"') {
            throw new IllegalArgumentException("line " + line + ": not a quoted string: " + q);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int k = 1; k < q.length() - 1; k++) {
            char c = q.charAt(k);
            if (c != '\\') {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            char e = q.charAt(++k);
            switch (e) {
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case 'r' -> out.write('\r');
                case '0' -> out.write(0);
                case 'x' -> { out.write(Integer.parseInt(q.substring(k + 1, k + 3), 16)); k += 2; }
                default -> out.write(e);
            }
        }
        return out.toByteArray();
    }

    private static String token(String line) {
        String[] w = words(line);
        return w.length == 0 ? "" : w[0];
    }

    private static String[] words(String line) {
        int hash = line.indexOf('#');
        String s = (hash >= 0 ? line.substring(0, hash) : line).trim();
        return s.isEmpty() ? new String[0] : s.split("\\s+");
    }

    private static void uvarint(ByteArrayOutputStream out, long v) {
        while (Long.compareUnsigned(v, 0x80) >= 0) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** Writes the binary trace of each text trace (a txtar's "trace" section, or a plain text trace): IN OUT ... */
    public static void main(String[] a) throws IOException {
        for (int k = 0; k + 1 < a.length; k += 2) {
            String text = Files.readString(Path.of(a[k]));
            Map<String, String> sec = sections(text);
            Files.write(Path.of(a[k + 1]), encode(sec.getOrDefault("trace", text)));
        }
    }
}
