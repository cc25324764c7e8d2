package dev.hymba.core.analysis;

import java.util.stream.IntStream;

/**
 * Analyses that need the SSM states, obtained by re-running the selective scan (analyses.md d.1) in double from the
 * captured Δ, A, B, C, u, because the fused kernels never expose h_t. One pass is O(T·I·N) and keeps only the
 * current state ([I,N] doubles), so long prompts need no chunking in time; channels are independent and run in
 * parallel blocks. Memory is the outputs.
 */
public final class SsmScan {

    /**
     * d.5 state magnitudes.
     *
     * @param channelNorm  ‖h_{t,c,:}‖₂ as [T, I]
     * @param frobenius    ‖h_t‖_F per position [T]
     * @param energyShare  share of Σ_{t,c} h²_{t,c,n} held by each state index n [N] (sums to 1)
     * @param finalState   h_{T−1} as [I, N] (to compare with the kernel's {@code return_last_state})
     * @param y            Σ_n C_{t,n} h_{t,c,n} + D_c u_{t,c} as [T, I] (the ungated scan output, a trust check)
     */
    public record StateNorms(float[] channelNorm, double[] frobenius, double[] energyShare, float[] finalState, float[] y) {}

    /**
     * d.7 contribution of the meta prefix [0, M) to later outputs.
     *
     * @param yMeta      y^{meta}_{t,c} = Σ_n C_{t,n} exp(A_{c,n}(S_t − S_{M−1})) h_{M−1,c,n} for t ≥ M; NaN rows t &lt; M
     * @param share      |y^{meta}| / (|y^{meta}| + |y − y^{meta} − D u|) per [t, c] (NaN for t &lt; M or 0/0)
     * @param tokenShare Σ_c |y^{meta}| / Σ_c (|y^{meta}| + |rest|) per position (NaN for t &lt; M)
     * @param prefixState h_{M−1} [I, N], identical for every prompt (the "prior state" fingerprint)
     */
    public record MetaContribution(float[] yMeta, float[] share, double[] tokenShare, float[] prefixState) {}

    private SsmScan() {}

    /** Channels per parallel task; channels are independent in the scan, positions are not. */
    private static final int CHUNK = 64;

    /** d.5: re-scan and report state norms (channels in parallel). */
    public static StateNorms stateNorms(SsmTensors s) {
        int n = s.seqLen(), ch = s.channels(), ns = s.states();
        float[] norms = new float[n * ch], y = new float[n * ch], fin = new float[ch * ns];
        int chunks = (ch + CHUNK - 1) / CHUNK;
        double[][] frobParts = new double[chunks][], energyParts = new double[chunks][];
        IntStream.range(0, chunks).parallel().forEach(k -> {
            int c0 = k * CHUNK, c1 = Math.min(ch, c0 + CHUNK);
            double[] h = new double[(c1 - c0) * ns], frob = new double[n], energy = new double[ns];
            for (int t = 0; t < n; t++)
                for (int c = c0; c < c1; c++) {
                    double dt = s.delta()[t * ch + c], uu = s.u()[t * ch + c], sq = 0, yy = s.d()[c] * uu;
                    for (int j = 0; j < ns; j++) {
                        int i = (c - c0) * ns + j;
                        h[i] = Math.exp(dt * s.a()[c * ns + j]) * h[i] + dt * s.b()[t * ns + j] * uu;
                        double e = h[i] * h[i];
                        sq += e;
                        energy[j] += e;
                        yy += s.c()[t * ns + j] * h[i];
                    }
                    norms[t * ch + c] = (float) Math.sqrt(sq);
                    y[t * ch + c] = (float) yy;
                    frob[t] += sq;
                }
            for (int i = 0; i < h.length; i++) fin[c0 * ns + i] = (float) h[i];
            frobParts[k] = frob;
            energyParts[k] = energy;
        });
        double[] frob = new double[n], energy = new double[ns];
        for (int k = 0; k < chunks; k++) {
            for (int t = 0; t < n; t++) frob[t] += frobParts[k][t];
            for (int j = 0; j < ns; j++) energy[j] += energyParts[k][j];
        }
        for (int t = 0; t < n; t++) frob[t] = Math.sqrt(frob[t]);
        double tot = 0;
        for (double e : energy) tot += e;
        for (int j = 0; j < ns; j++) energy[j] = tot == 0 ? Double.NaN : energy[j] / tot;
        return new StateNorms(norms, frob, energy, fin, y);
    }

    /** d.6 per-step retention Ā_{t,c,n} = exp(Δ_{t,c} A_{c,n}) of one channel, [T, N]. */
    public static float[] retention(SsmTensors s, int channel) {
        s.checkChannel(channel);
        int n = s.seqLen(), ns = s.states();
        float[] out = new float[n * ns];
        for (int t = 0; t < n; t++)
            for (int k = 0; k < ns; k++)
                out[t * ns + k] = (float) Math.exp((double) s.delta()[t * s.channels() + channel] * s.a()[channel * ns + k]);
        return out;
    }

