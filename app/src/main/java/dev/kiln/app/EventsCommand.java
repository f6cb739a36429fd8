// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kiln.io.ProfileLoader;
import dev.kiln.jfr.JfrEvents;
import dev.kiln.jfr.JfrEvents.FieldInfo;
import dev.kiln.jfr.JfrEvents.TypeInfo;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.ProfileFormatException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code kiln events FILE}: every event type a JFR recording declares, with its count (as {@code jfr summary} counts),
 * category path and fields; {@code kiln events FILE --type T}: the events of type T with all their fields, decoded in a
 * pass of their own ({@link JfrEvents}), {@code --json} in the form of the JDK's {@code jfr print --json}.
 */
final class EventsCommand {
    static final String USAGE = """
            usage: kiln events FILE [--json]             every event type: count, category, fields
                   kiln events FILE --type T [options]   the events of type T with all their fields
              --type T          an event type, such as jdk.GCHeapSummary (a name without a dot gets "jdk.")
              --json            the types as a list of objects (name, label, category, count, fields); the events as
                                jfr print --json writes them: {"recording":{"events":[{"type":...,"values":{...}}]}}
              --from S, --to S  only events that start in [S, S) seconds from the start of the recording
              --thread REGEX    only events whose thread's name matches
              --limit N         at most N events
              --stack-depth N   frames per stack trace (default 5, as jfr print)
            """;

