// SPDX-License-Identifier: Apache-2.0
package dev.kiln.jfr;

import dev.kiln.testutil.JfrSummary;

import dev.kiln.jfr.JfrEvents.Event;
import dev.kiln.jfr.JfrEvents.Quantity;
import dev.kiln.jfr.JfrEvents.Struct;
import dev.kiln.jfr.JfrEvents.Timespan;
import dev.kiln.jfr.JfrEvents.Timestamp;
import dev.kiln.jfr.JfrEvents.TypeInfo;
import dev.kiln.testutil.Captures;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generic event decoder against the JDK's tools on the same recordings: counts as {@code jfr summary}, values as
 * {@code jfr print --json} (the numbers below are its output; app's EventsCommandTest compares every type).
 */
class JfrEventsTest {
    @Test
    void countsEqualJfrSummaryOnSevenChunks() throws Exception {
        JfrEvents.Listing l = JfrEvents.types(Captures.file("jfr", "jdk17-multichunk.jfr"));
        assertEquals(7, l.chunks());
        Map<String, Long> nonZero = new TreeMap<>();
        for (TypeInfo t : l.types()) {
            if (t.count() > 0 && !t.name().equals(JfrEvents.METADATA) && !t.name().equals(JfrEvents.CHECKPOINT)) nonZero.put(t.name(), t.count());
        }
        assertEquals(JfrSummary.counts(Captures.file("jfr", "jdk17-multichunk.summary.txt")), nonZero);
        assertEquals(7, l.types().stream().filter(t -> t.name().equals(JfrEvents.METADATA)).findFirst().orElseThrow().count());
        assertEquals(269, l.types().stream().filter(t -> t.name().equals(JfrEvents.CHECKPOINT)).findFirst().orElseThrow().count());
        TypeInfo gc = l.types().stream().filter(t -> t.name().equals("jdk.GarbageCollection")).findFirst().orElseThrow();
        assertEquals(List.of("Java Virtual Machine", "GC", "Collector"), gc.category());
        assertEquals("Garbage Collection", gc.label());
    }

    private static List<Event> events(String file, String type) throws Exception {
        List<Event> out = new ArrayList<>();
        JfrEvents.Decoded d = JfrEvents.events(Captures.file("jfr", file), type, JfrEvents.STACK_DEPTH, out::add);
        assertTrue(d.declared());
        assertEquals(List.of(), d.warnings());
        assertEquals(out.size(), d.events());
        return out;
    }

    @Test
    void nestedStructsSimpleTypesAndUnitsAreDecodedAsJfrPrintShowsThem() throws Exception {
        List<Event> heap = events("jdk17-mixed.jfr", "jdk.GCHeapSummary");
        assertEquals(30, heap.size());
        Struct v = heap.get(0).values();
        assertEquals(new Timestamp(1795328119532554289L), v.get("startTime")); // 2026-11-22T06:15:19.532554289Z
        assertEquals("Before GC", v.get("when")); // jdk.types.GCWhen is simple: its one field's value
        Struct space = (Struct) v.get("heapSpace");
        assertEquals("jdk.types.VirtualSpace", space.type());
        assertEquals(new Quantity(3758096384L, "MemoryAddress", null), space.get("start"));
        assertEquals(new Quantity(398458880L, "DataAmount", "BYTES"), space.get("committedSize"));
        assertEquals(new Quantity(20369408L, "DataAmount", "BYTES"), v.get("heapUsed"));

        Event park = events("jdk17-mixed.jfr", "jdk.ThreadPark").get(0); // the first by its end, as jfr print orders
        assertEquals(new Timespan(13186200, "TICKS"), park.values().get("duration"));
        assertEquals(new Timespan(Long.MIN_VALUE, "NANOSECONDS"), park.values().get("timeout"));
        assertEquals(new Timestamp(Long.MIN_VALUE), park.values().get("until"));
        assertEquals("order-pool-1", park.thread());
        Struct stack = (Struct) park.values().get("stackTrace");
        assertEquals(false, stack.get("truncated"));
        List<?> frames = (List<?>) stack.get("frames");
        assertEquals(5, frames.size());
        Struct top = (Struct) frames.get(0);
        assertEquals("Native", top.get("type"));
        Struct clazz = (Struct) ((Struct) top.get("method")).get("type");
        assertEquals("jdk/internal/misc/Unsafe", clazz.get("name"));
        assertNull(((Struct) clazz.get("classLoader")).get("type")); // the bootstrap loader has no class: key not in the pool
    }

    @Test
    void laterChunksTellTimeByTheFirstChunksClockAsTheJdkDoes() throws Exception {
        // jfr print --json --events jdk.GCPhaseParallel jdk17-multichunk.jfr, event 1481 (chunk 3): 06:17:00.914186330Z;
        // by chunk 3's own header it is 99 ns earlier
        Event e = events("jdk17-multichunk.jfr", "jdk.GCPhaseParallel").get(1481);
        assertEquals(new Timestamp(1795328220914186330L), e.values().get("startTime"));
    }

    @Test
    void aTypeTheRecordingLacksIsNotDeclared() throws Exception {
        JfrEvents.Decoded d = JfrEvents.events(Captures.file("jfr", "jdk17-mixed.jfr"), "jdk.NoSuchEvent", 5, e -> true);
        assertFalse(d.declared());
        assertEquals(0, d.events());
    }
}
