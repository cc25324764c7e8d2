package dev.hymba.core.analysis;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class CrossBranchTest {

    @Test
    void rowNormalisationUsesAbsoluteValues() {
        float[] m = {-2, 0, 1, -3};
        assertArrayEquals(new float[]{1, 0, .25f, .75f}, CrossBranch.rowNormalisedAbs(m, 2), 1e-7f);
        assertArrayEquals(new float[4], CrossBranch.rowNormalisedAbs(new float[4], 2));
    }

    @Test
    void jsDivergenceByHand() {
        // row 1: p = (.5, .5), q = (1, 0); row 0 identical
        float[] p = {1, 0, .5f, .5f}, q = {1, 0, 1, 0};
        double want = 0.5 * (0.5 * Math.log(0.5 / 0.75) + 0.5 * Math.log(0.5 / 0.25)) + 0.5 * Math.log(1 / 0.75);
        double[] js = CrossBranch.jsDivergence(p, q, 2);
        assertEquals(0.0, js[0], 0);
        assertEquals(want, js[1], 1e-7);
        assertEquals(want, CrossBranch.meanJsDivergence(p, q, 2, 1), 1e-7);
        // disjoint supports: ln 2
        float[] a = {1, 0, 1, 0}, b = {1, 0, 0, 1};
        assertEquals(Math.log(2), CrossBranch.jsDivergence(a, b, 2)[1], 1e-9);
    }

    @Test
    void selfOnlySsmMapProfile() {
        int n = 6;
        float[] ssm = new float[n * n];
        for (int t = 0; t < n; t++) ssm[t * n + t] = -4; // a purely local channel block, sign irrelevant
        CrossBranch.MapProfile p = CrossBranch.profile(CrossBranch.rowNormalisedAbs(ssm, n), n, AttentionMask.global(1), false, 3);
        assertEquals(1.0, p.regions().self(), 1e-7);
        assertEquals(0.0, p.regions().cross(), 1e-7);
        assertEquals(0.0, p.meanNormalisedEntropy(), 0);
        assertEquals(1.0, p.localityProfile()[Locality.SELF], 1e-7);
    }
}
