package dev.hymba.core.model;

import dev.hymba.core.config.FusionMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Run-time ablations applied inside the forward pass (complements RunOptionsAblationTest), on tiny-a (M = 8, W = 16, L = 72, global layers 0, 3, 5;
 * KV group [1, 2]; token i sits at position M + i).
 */
class RunOptionsTest {
    private static HymbaModel model;
    private static int[] ids;
    private static float[] baseline;
    private static int vocab;

    @BeforeAll
    static void load() {
        GoldenSet g = GoldenSet.of("tiny-a");
        model = HymbaModel.load(g.dir());
        ids = g.inputIds();
        vocab = model.config().vocabSize();
        baseline = run(RunOptions.DEFAULT);
    }

    private static float[] run(RunOptions o) { return model.forward(ids, o).logits(); }

    private static RunOptions.Builder opts() { return RunOptions.builder(); }

    @Test
    void aProducerWithItsAttentionOffStillFeedsItsConsumer() {
        // layer 1 produces the K/V layer 2 reads: switching layer 1's attention off must not change what layer 2 sees
        RecordingHooks offFused = new RecordingHooks(p -> p.equals("layers.2.attn.k"));
        run(opts().attentionOff(1).hooks(offFused).build());
        RecordingHooks keys = new RecordingHooks(p -> p.equals("layers.1.attn.k"));
        run(opts().hooks(keys).build());
        assertArrayEquals(keys.values.get("layers.1.attn.k"), offFused.values.get("layers.2.attn.k"));
        for (FusionMode m : new FusionMode[]{FusionMode.STACKED_ATTN_FIRST, FusionMode.STACKED_SSM_FIRST}) {
            RecordingHooks k = new RecordingHooks(p -> p.equals("layers.2.attn.k"));
            run(opts().fusion(1, m).attentionOff(1).hooks(k).build());
            // a switched-off producer's K/V come from the layer input x in every fusion mode
            assertArrayEquals(keys.values.get("layers.1.attn.k"), k.values.get("layers.2.attn.k"), m.toString());
        }
    }

    @Test
    void globalOverrideOnGlobalLayersAndTheConfiguredWindowOnLocalLayersChangeNothing() {
        assertArrayEquals(baseline, run(opts().attention(0, AttentionOverride.global()).attention(3, AttentionOverride.global()).build()));
        assertArrayEquals(baseline, run(opts().attention(1, AttentionOverride.local(16)).attention(4, AttentionOverride.local(16)).build()));
    }

    @Test
    void globalOverrideOnALocalLayerChangesOnlyPositionsPastTheWindow() {
        int w = model.config().slidingWindow();
        float[] global = run(opts().attention(4, AttentionOverride.global()).build());
        for (int i = 0; i <= w; i++) assertTrue(rowDiff(baseline, global, i) <= 1e-5 * maxAbs(baseline), "row " + i);
        assertTrue(rowDiff(baseline, global, w + 1) > 1e-3 * maxAbs(baseline));
    }

    @Test
    void layerIndicesOutsideTheModelAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(opts().attentionOff(9).fusion(-1, FusionMode.FUSED).build()));
        assertTrue(e.getMessage().contains("attention-off layer 9") && e.getMessage().contains("fusion override for layer -1"), e.getMessage());
    }

    private static double rowDiff(float[] a, float[] b, int row) {
        return maxDiff(Arrays.copyOfRange(a, row * vocab, (row + 1) * vocab), Arrays.copyOfRange(b, row * vocab, (row + 1) * vocab));
    }

    static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) m = Math.max(m, Math.abs(v));
        return m;
    }
}
