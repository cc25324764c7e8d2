package dev.hymba.core.analysis;

import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.hook.HookPoint;
import dev.hymba.core.hook.Hooks;
import dev.hymba.core.io.CheckpointFiles;
import dev.hymba.core.io.Npy;
import dev.hymba.core.io.SharedData;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.LayerWeights;
import dev.hymba.core.model.RunOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The SSM re-scan and the fusion split on golden tiny-a, with the scan inputs (u, Δ, B, C) captured from the engine
 * and everything else from the reference files: state norms must match the reference's {@code ssm_state_norm.npy},
 * and the two branch terms built from the reference streams must add up to the engine's mixer output.
 */
class GoldenSsmFusionTest {

    private static final Set<String> CAPTURE = Set.of(HookPoint.SSM_CONV_OUT, HookPoint.SSM_DELTA, HookPoint.SSM_B,
            HookPoint.SSM_C, HookPoint.MIXER_OUT);
    private static Path dir;
    private static HymbaModel model;
    private static final Map<String, float[]> captured = new HashMap<>();

    @BeforeAll
    static void run() throws Exception {
        dir = SharedData.golden().map(g -> g.resolve("tiny-a")).filter(Files::isDirectory).orElse(null);
        if (dir == null) return;
        model = HymbaModel.load(dir);
        Hooks capture = new Hooks() {
            public boolean wants(String point) { return CAPTURE.contains(HookPoint.suffixOf(point)); }
            public float[] apply(String point, float[] value, int[] shape) { captured.put(point, value.clone()); return value; }
        };
        model.forward(Npy.read(dir.resolve("input_ids.npy")).intData(), RunOptions.builder().hooks(capture).build());
    }

    private static float[] slice(float[] all, int index, int size) {
        return java.util.Arrays.copyOfRange(all, index * size, (index + 1) * size);
    }

    private static SsmTensors tensors(int l, int seqLen) {
        HymbaConfig c = model.config();
        LayerWeights w = model.weights().layers().get(l);
        return new SsmTensors(seqLen, c.innerSize(), c.mambaDState(), captured.get(HookPoint.layer(l, HookPoint.SSM_DELTA)),
                w.negA(), captured.get(HookPoint.layer(l, HookPoint.SSM_B)), captured.get(HookPoint.layer(l, HookPoint.SSM_C)),
                w.d(), captured.get(HookPoint.layer(l, HookPoint.SSM_CONV_OUT)));
    }

    @Test
    void rescanStateNormsMatchTheReference() throws Exception {
        assumeTrue(dir != null, "shared golden data tiny-a not found; skipping");
        HymbaConfig c = model.config();
        float[] ref = Npy.read(dir.resolve("ssm_state_norm.npy")).floats();
        int t = ref.length / c.numHiddenLayers() / c.innerSize();
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            float[] want = slice(ref, l, t * c.innerSize());
            SsmScan.StateNorms got = SsmScan.stateNorms(tensors(l, t));
            for (int i = 0; i < want.length; i++)
                assertEquals(want[i], got.channelNorm()[i], 2e-4, "layer " + l + " index " + i); // golden README tolerance
        }
    }

    @Test
    void hiddenAttentionReproducesTheScanOnRealInputs() {
        assumeTrue(dir != null, "shared golden data tiny-a not found; skipping");
        int t = captured.get(HookPoint.layer(0, HookPoint.SSM_B)).length / model.config().mambaDState();
        for (int l : new int[]{0, 4}) {
            SsmTensors s = tensors(l, t);
            float[] y = SsmScan.stateNorms(s).y();
            for (int ch : new int[]{0, 37, 127}) {
                double[] got = HiddenAttention.apply(HiddenAttention.channel(s, ch), s, ch);
                for (int q = 0; q < t; q++)
                    assertEquals(y[q * s.channels() + ch], got[q], 1e-4 * (1 + Math.abs(y[q * s.channels() + ch])), "layer " + l + " channel " + ch + " t " + q);
            }
        }
    }

    @Test
    void branchTermsOfTheReferenceStreamsAddUpToTheMixerOutput() throws Exception {
        assumeTrue(dir != null, "shared golden data tiny-a not found; skipping");
        HymbaConfig c = model.config();
        int inner = c.innerSize(), d = c.hiddenSize();
        float[] attn = Npy.read(dir.resolve("attn_out.npy")).floats(), ssm = Npy.read(dir.resolve("ssm_out.npy")).floats();
        float[] scales = Npy.read(dir.resolve("fusion_scales.npy")).floats();
        int t = attn.length / c.numHiddenLayers() / inner;
        try (CheckpointFiles ckpt = CheckpointFiles.open(dir)) {
            for (int l = 0; l < c.numHiddenLayers(); l++) {
                float[] wOut = ckpt.readFloats("model.layers." + l + ".mamba.out_proj.weight");
                Fusion.Split s = Fusion.split(slice(attn, l, t * inner), slice(ssm, l, t * inner), t, inner,
                        slice(scales, 2 * l, inner), slice(scales, 2 * l + 1, inner), wOut, d, c.rmsNormEps());
                float[] mixer = captured.get(HookPoint.layer(l, HookPoint.MIXER_OUT));
                for (int i = 0; i < mixer.length; i++)
                    assertEquals(mixer[i], s.attnTerm()[i] + s.ssmTerm()[i], 2e-4, "layer " + l + " index " + i);
                for (double rho : s.branchShare()) assertTrue(rho > 0 && rho < 1, "ρ in (0,1): " + rho);
            }
        }
    }
}
