package dev.hymba.core.analysis;

import java.util.stream.IntStream;

/**
 * Implicit attention matrices of the SSM branch, materialised on demand (each is O(T²·N) per channel):
 * <ul>
 *   <li>d.2 (Ali et al.): α^{(c)}_{t,s} = Σ_n C_{t,n} · exp(A_{c,n}(S_{t,c} − S_{s,c})) · Δ_{s,c} B_{s,n} for s ≤ t,
 *       so that y_{:,c} = α^{(c)} u_{:,c} + D_c u_{:,c};</li>
 *   <li>d.3 (Zimerman et al.): Ã^{(c)} = diag(SiLU(z_c)) · (α^{(c)} + D_c I) · diag(σ(v_c)) · M^{(c)}_conv, so that
 *       ssm_out_{:,c} = Ã^{(c)} x_{:,c} + {@link #convBiasTerm}.</li>
 * </ul>
 * Maps are row-major float[T*T] (row = query t, column = key s), zero above the diagonal.
 */
public final class HiddenAttention {

    /** How a channel block is aggregated into one map. */
    public enum Aggregation {
        /** mean of the signed maps (what the d.2 text calls the block aggregate). */
        MEAN,
        /** mean of |map| (no cancellation; what d.9 compares with attention heads). */
        MEAN_ABS
    }

    /** Which factors of Ã to keep (the repo's withoutGate / withoutAct / withoutConv views). */
    public record Factors(boolean gate, boolean activation, boolean conv) {
        public static final Factors ALL = new Factors(true, true, true);
    }

    private HiddenAttention() {}

    /**
     * d.2 hidden attention of one channel. The decay exponent A·(S_t − S_s) ≤ 0 is accumulated in log space
     * (double) and exponentiated once, so it cannot overflow, and underflows cleanly to 0 for long ranges.
     */
    public static float[] channel(SsmTensors s, int channel) {
        s.checkChannel(channel);
        int n = s.seqLen(), ns = s.states(), ch = s.channels();
        double[] cum = s.cumulativeDelta(channel);
        float[] out = new float[n * n];
        IntStream.range(0, n).parallel().forEach(t -> {
            for (int j = 0; j <= t; j++) {
                double dt = s.delta()[j * ch + channel], gap = cum[t] - cum[j], v = 0;
                for (int k = 0; k < ns; k++)
                    v += s.c()[t * ns + k] * Math.exp(s.a()[channel * ns + k] * gap) * dt * s.b()[j * ns + k];
                out[t * n + j] = (float) v;
            }
        });
        return out;
    }

    /**
     * d.2 aggregated over channels [from, to) (e.g. the I/H block matching attention head h: from = h·I/H).
     * Uses running products of the per-step retentions exp(A·Δ) ∈ (0,1] along each row (s = t, t−1, …), which is
     * the same kernel without an exp per entry; cost O(T²·N·(to − from)).
     */
    public static float[] block(SsmTensors s, int from, int to, Aggregation agg) {
        checkRange(s, from, to);
        int n = s.seqLen(), ns = s.states(), ch = s.channels();
        double[] sum = new double[n * n];
        double[] keyWeight = new double[n * ns]; // Δ_s B_s
        double[] retain = new double[n * ns];    // exp(A Δ_s)
        for (int c = from; c < to; c++) {
            for (int j = 0; j < n; j++) {
                double dt = s.delta()[j * ch + c];
                for (int k = 0; k < ns; k++) {
                    keyWeight[j * ns + k] = dt * s.b()[j * ns + k];
                    retain[j * ns + k] = Math.exp(s.a()[c * ns + k] * dt);
                }
            }
            IntStream.range(0, n).parallel().forEach(t -> {
                double[] decay = new double[ns];
                java.util.Arrays.fill(decay, 1.0);
                for (int j = t; j >= 0; j--) {
                    if (j < t) for (int k = 0; k < ns; k++) decay[k] *= retain[(j + 1) * ns + k];
                    double v = 0;
                    for (int k = 0; k < ns; k++) v += s.c()[t * ns + k] * decay[k] * keyWeight[j * ns + k];
                    sum[t * n + j] += agg == Aggregation.MEAN_ABS ? Math.abs(v) : v;
                }
            });
        }
        float[] out = new float[n * n];
        for (int i = 0; i < out.length; i++) out[i] = (float) (sum[i] / (to - from));
        return out;
    }

    /** y_{:,c} = α u_{:,c} + D_c u_{:,c} (checks a map against the scan; also the basis of SSM knockout, d.10). */
    public static double[] apply(float[] alpha, SsmTensors s, int channel) {
        int n = s.seqLen(), ch = s.channels();
        double[] y = new double[n];
        for (int t = 0; t < n; t++) {
            double v = s.d()[channel] * s.u()[t * ch + channel];
            for (int j = 0; j <= t; j++) v += alpha[t * n + j] * s.u()[j * ch + channel];
            y[t] = v;
        }
        return y;
    }

