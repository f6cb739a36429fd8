// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.source;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.FilteredStacks;
import dev.kiln.analysis.Weights;
import dev.kiln.io.ProfileLoader;
import dev.kiln.io.SourceFiles;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.testutil.Captures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SourceLines} against {@code go tool pprof -list 'main\.'} of the corpus profiles (made by
 * {@code captures/pprof/list-truth.sh}, exact units), and {@link SourceFiles} finding the sources under a root.
 */
class SourceLinesTest {
    private static final Pattern ROUTINE = Pattern.compile("ROUTINE =+ (.+) in (.+)");
    private static final Pattern LINE = Pattern.compile("^\\s*(\\S+)\\s+(\\S+)\\s+(\\d+):(.*)$");

    /** pprof's routines: "name in file" -> {flat, cum, then line, flat, cum per sampled line}. */
    private static Map<String, List<long[]>> truth(Path file) throws IOException {
        Map<String, List<long[]>> out = new LinkedHashMap<>();
        List<long[]> current = null;
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            Matcher r = ROUTINE.matcher(lines.get(i));
            if (r.matches()) {
                current = new ArrayList<>();
                out.put(r.group(1) + " in " + r.group(2), current);
                String[] sums = lines.get(++i).trim().split("\\s+");
                current.add(new long[] {value(sums[0]), value(sums[1])});
                continue;
            }
            Matcher l = LINE.matcher(lines.get(i));
            if (current != null && l.matches() && !(l.group(1).equals(".") && l.group(2).equals("."))) {
                current.add(new long[] {Long.parseLong(l.group(3)), value(l.group(1)), value(l.group(2))});
            }
        }
        return out;
    }

    private static long value(String s) { return s.equals(".") ? 0 : Long.parseLong(s.replaceAll("[^0-9]+$", "")); }

    @ParameterizedTest
    @CsvSource({"cpu-regressed.pb.gz, cpu", "allocs-baseline.pb.gz, alloc_space", "heap-regressed.pb.gz, inuse_space",
            "block.pb.gz, delay", "mutex.pb.gz, contentions"})
    void perLineValuesAreGoToolPprofList(String name, String weight) throws Exception {
        Profile p = ProfileLoader.load(Captures.file("pprof", name), ProgressSink.NONE);
        SourceLines.Result r = SourceLines.of(FilteredStacks.of(p, Weights.parse(p, weight), Filter.NONE), Pattern.compile("main\\."));
        Map<String, List<long[]>> want = truth(Captures.file("pprof", name.replaceAll("\\.pb\\.gz$", "") + ".list.txt"));
        assertFalse(want.isEmpty(), "ground truth has routines");
        Map<String, List<long[]>> got = new LinkedHashMap<>();
        for (SourceLines.Routine routine : r.routines()) {
            // pprof prints the path with /kiln-corpus/ trimmed
            List<long[]> rows = new ArrayList<>();
            rows.add(new long[] {routine.flat(), routine.cum()});
            for (SourceLines.Line l : routine.lines()) rows.add(new long[] {l.line(), l.flat(), l.cum()});
            got.put(routine.function() + " in " + routine.file().replaceFirst("^/kiln-corpus/", ""), rows);
        }
        assertEquals(want.keySet(), got.keySet(), name + ": the routines, in pprof's order");
        for (String k : want.keySet()) {
            List<String> w = want.get(k).stream().map(java.util.Arrays::toString).toList();
            List<String> g = got.get(k).stream().map(java.util.Arrays::toString).toList();
            assertEquals(w, g, name + ": " + k + " (sums, then line/flat/cum per sampled line)");
        }
        assertTrue(r.total() > 0);
    }

    @Test
    void recursionCountsOncePerLineAndStack() throws Exception {
        // main.walkTree calls itself from line 97: pprof's cum of that line is the function's cum, not more.
        Profile p = ProfileLoader.load(Captures.file("pprof", "cpu-baseline.pb.gz"), ProgressSink.NONE);
        SourceLines.Result r = SourceLines.of(FilteredStacks.of(p, Weights.defaultWeight(p), Filter.NONE), Pattern.compile("^main\\.walkTree$"));
        assertEquals(1, r.routines().size());
        SourceLines.Routine walk = r.routines().get(0);
        long lineCum = walk.lines().stream().filter(l -> l.line() == 97).findFirst().orElseThrow().cum();
        assertTrue(lineCum <= r.total() && walk.cum() > lineCum, walk.toString());
    }

    @Test
    void sourcesAreFoundByTheLongestSuffixAndInSourceJars(@TempDir Path dir) throws IOException {
        SourceFiles corpus = new SourceFiles(List.of(Captures.dir("sources")));
        Optional<SourceFiles.Found> f = corpus.find("/kiln-corpus/go/cpuprof/main.go");
        assertTrue(f.isPresent());
        assertTrue(f.get().lines().get(88).startsWith("func walkTree("), f.get().lines().get(88));
        assertTrue(corpus.find("/elsewhere/go/nosuch/file.go").isEmpty());

        Files.createDirectories(dir.resolve("src/app"));
        Files.writeString(dir.resolve("src/main.go"), "short\n");
        Files.writeString(dir.resolve("src/app/main.go"), "long\n");
        assertEquals(List.of("long"), new SourceFiles(List.of(dir.resolve("src"))).find("/build/x/app/main.go").orElseThrow().lines());
        assertEquals(List.of("short"), new SourceFiles(List.of(dir.resolve("src"))).find("/build/x/other/main.go").orElseThrow().lines());

        Path jars = Files.createDirectories(dir.resolve("m2/acme/1.0"));
        try (OutputStream o = Files.newOutputStream(jars.resolve("acme-1.0-sources.jar")); ZipOutputStream zip = new ZipOutputStream(o)) {
            zip.putNextEntry(new ZipEntry("com/acme/Foo.java"));
            zip.write("package com.acme;\nclass Foo {}\n".getBytes(StandardCharsets.UTF_8));
        }
        SourceFiles inJars = new SourceFiles(List.of(dir.resolve("m2")));
        Optional<SourceFiles.Found> java = inJars.find(SourceLines.javaPath("com.acme.Foo$Bar"));
        assertEquals("class Foo {}", java.orElseThrow().lines().get(1));
        assertTrue(java.get().location().endsWith("acme-1.0-sources.jar!/com/acme/Foo.java"), java.get().location());
    }
}
