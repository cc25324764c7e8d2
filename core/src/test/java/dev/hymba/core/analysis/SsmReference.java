package dev.hymba.core.analysis;

import java.util.Random;

/** Test-only fp64 reference: the selective scan written as the plain recurrence of architecture §3.2. */
final class SsmReference {
    private SsmReference() {}

    /** Random small SSM: Δ = softplus(N(0,1)) so it is positive and varied, A = −exp(N(0, 0.5²)). */
    static SsmTensors random(int seqLen, int channels, int states, long seed) {
        Random r = new Random(seed);
        float[] delta = new float[seqLen * channels], a = new float[channels * states], b = new float[seqLen * states],
                c = new float[seqLen * states], d = new float[channels], u = new float[seqLen * channels];
        for (int i = 0; i < delta.length; i++) delta[i] = (float) Math.log1p(Math.exp(r.nextGaussian()));
        for (int i = 0; i < a.length; i++) a[i] = (float) -Math.exp(0.5 * r.nextGaussian());
        for (int i = 0; i < b.length; i++) { b[i] = (float) r.nextGaussian(); c[i] = (float) r.nextGaussian(); }
        for (int i = 0; i < d.length; i++) d[i] = (float) r.nextGaussian();
        for (int i = 0; i < u.length; i++) u[i] = (float) r.nextGaussian();
        return new SsmTensors(seqLen, channels, states, delta, a, b, c, d, u);
    }

    static SsmTensors withU(SsmTensors s, float[] u) {
        return new SsmTensors(s.seqLen(), s.channels(), s.states(), s.delta(), s.a(), s.b(), s.c(), s.d(), u);
    }

    /** States h[t][c][n] by the recurrence h_t = exp(Δ_t A) h_{t−1} + Δ_t B_t u_t, h_{−1} = 0. */
    static double[][][] states(SsmTensors s) {
        int n = s.seqLen(), ch = s.channels(), ns = s.states();
        double[][][] h = new double[n][ch][ns];
        for (int t = 0; t < n; t++)
            for (int c = 0; c < ch; c++)
                for (int k = 0; k < ns; k++) {
                    double prev = t == 0 ? 0 : h[t - 1][c][k];
                    double dt = s.delta()[t * ch + c];
                    h[t][c][k] = Math.exp(dt * s.a()[c * ns + k]) * prev + dt * s.b()[t * ns + k] * s.u()[t * ch + c];
                }
        return h;
    }

    /** y[t][c] = Σ_n C_t h_t + D u_t. */
    static double[][] y(SsmTensors s) {
        double[][][] h = states(s);
        int n = s.seqLen(), ch = s.channels(), ns = s.states();
        double[][] y = new double[n][ch];
        for (int t = 0; t < n; t++)
            for (int c = 0; c < ch; c++) {
                double v = s.d()[c] * s.u()[t * ch + c];
                for (int k = 0; k < ns; k++) v += s.c()[t * ns + k] * h[t][c][k];
                y[t][c] = v;
            }
        return y;
    }

    static double silu(double v) { return v / (1 + Math.exp(-v)); }
}
