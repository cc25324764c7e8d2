package dev.hymba.workbench.charts;

import java.util.Arrays;

/**
 * Five-number summary and mean of a set of values, for box plots. Quartiles interpolate linearly between order
 * statistics (position p·(n−1)), the convention of numpy's default percentile, so exported numbers can be checked there.
 */
public record BoxSummary(double min, double q1, double median, double q3, double max, double mean, int n) {
    public static BoxSummary of(float[] values) {
        if (values.length == 0) throw new IllegalArgumentException("no values to summarise");
        double[] v = new double[values.length];
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = values[i];
            s += v[i];
        }
        Arrays.sort(v);
        return new BoxSummary(v[0], quantile(v, .25), quantile(v, .5), quantile(v, .75), v[v.length - 1], s / v.length, v.length);
    }

    /** q-quantile of sorted values by linear interpolation. */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
