// SPDX-License-Identifier: Apache-2.0
package dev.kiln.pprof;

import dev.kiln.model.Mapping;
import dev.kiln.model.ProfileBuilder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory map that legacy profiles (gperftools, C++ and Java servers' heapz, growthz, contentionz, threadz, the
 * binary CPU profile) end with, after {@code --- Memory map: ---} or {@code MAPPED_LIBRARIES:}, read line by line as
 * {@code go tool pprof} reads it, and the names it gives unsymbolized addresses.
 *
 * <p>Two line forms: {@code /proc/self/maps} ({@code start-limit perms offset dev inode [path]}) and the brief one
 * ({@code start-limit: path [(@offset)] [build id]}, optionally with permissions); a glog prefix
 * ({@code W1220 15:07:15.201776 8272 logger.cc:12033] }) is dropped, and {@code key=value} lines define
 * {@code $key} for the lines after them. Entries without {@code x} in their permissions, without a file or named
 * {@code [...]} ({@code [vdso]}, {@code [heap]}) name no frame. An address is named {@code [base name]} after the
 * mapping it falls in, or after a mapping whose offset, subtracted from its start, reaches down to it (pprof's
 * repair of a mapping split in two), else {@value #UNKNOWN}.
 */
final class LegacyMemoryMap {
    static final String UNKNOWN = "<unknown>";
    private static final Pattern LOG_PREFIX = Pattern.compile("^[^\\[\\]]+:[0-9]+]\\s");
    private static final String HEX_RANGE = "\\s*(?:0x)?([0-9a-fA-F]+)[\\s-]?\\s*(?:0x)?([0-9a-fA-F]+):?";
    private static final Pattern PROC_MAPS = Pattern.compile("^" + HEX_RANGE
            + "(?:\\s+([-rwxp]+))?(?:\\s+([0-9a-fA-F]+))?\\s+[0-9a-fA-F]+:[0-9a-fA-F]+\\s+\\d+(?:\\s+(\\S+))?.*");
    private static final Pattern BRIEF_MAPS = Pattern.compile("^" + HEX_RANGE
            + "(?:\\s+([-rwxp]+))?(?:\\s+(\\S+))?(?:\\s+\\(@([0-9a-fA-F]+)\\))?(?:\\s+([0-9a-fA-F]+))?.*");

    private final ProfileBuilder b;
    private final List<long[]> ranges = new ArrayList<>(); // start, limit, offset
    private final List<String> files = new ArrayList<>();
    private final Map<String, String> vars = new LinkedHashMap<>();
    private final Map<String, Integer> functions = new HashMap<>();
    private int unknown = -1;

    LegacyMemoryMap(ProfileBuilder b) { this.b = b; }

    /** Whether {@code line} starts a memory map section. */
    static boolean isHeader(String line) {
        return line.contains("--- Memory map: ---") || line.contains("MAPPED_LIBRARIES:");
    }

    /** The warning for a memory map whose last line has no newline: the text was cut, and that line is not read. */
    static String cut(long lineNumber) {
        return "The memory map is cut at line " + lineNumber + " (the file ends inside it): that mapping was not read,"
                + " and frames in it are " + UNKNOWN;
    }

    /** Reads one line of the section: a mapping, a {@code key=value} definition, or anything else (ignored). */
    void line(String raw) {
        Matcher lp = LOG_PREFIX.matcher(raw);
        String line = lp.find() ? raw.substring(lp.end()) : raw;
        for (Map.Entry<String, String> v : vars.entrySet()) line = line.replace(v.getKey(), v.getValue());
        String start, limit, perm, offset, file;
        Matcher m = PROC_MAPS.matcher(line);
        if (m.matches()) {
            start = m.group(1); limit = m.group(2); perm = m.group(3); offset = m.group(4); file = m.group(5);
        } else if ((m = BRIEF_MAPS.matcher(line)).matches()) {
            start = m.group(1); limit = m.group(2); perm = m.group(3); file = m.group(4); offset = m.group(5);
        } else {
            int eq = line.indexOf('=');
            if (eq > 0) vars.put("$" + line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            return;
        }
        if (perm != null && perm.indexOf('x') < 0) return; // not executable: no code there
        long s = GoText.parseHex(start), l = GoText.parseHex(limit), o = offset == null ? 0 : GoText.parseHex(offset);
        if (file == null || file.isEmpty() || Long.compareUnsigned(l, s) <= 0) return;
        if (file.startsWith("[")) return; // [vdso], [vsyscall], [heap], [stack]
        b.mapping(new Mapping(s, l, o, file, ""));
        ranges.add(new long[] {s, l, o});
        files.add(file);
    }

    /** The function that names {@code pc}: {@code [file]} of its mapping, or {@value #UNKNOWN}. */
    int functionAt(long pc) {
        for (int i = 0; i < ranges.size(); i++) {
            long[] r = ranges.get(i);
            if (Long.compareUnsigned(pc, r[0]) >= 0 && Long.compareUnsigned(pc, r[1]) < 0) return function(i);
        }
        for (int i = 0; i < ranges.size(); i++) {
            long[] r = ranges.get(i);
            if (r[2] != 0 && Long.compareUnsigned(pc, r[0] - r[2]) >= 0 && Long.compareUnsigned(pc, r[0]) < 0) return function(i);
        }
        if (unknown < 0) unknown = b.function(UNKNOWN, "", "");
        return unknown;
    }

    private int function(int mapping) {
        String file = files.get(mapping);
        String name = "[" + file.substring(file.lastIndexOf('/') + 1) + "]";
        return functions.computeIfAbsent(name, n -> b.function(n, "", ""));
    }

    /** The file of the first mapping (the main binary, as pprof takes it), or null. */
    String mainFile() { return files.isEmpty() ? null : files.get(0); }
}
