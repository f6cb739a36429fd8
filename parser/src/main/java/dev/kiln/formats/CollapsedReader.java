// SPDX-License-Identifier: Apache-2.0
package dev.kiln.formats;

import dev.kiln.job.ProgressSink;
import dev.kiln.model.FrameKind;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileBuilder;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.SourceFormat;
import dev.kiln.model.ValueType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads collapsed stacks ({@code root;caller;callee N} per line, UTF-8; flamegraph.pl, async-profiler,
 * {@code kiln export --to collapsed}) into a {@link Profile}: one sample table {@value #TABLE_NAME} with the
 * value type {@code samples/count} (the format does not say what it counts), one row per line with its stack
 * (frames root first, split at {@code ;}) and number, no thread or time. The number is what follows the
 * last space, so frame names may contain spaces. async-profiler's frame-type suffixes ({@code _[j]} JIT,
 * {@code _[i]} inlined, {@code _[k]} kernel, {@code _[0]} interpreted, {@code _[1]} C1) become the frame's
 * {@link FrameKind} and are removed from the name. Blank lines are skipped; any other line that is not
 * "frames number" is a {@link ProfileFormatException} naming the line.
 */
public final class CollapsedReader {
    public static final String TABLE_NAME = "collapsed";
    public static final ValueType VALUE_TYPE = new ValueType("samples", "count");

    private CollapsedReader() { }

    /**
     * Whether the first bytes of a file look like collapsed stacks: text whose first non-blank line is
     * "frames number" (or, when it does not end within {@code head}, a long text line with {@code ;}).
     */
    public static boolean looksLikeCollapsed(byte[] head, int length) {
        int n = Math.min(length, head.length);
        int i = 0;
        if (n >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF) i = 3;
        for (int j = i; j < n; j++) {
            int c = head[j] & 0xff;
            if (c < 0x09 || (c > 0x0d && c < 0x20)) return false;
        }
        while (i < n && (head[i] == '\n' || head[i] == '\r')) i++;
        int end = i;
        while (end < n && head[end] != '\n') end++;
        String line = new String(head, i, end - i, StandardCharsets.UTF_8).stripTrailing();
        if (line.isEmpty() || line.startsWith("{") || line.startsWith("#") || line.startsWith("<")) return false;
        if (end == n && n == head.length) return line.indexOf(';') > 0 && line.indexOf(' ') != 0;
        return parseCount(line) >= 0;
    }

    /** The count after the last space of a line, or -1 when the line is not "frames number". */
    private static long parseCount(String line) {
        int sp = line.lastIndexOf(' ');
        if (sp <= 0 || sp == line.length() - 1) return -1;
        for (int k = sp + 1; k < line.length(); k++) if (line.charAt(k) < '0' || line.charAt(k) > '9') return -1;
        if (line.length() - sp - 1 > 18) return -1;
        return Long.parseLong(line.substring(sp + 1));
    }

    public static Profile read(InputStream in, String name, ProgressSink progress) throws IOException, ProfileFormatException {
        ProfileBuilder b = new ProfileBuilder(SourceFormat.COLLAPSED, name);
        ProfileBuilder.SampleTableBuilder t = b.sampleTable(TABLE_NAME, List.of(VALUE_TYPE), false, false, false);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        String line;
        int lineNo = 0;
        while ((line = r.readLine()) != null) {
            lineNo++;
            if ((lineNo & 0xFFF) == 0) progress.checkCancelled();
            if (lineNo == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
            line = line.stripTrailing();
            if (line.isEmpty()) continue;
            long count = parseCount(line);
            if (count < 0) throw new ProfileFormatException(name, -1, "line " + lineNo + " is not 'frame;frame;... count': " + cut(line));
            int stack = -1;
            String frames = line.substring(0, line.lastIndexOf(' '));
            int start = 0;
            while (start <= frames.length()) {
                int semi = frames.indexOf(';', start);
                if (semi < 0) semi = frames.length();
                if (semi > start) stack = b.stack(stack, frame(b, frames.substring(start, semi)));
                start = semi + 1;
            }
            t.add(stack, -1, Long.MIN_VALUE, -1, count);
        }
        if (t.size() == 0) throw new ProfileFormatException(name, -1, "no stacks in this collapsed-stack file");
        b.count(TABLE_NAME, t.size());
        return b.build();
    }

    private static int frame(ProfileBuilder b, String text) {
        FrameKind kind = FrameKind.UNKNOWN;
        if (text.length() > 4 && text.endsWith("]") && text.charAt(text.length() - 4) == '_' && text.charAt(text.length() - 3) == '[') {
            kind = switch (text.charAt(text.length() - 2)) {
                case 'j', '1' -> FrameKind.JIT;
                case 'i' -> FrameKind.INLINED;
                case 'k' -> FrameKind.KERNEL;
                case '0' -> FrameKind.INTERPRETED;
                default -> null;
            };
            if (kind == null) kind = FrameKind.UNKNOWN;
            else text = text.substring(0, text.length() - 4);
        }
        return b.frame(b.function(text, "", ""), 0, -1, kind, 0);
    }

    private static String cut(String line) { return line.length() > 80 ? line.substring(0, 80) + "..." : line; }
}
