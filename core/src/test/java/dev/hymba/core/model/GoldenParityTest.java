package dev.hymba.core.model;

import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.hook.HookPoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine against NVIDIA's released code: every array of the golden sets (../shared/golden). */
class GoldenParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"tiny-a", "tiny-b"})
    void reproducesEveryGoldenArray(String set) {
        GoldenSet g = GoldenSet.of(set);
        HymbaModel model = HymbaModel.load(g.dir());
        HymbaConfig c = model.config();
        int[] ids = g.inputIds();
        RecordingHooks rec = new RecordingHooks(p -> !p.startsWith("layers.") || !p.endsWith(".attn.q"));
        ForwardResult r = model.forward(ids, RunOptions.builder().hooks(rec).build());

        int n = c.numHiddenLayers(), M = c.numMemoryTokens(), T = M + ids.length, d = c.hiddenSize(), I = c.innerSize(), H = c.numAttentionHeads();
        assertThat(r.rows()).isEqualTo(ids.length);
        float[] logits = g.array("logits.npy").floats();
        ArrayAsserts.assertClose(set + " logits", logits, r.logits());
        int agree = 0;
        for (int t = 0; t < ids.length; t++) if (argmax(logits, t, c.vocabSize()) == r.argmax(t)) agree++;
        assertThat(agree).as("argmax agreement").isEqualTo(ids.length);

        float[] hidden = new float[(n + 1) * T * d];
        System.arraycopy(rec.values.get(HookPoint.layer(0, HookPoint.RESID_PRE)), 0, hidden, 0, T * d);
        for (int l = 0; l < n; l++) System.arraycopy(rec.values.get(HookPoint.layer(l, HookPoint.RESID_POST)), 0, hidden, (l + 1) * T * d, T * d);
        ArrayAsserts.assertClose(set + " hidden_states", g.array("hidden_states.npy").floats(), hidden);
        ArrayAsserts.assertClose(set + " attn_out", g.array("attn_out.npy").floats(), stack(rec, HookPoint.ATTN_OUT, n, T * I));
        ArrayAsserts.assertClose(set + " ssm_out", g.array("ssm_out.npy").floats(), stack(rec, HookPoint.SSM_OUT, n, T * I));
        ArrayAsserts.assertClose(set + " attn_probs", g.array("attn_probs.npy").floats(), stack(rec, HookPoint.ATTN_PATTERN, n, H * T * T));
        ArrayAsserts.assertClose(set + " ssm_delta", g.array("ssm_delta.npy").floats(), stack(rec, HookPoint.SSM_DELTA, n, T * I));
        ArrayAsserts.assertClose(set + " ssm_state_norm", g.array("ssm_state_norm.npy").floats(), stack(rec, HookPoint.SSM_STATE, n, T * I));
        float[] scales = new float[n * 2 * I];
        for (int l = 0; l < n; l++) {
            System.arraycopy(model.weights().layers().get(l).beta1(), 0, scales, l * 2 * I, I);
            System.arraycopy(model.weights().layers().get(l).beta2(), 0, scales, l * 2 * I + I, I);
        }
        ArrayAsserts.assertClose(set + " fusion_scales", g.array("fusion_scales.npy").floats(), scales);
    }

    private static float[] stack(RecordingHooks rec, String point, int layers, int per) {
        float[] out = new float[layers * per];
        for (int l = 0; l < layers; l++) {
            float[] v = rec.values.get(HookPoint.layer(l, point));
            assertThat(v).as(point + " of layer " + l).hasSize(per);
            System.arraycopy(v, 0, out, l * per, per);
        }
        return out;
    }

    private static int argmax(float[] a, int row, int v) {
        int best = 0;
        for (int i = 1; i < v; i++) if (a[row * v + i] > a[row * v + best]) best = i;
        return best;
    }
}
