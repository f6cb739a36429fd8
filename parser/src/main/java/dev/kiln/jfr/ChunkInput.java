// SPDX-License-Identifier: Apache-2.0
package dev.kiln.jfr;

import dev.kiln.jfr.JfrMetadata.Field;
import dev.kiln.jfr.JfrMetadata.Type;
import dev.kiln.model.IntList;
import dev.kiln.model.ProfileFormatException;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static dev.kiln.jfr.JfrStreamReader.LITTLE_ENDIAN_LONG;

/**
 * The first layer of a chunk ({@link Chunk}): the chunk's bytes, a position in them, and the values JFR writes there,
 * read or stepped over: variable-length and fixed-size integers, a field's number by its type, strings written out,
 * times by the chunk's clock, and whole values by their type's skip program. What the metadata and the constant pools
 * say is {@link ChunkPools}'s.
 * <p>
 * A read starts at {@link #pos} and leaves it after what was read. Damaged bytes make a read throw
 * {@link IndexOutOfBoundsException} or {@link IllegalArgumentException}, which the callers report or count as a
 * damaged chunk, event or entry. {@link #data} holds {@link JfrStreamReader#PADDING} bytes after the chunk, so that an
 * integer can be read 8 bytes at a time.
 * <p>
 * A chunk is one object of this class and the three after it ({@link ChunkPools}, {@link ChunkStacks}, {@link Chunk}),
 * not parts that refer to each other, so that the decoding loops read {@code pos} and {@code data} as fields of
 * {@code this}, with nothing in between. The chain is sealed and its methods are private or final: every call binds
 * statically, as when the chunk was one class, and the JIT inlines as it did. A chunk is used by one thread at a time
 * (its worker, then the loading thread).
 */
abstract sealed class ChunkInput permits ChunkPools {
    static final int MAX_NESTING = 16;
    static final long NANOS_PER_SECOND = 1_000_000_000L;

    final String file;
    final int index, chunkCount;
    final long fileOffset;
    /** The chunk's bytes, until its events are decoded, followed by at least {@link JfrStreamReader#PADDING} more; {@code size} is the chunk's own. */
    byte[] data;
    final int size;
    /** What the chunk header says ({@link Chunk#scan}): whether integers are compressed, and the clock of the events' ticks. */
    boolean compressed;
    long startNanos, startTicks, ticksPerSecond;
    double ticksPerNano;
    /** Where the next read starts. */
    int pos;

    ChunkInput(String file, int index, int chunkCount, long fileOffset, byte[] data, int size) {
        this.file = file;
        this.index = index;
        this.chunkCount = chunkCount;
        this.fileOffset = fileOffset;
        this.data = data;
        this.size = size;
    }

    final ProfileFormatException damaged(String why) { return damaged(why, null); }

    final ProfileFormatException damaged(String why, Throwable cause) {
        return new ProfileFormatException(file, fileOffset + pos, (chunkCount > 1 ? "chunk " + (index + 1) + ": " : "") + why, cause);
    }

    // ---- time ----

    final long epoch(long ticks) {
        if (ticksPerSecond == NANOS_PER_SECOND) return startNanos + (ticks - startTicks);
        return startNanos + (long) ((ticks - startTicks) / ticksPerNano);
    }

    private long timespan(long value, long unit) {
        if (unit == JfrMetadata.TICKS) return ticksPerSecond == NANOS_PER_SECOND ? value : (long) (value / ticksPerNano);
        if (value == Long.MIN_VALUE || value == Long.MAX_VALUE) return value;
        return value * unit;
    }

    // ---- stepping over pool entries ----

    // A skip program is a type's fields flattened into steps; an array step is followed by the length of the
    // element's steps, then those steps. One small loop runs them (the JIT compiles it quickly, where a walk
    // through the metadata recursed through three methods).
    private static final int K_VAR = 0, K_BYTE = 1, K_2 = 2, K_4 = 3, K_8 = 4, K_STRING = 5, K_ARRAY = 6;
    final Map<Type, int[]> skipPrograms = new HashMap<>();

    final int[] skipProgram(Type t) {
        int[] p = skipPrograms.get(t);
        if (p == null) {
            IntList out = new IntList();
            compileValue(t, out, 0);
            p = out.toArray();
            skipPrograms.put(t, p);
        }
        return p;
    }

    private void compileField(Field f, IntList out, int depth) {
        if (!f.array) {
            compileOne(f, out, depth);
            return;
        }
        out.add(K_ARRAY);
        int at = out.size();
        out.add(0);
        compileOne(f, out, depth);
        out.set(at, out.size() - at - 1);
    }

    private void compileOne(Field f, IntList out, int depth) {
        if (f.constantPool) out.add(compressed ? K_VAR : K_8);
        else compileValue(f.type, out, depth);
    }

