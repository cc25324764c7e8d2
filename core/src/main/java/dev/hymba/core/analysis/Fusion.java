package dev.hymba.core.analysis;

import java.util.stream.IntStream;

/**
 * Fusion and branch decomposition of one Hymba layer (analyses.md d.8, architecture §3.2):
 * mixer_t = W_o·½(β1 ⊙ a_t / r^a_t) + W_o·½(β2 ⊙ m_t / r^m_t) with r^x_t = sqrt(mean_c x_{t,c}² + ε).
 * Given the observed r the split is exact; out_proj has no bias in Hymba ({@code mamba_proj_bias = false}); a model
 * with one would add b_o to the sum.
 * <p>Shapes: a and m [T, I] (attention stream head-major, head h in columns h·I/H … ; SSM stream = ssm_out),
 * β [I], W_o [d, I] (PyTorch layout), terms [T, d].
 */
public final class Fusion {

    /**
     * @param attnTerm    W_o·½(β1 ⊙ a_t / r^a_t) [T, d]
     * @param ssmTerm     W_o·½(β2 ⊙ m_t / r^m_t) [T, d]
     * @param attnRms     r^a_t [T]
     * @param ssmRms      r^m_t [T]
     * @param branchShare ρ_t = ‖β2⊙m_t/r^m_t‖ / (‖β1⊙a_t/r^a_t‖ + ‖β2⊙m_t/r^m_t‖) [T] (SSM share, before W_o)
     */
    public record Split(int seqLen, int width, float[] attnTerm, float[] ssmTerm, double[] attnRms, double[] ssmRms,
                        double[] branchShare) {}

    private Fusion() {}

    /** r_t = sqrt(mean_c x_{t,c}² + ε) per row of x [T, n] (the RMSNorm denominator). */
    public static double[] rms(float[] x, int seqLen, int n, double eps) {
        SsmTensors.check("stream", x, (long) seqLen * n, "T*" + n);
        double[] r = new double[seqLen];
        for (int t = 0; t < seqLen; t++) {
            double s = 0;
            for (int c = 0; c < n; c++) { double v = x[t * n + c]; s += v * v; }
            r[t] = Math.sqrt(s / n + eps);
        }
        return r;
    }

    /** The exact branch split of the mixer output. Cost: two [T,I]×[I,d] products. */
    public static Split split(float[] a, float[] m, int seqLen, int inner, float[] beta1, float[] beta2,
                              float[] wOut, int width, double eps) {
        SsmTensors.check("beta1", beta1, inner, "I");
        SsmTensors.check("beta2", beta2, inner, "I");
        SsmTensors.check("wOut", wOut, (long) width * inner, "d*I");
        double[] ra = rms(a, seqLen, inner, eps), rm = rms(m, seqLen, inner, eps);
        float[] na = scaled(a, seqLen, inner, beta1, ra, 0, inner), nm = scaled(m, seqLen, inner, beta2, rm, 0, inner);
        double[] share = share(na, nm, seqLen, inner);
        return new Split(seqLen, width, Dense.linear(na, seqLen, inner, wOut, width),
                Dense.linear(nm, seqLen, inner, wOut, width), ra, rm, share);
    }

    /** Branch share ρ_t alone (no product with W_o: cheap enough for every layer of a trace). */
    public static double[] branchShare(float[] a, float[] m, int seqLen, int inner, float[] beta1, float[] beta2, double eps) {
        SsmTensors.check("beta1", beta1, inner, "I");
        SsmTensors.check("beta2", beta2, inner, "I");
        return share(scaled(a, seqLen, inner, beta1, rms(a, seqLen, inner, eps), 0, inner),
                scaled(m, seqLen, inner, beta2, rms(m, seqLen, inner, eps), 0, inner), seqLen, inner);
    }

    private static double[] share(float[] na, float[] nm, int seqLen, int inner) {
        double[] share = new double[seqLen];
        for (int t = 0; t < seqLen; t++) {
            double pa = norm(na, t * inner, inner), pm = norm(nm, t * inner, inner);
            share[t] = pa + pm == 0 ? Double.NaN : pm / (pa + pm);
        }
        return share;
    }

    /**
     * The factor by which a PRE_NORM ablation rescales the surviving channels of a branch (analyses.md d.8 caveat):
     * r_t(all) / r_t(rest) per position, where "rest" zeroes channels [from, to) before the RMSNorm. 1 means no
     * change; POST_NORM ablation keeps r fixed and so always has factor 1. NaN where the rest is all zero.
     */
    public static double[] preNormRescale(float[] x, int seqLen, int inner, int from, int to, double eps) {
        SsmTensors.check("stream", x, (long) seqLen * inner, "T*I");
        if (from < 0 || to > inner || from >= to)
            throw new IllegalArgumentException("channels [" + from + ", " + to + ") are not inside [0, " + inner + ")");
        double[] f = new double[seqLen];
        for (int t = 0; t < seqLen; t++) {
            double all = 0, off = 0;
            for (int c = 0; c < inner; c++) {
                double v = (double) x[t * inner + c] * x[t * inner + c];
                all += v;
                if (c >= from && c < to) off += v;
            }
            double rest = all - off;
            f[t] = rest == 0 ? Double.NaN : Math.sqrt(all / inner + eps) / Math.sqrt(rest / inner + eps);
        }
        return f;
    }

