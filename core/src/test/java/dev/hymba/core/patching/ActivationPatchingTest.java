package dev.hymba.core.patching;

import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.hook.HookPoint;
import dev.hymba.core.hook.Hooks;
import dev.hymba.core.model.ForwardResult;
import dev.hymba.core.model.GoldenSet;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.RunOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.*;

/** Exactness of activation patching on golden tiny-a (6 layers, global 0/3/5, layer 2 reuses layer 1's K/V). */
class ActivationPatchingTest {
    static final int L = 12, CHANGED = 4;
    static HymbaModel model;
    static HymbaConfig c;
    static int[] clean, corrupted;
    static PatchMetric metric;
    static ActivationPatching shared;

    @BeforeAll
    static void load() {
        GoldenSet g = GoldenSet.of("tiny-a");
        model = HymbaModel.load(g.dir());
        c = model.config();
        clean = Arrays.copyOf(g.inputIds(), L);
        corrupted = clean.clone();
        corrupted[CHANGED] = (clean[CHANGED] + 17) % c.vocabSize(); // one token differs
        metric = metric();
        shared = ActivationPatching.prepare(model, clean, corrupted, metric);
    }

    /** A metric on which the two prompts differ: the clean run's top token against the corrupted run's. */
    static PatchMetric metric() {
        ForwardResult a = model.forward(clean, RunOptions.DEFAULT), b = model.forward(corrupted, RunOptions.DEFAULT);
        int t = a.argmax(L - 1), u = b.argmax(L - 1);
        if (t == u) u = (t + 1) % c.vocabSize();
        return new PatchMetric.LogitDifference(t, u);
    }

    @Test
    void patchingAllOfResidPreAtLayer0RestoresTheCleanLogitsBitForBit() {
        ActivationPatching ap = shared;
        assertThat(ap.cleanValue()).isNotEqualTo(ap.corruptedValue());
        ForwardResult r = ap.run(List.of(PatchSite.all(HookPoint.layer(0, HookPoint.RESID_PRE))));
        assertThat(r.logits()).containsExactly(ap.cleanRun().logits());
        assertThat(ap.effect(ap.metricDefinition().of(r))).isEqualTo(1.0);
        // So does patching only the changed position: every other row is identical in both prompts.
        assertThat(ap.metric(List.of(PatchSite.positions(HookPoint.EMBED, CHANGED)))).isEqualTo(ap.cleanValue());
    }

    @Test
    void patchingNothingGivesTheCorruptedRun() {
        ActivationPatching ap = shared;
        ForwardResult r = ap.run(List.of());
        assertThat(r.logits()).containsExactly(ap.corruptedRun().logits());
        assertThat(ap.effect(ap.metricDefinition().of(r))).isEqualTo(0.0);
    }

    @Test
    void positionSweepIsExactlyOneAtTheChangedTokenOfLayer0AndZeroWhereRowsAgree() {
        ActivationPatching ap = shared;
        AtomicInteger calls = new AtomicInteger();
        ActivationPatching.Grid g = ap.sweepPositions(HookPoint.RESID_PRE, null, null, (d, t) -> calls.incrementAndGet(), null);
        assertThat(g.layers()).hasSize(c.numHiddenLayers());
        assertThat(g.columns()).hasSize(L);
        assertThat(calls.get()).isEqualTo(c.numHiddenLayers() * L);
        for (int p = 0; p < L; p++) assertThat(g.effect(0, p)).as("layer 0, position %d", p).isEqualTo(p == CHANGED ? 1.0 : 0.0);
        // Causality: before the changed token both runs agree at every layer, so patching there is a no-op.
        for (int l = 0; l < c.numHiddenLayers(); l++)
            for (int p = 0; p < CHANGED; p++) assertThat(g.effect(l, p)).as("layer %d, position %d", l, p).isEqualTo(0.0);
        // After the last layer only the last row reaches the metric: patching it there is the whole effect.
        int last = c.numHiddenLayers() - 1;
        ActivationPatching.Grid post = ap.sweepPositions(HookPoint.RESID_POST, new int[]{last}, null, null, null);
        for (int p = 0; p < L; p++) assertThat(post.effect(0, p)).as("resid_post of the last layer, position %d", p).isEqualTo(p == L - 1 ? 1.0 : 0.0);
    }

    @Test
    void fullResidualPatchIsExactExceptWhereASharedCacheStillHoldsCorruptedKv() {
        int consumer = -1;
        for (int l = 0; l < c.numHiddenLayers(); l++) if (c.isKvConsumer(l)) { consumer = l; break; }
        assertThat(consumer).as("tiny-a has a KV consumer").isPositive();
        int producer = c.kvProducerOf(consumer);
        ActivationPatching ap = shared;
        // A layer after the sharing group: only its own state matters, so the clean residual gives the clean run.
        int after = consumer + 1;
        assertThat(ap.run(List.of(PatchSite.all(HookPoint.layer(after, HookPoint.RESID_PRE)))).logits()).containsExactly(ap.cleanRun().logits());
        // The consumer still reads the producer's corrupted K/V from the cache...
        ForwardResult residOnly = ap.run(List.of(PatchSite.all(HookPoint.layer(consumer, HookPoint.RESID_PRE))));
        assertThat(residOnly.logits()).isNotEqualTo(ap.cleanRun().logits());
        // ...and patching the producer's K/V as well restores the clean run exactly.
        ForwardResult withKv = ap.run(List.of(PatchSite.all(HookPoint.layer(consumer, HookPoint.RESID_PRE)),
                PatchSite.all(HookPoint.layer(producer, HookPoint.ATTN_K)), PatchSite.all(HookPoint.layer(producer, HookPoint.ATTN_V))));
        assertThat(withKv.logits()).containsExactly(ap.cleanRun().logits());
    }

