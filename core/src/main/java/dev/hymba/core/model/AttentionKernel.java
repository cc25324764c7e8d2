package dev.hymba.core.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * The attention core of one layer and chunk: softmax(q·kᵀ/√dh + mask)·v for every query head, in plain Java with the
 * Vector API. One query row at a time: its scores, its softmax, its weighted sum of values, all on data that stays
 * in cache. This replaced two ND4J GEMMs per KV head, which spent most of their time copying the [g·n, T] score
 * matrix between the heap and off-heap memory, and on keys the causal mask hides anyway.
 *
 * <p>Mask (architecture §3.3): key u is visible from query position qp when pos[u] ≤ qp and (qp − pos[u] ≤ window
 * or pos[u] is a meta position). Keys are held in ascending position order (appended in order; trimming keeps the
 * order), so a query's visible keys end at the last key at or before it; keys past that are neither scored nor summed.
 */
final class AttentionKernel {
    private static final VectorSpecies<Float> S = VectorMath.SPECIES;
    private static final int L = S.length();
    /** Score blocks of 4 vectors: four independent accumulators keep the FMA units busy. */
    private static final int BLOCK = 4 * L;
    private static final int ROWS_PER_TASK = 16;

    private final int heads, kvHeads, dh, dv;

    AttentionKernel(int heads, int kvHeads, int dh, int dv) {
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.dh = dh;
        this.dv = dv;
    }

    /**
     * @param q       [n, heads·dh] post-RoPE queries of the chunk at positions p0 … p0+n−1
     * @param pattern called with the probabilities [heads, n, tk] when not null (a hook that reads or edits them);
     *                it returns the probabilities to use
     * @return [n, heads·dv]
     */
    float[] attend(float[] q, int n, int p0, KvCache cache, int window, int meta, UnaryOperator<float[]> pattern) {
        int tk = cache.rows(), g = heads / kvHeads;
        int[] pos = cache.positions();
        boolean ascending = true;
        for (int u = 1; u < tk; u++) if (pos[u] <= pos[u - 1]) { ascending = false; break; }
        int tkPad = Math.max(BLOCK, (tk + BLOCK - 1) / BLOCK * BLOCK);
        float[][] kT = transposedKeys(cache, tk, tkPad);
        float scale = (float) (1.0 / Math.sqrt(dh));
        float[] values = cache.values();
        int vWidth = cache.vWidth();
        int rows = heads * n;
        float[] out = new float[n * heads * dv];
        boolean ordered = ascending;
        if (pattern == null) {
            forRowBlocks(rows, tkPad, (r, s) -> {
                int h = r / n, t = r % n, kh = h / g;
                int span = probabilities(q, t, h, p0 + t, kT[kh], tk, tkPad, pos, ordered, window, meta, scale, s);
                weightedValues(s, span, values, vWidth, kh * dv, out, (t * heads + h) * dv);
            });
            return out;
        }
        float[] probs = new float[rows * tk];
        forRowBlocks(rows, tkPad, (r, s) -> {
            int h = r / n, t = r % n;
            int span = probabilities(q, t, h, p0 + t, kT[h / g], tk, tkPad, pos, ordered, window, meta, scale, s);
            System.arraycopy(s, 0, probs, r * tk, span);
        });
        float[] used = pattern.apply(probs);
        forRowBlocks(rows, 0, (r, unused) -> {
            int h = r / n, t = r % n;
            // An edited pattern may put weight anywhere: sum over every key, skipping exact zeros (the masked ones).
            weightedValues(used, r * tk, tk, values, vWidth, (h / g) * dv, out, (t * heads + h) * dv);
        });
        return out;
    }

    private interface RowBody { void run(int row, float[] scratch); }

