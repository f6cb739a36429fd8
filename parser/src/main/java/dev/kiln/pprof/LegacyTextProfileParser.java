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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the legacy text profiles that Go's {@code runtime/pprof} writes with {@code debug=1}, made of records of
 * numbers and addresses, from the line after the header that {@link GoTextReader} matched:
 *
 * <ul>
 *   <li><b>Count profiles</b> ({@code goroutine}, {@code threadcreate}, any {@code <name> profile: total N}, debug=1):
 *   one sample per record with value type {@code (<name>, count)}, the frames of its {@code #} symbol lines
 *   (function, file, line; the pc of the {@code #} line is kept as frame address), and its
 *   {@code # labels: {...}} as string labels. A record without symbolized frames has stack -1 but still counts.
 *   Period type = the value type, period 1.</li>
 *   <li><b>Legacy heap profiles</b> ({@code heap profile: ... @ heap/<2*MemProfileRate>}, debug=1): value types
 *   in {@code go tool pprof}'s order {@code alloc_objects/count, alloc_space/bytes, inuse_objects/count,
 *   inuse_space/bytes} (only {@code objects/count, space/bytes} when the header shows no separate allocation
 *   totals, as pprof does), default {@code inuse_space}. Values are <b>unsampled like pprof's legacy parser</b>:
 *   the text holds the raw sampled counts and bytes; each record is multiplied by
 *   {@code 1 / (1 - exp(-avgSize / rate))} with {@code avgSize = bytes / count} and {@code rate = <header> / 2}
 *   (truncated to a whole number), so totals agree with {@code go tool pprof}. Each sample carries pprof's numeric
 *   label {@code bytes} (raw bytes / raw count). Period type {@code space/bytes}, period = rate. The
 *   {@code # runtime.MemStats} section becomes comments {@code MemStats.<Key> = <value>} (arrays skipped).</li>
 *   <li><b>C++ heapz and growthz</b> (gperftools' tcmalloc and C++ servers): the same records with padded columns
 *   and a memory map ({@link LegacyMemoryMap}) naming the unsymbolized addresses; {@code @ heap_v2/N} and
 *   {@code heapz_v2/N} are unsampled like Go's, {@code @ heapprofile} is not, and {@code @ growth(z)} and
 *   {@code @ fragmentation(z)} have {@code objects/count, space/bytes}, period 1, as pprof reads them.</li>
 *   <li><b>Legacy contention profiles</b> ({@code --- contention:} from the block profile, {@code --- mutex:}, and the
 *   C++ servers' {@code --- contentionz 1 ---}, whose records end at its memory map):
 *   value types {@code contentions/count, delay/nanoseconds} (default {@code delay}), cycles converted to
 *   nanoseconds with {@code cycles/second} and both values multiplied by {@code sampling period} when given,
 *   exactly as pprof does. Period type {@code contentions/count}.</li>
 * </ul>
 *
 * <p>Guarantees: one sample table, named after the kind ({@code goroutine}, {@code threadcreate}, {@code heap},
 * {@code contention}, {@code mutex}); the header line is the first comment. Go ends every debug=1 record with an
 * empty line; a last record without it is kept, as {@code go tool pprof} keeps it, but a record whose last line has
 * no newline is treated as cut, dropped, and the profile is marked
 * {@link dev.kiln.model.Profile#isIncomplete() incomplete}; the complete records are kept. For count and heap profiles the header totals are checked against the records read. At most
 * {@link GoTextReader#MAX_RECORDS} records and {@link GoTextReader#MAX_FRAMES} frames per record are kept.
 *
 * <p>The record loop ({@link #readRecords}) and the symbol lines are shared by the three kinds; another legacy
 * format whose records are numbers, {@code @} and addresses, followed by {@code #} lines, needs its header and
 * record patterns and a {@code read...} method like {@link #readContention}.
 */
final class LegacyTextProfileParser extends GoTextParser {
    static final Pattern COUNT_HEADER = Pattern.compile("(\\S+) profile: total (\\d+)");
    private static final Pattern COUNT_RECORD = Pattern.compile(" *(\\d+) @((?: +0x[0-9a-fA-F]+)*) *");
    static final Pattern HEAP_HEADER = Pattern.compile(
            "heap profile: *(\\d+): *(\\d+) *\\[ *(\\d+): *(\\d+) *\\] *@ *(heap[_a-z0-9]*|growthz?|fragmentationz?)/?(\\d*).*");
    private static final Pattern HEAP_RECORD = Pattern.compile(
            " *(-?\\d+): *(-?\\d+) *\\[ *(\\d+): *(\\d+) *\\] *@((?: +0x[0-9a-fA-F]+)*) *"); // C++ pads the columns
    /** Go's {@code --- contention:} and {@code --- mutex:}, and the C++ servers' {@code --- contentionz 1 ---}. */
    static final Pattern CONTENTION_HEADER = Pattern.compile("--- (contention|mutex|contentionz)(?::? *| .*)");
    private static final Pattern CONTENTION_RECORD = Pattern.compile(" *(\\d+) +(\\d+) @((?: +0x[0-9a-fA-F]+)*) *");
    private static final Pattern MEMSTAT = Pattern.compile("# (\\w+) = (.*)");

    LegacyTextProfileParser(LineReader in, String fileName) {
        super(in, fileName);
    }

    // ---- debug=1 records shared by count, heap and contention profiles

    /** One record being read: its numbers, frames leaf first, labels. */
    private static final class Record {
        final long[] nums;
        final long line, offset;
        /** The record's {@code @} address list, for a record that has no {@code #} symbol lines. */
        String addresses = "";
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
        readRecordLines(header, expected, l -> trailer.test(l) || isMapsHeader(l), sink);
        String line = in.next();
        if (line != null && isMapsHeader(line)) readMaps();
        else if (line != null) in.pushBack();
        // Records without symbols are named by the mapping their addresses fall in, which the file gives last.
        for (Object[] p : pending) {
            Record r = (Record) p[0];
            unsymbolized(r);
            ((RecordSink) p[1]).accept(r);
        }
        pending.clear();
    }

    private static boolean isMapsHeader(String line) {
        return LegacyMemoryMap.isHeader(line);
    }

    /** The memory map section of gperftools' and C++ profiles: each executable mapping with a file becomes a profile mapping. */
    private void readMaps() throws IOException, ProfileFormatException {
        String line;
        while ((line = in.next()) != null) {
            if (in.terminated()) memoryMap.line(line);
            else incomplete(LegacyMemoryMap.cut(in.lineNumber()));
        }
    }

    private final List<Object[]> pending = new ArrayList<>();
    final LegacyMemoryMap memoryMap = new LegacyMemoryMap(b);

    private void readRecordLines(Pattern header, String expected, java.util.function.Predicate<String> trailer,
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
                cur.addresses = m.group(groups);
                continue;
            }
            throw malformed("expected " + expected + " but found " + GoText.quote(line));
        }
        // The text ends after a whole line but without the record's empty line: other writers than Go's (and files
        // edited by hand) end so; go tool pprof keeps that record, and so do we. A cut inside a line is caught above,
        // and a cut between a record's lines by the header totals where the kind has them.
        if (cur != null) finish(cur, sink);
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
        if (kept >= GoTextReader.MAX_RECORDS) {
            stopped = true;
            incomplete("Stopped after " + GoTextReader.MAX_RECORDS + " records; the rest of the file was not read");
            return;
        }
        if (r.frames.size() == 0 && !r.addresses.isBlank()) { // named once the memory map is read
            pending.add(new Object[] {r, sink});
            kept++;
            return;
        }
        if (r.framesCapped) b.warning("Some records have more than " + GoTextReader.MAX_FRAMES + " frames; the callers beyond were dropped");
        sink.accept(r);
        kept++;
    }

    /**
     * The frames of a record without symbol lines, from its addresses, named as {@code go tool pprof} names them:
     * {@code [file]} after the base name of the mapping an address falls in (the file's memory map section), else
     * function {@value #UNKNOWN_FUNCTION}; the address is kept on the frame. As in pprof's legacy parser (and the
     * {@code #} lines Go writes), each address is the return address minus one.
     */
    private void unsymbolized(Record r) {
        for (String a : r.addresses.trim().split("\\s+")) {
            if (a.isEmpty()) continue;
            long pc = GoText.parseHex(a);
            if (pc == 0) continue;
            if (r.frames.size() >= GoTextReader.MAX_FRAMES) { r.framesCapped = true; return; }
            r.frames.add(b.frame(functionAt(pc - 1), 0, -1, FrameKind.UNKNOWN, pc - 1));
        }
        if (r.framesCapped) b.warning("Some records have more than " + GoTextReader.MAX_FRAMES + " frames; the callers beyond were dropped");
        if (r.frames.size() > 0 && !warnedUnsymbolized) {
            warnedUnsymbolized = true;
            b.warning("Some records have addresses but no symbols (no '#' lines): their frames are named by their binary"
                    + " ([file]) or " + UNKNOWN_FUNCTION + ", as go tool pprof names them; the addresses are kept");
        }
    }

    private int functionAt(long pc) {
        return memoryMap.functionAt(pc);
    }

    /** Function name of an address no symbol names, as pprof prints it. */
    static final String UNKNOWN_FUNCTION = LegacyMemoryMap.UNKNOWN;
    private boolean warnedUnsymbolized;

    private void symbolLine(Record r, String line) {
        if (line.startsWith("# labels:")) {
            if (!GoText.parseLabels(line.substring("# labels:".length()), r.labelKeys, r.labelValues)) {
                b.warning("Line " + in.lineNumber() + ": could not read the labels " + GoText.quote(line) + "; ignored");
                r.labelKeys.clear();
                r.labelValues.clear();
            }
            return;
        }
        if (!line.startsWith("#\t")) return; // another comment
        String[] fields = Arrays.stream(line.split("\t")).filter(s -> !s.isEmpty()).toArray(String[]::new);
        if (fields.length < 2) return;
        long pc = GoText.parseHex(fields[1]);
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
                if (colon > 0 && GoText.isDigits(fl, colon + 1)) {
                    file = fl.substring(0, colon);
                    lineNo = GoText.sourceLine(fl.substring(colon + 1));
                } else {
                    file = fl;
                }
            }
        }
        if (r.frames.size() >= GoTextReader.MAX_FRAMES) { r.framesCapped = true; return; }
        int func = b.function(name, GoNames.packageOf(name), file);
        r.frames.add(b.frame(func, lineNo, -1, FrameKind.UNKNOWN, pc));
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

    void readCount(String header, Matcher hm) throws IOException, ProfileFormatException {
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

    void readHeap(String header, Matcher hm) throws IOException, ProfileFormatException {
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
            case "growth", "growthz", "fragmentation", "fragmentationz" -> { v2 = false; rate = 1; } // pprof: period 1
            default -> throw new ProfileFormatException(fileName, in.lineOffset(),
                    "not a Go profile: unknown heap profile kind " + GoText.quote(kind) + " on line 1");
        }
        boolean growth = !kind.startsWith("heap");
        if (growth) kindLabel = kind.endsWith("z") ? kind : kind + "z";
        boolean hasAlloc = !growth && ((!hm.group(3).equals(hm.group(1)) && !hm.group(3).equals("0"))
                || (!hm.group(4).equals(hm.group(2)) && !hm.group(4).equals("0")));
        long[] headerTotals = {number(hm.group(1)), number(hm.group(2)), number(hm.group(3)), number(hm.group(4))};
        List<ValueType> types = hasAlloc
                ? List.of(new ValueType("alloc_objects", "count"), new ValueType("alloc_space", "bytes"),
                new ValueType("inuse_objects", "count"), new ValueType("inuse_space", "bytes"))
                : List.of(new ValueType("objects", "count"), new ValueType("space", "bytes"));
        b.period(new ValueType("space", "bytes"), rate).defaultValueType(types.get(types.size() - 1));
        if (v2 && rate > 1) {
            b.comment("Values unsampled as go tool pprof does: scaled by 1/(1-exp(-avgSize/" + rate + "))");
        }
        ProfileBuilder.SampleTableBuilder t = b.sampleTable(growth ? kindLabel : "heap", types, false, false, true);
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
        if (kind.equals("heap") && memoryMap.mainFile() == null) readMemStats(); // Go's; C++ heap profiles (gperftools, heapz) have none
        else if (growth) b.producer("gperftools / C++ heap " + (kind.startsWith("growth") ? "growth" : "fragmentation") + " stacks (" + kindLabel + " text)");
        else b.producer("gperftools / C++ heap profiler (text)");
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

    void readContention(String header, Matcher hm) throws IOException, ProfileFormatException {
        kindLabel = hm.group(1);
        if (kindLabel.equals("contentionz")) b.producer("C++ contentionz profile (legacy text)");
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
                case "ms since reset" -> {
                    long ms = number(val);
                    if (ms >= 0 && ms <= Long.MAX_VALUE / 1_000_000L) b.timeSpan(0, ms * 1_000_000L);
                    else b.warning("'ms since reset = " + val + "' is out of range: the profile has no time span");
                }
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
}
