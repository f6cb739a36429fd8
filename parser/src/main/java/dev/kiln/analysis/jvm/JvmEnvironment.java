// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import dev.kiln.model.JfrEventTable;
import dev.kiln.model.JfrField;
import dev.kiln.model.JfrValueText;
import dev.kiln.model.Profile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * Where a JFR recording was made, as JMC's Environment page and {@code kiln env} show it: the first event of each
 * {@link #SECTIONS section} type (JVM, OS, CPU, memory, virtualization, container, the recording), the system
 * properties and environment variables at start (first value of a key wins), the flags ({@code jdk.*Flag}; those not
 * at their default unless all are asked for, by name) and the recording settings per event type (name to value).
 *
 * <p>The selection is shared by the CLI, which reads the events in a pass of its own and keeps each as the JDK's
 * values ({@code E} = its struct), and the Environment page and the report, which read the profile's event store
 * ({@link #of(Profile, boolean)}: {@code E} = the event's fields as text, by path). Immutable once built.
 *
 * @param <E> how one event is held
 */
public final class JvmEnvironment<E> {
    /** Section key to the event type whose first event it shows, in the order shown. */
    public static final Map<String, String> SECTIONS = new LinkedHashMap<>();
    static {
        SECTIONS.put("jvm", "jdk.JVMInformation");
        SECTIONS.put("os", "jdk.OSInformation");
        SECTIONS.put("cpu", "jdk.CPUInformation");
        SECTIONS.put("memory", "jdk.PhysicalMemory");
        SECTIONS.put("virtualization", "jdk.VirtualizationInformation");
        SECTIONS.put("container", "jdk.ContainerConfiguration");
        SECTIONS.put("recording", "jdk.ActiveRecording");
    }
    public static final List<String> FLAG_TYPES = List.of("jdk.BooleanFlag", "jdk.IntFlag", "jdk.UnsignedIntFlag", "jdk.LongFlag",
            "jdk.UnsignedLongFlag", "jdk.DoubleFlag", "jdk.StringFlag");
    public static final String PROPERTY = "jdk.InitialSystemProperty", VARIABLE = "jdk.InitialEnvironmentVariable", SETTING = "jdk.ActiveSetting";
    /** Every type read. */
    public static final List<String> TYPES;
    static {
        List<String> t = new ArrayList<>(SECTIONS.values());
        t.addAll(List.of(PROPERTY, VARIABLE, SETTING));
        t.addAll(FLAG_TYPES);
        TYPES = List.copyOf(t);
    }
    /** The event header's fields, which say when and on which thread the JVM wrote the information, not what it is. */
    public static final List<String> HEADER = List.of("startTime", "duration", "eventThread", "stackTrace");

    private final Map<String, E> sections;
    private final Map<String, String> properties, environment;
    private final List<E> flags;
    private final Map<String, Map<String, String>> settings;

    private JvmEnvironment(Map<String, E> sections, Map<String, String> properties, Map<String, String> environment, List<E> flags,
                           Map<String, Map<String, String>> settings) {
        this.sections = sections;
        this.properties = properties;
        this.environment = environment;
        this.flags = flags;
        this.settings = settings;
    }

    /** Section key ({@link #SECTIONS}) to its event, in section order; only the sections the recording has. */
    public Map<String, E> sections() { return sections; }

    public Map<String, String> properties() { return properties; }

    public Map<String, String> environment() { return environment; }

    /** The flag events kept, by name. */
    public List<E> flags() { return flags; }

    /** Event type name (its id when the recording does not name it) to its settings, both sorted. */
    public Map<String, Map<String, String>> settings() { return settings; }

    public boolean isEmpty() { return sections.isEmpty() && properties.isEmpty() && flags.isEmpty() && settings.isEmpty(); }

    /** Whether the profile's event store has any event this reads. */
    public static boolean applies(Profile p) {
        for (String type : TYPES) {
            JfrEventTable t = p.jfrEvents().table(type);
            if (t != null && t.size() > 0) return true;
        }
        return false;
    }

    /** A section key for people: {@code JVM}, {@code OS}, {@code Recording}. */
    public static String title(String section) {
        return switch (section) {
            case "jvm" -> "JVM";
            case "os" -> "OS";
            case "cpu" -> "CPU";
            default -> Character.toUpperCase(section.charAt(0)) + section.substring(1);
        };
    }

    /** Starts a selection; {@code typeName} names an event type id ({@code jdk.ActiveSetting}'s {@code id}), or null. */
    public static <E> Collector<E> collector(boolean allFlags, LongFunction<String> typeName) { return new Collector<>(allFlags, typeName); }

    /** Takes events one at a time, in the recording's order. */
    public static final class Collector<E> {
        private final boolean allFlags;
        private final LongFunction<String> typeName;
        private final Map<String, E> once = new HashMap<>();
        private final Map<String, String> properties = new LinkedHashMap<>(), environment = new LinkedHashMap<>();
        private final Map<String, E> flags = new TreeMap<>();
        private final Map<String, Map<String, String>> settings = new TreeMap<>();

        private Collector(boolean allFlags, LongFunction<String> typeName) {
            this.allFlags = allFlags;
            this.typeName = typeName;
        }

        /** One event of {@code type}; {@code field} reads its fields by name (a text or a number for those used here). */
        public void accept(String type, E event, Function<String, Object> field) {
            switch (type) {
                case PROPERTY -> properties.putIfAbsent(String.valueOf(field.apply("key")), String.valueOf(field.apply("value")));
                case VARIABLE -> environment.putIfAbsent(String.valueOf(field.apply("key")), String.valueOf(field.apply("value")));
                case SETTING -> {
                    Object v = field.apply("id");
                    String id = String.valueOf(v), name = null;
                    try {
                        name = typeName.apply(v instanceof Number n ? n.longValue() : Long.parseLong(id));
                    } catch (NumberFormatException e) {
                        // an id that is no number: keep it as it is
                    }
                    settings.computeIfAbsent(name == null ? id : name, k -> new TreeMap<>())
                            .put(String.valueOf(field.apply("name")), String.valueOf(field.apply("value")));
                }
                default -> {
                    if (FLAG_TYPES.contains(type)) {
                        if (allFlags || !"Default".equals(field.apply("origin"))) flags.putIfAbsent(String.valueOf(field.apply("name")), event);
                    } else if (SECTIONS.containsValue(type)) {
                        once.putIfAbsent(type, event);
                    }
                }
            }
        }

        public JvmEnvironment<E> build() {
            Map<String, E> ordered = new LinkedHashMap<>();
            SECTIONS.forEach((key, type) -> { if (once.containsKey(type)) ordered.put(key, once.get(type)); });
            return new JvmEnvironment<>(Collections.unmodifiableMap(ordered), Collections.unmodifiableMap(new LinkedHashMap<>(properties)),
                    Collections.unmodifiableMap(new LinkedHashMap<>(environment)), List.copyOf(flags.values()),
                    Collections.unmodifiableMap(new TreeMap<>(settings)));
        }
    }

    /**
     * The environment in a profile's event store (empty without one), each event as its fields' text by path, in the
     * metadata's order, the header's fields left out: numbers by their content type (bytes, durations, percentages,
     * times as ISO instants in UTC), threads and classes by name.
     */
    public static JvmEnvironment<Map<String, String>> of(Profile p, boolean allFlags) {
        Map<Long, String> names = new HashMap<>();
        for (JfrEventTable t : p.jfrEvents().tables()) if (t.id() >= 0) names.putIfAbsent(t.id(), t.name());
        Collector<Map<String, String>> c = collector(allFlags, names::get);
        for (String type : TYPES) {
            JfrEventTable t = p.jfrEvents().table(type);
            for (int r = 0; t != null && r < t.size(); r++) {
                Map<String, String> fields = new LinkedHashMap<>();
                for (JfrField f : t.fields()) if (!HEADER.contains(f.path())) fields.put(f.path(), text(p, f, r));
                c.accept(type, fields, fields::get);
            }
        }
        return c.build();
    }

    /**
     * One value for people, as {@link #of(Profile, boolean)} describes: as the Events page shows it
     * ({@link JfrValueText#cell}), but a time as the instant it is (a setting's or the recording's start, not a time
     * into the recording) and no stack.
     */
    public static String text(Profile p, JfrField f, int row) {
        if (f.kind() == JfrField.Kind.STACK) return "";
        if (f.kind() != JfrField.Kind.LONG || !"Timestamp".equals(f.contentType())) return JfrValueText.cell(p, f, row);
        long v = f.longValue(row);
        if (v == Long.MIN_VALUE || v == Long.MAX_VALUE) return "N/A";
        return Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000_000L), Math.floorMod(v, 1_000_000_000L)).toString();
    }
}
