// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

/** Classes named by events: allocated types, monitor and parked-on classes. One row per name. */
public final class ClassTable {
    private final int[] name;

    ClassTable(int[] name) { this.name = name; }

    public int size() { return name.length; }

    public int name(int classIndex) { return name[classIndex]; }
}
