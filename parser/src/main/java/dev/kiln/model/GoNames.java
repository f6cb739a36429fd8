// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

/** Go's naming of functions, shared by the readers of Go's formats. */
public final class GoNames {
    private GoNames() { }

    /**
     * Go package of a qualified function name: the text before the first {@code .} that follows the last {@code /}
     * ({@code runtime/pprof.writeGoroutine} gives {@code runtime/pprof}, {@code main.(*T).m} gives {@code main}).
     * Type parameters in brackets are ignored when looking for the {@code /}. Empty when there is no {@code .}.
     */
    public static String packageOf(String name) {
        int bracket = name.indexOf('[');
        String head = bracket < 0 ? name : name.substring(0, bracket);
        int slash = head.lastIndexOf('/');
        int dot = head.indexOf('.', slash + 1);
        return dot <= 0 ? "" : name.substring(0, dot);
    }
}
