// SPDX-License-Identifier: Apache-2.0
package dev.kiln.pprof;

import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.pprof.GoText.LineReader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the text forms that Go's {@code runtime/pprof} writes with {@code debug=1} and {@code debug=2}. This class
 * is the entry point: it tells the formats apart by their first line, for {@link #looksLikeGoText} and for
 * {@link #read}, and hands the text to the parser of that format:
 *
 * <ul>
 *   <li>{@link LegacyTextProfileParser}: the debug=1 profiles, made of records of numbers and addresses: count
 *   profiles ({@code goroutine}, {@code threadcreate}, any {@code <name> profile: total N}), legacy heap profiles
 *   ({@code heap profile: ...}) and legacy contention profiles ({@code --- contention:}, {@code --- mutex:}).</li>
 *   <li>{@link GoroutineDumpParser}: goroutine tracebacks (debug=2, {@code goroutine N [state]:}).</li>
 *   <li>The legacy text profiles of C++ and Java servers that {@code go tool pprof} also reads: C++ heapz and
 *   growthz ({@code heap profile: ... @ heap_v2/N}, {@code @ growthz}) and contentionz ({@code --- contentionz 1 ---})
 *   in {@link LegacyTextProfileParser}, threadz in {@link ThreadzParser}, Java heapz and contentionz in
 *   {@link JavaLegacyProfileParser}; their memory maps in {@link LegacyMemoryMap}.</li>
 *   <li>{@link GoTextParser}, their common base: the lines, the builder, the count of records kept, and the
 *   wording of errors; {@link GoText}: the line reader and the text helpers (Go strings, labels, addresses).</li>
 * </ul>
 *
 * <p>A format added here brings its header pattern in its parser class; {@code HEADERS} (detection) and
 * {@code parse} (dispatch) then name it.
 *
 * <p>Guarantees: the result passes {@code ProfileValidator}; producer is {@value #PRODUCER}; the event count
 * {@code "<kind> records"} ({@code goroutine}, {@code threadcreate}, {@code heap}, {@code contention}, {@code mutex};
 * for debug=2 one record per goroutine) is the number of records kept; there is one sample table, named after
 * that kind; the first header line is a comment. A text cut short keeps its complete records and is marked
 * {@link Profile#isIncomplete() incomplete} (each parser says how it tells). Text that is not a Go profile
 * (including empty input and binary data) is rejected with a {@link ProfileFormatException} naming the file, the
 * line and the byte offset; a malformed line inside an otherwise valid profile is rejected the same way. Lines are
 * limited to {@value #MAX_LINE_BYTES} bytes and records to {@value #MAX_RECORDS}, so no input makes the reader
 * hang or exhaust memory; {@link ProgressSink#checkCancelled()} is called every {@value #CHECK_EVERY_LINES} lines.
 */
public final class GoTextReader {
    /** Producer recorded in every profile read here. */
    public static final String PRODUCER = "Go runtime/pprof (text)";
    /** Longest line accepted, in bytes. */
    public static final int MAX_LINE_BYTES = 1 << 20;
    /** Most records (or goroutines) kept; the rest is dropped and the profile marked incomplete. */
    public static final int MAX_RECORDS = 10_000_000;
    /** Most frames kept per record. */
    public static final int MAX_FRAMES = 10_000;
    static final int CHECK_EVERY_LINES = 4096;

    // The first line of each format, defined by the class that reads it.
    private static final Pattern COUNT_HEADER = LegacyTextProfileParser.COUNT_HEADER;
    private static final Pattern HEAP_HEADER = LegacyTextProfileParser.HEAP_HEADER;
    private static final Pattern CONTENTION_HEADER = LegacyTextProfileParser.CONTENTION_HEADER;
    private static final Pattern GOROUTINE_HEADER = GoroutineDumpParser.GOROUTINE_HEADER;
    private static final Pattern JAVA_HEADER = JavaLegacyProfileParser.HEADER;
    private static final Pattern THREADZ_HEADER = ThreadzParser.THREADZ_HEADER;
    private static final Pattern THREAD_HEADER = ThreadzParser.THREAD_HEADER;

    /** The first lines {@link #looksLikeGoText} accepts. */
    private static final Pattern[] HEADERS = {COUNT_HEADER, HEAP_HEADER, CONTENTION_HEADER, GOROUTINE_HEADER,
        JAVA_HEADER, THREADZ_HEADER, THREAD_HEADER};

    private GoTextReader() { }

    // ---------------------------------------------------------------- detection

    /**
     * True when {@code head} (the first {@code length} bytes of a file, already gunzipped) starts like one of the
     * Go text profiles this reader accepts: a count profile header, a legacy heap or contention header, or a
     * goroutine traceback. A first line cut by the end of {@code head} counts when what is there could still
     * become such a header. Leading empty lines and a UTF-8 byte order mark are skipped.
     */
    public static boolean looksLikeGoText(byte[] head, int length) {
        if (head == null) return false;
        int n = Math.min(length, head.length);
        int i = 0;
        if (n >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF) i = 3;
        while (i < n && (head[i] == '\n' || head[i] == '\r' || head[i] == ' ' || head[i] == '\t')) i++;
        int end = i;
        while (end < n && head[end] != '\n') end++;
        boolean complete = end < n;
        int lineEnd = end;
        if (lineEnd > i && head[lineEnd - 1] == '\r') lineEnd--;
        if (lineEnd - i > 4096) return false;
        String line = new String(head, i, lineEnd - i, StandardCharsets.ISO_8859_1);
        for (Pattern p : HEADERS) {
            Matcher m = p.matcher(line);
            if (m.matches()) return true;
        }
        if (complete || line.length() < 8) return false;
        if (isCutCountHeader(line)) return true;
        boolean plausible = line.startsWith("goroutine ") || line.startsWith("heap profile:")
                || line.startsWith("--- contention") || line.startsWith("--- mutex") || line.startsWith("--- heapz")
                || line.startsWith("--- threadz") || line.startsWith("--- Thread ");
        if (!plausible) return false;
        for (Pattern p : new Pattern[] {HEAP_HEADER, CONTENTION_HEADER, GOROUTINE_HEADER, JAVA_HEADER, THREADZ_HEADER, THREAD_HEADER}) {
            Matcher m = p.matcher(line);
            if (!m.matches() && m.hitEnd()) return true;
        }
        return false;
    }

    /** True for {@code "<name> profile: total <digits>"} cut anywhere after the name. */
    private static boolean isCutCountHeader(String line) {
        int sp = line.indexOf(' ');
        if (sp <= 0) return false;
        String rest = line.substring(sp);
        String fixed = " profile: total ";
        if (fixed.startsWith(rest)) return true;
        return rest.startsWith(fixed) && rest.substring(fixed.length()).matches("\\d*");
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads one Go text profile. {@code text} is UTF-8 (already gunzipped); it is read to its end but not closed.
     *
     * @throws ProfileFormatException when the text is not a Go profile or has a malformed line before its end
     * @throws java.util.concurrent.CancellationException when {@code progress} reports a cancel
     */
    public static Profile read(InputStream text, String fileName, ProgressSink progress)
            throws ProfileFormatException, IOException {
        if (progress == null) progress = ProgressSink.NONE;
        return parse(new LineReader(text, fileName, progress), fileName);
    }

    /**
     * Whether a {@code --- heapz 1 ---} or {@code --- contentionz 1 ---} text is the Java form: heapz always is (the
     * C++ heapz starts {@code heap profile:}), contentionz when its first attribute is {@code format} or
     * {@code resolution}, which only Java's has. The line looked at is pushed back.
     */
    private static boolean isJava(LineReader in, Matcher header) throws IOException, ProfileFormatException {
        if (header.group(1).equals("heapz")) return true;
        String next;
        do {
            next = in.next();
        } while (next != null && next.isBlank());
        if (next == null) return false;
        in.pushBack();
        return JavaLegacyProfileParser.isJavaAttribute(next);
    }

    /** Skips leading blank lines and hands the text to the parser of the format its first line starts. */
    private static Profile parse(LineReader in, String fileName) throws IOException, ProfileFormatException {
        String first;
        do {
            first = in.next();
        } while (first != null && first.isBlank());
        if (first == null) {
            throw new ProfileFormatException(fileName, 0, in.bytesSeen() == 0 ? "not a Go profile: the file is empty"
                    : "not a Go profile: the file holds only white space");
        }
        Matcher m;
        if ((m = JAVA_HEADER.matcher(first)).matches() && in.terminated() && isJava(in, m)) {
            JavaLegacyProfileParser p = new JavaLegacyProfileParser(in, fileName);
            p.read(first, m);
            return p.build();
        } else if (((m = THREADZ_HEADER.matcher(first)).matches() || (m = THREAD_HEADER.matcher(first)).matches()) && in.terminated()) {
            ThreadzParser p = new ThreadzParser(in, fileName);
            p.read(first);
            return p.build();
        } else if ((m = COUNT_HEADER.matcher(first)).matches() && in.terminated()) {
            LegacyTextProfileParser p = new LegacyTextProfileParser(in, fileName);
            p.readCount(first, m);
            return p.build();
        } else if ((m = HEAP_HEADER.matcher(first)).matches() && in.terminated()) {
            LegacyTextProfileParser p = new LegacyTextProfileParser(in, fileName);
            p.readHeap(first, m);
            return p.build();
        } else if ((m = CONTENTION_HEADER.matcher(first)).matches() && in.terminated()) {
            LegacyTextProfileParser p = new LegacyTextProfileParser(in, fileName);
            p.readContention(first, m);
            return p.build();
        } else if ((m = GOROUTINE_HEADER.matcher(first)).matches()) {
            in.pushBack();
            GoroutineDumpParser p = new GoroutineDumpParser(in, fileName);
            p.readTracebacks();
            return p.build();
        } else {
            String why = in.terminated() ? "line " + in.lineNumber() + " is not the header of a goroutine, "
                    + "threadcreate, heap, block or mutex profile, a C++ or Java heapz, growthz, contentionz or threadz "
                    + "profile, nor a goroutine traceback (it starts with "
                    + GoText.quote(first) + ")"
                    : "the text ends inside its first line " + GoText.quote(first);
            throw new ProfileFormatException(fileName, in.lineOffset(), "not a Go profile: " + why);
        }
    }
}
