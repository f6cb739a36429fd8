// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis;

import dev.kiln.model.Profile;
import dev.kiln.model.SampleTable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Self and total per function as pprof's {@code -top} counts them, recursion counted once per sample, through both
 * walks: from outermost frame to outermost frame, and frame by frame for stacks too deep in distinct names for the first;
 * the samples in one part or in several, each on a thread (as big tables are walked).
 */
class FunctionTotalsTest {
    private static FunctionTotals totals(Profile p, int parts) {
        SampleTable table = p.tableOf(TextProfile.SAMPLES);
        FunctionTotals t = FunctionTotals.of(p, table, parts).get(table.valueTypes().indexOf(TextProfile.SAMPLES));
        if (parts == 1) assertEquals(FunctionTotals.of(p, TextProfile.SAMPLES).bySelf(), t.bySelf());
        return t;
    }

    @ParameterizedTest(name = "{0} parts")
    @ValueSource(ints = {1, 2, 3})
    void recursionCountsOncePerSample(int parts) {
        // a recurs through b and directly; c is reached in two places; - has no frames
        Profile p = TextProfile.of("main;a;b;a;c 5", "main;a 2", "main;a;a;a 3", "main;c;a;c 4", "- 1", "main;b 1");
        FunctionTotals t = totals(p, parts);
        assertEquals(new FunctionTotals.Row("main", 0, 15), t.row("main"));
        assertEquals(new FunctionTotals.Row("a", 5, 14), t.row("a"));
        assertEquals(new FunctionTotals.Row("b", 1, 6), t.row("b"));
        assertEquals(new FunctionTotals.Row("c", 9, 9), t.row("c"));
        assertEquals(16, t.grandTotal());
    }

    @ParameterizedTest(name = "{0} parts")
    @ValueSource(ints = {1, 2, 3})
    void deepStacksOfDistinctNamesAsShallowOnes(int parts) {
        // 3,000 distinct frames under main, then a recursion: the outer-frame pass would grow with the depth's square
        List<String> frames = new ArrayList<>(List.of("main"));
        for (int i = 0; i < 3000; i++) frames.add("f" + i);
        String deep = String.join(";", frames);
        Profile p = TextProfile.of(deep + ";f7;f2999 4", deep + " 1", "main;f5 2");
        FunctionTotals t = totals(p, parts);
        assertEquals(new FunctionTotals.Row("main", 0, 7), t.row("main"));
        assertEquals(new FunctionTotals.Row("f2999", 5, 5), t.row("f2999"));
        assertEquals(new FunctionTotals.Row("f7", 0, 5), t.row("f7"));
        assertEquals(new FunctionTotals.Row("f5", 2, 7), t.row("f5"));
        assertEquals(new FunctionTotals.Row("f1000", 0, 5), t.row("f1000"));
    }
}
