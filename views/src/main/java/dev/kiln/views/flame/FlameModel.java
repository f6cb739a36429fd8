// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.flame;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.Weight;
import dev.kiln.analysis.tree.CallTree;
import dev.kiln.analysis.tree.FlameLayout;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.FrameKind;
import dev.kiln.model.FrameTable;
import dev.kiln.model.Profile;

import java.util.HashMap;
import java.util.Map;

/**
 * Everything the flame graph draws from, computed off the FX thread and handed over once: the call tree, its
 * layout and the {@link FrameKind} ordinal of each function key (the first non-UNKNOWN kind of any frame with
 * that name; UNKNOWN for formats without kinds). Immutable.
 */
public record FlameModel(CallTree tree, FlameLayout layout, byte[] funcKind) {
    /** Builds the tree of {@code weight} under {@code filter} and its layout; honours cancellation. */
    public static FlameModel compute(Profile profile, Weight weight, Filter filter, CallTree.Options options,
                                     ProgressSink progress) {
        return of(CallTree.build(profile, weight, filter, options, progress));
    }

    /** The model of a prebuilt tree. */
    public static FlameModel of(CallTree tree) {
        return new FlameModel(tree, FlameLayout.of(tree), funcKinds(tree));
    }

    private static byte[] funcKinds(CallTree tree) {
        Profile p = tree.profile();
        FrameTable frames = p.frames();
        Map<String, FrameKind> byName = new HashMap<>();
        boolean fold = tree.options().mergeLambdas();
        for (int f = 0; f < frames.size(); f++) {
            FrameKind k = frames.kind(f);
            if (k == FrameKind.UNKNOWN) continue;
            String name = p.frameName(f);
            byName.putIfAbsent(fold ? CallTree.foldLambdaName(name) : name, k);
        }
        byte[] out = new byte[tree.funcCount()];
        if (byName.isEmpty()) return out;
        for (int k = 0; k < out.length; k++) out[k] = (byte) byName.getOrDefault(tree.funcName(k), FrameKind.UNKNOWN).ordinal();
        return out;
    }
}
