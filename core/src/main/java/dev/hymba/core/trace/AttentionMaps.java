package dev.hymba.core.trace;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Recomputes attention probabilities of one (layer, head) from cached post-RoPE q and k:
 * a = softmax(q·kᵀ/√dh + mask) with the layer's mask (u ≤ t, and t − u ≤ W or u &lt; M for local layers).
 * This is how full maps are produced on demand instead of keeping all of them.
 */
public final class AttentionMaps {
    private AttentionMaps() {}

    /**
     * @param q      [T, H·dh] post-RoPE queries
     * @param k      [T, Hkv·dh] post-RoPE keys (the producer's for KV consumers)
     * @param window sliding window, or Integer.MAX_VALUE for global layers
     * @return [rowCount, T] probabilities for query rows [rowFrom, rowFrom+rowCount)
     */
    public static float[] rows(float[] q, float[] k, int T, int heads, int kvHeads, int dh, int head, int window, int meta, int rowFrom, int rowCount) {
        int[] queries = new int[rowCount];
        for (int r = 0; r < rowCount; r++) queries[r] = rowFrom + r;
        return rowsAt(q, k, T, heads, kvHeads, dh, head, window, meta, queries);
    }

    /**
     * As {@link #rows}, for any set of query positions in one GEMM (the trace's trust check samples spread-out rows).
     * @return [queries.length, T] probabilities, row r for query position queries[r]
     */
    public static float[] rowsAt(float[] q, float[] k, int T, int heads, int kvHeads, int dh, int head, int window, int meta, int[] queries) {
        int kh = head / (heads / kvHeads);
        int rowCount = queries.length;
        float[] qh = new float[rowCount * dh];
        for (int r = 0; r < rowCount; r++) {
            if (queries[r] < 0 || queries[r] >= T) throw new IndexOutOfBoundsException("query " + queries[r] + " outside 0.." + (T - 1));
            System.arraycopy(q, (queries[r] * heads + head) * dh, qh, r * dh, dh);
        }
        float[] kk = new float[T * dh];
        for (int u = 0; u < T; u++) System.arraycopy(k, (u * kvHeads + kh) * dh, kk, u * dh, dh);
        INDArray Q = Nd4j.create(qh, new long[]{rowCount, dh}, 'c');
        INDArray Kt = Nd4j.create(kk, new long[]{T, dh}, 'c');
        INDArray S = Nd4j.gemm(Q, Kt, false, true);
        float[] s = S.castTo(DataType.FLOAT).dup('c').data().asFloat();
        Q.close();
        Kt.close();
        S.close();
        float scale = (float) (1.0 / Math.sqrt(dh));
        java.util.stream.IntStream.range(0, rowCount).parallel().forEach(r -> {
            int t = queries[r], off = r * T;
            float max = Float.NEGATIVE_INFINITY;
            for (int u = 0; u < T; u++) {
                boolean allowed = u <= t && (t - u <= window || u < meta);
                float v = allowed ? s[off + u] * scale : Float.NEGATIVE_INFINITY;
                s[off + u] = v;
                if (v > max) max = v;
            }
            double sum = 0;
            for (int u = 0; u < T; u++) {
                float e = s[off + u] == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(s[off + u] - max);
                s[off + u] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int u = 0; u < T; u++) s[off + u] *= inv;
        });
        return s;
    }
}
