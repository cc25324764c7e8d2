package dev.hymba.plugins.bundled;

import dev.hymba.core.analysis.RunComparison;
import dev.hymba.core.hook.HookPoint;
import dev.hymba.core.hook.Hooks;
import dev.hymba.core.model.ForwardResult;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.RunOptions;
import dev.hymba.plugins.api.AnalysisResult;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.*;

class HeadImportancePluginTest {
    static final int L = 12;

    /** Loss with the columns of one head block zeroed at a point, written by hand (independent of the ablation compiler). */
    private static double zeroedLoss(HymbaModel m, List<int[]> prompts, String point, int head) {
        int block = m.config().innerSize() / m.config().numAttentionHeads();
        Hooks zero = new Hooks() {
            public boolean wants(String p) { return p.equals(point); }
            public float[] apply(String p, float[] v, int[] s) {
                float[] out = v.clone();
                int width = v.length / s[0];
                for (int r = 0; r < s[0]; r++) Arrays.fill(out, r * width + head * block, r * width + (head + 1) * block, 0f);
                return out;
            }
        };
        double sum = 0;
        int count = 0;
        for (int[] ids : prompts) {
            ForwardResult f = m.forward(ids, RunOptions.builder().hooks(zero).build());
            for (double v : RunComparison.nextTokenNll(f.logits(), f.rows(), f.vocab(), ids)) { sum += v; count++; }
        }
        return sum / count;
    }

    @Test
    void gridCellsAreTheLossChangeOfRemovingThatHeadOnAPromptSet() {
        HymbaModel m = TinyA.model();
        int[] all = TinyA.ids(2 * L);
        List<int[]> prompts = List.of(Arrays.copyOf(all, L), Arrays.copyOfRange(all, L, 2 * L - 3));
        var ctx = TinyA.context(all, Map.of()).with(PromptSet.class, new PromptSet(prompts));
        AnalysisResult r = TinyA.run(new HeadImportancePlugin(), ctx);
        int n = m.config().numHiddenLayers(), H = m.config().numAttentionHeads();
        float[] attn = TinyA.array(r, "attention_delta_loss").data(), ssm = TinyA.array(r, "ssm_delta_loss").data();
        assertThat(TinyA.array(r, "attention_delta_loss").shape()).containsExactly(n, H);
        double base = HeadImportancePlugin.loss(m, prompts, RunOptions.DEFAULT);
        // Pooled mean NLL written out: (11 + 8) predicted tokens.
        double sum = 0;
        for (int[] p : prompts) {
            ForwardResult f = m.forward(p, RunOptions.DEFAULT);
            for (double v : RunComparison.nextTokenNll(f.logits(), f.rows(), f.vocab(), p)) sum += v;
        }
        assertThat(base).isCloseTo(sum / 19, within(1e-12));
        for (int[] cell : new int[][]{{0, 1}, {2, 3}, {5, 0}}) {
            int l = cell[0], h = cell[1];
            assertThat((double) attn[l * H + h]).as("attention head %d.%d", l, h)
                    .isCloseTo(zeroedLoss(m, prompts, HookPoint.layer(l, HookPoint.ATTN_OUT), h) - base, within(1e-6));
            assertThat((double) ssm[l * H + h]).as("ssm block %d.%d", l, h)
                    .isCloseTo(zeroedLoss(m, prompts, HookPoint.layer(l, HookPoint.SSM_OUT), h) - base, within(1e-6));
        }
        assertThat(r.notes().getFirst()).contains("19 predicted tokens in 2 prompt(s)");
    }

    @Test
    void postNormMeanMode() {
        HymbaModel m = TinyA.model();
        var s = HeadImportancePlugin.scan(m, List.of(TinyA.ids(L)), dev.hymba.core.ablation.AblationElement.Replacement.MEAN,
                dev.hymba.core.ablation.AblationElement.Stage.POST_NORM, null);
        assertThat(s.attention()).hasDimensions(m.config().numHiddenLayers(), m.config().numAttentionHeads());
        assertThat(Arrays.stream(s.attention()).flatMapToDouble(Arrays::stream).anyMatch(v -> v != 0)).isTrue();
        assertThat(Arrays.stream(s.ssm()).flatMapToDouble(Arrays::stream).allMatch(Double::isFinite)).isTrue();
        var o = dev.hymba.plugins.host.PluginRunner.run(new HeadImportancePlugin(), TinyA.context(TinyA.ids(L), Map.of("stage", "middle")), java.time.Duration.ofSeconds(30));
        assertThat(o.summary()).contains("parameter stage=middle is not one of pre_norm, post_norm");
    }
}