    /** Runs body for every row, in parallel blocks; each block gets one scratch array of the given length. */
    private static void forRowBlocks(int rows, int scratch, RowBody body) {
        int tasks = (rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        IntStream.range(0, tasks).parallel().forEach(task -> {
            float[] s = new float[scratch];
            int r1 = Math.min(rows, (task + 1) * ROWS_PER_TASK);
            for (int r = task * ROWS_PER_TASK; r < r1; r++) body.run(r, s);
        });
    }

    /** Keys of each KV head as [dh, tkPad] (zero-padded), so that one vector holds one feature of L keys. */
    private float[][] transposedKeys(KvCache cache, int tk, int tkPad) {
        float[] k = cache.keys();
        int kWidth = cache.kWidth();
        float[][] kT = new float[kvHeads][dh * tkPad];
        IntStream.range(0, kvHeads).parallel().forEach(kh -> {
            float[] dst = kT[kh];
            for (int u = 0; u < tk; u++) {
                int src = u * kWidth + kh * dh;
                for (int i = 0; i < dh; i++) dst[i * tkPad + u] = k[src + i];
            }
        });
        return kT;
    }

    /**
     * The softmax row of query (t, h) into s[0, span): scores of the keys up to the last one at or before qp, masked
     * keys exactly 0. Returns span.
     */
    private int probabilities(float[] q, int t, int h, int qp, float[] kT, int tk, int tkPad, int[] pos, boolean ascending,
                              int window, int meta, float scale, float[] s) {
        int span = tk;
        if (ascending) {
            span = 0;
            while (span < tk && pos[span] <= qp) span++; // short: stops within one chunk of the cache's end
        }
        int qOff = (t * heads + h) * dh;
        int blocks = (span + BLOCK - 1) / BLOCK * BLOCK;
        for (int u = 0; u < blocks; u += BLOCK) {
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            for (int i = 0; i < dh; i++) {
                FloatVector qi = FloatVector.broadcast(S, q[qOff + i]);
                int o = i * tkPad + u;
                a0 = FloatVector.fromArray(S, kT, o).fma(qi, a0);
                a1 = FloatVector.fromArray(S, kT, o + L).fma(qi, a1);
                a2 = FloatVector.fromArray(S, kT, o + 2 * L).fma(qi, a2);
                a3 = FloatVector.fromArray(S, kT, o + 3 * L).fma(qi, a3);
            }
            a0.intoArray(s, u);
            a1.intoArray(s, u + L);
            a2.intoArray(s, u + 2 * L);
            a3.intoArray(s, u + 3 * L);
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int u = 0; u < span; u++) {
            int kp = pos[u];
            if (kp <= qp && (qp - kp <= window || kp < meta)) {
                float v = s[u] * scale;
                s[u] = v;
                if (v > max) max = v;
            } else {
                s[u] = Float.NEGATIVE_INFINITY;
            }
        }
        double sum = VectorMath.expShiftedInPlace(s, 0, span, max);
        float inv = (float) (1.0 / sum);
        for (int u = 0; u < span; u++) s[u] *= inv;
        return span;
    }

    /** out[o, o+dv) = Σ_{u < span} p[u]·V[u] for the visible keys (p[u] = 0 for the masked ones). */
    private void weightedValues(float[] p, int span, float[] values, int vWidth, int vOff, float[] out, int o) {
        weightedValues(p, 0, span, values, vWidth, vOff, out, o);
    }

    private void weightedValues(float[] p, int pOff, int span, float[] values, int vWidth, int vOff, float[] out, int o) {
        // Four value vectors at a time, each with its own accumulator (dv = 64 is one pass with 16-lane vectors).
        for (int j = 0; j < dv; j += BLOCK) {
            var m0 = S.indexInRange(j, dv);
            var m1 = S.indexInRange(j + L, dv);
            var m2 = S.indexInRange(j + 2 * L, dv);
            var m3 = S.indexInRange(j + 3 * L, dv);
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            for (int u = 0; u < span; u++) {
                float w = p[pOff + u];
                if (w == 0f) continue;
                FloatVector wv = FloatVector.broadcast(S, w);
                int b = u * vWidth + vOff + j;
                a0 = FloatVector.fromArray(S, values, b, m0).fma(wv, a0);
                a1 = FloatVector.fromArray(S, values, b + L, m1).fma(wv, a1);
                a2 = FloatVector.fromArray(S, values, b + 2 * L, m2).fma(wv, a2);
                a3 = FloatVector.fromArray(S, values, b + 3 * L, m3).fma(wv, a3);
            }
            a0.intoArray(out, o + j, m0);
            a1.intoArray(out, o + j + L, m1);
            a2.intoArray(out, o + j + 2 * L, m2);
            a3.intoArray(out, o + j + 3 * L, m3);
        }
    }
}
