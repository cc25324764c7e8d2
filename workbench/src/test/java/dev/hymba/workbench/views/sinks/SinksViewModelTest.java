package dev.hymba.workbench.views.sinks;

import dev.hymba.workbench.run.AttentionMetrics;
import dev.hymba.workbench.run.InMemoryRunData;
import dev.hymba.workbench.run.SyntheticRuns;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SinksViewModelTest {
    private final InMemoryRunData run = SyntheticRuns.run(3, 12, 4, 2, 6, 5);

    @Test
    void regionMassesAreMeansOverHeadsAndSumToOne() {
        double[][] v = SinksViewModel.regionMassesPerLayer(run);
        double meta = (AttentionMetrics.regionMasses(run.attention(2, 0), 3, 3).meta()
                + AttentionMetrics.regionMasses(run.attention(2, 1), 3, 3).meta()) / 2;
        assertThat(v[0][2]).isCloseTo(meta, within(1e-12));
        for (int l = 0; l < 4; l++) assertThat(v[0][l] + v[1][l] + v[2][l] + v[3][l]).isCloseTo(1, within(1e-5));
    }

    @Test
    void sinkScoreMeanAndMax() {
        double a = AttentionMetrics.sinkScore(run.attention(1, 0)), b = AttentionMetrics.sinkScore(run.attention(1, 1));
        double[][] v = SinksViewModel.sinkScorePerLayer(run);
        assertThat(v[0][1]).isCloseTo((a + b) / 2, within(1e-12));
        assertThat(v[1][1]).isCloseTo(Math.max(a, b), within(1e-12));
    }

    @Test
    void figureCsvListsLayersAndRegions() throws Exception {
        StringWriter w = new StringWriter();
        SinksViewModel.regionFigure(run).data().writeCsv(w);
        String[] lines = w.toString().split("\n");
        assertThat(lines[0]).isEqualTo("Layer,Meta,BOS,Self,Cross");
        assertThat(lines).hasSize(5);
    }
}