    /** d.6 half-life at the current step, τ_{1/2} = ln 2 / (Δ_{t,c} |A_{c,n}|) in tokens, [T, N]. */
    public static float[] halfLife(SsmTensors s, int channel) {
        s.checkChannel(channel);
        int n = s.seqLen(), ns = s.states();
        float[] out = new float[n * ns];
        for (int t = 0; t < n; t++)
            for (int k = 0; k < ns; k++)
                out[t * ns + k] = (float) (Math.log(2) / ((double) s.delta()[t * s.channels() + channel] * Math.abs(s.a()[channel * ns + k])));
        return out;
    }

    /**
     * d.6 empirical horizon k*_{t,c,n} = min{ k ≥ 1 : exp(A_{c,n}(S_t − S_{t−k})) &lt; ε }, [T, N]; −1 when the decay
     * over the whole available history (k ≤ t) stays ≥ ε. Binary search on the monotone cumulative step.
     */
    public static int[] horizon(SsmTensors s, int channel, double eps) {
        if (!(eps > 0 && eps < 1)) throw new IllegalArgumentException("eps: " + eps + " must be in (0, 1)");
        double[] cum = s.cumulativeDelta(channel);
        int n = s.seqLen(), ns = s.states();
        int[] out = new int[n * ns];
        for (int k = 0; k < ns; k++) {
            double need = Math.log(eps) / s.a()[channel * ns + k]; // S_t − S_{t−k} must exceed this (> 0)
            for (int t = 0; t < n; t++) {
                int lo = 1, hi = t, found = -1;
                while (lo <= hi) {
                    int mid = (lo + hi) >>> 1;
                    if (cum[t] - cum[t - mid] > need) { found = mid; hi = mid - 1; } else lo = mid + 1;
                }
                out[t * ns + k] = found;
            }
        }
        return out;
    }

    /** d.7: scan the prefix, then carry its state forward alone (decay only) next to the full state. */
    public static MetaContribution metaContribution(SsmTensors s, int metaTokens) {
        int n = s.seqLen(), ch = s.channels(), ns = s.states();
        if (metaTokens <= 0 || metaTokens > n)
            throw new IllegalArgumentException("metaTokens: " + metaTokens + " must be in 1.." + n);
        float[] yMeta = new float[n * ch], share = new float[n * ch], prefix = new float[ch * ns];
        java.util.Arrays.fill(yMeta, 0, metaTokens * ch, Float.NaN);
        java.util.Arrays.fill(share, 0, metaTokens * ch, Float.NaN);
        int chunks = (ch + CHUNK - 1) / CHUNK;
        double[][] metaParts = new double[chunks][], allParts = new double[chunks][];
        IntStream.range(0, chunks).parallel().forEach(k -> {
            int c0 = k * CHUNK, c1 = Math.min(ch, c0 + CHUNK);
            double[] h = new double[(c1 - c0) * ns], g = new double[h.length], sumMeta = new double[n], sumAll = new double[n];
            for (int t = 0; t < n; t++) {
                for (int c = c0; c < c1; c++) {
                    double dt = s.delta()[t * ch + c], uu = s.u()[t * ch + c], ym = 0, yh = 0;
                    for (int j = 0; j < ns; j++) {
                        int i = (c - c0) * ns + j;
                        double decay = Math.exp(dt * s.a()[c * ns + j]);
                        h[i] = decay * h[i] + dt * s.b()[t * ns + j] * uu;
                        if (t >= metaTokens) { g[i] *= decay; ym += s.c()[t * ns + j] * g[i]; yh += s.c()[t * ns + j] * h[i]; }
                    }
                    if (t >= metaTokens) {
                        double rest = Math.abs(yh - ym), m = Math.abs(ym);
                        yMeta[t * ch + c] = (float) ym;
                        share[t * ch + c] = m + rest == 0 ? Float.NaN : (float) (m / (m + rest));
                        sumMeta[t] += m;
                        sumAll[t] += m + rest;
                    }
                }
                if (t == metaTokens - 1) {
                    System.arraycopy(h, 0, g, 0, h.length);
                    for (int i = 0; i < h.length; i++) prefix[c0 * ns + i] = (float) h[i];
                }
            }
            metaParts[k] = sumMeta;
            allParts[k] = sumAll;
        });
        double[] tok = new double[n];
        for (int t = 0; t < n; t++) {
            if (t < metaTokens) { tok[t] = Double.NaN; continue; }
            double sm = 0, sa = 0;
            for (int k = 0; k < chunks; k++) { sm += metaParts[k][t]; sa += allParts[k][t]; }
            tok[t] = sa == 0 ? Double.NaN : sm / sa;
        }
        return new MetaContribution(yMeta, share, tok, prefix);
    }
}
