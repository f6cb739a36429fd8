// SPDX-License-Identifier: Apache-2.0
package dev.kiln.jfr;

import dev.kiln.jfr.JfrMetadata.Field;
import dev.kiln.model.FrameKind;
import dev.kiln.model.IntList;
import dev.kiln.model.LongIntMap;
import dev.kiln.model.LongList;

import static dev.kiln.jfr.JfrStreamReader.hashOf;

/**
 * The third layer of a chunk ({@link Chunk}): the threads, classes, methods and stacks its events refer to. Decoding
 * the events numbers each thread, stack and class key on first sight, and decoding a stack's frames each method key
 * ({@link Numbering}); afterwards the worker decodes each numbered entry once into the arrays here
 * ({@code resolve…}), taking a stack that an earlier chunk of the same JVM run held from {@link #seenStacks} instead of
 * decoding it. On the loading thread, {@link #internStacks} adds the chunk's functions, frames and stacks to the model
 * and its decoded stacks to {@link #seenStacks}. An entry that cannot be decoded is counted in {@link #damagedEntries}
 * and does not fail the chunk: its events show no thread, class or stack for it, and a frame of a damaged method is
 * named {@code <unknown>}.
 */
abstract sealed class ChunkStacks extends ChunkPools permits Chunk {
    final JfrModel m;
    /** Which run of which JVM wrote the chunk, with the layout of its stacks (see {@link Chunk#jvmRun}); null when it does not say. */
    String run;
    /** The keys of the threads, stacks, classes and methods the events refer to, in order of first sight. */
    final Numbering threads = new Numbering(), stacks = new Numbering(), classes = new Numbering(), methods = new Numbering();
    final LongList threadKeys = threads.keys, stackKeys = stacks.keys, classKeys = classes.keys, methodKeys = methods.keys;

    // what the entries decode to, by number
    long[] threadJavaIds;
    String[] threadNames, classNameList, functionNames, functionContainers;
    /** Per stack: where it starts in {@link #stackData} (-1: not in the pool), which holds whether it is truncated, the frame count, then method number, line, bci, kind per frame. */
    int[] stackAt;
    /** Per stack: the model's stack when {@link #seenStacks} held it (it is not decoded then), else {@link SeenStacks#MISS}; and whether it is truncated. */
    int[] stackHit;
    boolean[] hitTruncated;
    /** The stacks decoded for want of a hit, for {@link #seenStacks}: their entries' bytes one after another, where each ends, their hashes and numbers. */
    byte[] missedBytes;
    int[] missedEnds, missedStacks;
    long[] missedHash;
    final IntList stackData = new IntList();
    int unknownMethod = -1, damagedEntries;

    ChunkStacks(JfrModel m, String file, int index, int chunkCount, long fileOffset, byte[] data, int size) {
        super(file, index, chunkCount, fileOffset, data, size);
        this.m = m;
    }

    // ---- the entries the events refer to, each decoded once ----

