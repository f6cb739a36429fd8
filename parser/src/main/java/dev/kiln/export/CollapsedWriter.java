// SPDX-License-Identifier: Apache-2.0
package dev.kiln.export;

import dev.kiln.analysis.tree.CallTree;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes a {@link CallTree} as collapsed stacks, the text format of flamegraph.pl, speedscope and
 * async-profiler: one line {@code root;caller;callee N} per tree row with a non-zero self weight, frames root
 * first (for an inverted tree, leaf first: the tree's own path order), in the tree's depth-first order, UTF-8.
 * The self weights of the lines sum to the tree's total minus the weight of rows without frames. The format
 * cannot carry {@code ;} or line breaks inside a frame name: {@code ;} is written as {@value #SEMICOLON}
 * and line breaks as spaces; every other character (spaces, quotes, non-ASCII) is kept as is.
 */
public final class CollapsedWriter {
    /** What a {@code ;} inside a frame name becomes. */
    public static final String SEMICOLON = ":";

    private CollapsedWriter() { }

    /** Writes {@code target} via {@link AtomicFiles}. */
    public static void write(CallTree tree, Path target) throws IOException {
        AtomicFiles.write(target, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            write(tree, w);
            w.flush();
        });
    }

    /** Writes the lines to {@code out} (not flushed or closed). */
    public static void write(CallTree tree, Appendable out) throws IOException {
        String[] path = new String[64];
        StringBuilder line = new StringBuilder();
        for (int n = 1; n < tree.size(); n++) {
            int d = tree.depth(n);
            if (d > path.length) path = Arrays.copyOf(path, d * 2);
            path[d - 1] = frameText(tree.label(n));
            if (tree.self(n) == 0) continue;
            line.setLength(0);
            for (int i = 0; i < d; i++) {
                if (i > 0) line.append(';');
                line.append(path[i]);
            }
            line.append(' ').append(tree.self(n)).append('\n');
            out.append(line);
        }
    }

    /** A frame name as the format can carry it. */
    public static String frameText(String name) {
        if (name.indexOf(';') < 0 && name.indexOf('\n') < 0 && name.indexOf('\r') < 0) return name;
        return name.replace(";", SEMICOLON).replace('\n', ' ').replace('\r', ' ');
    }
}
