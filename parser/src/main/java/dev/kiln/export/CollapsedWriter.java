// SPDX-License-Identifier: Apache-2.0
package dev.kiln.export;

import dev.kiln.analysis.tree.CallTree;

import java.io.IOException;
import java.io.OutputStream;
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
        AtomicFiles.write(target, out -> write(tree, out));
    }

    /**
     * Writes the lines to {@code out} (not closed). Each frame name is encoded once; a line is its parent's path
     * bytes plus its own, so writing costs little more than copying the output.
     */
    public static void write(CallTree tree, OutputStream out) throws IOException {
        byte[][] names = new byte[tree.funcCount()][];
        int[] pathEnd = new int[64];
        byte[] path = new byte[1 << 12];
        byte[] buf = new byte[1 << 16];
        int used = 0;
        for (int n = 1; n < tree.size(); n++) {
            int d = tree.depth(n), f = tree.func(n);
            if (d >= pathEnd.length) pathEnd = Arrays.copyOf(pathEnd, d * 2);
            byte[] name = names[f];
            if (name == null) name = names[f] = frameText(tree.label(n)).getBytes(StandardCharsets.UTF_8);
            int at = d == 1 ? 0 : pathEnd[d - 1] + 1;
            if (path.length < at + name.length) path = Arrays.copyOf(path, Math.max(path.length * 2, at + name.length));
            if (d > 1) path[at - 1] = ';';
            System.arraycopy(name, 0, path, at, name.length);
            pathEnd[d] = at + name.length;
            if (tree.self(n) == 0) continue;
            byte[] count = Long.toString(tree.self(n)).getBytes(StandardCharsets.US_ASCII);
            int len = pathEnd[d] + 1 + count.length + 1;
            if (used + len > buf.length) {
                out.write(buf, 0, used);
                used = 0;
                if (len > buf.length) buf = new byte[len];
            }
            System.arraycopy(path, 0, buf, used, pathEnd[d]);
            used += pathEnd[d];
            buf[used++] = ' ';
            System.arraycopy(count, 0, buf, used, count.length);
            used += count.length;
            buf[used++] = '\n';
        }
        out.write(buf, 0, used);
        out.flush();
    }

    /** A frame name as the format can carry it. */
    public static String frameText(String name) {
        if (name.indexOf(';') < 0 && name.indexOf('\n') < 0 && name.indexOf('\r') < 0) return name;
        return name.replace(";", SEMICOLON).replace('\n', ' ').replace('\r', ' ');
    }
}
