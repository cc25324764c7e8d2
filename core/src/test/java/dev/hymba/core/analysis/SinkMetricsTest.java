package dev.hymba.core.analysis;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class SinkMetricsTest {

    private static final double[][] T2 = {{1}, {.5, .5}, {.4, .3, .3}, {.4, .2, .2, .2}};

    @Test
    void t2_workedVectorOfGuEtAl() {
        float[] a = AttentionMaps.fromRows(T2);
        double[] alpha = SinkMetrics.alphaOriginal(a, 4);
        // α_k = column sum / (T − k), by hand
        assertArrayEquals(new double[]{(1 + .5 + .4 + .4) / 4, (.5 + .3 + .2) / 3, (.3 + .2) / 2, .2}, alpha, 1e-7);
        assertTrue(alpha[0] > 0.3 && alpha[1] > 0.3 && alpha[2] <= 0.3 && alpha[3] <= 0.3);
        assertEquals(100.0, SinkMetrics.sinkRate(List.of(alpha), 1, SinkMetrics.DEFAULT_EPSILON));
        assertEquals(0.0, SinkMetrics.sinkRate(List.of(alpha), 2, SinkMetrics.DEFAULT_EPSILON));
        // T ≤ W: mask-aware equals the original
        assertArrayEquals(alpha, SinkMetrics.alphaMaskAware(a, 4, AttentionMask.local(8, 0)), 0);
        // streaming agrees
        assertArrayEquals(alpha, AttentionMaps.stream(a, 4, AttentionMask.global(0), false, 8).alphaOriginal(), 1e-12);
    }

    @Test
    void t3_uniformCausalGivesHarmonicOverT() {
        int n = 64;
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) { rows[i] = new double[i + 1]; java.util.Arrays.fill(rows[i], 1.0 / (i + 1)); }
        float[] a = AttentionMaps.fromRows(rows);
        double harmonic = 0;
        for (int k = 1; k <= n; k++) harmonic += 1.0 / k;
        double[] alpha = SinkMetrics.alphaOriginal(a, n);
        assertEquals(harmonic / n, alpha[0], 1e-6);
        assertEquals(0.0741, alpha[0], 5e-5); // the doc's rounded figure
        assertEquals(0.0, SinkMetrics.sinkRate(List.of(alpha), 0, 0.3));
        assertEquals(harmonic / n, SinkMetrics.firstTokenScore(a, n), 1e-6); // C2 has the same denominator at k = 0
        // uniform rows have normalised entropy exactly 1 (row 0 excluded: a single key)
        double[] h = SinkMetrics.normalisedEntropy(a, n, AttentionMask.global(0));
        assertTrue(Double.isNaN(h[0]));
        for (int i = 1; i < n; i++) assertEquals(1.0, h[i], 1e-6);
        // StreamingLLM s = 4: row i has min(4, i+1)/(i+1) on the first keys
        double init = 0;
        for (int i = 0; i < n; i++) init += Math.min(4, i + 1) / (double) (i + 1);
        assertEquals(init / n, SinkMetrics.initialTokenMass(a, n, 4), 1e-6);
    }

    @Test
    void t4_allMassOnFirstKey() {
        int n = 16;
        float[] a = new float[n * n];
        for (int i = 0; i < n; i++) a[i * n] = 1;
        double[] alpha = SinkMetrics.alphaOriginal(a, n);
        assertEquals(1.0, alpha[0], 0);
        assertEquals(100.0, SinkMetrics.sinkRate(List.of(alpha, alpha), 0, 0.3));
        assertEquals(1.0, SinkMetrics.firstTokenScore(a, n), 0);
        double[] h = SinkMetrics.normalisedEntropy(a, n, AttentionMask.global(0));
        for (int i = 1; i < n; i++) assertEquals(0.0, h[i], 0);
    }

    @Test
    void t5_slidingWindowQueriesOnMetaZero() {
        int w = 8, m = 4, n = 30; // T > W + M
        AttentionMask mask = AttentionMask.local(w, m);
        float[] a = new float[n * n];
        for (int i = 0; i < n; i++) a[i * n] = 1;
        assertEquals(1.0, SinkMetrics.alphaMaskAware(a, n, mask)[0], 0);
        assertEquals(1.0, SinkMetrics.alphaOriginal(a, n)[0], 0);
        HeadSummary s = AttentionMaps.stream(a, n, mask, true, w);
        assertEquals(1.0, s.alphaMaskAware()[0], 0);
        assertEquals(0.0, s.maxMaskedMass());
        assertEquals(1.0, s.regions().meta(), 0);
        assertArrayEquals(new double[]{1, 0, 0, 0}, s.metaReceived(), 0);
    }

    @Test
    void maskAwareDenominatorDiffersBeyondTheWindow() {
        int w = 2, m = 1, n = 8;
        AttentionMask mask = AttentionMask.local(w, m);
        float[] a = AttentionMaps.randomMasked(n, mask, 1.0, 3);
        double[] orig = SinkMetrics.alphaOriginal(a, n), aware = SinkMetrics.alphaMaskAware(a, n, mask);
        // key 3 is seen by queries 3, 4, 5 only (window 2): n_3 = 3 while T − k = 5
        assertEquals(orig[3] * 5 / 3, aware[3], 1e-12);
        assertEquals(orig[0], aware[0], 0); // meta key: everyone sees it
    }

    @Test
    void t1_rowChecksFlagBadRows() {
        int n = 12;
        AttentionMask mask = AttentionMask.local(3, 2);
        float[] a = AttentionMaps.randomMasked(n, mask, 2.0, 7);
        HeadSummary good = AttentionMaps.stream(a, n, mask, false, 3);
        assertTrue(good.maxRowSumError() < 1e-6, "fp32 rows sum to 1 ± 1e-6");
        assertEquals(0.0, good.maxMaskedMass());
        a[10 * n + 4] = 0.25f; // key 4 is outside query 10's window (10 − 4 > 3) and not meta
        HeadSummary bad = AttentionMaps.stream(a, n, mask, false, 3);
        assertEquals(0.25, bad.maxMaskedMass(), 1e-7);
    }

    @Test
    void regionMassesByHand() {
        // M = 2 meta, BOS at 2, queries 2..4 are real
        double[][] rows = {
                {1}, {.5, .5},
                {.2, .1, .7},                // BOS query: its self is counted as BOS
                {.1, .1, .3, .5},            // self .5, no cross
                {.05, .05, .2, .3, .4}};     // self .4, cross .3
        float[] a = AttentionMaps.fromRows(rows);
        RegionMasses r = SinkMetrics.regionMasses(a, 5, 2, true);
        assertEquals((.3 + .2 + .1) / 3, r.meta(), 1e-7);
        assertEquals((.7 + .3 + .2) / 3, r.bos(), 1e-7);
        assertEquals((0 + .5 + .4) / 3, r.self(), 1e-7);
        assertEquals((0 + 0 + .3) / 3, r.cross(), 1e-7);
        assertEquals(1.0, r.total(), 1e-6);
        assertArrayEquals(new double[]{(.2 + .1 + .05) / 3, (.1 + .1 + .05) / 3}, SinkMetrics.metaReceived(a, 5, 2), 1e-7);
        // without BOS, key 2 is cross for queries 3 and 4, and query 2's own mass is self
        RegionMasses nb = SinkMetrics.regionMasses(a, 5, 2, false);
        assertEquals(0.0, nb.bos());
        assertEquals((.7 + .5 + .4) / 3, nb.self(), 1e-7);
        assertEquals((.3 + .2 + .3) / 3, nb.cross(), 1e-7);
    }

    @Test
    void localityProfileByHand() {
        // M = 1, W = 33; query 40 of a 41-token map with mass at offsets 0, 2, 10, 33, 35 and on meta key 0
        int n = 41;
        float[] a = new float[n * n];
        int t = 40;
        for (int i = 1; i < n; i++) a[i * n + i] = 1; // other real rows: all self
        a[t * n + t] = 0;
        a[t * n + 40] = .1f; a[t * n + 38] = .2f; a[t * n + 30] = .15f; a[t * n + 7] = .05f; a[t * n + 5] = .3f;
        a[t * n] = .2f;
        double[] p = SinkMetrics.localityProfile(a, n, 1, 33);
        int real = n - 1;
        assertEquals((real - 1 + .1) / real, p[Locality.SELF], 1e-6);
        assertEquals(.2 / real, p[Locality.NEAR], 1e-6);
        assertEquals(.15 / real, p[Locality.MID], 1e-6);
        assertEquals(.05 / real, p[Locality.FAR], 1e-6);
        assertEquals(.3 / real, p[Locality.BEYOND], 1e-6);
        assertEquals(.2 / real, p[Locality.META], 1e-6);
    }

    @Test
    void rejectsWrongSize() {
        var e = assertThrows(IllegalArgumentException.class, () -> SinkMetrics.alphaOriginal(new float[10], 3));
        assertTrue(e.getMessage().contains("expected T*T"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SinkMetrics.sinkRate(List.of(), 0, .3));
    }

    @Test
    void sinkRateAveragesIndicators() {
        Random r = new Random(1);
        double[][] alphas = new double[7][3];
        int hits = 0;
        for (double[] al : alphas) { al[0] = r.nextDouble(); if (al[0] > 0.3) hits++; }
        assertEquals(100.0 * hits / 7, SinkMetrics.sinkRate(List.of(alphas), 0, 0.3), 1e-12);
    }
}
