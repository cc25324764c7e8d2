package dev.hymba.core.analysis;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class HeadStatisticsTest {

    @ParameterizedTest
    @CsvSource({"-1, 0, false", "-1, 4, true", "6, 4, true", "6, 0, false", "2, 9, true"})
    void streamingEqualsFullMatrix(int window, int meta, boolean bos) {
        int n = 57;
        AttentionMask mask = new AttentionMask(window, meta);
        int profileWindow = window < 0 ? 16 : window;
        float[] a = AttentionMaps.randomMasked(n, mask, 3.0, 11 + window + meta);
        HeadStatistics s = new HeadStatistics(n, mask, bos, 4, profileWindow);
        List<Integer> order = new ArrayList<>();
        for (int t = 0; t < n; t++) order.add(t);
        Collections.shuffle(order, new Random(5)); // the engine may feed rows in any order
        for (int t : order) {
            float[] row = new float[t + 3];          // a short row buffer with an offset, as the engine may use
            System.arraycopy(a, t * n, row, 2, t + 1);
            s.accept(t, row, 2);
        }
        HeadSummary h = s.summary();
        assertArrayEquals(SinkMetrics.alphaOriginal(a, n), h.alphaOriginal(), 1e-9);
        assertArrayEquals(SinkMetrics.alphaMaskAware(a, n, mask), h.alphaMaskAware(), 1e-9);
        assertEquals(SinkMetrics.firstTokenScore(a, n), h.firstTokenScore(), 1e-9);
        assertEquals(SinkMetrics.initialTokenMass(a, n, 4), h.initialTokenMass(), 1e-9);
        RegionMasses r = SinkMetrics.regionMasses(a, n, meta, bos);
        assertEquals(r.meta(), h.regions().meta(), 1e-9);
        assertEquals(r.bos(), h.regions().bos(), 1e-9);
        assertEquals(r.self(), h.regions().self(), 1e-9);
        assertEquals(r.cross(), h.regions().cross(), 1e-9);
        assertArrayEquals(SinkMetrics.metaReceived(a, n, meta), h.metaReceived(), 1e-9);
        assertEquals(SinkMetrics.nanMean(SinkMetrics.normalisedEntropy(a, n, mask)), h.meanNormalisedEntropy(), 1e-9);
        assertArrayEquals(SinkMetrics.localityProfile(a, n, meta, profileWindow), h.localityProfile(), 1e-9);
    }

    @Test
    void metaAbsorbsTheSinkByHand() {
        // M = 2, BOS at 2, T = 6, one layer, two heads: head 0 puts every real query on meta 1 (meta rows: self),
        // head 1 on BOS (rows before BOS: on key 0)
        int n = 6, m = 2;
        AttentionStatistics st = new AttentionStatistics(1, 2, n, l -> AttentionMask.global(m), true, 8);
        for (int t = 0; t < n; t++) {
            float[] r0 = new float[t + 1], r1 = new float[t + 1];
            r0[Math.min(t, 1)] = 1;
            r1[t < 2 ? 0 : 2] = 1;
            st.accept(0, 0, t, r0, 0);
            st.accept(0, 1, t, r1, 0);
        }
        // head 0: α_1 = 5/5 = 1 (queries 1..5 on key 1), α_0 = 1/6; head 1: α_0 = 2/6, α_2 = 4/4 = 1
        AttentionStatistics.MetaVsBos r = st.metaVsBos(0.3, false);
        assertEquals(50.0 + 50.0, r.metaSinkRateSum(), 1e-12); // key 0: head 1 (α = 1/3 > 0.3); key 1: head 0
        assertEquals(50.0, r.bosSinkRate(), 1e-12);
    }

    @Test
    void rejectsMissingAndDuplicateRows() {
        HeadStatistics s = new HeadStatistics(3, AttentionMask.global(0), false);
        s.accept(0, new float[]{1}, 0);
        var dup = assertThrows(IllegalStateException.class, () -> s.accept(0, new float[]{1}, 0));
        assertTrue(dup.getMessage().contains("twice"));
        var missing = assertThrows(IllegalStateException.class, s::summary);
        assertTrue(missing.getMessage().contains("row 1 was never fed"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.accept(2, new float[2], 0));
    }

    @Test
    void allLayersAggregateSinkRate() {
        int n = 10;
        AttentionStatistics st = new AttentionStatistics(2, 2, n, l -> l == 0 ? AttentionMask.global(0)
                : AttentionMask.local(3, 0), false, 3);
        float[] sink = new float[n * n];
        for (int t = 0; t < n; t++) sink[t * n] = 1; // layer 0 heads: all on key 0 (allowed in a global layer)
        float[] self = new float[n * n];
        for (int t = 0; t < n; t++) self[t * n + t] = 1;
        for (int l = 0; l < 2; l++) for (int h = 0; h < 2; h++) for (int t = 0; t < n; t++)
            st.accept(l, h, t, l == 0 ? sink : self, t * n);
        assertEquals(50.0, st.sinkRate(0, 0.3, true), 1e-12);
        // no meta tokens, no BOS here
        assertEquals(0.0, st.metaVsBos(0.3, true).metaSinkRateSum());
        assertTrue(Double.isNaN(st.metaVsBos(0.3, true).bosSinkRate()));
        assertEquals(1.0, st.summary(1, 1).regions().self(), 0);
    }
}
