package dev.hymba.workbench.run;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AttentionMetricsTest {
    /** The C1 worked vector of analyses.md, padded with zeros above the diagonal. */
    static AttentionMap workedVector() {
        return new AttentionMap(4, 4, new float[] {
                1, 0, 0, 0,
                .5f, .5f, 0, 0,
                .4f, .3f, .3f, 0,
                .4f, .2f, .2f, .2f});
    }

    @Test
    void sinkScoreIsMeanOfFirstColumn() {
        // (1 + .5 + .4 + .4) / 4
        assertThat(AttentionMetrics.sinkScore(workedVector())).isCloseTo(0.575, within(1e-6));
    }

    @Test
    void regionMassesWithOneMetaTokenAndBos() {
        // M = 1 (position 0), BOS = 1; prompt queries 2 and 3.
        RegionMasses r = AttentionMetrics.regionMasses(workedVector(), 1, 1);
        assertThat(r.meta()).isCloseTo((.4 + .4) / 2, within(1e-6));
        assertThat(r.bos()).isCloseTo((.3 + .2) / 2, within(1e-6));
        assertThat(r.self()).isCloseTo((.3 + .2) / 2, within(1e-6));
        assertThat(r.cross()).isCloseTo((0 + .2) / 2, within(1e-6));
        assertThat(r.total()).isCloseTo(1, within(1e-6));
    }

    @Test
    void entropyOfUniformRowsIsLogOfRowLength() {
        // No meta tokens: rows 0..3 uniform over i+1 keys -> H_i = log(i+1).
        float[] v = new float[16];
        for (int i = 0; i < 4; i++) for (int j = 0; j <= i; j++) v[i * 4 + j] = 1f / (i + 1);
        double expected = (Math.log(1) + Math.log(2) + Math.log(3) + Math.log(4)) / 4;
        assertThat(AttentionMetrics.meanEntropy(new AttentionMap(4, 4, v), 0)).isCloseTo(expected, within(1e-6));
    }

    @Test
    void metricsDispatchMatchesDirectCalls() {
        AttentionMap a = workedVector();
        assertThat(AttentionMetrics.compute(HeadMetric.META_MASS, a, 1, 1)).isCloseTo(0.4, within(1e-6));
        assertThat(AttentionMetrics.compute(HeadMetric.BOS_MASS, a, 1, 1)).isCloseTo(0.25, within(1e-6));
    }

    @Test
    void mapRejectsWrongValueCount() {
        assertThatThrownBy(() -> new AttentionMap(3, 3, new float[8]))
                .hasMessageContaining("3x3 needs 9 values, got 8");
    }
}
