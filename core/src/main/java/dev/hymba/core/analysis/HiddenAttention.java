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

    /** Tile edge of the blocked kernel. */
    private static final int TILE = 64;

    /**
     * d.2 hidden attention of one channel, float[T*T].
     * <p>The decay exp(A·(S_t − S_s)) is never formed from exp(A·S_t)·exp(−A·S_s) (which overflows). Diagonal tiles
     * evaluate the exponent A·(S_t − S_s) ≤ 0 directly in log space (double). A tile of rows [t0,t1) and columns
     * [s0,s1) below the diagonal (s1 ≤ t0) factors it through the two tile corners as
     * exp(A(S_t − S_{t0−1})) · exp(A(S_{t0−1} − S_{s1−1})) · exp(A(S_{s1−1} − S_s)): three factors in (0,1], so
     * nothing overflows and any underflow only hits values below 1e−308 anyway. The tile is then a rank-N product,
     * O(T²·N) multiply-adds with O(T²·N / 64) exps.
     */
    public static float[] channel(SsmTensors s, int channel) {
        s.checkChannel(channel);
        int n = s.seqLen();
        float[] out = new float[n * n];
        Kernel k = new Kernel(s, channel);
        IntStream.range(0, k.tiles).parallel().forEach(i -> k.rowTile(i, (t, j, v) -> out[t * n + j] = (float) v));
        return out;
    }

    /**
     * d.2 aggregated over channels [from, to) (e.g. the I/H block matching attention head h: from = h·I/H), with
     * the same blocked kernel as {@link #channel}; cost O(T²·N·(to − from)).
     */
    public static float[] block(SsmTensors s, int from, int to, Aggregation agg) {
        checkRange(s, from, to);
        int n = s.seqLen();
        double[] sum = new double[n * n];
        boolean abs = agg == Aggregation.MEAN_ABS;
        for (int c = from; c < to; c++) {
            Kernel k = new Kernel(s, c);
            IntStream.range(0, k.tiles).parallel().forEach(i ->
                    k.rowTile(i, (t, j, v) -> sum[t * n + j] += abs ? Math.abs(v) : v));
        }
        float[] out = new float[n * n];
        for (int i = 0; i < out.length; i++) out[i] = (float) (sum[i] / (to - from));
        return out;
    }

    private interface Sink { void put(int t, int s, double v); }

    /** The blocked d.2 kernel of one channel (see {@link #channel}). */
    private static final class Kernel {
        final int n, ns, tiles;
        final double[] cum, a, left, right, keyWeight;
        final float[] c;

        Kernel(SsmTensors s, int channel) {
            n = s.seqLen();
            ns = s.states();
            tiles = (n + TILE - 1) / TILE;
            cum = s.cumulativeDelta(channel);
            c = s.c();
            a = new double[ns];
            for (int k = 0; k < ns; k++) a[k] = s.a()[channel * ns + k];
            keyWeight = new double[n * ns]; // Δ_s B_s
            left = new double[n * ns];      // C_t exp(A (S_t − S_{t0−1})), t0 = start of t's tile (1 for tile 0)
            right = new double[ns * n];     // Δ_s B_s exp(A (S_{s1−1} − S_s)), s1 = end of s's tile; [N, T] so
                                            // that the tile product's inner loop runs over contiguous s
            for (int t = 0; t < n; t++) {
                int tile = t / TILE;
                double before = tile == 0 ? 0 : cum[tile * TILE - 1];
                double last = cum[Math.min(n, (tile + 1) * TILE) - 1];
                double dt = s.delta()[t * s.channels() + channel];
                for (int k = 0; k < ns; k++) {
                    keyWeight[t * ns + k] = dt * s.b()[t * ns + k];
                    left[t * ns + k] = c[t * ns + k] * Math.exp(a[k] * (cum[t] - before));
                    right[k * n + t] = keyWeight[t * ns + k] * Math.exp(a[k] * (last - cum[t]));
                }
            }
        }

        /** All entries of the rows of tile i (columns 0..t), handed to the sink. */
        void rowTile(int i, Sink sink) {
            int t0 = i * TILE, t1 = Math.min(n, t0 + TILE);
            double[] bridge = new double[ns], acc = new double[TILE];
            for (int j = 0; j < i; j++) { // tiles strictly below the diagonal
                int s0 = j * TILE;
                for (int k = 0; k < ns; k++) bridge[k] = Math.exp(a[k] * (cum[t0 - 1] - cum[s0 + TILE - 1]));
                for (int t = t0; t < t1; t++) {
                    java.util.Arrays.fill(acc, 0);
                    for (int k = 0; k < ns; k++) {
                        double lk = left[t * ns + k] * bridge[k];
                        int r0 = k * n + s0;
                        for (int q = 0; q < TILE; q++) acc[q] += lk * right[r0 + q]; // no reduction: vectorises
                    }
                    for (int q = 0; q < TILE; q++) sink.put(t, s0 + q, acc[q]);
                }
            }
            for (int t = t0; t < t1; t++) // the diagonal tile, exponent by exponent
                for (int q = t0; q <= t; q++) {
                    double gap = cum[t] - cum[q], v = 0;
                    for (int k = 0; k < ns; k++) v += c[t * ns + k] * Math.exp(a[k] * gap) * keyWeight[q * ns + k];
                    sink.put(t, q, v);
                }
        }
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

    /**
     * d.10 SSM attention knockout: y_t = Σ_{s'≠s} α_{t,s'} u_{s'} + D u_t, the channel's output with the edge from
     * key s blocked for every query (Δ, B, C held at their observed values, so y is linear in u and this is exact).
     */
    public static double[] applyWithout(float[] alpha, SsmTensors s, int channel, int blockedKey) {
        double[] y = apply(alpha, s, channel);
        int n = s.seqLen();
        if (blockedKey < 0 || blockedKey >= n) throw new IndexOutOfBoundsException("key " + blockedKey + " outside 0.." + (n - 1));
        double u = s.u()[blockedKey * s.channels() + channel];
        for (int t = blockedKey; t < n; t++) y[t] -= alpha[t * n + blockedKey] * u;
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
