package dev.hymba.core.analysis;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class FusionTest {

    private static final int T = 7, I = 12, H = 3, D = 5, V = 9;
    private static final double EPS = 1e-6;

    private static float[] gauss(Random r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (scale * r.nextGaussian());
        return v;
    }

    /** RMSNorm(x; w) in double, architecture §3 definition. */
    private static double[] rmsNorm(float[] x, int t, int n, float[] w) {
        double s = 0;
        for (int c = 0; c < n; c++) s += (double) x[t * n + c] * x[t * n + c];
        double r = Math.sqrt(s / n + EPS);
        double[] y = new double[n];
        for (int c = 0; c < n; c++) y[c] = w[c] * x[t * n + c] / r;
        return y;
    }

    @Test
    void termsSumToTheMixerOutput() {
        Random r = new Random(1);
        float[] a = gauss(r, T * I, 1), m = gauss(r, T * I, 30), b1 = gauss(r, I, 1), b2 = gauss(r, I, 1), w = gauss(r, D * I, 0.3);
        Fusion.Split s = Fusion.split(a, m, T, I, b1, b2, w, D, EPS);
        for (int t = 0; t < T; t++) {
            double[] na = rmsNorm(a, t, I, b1), nm = rmsNorm(m, t, I, b2);
            for (int o = 0; o < D; o++) {
                double mix = 0;
                for (int c = 0; c < I; c++) mix += w[o * I + c] * (na[c] + nm[c]) / 2;
                assertEquals(mix, s.attnTerm()[t * D + o] + s.ssmTerm()[t * D + o], 1e-5 * (1 + Math.abs(mix)));
            }
        }
        // head blocks partition the attention term
        float[] sum = new float[T * D];
        for (int h = 0; h < H; h++) {
            float[] part = Fusion.blockTerm(a, T, I, b1, s.attnRms(), h * I / H, (h + 1) * I / H, w, D);
            for (int i = 0; i < sum.length; i++) sum[i] += part[i];
        }
        assertArrayEquals(s.attnTerm(), sum, 1e-5f);
    }

    @Test
    void branchShareAndStaticMixByHand() {
        // a_t = 1 everywhere (r = 1), m_t = 2 everywhere (r = 2), β1 = 1, β2 = 2:
        // ‖β1 a/r‖ = √4 = 2, ‖β2 m/r‖ = ‖(2,2,2,2)‖ = 4, ρ = 4/6
        float[] a = {1, 1, 1, 1}, m = {2, 2, 2, 2}, b1 = {1, 1, 1, 1}, b2 = {2, 2, 2, 2};
        Fusion.Split s = Fusion.split(a, m, 1, 4, b1, b2, new float[4], 1, 0);
        assertEquals(2.0 / 3, s.branchShare()[0], 1e-7);
        assertEquals(2.0 / 3, Fusion.branchShare(a, m, 1, 4, b1, b2, 0)[0], 1e-7);
        assertEquals(1.0, s.attnRms()[0], 0);
        assertEquals(2.0, s.ssmRms()[0], 0);
        assertArrayEquals(new double[]{0.75, 0.5, Double.NaN},
                Fusion.staticMix(new float[]{1, -2, 0}, new float[]{-3, 2, 0}), 0);
    }

    @Test
    void directLogitAttributionAddsUpToTheLogit() {
        Random r = new Random(2);
        float[] a = gauss(r, T * I, 1), m = gauss(r, T * I, 5), b1 = gauss(r, I, 1), b2 = gauss(r, I, 1), w = gauss(r, D * I, .3);
        float[] x0 = gauss(r, T * D, 1), gamma = gauss(r, D, 1), u = gauss(r, V * D, 1);
        Fusion.Split s = Fusion.split(a, m, T, I, b1, b2, w, D, EPS);
        float[] resid = new float[T * D]; // one layer without MLP: x = x0 + attn + ssm
        for (int i = 0; i < resid.length; i++) resid[i] = x0[i] + s.attnTerm()[i] + s.ssmTerm()[i];
        double[] rf = Fusion.rms(resid, T, D, EPS);
        int[] targets = {3, 0, 8, -1, 5, 5, 1};
        double[] d0 = Fusion.directLogitAttribution(x0, T, D, rf, gamma, u, targets);
        double[] da = Fusion.directLogitAttribution(s.attnTerm(), T, D, rf, gamma, u, targets);
        double[] dm = Fusion.directLogitAttribution(s.ssmTerm(), T, D, rf, gamma, u, targets);
        double[] heads = Fusion.blockDirectLogitAttribution(a, T, I, H, b1, s.attnRms(), w, D, rf, gamma, u, targets);
        double[] blocks = Fusion.blockDirectLogitAttribution(m, T, I, H, b2, s.ssmRms(), w, D, rf, gamma, u, targets);
        for (int t = 0; t < T; t++) {
            if (targets[t] < 0) { assertTrue(Double.isNaN(da[t]) && Double.isNaN(heads[t * H])); continue; }
            double[] normed = rmsNorm(resid, t, D, gamma);
            double logit = 0;
            for (int j = 0; j < D; j++) logit += u[targets[t] * D + j] * normed[j];
            assertEquals(logit, d0[t] + da[t] + dm[t], 1e-5 * (1 + Math.abs(logit)));
            double hs = 0, bs = 0;
            for (int h = 0; h < H; h++) { hs += heads[t * H + h]; bs += blocks[t * H + h]; }
            assertEquals(da[t], hs, 1e-5 * (1 + Math.abs(da[t])));
            assertEquals(dm[t], bs, 1e-5 * (1 + Math.abs(dm[t])));
        }
    }

    @Test
    void preNormAblationRescalesTheSurvivors() {
        // 8 channels of equal magnitude, 2 zeroed: r goes from 1 to √(6/8), survivors grow by √(8/6)
        float[] x = {1, -1, 1, -1, 1, -1, 1, -1, 3, 0, 0, 0, 0, 0, 0, 4};
        double[] f = Fusion.preNormRescale(x, 2, 8, 2, 4, 0);
        assertEquals(Math.sqrt(8.0 / 6), f[0], 1e-12);
        assertEquals(1.0, f[1], 1e-12); // nothing in the ablated channels: no change
        // row 1 with channels 0 and 7 removed leaves nothing to renormalise
        assertTrue(Double.isNaN(Fusion.preNormRescale(x, 2, 8, 0, 8, 0)[1]));
    }

    @Test
    void rejectsMismatchedShapes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Fusion.split(new float[8], new float[8], 2, 4, new float[4], new float[4], new float[7], 2, EPS));
        assertTrue(e.getMessage().contains("wOut has 7 values"), e.getMessage());
    }
}
