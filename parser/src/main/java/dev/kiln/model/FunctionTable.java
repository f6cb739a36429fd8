// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

/**
 * Functions, one row per distinct (name, container, file). {@code name} is the qualified display name
 * ({@code com.acme.Foo$Bar.run}, {@code main.(*jobQueue).idleWorker}); {@code container} the class or Go
 * package; {@code file} the source file where known. All three are string indices.
 */
public final class FunctionTable {
    private final int[] name, container, file;

    FunctionTable(int[] name, int[] container, int[] file) {
        this.name = name;
        this.container = container;
        this.file = file;
    }

    public int size() { return name.length; }

    public int name(int funcIndex) { return name[funcIndex]; }

    public int container(int funcIndex) { return container[funcIndex]; }

    public int file(int funcIndex) { return file[funcIndex]; }
}