    private void compileValue(Type t, IntList out, int depth) {
        switch (t.encoding) {
            case JfrMetadata.BOOLEAN, JfrMetadata.BYTE -> out.add(K_BYTE);
            case JfrMetadata.FLOAT -> out.add(K_4);
            case JfrMetadata.DOUBLE -> out.add(K_8);
            case JfrMetadata.CHAR, JfrMetadata.SHORT -> out.add(compressed ? K_VAR : K_2);
            case JfrMetadata.INT -> out.add(compressed ? K_VAR : K_4);
            case JfrMetadata.LONG -> out.add(compressed ? K_VAR : K_8);
            case JfrMetadata.STRING -> out.add(K_STRING);
            default -> {
                if (depth > MAX_NESTING) throw new IllegalArgumentException("type " + t.name + " nests too deep");
                for (Field f : t.fields) compileField(f, out, depth + 1);
            }
        }
    }

    /** Steps over the values {@code program[from, to)} describes. */
    final void run(int[] program, int from, int to) {
        for (int i = from; i < to; i++) {
            switch (program[i]) {
                case K_VAR -> skipVar();
                case K_BYTE -> pos++;
                case K_2 -> pos += 2;
                case K_4 -> pos += 4;
                case K_8 -> pos += 8;
                case K_STRING -> skipString();
                default -> {
                    int steps = program[++i];
                    long n = compressed ? varlong() : fixed(4);
                    if (n < 0 || n > size - pos) throw new IllegalArgumentException("an array of " + n + " elements");
                    if (steps > 0) for (long e = 0; e < n; e++) run(program, i + 1, i + 1 + steps);
                    i += steps;
                }
            }
        }
        if (pos > size) throw new IndexOutOfBoundsException("a value runs past the chunk");
    }

    // ---- values ----

    /** An integer, constant-pool key, boolean or timespan (in ns) field; floats come back as double bits. */
    final long number(Field f) {
        if (f.constantPool) return compressed ? varlong() : fixed(8);
        int enc = f.type.encoding;
        long v;
        if (compressed && enc >= JfrMetadata.CHAR && enc <= JfrMetadata.LONG) {
            v = varlong();
            v = enc == JfrMetadata.CHAR ? (char) v : enc == JfrMetadata.SHORT ? (short) v : enc == JfrMetadata.INT ? (int) v : v;
        } else {
            v = plainNumber(f);
        }
        return f.timespan != 0 ? timespan(v, f.timespan) : v;
    }

    /** A number that is not a compressed integer: bytes, booleans, floats, doubles, integers of fixed size. */
    private long plainNumber(Field f) {
        return switch (f.type.encoding) {
            case JfrMetadata.BOOLEAN, JfrMetadata.BYTE -> data[pos++];
            case JfrMetadata.CHAR -> (char) fixed(2);
            case JfrMetadata.SHORT -> (short) fixed(2);
            case JfrMetadata.INT -> (int) fixed(4);
            case JfrMetadata.LONG -> fixed(8);
            case JfrMetadata.FLOAT -> Double.doubleToRawLongBits(Float.intBitsToFloat((int) fixed(4)));
            case JfrMetadata.DOUBLE -> fixed(8);
            default -> throw new IllegalArgumentException("field " + f.name + " is not a number");
        };
    }

    final long fixed(int bytes) {
        long v = switch (bytes) {
            case 2 -> (short) be(2, pos);
            case 4 -> (int) be(4, pos);
            default -> be(8, pos);
        };
        pos += bytes;
        return v;
    }

    /** A big-endian integer of {@code bytes} bytes at {@code at}. */
    final long be(int bytes, int at) {
        long v = 0;
        for (int i = 0; i < bytes; i++) v = v << 8 | (data[at + i] & 0xff);
        return v;
    }

    // JFR's variable-length integer: 7 bits per byte, low bits first, the high bit set on every byte but the last;
    // a ninth byte is taken whole. A one-byte number is read at once. A longer one is read as the next 8 bytes (the
    // padding after the chunk makes that safe) without a branch on its length: a branch the JIT saw go one way
    // only while it profiled (no number of 9 bytes yet, say) is compiled as a trap, and the first number that took
    // the other way made it compile the whole event decoder again. Both kinds of number come in every event, so
    // the one-byte test is seen both ways from the start. Measured: docs/PERFORMANCE.md.

    /** Steps over a variable-length integer. */
    final void skipVar() {
        if (data[pos] >= 0) {
            pos++;
            return;
        }
        long stops = ~word(pos) & 0x8080808080808080L;
        pos += (Long.numberOfTrailingZeros(stops) >>> 3) + 1; // 64 trailing zeros when no byte of 8 ends it: 9 bytes
    }

