package dev.hymba.core.model;

import dev.hymba.core.config.FusionMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Structural ablations applied inside the forward pass (issue 3 "Ablations"). */
class RunOptionsAblationTest {
    static HymbaModel model;
    static int[] ids;
    static ForwardResult base;

    @BeforeAll
    static void load() {
        GoldenSet g = GoldenSet.of("tiny-a");
        model = HymbaModel.load(g.dir());
        ids = g.inputIds();
        base = model.forward(ids, RunOptions.DEFAULT);
    }

    private static double maxDiff(ForwardResult a, ForwardResult b, int fromRow, int toRow) {
        double m = 0;
        for (int i = fromRow * a.vocab(); i < toRow * a.vocab(); i++) m = Math.max(m, Math.abs(a.logits()[i] - b.logits()[i]));
        return m;
    }

    @Test
    void globalOverrideOnAGlobalLayerChangesNothing() {
        ForwardResult r = model.forward(ids, RunOptions.builder().attention(0, AttentionOverride.global()).attention(3, AttentionOverride.global()).build());
        assertThat(r.logits()).containsExactly(base.logits());
    }

    @Test
    void localOverrideOnAGlobalLayerChangesOnlyPositionsPastTheWindow() {
        int M = model.config().numMemoryTokens(), W = model.config().slidingWindow();
        ForwardResult r = model.forward(ids, RunOptions.builder().attention(3, AttentionOverride.local(W)).build());
        // Query position p sees everything while p − W ≤ M (every key beyond the window is meta); token row t is at p = M + t.
        int firstAffected = W + 1;
        assertThat(maxDiff(base, r, 0, firstAffected)).isZero();
        assertThat(maxDiff(base, r, firstAffected, ids.length)).isGreaterThan(1e-3);
    }

    @Test
    void widerWindowThanTheSequenceEqualsGlobal() {
        ForwardResult local = model.forward(ids, RunOptions.builder().attention(1, AttentionOverride.local(10_000)).build());
        ForwardResult global = model.forward(ids, RunOptions.builder().attention(1, AttentionOverride.global()).build());
        assertThat(local.logits()).containsExactly(global.logits());
        assertThat(maxDiff(base, global, 0, ids.length)).isGreaterThan(1e-3);
    }

    @Test
    void stackedEqualsFusedWhenTheFirstBranchIsOff() {
        // Attention-first with attention off is x + S(x): exactly the fused layer with attention off.
        for (int l : new int[]{0, 2, 4}) {
            ForwardResult fused = model.forward(ids, RunOptions.builder().attentionOff(l).build());
            ForwardResult stacked = model.forward(ids, RunOptions.builder().attentionOff(l).fusion(l, FusionMode.STACKED_ATTN_FIRST).build());
            assertThat(stacked.logits()).as("layer " + l).containsExactly(fused.logits());
            ForwardResult fusedS = model.forward(ids, RunOptions.builder().ssmOff(l).build());
            ForwardResult stackedS = model.forward(ids, RunOptions.builder().ssmOff(l).fusion(l, FusionMode.STACKED_SSM_FIRST).build());
            assertThat(stackedS.logits()).containsExactly(fusedS.logits());
        }
    }

    @Test
    void stackedDiffersFromFusedWithBothBranches() {
        ForwardResult a = model.forward(ids, RunOptions.builder().fusion(2, FusionMode.STACKED_ATTN_FIRST).build());
        ForwardResult s = model.forward(ids, RunOptions.builder().fusion(2, FusionMode.STACKED_SSM_FIRST).build());
        assertThat(maxDiff(base, a, 0, ids.length)).isGreaterThan(1e-3);
        assertThat(maxDiff(a, s, 0, ids.length)).isGreaterThan(1e-3);
    }

    @Test
    void aProducerWithoutItsAttentionBranchStillFeedsItsConsumers() {
        // Layer 1 produces the K/V that layer 2 reuses; removing layer 1's attention term must not starve layer 2.
        ForwardResult off = model.forward(ids, RunOptions.builder().attentionOff(1).build());
        ForwardResult stacked = model.forward(ids, RunOptions.builder().attentionOff(1).fusion(1, FusionMode.STACKED_ATTN_FIRST).build());
        assertThat(stacked.logits()).containsExactly(off.logits());
        InferenceState st = model.newState(RunOptions.builder().attentionOff(1).build());
        model.step(st, ids, false);
        assertThat(st.kv[1].rows()).isGreaterThan(0);
        assertThat(maxDiff(base, off, 0, ids.length)).isGreaterThan(1e-3);
    }

    @Test
    void metaModes() {
        ForwardResult zeroed = model.forward(ids, RunOptions.builder().metaMode(MetaMode.ZEROED).build());
        ForwardResult mean = model.forward(ids, RunOptions.builder().metaMode(MetaMode.MEAN).build());
        ForwardResult dropped = model.forward(ids, RunOptions.builder().metaMode(MetaMode.DROPPED).build());
        assertThat(maxDiff(base, zeroed, 0, ids.length)).isGreaterThan(1e-3);
        assertThat(maxDiff(base, mean, 0, ids.length)).isGreaterThan(1e-3);
        assertThat(maxDiff(zeroed, dropped, 0, ids.length)).isGreaterThan(1e-3);
        assertThat(dropped.rows()).isEqualTo(ids.length);
    }

    @Test
    void droppingMetaIsANoOpWithoutMetaTokens() {
        GoldenSet g = GoldenSet.of("tiny-b");
        HymbaModel m = HymbaModel.load(g.dir());
        ForwardResult a = m.forward(g.inputIds(), RunOptions.DEFAULT);
        ForwardResult b = m.forward(g.inputIds(), RunOptions.builder().metaMode(MetaMode.DROPPED).build());
        assertThat(b.logits()).containsExactly(a.logits());
    }

    @Test
    void cancellationStopsBetweenLayersAndProgressCountsLayers() {
        java.util.List<Integer> seen = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean cancel = new java.util.concurrent.atomic.AtomicBoolean();
        RunOptions o = RunOptions.builder().progress((done, total) -> { seen.add(done); if (done == 2) cancel.set(true); }).cancelled(cancel::get).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> model.forward(ids, o)).isInstanceOf(java.util.concurrent.CancellationException.class)
                .hasMessageContaining("before layer 2");
        assertThat(seen).containsExactly(1, 2);
    }

    @Test
    void outOfVocabularyIdsAndEmptyPromptsAreRejected() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> model.forward(new int[]{1, 512}, RunOptions.DEFAULT))
                .hasMessageContaining("token id 512 at index 1 is outside the vocabulary 0..511");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> model.forward(new int[0], RunOptions.DEFAULT))
                .hasMessageContaining("no tokens");
    }
}
