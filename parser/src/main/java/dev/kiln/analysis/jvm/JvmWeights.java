// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.Weight;
import dev.kiln.analysis.Weights;
import dev.kiln.model.Profile;
import dev.kiln.model.SampleTable;
import dev.kiln.model.ValueType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The weights of {@link Weights} and, for a JFR recording that threw, {@code exceptions} ({@code exceptions/count}):
 * the throwing stacks of {@link ThrownExceptions}, one per throwable, as the Exceptions page and the report's flame
 * graph weigh them. For {@code kiln tree}, {@code peek}, {@code export}, {@code diff} and {@code report --value}, and
 * the views' weight menus ({@link #available}).
 *
 * <p>The exceptions weight reads a table derived from the recording's events, made once per profile and kept while the
 * profile is (weakly, by identity): the weight of one profile is always the same, equal object, so a view that keeps its
 * chosen weight across a new filter (a time range) finds it again among {@link #available}'s.
 */
public final class JvmWeights {
    private static final Map<Profile, Weight> BY_PROFILE = Collections.synchronizedMap(new WeakHashMap<>());

    private JvmWeights() { }

    /** {@link Weights#available}, then {@code exceptions/count} when the recording has a thrown throwable. */
    public static List<Weight> available(Profile p) {
        List<Weight> out = new ArrayList<>(Weights.available(p));
        if (ThrownExceptions.applies(p)) {
            Weight w = exceptions(p);
            if (w.table().size() > 0) out.add(w);
        }
        return out;
    }

    /**
     * {@link #available} without making the exceptions' table (for menus filled on the FX thread): the exceptions
     * weight only once it has been made for {@code p}.
     */
    public static List<Weight> made(Profile p) {
        List<Weight> out = new ArrayList<>(Weights.available(p));
        Weight w = BY_PROFILE.get(p);
        if (w != null && w.table().size() > 0) out.add(w);
        return out;
    }

    /** The types of {@link #available}'s weights, read from the event counts without making the exceptions' table. */
    public static List<ValueType> types(Profile p) {
        List<ValueType> out = new ArrayList<>();
        for (Weight w : Weights.available(p)) out.add(w.type());
        if (ThrownExceptions.threw(p)) out.add(ThrownExceptions.THROWN);
        return out;
    }

    /**
     * The sample tables derived from {@code p}'s events that a summary lists after the profile's own: the exceptions'
     * table when the recording threw (made here if not yet), otherwise none.
     */
    public static List<SampleTable> derivedTables(Profile p) {
        return ThrownExceptions.threw(p) ? List.of(exceptions(p).table()) : List.of();
    }

    /** The throwing stacks of all of {@code p}'s throwables as a weight (one per throwable), the same object on every call. */
    public static Weight exceptions(Profile p) {
        return BY_PROFILE.computeIfAbsent(p, q -> ThrownExceptions.of(q, Filter.NONE).weight(q, null));
    }

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
            return exceptions(p);
        }
        try {
            return Weights.parse(p, spec);
        } catch (IllegalArgumentException e) {
            throw thrown ? new IllegalArgumentException(e.getMessage() + ", " + ThrownExceptions.THROWN) : e;
        }
    }
}
