package dev.hymba.core.analysis;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SsmScanTest {

    private static final int T = 20, I = 70, N = 4; // I > 64: more than one parallel channel chunk

    @Test
    void stateNormsMatchTheRecurrence() {
        SsmTensors s = SsmReference.random(T, I, N, 21);
        double[][][] h = SsmReference.states(s);
        double[][] y = SsmReference.y(s);
        SsmScan.StateNorms r = SsmScan.stateNorms(s);
        double[] energy = new double[N];
        for (int t = 0; t < T; t++) {
            double f = 0;
            for (int c = 0; c < I; c++) {
                double sq = 0;
                for (int k = 0; k < N; k++) { sq += h[t][c][k] * h[t][c][k]; energy[k] += h[t][c][k] * h[t][c][k]; }
                assertEquals(Math.sqrt(sq), r.channelNorm()[t * I + c], 1e-5 * (1 + Math.sqrt(sq)));
                assertEquals(y[t][c], r.y()[t * I + c], 1e-5 * (1 + Math.abs(y[t][c])));
                f += sq;
            }
            assertEquals(Math.sqrt(f), r.frobenius()[t], 1e-9 * (1 + Math.sqrt(f)));
        }
        double tot = 0;
        for (double e : energy) tot += e;
        for (int k = 0; k < N; k++) assertEquals(energy[k] / tot, r.energyShare()[k], 1e-12);
        for (int c = 0; c < I; c++) for (int k = 0; k < N; k++)
            assertEquals(h[T - 1][c][k], r.finalState()[c * N + k], 1e-5 * (1 + Math.abs(h[T - 1][c][k])));
    }

    @Test
    void halfLifeAndRetentionByHand() {
        // Δ = 0.5, A = −ln 2: retention e^{−ln2/2} = 1/√2, half-life ln2 / (0.5 ln2) = 2 tokens
        float[] delta = new float[3], a = {(float) -Math.log(2)};
        java.util.Arrays.fill(delta, 0.5f);
        SsmTensors s = new SsmTensors(3, 1, 1, delta, a, new float[3], new float[3], new float[1], new float[3]);
        assertEquals(1 / Math.sqrt(2), SsmScan.retention(s, 0)[1], 1e-6);
        assertEquals(2.0, SsmScan.halfLife(s, 0)[2], 1e-6);
        // after k steps the decay is 2^{−k/2}: below ε = 0.3 first at k = 4 (0.25), never within t = 2 steps
        int[] hz = SsmScan.horizon(new SsmTensors(6, 1, 1, new float[]{.5f, .5f, .5f, .5f, .5f, .5f}, a, new float[6],
                new float[6], new float[1], new float[6]), 0, 0.3);
        assertArrayEquals(new int[]{-1, -1, -1, -1, 4, 4}, hz);
    }

    @Test
    void horizonMatchesLinearSearch() {
        SsmTensors s = SsmReference.random(T, I, N, 22);
        for (int c = 0; c < I; c++) {
            int[] hz = SsmScan.horizon(s, c, 0.05);
            double[] cum = s.cumulativeDelta(c);
            for (int t = 0; t < T; t++)
                for (int k = 0; k < N; k++) {
                    int want = -1;
                    for (int j = 1; j <= t && want < 0; j++)
                        if (Math.exp(s.a()[c * N + k] * (cum[t] - cum[t - j])) < 0.05) want = j;
                    assertEquals(want, hz[t * N + k], "c=" + c + " t=" + t + " n=" + k);
                }
        }
        assertThrows(IllegalArgumentException.class, () -> SsmScan.horizon(s, 0, 1.5));
    }

    @Test
    void metaContributionIsTheResponseToThePrefixAlone() {
        int m = 6;
        SsmTensors s = SsmReference.random(T, I, N, 23);
        // superposition: y − D u = (response to u on [0,M)) + (response to u on [M,T)), with Δ, B, C fixed
        float[] prefixOnly = s.u().clone(), restOnly = s.u().clone();
        for (int i = m * I; i < prefixOnly.length; i++) prefixOnly[i] = 0;
        for (int i = 0; i < m * I; i++) restOnly[i] = 0;
        double[][] yPre = SsmReference.y(SsmReference.withU(s, prefixOnly));
        double[][] yRest = SsmReference.y(SsmReference.withU(s, restOnly));
        SsmScan.MetaContribution mc = SsmScan.metaContribution(s, m);
        for (int t = m; t < T; t++) {
            double sumMeta = 0, sumAll = 0;
            for (int c = 0; c < I; c++) {
                double rest = yRest[t][c] - s.d()[c] * s.u()[t * I + c];
                assertEquals(yPre[t][c], mc.yMeta()[t * I + c], 1e-5 * (1 + Math.abs(yPre[t][c])));
                double want = Math.abs(yPre[t][c]) / (Math.abs(yPre[t][c]) + Math.abs(rest));
                assertEquals(want, mc.share()[t * I + c], 1e-4);
                sumMeta += Math.abs(yPre[t][c]);
                sumAll += Math.abs(yPre[t][c]) + Math.abs(rest);
            }
            assertEquals(sumMeta / sumAll, mc.tokenShare()[t], 1e-4);
        }
        assertTrue(Float.isNaN(mc.yMeta()[0]) && Double.isNaN(mc.tokenShare()[m - 1]));
        double[][][] h = SsmReference.states(s);
        assertEquals(h[m - 1][2][1], mc.prefixState()[2 * N + 1], 1e-5 * (1 + Math.abs(h[m - 1][2][1])));
    }
}
