package dev.hymba.core.analysis;

import dev.hymba.core.analysis.HiddenAttention.Aggregation;
import dev.hymba.core.analysis.HiddenAttention.Factors;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class HiddenAttentionTest {

    private static final int T = 14, I = 6, N = 3, K = 4;

    @Test
    void alphaTimesUPlusDuReproducesTheRecurrence() {
        SsmTensors s = SsmReference.random(T, I, N, 1);
        double[][] ref = SsmReference.y(s);
        for (int c = 0; c < I; c++) {
            float[] alpha = HiddenAttention.channel(s, c);
            for (int t = 0; t < T; t++) for (int j = t + 1; j < T; j++) assertEquals(0f, alpha[t * T + j]);
            double[] y = HiddenAttention.apply(alpha, s, c);
            for (int t = 0; t < T; t++) assertEquals(ref[t][c], y[t], 1e-5 * (1 + Math.abs(ref[t][c])), "c=" + c + " t=" + t);
        }
    }

    @Test
    void knockoutEqualsTheScanWithoutThatInputWrite() {
        SsmTensors s = SsmReference.random(T, I, N, 12);
        int key = 5, c = 2;
        float[] u = s.u().clone();
        u[key * I + c] = 0; // the scan never writes u_5 into the state …
        double[][] ref = SsmReference.y(SsmReference.withU(s, u));
        double[] got = HiddenAttention.applyWithout(HiddenAttention.channel(s, c), s, c, key);
        for (int t = 0; t < T; t++) {
            double want = ref[t][c] + (t == key ? s.d()[c] * s.u()[key * I + c] : 0); // … but the D skip of t = 5 stays
            assertEquals(want, got[t], 1e-5 * (1 + Math.abs(want)), "t=" + t);
        }
    }

    @Test
    void diagonalIsTheCurrentWriteAndStaysFiniteForHugeSteps() {
        SsmTensors r = SsmReference.random(T, I, N, 2);
        float[] delta = r.delta().clone();
        for (int i = 0; i < delta.length; i++) delta[i] = 1e4f; // exp(A·ΣΔ) underflows: must give 0, not NaN
        SsmTensors s = new SsmTensors(T, I, N, delta, r.a(), r.b(), r.c(), r.d(), r.u());
        float[] alpha = HiddenAttention.channel(s, 3);
        for (int t = 0; t < T; t++) {
            double diag = 0;
            for (int k = 0; k < N; k++) diag += (double) s.c()[t * N + k] * 1e4 * s.b()[t * N + k];
            assertEquals(diag, alpha[t * T + t], 1e-5 * Math.abs(diag));
            for (int j = 0; j < t; j++) assertEquals(0f, alpha[t * T + j], "fully decayed");
        }
    }

    /** α straight from the d.2 formula, one exp per (t, s, n), in double. */
    private static double alphaByFormula(SsmTensors s, int c, int t, int j) {
        int ch = s.channels(), ns = s.states();
        double gap = 0;
        for (int k = j + 1; k <= t; k++) gap += s.delta()[k * ch + c];
        double v = 0;
        for (int k = 0; k < ns; k++)
            v += s.c()[t * ns + k] * Math.exp(s.a()[c * ns + k] * gap) * s.delta()[j * ch + c] * s.b()[j * ns + k];
        return v;
    }

    @Test
    void tiledKernelEqualsTheFormulaAcrossTiles() {
        int n = 150; // tiles of 64: two full tiles, one partial, so off-diagonal tiles are exercised
        SsmTensors s = SsmReference.random(n, 2, 4, 11);
        float[] delta = s.delta().clone();
        for (int t = 0; t < n; t++) delta[t * 2 + 1] *= 40; // channel 1: steps large enough that exp(A·ΣΔ) underflows
        s = new SsmTensors(n, 2, 4, delta, s.a(), s.b(), s.c(), s.d(), s.u());
        for (int c = 0; c < 2; c++) {
            float[] alpha = HiddenAttention.channel(s, c);
            for (int t = 0; t < n; t++)
                for (int j = 0; j < n; j++) {
                    double want = j <= t ? alphaByFormula(s, c, t, j) : 0;
                    assertTrue(Float.isFinite(alpha[t * n + j]));
                    assertEquals(want, alpha[t * n + j], 1e-5 * (1 + Math.abs(want)), "c=" + c + " t=" + t + " s=" + j);
                }
        }
        double[][] ref = SsmReference.y(s);
        double[] y = HiddenAttention.apply(HiddenAttention.channel(s, 0), s, 0);
        for (int t = 0; t < n; t++) assertEquals(ref[t][0], y[t], 1e-4 * (1 + Math.abs(ref[t][0])));
    }

    @Test
    void blockMeanEqualsMeanOfChannelMaps() {
        SsmTensors s = SsmReference.random(T, I, N, 3);
        float[] mean = HiddenAttention.block(s, 2, 5, Aggregation.MEAN);
        float[] abs = HiddenAttention.block(s, 2, 5, Aggregation.MEAN_ABS);
        float[][] maps = {HiddenAttention.channel(s, 2), HiddenAttention.channel(s, 3), HiddenAttention.channel(s, 4)};
        for (int i = 0; i < T * T; i++) {
            double m = 0, a = 0;
            for (float[] mp : maps) { m += mp[i]; a += Math.abs(mp[i]); }
            assertEquals(m / 3, mean[i], 1e-5 * (1 + Math.abs(m)));
            assertEquals(a / 3, abs[i], 1e-5 * (1 + a));
        }
        assertThrows(IllegalArgumentException.class, () -> HiddenAttention.block(s, 4, 4, Aggregation.MEAN));
    }

    /** Full conv + SiLU + scan + gate of architecture §3.2, in double. */
    private static double[][] ssmOut(SsmTensors base, ConvGate g, boolean gate, boolean silu) {
        float[] u = new float[T * I];
        for (int t = 0; t < T; t++)
            for (int c = 0; c < I; c++) {
                double v = g.convBias() == null ? 0 : g.convBias()[c];
                for (int k = 0; k < K; k++) if (t - K + 1 + k >= 0) v += g.convWeight()[c * K + k] * g.x()[(t - K + 1 + k) * I + c];
                u[t * I + c] = (float) (silu ? SsmReference.silu(v) : v);
            }
        double[][] y = SsmReference.y(SsmReference.withU(base, u));
        if (gate) for (int t = 0; t < T; t++) for (int c = 0; c < I; c++) y[t][c] *= SsmReference.silu(g.z()[t * I + c]);
        return y;
    }

    private static ConvGate convGate(long seed, boolean bias) {
        Random r = new Random(seed);
        float[] x = new float[T * I], w = new float[I * K], b = new float[I], z = new float[T * I];
        for (int i = 0; i < x.length; i++) { x[i] = (float) r.nextGaussian(); z[i] = (float) r.nextGaussian(); }
        for (int i = 0; i < w.length; i++) w[i] = (float) (0.7 * r.nextGaussian());
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
        return new ConvGate(x, w, K, bias ? b : null, z);
    }

    /** The scan tensors with u = SiLU(conv(x)) as the engine would capture them. */
    private static SsmTensors consistent(SsmTensors base, ConvGate g) {
        float[] u = new float[T * I];
        for (int t = 0; t < T; t++) for (int c = 0; c < I; c++) u[t * I + c] = (float) HiddenAttention.silu(g.preActivation(t, c, I));
        return SsmReference.withU(base, u);
    }

    private static void assertMapReproduces(float[] map, ConvGate g, int c, double[][] want, double[] extra) {
        for (int t = 0; t < T; t++) {
            double v = extra == null ? 0 : extra[t];
            for (int j = 0; j <= t; j++) v += map[t * T + j] * g.x()[j * I + c];
            assertEquals(want[t][c], v, 2e-5 * (1 + Math.abs(want[t][c])), "c=" + c + " t=" + t);
        }
    }

    @Test
    void unifiedImplicitAttentionReproducesSsmOut() {
        ConvGate g = convGate(4, false);
        SsmTensors s = consistent(SsmReference.random(T, I, N, 5), g);
        double[][] want = ssmOut(s, g, true, true);
        for (int c = 0; c < I; c++) assertMapReproduces(HiddenAttention.implicitChannel(s, g, c, Factors.ALL), g, c, want, null);
    }

    @Test
    void convBiasTermCompletesTheDecomposition() {
        ConvGate g = convGate(6, true);
        SsmTensors s = consistent(SsmReference.random(T, I, N, 7), g);
        double[][] want = ssmOut(s, g, true, true);
        for (int c = 0; c < I; c++)
            assertMapReproduces(HiddenAttention.implicitChannel(s, g, c, Factors.ALL), g, c, want, HiddenAttention.convBiasTerm(s, g, c));
    }

    @Test
    void droppingFactorsGivesTheMatchingPartialOperators() {
        ConvGate g = convGate(8, false);
        SsmTensors s = consistent(SsmReference.random(T, I, N, 9), g);
        // no gate: Ã x is the ungated y
        double[][] ungated = ssmOut(s, g, false, true);
        for (int c = 0; c < I; c++)
            assertMapReproduces(HiddenAttention.implicitChannel(s, g, c, new Factors(false, true, true)), g, c, ungated, null);
        // no gate, no σ: (α + D I) M_conv x = the scan applied to v = conv(x) itself
        double[][] linear = ssmOut(s, g, false, false);
        for (int c = 0; c < I; c++)
            assertMapReproduces(HiddenAttention.implicitChannel(s, g, c, new Factors(false, false, true)), g, c, linear, null);
        // no gate, no σ, no conv: α + D I exactly
        float[] plain = HiddenAttention.implicitChannel(s, g, 1, new Factors(false, false, false));
        float[] alpha = HiddenAttention.channel(s, 1);
        for (int t = 0; t < T; t++) for (int j = 0; j <= t; j++)
            assertEquals(alpha[t * T + j] + (t == j ? s.d()[1] : 0), plain[t * T + j], 1e-6);
        // the block view is the mean of |Ã| over its channels
        float[] blk = HiddenAttention.implicitBlock(s, g, 0, 2, Factors.ALL, Aggregation.MEAN_ABS);
        float[] c0 = HiddenAttention.implicitChannel(s, g, 0, Factors.ALL), c1 = HiddenAttention.implicitChannel(s, g, 1, Factors.ALL);
        for (int i = 0; i < T * T; i++) assertEquals((Math.abs(c0[i]) + Math.abs(c1[i])) / 2, blk[i], 1e-6);
    }

    @Test
    void prefixMassByHand() {
        float[] m = {1, 0, 0, 0, 2, -2, 0, 0, 1, 1, 2, 0, 0, 0, 0, 0}; // 4×4, M = 1
        double[] p = HiddenAttention.prefixMass(m, 4, 1);
        assertEquals(1.0, p[0]);
        assertEquals(0.5, p[1], 1e-12);
        assertEquals(0.25, p[2], 1e-12);
        assertTrue(Double.isNaN(p[3]));
    }

    @Test
    void rejectsBadShapes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new SsmTensors(3, 2, 1, new float[5], new float[2], new float[3], new float[3], new float[2], new float[6]));
        assertTrue(e.getMessage().startsWith("delta has 5 values, expected T*I = 6"), e.getMessage());
    }
}
