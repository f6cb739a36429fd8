// SPDX-License-Identifier: Apache-2.0
package dev.kiln.jfr;

import dev.kiln.jfr.JfrMetadata.Element;
import dev.kiln.jfr.JfrMetadata.Field;
import dev.kiln.jfr.JfrMetadata.Type;
import dev.kiln.model.FrameKind;
import dev.kiln.model.LongIntMap;
import dev.kiln.model.ProfileFormatException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.kiln.jfr.JfrStreamReader.binaryName;

/**
 * The second layer of a chunk ({@link Chunk}): what its metadata and constant pools say. {@link #readMetadata} parses
 * the metadata event (or takes the load's last one when its bytes are the same, {@link JfrMetadata.Seen}) and notes
 * the types the reader looks into and how a stack frame is laid out; {@link #indexPools} indexes every entry of the
 * chunk's constant pools as key → offset without decoding it (and, for {@link SeenStacks}, where each stack entry
 * ends). An entry is decoded when something asks for it: the lookups by key leave {@link #pos} where it was, answer
 * null for a key not in its pool (-1 for {@link #offset}, {@link FrameKind#UNKNOWN} for a frame type), and keep the
 * class names, symbols and frame kinds they decoded. A string may refer to the string pool, so strings are read here
 * ({@link #string}).
 */
abstract sealed class ChunkPools extends ChunkInput permits ChunkStacks {
    JfrMetadata meta;
    final List<Integer> checkpoints = new ArrayList<>();
    /** Per pool type: key → offset of the entry. */
    final Map<Type, LongIntMap> pools = new java.util.IdentityHashMap<>();
    /** The stack-frame type's fields, and what each is: 1 method, 2 line, 3 bci, 4 frame type, 0 other. */
    Field[] frameFields = new Field[0];
    int[] frameRoles = new int[0];
    /** Whether each stack-frame field is a plain variable-length integer (a key, an int or a long): so JDK 11+ writes them all. */
    boolean[] frameVarints = new boolean[0];
    /** The metadata of the load's chunks so far, shared: most chunks of a recording repeat it byte for byte. */
    JfrMetadata.Seen seen = new JfrMetadata.Seen();
    /** The stacks of the load's chunks so far, shared; null to decode every stack. */
    SeenStacks seenStacks;
    /** Stack key → where its pool entry ends, when {@link #seenStacks} is used. */
    LongIntMap stackEnds = new LongIntMap();
    Type stringType, threadType, stackType, frameType, methodType, classType, symbolType, frameKindType;
    /** Frame-type key → {@link FrameKind} ordinal. */
    final LongIntMap kinds = new LongIntMap();
    final Map<Long, String> classNames = new HashMap<>(), symbols = new HashMap<>();

    ChunkPools(String file, int index, int chunkCount, long fileOffset, byte[] data, int size) {
        super(file, index, chunkCount, fileOffset, data, size);
    }

    /** Indexes every constant-pool entry as key → offset. */
    final void indexPools() throws ProfileFormatException {
        try {
            for (int at : checkpoints) readCheckpoint(at);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw damaged("the recording is damaged: a constant pool is broken (" + e.getMessage() + ")", e);
        }
    }

    // ---- constant pool entries, each decoded once into the chunk's tables ----

    final int offset(Type type, long key) {
        if (type == null) return -1;
        LongIntMap pool = pools.get(type);
        return pool == null ? -1 : pool.get(key);
    }

    /** A class's name in Java's binary form ("java.lang.String", "byte[]"), or null when the key is unknown. */
    final String className(long key) {
        if (key == Long.MIN_VALUE) return null;
        if (classNames.containsKey(key)) return classNames.get(key);
        int at = offset(classType, key);
        String name = null;
        if (at >= 0) {
            int saved = pos;
            pos = at;
            long nameKey = Long.MIN_VALUE;
            for (Field f : classType.fields) {
                if (!f.array && f.name.equals("name") && f.constantPool) nameKey = number(f);
                else skip(f, 0);
            }
            pos = saved;
            String internal = symbol(nameKey);
            name = internal == null ? null : binaryName(internal);
        }
        classNames.put(key, name);
        return name;
    }

