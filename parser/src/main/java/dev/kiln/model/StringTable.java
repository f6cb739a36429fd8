// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

/** Interned strings; index 0 is always the empty string and no string occurs twice. */
public final class StringTable {
    private final String[] strings;

    StringTable(String[] strings) { this.strings = strings; }

    public int size() { return strings.length; }

    public String get(int stringIndex) { return stringIndex < 0 ? "" : strings[stringIndex]; }
}
