package dev.hymba.workbench.views.fusion;

import dev.hymba.workbench.run.BranchNorms;
import dev.hymba.workbench.run.InMemoryRunData;
import dev.hymba.workbench.run.SyntheticRuns;
import dev.hymba.workbench.views.RichRun;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FusionViewModelTest {
    // 2 meta tokens + BOS + 2 prompt tokens = 5 positions; means are over positions 2..4 (BOS and prompt).
    private final InMemoryRunData base = SyntheticRuns.run(2, 2, 2, 1, 4, 1);
    private final RichRun run = new RichRun(base, Map.of(
            0, new BranchNorms(new float[] {100, 100, 1, 2, 3}, new float[] {100, 100, 4, 5, 6}, new float[] {.9f, .9f, .2f, .4f, .6f}),
            1, new BranchNorms(null, new float[] {0, 0, 3, 3, 3}, new float[] {1, 1, 1, 1, 1})), Map.of(), Map.of(), null);

    @Test
    void perLayerMeansSkipMetaTokensAndMarkOffBranchesNaN() {
        double[][] v = FusionViewModel.perLayer(run);
        assertThat(v[0][0]).isCloseTo(2, within(1e-9));      // (1 + 2 + 3) / 3
        assertThat(v[1][0]).isCloseTo(5, within(1e-9));      // (4 + 5 + 6) / 3
        assertThat(v[2][0]).isCloseTo(0.4, within(1e-6));    // (.2 + .4 + .6) / 3
        assertThat(v[0][1]).isNaN();                          // attention branch off in layer 1
        assertThat(v[1][1]).isCloseTo(3, within(1e-9));
    }

    @Test
    void tokenShareFigureHasOneBarPerPromptPosition() throws Exception {
        java.io.StringWriter w = new java.io.StringWriter();
        FusionViewModel.tokenShareFigure(run, 0).data().writeCsv(w);
        assertThat(w.toString().split("\n")).hasSize(1 + 3);
        assertThat(FusionViewModel.available(run)).isTrue();
        assertThat(FusionViewModel.available(base)).isFalse();
    }
}
