// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.diff;

/**
 * One value compared across two profiles. {@code base} and {@code target} are the raw values;
 * {@code scaledBase} is {@code base} times the comparison's scale (1, or {@code targetTotal / baseTotal} in
 * normalized mode, as {@code pprof -normalize}); {@code delta = target - scaledBase}.
 * {@code pctOfBaseTotal} and {@code pctOfTargetTotal} are the delta as a percentage of the (scaled) base total and
 * of the target total; {@code relativePct} is the delta as a percentage of {@code scaledBase} (positive infinity
 * when the base is 0 and the target is not, 0 when both are 0).
 *
 * <p><b>Status and noise.</b> {@link Status#NEW} / {@link Status#GONE} when exactly one side is 0. Otherwise the
 * change is {@link Status#SAME} when {@code |delta| < noise}, where
 * <pre>
 *   noise = max(noiseFraction * max(scaled base total, target total),   default 1% of the larger total
 *               2 * sqrt(scaledBase + target)   for count units only (count, samples): two standard
 *                                               deviations of the difference of two Poisson counts,
 *               noiseMin)                       an absolute floor in the value's unit, default 0
 * </pre>
 * and {@link Status#GREW} / {@link Status#SHRANK} beyond it. A value equal on both sides is always SAME.
 */
public record Change(long base, long target, double scaledBase, double delta, double pctOfBaseTotal,
                     double pctOfTargetTotal, double relativePct, Status status) {

    /** A change of {@code base -> target} under a comparison's scale, totals and noise threshold. */
    static Change of(long base, long target, Comparison c) {
        double sb = base * c.scale();
        double delta = target - sb;
        double pb = c.scaledBaseTotal() == 0 ? 0 : 100 * delta / c.scaledBaseTotal();
        double pt = c.targetTotal() == 0 ? 0 : 100 * delta / c.targetTotal();
        double rel = sb == 0 ? (target == 0 ? 0 : Double.POSITIVE_INFINITY) : 100 * delta / sb;
        Status s;
        if (base == 0 && target == 0) s = Status.SAME;
        else if (base == 0) s = Status.NEW;
        else if (target == 0) s = Status.GONE;
        else if (delta == 0 || Math.abs(delta) < c.noise(sb, target)) s = Status.SAME;
        else s = delta > 0 ? Status.GREW : Status.SHRANK;
        return new Change(base, target, sb, delta, pb, pt, rel, s);
    }

    /** Whether the value is (about) the same on both sides. */
    public boolean isSame() { return status == Status.SAME; }
}
