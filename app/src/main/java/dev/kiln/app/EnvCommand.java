// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kiln.analysis.jvm.JvmEnvironment;
import dev.kiln.io.ProfileLoader;
import dev.kiln.jfr.JfrEvents;
import dev.kiln.jfr.JfrEvents.Event;
import dev.kiln.jfr.JfrEvents.Struct;
import dev.kiln.jfr.JfrEvents.TypeInfo;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.ProfileFormatException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code kiln env FILE}: where a JFR recording was made, from the events the load does not keep, read in a pass of
 * their own ({@link JfrEvents}): the JVM (version, arguments, flags not at their default), the OS, CPU, memory,
 * virtualization and container, the system properties and environment variables at start, and the recording's
 * settings per event type. {@code --json} keeps each event's values as {@code jfr print --json} writes them.
 */
final class EnvCommand {
    static final String USAGE = """
            usage: kiln env FILE [--json] [--all-flags]   JVM, OS, CPU, memory, container, system properties,
                                                      environment variables and recording settings of a JFR
                                                      recording (--all-flags: flags at their default too)
            """;

    /** What the recording says of its environment, each event as the JDK's values. */
    record Env(JvmEnvironment<Struct> selection) {
        Map<String, Struct> once() { return selection.sections(); }
        Map<String, String> properties() { return selection.properties(); }
        Map<String, String> environment() { return selection.environment(); }
        List<Struct> flags() { return selection.flags(); }
        Map<String, Map<String, String>> settings() { return selection.settings(); }
    }

    private EnvCommand() { }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String file = null;
        boolean json = false, allFlags = false;
        for (String a : args) {
            if (a.equals("--json")) json = true;
            else if (a.equals("--all-flags")) allFlags = true;
            else if (a.startsWith("-") || file != null) {
                err.println("kiln env: " + (a.startsWith("-") ? "unknown option " + a : "expected one FILE"));
                err.print(USAGE);
                return Main.USAGE;
            } else file = a;
        }
        if (file == null) {
            err.println("kiln env: expected a FILE");
            err.print(USAGE);
            return Main.USAGE;
        }
        Path path = Path.of(file);
        boolean all = allFlags;
        try {
            Env env = ProfileLoader.withJfrFile(path, ProgressSink.NONE, plain -> of(plain, all, err));
            if (json) json(env, out);
            else text(env, out);
            return Main.OK;
        } catch (ProfileFormatException e) {
            err.println("kiln: " + e.getMessage());
        } catch (IOException e) {
            err.println("kiln: " + file + ": " + e.getMessage());
        }
        return Main.BAD_INPUT;
    }

    static Env of(Path plain, boolean allFlags, PrintStream err) throws IOException, ProfileFormatException {
        Map<Long, String> typeNames = new HashMap<>();
        for (TypeInfo t : JfrEvents.types(plain).types()) if (t.id() >= 0) typeNames.put(t.id(), t.name());
        JvmEnvironment.Collector<Struct> c = JvmEnvironment.collector(allFlags, typeNames::get);
        JfrEvents.Decoded d = JfrEvents.events(plain, JvmEnvironment.TYPES, 0, (Event e) -> {
            c.accept(e.type(), e.values(), f -> e.values().get(f) instanceof JfrEvents.Quantity q ? q.value() : e.values().get(f));
            return true;
        });
        for (String w : d.warnings()) err.println("kiln: warning: " + w);
        return new Env(c.build());
    }

    private static void json(Env env, PrintStream out) throws IOException {
        JsonGenerator g = new JsonFactory().createGenerator(out).useDefaultPrettyPrinter();
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.writeStartObject();
        for (Map.Entry<String, Struct> s : env.once().entrySet()) {
            g.writeFieldName(s.getKey());
            EventValues.json(g, s.getValue());
        }
        strings(g, "systemProperties", env.properties());
        strings(g, "environmentVariables", env.environment());
        g.writeFieldName("flags");
        g.writeStartArray();
        for (Struct f : env.flags()) {
            g.writeStartObject();
            g.writeStringField("type", f.type());
            for (String k : List.of("name", "value", "origin")) {
                g.writeFieldName(k);
                EventValues.json(g, f.get(k));
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeFieldName("settings");
        g.writeStartObject();
        for (Map.Entry<String, Map<String, String>> s : env.settings().entrySet()) strings(g, s.getKey(), s.getValue());
        g.writeEndObject();
        g.writeEndObject();
        g.flush();
        out.println();
    }

    private static void strings(JsonGenerator g, String name, Map<String, String> m) throws IOException {
        g.writeFieldName(name);
        g.writeStartObject();
        for (Map.Entry<String, String> e : m.entrySet()) g.writeStringField(e.getKey(), e.getValue());
        g.writeEndObject();
    }

    private static void text(Env env, PrintStream out) {
        for (Map.Entry<String, Struct> s : env.once().entrySet()) {
            out.println(JvmEnvironment.title(s.getKey()));
            for (Map.Entry<String, Object> f : s.getValue().fields().entrySet()) {
                if (JvmEnvironment.HEADER.contains(f.getKey())) continue;
                String v = (f.getValue() instanceof String str ? str.strip() : EventValues.scalar(f.getValue())).replace("\n", "\n" + " ".repeat(24));
                out.printf(Locale.ROOT, "  %-20s  %s%n", f.getKey(), v);
            }
        }
        out.printf(Locale.ROOT, "Flags (%d%s)%n", env.flags().size(), env.flags().stream().allMatch(f -> !"Default".equals(f.get("origin")))
                ? " not at their default" : "");
        for (Struct f : env.flags()) {
            out.printf(Locale.ROOT, "  %-40s  %s (%s)%n", f.get("name"), EventValues.scalar(f.get("value")), f.get("origin"));
        }
        section(out, "System properties", env.properties());
        section(out, "Environment variables", env.environment());
        out.printf(Locale.ROOT, "Recording settings (%d event types)%n", env.settings().size());
        for (Map.Entry<String, Map<String, String>> s : env.settings().entrySet()) {
            StringBuilder b = new StringBuilder();
            s.getValue().forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append('=').append(v));
            out.printf(Locale.ROOT, "  %-44s  %s%n", s.getKey(), b);
        }
    }

    private static void section(PrintStream out, String title, Map<String, String> m) {
        out.printf(Locale.ROOT, "%s (%d)%n", title, m.size());
        m.forEach((k, v) -> out.printf(Locale.ROOT, "  %s = %s%n", k, v));
    }
}
