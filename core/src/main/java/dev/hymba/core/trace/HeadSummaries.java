package dev.hymba.core.trace;

import dev.hymba.core.model.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Computes {@link HeadSummary} for every head of one layer's [H, T, T] probabilities (analyses.md §c). This runs on
 * every layer of every trace, over all T²/2 causal cells of every head, so it is the recorder's main cost: heads run
 * in parallel, and the per-cell work (column sums, −a·ln a) is vectorised with the engine's deterministic vector
 * logarithm ({@link VectorMath#log}), so that two traces of the same run give identical bits.
 */
public final class HeadSummaries {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private HeadSummaries() {}

    public static List<HeadSummary> of(float[] p, int heads, int T, int tk, int meta, boolean bos, int window) {
        if (T != tk) throw new IllegalArgumentException("traces are prefill runs: expected square maps, got " + T + "x" + tk);
        int bosPos = bos ? meta : -1;
        // n_k: queries allowed to see key k under the layer's mask.
        int[] nk = new int[T];
        for (int t = 0; t < T; t++) for (int u = 0; u <= t; u++) if (t - u <= window || u < meta) nk[u]++;
        HeadSummary[] out = new HeadSummary[heads];
        IntStream.range(0, heads).parallel().forEach(h -> out[h] = head(p, h * T * T, T, meta, bosPos, window, nk));
        return Arrays.asList(out);
    }

    private static HeadSummary head(float[] p, int base, int T, int meta, int bosPos, int window, int[] nk) {
        double metaM = 0, bosM = 0, selfM = 0, ent = 0, first = 0, init = 0;
        int realRows = 0, entRows = 0;
        float[] colSum = new float[T];
        float[] metaRecv = new float[meta];
        for (int t = 0; t < T; t++) {
            int o = base + t * T;
            double hsum = rowEntropyAndColumnSums(p, o, t + 1, colSum);
            double initRow = 0, metaRow = 0;
            for (int u = 0; u < Math.min(4, t + 1); u++) initRow += p[o + u];
            for (int u = 0; u < Math.min(meta, t + 1); u++) metaRow += p[o + u];
            // allowed keys: the window [max(0, t−W), t] plus the meta keys before it
            int start = window >= t ? 0 : t - window;
            int allowed = t - start + 1 + Math.min(meta, start);
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
        return new HeadSummary(metaMean, bosMean, selfMean, 1 - metaMean - bosMean - selfMean,
                entRows == 0 ? 0 : ent / entRows, first / T, init / T, alphaOrig, alphaMask, metaRecv);
    }

    /** colSum[u] += a[u] for u &lt; len, and returns −Σ a·ln a over the positive a of the row at p[o, o+len). */
    static double rowEntropyAndColumnSums(float[] p, int o, int len, float[] colSum) {
        FloatVector acc = FloatVector.zero(S);
        int L = S.length(), u = 0;
        for (; u < len; u += L) {
            VectorMask<Float> m = S.indexInRange(u, len);
            FloatVector a = FloatVector.fromArray(S, p, o + u, m);
            FloatVector.fromArray(S, colSum, u, m).add(a).intoArray(colSum, u, m);
            VectorMask<Float> positive = a.compare(VectorOperators.GT, 0f).and(m);
            // lanes with a ≤ 0 contribute nothing (ln is evaluated on 1 there)
            FloatVector safe = FloatVector.broadcast(S, 1f).blend(a, positive);
            acc = acc.add(safe.mul(VectorMath.log(safe)).blend(0f, positive.not()));
        }
        float[] lanes = acc.toArray();
        double s = 0;
        for (float f : lanes) s += f;
        return -s;
    }
}
