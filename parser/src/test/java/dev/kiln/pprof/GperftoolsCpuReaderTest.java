// SPDX-License-Identifier: Apache-2.0
package dev.kiln.pprof;

import dev.kiln.analysis.FunctionTotals;
import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.ProfileValidator;
import dev.kiln.model.SourceFormat;
import dev.kiln.model.ValueType;
import dev.kiln.testutil.Captures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** gperftools' legacy binary CPU profile, made by libprofiler, against go tool pprof -symbolize=none -top of it. */
class GperftoolsCpuReaderTest {
    static final Path FILE = Captures.file("cpp", "gperftools.cpu.prof");

    /** Asserts every row of a go tool pprof -top file ("Type: T" sections) against the profile's self and total. */
    static int assertTop(Profile p, Path top) throws Exception {
        int checked = 0;
        String type = null;
        for (String line : Files.readAllLines(top)) {
            if (line.startsWith("Type: ")) { type = line.substring(6).trim(); continue; }
            String[] f = line.trim().split("\\s+");
            if (f.length != 6 || !f[0].matches("\\d+(ns|B)?")) continue;
            String vt = type;
            ValueType valueType = p.sampleTables().get(0).valueTypes().stream().filter(v -> v.kind().equals(vt)).findFirst().orElseThrow();
            FunctionTotals.Row row = FunctionTotals.of(p, valueType).row(f[5]);
            assertNotNull(row, f[5]);
            assertEquals(Long.parseLong(f[0].replaceAll("\\D", "")), row.self(), type + " flat of " + f[5]);
            assertEquals(Long.parseLong(f[3].replaceAll("\\D", "")), row.total(), type + " cum of " + f[5]);
            checked++;
        }
        return checked;
    }

    @Test
    void readsAsGoToolPprofReadsIt() throws Exception {
        Profile p = ProfileLoader.load(FILE, ProgressSink.NONE);
        ProfileValidator.check(p);
        assertEquals(SourceFormat.PPROF_LEGACY, p.format());
        assertEquals(2_000_000, p.period(), "CPUPROFILE_FREQUENCY=500");
        assertFalse(p.isIncomplete());
        assertFalse(p.mappings().isEmpty());
        assertEquals(4, assertTop(p, FILE.resolveSibling("gperftools.cpu.prof.top.txt")));
    }

    @Test
    void bigEndianWordsReadTheSame(@TempDir Path dir) throws Exception {
        byte[] le = Files.readAllBytes(FILE);
        ByteBuffer in = ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocate(le.length).order(ByteOrder.BIG_ENDIAN);
        // words up to and including the end marker (0, 1, 0), then the memory map text as it is
        long[] last = new long[3];
        while (in.remaining() >= 8) {
            long w = in.getLong();
            out.putLong(w);
            last[0] = last[1]; last[1] = last[2]; last[2] = w;
            if (last[0] == 0 && last[1] == 1 && last[2] == 0 && in.position() > 48) break;
        }
        out.put(le, in.position(), le.length - in.position());
        Path be = Files.write(dir.resolve("be.prof"), out.array());
        Profile a = ProfileLoader.load(FILE, ProgressSink.NONE), b = ProfileLoader.load(be, ProgressSink.NONE);
        assertEquals(a.sampleTables().get(0).total(1), b.sampleTables().get(0).total(1));
        assertEquals(4, assertTop(b, FILE.resolveSibling("gperftools.cpu.prof.top.txt")));
    }

    @Test
    void aCutFileKeepsItsCompleteRecords(@TempDir Path dir) throws Exception {
        byte[] all = Files.readAllBytes(FILE);
        Path cut = Files.write(dir.resolve("cut.prof"), Arrays.copyOf(all, 5 * 8 + 200));
        Profile p = ProfileLoader.load(cut, ProgressSink.NONE);
        ProfileValidator.check(p);
        assertTrue(p.isIncomplete());
        long full = ProfileLoader.load(FILE, ProgressSink.NONE).sampleTables().get(0).total(0);
        long kept = p.sampleTables().get(0).total(0);
        assertTrue(kept > 0 && kept < full, kept + " of " + full);
    }

    @Test
    void aDepthBeyondTheDataIsAFormatError(@TempDir Path dir) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(8 * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0).putLong(3).putLong(0).putLong(1000).putLong(0).putLong(1).putLong(Long.MAX_VALUE).putLong(0x1234);
        Path bad = Files.write(dir.resolve("deep.prof"), b.array());
        ProfileFormatException e = assertThrows(ProfileFormatException.class, () -> ProfileLoader.load(bad, ProgressSink.NONE));
        assertTrue(e.getMessage().startsWith("deep.prof: ") && e.getMessage().contains("frames"), e.getMessage());
    }
}
