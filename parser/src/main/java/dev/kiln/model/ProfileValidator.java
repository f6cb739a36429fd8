// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks the invariants every {@link Profile} must hold, like pprof's {@code CheckValid}: string 0 empty and
 * strings unique, every index in range or -1 where allowed, stack parents before children and unique,
 * equal-length sample columns, events sorted by start with non-negative durations.
 */
public final class ProfileValidator {
    private ProfileValidator() { }

    /** Throws {@link IllegalStateException} listing the first problems found. */
    public static void check(Profile p) {
        List<String> problems = problems(p);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("invalid profile " + p.sourceName() + ": "
                    + String.join("; ", problems.subList(0, Math.min(10, problems.size()))));
        }
    }

    public static List<String> problems(Profile p) {
        List<String> out = new ArrayList<>();
        StringTable strings = p.strings();
        int ns = strings.size();
        if (ns == 0 || !strings.get(0).isEmpty()) out.add("string 0 is not empty");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ns; i++) {
            if (strings.get(i) == null) out.add("string " + i + " is null");
            else if (!seen.add(strings.get(i))) out.add("string " + i + " is a duplicate");
        }
        FunctionTable f = p.functions();
        for (int i = 0; i < f.size(); i++) {
            range(out, "function " + i + " name", f.name(i), ns, false);
            range(out, "function " + i + " container", f.container(i), ns, false);
            range(out, "function " + i + " file", f.file(i), ns, false);
        }
        FrameTable fr = p.frames();
        for (int i = 0; i < fr.size(); i++) {
            range(out, "frame " + i + " function", fr.func(i), f.size(), false);
            if (fr.line(i) < 0) out.add("frame " + i + " has negative line");
        }
        StackTable st = p.stacks();
        Set<Long> pairs = new HashSet<>();
        for (int i = 0; i < st.size(); i++) {
            range(out, "stack " + i + " frame", st.frame(i), fr.size(), false);
            if (st.parent(i) < -1 || st.parent(i) >= i) out.add("stack " + i + " parent " + st.parent(i) + " is not before it");
            if (!pairs.add(((long) (st.parent(i) + 1) << 32) | st.frame(i))) out.add("stack " + i + " is a duplicate");
        }
        ThreadTable t = p.threads();
        for (int i = 0; i < t.size(); i++) {
            range(out, "thread " + i + " name", t.name(i), ns, false);
            range(out, "thread " + i + " state", t.state(i), ns, true);
            range(out, "thread " + i + " created-by stack", t.createdByStack(i), st.size(), true);
        }
        ClassTable c = p.classes();
        for (int i = 0; i < c.size(); i++) range(out, "class " + i + " name", c.name(i), ns, false);
        LabelTable l = p.labels();
        for (int s = 0; s < l.size(); s++) {
            if (l.start(s) > l.end(s)) out.add("label set " + s + " ends before it starts");
        }
        for (int i = 0; i < l.labelCount(); i++) {
            range(out, "label " + i + " key", l.key(i), ns, false);
            range(out, "label " + i + " value", l.str(i), ns, true);
            range(out, "label " + i + " unit", l.numUnit(i), ns, true);
        }
        Set<ValueType> types = new HashSet<>();
        for (SampleTable s : p.sampleTables()) {
            for (ValueType v : s.valueTypes()) if (!types.add(v)) out.add("value type " + v + " occurs twice");
            for (int r = 0; r < s.size(); r++) {
                String row = s.name() + " row " + r;
                range(out, row + " stack", s.stack(r), st.size(), true);
                range(out, row + " thread", s.thread(r), t.size(), true);
                range(out, row + " class", s.clazz(r), c.size(), true);
                range(out, row + " label set", s.labelSet(r), l.size(), true);
                if (out.size() > 50) return out;
            }
        }
        if (p.defaultValueType() != null && !types.contains(p.defaultValueType())) {
            out.add("default value type " + p.defaultValueType() + " is not a sample value type");
        }
        EventTable e = p.events();
        for (int r = 0; r < e.size(); r++) {
            String row = "event " + r;
            if (r > 0 && e.startNanos(r) < e.startNanos(r - 1)) out.add(row + " starts before the event before it");
            if (e.durationNanos(r) < 0) out.add(row + " has negative duration");
            range(out, row + " thread", e.thread(r), t.size(), true);
            range(out, row + " stack", e.stack(r), st.size(), true);
            range(out, row + " class", e.clazz(r), c.size(), true);
            range(out, row + " other thread", e.otherThread(r), t.size(), true);
            range(out, row + " detail", e.detail(r), ns, true);
            if (out.size() > 50) return out;
        }
        for (JfrEventTable table : p.jfrEvents().tables()) {
            for (JfrField col : table.fields()) {
                String column = table.name() + "." + col.path();
                if (col.size() != table.size()) out.add(column + " has " + col.size() + " rows, its table " + table.size());
                int size = switch (col.kind()) {
                    case STRING, ARRAY -> ns;
                    case THREAD -> t.size();
                    case STACK -> st.size();
                    case CLASS -> c.size();
                    default -> -1;
                };
                for (int r = 0; size >= 0 && r < Math.min(col.size(), table.size()); r++) range(out, column + " row " + r, col.index(r), size, true);
                if (out.size() > 50) return out;
            }
        }
        return out;
    }

    private static void range(List<String> out, String what, int index, int size, boolean noneAllowed) {
        if (index >= size || index < (noneAllowed ? -1 : 0)) out.add(what + " index " + index + " out of range [0," + size + ")");
    }
}
