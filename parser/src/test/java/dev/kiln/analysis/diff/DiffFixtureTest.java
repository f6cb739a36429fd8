// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.diff;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.TextProfile;
import dev.kiln.analysis.diff.Diff.FunctionDelta;
import dev.kiln.analysis.diff.DiffTree.Shape;
import dev.kiln.model.Profile;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Diffs of small profiles; every expected number is worked out by hand from the lines below. */
class DiffFixtureTest {
    /*
     * base (total 600)        target (total 1210)
     * main;a;b  300           main;a;b  600
     * main;a    100           main;c    210
     * main;c    200           main;d    400
     *
     * raw, default noise = max(1% of 1210 = 12.1, 2*sqrt(base + target)):
     *   b self 300 -> 600   delta +300 (noise 60)    GREW;  % of base total 50, of target total 300/1210, relative +100
     *   c self 200 -> 210   delta  +10 (noise 40.5)  SAME
     *   a self 100 -> 0     GONE;  a total 400 -> 600 delta +200 (noise 63.2) GREW
     *   d self   0 -> 400   NEW
     *   main total 600 -> 1210 GREW
     * normalized, scale 1210/600:
     *   b self 605 -> 600    delta  -5      SAME
     *   c self 403.33 -> 210 delta -193.33  SHRANK
     *   a total 806.67 -> 600 delta -206.67 SHRANK
     */
    static final Profile BASE = TextProfile.of("main;a;b 300 t=1", "main;a 100 t=2", "main;c 200 t=3");
    static final Profile TARGET = TextProfile.of("main;a;b 600 t=1", "main;c 210 t=2", "main;d 400 t=3");

    static Diff diff(Diff.Options o) { return Diff.of(BASE, TARGET, o); }

    @Test
    void functionsRaw() {
        Diff d = diff(Diff.Options.DEFAULT);
        assertEquals("samples/count", d.compared());
        assertEquals(600, d.total().base());
        assertEquals(1210, d.total().target());
        assertEquals(Status.GREW, d.total().status());
        FunctionDelta b = d.function("b");
        assertEquals(300, b.self().base());
        assertEquals(600, b.self().target());
        assertEquals(300, b.self().delta());
        assertEquals(50.0, b.self().pctOfBaseTotal(), 1e-9);
        assertEquals(100.0 * 300 / 1210, b.self().pctOfTargetTotal(), 1e-9);
        assertEquals(100.0, b.self().relativePct(), 1e-9);
        assertEquals(Status.GREW, b.self().status());
        assertEquals(Status.SAME, d.function("c").self().status());
        assertEquals(10, d.function("c").self().delta());
        assertEquals(Status.GONE, d.function("a").self().status());
        assertEquals(Status.GREW, d.function("a").total().status());
        assertEquals(200, d.function("a").total().delta());
        FunctionDelta dd = d.function("d");
        assertEquals(Status.NEW, dd.self().status());
        assertEquals(Double.POSITIVE_INFINITY, dd.self().relativePct());
        assertEquals(600, d.function("main").total().base());
        assertEquals(1210, d.function("main").total().target());
        assertNull(d.function("zzz"));
        // Largest |self delta| first: d (+400), b (+300), a (-100), c (+10), main (0).
        assertEquals(List.of("d", "b", "a", "c", "main"), d.functions().stream().map(FunctionDelta::name).toList());
    }

    @Test
    void functionsNormalized() {
        Diff d = diff(Diff.Options.DEFAULT.withNormalize(true));
        assertEquals(1210.0 / 600, d.scale(), 1e-12);
        assertEquals(605, d.function("b").self().scaledBase(), 1e-9);
        assertEquals(-5, d.function("b").self().delta(), 1e-9);
        assertEquals(Status.SAME, d.function("b").self().status());
        assertEquals(210 - 200 * 1210.0 / 600, d.function("c").self().delta(), 1e-9);
        assertEquals(Status.SHRANK, d.function("c").self().status());
        assertEquals(Status.SHRANK, d.function("a").total().status());
        assertEquals(Status.NEW, d.function("d").self().status());
        // The total is always compared raw.
        assertEquals(610, d.total().delta());
    }

