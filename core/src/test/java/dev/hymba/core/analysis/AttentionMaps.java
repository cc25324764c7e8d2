package dev.hymba.core.analysis;

import java.util.Random;

/** Test helpers: attention maps built row by row. */
final class AttentionMaps {
    private AttentionMaps() {}

    /** A random softmax map that is exactly 0 outside the mask; logits ~ N(0, scale²) on allowed keys. */
    static float[] randomMasked(int seqLen, AttentionMask mask, double scale, long seed) {
        Random r = new Random(seed);
        float[] a = new float[seqLen * seqLen];
        for (int t = 0; t < seqLen; t++) {
            double[] e = new double[t + 1];
            double z = 0;
            for (int u = 0; u <= t; u++) if (mask.allowed(t, u)) { e[u] = Math.exp(scale * r.nextGaussian()); z += e[u]; }
            for (int u = 0; u <= t; u++) a[t * seqLen + u] = (float) (e[u] / z);
        }
        return a;
    }

    /** Lower-triangular map from ragged rows. */
    static float[] fromRows(double[][] rows) {
        int n = rows.length;
        float[] a = new float[n * n];
        for (int t = 0; t < n; t++) for (int u = 0; u < rows[t].length; u++) a[t * n + u] = (float) rows[t][u];
        return a;
    }

    static HeadSummary stream(float[] a, int seqLen, AttentionMask mask, boolean hasBos, int window) {
        HeadStatistics s = new HeadStatistics(seqLen, mask, hasBos, 4, window);
        for (int t = 0; t < seqLen; t++) s.acceptFromMatrix(t, a, seqLen);
        return s.summary();
    }
}