    /** Static per-channel mixing weight π_c = |β2_c| / (|β1_c| + |β2_c|) (NaN where both are 0). */
    public static double[] staticMix(float[] beta1, float[] beta2) {
        if (beta1.length != beta2.length)
            throw new IllegalArgumentException("beta1 has " + beta1.length + " values, beta2 " + beta2.length);
        double[] p = new double[beta1.length];
        for (int c = 0; c < p.length; c++) {
            double b1 = Math.abs(beta1[c]), b2 = Math.abs(beta2[c]);
            p[c] = b1 + b2 == 0 ? Double.NaN : b2 / (b1 + b2);
        }
        return p;
    }

    /**
     * The part of the attention (or SSM) term carried by channels [from, to) with r held at its observed value:
     * W_o·½(β ⊙ x_t|[from,to) / r_t) [T, d]. Over the H head blocks these terms sum to the branch term.
     */
    public static float[] blockTerm(float[] x, int seqLen, int inner, float[] beta, double[] r, int from, int to,
                                    float[] wOut, int width) {
        return Dense.linear(scaled(x, seqLen, inner, beta, r, from, to), seqLen, inner, wOut, width);
    }

    /**
     * The readout direction of target token v through the frozen final norm: w_v = γ ⊙ U[v] ([d]); the direct
     * logit attribution of a term at position t is (w_v · term_t) / r^{final}_t.
     *
     * @param unembed U [V, d] (lm_head = embed_tokens in Hymba)
     * @param gamma   final_layernorm weight [d]
     */
    public static float[] readout(float[] unembed, int width, float[] gamma, int token) {
        int vocab = unembed.length / width;
        if (token < 0 || token >= vocab) throw new IndexOutOfBoundsException("token " + token + " outside 0.." + (vocab - 1));
        float[] w = new float[width];
        for (int j = 0; j < width; j++) w[j] = gamma[j] * unembed[token * width + j];
        return w;
    }

    /**
     * Direct logit attribution of a residual-stream term [T, d] to one target token per position:
     * dla_t = (γ ⊙ U[target_t]) · term_t / r^{final}_t, NaN where target_t &lt; 0.
     *
     * @param finalRms r^{final}_t of the residual stream entering final_layernorm ({@link #rms}), frozen
     */
    public static double[] directLogitAttribution(float[] term, int seqLen, int width, double[] finalRms,
                                                  float[] gamma, float[] unembed, int[] targets) {
        SsmTensors.check("term", term, (long) seqLen * width, "T*d");
        double[] out = new double[seqLen];
        for (int t = 0; t < seqLen; t++) {
            if (targets[t] < 0) { out[t] = Double.NaN; continue; }
            float[] w = readout(unembed, width, gamma, targets[t]);
            out[t] = Dense.dot(w, 0, term, t * width, width) / finalRms[t];
        }
        return out;
    }

    /**
     * Head-level (or SSM-block-level) DLA without materialising block terms: for each position the readout is
     * pulled back through W_o once (g = W_oᵀ w_v / r^{final}_t ∈ R^I), then split into {@code blocks} equal channel
     * blocks: dla_{t,h} = Σ_{c∈block h} g_c · ½ β_c x_{t,c} / r_t. Result [T, blocks]; rows sum to the branch DLA.
     */
    public static double[] blockDirectLogitAttribution(float[] x, int seqLen, int inner, int blocks, float[] beta,
                                                       double[] r, float[] wOut, int width, double[] finalRms,
                                                       float[] gamma, float[] unembed, int[] targets) {
        if (inner % blocks != 0) throw new IllegalArgumentException("I = " + inner + " is not divisible by " + blocks + " blocks");
        int size = inner / blocks;
        double[] out = new double[seqLen * blocks];
        IntStream.range(0, seqLen).parallel().forEach(t -> {
            if (targets[t] < 0) { java.util.Arrays.fill(out, t * blocks, (t + 1) * blocks, Double.NaN); return; }
            float[] w = readout(unembed, width, gamma, targets[t]);
            double[] g = new double[inner];
            for (int j = 0; j < width; j++) {
                double wj = w[j];
                for (int c = 0; c < inner; c++) g[c] += wj * wOut[j * inner + c];
            }
            for (int h = 0; h < blocks; h++) {
                double s = 0;
                for (int c = h * size; c < (h + 1) * size; c++) s += g[c] * 0.5 * beta[c] * x[t * inner + c] / r[t];
                out[t * blocks + h] = s / finalRms[t];
            }
        });
        return out;
    }

    /** ½ β ⊙ x_t / r_t on channels [from, to), zero elsewhere. */
    private static float[] scaled(float[] x, int seqLen, int inner, float[] beta, double[] r, int from, int to) {
        SsmTensors.check("stream", x, (long) seqLen * inner, "T*I");
        float[] y = new float[seqLen * inner];
        for (int t = 0; t < seqLen; t++)
            for (int c = from; c < to; c++) y[t * inner + c] = (float) (0.5 * beta[c] * x[t * inner + c] / r[t]);
        return y;
    }

    private static double norm(float[] v, int off, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += (double) v[off + i] * v[off + i];
        return Math.sqrt(s);
    }
}
