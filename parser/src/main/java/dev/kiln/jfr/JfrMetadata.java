// SPDX-License-Identifier: Apache-2.0
package dev.kiln.jfr;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The type system a JFR chunk declares in its metadata event: every class (event types, constant-pool types,
 * primitives) with its fields in the order their values are written. Built by the streaming reader
 * ({@link ChunkPools#readMetadata}).
 */
final class JfrMetadata {
    /** How a value of a type is encoded. */
    static final int STRUCT = 0, BOOLEAN = 1, BYTE = 2, CHAR = 3, SHORT = 4, INT = 5, LONG = 6, FLOAT = 7, DOUBLE = 8,
            STRING = 9;

    static final class Type {
        final long id;
        final String name;
        final int encoding;
        final List<Field> fields = new ArrayList<>();

        Type(long id, String name) {
            this.id = id;
            this.name = name;
            this.encoding = switch (name) {
                case "boolean" -> BOOLEAN;
                case "byte" -> BYTE;
                case "char" -> CHAR;
                case "short" -> SHORT;
                case "int" -> INT;
                case "long" -> LONG;
                case "float" -> FLOAT;
                case "double" -> DOUBLE;
                case "java.lang.String" -> STRING;
                default -> STRUCT;
            };
        }

        int fieldIndex(String fieldName) {
            for (int i = 0; i < fields.size(); i++) if (fields.get(i).name.equals(fieldName)) return i;
            return -1;
        }
    }

    static final class Field {
        final String name;
        final long typeId;
        final boolean constantPool;
        final boolean array;
        /** For a timespan: nanoseconds per unit, or {@link #TICKS}; 0 when the field is not a timespan. */
        long timespan;
        Type type;

        Field(String name, long typeId, boolean constantPool, boolean array) {
            this.name = name;
            this.typeId = typeId;
            this.constantPool = constantPool;
            this.array = array;
        }
    }

    static final long TICKS = -1;

    /**
     * The last metadata a load parsed, by its bytes, for the chunks read after it: a recording's chunks mostly repeat
     * it byte for byte, and a parse takes longer than the comparison. Shared by the load's workers; a {@link
     * JfrMetadata} is not changed once built.
     */
    static final class Seen {
        private byte[] bytes;
        private JfrMetadata meta;

        synchronized JfrMetadata get(byte[] data, int from, int to) {
            return bytes != null && java.util.Arrays.equals(bytes, 0, bytes.length, data, from, to) ? meta : null;
        }

        synchronized void put(byte[] data, int from, int to, JfrMetadata parsed) {
            bytes = java.util.Arrays.copyOfRange(data, from, to);
            meta = parsed;
        }
    }

    final Map<Long, Type> types = new HashMap<>();
    /** The metadata tree the types were built from: its annotations (labels, categories, units) are read only by {@link JfrEvents}. */
    Element root;
    private JfrEvents.TypeInfos infos;

    /** The event types' labels, categories and fields' units, made once for the chunks that share this metadata. */
    synchronized JfrEvents.TypeInfos infos() {
        if (infos == null) infos = JfrEvents.TypeInfos.of(this);
        return infos;
    }

    /** One element of the metadata tree: a name, attributes, children. */
    record Element(String name, Map<String, String> attributes, List<Element> children) {
        String attr(String key) { return attributes.get(key); }
    }

    /** Builds the type table from the metadata tree's root; throws IllegalArgumentException when it is inconsistent. */
    static JfrMetadata of(Element root) {
        JfrMetadata meta = new JfrMetadata();
        meta.root = root;
        List<Element> classes = new ArrayList<>();
        for (Element section : root.children()) {
            if (!section.name().equals("metadata")) continue;
            for (Element c : section.children()) if (c.name().equals("class")) classes.add(c);
        }
        for (Element c : classes) {
            long id = parseId(c.attr("id"));
            String name = c.attr("name");
            if (name == null) throw new IllegalArgumentException("a class without a name in the metadata");
            meta.types.put(id, new Type(id, name));
        }
        for (Element c : classes) {
            Type t = meta.types.get(parseId(c.attr("id")));
            for (Element f : c.children()) {
                if (!f.name().equals("field")) continue;
                Field field = new Field(String.valueOf(f.attr("name")), parseId(f.attr("class")),
                        "true".equals(f.attr("constantPool")), f.attr("dimension") != null && !"0".equals(f.attr("dimension")));
                field.type = meta.types.get(field.typeId);
                if (field.type == null) {
                    throw new IllegalArgumentException("field " + t.name + "." + field.name + " has an undeclared type " + field.typeId);
                }
                for (Element a : f.children()) {
                    if (!a.name().equals("annotation")) continue;
                    Type annotation = meta.types.get(parseId(a.attr("class")));
                    if (annotation != null && annotation.name.equals("jdk.jfr.Timespan")) field.timespan = unit(a.attr("value"));
                }
                t.fields.add(field);
            }
        }
        return meta;
    }

    private static long unit(String value) {
        if (value == null) return 0;
        return switch (value) {
            case "TICKS" -> TICKS;
            case "NANOSECONDS" -> 1;
            case "MICROSECONDS" -> 1_000;
            case "MILLISECONDS" -> 1_000_000;
            case "SECONDS" -> 1_000_000_000;
            default -> 0;
        };
    }

    private static long parseId(String s) {
        if (s == null) throw new IllegalArgumentException("a class or field without an id in the metadata");
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a class id that is not a number: " + s);
        }
    }
}
