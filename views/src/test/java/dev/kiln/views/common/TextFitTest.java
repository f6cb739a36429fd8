// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.common;

import org.junit.jupiter.api.Test;

import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TextFitTest {
    static final ToDoubleFunction<String> TEN = s -> 10.0 * s.length();

    @Test
    void dropsPackageThenEllipsizes() {
        String name = "java.util.HashMap.get"; // 21 chars
        assertEquals(name, TextFit.fit(name, 210, TEN));
        assertEquals("HashMap.get", TextFit.fit(name, 209, TEN));
        assertEquals("HashMap.get", TextFit.fit(name, 110, TEN));
        assertEquals("get", TextFit.fit(name, 105, TEN));
        assertEquals("get", TextFit.fit(name, 30, TEN));
        assertNull(TextFit.fit(name, 29, TEN)); // "g…" is one character
        String inner = "MixedWorkload$Fractal.expandLeft"; // 32 chars
        assertEquals("Fractal.expandLeft", TextFit.fit(inner, 300, TEN));
        assertEquals("expandLeft", TextFit.fit(inner, 170, TEN));
        assertEquals("expan\u2026", TextFit.fit(inner, 60, TEN));
        String lambda = "MixedWorkload$$Lambda$356+0x1.run";
        assertEquals("MixedWorkload$$Lambda.run", TextFit.fit(lambda, 300, TEN));
        assertEquals("run", TextFit.fit(lambda, 200, TEN));
    }

    @Test
    void packageOfJavaAndGoNames() {
        assertEquals("MixedWorkload$Fractal.mixHeavy", TextFit.withoutPackage("MixedWorkload$Fractal.mixHeavy"));
        assertEquals("ForkJoinPool.runWorker", TextFit.withoutPackage("java.util.concurrent.ForkJoinPool.runWorker"));
        assertEquals("http.(*conn).serve", TextFit.withoutPackage("net/http.(*conn).serve"));
        assertEquals("runtime.mallocgc", TextFit.withoutPackage("runtime.mallocgc"));
        assertEquals("all", TextFit.withoutPackage("all"));
    }
}
