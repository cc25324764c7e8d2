package dev.hymba.core.trace;

import java.util.ArrayList;
import java.util.List;

/** Computes {@link HeadSummary} for every head of one layer's [H, T, T] probabilities (analyses.md §c). */
public final class HeadSummaries {
    private HeadSummaries() {}

    public static List<HeadSummary> of(float[] p, int heads, int T, int tk, int meta, boolean bos, int window) {
        if (T != tk) throw new IllegalArgumentException("traces are prefill runs: expected square maps, got " + T + "x" + tk);
        List<HeadSummary> out = new ArrayList<>(heads);
        int bosPos = bos ? meta : -1;
        // n_k: queries allowed to see key k under the layer's mask.
        int[] nk = new int[T];
        for (int t = 0; t < T; t++) for (int u = 0; u <= t; u++) if (t - u <= window || u < meta) nk[u]++;
        for (int h = 0; h < heads; h++) {
            int base = h * T * T;
            double metaM = 0, bosM = 0, selfM = 0, ent = 0, first = 0, init = 0;
            int realRows = 0, entRows = 0;
            float[] colSum = new float[T];
            float[] metaRecv = new float[meta];
            for (int t = 0; t < T; t++) {
                int o = base + t * T;
                int allowed = 0;
                double hsum = 0, initRow = 0, metaRow = 0;
                for (int u = 0; u <= t; u++) {
                    float a = p[o + u];
                    colSum[u] += a;
                    if (t - u <= window || u < meta) allowed++;
                    if (a > 0) hsum -= a * Math.log(a);
                    if (u < 4) initRow += a;
                    if (u < meta) metaRow += a;
                }
                first += p[o];
                init += initRow;
                if (allowed > 1) {
                    ent += hsum / Math.log(allowed);
                    entRows++;
                }
                if (t >= meta) {
                    realRows++;
                    metaM += metaRow;
                    if (bosPos >= 0 && bosPos <= t) bosM += p[o + bosPos];
                    selfM += p[o + t];
                    for (int u = 0; u < meta; u++) metaRecv[u] += p[o + u];
                }
            }
            float[] alphaOrig = new float[T], alphaMask = new float[T];
            for (int u = 0; u < T; u++) {
                alphaOrig[u] = colSum[u] / (T - u);
                alphaMask[u] = nk[u] == 0 ? 0 : colSum[u] / nk[u];
            }
            if (realRows > 0) for (int u = 0; u < meta; u++) metaRecv[u] /= realRows;
            double rr = Math.max(realRows, 1);
            double metaMean = metaM / rr, bosMean = bosM / rr, selfMean = selfM / rr;
            // With BOS present the first real query is BOS itself, so bos and self overlap there; count it once as BOS.
            if (bosPos >= 0) selfMean -= p[base + bosPos * T + bosPos] / rr;
            out.add(new HeadSummary(metaMean, bosMean, selfMean, 1 - metaMean - bosMean - selfMean,
                    entRows == 0 ? 0 : ent / entRows, first / T, init / T, alphaOrig, alphaMask, metaRecv));
        }
        return out;
    }
}
