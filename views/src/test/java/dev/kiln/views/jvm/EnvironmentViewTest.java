// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.jvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.model.Profile;
import dev.kiln.views.tree.TestProfiles;
import javafx.scene.Scene;
import javafx.scene.control.TreeItem;
import javafx.scene.input.Clipboard;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.io.InputStream;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Environment page on jdk17-mixed.jfr against the JDK's jfr print --json of the environment events
 * (print/jdk17-mixed.env.json.gz): the groups, the JVM's arguments, every system property and changed flag, the search
 * and copying a value.
 */
@ExtendWith(ApplicationExtension.class)
class EnvironmentViewTest {
    private EnvironmentView view;

    @Start
    void start(Stage stage) {
        view = new EnvironmentView();
        stage.setScene(new Scene(view, 1400, 800));
        stage.show();
    }

    @Test
    void groupsSearchAndCopyShowWhatJfrPrints(FxRobot robot) throws Exception {
        Map<String, String> properties = new LinkedHashMap<>();
        TreeSet<String> flags = new TreeSet<>();
        JsonNode jvm = null;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(TestProfiles.CAPTURES.resolve("jfr/print/jdk17-mixed.env.json.gz")))) {
            for (JsonNode e : new ObjectMapper().readTree(in).path("recording").path("events")) {
                JsonNode v = e.path("values");
                switch (e.path("type").asText()) {
                    case "jdk.InitialSystemProperty" -> properties.putIfAbsent(v.path("key").asText(), v.path("value").asText());
                    case "jdk.JVMInformation" -> jvm = jvm == null ? v : jvm;
                    default -> { if (e.path("type").asText().endsWith("Flag") && !v.path("origin").asText().equals("Default")) flags.add(v.path("name").asText()); }
                }
            }
        }
        Profile p = TestProfiles.mixed();
        robot.interact(() -> view.setProfile(p));
        assertEquals(List.of("JVM", "OS", "CPU", "Memory", "Virtualization", "Container", "Recording",
                "Flags not at their default (" + flags.size() + ")", "System properties (" + properties.size() + ")"),
                view.groupTitles().subList(0, 9));
        assertTrue(view.groupTitles().get(10).startsWith("Recording settings ("), view.groupTitles().toString());
        Map<String, String> gotProps = new LinkedHashMap<>();
        view.rowsOf("System properties").forEach(e -> gotProps.put(e.name(), e.value()));
        assertEquals(properties, gotProps);
        TreeSet<String> gotFlags = new TreeSet<>();
        view.rowsOf("Flags").forEach(e -> gotFlags.add(e.name()));
        assertEquals(flags, gotFlags);
        String args = jvm.path("jvmArguments").asText();
        assertTrue(view.rowsOf("JVM").contains(new EnvironmentView.Entry("JVM Command Line Arguments", args, "")), view.rowsOf("JVM").toString());
        robot.interact(() -> TestProfiles.screenshot(view, "screenshot-environment.png"));

        // the search keeps matching rows (names or values) and their groups only
        robot.interact(() -> view.setSearch("java.vm.version"));
        assertEquals(List.of("System properties (" + properties.size() + ")"), view.groupTitles());
        assertEquals(List.of(new EnvironmentView.Entry("java.vm.version", properties.get("java.vm.version"), "")), view.rowsOf("System"));
        // select it and copy its value
        robot.interact(() -> {
            TreeItem<EnvironmentView.Entry> item = view.table().getRoot().getChildren().get(0).getChildren().get(0);
            view.table().getSelectionModel().select(item);
        });
        assertEquals(properties.get("java.vm.version"), view.copyText(false));
        assertEquals("java.vm.version=" + properties.get("java.vm.version"), view.copyText(true));
        robot.interact(() -> view.table().requestFocus());
        robot.press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.C).release(javafx.scene.input.KeyCode.C, javafx.scene.input.KeyCode.CONTROL);
        String[] clip = new String[1];
        robot.interact(() -> clip[0] = Clipboard.getSystemClipboard().getString());
        assertEquals(properties.get("java.vm.version"), clip[0]);
        assertTrue(view.fullValueText().startsWith("java.vm.version = "), view.fullValueText());
        robot.interact(() -> view.setSearch("no such thing at all"));
        assertEquals(List.of(), view.groupTitles());
    }
}
