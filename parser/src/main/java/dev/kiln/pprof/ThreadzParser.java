// SPDX-License-Identifier: Apache-2.0
package dev.kiln.pprof;

import dev.kiln.model.FrameKind;
import dev.kiln.model.ProfileBuilder;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.ValueType;
import dev.kiln.pprof.GoText.LineReader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a threadz profile, the thread dump of a C++ server that {@code go tool pprof} reads
 * ({@code parseThread} in {@code legacy_profile.go}): an optional {@code --- threadz N ---} line, then per thread
 * {@code --- Thread <hex id> (name: <name>/<tid>) stack: ---} and lines of addresses (every {@code 0x...} on them,
 * the {@code creator:} stack included, as pprof reads them; symbol text beside them is ignored), or
 * {@code [same as previous thread]}, then the memory map ({@link LegacyMemoryMap}).
 *
 * <p>Guarantees, as pprof reads it: value type {@code thread/count}; a sample per distinct stack run, counting the
 * threads that follow it with {@code same as previous thread}; every address but the leaf is a return address
 * minus one, and a second frame equal to the leaf is dropped; frames are named by their mapping's file. A thread
 * header cut by the end of the text, or a stack line without its newline, is dropped and the profile flagged
 * incomplete; a line that is neither a thread header nor the memory map where one is expected is a format error.
 */
final class ThreadzParser extends GoTextParser {
    static final Pattern THREADZ_HEADER = Pattern.compile("--- threadz \\d+ ---\\s*");
    static final Pattern THREAD_HEADER = Pattern.compile("--- Thread ([0-9a-fA-F]+) \\(name: (.*)/(\\d+)\\) stack: ---\\s*");
    private static final Pattern HEX = Pattern.compile("0x[0-9a-fA-F]+");
    static final String PRODUCER = "threadz (C++ thread stacks, legacy text)";

    ThreadzParser(LineReader in, String fileName) {
        super(in, fileName);
        kindLabel = "threadz";
        b.producer(PRODUCER);
    }

    void read(String first) throws IOException, ProfileFormatException {
        b.comment(first.trim());
        ValueType vt = new ValueType("thread", "count");
        b.period(vt, 1).defaultValueType(vt);
        ProfileBuilder.SampleTableBuilder t = b.sampleTable("thread", List.of(vt), false, false, false);
        List<long[]> stacks = new ArrayList<>();
        List<long[]> counts = new ArrayList<>();
        LegacyMemoryMap map = new LegacyMemoryMap(b);
        String line = first;
        if (THREADZ_HEADER.matcher(first).matches()) {
            while ((line = in.next()) != null && !LegacyMemoryMap.isHeader(line) && !line.startsWith("-")) { }
        }
        while (line != null && !LegacyMemoryMap.isHeader(line)) {
            if (line.startsWith("---- no stack trace for")) { line = null; break; }
            if (!in.terminated()) { incomplete("Incomplete threadz profile: the text ends inside line " + in.lineNumber()); line = null; break; }
            if (!THREAD_HEADER.matcher(line.trim()).matches()) {
                throw malformed("expected '--- Thread <id> (name: <name>/<tid>) stack: ---' but found " + GoText.quote(line));
            }
            List<Long> addrs = new ArrayList<>();
            boolean same = false, cut = false;
            while ((line = in.next()) != null) {
                String l = line.trim();
                if (l.startsWith("---")) break;
                if (!in.terminated()) { cut = true; line = null; break; }
                if (l.contains("same as previous thread")) { same = true; continue; }
                Matcher m = HEX.matcher(l);
                while (m.find()) {
                    String h = m.group();
                    if (h.length() > 18) throw malformed("address " + GoText.quote(h) + " does not fit 64 bits");
                    if (addrs.size() < GoTextReader.MAX_FRAMES) addrs.add(GoText.parseHex(h));
                }
            }
            if (cut) {
                incomplete("Incomplete threadz profile: the text ends inside line " + in.lineNumber()
                        + "; that thread was dropped, the " + kept + " threads before it were kept");
                break;
            }
            if (same || addrs.isEmpty()) {
                if (!counts.isEmpty()) counts.get(counts.size() - 1)[0]++;
                kept++;
                continue;
            }
            long[] s = new long[addrs.size()];
            for (int i = 0; i < s.length; i++) s[i] = addrs.get(i) - (i > 0 ? 1 : 0); // return addresses land on the call
            if (s.length > 1 && s[0] == s[1] + 1) { // the leaf twice: from the signal context and from unwinding
                long[] shorter = new long[s.length - 1];
                shorter[0] = s[0];
                System.arraycopy(s, 2, shorter, 1, s.length - 2);
                s = shorter;
            }
            stacks.add(s);
            counts.add(new long[] {1});
            kept++;
        }
        if (line != null && LegacyMemoryMap.isHeader(line)) {
            while ((line = in.next()) != null) {
                if (in.terminated()) map.line(line);
                else incomplete(LegacyMemoryMap.cut(in.lineNumber()));
            }
        }
        int[] frames = new int[GoTextReader.MAX_FRAMES];
        for (int i = 0; i < stacks.size(); i++) {
            long[] s = stacks.get(i);
            for (int f = 0; f < s.length; f++) frames[f] = b.frame(map.functionAt(s[f]), 0, -1, FrameKind.UNKNOWN, s[f]);
            t.add(b.stackOfLeafFirst(frames, s.length), -1, 0, -1, -1, new long[] {counts.get(i)[0]});
        }
    }
}
