// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.io.ProfileLoader;
import dev.kiln.jfr.JfrEvents;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.Units;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Environment page's selection, read from the profile's event store, against the JDK's {@code jfr print --json}
 * of the types it reads (print-truth.sh's {@code *.env.json.gz}): sections, system properties, environment variables,
 * flags not at their default and the recording settings per event type, every value recomputed from the JDK's events.
 */
class JvmEnvironmentTest {
    @ParameterizedTest
    @ValueSource(strings = {"jdk17-mixed", "jdk25-mixed"})
    void theStoresEnvironmentIsWhatJfrPrints(String name) throws Exception {
        List<JsonNode> events = CpuLoadTest.truth(name, "env");
        Profile p = CpuLoadTest.load(name);
        JvmEnvironment<Map<String, String>> env = JvmEnvironment.of(p, false);
        Map<String, JsonNode> first = new LinkedHashMap<>();
        Map<String, String> properties = new LinkedHashMap<>(), variables = new LinkedHashMap<>();
        TreeSet<String> flags = new TreeSet<>(), allFlags = new TreeSet<>();
        Map<Long, Map<String, String>> settings = new HashMap<>();
        for (JsonNode e : events) {
            String t = e.path("type").asText();
            JsonNode v = e.path("values");
            first.putIfAbsent(t, v);
            if (t.equals("jdk.InitialSystemProperty")) properties.putIfAbsent(v.path("key").asText(), v.path("value").asText());
            else if (t.equals("jdk.InitialEnvironmentVariable")) variables.putIfAbsent(v.path("key").asText(), v.path("value").asText());
            else if (t.equals("jdk.ActiveSetting")) settings.computeIfAbsent(v.path("id").asLong(), k -> new TreeMap<>()).put(v.path("name").asText(), v.path("value").asText());
            else if (t.endsWith("Flag")) {
                allFlags.add(v.path("name").asText());
                if (!v.path("origin").asText().equals("Default")) flags.add(v.path("name").asText());
            }
        }
        // sections: the ones the recording has, each the first event's values
        List<String> want = JvmEnvironment.SECTIONS.entrySet().stream().filter(s -> first.containsKey(s.getValue())).map(Map.Entry::getKey).toList();
        assertEquals(want, List.copyOf(env.sections().keySet()));
        JsonNode jvm = first.get("jdk.JVMInformation"), os = first.get("jdk.OSInformation"), cpu = first.get("jdk.CPUInformation");
        Map<String, String> gotJvm = env.sections().get("jvm");
        for (String f : List.of("jvmName", "jvmVersion", "jvmArguments", "javaArguments", "jvmFlags")) assertEquals(jvm.path(f).isNull() ? "" : jvm.path(f).asText(), gotJvm.get(f), f); // a null string is shown empty
        assertEquals(jvm.path("pid").asText(), gotJvm.get("pid"));
        assertEquals(jvm.path("jvmStartTime").asText().replaceAll("\\.?0*Z$", ""), gotJvm.get("jvmStartTime").replaceAll("\\.?0*Z$", ""));
        assertEquals(os.path("osVersion").asText(), env.sections().get("os").get("osVersion"));
        for (String f : List.of("cpu", "description")) assertEquals(cpu.path(f).asText(), env.sections().get("cpu").get(f), f);
        for (String f : List.of("sockets", "cores", "hwThreads")) assertEquals(cpu.path(f).asText(), env.sections().get("cpu").get(f), f);
        assertEquals(Units.bytes(first.get("jdk.PhysicalMemory").path("totalSize").asLong()), env.sections().get("memory").get("totalSize"));
        JsonNode rec = first.get("jdk.ActiveRecording");
        assertEquals(rec.path("destination").asText(), env.sections().get("recording").get("destination"));
        assertEquals(rec.path("name").asText(), env.sections().get("recording").get("name"));

        assertEquals(properties, env.properties());
        assertEquals(variables, env.environment());
        TreeSet<String> gotFlags = new TreeSet<>();
        env.flags().forEach(f -> gotFlags.add(f.get("name")));
        assertTrue(flags.size() > 5, flags.toString());
        assertEquals(flags, gotFlags);
        TreeSet<String> gotAll = new TreeSet<>();
        JvmEnvironment.of(p, true).flags().forEach(f -> gotAll.add(f.get("name")));
        assertEquals(allFlags, gotAll);

        // the settings by the type the id names (the metadata's ids, read in a pass of their own)
        Path file = Files.exists(CpuLoadTest.JFR.resolve(name + ".jfr")) ? CpuLoadTest.JFR.resolve(name + ".jfr") : CpuLoadTest.JFR.resolve("print/" + name + ".jfr");
        Map<Long, String> names = new HashMap<>();
        ProfileLoader.withJfrFile(file, ProgressSink.NONE, plain -> {
            for (JfrEvents.TypeInfo t : JfrEvents.types(plain).types()) names.put(t.id(), t.name());
            return null;
        });
        Map<String, Map<String, String>> wantSettings = new TreeMap<>();
        settings.forEach((id, s) -> wantSettings.put(names.getOrDefault(id, String.valueOf(id)), s));
        assertTrue(wantSettings.size() > 50);
        assertEquals(wantSettings, env.settings());
    }

    @Test
    void aPprofProfileHasNoEnvironment() throws Exception {
        Profile p = ProfileLoader.load(CpuLoadTest.JFR.resolveSibling("pprof/cpu-regressed.pb.gz"), ProgressSink.NONE);
        assertTrue(JvmEnvironment.of(p, false).isEmpty());
    }
}