    @Test
    void mergedTreeBothShapes() {
        DiffTree t = diff(Diff.Options.DEFAULT).tree();
        assertEquals(6, t.size());
        String[] names = new String[t.size()];
        for (int n = 0; n < t.size(); n++) names[n] = t.name(n);
        assertArrayEquals(new String[] {"all", "main", "a", "b", "c", "d"}, names);
        assertArrayEquals(new int[] {6, 6, 4, 4, 5, 6}, new int[] {t.subtreeEnd(0), t.subtreeEnd(1), t.subtreeEnd(2), t.subtreeEnd(3), t.subtreeEnd(4), t.subtreeEnd(5)});
        assertArrayEquals(new int[] {-1, 0, 1, 2, 1, 1}, new int[] {t.parent(0), t.parent(1), t.parent(2), t.parent(3), t.parent(4), t.parent(5)});
        long[] bt = new long[6], tt = new long[6], bs = new long[6], ts = new long[6];
        for (int n = 0; n < 6; n++) { bt[n] = t.baseTotal(n); tt[n] = t.targetTotal(n); bs[n] = t.baseSelf(n); ts[n] = t.targetSelf(n); }
        assertArrayEquals(new long[] {600, 600, 400, 300, 200, 0}, bt);
        assertArrayEquals(new long[] {1210, 1210, 600, 600, 210, 400}, tt);
        assertArrayEquals(new long[] {0, 0, 100, 300, 200, 0}, bs);
        assertArrayEquals(new long[] {0, 0, 0, 600, 210, 400}, ts);
        assertEquals(-1, t.baseNode(5));
        assertTrue(t.targetNode(2) >= 0);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, t.rows(Shape.BASE));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, t.rows(Shape.TARGET));
        assertEquals(Status.NEW, t.totalChange(5).status());
        assertEquals(Status.GONE, t.selfChange(2).status());
        assertArrayEquals(new String[] {"main", "a", "b"}, t.path(3));
    }

    @Test
    void recursionCountedOnceInFunctionTotals() {
        // base main;r;r;x 50, target main;r;x 50: paths differ, functions do not.
        Diff d = Diff.of(TextProfile.of("main;r;r;x 50"), TextProfile.of("main;r;x 50"), Diff.Options.DEFAULT);
        assertEquals(50, d.function("r").total().base());
        assertEquals(50, d.function("r").total().target());
        assertEquals(Status.SAME, d.function("x").self().status());
        // Tree: all, main, r, r (base only), x (under r;r, base only), x (under r, target only).
        DiffTree t = d.tree();
        assertEquals(6, t.size());
        assertEquals(Status.GONE, t.totalChange(3).status());
        assertEquals(Status.NEW, t.totalChange(5).status());
    }

    @Test
    void selfDiffIsAllSameAndInputsUntouched() {
        Diff d = Diff.of(BASE, BASE, Diff.Options.DEFAULT);
        assertTrue(d.allSame());
        assertSame(BASE, d.base());
        for (String rule : List.of("total>+0%", "self:b>+0%", "total:main>+0", "lock:*>+0%", "goroutines>+0")) {
            assertFalse(DiffRule.parse(rule).check(d).violated(), rule);
        }
        assertFalse(diff(Diff.Options.DEFAULT).allSame());
    }

    @Test
    void timeRangesOfOneProfile() {
        // Samples at 1, 2, 3 s: [start, start+2.5 s) holds b 300, a 100; [2.5 s, end) holds c 200.
        long mid = TextProfile.START + 2_500_000_000L;
        Diff d = Diff.of(BASE, BASE, Diff.Options.DEFAULT.withFilters(Filter.NONE.withTimeRange(Long.MIN_VALUE, mid),
                Filter.NONE.withTimeRange(mid, Long.MAX_VALUE)));
        assertEquals(400, d.total().base());
        assertEquals(200, d.total().target());
        assertEquals(Status.GONE, d.function("b").self().status());
        assertEquals(Status.NEW, d.function("c").self().status());
        // Rows outside both ranges do not appear; a, b exist only on the base side.
        assertEquals(-1, d.tree().targetNode(2));
    }

    @Test
    void rules() {
        Diff d = diff(Diff.Options.DEFAULT);
        DiffRule.Result total = DiffRule.parse("total>+10%").check(d);
        assertTrue(total.violated());
        assertEquals(100.0 * 610 / 600, total.relativePct(), 1e-9);
        assertTrue(DiffRule.parse("self:b>+15%").check(d).violated());
        assertFalse(DiffRule.parse("self:c>+15%").check(d).violated()); // +5%
        assertFalse(DiffRule.parse("total>+200%").check(d).violated());
        assertTrue(DiffRule.parse("total:a>+199").check(d).violated()); // +200 absolute
        assertFalse(DiffRule.parse("total:a>+200").check(d).violated());
        assertTrue(DiffRule.parse("self:d>+1000%").check(d).violated()); // from 0: infinite
        assertFalse(DiffRule.parse("goroutines>+100").check(d).violated());
        assertEquals(3, DiffRule.parseAll(List.of("total>+10%,self:b>+15%", "lock:*>+20%")).size());
        for (String bad : List.of("total<10%", "self>+1%", "total>-5%", "goroutines:x>+1", "lock:>1", "cpu>+1%")) {
            assertThrows(IllegalArgumentException.class, () -> DiffRule.parse(bad), bad);
        }
    }

    @Test
    void incompatibleWeights() {
        assertThrows(Diff.IncompatibleException.class, () -> Diff.of(BASE, TARGET, Diff.Options.DEFAULT.withWeight("alloc")));
        assertTrue(Diff.compatible(new dev.kiln.model.ValueType("cpu", "samples"), new dev.kiln.model.ValueType("cpu", "count")));
        assertFalse(Diff.compatible(new dev.kiln.model.ValueType("cpu", "samples"), new dev.kiln.model.ValueType("cpu", "nanoseconds")));
        assertFalse(Diff.compatible(new dev.kiln.model.ValueType("alloc_space", "bytes"), new dev.kiln.model.ValueType("inuse_space", "bytes")));
    }
}