    final String symbol(long key) {
        if (key == Long.MIN_VALUE) return null;
        if (symbols.containsKey(key)) return symbols.get(key);
        String s = poolText(symbolType, key, 0);
        symbols.put(key, s);
        return s;
    }

    final FrameKind frameKind(long key) {
        if (key == Long.MIN_VALUE) return FrameKind.UNKNOWN;
        int cached = kinds.get(key);
        return cached != -1 ? FrameKind.of(cached) : lookUpFrameKind(key);
    }

    /** The frame type with this key, as {@link #frameKind}, looked up in the pool and kept. */
    final FrameKind lookUpFrameKind(long key) {
        String d = poolText(frameKindType, key, 0);
        FrameKind k = d == null ? FrameKind.UNKNOWN : switch (d) {
            case "Interpreted" -> FrameKind.INTERPRETED;
            case "JIT compiled" -> FrameKind.JIT;
            case "Inlined" -> FrameKind.INLINED;
            case "Native" -> FrameKind.NATIVE;
            case "Kernel" -> FrameKind.KERNEL;
            case "C++" -> FrameKind.CPP;
            default -> FrameKind.UNKNOWN;
        };
        kinds.put(key, k.ordinal());
        return k;
    }

    /**
     * A constant-pool entry as text: a string, or a type with one field (a symbol, a GC name) as that field's
     * text; null for anything else or a key that is not in the pool.
     */
    final String poolText(Type type, long key, int depth) {
        if (type != null && type.encoding == JfrMetadata.STRING) return pooledString(type, key);
        int at = offset(type, key);
        if (at < 0 || depth > MAX_NESTING) return null;
        int saved = pos;
        pos = at;
        try {
            if (type.fields.size() != 1) return null;
            Field f = type.fields.get(0);
            if (f.array) return null;
            if (f.constantPool) return poolText(f.type, number(f), depth + 1);
            if (f.type.encoding == JfrMetadata.STRING) return string();
            return f.type.encoding == JfrMetadata.STRUCT ? null : String.valueOf(number(f));
        } finally {
            pos = saved;
        }
    }

    final String stringField(Field f) {
        if (f.array) { skip(f, 0); return null; }
        if (f.constantPool) return poolText(f.type, number(f), 0);
        if (f.type.encoding == JfrMetadata.STRING) return string();
        skip(f, 0);
        return null;
    }

    // ---- metadata and checkpoints ----

    final JfrMetadata readMetadata() {
        int start = pos;
        long length = varlong();
        if (length <= 0 || length > size - start) throw new IllegalArgumentException("the metadata event has an impossible size");
        int end = start + (int) length;
        if (varlong() != 0) throw new IllegalArgumentException("the metadata offset does not point at the metadata");
        varlong(); // start time
        varlong(); // duration
        varlong(); // metadata id
        int body = pos;
        JfrMetadata meta = seen.get(data, body, end);
        if (meta == null) {
            long count = varlong();
            if (count < 0 || count > end - pos) throw new IllegalArgumentException("the metadata declares " + count + " strings");
            String[] strings = new String[(int) count];
            for (int i = 0; i < strings.length; i++) strings[i] = string();
            Element root = element(strings, end, 0);
            if (pos != end) throw new IllegalArgumentException("the metadata event does not end where its size says");
            meta = JfrMetadata.of(root);
            seen.put(data, body, end, meta);
        }
        pos = end;
        for (Type t : meta.types.values()) {
            switch (t.name) {
                case "java.lang.String" -> stringType = t;
                case "java.lang.Thread" -> threadType = t;
                case "jdk.types.StackTrace" -> stackType = t;
                case "jdk.types.StackFrame" -> {
                    frameType = t;
                    frameFields = t.fields.toArray(new Field[0]);
                    frameRoles = new int[frameFields.length];
                    frameVarints = new boolean[frameFields.length];
                    for (int j = 0; j < frameFields.length; j++) {
                        Field f = frameFields[j];
                        int enc = f.type.encoding;
                        frameVarints[j] = compressed && !f.array && f.timespan == 0
                                && (f.constantPool || enc == JfrMetadata.INT || enc == JfrMetadata.LONG);
                        frameRoles[j] = f.array ? 0 : switch (f.name) {
                            case "method" -> 1;
                            case "lineNumber" -> 2;
                            case "bytecodeIndex" -> 3;
                            case "type" -> 4;
                            default -> 0;
                        };
                    }
                }
                case "jdk.types.Method" -> methodType = t;
                case "java.lang.Class" -> classType = t;
                case "jdk.types.Symbol" -> symbolType = t;
                case "jdk.types.FrameType" -> frameKindType = t;
                default -> { }
            }
        }
        return meta;
    }

