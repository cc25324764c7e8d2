package dev.hymba.core.analysis;

import java.util.List;

/**
 * Attention-sink metrics over one full post-softmax map A ∈ R^{T×T} (row-major {@code float[T*T]}, row = query,
 * column = key), analyses.md §c. These are the direct, whole-matrix forms used for on-demand maps and as the
 * reference for the streaming {@link HeadStatistics}; the engine should prefer the streaming form.
 */
public final class SinkMetrics {

    /** Gu et al.'s reference threshold ε (C1). */
    public static final double DEFAULT_EPSILON = 0.3;
    /** StreamingLLM's number of initial "sink" tokens (C3). */
    public static final int DEFAULT_SINK_SIZE = 4;

    private SinkMetrics() {}

    /** C1 original: α_k = (1/(T−k)) Σ_{i≥k} A_{i,k}. */
    public static double[] alphaOriginal(float[] a, int seqLen) {
        checkSquare(a, seqLen);
        double[] alpha = new double[seqLen];
        for (int k = 0; k < seqLen; k++) {
            double s = 0;
            for (int i = k; i < seqLen; i++) s += a[i * seqLen + k];
            alpha[k] = s / (seqLen - k);
        }
        return alpha;
    }

    /** C1 mask-aware (our adaptation): α_k = (1/n_k) Σ_i A_{i,k} with n_k = |{i : mask(i,k)}|. */
    public static double[] alphaMaskAware(float[] a, int seqLen, AttentionMask mask) {
        checkSquare(a, seqLen);
        double[] alpha = new double[seqLen];
        for (int k = 0; k < seqLen; k++) {
            double s = 0;
            for (int i = k; i < seqLen; i++) s += a[i * seqLen + k];
            alpha[k] = s / mask.queriesSeeing(k, seqLen);
        }
        return alpha;
    }

    /**
     * C1 sink rate in percent: 100 · mean over the given α vectors (one per sample × layer × head) of 1[α_k > ε].
     */
    public static double sinkRate(List<double[]> alphas, int k, double eps) {
        if (alphas.isEmpty()) throw new IllegalArgumentException("sinkRate: no α vectors given");
        int hits = 0;
        for (double[] alpha : alphas) if (alpha[k] > eps) hits++;
        return 100.0 * hits / alphas.size();
    }

    /** C2: S = (1/T) Σ_t A_{t,0}. */
    public static double firstTokenScore(float[] a, int seqLen) {
        checkSquare(a, seqLen);
        double s = 0;
        for (int t = 0; t < seqLen; t++) s += a[t * seqLen];
        return s / seqLen;
    }

    /** C3: mean over all queries of Σ_{j &lt; s} A_{i,j}. */
    public static double initialTokenMass(float[] a, int seqLen, int sinkSize) {
        checkSquare(a, seqLen);
        double s = 0;
        for (int i = 0; i < seqLen; i++)
            for (int j = 0; j < Math.min(sinkSize, i + 1); j++) s += a[i * seqLen + j];
        return s / seqLen;
    }

    /** C4 region masses averaged over queries i ≥ M (see {@link RegionMasses} for the disjoint regions). */
    public static RegionMasses regionMasses(float[] a, int seqLen, int metaTokens, boolean hasBos) {
        checkSquare(a, seqLen);
        int bos = hasBos && metaTokens < seqLen ? metaTokens : -1;
        double meta = 0, b = 0, self = 0, cross = 0;
        int n = 0;
        for (int i = metaTokens; i < seqLen; i++, n++) {
            for (int j = 0; j <= i; j++) {
                double v = a[i * seqLen + j];
                if (j < metaTokens) meta += v;
                else if (j == bos) b += v;
                else if (j == i) self += v;
                else cross += v;
            }
        }
        return n == 0 ? RegionMasses.NONE : new RegionMasses(meta / n, b / n, self / n, cross / n);
    }

    /** C4: r_k = mean_{i≥M} A_{i,k} for each meta key k &lt; M (NaN when there is no real query). */
    public static double[] metaReceived(float[] a, int seqLen, int metaTokens) {
        checkSquare(a, seqLen);
        double[] r = new double[metaTokens];
        int n = seqLen - metaTokens;
        for (int k = 0; k < metaTokens; k++) {
            double s = 0;
            for (int i = metaTokens; i < seqLen; i++) s += a[i * seqLen + k];
            r[k] = n > 0 ? s / n : Double.NaN;
        }
        return r;
    }

    /**
     * C5 per-row normalised entropy Ĥ_i = H_i / log|𝒜(i)|; NaN for rows with a single allowed key (excluded from
     * means). 0·log 0 is taken as 0.
     */
    public static double[] normalisedEntropy(float[] a, int seqLen, AttentionMask mask) {
        checkSquare(a, seqLen);
        double[] h = new double[seqLen];
        for (int i = 0; i < seqLen; i++) {
            int n = mask.allowedCount(i);
            if (n <= 1) { h[i] = Double.NaN; continue; }
            double e = 0;
            for (int j = 0; j <= i; j++) {
                double p = a[i * seqLen + j];
                if (p > 0 && mask.allowed(i, j)) e -= p * Math.log(p);
            }
            h[i] = e / Math.log(n);
        }
        return h;
    }

    /** Mean of the non-NaN entries (NaN if there are none). */
    public static double nanMean(double[] v) {
        double s = 0;
        int n = 0;
        for (double x : v) if (!Double.isNaN(x)) { s += x; n++; }
        return n == 0 ? Double.NaN : s / n;
    }

    /** d.9 locality profile: mean mass per {@link Locality} bin over queries i ≥ M (NaN bins if none). */
    public static double[] localityProfile(float[] a, int seqLen, int metaTokens, int window) {
        checkSquare(a, seqLen);
        double[] bins = new double[Locality.BINS];
        int n = 0;
        for (int i = metaTokens; i < seqLen; i++, n++)
            for (int j = 0; j <= i; j++) bins[Locality.bin(i, j, metaTokens, window)] += a[i * seqLen + j];
        for (int b = 0; b < bins.length; b++) bins[b] = n == 0 ? Double.NaN : bins[b] / n;
        return bins;
    }

    static void checkSquare(float[] a, int seqLen) {
        if (seqLen <= 0) throw new IllegalArgumentException("seqLen: " + seqLen + " must be > 0");
        if (a.length != (long) seqLen * seqLen)
            throw new IllegalArgumentException("attention map has " + a.length + " values, expected T*T = "
                    + seqLen + "*" + seqLen + " = " + (long) seqLen * seqLen);
    }
}
