// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis;

import dev.kiln.model.IntList;
import dev.kiln.model.LongIntMap;
import dev.kiln.model.Profile;
import dev.kiln.model.StackTable;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The stacks of a profile after the structural parts of a {@link Filter}: frames whose function matches
 * {@code hide} removed, and directly recursive calls (a frame whose function has the same name as its
 * caller's, after hiding) folded into the outer frame. The result is a derived prefix tree with the same
 * invariants as {@link StackTable} (parent row before child, no (parent, frame) pair twice); the profile is
 * not changed. Every original stack maps to one derived stack, or to -1 when no frame is left.
 *
 * <pre>
 *   original              hide "^b$"          collapse recursion
 *   main;b;c      ->      main;c              main;r;r;x  ->  main;r;x
 *   main;b        ->      main
 * </pre>
 *
 * Derived rows are numbered in the order of the original stacks, so the same profile, hide pattern and
 * collapse flag always give the same table; analyses cache structures keyed on it (see {@link #matches}).
 * Without hide and collapse it is the identity and costs nothing.
 */
public final class StackTransform {
    private final Profile profile;
    private final Pattern hide;
    private final boolean collapseRecursion;
    private final int[] map, frame, parent;

    private StackTransform(Profile profile, Pattern hide, boolean collapseRecursion) {
        this.profile = profile;
        this.hide = hide;
        this.collapseRecursion = collapseRecursion;
        if (hide == null && !collapseRecursion) {
            map = frame = parent = null;
            return;
        }
        StackTable st = profile.stacks();
        FunctionMatcher hidden = hide == null ? null : new FunctionMatcher(profile, hide);
        map = new int[st.size()];
        IntList dFrame = new IntList(st.size()), dParent = new IntList(st.size());
        LongIntMap intern = new LongIntMap(st.size());
        for (int s = 0; s < st.size(); s++) {
            int up = st.parent(s) < 0 ? -1 : map[st.parent(s)];
            int f = st.frame(s);
            if (hidden != null && hidden.matchesFrame(f)) { map[s] = up; continue; }
            if (collapseRecursion && up >= 0 && nameOf(dFrame.get(up)) == nameOf(f)) { map[s] = up; continue; }
            // (parent + 1) in the high half keeps -1 representable; both halves are non-negative ints.
            long key = ((long) (up + 1) << 32) | f;
            int d = intern.get(key);
            if (d < 0) {
                d = dFrame.size();
                dFrame.add(f);
                dParent.add(up);
                intern.put(key, d);
            }
            map[s] = d;
        }
        frame = dFrame.toArray();
        parent = dParent.toArray();
    }

    private int nameOf(int frameIndex) { return profile.functions().name(profile.frames().func(frameIndex)); }

    public static StackTransform of(Profile profile, Filter filter) {
        return new StackTransform(profile, filter.hide(), filter.collapseRecursion());
    }

    public static StackTransform of(Profile profile, Pattern hide, boolean collapseRecursion) {
        return new StackTransform(profile, hide, collapseRecursion);
    }

    public Profile profile() { return profile; }

    /** Whether this transform is the one {@code filter} asks for on {@code p} (same hide regex and flags, same collapse). */
    public boolean matches(Profile p, Filter filter) {
        return p == profile && filter.collapseRecursion() == collapseRecursion && samePattern(hide, filter.hide());
    }

    static boolean samePattern(Pattern a, Pattern b) {
        return a == null ? b == null : b != null && a.pattern().equals(b.pattern()) && a.flags() == b.flags();
    }

    public boolean isIdentity() { return map == null; }

    /** Number of derived stacks. */
    public int size() { return map == null ? profile.stacks().size() : frame.length; }

    /** The derived stack of an original stack; -1 for -1 or when every frame was hidden. */
    public int map(int originalStack) { return map == null || originalStack < 0 ? originalStack : map[originalStack]; }

    /** Leaf frame (a profile frame row) of a derived stack. */
    public int frame(int stack) { return map == null ? profile.stacks().frame(stack) : frame[stack]; }

    /** Caller's derived stack, or -1 at a root. */
    public int parent(int stack) { return map == null ? profile.stacks().parent(stack) : parent[stack]; }

    /** Whether functions match a pattern (find), evaluated once per function row. */
    static final class FunctionMatcher {
        private final Profile profile;
        private final Pattern pattern;
        private final byte[] state; // 0 unknown, 1 no, 2 yes

        FunctionMatcher(Profile profile, Pattern pattern) {
            this.profile = profile;
            this.pattern = Objects.requireNonNull(pattern);
            this.state = new byte[profile.functions().size()];
        }

        boolean matchesFrame(int frameIndex) {
            int func = profile.frames().func(frameIndex);
            if (state[func] == 0) {
                state[func] = pattern.matcher(profile.string(profile.functions().name(func))).find() ? (byte) 2 : (byte) 1;
            }
            return state[func] == 2;
        }
    }
}
