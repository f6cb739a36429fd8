// SPDX-License-Identifier: Apache-2.0
package dev.kiln.pprof;

import dev.kiln.job.ProgressSink;
import dev.kiln.model.FrameKind;
import dev.kiln.model.IntList;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileBuilder;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.SourceFormat;
import dev.kiln.model.ValueType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the text forms that Go's {@code runtime/pprof} writes with {@code debug=1} and {@code debug=2}:
 *
 * <ul>
 *   <li><b>Count profiles</b> ({@code goroutine}, {@code threadcreate}, any {@code <name> profile: total N}, debug=1):
 *   one sample per record with value type {@code (<name>, count)}, the frames of its {@code #} symbol lines
 *   (function, file, line; the pc of the {@code #} line is kept as frame address), and its
 *   {@code # labels: {...}} as string labels. A record without symbolized frames has stack -1 but still counts.
 *   Period type = the value type, period 1.</li>
 *   <li><b>Goroutine tracebacks</b> (debug=2): one thread row per goroutine ({@code "goroutine 19"}, goroutine id,
 *   state = first part of the bracket text, wait = the {@code "N minutes"} part as nanoseconds (a lower bound,
 *   the runtime rounds down; -1 when absent), created-by stack = single frame of the {@code created by} function,
 *   -1 if none) and one sample per goroutine, value type {@code (goroutine, count)}, value 1, thread column set,
 *   with string label {@code state} (and {@code locked_to_thread=true} when the runtime says so, and numeric label
 *   {@code created_by_goroutine} from newer Go's {@code created by X in goroutine N}).</li>
 *   <li><b>Legacy heap profiles</b> ({@code heap profile: ... @ heap/<2*MemProfileRate>}, debug=1): value types
 *   in {@code go tool pprof}'s order {@code alloc_objects/count, alloc_space/bytes, inuse_objects/count,
 *   inuse_space/bytes} (only {@code objects/count, space/bytes} when the header shows no separate allocation
 *   totals, as pprof does), default {@code inuse_space}. Values are <b>unsampled like pprof's legacy parser</b>:
 *   the text holds the raw sampled counts and bytes; each record is multiplied by
 *   {@code 1 / (1 - exp(-avgSize / rate))} with {@code avgSize = bytes / count} and {@code rate = <header> / 2}
 *   (truncated to a whole number), so totals agree with {@code go tool pprof}. Each sample carries pprof's numeric
 *   label {@code bytes} (raw bytes / raw count). Period type {@code space/bytes}, period = rate. The
 *   {@code # runtime.MemStats} section becomes comments {@code MemStats.<Key> = <value>} (arrays skipped).</li>
 *   <li><b>Legacy contention profiles</b> ({@code --- contention:} from the block profile, {@code --- mutex:}):
 *   value types {@code contentions/count, delay/nanoseconds} (default {@code delay}), cycles converted to
 *   nanoseconds with {@code cycles/second} and both values multiplied by {@code sampling period} when given,
 *   exactly as pprof does. Period type {@code contentions/count}.</li>
 * </ul>
 *
 * <p>Guarantees: the result passes {@code ProfileValidator}; producer is {@value #PRODUCER}; the event count
 * {@code "<kind> records"} ({@code goroutine}, {@code threadcreate}, {@code heap}, {@code contention}, {@code mutex};
 * for debug=2 one record per goroutine) is the number of records kept; there is one sample table, named after
 * that kind; the first header line is a comment. Go ends every debug=1 record with an empty line: a record at the end of the text without it
 * (or whose last line has no newline) is treated as cut, dropped, and the profile is marked
 * {@link Profile#isIncomplete() incomplete}; the complete records are kept. For count and heap profiles the header
 * totals are checked against the records read. Text that is not a Go profile (including empty input and binary
 * data) is rejected with a {@link ProfileFormatException} naming the file, the line and the byte offset; a
 * malformed line inside an otherwise valid profile is rejected the same way. Lines are limited to
 * {@value #MAX_LINE_BYTES} bytes and records to {@value #MAX_RECORDS}, so no input makes the reader hang or
 * exhaust memory; {@link ProgressSink#checkCancelled()} is called every {@value #CHECK_EVERY_LINES} lines.
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

    private static final Pattern COUNT_HEADER = Pattern.compile("(\\S+) profile: total (\\d+)");
    private static final Pattern COUNT_RECORD = Pattern.compile("(\\d+) @((?: 0x[0-9a-fA-F]+)*) *");
    private static final Pattern HEAP_HEADER = Pattern.compile(
            "heap profile: *(\\d+): *(\\d+) *\\[ *(\\d+): *(\\d+) *\\] *@ *(heap[_a-z0-9]*)/?(\\d*).*");
    private static final Pattern HEAP_RECORD = Pattern.compile(
            "(-?\\d+): *(-?\\d+) *\\[ *(\\d+): *(\\d+) *\\] *@((?: 0x[0-9a-fA-F]+)*) *");
    private static final Pattern CONTENTION_HEADER = Pattern.compile("--- (contention|mutex):? *");
    private static final Pattern CONTENTION_RECORD = Pattern.compile("(\\d+) +(\\d+) @((?: 0x[0-9a-fA-F]+)*) *");
    private static final Pattern GOROUTINE_HEADER = Pattern.compile("goroutine (\\d+)(?: [^\\[]*)? ?\\[([^\\]]*)\\]:");
    private static final Pattern MINUTES = Pattern.compile("(\\d+) minutes?");
    private static final Pattern IN_GOROUTINE = Pattern.compile(" in goroutine (\\d+)$");
    private static final Pattern FILE_LINE = Pattern.compile("\\t(.*):(\\d+)(?: \\+0x[0-9a-fA-F]+)?(?: .*)?");
    private static final Pattern MEMSTAT = Pattern.compile("# (\\w+) = (.*)");

    private static final Pattern[] HEADERS = {COUNT_HEADER, HEAP_HEADER, CONTENTION_HEADER, GOROUTINE_HEADER};

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
                || line.startsWith("--- contention") || line.startsWith("--- mutex");
        if (!plausible) return false;
        for (Pattern p : new Pattern[] {HEAP_HEADER, CONTENTION_HEADER, GOROUTINE_HEADER}) {
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
        return new GoTextReader.Parser(new LineReader(text, fileName, progress), fileName).parse();
    }

    // ---------------------------------------------------------------- parser

    private static final class Parser {
        private final LineReader in;
        private final String fileName;
        private final ProfileBuilder b;
        private String kindLabel = "Go";
        private int kept;
        private boolean stopped, incomplete;

        Parser(LineReader in, String fileName) {
            this.in = in;
            this.fileName = fileName;
            this.b = new ProfileBuilder(SourceFormat.GO_TEXT, fileName);
            b.producer(PRODUCER);
        }

        private void incomplete(String warning) {
            incomplete = true;
            b.incomplete(warning);
        }

        Profile parse() throws IOException, ProfileFormatException {
            String first;
            do {
                first = in.next();
            } while (first != null && first.isBlank());
            if (first == null) {
                throw new ProfileFormatException(fileName, 0, in.bytesSeen() == 0 ? "not a Go profile: the file is empty"
                        : "not a Go profile: the file holds only white space");
            }
            Matcher m;
            if ((m = COUNT_HEADER.matcher(first)).matches() && in.terminated()) {
                readCount(first, m);
            } else if ((m = HEAP_HEADER.matcher(first)).matches() && in.terminated()) {
                readHeap(first, m);
            } else if ((m = CONTENTION_HEADER.matcher(first)).matches() && in.terminated()) {
                readContention(first, m);
            } else if ((m = GOROUTINE_HEADER.matcher(first)).matches()) {
                in.pushBack();
                readTracebacks();
            } else {
                String why = in.terminated() ? "line " + in.lineNumber() + " is not the header of a goroutine, "
                        + "threadcreate, heap, block or mutex profile nor a goroutine traceback (it starts with "
                        + quote(first) + ")"
                        : "the text ends inside its first line " + quote(first);
                throw new ProfileFormatException(fileName, in.lineOffset(), "not a Go profile: " + why);
            }
            b.count(kindLabel + " records", kept);
            return b.build();
        }

        // ---- debug=1 records shared by count, heap and contention profiles

        /** One record being read: its numbers, frames leaf first, labels. */
        private static final class Record {
            final long[] nums;
            final long line, offset;
            final IntList frames = new IntList();
            final List<String> labelKeys = new ArrayList<>(), labelValues = new ArrayList<>();
            boolean framesCapped;

            Record(long[] nums, long line, long offset) {
                this.nums = nums;
                this.line = line;
                this.offset = offset;
            }
        }

        interface RecordSink {
            void accept(Record r) throws ProfileFormatException;
        }

        /**
         * Reads blank-line-terminated records until the end of the text or a line for which {@code trailer}
         * holds (that line is pushed back). {@code header} must capture the numbers as groups 1..n-1 and the
         * address list as its last group.
         */
        private void readRecords(Pattern header, String expected, java.util.function.Predicate<String> trailer,
                                 RecordSink sink) throws IOException, ProfileFormatException {
            Record cur = null;
            String line;
            while ((line = in.next()) != null) {
                if (!in.terminated()) {
                    // The last line has no newline: Go ends every record with an empty line, so the text was cut.
                    if (line.isBlank()) {
                        if (cur != null) finish(cur, sink);
                        return;
                    }
                    if (cur == null && (line.startsWith("#") || trailer.test(line))) {
                        in.pushBack();
                        return;
                    }
                    truncated(cur, "the text ends inside line " + in.lineNumber());
                    return;
                }
                if (line.isBlank()) {
                    if (cur != null) finish(cur, sink);
                    cur = null;
                    if (stopped) return;
                    continue;
                }
                if (trailer.test(line)) {
                    if (cur != null) finish(cur, sink); // lenient: a record without its empty line
                    in.pushBack();
                    return;
                }
                if (line.startsWith("#")) {
                    if (cur != null) symbolLine(cur, line);
                    continue; // else a stray comment between records
                }
                Matcher m = header.matcher(line);
                if (m.matches()) {
                    if (cur != null) finish(cur, sink); // lenient: a record without its empty line
                    if (stopped) return;
                    int groups = m.groupCount();
                    long[] nums = new long[groups - 1];
                    for (int g = 1; g < groups; g++) nums[g - 1] = number(m.group(g));
                    cur = new Record(nums, in.lineNumber(), in.lineOffset());
                    continue;
                }
                throw malformed("expected " + expected + " but found " + quote(line));
            }
            if (cur != null) truncated(cur, "the text ends before the empty line that closes the record of line " + cur.line);
        }

        private void truncated(Record cur, String why) {
            if (cur != null) {
                incomplete("Incomplete " + kindLabel + " profile: " + why + "; that record (line " + cur.line
                        + ") was dropped, the " + kept + " complete records before it were kept");
            } else {
                incomplete("Incomplete " + kindLabel + " profile: " + why + "; the " + kept
                        + " complete records before it were kept");
            }
        }

        private void finish(Record r, RecordSink sink) throws ProfileFormatException {
            if (kept >= MAX_RECORDS) {
                stopped = true;
                incomplete("Stopped after " + MAX_RECORDS + " records; the rest of the file was not read");
                return;
            }
            if (r.framesCapped) b.warning("Some records have more than " + MAX_FRAMES + " frames; the callers beyond were dropped");
            sink.accept(r);
            kept++;
        }

        private void symbolLine(Record r, String line) {
            if (line.startsWith("# labels:")) {
                if (!parseLabels(line.substring("# labels:".length()), r.labelKeys, r.labelValues)) {
                    b.warning("Line " + in.lineNumber() + ": could not read the labels " + quote(line) + "; ignored");
                    r.labelKeys.clear();
                    r.labelValues.clear();
                }
                return;
            }
            if (!line.startsWith("#\t")) return; // another comment
            String[] fields = Arrays.stream(line.split("\t")).filter(s -> !s.isEmpty()).toArray(String[]::new);
            if (fields.length < 2) return;
            long pc = parseHex(fields[1]);
            String name;
            String file = "";
            int lineNo = 0;
            if (fields.length < 3) {
                if (pc == 0) return; // "#\t0x0": no frame at all
                name = "0x" + Long.toHexString(pc);
            } else {
                name = fields[2];
                int plus = name.lastIndexOf("+0x");
                if (plus > 0) name = name.substring(0, plus);
                if (fields.length >= 4) {
                    String fl = fields[3];
                    int colon = fl.lastIndexOf(':');
                    if (colon > 0 && isDigits(fl, colon + 1)) {
                        file = fl.substring(0, colon);
                        lineNo = sourceLine(fl.substring(colon + 1));
                    } else {
                        file = fl;
                    }
                }
            }
            if (r.frames.size() >= MAX_FRAMES) { r.framesCapped = true; return; }
            int func = b.function(name, goPackage(name), file);
            r.frames.add(b.frame(func, lineNo, -1, FrameKind.UNKNOWN, pc));
        }

        private int stackOf(IntList framesLeafFirst) {
            return b.stackOfLeafFirst(framesLeafFirst.toArray(), framesLeafFirst.size());
        }

        private int stringLabels(List<String> keys, List<String> values) {
            int n = keys.size();
            if (n == 0) return -1;
            int[] k = new int[n], s = new int[n], u = new int[n];
            long[] num = new long[n];
            for (int i = 0; i < n; i++) {
                k[i] = b.string(keys.get(i));
                s[i] = b.string(values.get(i));
                u[i] = -1;
            }
            return b.labelSet(k, s, num, u, n);
        }

        // ---- count profiles

        private void readCount(String header, Matcher hm) throws IOException, ProfileFormatException {
            String type = hm.group(1);
            long total = number(hm.group(2));
            kindLabel = type;
            b.comment(header);
            ValueType vt = new ValueType(type, "count");
            b.period(vt, 1).defaultValueType(vt);
            ProfileBuilder.SampleTableBuilder t = b.sampleTable(type, List.of(vt), false, false, true);
            long[] sum = {0};
            readRecords(COUNT_RECORD, "'<count> @ <addresses>'", l -> false, r -> {
                t.add(stackOf(r.frames), -1, 0, -1, stringLabels(r.labelKeys, r.labelValues), new long[] {r.nums[0]});
                sum[0] += r.nums[0];
            });
            if (sum[0] != total) {
                String msg = "The header says total " + total + " but the records read add up to " + sum[0];
                if (sum[0] < total && !incomplete) incomplete(msg + "; the file looks cut");
                else b.warning(msg);
            }
        }

        // ---- legacy heap profiles

        private void readHeap(String header, Matcher hm) throws IOException, ProfileFormatException {
            kindLabel = "heap";
            b.comment(header);
            String kind = hm.group(5);
            long headerPeriod = hm.group(6).isEmpty() ? 0 : number(hm.group(6));
            boolean v2;
            long rate;
            switch (kind) {
                case "heap" -> { v2 = true; rate = headerPeriod / 2; }
                case "heap_v2", "heapz_v2" -> { v2 = true; rate = headerPeriod; }
                case "heapprofile" -> { v2 = false; rate = 1; }
                default -> throw new ProfileFormatException(fileName, in.lineOffset(),
                        "not a Go profile: unknown heap profile kind " + quote(kind) + " on line 1");
            }
            boolean hasAlloc = (!hm.group(3).equals(hm.group(1)) && !hm.group(3).equals("0"))
                    || (!hm.group(4).equals(hm.group(2)) && !hm.group(4).equals("0"));
            long[] headerTotals = {number(hm.group(1)), number(hm.group(2)), number(hm.group(3)), number(hm.group(4))};
            List<ValueType> types = hasAlloc
                    ? List.of(new ValueType("alloc_objects", "count"), new ValueType("alloc_space", "bytes"),
                    new ValueType("inuse_objects", "count"), new ValueType("inuse_space", "bytes"))
                    : List.of(new ValueType("objects", "count"), new ValueType("space", "bytes"));
            b.period(new ValueType("space", "bytes"), rate).defaultValueType(types.get(types.size() - 1));
            if (v2 && rate > 1) {
                b.comment("Values unsampled as go tool pprof does: scaled by 1/(1-exp(-avgSize/" + rate + "))");
            }
            ProfileBuilder.SampleTableBuilder t = b.sampleTable("heap", types, false, false, true);
            long[] raw = new long[4];
            int bytesKey = b.string("bytes");
            readRecords(HEAP_RECORD, "'<inuse objects>: <inuse bytes> [<alloc objects>: <alloc bytes>] @ <addresses>'",
                    l -> l.startsWith("# runtime.MemStats") || l.startsWith("---"), r -> {
                        long[] values = new long[types.size()];
                        long blockSize = 0;
                        int v = 0;
                        // pprof: alloc pair first (when present), then the in-use pair; block size from the last pair with objects.
                        long[][] pairs = hasAlloc ? new long[][] {{r.nums[2], r.nums[3]}, {r.nums[0], r.nums[1]}}
                                : new long[][] {{r.nums[0], r.nums[1]}};
                        for (long[] pair : pairs) {
                            long count = pair[0], size = pair[1];
                            if (count == 0 && size != 0) {
                                throw new ProfileFormatException(fileName, r.offset, "malformed Go heap profile: line "
                                        + r.line + " has 0 objects but " + size + " bytes");
                            }
                            if (count != 0) {
                                blockSize = size / count;
                                if (v2) {
                                    long[] scaled = scaleHeapSample(count, size, rate);
                                    count = scaled[0];
                                    size = scaled[1];
                                }
                            }
                            values[v++] = count;
                            values[v++] = size;
                        }
                        for (int i = 0; i < 4; i++) raw[i] += r.nums[i];
                        int labels = b.labelSet(new int[] {bytesKey}, new int[] {-1}, new long[] {blockSize},
                                new int[] {bytesKey}, 1);
                        t.add(stackOf(r.frames), -1, 0, -1, labels, values);
                    });
            if (!Arrays.equals(raw, headerTotals) && !incomplete) {
                String msg = "The header totals " + Arrays.toString(headerTotals) + " differ from the sums of the records "
                        + Arrays.toString(raw) + " (raw, unscaled)";
                boolean less = raw[0] <= headerTotals[0] && raw[1] <= headerTotals[1] && raw[2] <= headerTotals[2]
                        && raw[3] <= headerTotals[3];
                if (less) incomplete(msg + "; the file looks cut"); else b.warning(msg);
            }
            readMemStats();
        }

        private void readMemStats() throws IOException, ProfileFormatException {
            String line;
            boolean inSection = false;
            while ((line = in.next()) != null) {
                if (line.startsWith("# runtime.MemStats")) { inSection = true; continue; }
                if (!inSection) continue;
                if (!in.terminated()) {
                    b.warning("The runtime.MemStats section is cut at line " + in.lineNumber());
                    continue;
                }
                Matcher m = MEMSTAT.matcher(line);
                if (m.matches() && !m.group(2).startsWith("[")) b.comment("MemStats." + m.group(1) + " = " + m.group(2));
            }
            if (!inSection) b.warning("The runtime.MemStats section that Go writes after the records is missing");
        }

        /** pprof's {@code scaleHeapSample}: the expected unsampled count and size of a heap record. */
        static long[] scaleHeapSample(long count, long size, long rate) {
            if (count == 0 || size == 0) return new long[] {0, 0};
            if (rate <= 1) return new long[] {count, size};
            double avgSize = (double) size / count;
            double scale = 1 / (1 - Math.exp(-avgSize / rate));
            return new long[] {(long) (count * scale), (long) (size * scale)};
        }

        // ---- legacy contention profiles

        private void readContention(String header, Matcher hm) throws IOException, ProfileFormatException {
            kindLabel = hm.group(1);
            b.comment(header);
            long cpuHz = 0, period = 1;
            String line;
            while ((line = in.next()) != null) {
                if (line.isBlank()) continue;
                int eq = line.indexOf('=');
                if (eq < 0 || line.startsWith("#") || !in.terminated()) {
                    in.pushBack();
                    break;
                }
                String key = line.substring(0, eq).trim(), val = line.substring(eq + 1).trim();
                switch (key) {
                    case "cycles/second" -> cpuHz = number(val);
                    case "sampling period" -> period = number(val);
                    case "ms since reset" -> b.timeSpan(0, Math.multiplyExact(number(val), 1_000_000L));
                    default -> { }
                }
                b.comment(key + "=" + val);
            }
            ValueType contentions = new ValueType("contentions", "count"), delay = new ValueType("delay", "nanoseconds");
            b.period(contentions, period).defaultValueType(delay);
            if (cpuHz <= 0) b.warning("No cycles/second in the header: delays are left in CPU cycles, not nanoseconds");
            ProfileBuilder.SampleTableBuilder t = b.sampleTable(kindLabel, List.of(contentions, delay), false, false, false);
            final long hz = cpuHz, per = period;
            readRecords(CONTENTION_RECORD, "'<cycles> <count> @ <addresses>'", l -> l.startsWith("---"), r -> {
                long cycles = r.nums[0], count = r.nums[1];
                if (per > 0) {
                    if (hz > 0) cycles = (long) ((double) cycles * per / (hz / 1e9));
                    count = count * per;
                }
                t.add(stackOf(r.frames), -1, 0, -1, -1, new long[] {count, cycles});
            });
        }

        // ---- debug=2 goroutine tracebacks

        private void readTracebacks() throws IOException, ProfileFormatException {
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
                if (g == null) throw malformed("expected 'goroutine <id> [<state>]:' but found " + quote(line));
                if (line.startsWith("\t")) {
                    Matcher fl = FILE_LINE.matcher(line);
                    String file = fl.matches() ? fl.group(1) : line.trim();
                    int lineNo = fl.matches() ? sourceLine(fl.group(2)) : 0;
                    if (g.pendingCreatedBy != null) {
                        g.createdByFrame = b.frame(b.function(g.pendingCreatedBy, goPackage(g.pendingCreatedBy), file),
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
                b.warning("Line " + in.lineNumber() + ": unexpected text in goroutine " + g.id + ": " + quote(line));
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
                        waitNanos = minutes * 60_000_000_000L;
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
                g.createdByFrame = b.frame(b.function(g.pendingCreatedBy, goPackage(g.pendingCreatedBy), ""), 0, -1,
                        FrameKind.UNKNOWN, 0);
                g.pendingCreatedBy = null;
            }
        }

        private void addFrame(Goroutine g, String name, String file, int line) {
            if (g.frames.size() >= MAX_FRAMES) {
                b.warning("Some goroutines have more than " + MAX_FRAMES + " frames; the callers beyond were dropped");
                return;
            }
            g.frames.add(b.frame(b.function(name, goPackage(name), file), line, -1, FrameKind.UNKNOWN, 0));
        }

        /** Adds the goroutine's thread row and sample; returns 1 when its frames were elided. */
        private int emit(Goroutine g, ProfileBuilder.SampleTableBuilder t) {
            if (kept >= MAX_RECORDS) {
                stopped = true;
                incomplete("Stopped after " + MAX_RECORDS + " goroutines; the rest of the file was not read");
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

        // ---- helpers

        private ProfileFormatException malformed(String what) {
            return new ProfileFormatException(fileName, in.lineOffset(),
                    "malformed Go " + kindLabel + " profile: line " + in.lineNumber() + ": " + what);
        }

        private long number(String digits) throws ProfileFormatException {
            try {
                return Long.parseLong(digits.trim());
            } catch (NumberFormatException e) {
                throw new ProfileFormatException(fileName, in.lineOffset(), "malformed Go " + kindLabel + " profile: line "
                        + in.lineNumber() + ": number " + quote(digits) + " is out of range", e);
            }
        }
    }

    // ---------------------------------------------------------------- static helpers

    /** Go's package of a qualified function name: the path up to the last slash, then up to the first dot. */
    static String goPackage(String name) {
        int bracket = name.indexOf('[');
        String head = bracket >= 0 ? name.substring(0, bracket) : name;
        int slash = head.lastIndexOf('/');
        int dot = head.indexOf('.', slash + 1);
        return dot < 0 ? "" : name.substring(0, dot);
    }

    /** A source line number, 0 when it does not fit an int. */
    private static int sourceLine(String digits) {
        if (digits.length() > 9) return 0;
        return Integer.parseInt(digits);
    }

    private static long parseHex(String s) {
        String h = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
        try {
            return Long.parseUnsignedLong(h, 16);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean isDigits(String s, int from) {
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
        ByteBuffer bytes = ByteBuffer.allocate(s.length() * 4 + 4);
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                pos[0] = i + 1;
                bytes.flip();
                return StandardCharsets.UTF_8.decode(bytes).toString();
            }
            if (c != '\\') {
                int cp = s.codePointAt(i);
                bytes.put(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
                continue;
            }
            if (i + 1 >= s.length()) return null;
            char e = s.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'a' -> bytes.put((byte) 7);
                case 'b' -> bytes.put((byte) 8);
                case 'f' -> bytes.put((byte) 12);
                case 'n' -> bytes.put((byte) '\n');
                case 'r' -> bytes.put((byte) '\r');
                case 't' -> bytes.put((byte) '\t');
                case 'v' -> bytes.put((byte) 11);
                case '\\', '"', '\'' -> bytes.put((byte) e);
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
                    if (e == 'x') bytes.put((byte) v);
                    else if (Character.isValidCodePoint(v)) bytes.put(new String(Character.toChars(v)).getBytes(StandardCharsets.UTF_8));
                    else return null;
                }
                default -> {
                    if (e >= '0' && e <= '7' && i + 2 <= s.length()) {
                        try {
                            bytes.put((byte) Integer.parseInt(s.substring(i - 1, i + 2), 8));
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
    private static final class LineReader {
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
            if (lineNumber % CHECK_EVERY_LINES == 0) {
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
            if (n + len > MAX_LINE_BYTES) {
                throw new ProfileFormatException(fileName, start, (lineNumber == 0 ? "not a Go profile: " : "")
                        + "line " + (lineNumber + 1) + " is longer than " + (MAX_LINE_BYTES >> 20)
                        + " MB; Go text profiles have short lines");
            }
            if (n + len > buf.length) buf = Arrays.copyOf(buf, Math.min(MAX_LINE_BYTES, Math.max(n + len, buf.length * 2)));
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
