// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.Weight;
import dev.kiln.analysis.Weights;
import dev.kiln.model.Profile;

import java.util.Locale;

/**
 * The weights of {@link Weights} and, for a JFR recording that threw, {@code exceptions} ({@code exceptions/count}):
 * the throwing stacks of {@link ThrownExceptions}, one per throwable, as the Exceptions page and the report's flame
 * graph weigh them. For {@code kiln tree}, {@code peek}, {@code export}, {@code diff} and {@code report --value}.
 */
public final class JvmWeights {
    private JvmWeights() { }

    /**
     * The weight named {@code spec} ({@link Weights#parse}, or {@code exceptions}), the profile's default for null.
     *
     * @throws IllegalArgumentException naming the choices when there is no such weight
     */
    public static Weight parse(Profile p, String spec) {
        if (spec == null) return Weights.defaultWeight(p);
        boolean thrown = ThrownExceptions.applies(p);
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (thrown && (s.equals(ThrownExceptions.THROWN.kind()) || s.equals(ThrownExceptions.THROWN.toString()))) {
            return ThrownExceptions.of(p, Filter.NONE).weight(p, null);
        }
        try {
            return Weights.parse(p, spec);
        } catch (IllegalArgumentException e) {
            throw thrown ? new IllegalArgumentException(e.getMessage() + ", " + ThrownExceptions.THROWN) : e;
        }
    }
}
