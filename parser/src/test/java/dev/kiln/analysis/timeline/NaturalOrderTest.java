// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.timeline;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NaturalOrderTest {
    @Test
    void numbersInNamesCompareAsNumbers() {
        List<String> names = new ArrayList<>(List.of("G18 main.worker", "P 10", "G2", "main", "G1 runtime.main", "P 2",
                "pool-1-thread-10", "pool-1-thread-9", "G007", "g3", "P 0"));
        names.sort(NaturalOrder.INSTANCE);
        assertEquals(List.of("G1 runtime.main", "G2", "g3", "G007", "G18 main.worker", "main", "P 0", "P 2", "P 10",
                "pool-1-thread-9", "pool-1-thread-10"), names);
        assertEquals(0, NaturalOrder.INSTANCE.compare("a1", "a1"));
        assertEquals(true, NaturalOrder.INSTANCE.compare("a01", "a1") != 0); // a total order: equal numbers, different text
    }
}