    @Test
    void patchingAProducersKvReachesItsConsumer() {
        int consumer = 2, producer = c.kvProducerOf(consumer);
        assertThat(producer).isEqualTo(1);
        String seen = HookPoint.layer(consumer, HookPoint.ATTN_K);
        List<float[]> observed = new ArrayList<>();
        Hooks watch = new Hooks() {
            public boolean wants(String p) { return p.equals(seen); }
            public float[] apply(String p, float[] v, int[] s) { observed.add(v.clone()); return v; }
        };
        ActivationPatching ap = ActivationPatching.prepare(model, clean, corrupted, metric, RunOptions.builder().hooks(watch).build());
        float[] cleanK = ap.cleanActivation(HookPoint.layer(producer, HookPoint.ATTN_K));
        float[] corruptedSeen = observed.get(1); // runs so far: clean, corrupted, clean recording
        assertThat(corruptedSeen).isNotEqualTo(cleanK);
        ap.run(List.of(PatchSite.all(HookPoint.layer(producer, HookPoint.ATTN_K)), PatchSite.all(HookPoint.layer(producer, HookPoint.ATTN_V))));
        assertThat(observed.getLast()).as("consumer's keys in the patched run").containsExactly(cleanK);
    }

    @Test
    void allHeadsAreTheWholePointAndAHeadSweepHasOneCellPerHead() {
        ActivationPatching ap = shared;
        String out = HookPoint.layer(3, HookPoint.ATTN_OUT);
        int[] all = {0, 1, 2, 3};
        assertThat(ap.run(List.of(PatchSite.heads(out, all))).logits()).containsExactly(ap.run(List.of(PatchSite.all(out))).logits());
        ActivationPatching.Grid g = ap.sweepHeads(HookPoint.ATTN_OUT, new int[]{0, 3}, null, null, null);
        assertThat(g.columns()).containsExactly(0, 1, 2, 3);
        assertThat(g.metric()).hasSize(8);
        assertThat(g.metric(1, 2)).isEqualTo(ap.metric(List.of(PatchSite.heads(out, 2))));
        // Heads and positions restrict independently: one head at the changed position only.
        assertThat(ap.metric(List.of(new PatchSite(out, new int[]{CHANGED}, new int[]{1}))))
                .isNotEqualTo(ap.metric(List.of(PatchSite.heads(out, 1))));
        assertThat(ActivationPatching.headCount(c, HookPoint.ATTN_K)).isEqualTo(c.numKeyValueHeads());
    }

    @Test
    void metricsMatchHandComputedSoftmax() {
        ForwardResult r = model.forward(clean, RunOptions.DEFAULT);
        int t = 5, last = L - 1;
        double max = Double.NEGATIVE_INFINITY, z = 0;
        for (int v = 0; v < r.vocab(); v++) max = Math.max(max, r.logit(last, v));
        for (int v = 0; v < r.vocab(); v++) z += Math.exp(r.logit(last, v) - max);
        double p = Math.exp(r.logit(last, t) - max) / z;
        assertThat(new PatchMetric.Probability(t).of(r)).isCloseTo(p, within(1e-12));
        assertThat(new PatchMetric.NegLogLikelihood(t).of(r)).isCloseTo(-Math.log(p), within(1e-9));
        assertThat(new PatchMetric.LogitDifference(t, 9).of(r)).isEqualTo((double) r.logit(last, t) - r.logit(last, 9));
        assertThat(PatchMetric.parse("prob", 3, null)).isEqualTo(new PatchMetric.Probability(3));
        assertThatThrownBy(() -> PatchMetric.parse("logit-diff", 3, null)).hasMessageContaining("needs a distractor");
        assertThatThrownBy(() -> PatchMetric.parse("kl", 3, null)).hasMessageContaining("'kl' is not one of");
    }

    @Test
    void badInputIsRejectedWithTheReason() {
        PatchMetric m = new PatchMetric.Probability(1);
        assertThatThrownBy(() -> ActivationPatching.prepare(model, clean, Arrays.copyOf(corrupted, L - 1), m))
                .hasMessageContaining("same length: clean has 12 tokens, corrupted 11");
        assertThatThrownBy(() -> ActivationPatching.prepare(model, clean, corrupted, new PatchMetric.Probability(c.vocabSize())))
                .hasMessageContaining("target token 512 is outside the vocabulary 0..511");
        ActivationPatching ap = ActivationPatching.prepare(model, clean, corrupted, m);
        assertThatThrownBy(() -> ap.run(List.of(PatchSite.all("layers.9.resid_pre")))).hasMessageContaining("layer 9 is outside 0..5");
        assertThatThrownBy(() -> ap.run(List.of(PatchSite.all("layers.1.nope")))).hasMessageContaining("unknown hook point 'layers.1.nope'");
        assertThatThrownBy(() -> ap.run(List.of(PatchSite.heads("layers.1.attn.out", 4)))).hasMessageContaining("head 4 is outside 0..3");
        assertThatThrownBy(() -> ap.run(List.of(PatchSite.heads("layers.1.resid_pre", 0)))).hasMessageContaining("has no head structure");
        assertThatThrownBy(() -> ap.run(List.of(PatchSite.positions("layers.1.resid_pre", L)))).hasMessageContaining("position 12 is outside the prompt 0..11");
        assertThatThrownBy(() -> PatchSite.all("layers.1.ssm.state")).hasMessageContaining("read-only");
        assertThatThrownBy(() -> ap.sweepPositions("resid", null, null, null, null)).hasMessageContaining("not a per-layer hook point");
        assertThatThrownBy(() -> ap.sweepPositions(HookPoint.RESID_PRE, null, null, null, () -> true)).isInstanceOf(CancellationException.class);
    }
}
