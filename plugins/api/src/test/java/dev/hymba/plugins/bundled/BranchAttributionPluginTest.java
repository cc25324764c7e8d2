package dev.hymba.plugins.bundled;

import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.RunOptions;
import dev.hymba.plugins.api.AnalysisResult;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.*;

class BranchAttributionPluginTest {
    static final int L = 16;

    @Test
    void termsSumToTheMixerOutputHeadsToTheirBranchAndEverythingToTheLogit() {
        HymbaModel m = TinyA.model();
        int n = m.config().numHiddenLayers(), d = m.config().hiddenSize();
        for (int pos : new int[]{0, 9, L - 1}) {
            var a = BranchAttributionPlugin.attribute(m, TinyA.ids(L), pos, null, RunOptions.DEFAULT);
            double scale = Math.abs(a.logit()) + Arrays.stream(a.attention()).map(Math::abs).sum() + Arrays.stream(a.ssm()).map(Math::abs).sum()
                    + Arrays.stream(a.mlp()).map(Math::abs).sum() + Math.abs(a.embed());
            for (int l = 0; l < n; l++) {
                for (int j = 0; j < d; j++) {
                    float mix = a.mixerOut()[l][j];
                    assertThat(a.attnTerms()[l][j] + a.ssmTerms()[l][j]).as("layer %d col %d at %d", l, j, pos)
                            .isCloseTo(mix, within(1e-5f * (1 + Math.abs(mix))));
                }
                assertThat(Arrays.stream(a.heads()[l]).sum()).isCloseTo(a.attention()[l], within(1e-5 * scale));
                assertThat(Arrays.stream(a.ssmBlocks()[l]).sum()).isCloseTo(a.ssm()[l], within(1e-5 * scale));
            }
            assertThat(a.total()).as("sum of terms vs logit at %d", pos).isCloseTo(a.logit(), within(1e-5 * scale));
            assertThat(a.target()).isEqualTo(m.forward(TinyA.ids(L), RunOptions.DEFAULT).argmax(pos));
        }
    }

    @Test
    void pluginReportsGridsAndTheSumCheck() {
        HymbaModel m = TinyA.model();
        int n = m.config().numHiddenLayers(), H = m.config().numAttentionHeads();
        AnalysisResult r = TinyA.run(new BranchAttributionPlugin(), TinyA.context(TinyA.ids(L), Map.of("target", "7")));
        assertThat(TinyA.array(r, "branch_dla").shape()).containsExactly(n, 2);
        assertThat(TinyA.array(r, "head_dla").shape()).containsExactly(n, H);
        assertThat(TinyA.array(r, "ssm_block_dla").shape()).containsExactly(n, H);
        var a = BranchAttributionPlugin.attribute(m, TinyA.ids(L), L - 1, 7, RunOptions.DEFAULT);
        assertThat(TinyA.array(r, "head_dla").data()[H + 2]).isEqualTo((float) a.heads()[1][2]);
        var rows = r.tables().getFirst().rows();
        assertThat(rows).hasSize(n + 3);
        assertThat(rows.getLast().get(4)).isEqualTo(Double.toString(a.logit()));
    }
}
