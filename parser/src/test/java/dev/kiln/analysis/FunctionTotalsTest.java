// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis;

import dev.kiln.model.Profile;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Self and total per function as pprof's {@code -top} counts them, recursion counted once per sample, through both
 * walks: from outermost frame to outermost frame, and frame by frame for stacks too deep in distinct names for the first.
 */
class FunctionTotalsTest {
    private static FunctionTotals.Row row(Profile p, String name) {
        return FunctionTotals.of(p, TextProfile.SAMPLES).row(name);
    }

    @Test
    void recursionCountsOncePerSample() {
        // a recurs through b and directly; c is reached in two places; - has no frames
        Profile p = TextProfile.of("main;a;b;a;c 5", "main;a 2", "main;a;a;a 3", "main;c;a;c 4", "- 1", "main;b 1");
        assertEquals(new FunctionTotals.Row("main", 0, 15), row(p, "main"));
        assertEquals(new FunctionTotals.Row("a", 5, 14), row(p, "a"));
        assertEquals(new FunctionTotals.Row("b", 1, 6), row(p, "b"));
        assertEquals(new FunctionTotals.Row("c", 9, 9), row(p, "c"));
        assertEquals(16, FunctionTotals.of(p, TextProfile.SAMPLES).grandTotal());
    }

    @Test
    void deepStacksOfDistinctNamesAsShallowOnes() {
        // 3,000 distinct frames under main, then a recursion: the outer-frame pass would grow with the depth's square
        List<String> frames = new ArrayList<>(List.of("main"));
        for (int i = 0; i < 3000; i++) frames.add("f" + i);
        String deep = String.join(";", frames);
        Profile p = TextProfile.of(deep + ";f7;f2999 4", deep + " 1", "main;f5 2");
        assertEquals(new FunctionTotals.Row("main", 0, 7), row(p, "main"));
        assertEquals(new FunctionTotals.Row("f2999", 5, 5), row(p, "f2999"));
        assertEquals(new FunctionTotals.Row("f7", 0, 5), row(p, "f7"));
        assertEquals(new FunctionTotals.Row("f5", 2, 7), row(p, "f5"));
        assertEquals(new FunctionTotals.Row("f1000", 0, 5), row(p, "f1000"));
    }
}
