package dev.hymba.core.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * High-norm tokens and massive activations on a residual stream x ∈ R^{T×d} (row-major), analyses.md C6.
 * <ul>
 *   <li>Darcet et al.: token i is high-norm if ‖x_i‖₂ &gt; τ (τ is model-specific; pick it from the histogram or
 *       use {@link #relativeThreshold}).</li>
 *   <li>Sun et al.: activation x_{i,c} is massive if |x_{i,c}| &gt; {@code absThreshold} (100 in the paper) and
 *       |x_{i,c}| &gt; {@code ratio} (≈1000) × median |x| over the whole [T,d] tensor.</li>
 * </ul>
 */
public final class ActivationOutliers {

    /** One massive activation. */
    public record Massive(int token, int channel, float value) {}

    /** Token-norm statistics of one group of positions (meta, BOS or ordinary tokens). */
    public record NormGroup(int count, double mean, double max, int argMax) {
        static final NormGroup EMPTY = new NormGroup(0, Double.NaN, Double.NaN, -1);
    }

    /** Norm statistics split by region: positions [0,M), the BOS position M (if present), the rest. */
    public record NormsByRegion(NormGroup meta, NormGroup bos, NormGroup ordinary) {}

    private ActivationOutliers() {}

    /** ‖x_i‖₂ for every token, accumulated in double. */
    public static double[] tokenNorms(float[] x, int seqLen, int width) {
        checkShape(x, seqLen, width);
        double[] n = new double[seqLen];
        for (int i = 0; i < seqLen; i++) {
            double s = 0;
            for (int c = 0; c < width; c++) { double v = x[i * width + c]; s += v * v; }
            n[i] = Math.sqrt(s);
        }
        return n;
    }

    /** Indices i with norms[i] &gt; τ, ascending. */
    public static int[] highNormTokens(double[] norms, double tau) {
        return java.util.stream.IntStream.range(0, norms.length).filter(i -> norms[i] > tau).toArray();
    }

    /** A relative cut-off: factor × the median token norm (for LMs with no published τ). */
    public static double relativeThreshold(double[] norms, double factor) {
        return factor * median(norms.clone());
    }

    /** Median |x| over the whole tensor. */
    public static double medianAbs(float[] x) {
        double[] a = new double[x.length];
        for (int i = 0; i < x.length; i++) a[i] = Math.abs(x[i]);
        return median(a);
    }

    /** Sun et al. massive activations, sorted by decreasing |value|. */
    public static List<Massive> massiveActivations(float[] x, int seqLen, int width, double absThreshold, double ratio) {
        checkShape(x, seqLen, width);
        double cut = Math.max(absThreshold, ratio * medianAbs(x));
        List<Massive> out = new ArrayList<>();
        for (int i = 0; i < seqLen; i++)
            for (int c = 0; c < width; c++) {
                float v = x[i * width + c];
                if (Math.abs(v) > cut) out.add(new Massive(i, c, v));
            }
        out.sort((p, q) -> Float.compare(Math.abs(q.value()), Math.abs(p.value())));
        return out;
    }

    /** Splits token norms into meta [0,M), BOS (position M when {@code hasBos}) and ordinary tokens. */
    public static NormsByRegion byRegion(double[] norms, int metaTokens, boolean hasBos) {
        int bos = hasBos && metaTokens < norms.length ? metaTokens : -1;
        int ordStart = bos >= 0 ? bos + 1 : Math.min(metaTokens, norms.length);
        return new NormsByRegion(group(norms, 0, Math.min(metaTokens, norms.length)),
                bos >= 0 ? group(norms, bos, bos + 1) : NormGroup.EMPTY, group(norms, ordStart, norms.length));
    }

    private static NormGroup group(double[] norms, int from, int to) {
        if (to <= from) return NormGroup.EMPTY;
        double s = 0, max = Double.NEGATIVE_INFINITY;
        int arg = -1;
        for (int i = from; i < to; i++) {
            s += norms[i];
            if (norms[i] > max) { max = norms[i]; arg = i; }
        }
        return new NormGroup(to - from, s / (to - from), max, arg);
    }

    private static double median(double[] a) {
        if (a.length == 0) return Double.NaN;
        Arrays.sort(a);
        int m = a.length / 2;
        return a.length % 2 == 1 ? a[m] : 0.5 * (a[m - 1] + a[m]);
    }

    private static void checkShape(float[] x, int seqLen, int width) {
        if (x.length != (long) seqLen * width)
            throw new IllegalArgumentException("activations have " + x.length + " values, expected T*d = "
                    + seqLen + "*" + width + " = " + (long) seqLen * width);
    }
}
