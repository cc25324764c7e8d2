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
    void regionMassesWithOneMetaTokenNoBos() {
        // M = 1 (position 0), no BOS; queries 1..3 (i >= M).
        RegionMasses r = AttentionMetrics.regionMasses(workedVector(), 1, -1);
        assertThat(r.meta()).isCloseTo((.5 + .4 + .4) / 3, within(1e-6));
        assertThat(r.bos()).isZero();
        assertThat(r.self()).isCloseTo((.5 + .3 + .2) / 3, within(1e-6));
        assertThat(r.cross()).isCloseTo((0 + .3 + .4) / 3, within(1e-6));
    }

    @Test
    void bosMassIsTheBosColumnOverQueriesFromM() {
        // M = 1, BOS = 1: bos over rows 1..3 = (.5 + .3 + .2) / 3
        assertThat(AttentionMetrics.regionMasses(workedVector(), 1, 1).bos()).isCloseTo(1.0 / 3, within(1e-6));
    }

    @Test
    void normalisedEntropyOfUniformRowsIsOne() {
        // Rows uniform over i+1 keys: H_i = log(i+1), normalised 1; row 0 (one key) is left out.
        float[] v = new float[16];
        for (int i = 0; i < 4; i++) for (int j = 0; j <= i; j++) v[i * 4 + j] = 1f / (i + 1);
        assertThat(AttentionMetrics.meanEntropy(new AttentionMap(4, 4, v), 0)).isCloseTo(1, within(1e-6));
        // Worked vector rows 1..3: H/log n for [.5,.5], [.4,.3,.3], [.4,.2,.2,.2]
        double h1 = 1, h2 = -(.4 * Math.log(.4) + 2 * .3 * Math.log(.3)) / Math.log(3),
                h3 = -(.4 * Math.log(.4) + 3 * .2 * Math.log(.2)) / Math.log(4);
        assertThat(AttentionMetrics.meanEntropy(workedVector(), 0)).isCloseTo((h1 + h2 + h3) / 3, within(1e-6));
    }

    @Test
    void metricsDispatchMatchesDirectCalls() {
        AttentionMap a = workedVector();
        assertThat(AttentionMetrics.compute(HeadMetric.META_MASS, a, 1, 1)).isCloseTo(1.3 / 3, within(1e-6));
        assertThat(AttentionMetrics.compute(HeadMetric.BOS_MASS, a, 1, 1)).isCloseTo(1.0 / 3, within(1e-6));
    }

    @Test
    void mapRejectsWrongValueCount() {
        assertThatThrownBy(() -> new AttentionMap(3, 3, new float[8]))
                .hasMessageContaining("3x3 needs 9 values, got 8");
    }
}