    /**
     * The 8 bytes at {@code p}, little-endian, put together byte by byte: a {@code VarHandle} read is one load once C2
     * has compiled it, but until then (in the interpreter and in C1's profiled code, which run a good part of a load
     * of a second) each read goes through several method calls.
     */
    private long word(int p) {
        byte[] d = data;
        return d[p] & 0xffL | (d[p + 1] & 0xffL) << 8 | (d[p + 2] & 0xffL) << 16 | (d[p + 3] & 0xffL) << 24
                | (d[p + 4] & 0xffL) << 32 | (d[p + 5] & 0xffL) << 40 | (d[p + 6] & 0xffL) << 48 | (d[p + 7] & 0xffL) << 56;
    }

    final long varlong() {
        int p = pos;
        byte first = data[p];
        if (first >= 0) {
            pos = p + 1;
            return first;
        }
        long word = word(p);
        int last = Long.numberOfTrailingZeros(~word & 0x8080808080808080L); // the high bit of the last byte; 64 if past 8
        pos = p + (last >>> 3) + 1;
        long v = word & (-1L >>> (63 - Math.min(last, 63))) & 0x7f7f7f7f7f7f7f7fL;
        v = (v & 0x007f007f007f007fL) | (v & 0x7f007f007f007f00L) >>> 1; // 7-bit groups joined in pairs,
        v = (v & 0x00003fff00003fffL) | (v & 0x3fff00003fff0000L) >>> 2; // then fours,
        v = (v & 0x000000000fffffffL) | (v & 0x0fffffff00000000L) >>> 4; // then all eight: 56 bits
        return v | ((data[p + 8] & 0xffL) << 56 & -(long) (last >>> 6));
    }

    /** A string written out (encoding 3, 4 or 5), its encoding byte read. */
    final String inlineString(byte encoding) {
        switch (encoding) {
            case 3: case 5: {
                int n = length();
                String s = new String(data, pos, n, encoding == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
                pos += n;
                return s;
            }
            case 4: {
                int n = length();
                if (oneByteChars(n)) {
                    String s = new String(data, pos, n, StandardCharsets.ISO_8859_1);
                    pos += n;
                    return s;
                }
                char[] chars = new char[n];
                for (int i = 0; i < n; i++) chars[i] = (char) varlong();
                return new String(chars);
            }
            default: throw new IllegalArgumentException("unknown string encoding " + encoding);
        }
    }

    private int length() {
        long n = compressed ? varlong() : fixed(4);
        if (n < 0 || n > size - pos) throw new IllegalArgumentException("a string of " + n + " bytes");
        return (int) n;
    }

    final void skip(Field f, int depth) {
        if (f.array) {
            long n = compressed ? varlong() : fixed(4);
            if (n < 0 || n > size - pos) throw new IllegalArgumentException("an array of " + n + " elements");
            if (!f.constantPool && f.type.encoding == JfrMetadata.STRUCT && f.type.fields.isEmpty()) return;
            for (long i = 0; i < n; i++) skipOne(f, depth);
        } else {
            skipOne(f, depth);
        }
    }

    private void skipOne(Field f, int depth) {
        if (f.constantPool) {
            if (compressed) varlong(); else pos += 8;
        } else {
            skipValue(f.type, depth);
        }
    }

    private void skipValue(Type t, int depth) {
        switch (t.encoding) {
            case JfrMetadata.BOOLEAN, JfrMetadata.BYTE -> pos++;
            case JfrMetadata.FLOAT -> pos += 4;
            case JfrMetadata.DOUBLE -> pos += 8;
            case JfrMetadata.CHAR, JfrMetadata.SHORT -> { if (compressed) varlong(); else pos += 2; }
            case JfrMetadata.INT -> { if (compressed) varlong(); else pos += 4; }
            case JfrMetadata.LONG -> { if (compressed) varlong(); else pos += 8; }
            case JfrMetadata.STRING -> skipString();
            default -> {
                if (depth > MAX_NESTING) throw new IllegalArgumentException("type " + t.name + " nests too deep");
                for (Field f : t.fields) skip(f, depth + 1);
            }
        }
    }

    final void skipString() {
        byte encoding = data[pos++];
        switch (encoding) {
            case 0, 1 -> { }
            case 2 -> varlong();
            case 3, 5 -> { int n = length(); pos += n; }
            case 4 -> {
                int n = length();
                if (oneByteChars(n)) pos += n;
                else for (int i = 0; i < n; i++) skipVar();
            }
            default -> throw new IllegalArgumentException("unknown string encoding " + encoding);
        }
    }

    /**
     * Whether the next {@code n} bytes are all below 0x80, and so are {@code n} chars of one byte each. The JDK
     * writes the strings of Java-level events (file paths, socket hosts) as arrays of chars, each a
     * variable-length integer; most are ASCII, read here 8 bytes at a time instead of char by char.
     */
    private boolean oneByteChars(int n) {
        int p = pos, end = pos + n; // within the chunk: length() checked n
        long high = 0;
        for (; p + 8 <= end; p += 8) high |= (long) LITTLE_ENDIAN_LONG.get(data, p);
        for (; p < end; p++) high |= data[p];
        return (high & 0x8080808080808080L) == 0;
    }
}
