// SPDX-License-Identifier: Apache-2.0
package dev.kiln.pprof;

import dev.kiln.analysis.FunctionTotals;
import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.ProfileValidator;
import dev.kiln.model.SampleTable;
import dev.kiln.model.ValueType;
import dev.kiln.testutil.Captures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The legacy profiles of C++ and Java servers that go tool pprof reads (issue 24 d): each file's every function,
 * flat and cum, for every value type, against {@code go tool pprof -symbolize=none -top -nodefraction=0} of it
 * (Go 1.23, the {@code .top.txt} beside it), and its totals against the {@code Showing nodes ... total} line.
 */
class LegacyServerProfilesTest {

    /** Asserts every row and the total of each "Type: T" section of a -top file; answers the rows checked. */
    static int assertTop(Profile p, Path top) throws Exception {
        int checked = 0;
        ValueType type = null;
        SampleTable table = p.sampleTables().get(0);
        for (String line : Files.readAllLines(top)) {
            if (line.startsWith("Type: ")) {
                String kind = line.substring(6).trim();
                type = table.valueTypes().stream().filter(v -> v.kind().equals(kind)).findFirst().orElseThrow(() -> new AssertionError(kind));
                continue;
            }
            if (line.startsWith("Showing nodes accounting for ")) {
                String total = line.substring(line.indexOf(" of ") + 4, line.indexOf(" total"));
                assertEquals(number(total), table.total(table.valueTypes().indexOf(type)), type + " total of " + top.getFileName());
                continue;
            }
            String[] f = line.trim().split("\\s+", 6);
            if (f.length != 6 || !f[0].matches("\\d+(ns|us|B)?")) continue;
            FunctionTotals.Row row = FunctionTotals.of(p, type).row(f[5]);
            assertNotNull(row, f[5] + " in " + top.getFileName());
            assertEquals(number(f[0]), row.self(), type + " flat of " + f[5]);
            assertEquals(number(f[3]), row.total(), type + " cum of " + f[5]);
            checked++;
        }
        return checked;
    }

    private static long number(String s) { return Long.parseLong(s.replaceAll("\\D", "")); }

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({
        "pprof-testdata, java.heap, 238, Java heapz records",
        "pprof-testdata, java.contention, 64, Java contentionz records",
        "pprof-testdata, java.cpu.rebuilt, 124, pprof.Sample",
        "pprof-testdata, cppbench.thread, 3, threadz records",
        "pprof-testdata, cppbench.heap, 6, heap records",
        "pprof-testdata, cppbench.contention.rebuilt, 4, contentionz records",
        "cpp, tcmalloc.heapz, 6, heap records",
        "cpp, tcmalloc.growthz, 10, growthz records",
    })
    void readsAsGoToolPprofReadsIt(String dir, String name, int rows, String countKey) throws Exception {
        Path file = Captures.file(dir, name);
        Profile p = ProfileLoader.load(file, ProgressSink.NONE);
        ProfileValidator.check(p);
        assertFalse(p.isIncomplete(), p.warnings().toString());
        assertEquals(rows, assertTop(p, file.resolveSibling(name + ".top.txt")), "rows of " + name);
        assertTrue(p.eventCounts().getOrDefault(countKey, 0L) > 0, p.eventCounts().toString());
    }

    /** A copy cut inside its records keeps the complete ones and says so; cut in its header it is refused with the file's name. */
    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({
        "pprof-testdata, java.heap", "pprof-testdata, java.contention", "pprof-testdata, java.cpu.rebuilt",
        "pprof-testdata, cppbench.thread", "pprof-testdata, cppbench.heap", "pprof-testdata, cppbench.contention.rebuilt",
        "cpp, tcmalloc.heapz", "cpp, tcmalloc.growthz",
    })
    void aCutCopyKeepsItsCompleteRecordsAndSaysSo(String dir, String name, @TempDir Path tmp) throws Exception {
        byte[] all = Files.readAllBytes(Captures.file(dir, name));
        Profile whole = ProfileLoader.load(Captures.file(dir, name), ProgressSink.NONE);
        int firstNewline = indexOf(all, (byte) '\n', 0);
        for (double at : new double[] {0.3, 0.6}) {
            int cut = (int) (all.length * at);
            while (all[cut - 1] == '\n' || all[cut] == '\n') cut++; // inside a line
            Path file = Files.write(tmp.resolve(name + "-" + cut), Arrays.copyOf(all, cut));
            Profile p = ProfileLoader.load(file, ProgressSink.NONE);
            ProfileValidator.check(p);
            assertTrue(p.isIncomplete(), name + " cut at " + cut + ": " + p.warnings());
            assertTrue(p.warnings().stream().anyMatch(w -> w.toLowerCase().contains("cut") || w.contains("ends")), p.warnings().toString());
            SampleTable t = p.sampleTables().get(0), w = whole.sampleTables().get(0);
            assertTrue(t.size() <= w.size(), name);
        }
        Path header = Files.write(tmp.resolve(name + "-header"), Arrays.copyOf(all, Math.min(firstNewline, 12)));
        ProfileFormatException e = assertThrows(ProfileFormatException.class, () -> ProfileLoader.load(header, ProgressSink.NONE));
        assertTrue(e.getMessage().startsWith(name + "-header: "), e.getMessage());
    }

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) if (a[i] == b) return i;
        return a.length;
    }
}
