// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.diff;

/**
 * The context of one family of compared values: the scale applied to base values, both totals (the base total
 * already scaled) and the noise parameters. See {@link Change} for the threshold.
 */
record Comparison(double scale, double scaledBaseTotal, double targetTotal, double noiseFraction, long noiseMin,
                  boolean countUnit) {
    static Comparison of(long baseTotal, long targetTotal, boolean normalize, Diff.Options o, String unit) {
        double scale = normalize && baseTotal > 0 ? (double) targetTotal / baseTotal : 1;
        return new Comparison(scale, baseTotal * scale, targetTotal, o.noiseFraction(), o.noiseMin(), isCountUnit(unit));
    }

    /**
     * For values that are counted completely rather than sampled (a JFR recording's collections, compilations, thrown
     * exceptions): no Poisson term, so {@code 2 -> 6} compilations is a change, not noise.
     */
    static Comparison exact(long baseTotal, long targetTotal, Diff.Options o) {
        return new Comparison(1, baseTotal, targetTotal, o.noiseFraction(), o.noiseMin(), false);
    }

    static boolean isCountUnit(String unit) { return unit.equals("count") || unit.equals("samples"); }

    double noise(double scaledBase, double target) {
        double n = Math.max(noiseFraction * Math.max(scaledBaseTotal, targetTotal), noiseMin);
        if (countUnit) n = Math.max(n, 2 * Math.sqrt(scaledBase + target));
        return n;
    }

    Change change(long base, long target) { return Change.of(base, target, this); }
}
