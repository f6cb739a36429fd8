// SPDX-License-Identifier: Apache-2.0
package dev.kiln.jfr;

import dev.kiln.job.ProgressSink;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The streaming reader's variable-length integers and strings against JFR's encoding, written out here byte by byte
 * (one-byte numbers are read at once, longer ones 8 bytes at a time; ASCII char arrays 8 chars at a time).
 */
class VarintTest {
    /** JFR's encoding (jdk.jfr.internal.EventWriter): 7 bits per byte, low first; after 8 bytes the 9th is whole. */
    private static void write(ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 8; i++) {
            if ((v & ~0x7fL) == 0) {
                out.write((int) v);
                return;
            }
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** A string as the JDK's EventWriter writes a Java event's: encoding 4, the length, then each char as a varint. */
    private static void writeChars(ByteArrayOutputStream out, String s) {
        out.write(4);
        write(out, s.length());
        for (int i = 0; i < s.length(); i++) write(out, s.charAt(i));
    }

    /** A chunk of these bytes with the reader's padding after them, its integers compressed as JDK 11+ writes them. */
    private static Chunk chunkOf(ByteArrayOutputStream out) {
        byte[] bytes = out.toByteArray();
        Chunk c = new Chunk(null, "t.jfr", 0, 1, 0,
                java.util.Arrays.copyOf(bytes, bytes.length + JfrStreamReader.PADDING), bytes.length, ProgressSink.NONE);
        c.compressed = true;
        return c;
    }

    @Test
    void charArrayStringsReadBackAndSkipExactly() {
        String[] strings = {"", "a", "localhost", "127.0.0.1", "/tmp/kiln/a-file-path-of-some-length.txt", "1234567",
                "12345678", "123456789", "héllo wörld, 8+ chars", "日本語", "ascii then ÿ", "ÿ then ascii"};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] at = new int[strings.length + 1];
        for (int i = 0; i < strings.length; i++) {
            at[i] = out.size();
            writeChars(out, strings[i]);
        }
        at[strings.length] = out.size();
        Chunk c = chunkOf(out);
        for (int i = 0; i < strings.length; i++) {
            assertEquals(strings[i], c.string());
            assertEquals(at[i + 1], c.pos, "after " + strings[i]);
        }
        c.pos = 0;
        for (int i = 0; i < strings.length; i++) {
            c.skipString();
            assertEquals(at[i + 1], c.pos, "skipping " + strings[i]);
        }
    }

    @Test
    void pooledStringsReadFromThePoolAndAnEntryReferringToThePoolIsDamaged() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int utf8At = out.size(); // pool entry 5: "java/lang/Thread" in UTF-8
        byte[] name = "java/lang/Thread".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.write(3);
        write(out, name.length);
        out.write(name, 0, name.length);
        int loopAt = out.size(); // pool entry 6: a reference to itself, as a hostile file may hold
        out.write(2);
        write(out, 6);
        int eventAt = out.size(); // an event's fields: three string references and one written out
        out.write(2);
        write(out, 5);
        out.write(2);
        write(out, 99); // not in the pool
        out.write(2);
        write(out, 6);
        writeChars(out, "after");
        Chunk c = chunkOf(out);
        c.stringType = new JfrMetadata.Type(20, "java.lang.String");
        dev.kiln.model.LongIntMap pool = new dev.kiln.model.LongIntMap();
        pool.put(5, utf8At);
        pool.put(6, loopAt);
        c.pools.put(c.stringType, pool);
        c.pos = eventAt;
        assertEquals("java/lang/Thread", c.string());
        assertEquals(null, c.string());
        // before, the reader followed the reference through string() again and again, until the stack overflowed
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, c::string);
        assertEquals(eventAt + 6, c.pos, "a failed lookup leaves the reader after the reference");
        assertEquals("after", c.string());
    }

    @Test
    void everyLengthFromOneToNineBytesReadsBackAndStepsExactly() {
        Random r = new Random(11);
        LongStream edges = LongStream.of(0, 1, 127, 128, 16383, 16384, (1L << 21) - 1, 1L << 21, (1L << 49) - 1, 1L << 49,
                (1L << 56) - 1, 1L << 56, Long.MAX_VALUE, -1, Long.MIN_VALUE, Long.MIN_VALUE + 1, -128);
        long[] values = LongStream.concat(edges, LongStream.range(0, 5000).map(i -> r.nextLong() >>> r.nextInt(64))).toArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] at = new int[values.length + 1];
        for (int i = 0; i < values.length; i++) {
            at[i] = out.size();
            write(out, values[i]);
        }
        at[values.length] = out.size();
        Chunk c = chunkOf(out);
        for (int i = 0; i < values.length; i++) {
            assertEquals(at[i], c.pos);
            assertEquals(values[i], c.varlong(), "value " + i);
            assertEquals(at[i + 1], c.pos, "length of value " + values[i]);
        }
        c.pos = 0;
        for (int i = 0; i < values.length; i++) {
            c.skipVar();
            assertEquals(at[i + 1], c.pos, "skipping value " + values[i]);
        }
    }
}