    private EventsCommand() { }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String file = null, type = null;
        boolean json = false;
        Pattern thread = null;
        double from = Double.NaN, to = Double.NaN;
        long limit = Long.MAX_VALUE;
        int depth = JfrEvents.STACK_DEPTH;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--json" -> json = true;
                    case "--type" -> type = value(args, i++);
                    case "--thread" -> thread = Pattern.compile(value(args, i++));
                    case "--from" -> from = FilterArgs.seconds(a, value(args, i++));
                    case "--to" -> to = FilterArgs.seconds(a, value(args, i++));
                    case "--limit" -> limit = count(a, value(args, i++));
                    case "--stack-depth" -> depth = (int) Math.min(Integer.MAX_VALUE, count(a, value(args, i++)));
                    default -> {
                        if (a.startsWith("-")) throw new IllegalArgumentException("unknown option " + a);
                        if (file != null) throw new IllegalArgumentException("expected one FILE, got " + file + " and " + a);
                        file = a;
                    }
                }
            }
            if (file == null) throw new IllegalArgumentException("expected a FILE");
            if (type == null && (thread != null || !Double.isNaN(from) || !Double.isNaN(to) || limit != Long.MAX_VALUE)) {
                throw new IllegalArgumentException("--from, --to, --thread and --limit choose events of one --type");
            }
            if (from >= to) throw new IllegalArgumentException("--from " + from + " is not before --to " + to);
        } catch (IllegalArgumentException e) { // PatternSyntaxException is one
            err.println("kiln events: " + (e instanceof PatternSyntaxException p ? "--thread is not a regex: " + p.getDescription() : e.getMessage()));
            err.print(USAGE);
            return Main.USAGE;
        }
        Path path = Path.of(file);
        boolean asJson = json;
        try {
            if (type == null) return ProfileLoader.withJfrFile(path, ProgressSink.NONE, plain -> list(plain, asJson, out, err));
            String t = type.contains(".") ? type : "jdk." + type;
            Query q = new Query(t, thread, from, to, limit, depth, json);
            return ProfileLoader.withJfrFile(path, ProgressSink.NONE, plain -> print(plain, path.getFileName().toString(), q, out, err));
        } catch (ProfileFormatException e) {
            err.println("kiln: " + e.getMessage());
        } catch (IOException e) {
            err.println("kiln: " + file + ": " + e.getMessage());
        }
        return Main.BAD_INPUT;
    }

    private record Query(String type, Pattern thread, double from, double to, long limit, int depth, boolean json) { }

    private static String value(String[] args, int i) {
        if (i + 1 >= args.length) throw new IllegalArgumentException(args[i] + " needs a value");
        return args[i + 1];
    }


    private static long count(String option, String v) {
        try {
            long n = Long.parseLong(v);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " wants a number of 0 or more, not '" + v + "'");
        }
    }

    private static int list(Path plain, boolean json, PrintStream out, PrintStream err) throws IOException, ProfileFormatException {
        JfrEvents.Listing l = JfrEvents.types(plain);
        for (String w : l.warnings()) err.println("kiln: warning: " + w);
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(l.types()));
            return Main.OK;
        }
        long total = 0;
        for (TypeInfo t : l.types()) total += t.count();
        out.printf(Locale.ROOT, "%,d event types, %,d events in %d chunk(s) over %.3f s%n", l.types().size(), total, l.chunks(),
                (l.endEpochNanos() - l.startEpochNanos()) / 1e9);
        out.printf(Locale.ROOT, "%12s  %-44s %s%n", "count", "event type", "category");
        for (TypeInfo t : l.types()) {
            out.printf(Locale.ROOT, "%,12d  %-44s %s%n", t.count(), t.name(), String.join(" / ", t.category()));
            if (t.fields().isEmpty()) continue;
            StringBuilder b = new StringBuilder();
            for (FieldInfo f : t.fields()) {
                b.append(b.length() == 0 ? "" : ", ").append(f.name()).append(": ").append(shortType(f.type())).append(f.array() ? "[]" : "");
                if (f.contentType() != null) b.append(" @").append(f.contentType()).append(f.unit() == null ? "" : "(" + f.unit() + ")");
                if (f.unsigned()) b.append(" @Unsigned");
            }
            out.println("              " + b);
        }
        return Main.OK;
    }

    private static String shortType(String type) {
        return type.startsWith("jdk.types.") ? type.substring(10) : type.startsWith("java.lang.") ? type.substring(10) : type;
    }

    /** The start of jfr print --json's document, up to its list of events. */
    private static void begin(JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeFieldName("recording");
        json.writeStartObject();
        json.writeFieldName("events");
        json.writeStartArray();
    }

    private static int print(Path plain, String name, Query q, PrintStream out, PrintStream err) throws IOException, ProfileFormatException {
        long start = JfrEvents.span(plain).startEpochNanos();
        long from = Double.isNaN(q.from()) ? Long.MIN_VALUE : start + Math.round(q.from() * 1e9);
        long to = Double.isNaN(q.to()) ? Long.MAX_VALUE : start + Math.round(q.to() * 1e9);
        JsonGenerator json = q.json() ? new JsonFactory().createGenerator(out).useDefaultPrettyPrinter() : null;
        if (json != null) json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        long[] shown = {0};
        IOException[] failed = {null};
        StringBuilder text = new StringBuilder();
        JfrEvents.Decoded d = JfrEvents.events(plain, q.type(), q.depth(), e -> {
            if (shown[0] >= q.limit()) return false;
            if (e.startNanos() < from || e.startNanos() >= to) return true;
            if (q.thread() != null && (e.thread() == null || !q.thread().matcher(e.thread()).find())) return true;
            shown[0]++;
            try {
                if (json != null) {
                    if (shown[0] == 1) begin(json);
                    json.writeStartObject();
                    json.writeStringField("type", e.type());
                    json.writeFieldName("values");
                    EventValues.json(json, e.values());
                    json.writeEndObject();
                } else {
                    text.setLength(0);
                    EventValues.text(text, e.type(), e.values());
                    out.print(text);
                }
            } catch (IOException x) {
                failed[0] = x;
                return false;
            }
            return shown[0] < q.limit();
        });
        if (failed[0] != null) throw failed[0];
        if (json != null && d.declared()) { // a type the recording lacks prints nothing but the error
            if (shown[0] == 0) begin(json);
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndObject();
            json.flush();
            out.println();
        }
        for (String w : d.warnings()) err.println("kiln: warning: " + w);
        if (!d.declared()) {
            err.println("kiln: " + name + ": the recording declares no event type " + q.type() + " (`kiln events " + name + "` lists them)");
            return Main.BAD_INPUT;
        }
        return Main.OK;
    }
}
