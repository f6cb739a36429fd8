// SPDX-License-Identifier: Apache-2.0
package dev.kiln.formats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.FrameKind;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileBuilder;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.SourceFormat;
import dev.kiln.model.ValueType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a speedscope JSON file (its file-format schema: {@code shared.frames} and {@code sampled} or
 * {@code evented} profiles) into a {@link Profile}. Frames become functions ({@code name}, {@code file}) with
 * their {@code line}. Each profile's weights go to the value type its {@code name} spells when it is
 * {@code kind/unit} (as {@code kiln export} writes), else to one chosen by its unit: {@code samples/count}
 * for {@code none}, {@code time/nanoseconds} for time units (converted to nanoseconds), {@code space/bytes}
 * for bytes; such a profile is also a thread named after the profile (speedscope writers use one profile per
 * thread). Profiles with the same value type share one sample table {@value #TABLE_NAME}. A sampled profile
 * gives one row per sample (frames root first, weight 1 when {@code weights} is missing); an evented profile
 * gives one row per interval between consecutive events while a frame is open, weighted by its length. Any
 * structural problem is a {@link ProfileFormatException}.
 */
public final class SpeedscopeReader {
    public static final String TABLE_NAME = "speedscope";
    private static final Pattern KIND_UNIT = Pattern.compile("^([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)$");

    private SpeedscopeReader() { }

    /** Whether the first bytes are a JSON object whose {@code $schema} names speedscope. */
    public static boolean looksLikeSpeedscope(byte[] head, int length) {
        String s = new String(head, 0, Math.min(length, head.length), StandardCharsets.UTF_8).stripLeading();
        if (s.startsWith("\uFEFF")) s = s.substring(1).stripLeading();
        if (!s.startsWith("{")) return false;
        Matcher m = Pattern.compile("\"\\$schema\"\\s*:\\s*\"([^\"]*)\"").matcher(s);
        return m.find() && m.group(1).contains("speedscope");
    }

    public static Profile read(InputStream in, String name, ProgressSink progress) throws IOException, ProfileFormatException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(in);
        } catch (JsonProcessingException e) {
            throw new ProfileFormatException(name, e.getLocation() == null ? -1 : e.getLocation().getByteOffset(),
                    "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) throw bad(name, "not a JSON object");
        JsonNode frames = root.path("shared").path("frames");
        JsonNode profiles = root.path("profiles");
        if (!frames.isArray() || !profiles.isArray()) throw bad(name, "no shared.frames or profiles array");
        ProfileBuilder b = new ProfileBuilder(SourceFormat.SPEEDSCOPE, name);
        b.producer(root.path("exporter").asText(""));
        int[] frameIndex = new int[frames.size()];
        for (int i = 0; i < frames.size(); i++) {
            JsonNode f = frames.get(i);
            if (!f.path("name").isTextual()) throw bad(name, "frame " + i + " has no name");
            int fn = b.function(f.get("name").asText(), "", f.path("file").asText(""));
            frameIndex[i] = b.frame(fn, Math.max(0, f.path("line").asInt(0)), -1, FrameKind.UNKNOWN, 0);
        }
        Map<ValueType, ProfileBuilder.SampleTableBuilder> tables = new LinkedHashMap<>();
        for (int pi = 0; pi < profiles.size(); pi++) {
            progress.checkCancelled();
            JsonNode p = profiles.get(pi);
            String type = p.path("type").asText(""), pname = p.path("name").asText(""), unit = p.path("unit").asText("none");
            double scale = switch (unit) {
                case "microseconds" -> 1e3;
                case "milliseconds" -> 1e6;
                case "seconds" -> 1e9;
                default -> 1;
            };
            ValueType vt;
            int thread = -1;
            Matcher m = KIND_UNIT.matcher(pname);
            if (m.matches()) {
                vt = new ValueType(m.group(1), m.group(2));
            } else {
                vt = switch (unit) {
                    case "none" -> new ValueType("samples", "count");
                    case "bytes" -> new ValueType("space", "bytes");
                    case "nanoseconds", "microseconds", "milliseconds", "seconds" -> new ValueType("time", "nanoseconds");
                    default -> throw bad(name, "profile " + pi + " has unknown unit '" + unit + "'");
                };
                thread = b.thread(pi, pname.isEmpty() ? "profile " + pi : pname, -1, -1, false);
            }
            ProfileBuilder.SampleTableBuilder t = tables.get(vt);
            if (t == null) {
                t = b.sampleTable(tables.isEmpty() ? TABLE_NAME : TABLE_NAME + "." + vt, List.of(vt), false, false, false);
                tables.put(vt, t);
            }
            if (type.equals("sampled")) {
                JsonNode samples = p.path("samples"), weights = p.path("weights");
                if (!samples.isArray()) throw bad(name, "sampled profile " + pi + " has no samples");
                if (weights.isArray() && weights.size() != samples.size()) throw bad(name, "profile " + pi + ": samples and weights differ in length");
                for (int i = 0; i < samples.size(); i++) {
                    JsonNode s = samples.get(i);
                    if (!s.isArray()) throw bad(name, "profile " + pi + " sample " + i + " is not a list of frames");
                    int stack = -1;
                    for (JsonNode f : s) stack = b.stack(stack, frameAt(name, frameIndex, f));
                    double w = weights.isArray() ? weights.get(i).asDouble() : 1;
                    t.add(stack, thread, Long.MIN_VALUE, -1, Math.round(w * scale));
                }
            } else if (type.equals("evented")) {
                JsonNode events = p.path("events");
                if (!events.isArray()) throw bad(name, "evented profile " + pi + " has no events");
                int[] openFrame = new int[16], outer = new int[16];
                int depth = 0, stack = -1;
                double last = p.path("startValue").asDouble(0);
                for (JsonNode e : events) {
                    double at = e.path("at").asDouble();
                    if (stack >= 0 && at > last) t.add(stack, thread, Long.MIN_VALUE, -1, Math.round((at - last) * scale));
                    last = Math.max(last, at);
                    int f = frameAt(name, frameIndex, e.path("frame"));
                    switch (e.path("type").asText("")) {
                        case "O" -> {
                            if (depth == openFrame.length) {
                                openFrame = Arrays.copyOf(openFrame, depth * 2);
                                outer = Arrays.copyOf(outer, depth * 2);
                            }
                            openFrame[depth] = f;
                            outer[depth++] = stack;
                            stack = b.stack(stack, f);
                        }
                        case "C" -> {
                            if (depth == 0 || openFrame[depth - 1] != f) throw bad(name, "profile " + pi + " closes a frame that is not open");
                            stack = outer[--depth];
                        }
                        default -> throw bad(name, "profile " + pi + " has an event that is neither O nor C");
                    }
                }
            } else {
                throw bad(name, "profile " + pi + " has unknown type '" + type + "'");
            }
        }
        if (tables.isEmpty()) throw bad(name, "no profiles");
        b.count(TABLE_NAME, profiles.size());
        return b.build();
    }

    private static int frameAt(String name, int[] frameIndex, JsonNode f) throws ProfileFormatException {
        if (!f.canConvertToInt() || f.asInt() < 0 || f.asInt() >= frameIndex.length) throw bad(name, "frame index " + f + " out of range");
        return frameIndex[f.asInt()];
    }

    private static ProfileFormatException bad(String name, String why) { return new ProfileFormatException(name, -1, why); }
}
