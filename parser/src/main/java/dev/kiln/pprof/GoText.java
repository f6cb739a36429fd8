// SPDX-License-Identifier: Apache-2.0
package dev.kiln.pprof;

import dev.kiln.job.ProgressSink;
import dev.kiln.model.ProfileFormatException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Text helpers shared by the parsers of Go's text profiles; none of them knows a profile format.
 *
 * <ul>
 *   <li>{@link LineReader}: the lines of the text, UTF-8 (malformed bytes replaced, a byte order mark on line 1
 *   dropped), without their {@code \n} or {@code \r\n}, each with its number, its byte offset and whether it
 *   ended with a newline; one line of push-back. A line longer than {@link GoTextReader#MAX_LINE_BYTES} is a
 *   {@link ProfileFormatException}; every {@value GoTextReader#CHECK_EVERY_LINES} lines it reports progress and
 *   checks for a cancel.</li>
 *   <li>Go's quoted strings ({@link #goString}, {@code %q} with all its escapes) and {@code # labels: {...}} maps
 *   ({@link #parseLabels}); both answer null or false for malformed text instead of throwing.</li>
 *   <li>Small parsers: hex addresses ({@link #parseHex}, 0 when malformed), source line numbers of digits
 *   ({@link #sourceLine}, 0 when too large), {@link #isDigits}, and {@link #quote}, which shows at most 60 characters of input in an error message with
 *   control characters escaped.</li>
 * </ul>
 */
final class GoText {
    private GoText() { }

    /** A source line number, 0 when it does not fit an int. */
    static int sourceLine(String digits) {
        if (digits.length() > 9) return 0;
        return Integer.parseInt(digits);
    }

    static long parseHex(String s) {
        String h = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
        try {
            return Long.parseUnsignedLong(h, 16);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static boolean isDigits(String s, int from) {
        if (from >= s.length()) return false;
        for (int i = from; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        int n = Math.min(s.length(), 60);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\uFFFD') sb.append(String.format(Locale.ROOT, "\\x%02x", (int) c & 0xff));
            else sb.append(c);
        }
        if (s.length() > n) sb.append("...");
        return sb.append('"').toString();
    }

    /** Parses Go's {@code {"k":"v", "k2":"v2"}} (keys and values are Go %q strings); false when malformed. */
    static boolean parseLabels(String text, List<String> keys, List<String> values) {
        String s = text.trim();
        if (!s.startsWith("{") || !s.endsWith("}")) return false;
        int[] pos = {1};
        int end = s.length() - 1;
        while (true) {
            skipSpaces(s, pos);
            if (pos[0] >= end) return true;
            String k = goString(s, pos);
            if (k == null) return false;
            skipSpaces(s, pos);
            if (pos[0] >= end || s.charAt(pos[0]) != ':') return false;
            pos[0]++;
            skipSpaces(s, pos);
            String v = goString(s, pos);
            if (v == null) return false;
            keys.add(k);
            values.add(v);
            skipSpaces(s, pos);
            if (pos[0] >= end) return true;
            if (s.charAt(pos[0]) != ',') return false;
            pos[0]++;
        }
    }

    private static void skipSpaces(String s, int[] pos) {
        while (pos[0] < s.length() && s.charAt(pos[0]) == ' ') pos[0]++;
    }

    /** A Go double-quoted string literal at {@code pos}, unescaped; null when malformed. */
    static String goString(String s, int[] pos) {
        int i = pos[0];
        if (i >= s.length() || s.charAt(i) != '"') return null;
        i++;
        // grows with the string, not the line: a line of many strings costs linear time
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(16);
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                pos[0] = i + 1;
                return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
            }
            if (c != '\\') {
                int cp = s.codePointAt(i);
                bytes.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
                continue;
            }
            if (i + 1 >= s.length()) return null;
            char e = s.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'a' -> bytes.write(7);
                case 'b' -> bytes.write(8);
                case 'f' -> bytes.write(12);
                case 'n' -> bytes.write('\n');
                case 'r' -> bytes.write('\r');
                case 't' -> bytes.write('\t');
                case 'v' -> bytes.write(11);
                case '\\', '"', '\'' -> bytes.write(e);
                case 'x', 'u', 'U' -> {
                    int len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (i + len > s.length()) return null;
                    int v;
                    try {
                        v = (int) Long.parseLong(s.substring(i, i + len), 16);
                    } catch (NumberFormatException ex) {
                        return null;
                    }
                    i += len;
                    if (e == 'x') bytes.write(v);
                    else if (Character.isValidCodePoint(v)) bytes.writeBytes(new String(Character.toChars(v)).getBytes(StandardCharsets.UTF_8));
                    else return null;
                }
                default -> {
                    if (e >= '0' && e <= '7' && i + 2 <= s.length()) {
                        try {
                            bytes.write(Integer.parseInt(s.substring(i - 1, i + 2), 8));
                        } catch (NumberFormatException ex) {
                            return null;
                        }
                        i += 2;
                    } else {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- line reader

    /** Lines of UTF-8 text with their number and byte offset; bounded line length; one line of push-back. */
    static final class LineReader {
        private final InputStream in;
        private final String fileName;
        private final ProgressSink progress;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        private byte[] buf = new byte[256];
        private final byte[] chunk = new byte[1 << 16];
        private int pos, lim;
        private long offset, lineOffset, lineNumber;
        private boolean terminated = true, eof;
        private String line;
        private boolean pushedBack;

        LineReader(InputStream in, String fileName, ProgressSink progress) {
            this.in = in;
            this.fileName = fileName;
            this.progress = progress;
        }

        /** The next line without its line end, or null at the end of the text. */
        String next() throws IOException, ProfileFormatException {
            if (pushedBack) {
                pushedBack = false;
                return line;
            }
            if (eof) return null;
            int n = 0;
            long start = offset;
            boolean nl = false;
            int c = 0;
            scan:
            while (true) {
                if (pos == lim) {
                    lim = in.read(chunk, 0, chunk.length);
                    pos = 0;
                    if (lim <= 0) { lim = 0; c = -1; break; }
                }
                int from = pos;
                while (pos < lim) {
                    if (chunk[pos] == '\n') {
                        int len = pos - from;
                        append(from, len, n, start);
                        n += len;
                        pos++;
                        offset += len + 1;
                        nl = true;
                        break scan;
                    }
                    pos++;
                }
                int len = pos - from;
                append(from, len, n, start);
                n += len;
                offset += len;
            }
            if (c < 0) eof = true;
            if (!nl && n == 0) return null;
            if (n > 0 && buf[n - 1] == '\r') n--;
            lineOffset = start;
            lineNumber++;
            terminated = nl;
            if (lineNumber % GoTextReader.CHECK_EVERY_LINES == 0) {
                progress.checkCancelled();
                progress.progress(offset, -1, "Reading " + fileName);
            }
            try {
                line = decoder.decode(ByteBuffer.wrap(buf, 0, n)).toString();
            } catch (CharacterCodingException e) {
                line = new String(buf, 0, n, StandardCharsets.UTF_8);
            }
            decoder.reset();
            if (lineNumber == 1 && line.startsWith("\uFEFF")) line = line.substring(1); // byte order mark
            return line;
        }

        private void append(int from, int len, int n, long start) throws ProfileFormatException {
            if (n + len > GoTextReader.MAX_LINE_BYTES) {
                throw new ProfileFormatException(fileName, start, (lineNumber == 0 ? "not a Go profile: " : "")
                        + "line " + (lineNumber + 1) + " is longer than " + (GoTextReader.MAX_LINE_BYTES >> 20)
                        + " MB; Go text profiles have short lines");
            }
            if (n + len > buf.length) buf = Arrays.copyOf(buf, Math.min(GoTextReader.MAX_LINE_BYTES, Math.max(n + len, buf.length * 2)));
            System.arraycopy(chunk, from, buf, n, len);
        }

        /** Makes the next {@link #next()} return the current line again. */
        void pushBack() { pushedBack = true; }

        long lineNumber() { return lineNumber; }

        /** Byte offset where the current line starts. */
        long lineOffset() { return lineOffset; }

        /** Whether the current line ended with a newline. */
        boolean terminated() { return terminated; }

        long bytesSeen() { return offset; }
    }
}