    /** d.3 unified implicit attention Ã of one channel, with the chosen factors. */
    public static float[] implicitChannel(SsmTensors s, ConvGate g, int channel, Factors f) {
        g.check(s.seqLen(), s.channels());
        int n = s.seqLen(), ch = s.channels(), kk = g.kernel();
        float[] alpha = channel(s, channel);
        double[] right = new double[n]; // σ(v_s) or 1
        double[] left = new double[n];  // SiLU(z_t) or 1
        for (int t = 0; t < n; t++) {
            right[t] = f.activation() ? sigmoid(g.preActivation(t, channel, ch)) : 1;
            left[t] = f.gate() ? silu(g.z()[t * ch + channel]) : 1;
        }
        double dd = s.d()[channel];
        float[] out = new float[n * n];
        IntStream.range(0, n).parallel().forEach(t -> {
            // P_{t,r} = (α + D I)_{t,r} σ(v_r); Ã_{t,j} = left_t Σ_r P_{t,r} M_{r,j}, M_{r,j} = w[K−1−(r−j)]
            double[] p = new double[t + 1];
            for (int r = 0; r <= t; r++) p[r] = (alpha[t * n + r] + (r == t ? dd : 0)) * right[r];
            for (int j = 0; j <= t; j++) {
                double v;
                if (!f.conv()) v = p[j];
                else {
                    v = 0;
                    for (int r = j; r <= Math.min(t, j + kk - 1); r++) v += p[r] * g.convWeight()[channel * kk + kk - 1 - (r - j)];
                }
                out[t * n + j] = (float) (left[t] * v);
            }
        });
        return out;
    }

    /** d.3 aggregated over channels [from, to) as the mean of |Ã| (or signed mean). O(T²·(N+K)) per channel. */
    public static float[] implicitBlock(SsmTensors s, ConvGate g, int from, int to, Factors f, Aggregation agg) {
        checkRange(s, from, to);
        int n = s.seqLen();
        double[] sum = new double[n * n];
        for (int c = from; c < to; c++) {
            float[] m = implicitChannel(s, g, c, f);
            for (int i = 0; i < sum.length; i++) sum[i] += agg == Aggregation.MEAN_ABS ? Math.abs(m[i]) : m[i];
        }
        float[] out = new float[n * n];
        for (int i = 0; i < out.length; i++) out[i] = (float) (sum[i] / (to - from));
        return out;
    }

    /**
     * The part of ssm_out that Ã does not carry: the conv bias, pushed through the same operators,
     * SiLU(z_t)·Σ_s (α + D I)_{t,s} σ(v_s) bias_c. Zero when the conv has no bias.
     */
    public static double[] convBiasTerm(SsmTensors s, ConvGate g, int channel) {
        int n = s.seqLen(), ch = s.channels();
        double[] out = new double[n];
        if (g.convBias() == null) return out;
        float[] alpha = channel(s, channel);
        double b = g.convBias()[channel];
        double[] sb = new double[n];
        for (int t = 0; t < n; t++) sb[t] = sigmoid(g.preActivation(t, channel, ch)) * b;
        for (int t = 0; t < n; t++) {
            double v = s.d()[channel] * sb[t];
            for (int j = 0; j <= t; j++) v += alpha[t * n + j] * sb[j];
            out[t] = silu(g.z()[t * ch + channel]) * v;
        }
        return out;
    }

    /** d.7 equivalent: hidden-attention mass on the prefix per query, Σ_{s&lt;M}|α_{t,s}| / Σ_s |α_{t,s}|. */
    public static double[] prefixMass(float[] map, int seqLen, int metaTokens) {
        SinkMetrics.checkSquare(map, seqLen);
        double[] out = new double[seqLen];
        for (int t = 0; t < seqLen; t++) {
            double pre = 0, all = 0;
            for (int j = 0; j <= t; j++) {
                double v = Math.abs(map[t * seqLen + j]);
                all += v;
                if (j < metaTokens) pre += v;
            }
            out[t] = all == 0 ? Double.NaN : pre / all;
        }
        return out;
    }

    static double sigmoid(double v) { return 1 / (1 + Math.exp(-v)); }

    static double silu(double v) { return v * sigmoid(v); }

    private static void checkRange(SsmTensors s, int from, int to) {
        if (from < 0 || to > s.channels() || from >= to)
            throw new IllegalArgumentException("channel block [" + from + ", " + to + ") is not inside [0, " + s.channels() + ")");
    }
}
