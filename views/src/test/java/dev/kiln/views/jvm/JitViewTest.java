// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.jvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.analysis.Filter;
import dev.kiln.analysis.jvm.Compilations;
import dev.kiln.model.Profile;
import dev.kiln.model.Units;
import dev.kiln.views.tree.TestProfiles;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JIT and classes page on jdk17-mixed.jfr against jfr print --json (print/jdk17-mixed.jit.json.gz). */
@ExtendWith(ApplicationExtension.class)
class JitViewTest {
    private JitView view;

    @Start
    void start(Stage stage) {
        view = new JitView();
        stage.setScene(new Scene(view, 1300, 820));
        stage.show();
    }

    /** The values of the events of {@code type} in a print-truth.sh file. */
    static List<JsonNode> truth(String file, String type) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(TestProfiles.CAPTURES.resolve("jfr/print/" + file)))) {
            for (JsonNode e : new ObjectMapper().readTree(in).path("recording").path("events")) {
                if (e.path("type").asText().equals(type)) out.add(e.path("values"));
            }
        }
        return out;
    }

    static long start(JsonNode v) {
        Instant t = Instant.parse(v.path("startTime").asText());
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    @Test
    void compilationsDeoptimizationsAndClassesFollowTheRange(FxRobot robot) throws Exception {
        Profile p = TestProfiles.mixed();
        List<JsonNode> comps = truth("jdk17-mixed.jit.json.gz", "jdk.Compilation"), deopts = truth("jdk17-mixed.jit.json.gz", "jdk.Deoptimization");
        List<JsonNode> classes = truth("jdk17-mixed.jit.json.gz", "jdk.ClassLoadingStatistics");
        robot.interact(() -> view.setProfile(p, Filter.NONE));
        assertEquals(comps.size(), view.compilations().getItems().size());
        long longest = comps.stream().mapToLong(v -> Duration.parse(v.path("duration").asText()).toNanos()).max().orElseThrow();
        assertEquals(longest, view.compilations().getItems().get(0).durationNanos());
        assertEquals("jdk.internal.org.objectweb.asm.Frame.execute(int, int, Symbol, SymbolTable)", view.compilations().getItems().get(0).method());
        assertEquals(comps.size(), view.compilers().getItems().stream().mapToInt(c -> c.count()).sum());
        assertEquals(deopts.size(), view.deoptimizations().getItems().size());
        assertEquals(deopts.size(), view.reasons().getItems().stream().mapToInt(c -> c.count()).sum());
        assertEquals(classes.size(), view.classChart().series().get(0).size());
        long lastLoaded = classes.stream().max(Comparator.comparingLong(JitViewTest::start)).orElseThrow().path("loadedClassCount").asLong();
        assertTrue(view.headingText().startsWith(comps.size() + " compilations recorded (" + Units.duration(
                comps.stream().mapToLong(v -> Duration.parse(v.path("duration").asText()).toNanos()).sum()) + ") of "), view.headingText());
        assertTrue(view.headingText().contains(String.format(java.util.Locale.ROOT, "%,d classes loaded", lastLoaded)), view.headingText());
        assertEquals(3, view.codeChart().series().size(), "three code heaps");
        assertTrue(view.loaders().getItems().size() > 3);
        // the selected deoptimization's stack, every frame as jfr print gives it (print/jdk17-mixed.deopt.json.gz: all 64 recorded)
        List<JsonNode> withStacks = truth("jdk17-mixed.deopt.json.gz", "jdk.Deoptimization");
        int pick = view.deoptimizations().getItems().size() / 2;
        Compilations.Deoptimization d = view.deoptimizations().getItems().get(pick);
        List<JsonNode> same = withStacks.stream().filter(v -> start(v) == d.startNanos()).toList();
        assertEquals(1, same.size(), "one deoptimization at " + d.startNanos());
        robot.interact(() -> { view.deoptimizations().getSelectionModel().select(pick); view.deoptimizations().scrollTo(pick - 2); });
        StringBuilder want = new StringBuilder();
        for (JsonNode f : same.get(0).path("stackTrace").path("frames")) {
            JsonNode m = f.path("method");
            int line = f.path("lineNumber").asInt();
            want.append("  at ").append(m.path("type").path("name").asText().replace('/', '.')).append('.').append(m.path("name").asText())
                    .append(line > 0 ? " line: " + line : "").append('\n');
        }
        String shown = view.deoptStackText();
        assertTrue(shown.startsWith(d.method() + " deoptimized at "), shown);
        assertEquals(want.toString(), shown.substring(shown.indexOf('\n') + 1));
        robot.interact(() -> TestProfiles.screenshot(view, "screenshot-jit.png"));
        // a range from the last compilation on
        long from = comps.stream().mapToLong(JitViewTest::start).max().orElseThrow();
        long deoptsAfter = deopts.stream().filter(v -> start(v) >= from).count();
        robot.interact(() -> view.setFilter(Filter.NONE.withTimeRange(from, Long.MAX_VALUE - 1)));
        assertEquals(1, view.compilations().getItems().size());
        assertEquals(deoptsAfter, view.deoptimizations().getItems().size());
        assertTrue(view.headingText().contains("in the chosen time range"), view.headingText());
    }
}
