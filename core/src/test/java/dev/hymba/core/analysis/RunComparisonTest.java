package dev.hymba.core.analysis;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class RunComparisonTest {

    @Test
    void klByHandAndShiftInvariance() {
        // A = (0, 0): p = (½, ½); B = (ln 3, 0): q = (¾, ¼)
        float[] a = {0, 0, 5, 1}, b = {(float) Math.log(3), 0, 105, 101};
        double[] kl = RunComparison.klDivergence(a, b, 2, 2);
        assertEquals(0.5 * Math.log(0.5 / 0.75) + 0.5 * Math.log(0.5 / 0.25), kl[0], 1e-7);
        assertEquals(0.0, kl[1], 1e-6); // adding a constant to every logit changes nothing
    }

    @Test
    void nextTokenLossAndDelta() {
        int v = 4;
        float[] uniform = new float[3 * v];
        float[] sharp = uniform.clone();
        sharp[v + 2] = (float) Math.log(5); // row 1: token 2 has weight 5 of 8
        int[] ids = {1, 3, 2};
        double[] nll = RunComparison.nextTokenNll(uniform, 3, v, ids);
        assertArrayEquals(new double[]{Math.log(4), Math.log(4)}, nll, 1e-12);
        double[] d = RunComparison.nllDelta(uniform, sharp, 3, v, ids);
        assertEquals(0.0, d[0], 1e-12);
        assertEquals(-Math.log(5.0 / 8) - Math.log(4), d[1], 1e-6);
        var e = assertThrows(IllegalArgumentException.class, () -> RunComparison.nextTokenNll(uniform, 3, v, new int[]{0, 9, 0}));
        assertTrue(e.getMessage().startsWith("ids[1]: 9"), e.getMessage());
    }

    @Test
    void topKChanges() {
        float[] a = {3, 2, 1, 0}, b = {0, 2, 3, 1};
        List<RunComparison.TopK> ch = RunComparison.topKChanges(a, b, 1, 4, 2);
        assertArrayEquals(new int[]{0, 1}, ch.get(0).idsA());
        assertArrayEquals(new int[]{2, 1}, ch.get(0).idsB());
        assertEquals(1, ch.get(0).overlap());
        assertTrue(ch.get(0).top1Changed());
        assertFalse(RunComparison.topKChanges(a, a, 1, 4, 3).get(0).top1Changed());
    }

    @Test
    void metricTableDelta() {
        MetricTable a = new MetricTable("S", 2, 2, new double[]{.1, .2, .3, Double.NaN});
        MetricTable b = new MetricTable("S", 2, 2, new double[]{.5, .2, .0, .4});
        MetricTable d = b.minus(a);
        assertEquals(.4, d.get(0, 0), 1e-12);
        assertEquals(-.3, d.get(1, 0), 1e-12);
        assertTrue(Double.isNaN(d.get(1, 1)));
        assertArrayEquals(new double[]{.15, .3}, a.layerMeans(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> a.minus(new MetricTable("S", 1, 4, new double[4])));
    }
}