    final void resolveThreads() {
        int n = threadKeys.size();
        threadJavaIds = new long[n];
        threadNames = new String[n];
        for (int i = 0; i < n; i++) {
            threadJavaIds[i] = Long.MIN_VALUE;
            int at = offset(threadType, threadKeys.get(i));
            if (at < 0) continue;
            pos = at;
            String osName = null, javaName = null;
            long javaId = 0;
            try {
                for (Field f : threadType.fields) {
                    switch (f.name) {
                        case "osName" -> osName = stringField(f);
                        case "javaName" -> javaName = stringField(f);
                        case "javaThreadId" -> javaId = number(f);
                        default -> skip(f, 0);
                    }
                }
            } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                damagedEntries++;
                continue;
            }
            threadJavaIds[i] = javaId;
            threadNames[i] = javaName != null ? javaName : osName;
        }
    }

    final void resolveClasses() {
        int n = classKeys.size();
        classNameList = new String[n];
        for (int i = 0; i < n; i++) {
            try {
                classNameList[i] = className(classKeys.get(i));
            } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                damagedEntries++;
            }
        }
    }

    final void resolveStacks() {
        // Every frame type in the pool is looked up first. In the frame loop, a type's first sight would take a
        // branch the JIT had not seen taken, and that throws the compiled loop away, once per chunk.
        LongIntMap kindPool = frameKindType == null ? null : pools.get(frameKindType);
        if (kindPool != null) {
            for (long key : kindPool.keys()) {
                try {
                    lookUpFrameKind(key);
                } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                    // a damaged entry: the frames that use it count it below
                }
            }
        }
        int n = stackKeys.size();
        stackAt = new int[n];
        stackHit = new int[n];
        hitTruncated = new boolean[n];
        // A stack whose entry has the bytes of one an earlier chunk of the same JVM run added is that stack: its
        // frames are not decoded again. Those decoded keep their bytes for the loading thread to add once the
        // model has them. On the 120 MB benchmark recording chunks 2-10 find 10% (the second) to 85% (the last) of
        // their stacks, half of all, and a load takes 0.07 s less (docs/PERFORMANCE.md).
        boolean cached = seenStacks != null && run != null;
        int[] from = new int[n], to = new int[n];
        long[] hash = new long[n];
        if (cached) {
            for (int i = 0; i < n; i++) {
                long key = stackKeys.get(i);
                from[i] = offset(stackType, key);
                if (from[i] < 0) continue;
                to[i] = stackEnds.get(key);
                if (to[i] < from[i]) from[i] = -1;
                else hash[i] = hashOf(data, from[i], to[i]);
            }
            seenStacks.lookUp(run, data, from, to, hash, n, stackHit, hitTruncated);
        } else {
            java.util.Arrays.fill(stackHit, SeenStacks.MISS);
        }
        IntList missEnds = new IntList(), missed = new IntList();
        LongList missHash = new LongList();
        java.io.ByteArrayOutputStream missBytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            stackAt[i] = -1;
            if (stackHit[i] != SeenStacks.MISS) continue;
            int at = offset(stackType, stackKeys.get(i));
            if (at < 0) continue;
            pos = at;
            int mark = stackData.size();
            stackData.add(0);
            stackData.add(0);
            try {
                for (Field f : stackType.fields) {
                    if (f.name.equals("truncated") && !f.array) stackData.set(mark, number(f) != 0 ? 1 : 0);
                    else if (f.name.equals("frames") && f.array && !f.constantPool && f.type == frameType) stackData.set(mark + 1, frames());
                    else skip(f, 0);
                }
            } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                stackData.truncate(mark);
                damagedEntries++;
                continue;
            }
            stackAt[i] = mark;
            if (cached) {
                missBytes.write(data, from[i], to[i] - from[i]);
                missEnds.add(missBytes.size());
                missHash.add(hash[i]);
                missed.add(i);
            }
        }
        missedBytes = missBytes.toByteArray();
        missedEnds = missEnds.toArray();
        missedHash = missHash.toArray();
        missedStacks = missed.toArray();
    }

    /** Reads an array of inline stack frames onto {@link #stackData}, each method numbered; returns how many. */
    private int frames() {
        long count = varlong();
        if (count < 0 || count > size - pos) throw new IllegalArgumentException("a stack of " + count + " frames");
        int n = (int) count;
        Field[] fields = frameFields;
        int[] roles = frameRoles;
        boolean[] varints = frameVarints;
        IntList out = stackData;
        for (int i = 0; i < n; i++) {
            long method = Long.MIN_VALUE, kind = Long.MIN_VALUE;
            int line = 0, bci = -1;
            for (int j = 0; j < fields.length; j++) {
                int role = roles[j];
                long v;
                if (varints[j]) {
                    v = varlong();
                } else if (role != 0) {
                    v = number(fields[j]);
                } else {
                    skip(fields[j], 0);
                    continue;
                }
                switch (role) {
                    case 1 -> method = v;
                    case 2 -> line = (int) v;
                    case 3 -> bci = (int) v;
                    case 4 -> kind = v;
                    default -> { }
                }
            }
            out.add(methods.ofLarge(method) - 1);
            out.add(Math.max(line, 0));
            out.add(bci);
            out.add(frameKind(kind).ordinal());
        }
        return n;
    }

    /** Each method's class and name; a frame without a method refers to one named "<unknown>". */
    final void resolveMethods() {
        int n = methodKeys.size();
        functionNames = new String[n + 1];
        functionContainers = new String[n + 1];
        functionNames[n] = "<unknown>";
        functionContainers[n] = "";
        unknownMethod = n;
        for (int i = 0; i < n; i++) {
            int at = offset(methodType, methodKeys.get(i));
            String container = "", name = null;
            if (at >= 0) {
                pos = at;
                try {
                    long type = Long.MIN_VALUE, nameKey = Long.MIN_VALUE;
                    for (Field f : methodType.fields) {
                        if (f.array) skip(f, 0);
                        else if (f.name.equals("type")) type = number(f);
                        else if (f.name.equals("name")) nameKey = f.constantPool ? number(f) : Long.MIN_VALUE;
                        else skip(f, 0);
                    }
                    String c = className(type);
                    container = c == null ? "" : c;
                    name = symbol(nameKey);
                } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                    damagedEntries++;
                }
            }
            functionContainers[i] = container;
            functionNames[i] = name == null ? "<unknown>" : name;
        }
    }

    /** The chunk's stacks in the builder, by number + 1 (index 0: none). */
    final int[] internStacks() {
        int[] functionIndex = new int[functionNames.length];
        for (int i = 0; i < functionIndex.length; i++) {
            String container = functionContainers[i], name = functionNames[i];
            functionIndex[i] = m.b.function(container.isEmpty() ? name : container + "." + name, container, "");
        }
        int[] stackIndex = new int[stackAt.length + 1];
        stackIndex[0] = -1;
        int[] frames = new int[64];
        FrameKind[] frameKinds = FrameKind.values();
        for (int s = 0; s < stackAt.length; s++) {
            if (stackHit[s] != SeenStacks.MISS) {
                stackIndex[s + 1] = stackHit[s];
                if (hitTruncated[s]) m.truncatedStacks++;
                continue;
            }
            int at = stackAt[s];
            if (at < 0) {
                stackIndex[s + 1] = -1;
                continue;
            }
            if (stackData.get(at) != 0) m.truncatedStacks++;
            int n = stackData.get(at + 1);
            if (frames.length < n) frames = new int[Math.max(n, frames.length * 2)];
            for (int i = 0, f = at + 2; i < n; i++, f += 4) {
                int method = stackData.get(f);
                frames[i] = m.b.frame(functionIndex[method < 0 ? unknownMethod : method], stackData.get(f + 1), stackData.get(f + 2),
                        frameKinds[stackData.get(f + 3)], 0);
            }
            stackIndex[s + 1] = m.b.stackOfLeafFirst(frames, n);
        }
        if (seenStacks != null && missedStacks.length > 0) {
            int k = missedStacks.length;
            int[] model = new int[k];
            boolean[] truncated = new boolean[k];
            for (int j = 0; j < k; j++) {
                model[j] = stackIndex[missedStacks[j] + 1];
                truncated[j] = stackData.get(stackAt[missedStacks[j]]) != 0;
            }
            seenStacks.add(run, missedBytes, missedEnds, missedHash, model, truncated, k);
        }
        return stackIndex;
    }
}