    private Element element(String[] strings, int end, int depth) {
        if (depth > 32) throw new IllegalArgumentException("the metadata nests too deep");
        String name = indexed(strings);
        long attributes = varlong();
        if (attributes < 0 || attributes > end - pos) throw new IllegalArgumentException("an element with " + attributes + " attributes");
        Map<String, String> attrs = new HashMap<>();
        for (long i = 0; i < attributes; i++) attrs.put(indexed(strings), indexed(strings));
        long children = varlong();
        if (children < 0 || children > end - pos) throw new IllegalArgumentException("an element with " + children + " children");
        List<Element> list = new ArrayList<>((int) children);
        for (long i = 0; i < children; i++) list.add(element(strings, end, depth + 1));
        return new Element(name, attrs, list);
    }

    private String indexed(String[] strings) {
        long i = varlong();
        if (i < 0 || i >= strings.length) throw new IllegalArgumentException("a metadata string index out of range");
        return strings[(int) i];
    }

    private void readCheckpoint(int at) {
        pos = at;
        long size = varlong();
        int end = at + (int) size;
        varlong(); // type 1
        varlong(); // start
        varlong(); // duration
        varlong(); // delta to the previous checkpoint
        pos++;     // flush flag / type mask
        long poolCount = varlong();
        if (poolCount < 0 || poolCount > end - pos) throw new IllegalArgumentException("a checkpoint with " + poolCount + " pools");
        for (long p = 0; p < poolCount; p++) {
            long typeId = varlong();
            Type t = meta.types.get(typeId);
            if (t == null) throw new IllegalArgumentException("a constant pool of undeclared type " + typeId);
            long count = varlong();
            if (count < 0 || count > end - pos) throw new IllegalArgumentException("a pool of " + count + " entries");
            LongIntMap pool = pools.get(t);
            if (pool == null) pools.put(t, pool = new LongIntMap((int) Math.min(count * 2, 1 << 20)));
            if (count == 0) continue;
            int[] program = skipProgram(t);
            LongIntMap ends = t == stackType && seenStacks != null ? stackEnds : null;
            for (long e = 0; e < count; e++) {
                long key = varlong();
                pool.put(key, pos);
                run(program, 0, program.length);
                if (ends != null) ends.put(key, pos);
            }
        }
        if (pos != end) throw new IllegalArgumentException("a checkpoint does not end where its size says");
    }

    // ---- strings, which may refer to the string pool ----

    final String string() {
        byte encoding = data[pos++];
        return switch (encoding) {
            case 0 -> null;
            case 1 -> "";
            case 2 -> pooledString(stringType, varlong());
            default -> inlineString(encoding);
        };
    }

    /**
     * The string pool's entry with this key; null when the pool has none. An entry is a string written out: one
     * that refers to the pool again is damaged. (Not read through {@link #string}: the two calling each other
     * made the JIT inline string into itself, one of the largest methods it compiled in a load.)
     */
    private String pooledString(Type type, long key) {
        int at = offset(type, key);
        if (at < 0) return null;
        int saved = pos;
        pos = at;
        try {
            byte encoding = data[pos++];
            return switch (encoding) {
                case 0 -> null;
                case 1 -> "";
                case 2 -> throw new IllegalArgumentException("a string pool entry refers to the string pool");
                default -> inlineString(encoding);
            };
        } finally {
            pos = saved;
        }
    }
}
