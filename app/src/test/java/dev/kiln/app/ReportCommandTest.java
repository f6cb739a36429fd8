// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kiln report}: usage and exit codes (the page itself is checked in {@link HtmlReportBrowserTest}). */
class ReportCommandTest {
    private static final String MIXED = CliTest.CAPTURES.resolve("jfr/jdk17-mixed.jfr").toString();

    private static int run(String... args) {
        return Main.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void exitCodes(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("r.html");
        assertEquals(Main.OK, run("report", "--help"));
        assertEquals(Main.USAGE, run("report", MIXED));                       // no -o
        assertEquals(Main.USAGE, run("report", MIXED, "-o", out.toString(), "--bogus"));
        assertEquals(Main.USAGE, run("report", MIXED, "-o", out.toString(), "--value", "no-such-weight"));
        assertEquals(Main.BAD_INPUT, run("report", dir.resolve("missing.jfr").toString(), "-o", out.toString()));
        assertFalse(Files.exists(out));
        assertEquals(Main.OK, run("report", MIXED, "-o", out.toString(), "--value", "alloc"));
        String html = Files.readString(out);
        // --value puts that weight first in the embedded list.
        assertTrue(html.indexOf("\"name\":\"alloc/bytes\"") < html.indexOf("\"name\":\"cpu/samples\""), "alloc first");
    }
}
