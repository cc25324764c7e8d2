package dev.hymba.core.analysis;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ActivationOutliersTest {

    @Test
    void normsAndHighNormTokensByHand() {
        // 4 tokens × 2 channels: norms 5, 0, 200, 13 (3-4-5 and 5-12-13 triangles)
        float[] x = {3, 4, 0, 0, 120, 160, 5, 12};
        double[] n = ActivationOutliers.tokenNorms(x, 4, 2);
        assertArrayEquals(new double[]{5, 0, 200, 13}, n, 1e-9);
        assertArrayEquals(new int[]{2}, ActivationOutliers.highNormTokens(n, 150));
        assertEquals(10 * (5 + 13) / 2.0, ActivationOutliers.relativeThreshold(n, 10), 1e-12); // median of 0,5,13,200
        var r = ActivationOutliers.byRegion(n, 1, true);
        assertEquals(1, r.meta().count());
        assertEquals(0.0, r.bos().mean());
        assertEquals(2, r.ordinary().count());
        assertEquals(200.0, r.ordinary().max());
        assertEquals(2, r.ordinary().argMax());
        assertEquals(0, ActivationOutliers.byRegion(n, 1, false).bos().count());
    }

    @Test
    void massiveActivationsNeedBothCutOffs() {
        int t = 10, d = 100;
        float[] x = new float[t * d];
        for (int i = 0; i < x.length; i++) x[i] = (i % 2 == 0 ? 0.05f : -0.05f); // median |x| = 0.05
        x[3 * d + 7] = -2000f;     // > 100 and > 1000 × 0.05 = 50: massive
        x[5 * d + 1] = 90f;        // > 50 but < 100: not massive
        x[6 * d + 2] = 400f;       // massive
        List<ActivationOutliers.Massive> m = ActivationOutliers.massiveActivations(x, t, d, 100, 1000);
        assertEquals(List.of(new ActivationOutliers.Massive(3, 7, -2000f), new ActivationOutliers.Massive(6, 2, 400f)), m);
        assertThrows(IllegalArgumentException.class, () -> ActivationOutliers.tokenNorms(x, 3, 3));
    }
}
