package dev.hymba.core.analysis;

/**
 * Cross-branch comparison of one layer on the same tokens (analyses.md d.9): attention-head maps A^h against the
 * SSM maps of the matching channel block (|α| or |Ã| from {@link HiddenAttention}), all brought to row-stochastic
 * form first so that the C4/C5 metrics of {@link SinkMetrics} and the locality profile apply to both.
 */
public final class CrossBranch {

    /** Region, entropy and locality summary of one map. */
    public record MapProfile(RegionMasses regions, double meanNormalisedEntropy, double[] localityProfile) {}

    private CrossBranch() {}

    /** Row-normalised |map| over the allowed keys u ≤ t (rows of zeros stay zero). */
    public static float[] rowNormalisedAbs(float[] map, int seqLen) {
        SinkMetrics.checkSquare(map, seqLen);
        float[] out = new float[map.length];
        for (int t = 0; t < seqLen; t++) {
            double s = 0;
            for (int u = 0; u <= t; u++) s += Math.abs(map[t * seqLen + u]);
            if (s == 0) continue;
            for (int u = 0; u <= t; u++) out[t * seqLen + u] = (float) (Math.abs(map[t * seqLen + u]) / s);
        }
        return out;
    }

    /**
     * Row-wise Jensen–Shannon divergence (natural log, in [0, ln 2]) between two row-stochastic lower-triangular
     * maps, for every query t: JS = ½ KL(p‖q̄) + ½ KL(q‖q̄) with q̄ = (p+q)/2.
     */
    public static double[] jsDivergence(float[] p, float[] q, int seqLen) {
        SinkMetrics.checkSquare(p, seqLen);
        SinkMetrics.checkSquare(q, seqLen);
        double[] out = new double[seqLen];
        for (int t = 0; t < seqLen; t++) {
            double js = 0;
            for (int u = 0; u <= t; u++) {
                double a = p[t * seqLen + u], b = q[t * seqLen + u], mid = (a + b) / 2;
                if (a > 0) js += 0.5 * a * Math.log(a / mid);
                if (b > 0) js += 0.5 * b * Math.log(b / mid);
            }
            out[t] = js;
        }
        return out;
    }

    /** Mean JS divergence over the real-token queries t ≥ M. */
    public static double meanJsDivergence(float[] p, float[] q, int seqLen, int metaTokens) {
        double[] js = jsDivergence(p, q, seqLen);
        double s = 0;
        for (int t = metaTokens; t < seqLen; t++) s += js[t];
        return seqLen > metaTokens ? s / (seqLen - metaTokens) : Double.NaN;
    }

    /**
     * Regions (C4), mean normalised entropy (C5) and locality profile (d.9) of a row-stochastic map. For an SSM map
     * pass the causal mask: hidden attention reaches every earlier key, whatever the layer's attention window.
     */
    public static MapProfile profile(float[] rowStochastic, int seqLen, AttentionMask mask, boolean hasBos, int window) {
        return new MapProfile(SinkMetrics.regionMasses(rowStochastic, seqLen, mask.metaTokens(), hasBos),
                SinkMetrics.nanMean(SinkMetrics.normalisedEntropy(rowStochastic, seqLen, mask)),
                SinkMetrics.localityProfile(rowStochastic, seqLen, mask.metaTokens(), window));
    }
}
