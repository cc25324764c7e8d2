package dev.hymba.plugins.bundled;

import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.patching.ActivationPatching;
import dev.hymba.core.patching.PatchMetric;
import dev.hymba.plugins.api.AnalysisResult;
import dev.hymba.plugins.host.PluginRunner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.*;

class ActivationPatchingPluginTest {
    static final int L = 10, CHANGED = 3;

    @Test
    void positionHeatmapIsTheCoreSweepAndExactAtTheChangedToken() {
        HymbaModel m = TinyA.model();
        int[] clean = TinyA.ids(L), corrupted = clean.clone();
        corrupted[CHANGED] = (clean[CHANGED] + 5) % m.config().vocabSize();
        String ids = Arrays.stream(corrupted).mapToObj(Integer::toString).collect(Collectors.joining(","));
        AnalysisResult r = TinyA.run(new ActivationPatchingPlugin(), TinyA.context(clean, Map.of("corrupted_ids", ids, "target", "11", "distractor", "12")));
        AnalysisResult.NamedArray e = TinyA.array(r, "effect");
        assertThat(e.shape()).containsExactly(m.config().numHiddenLayers(), L);
        for (int p = 0; p < L; p++) assertThat(e.data()[p]).as("layer 0 position %d", p).isEqualTo(p == CHANGED ? 1f : 0f);
        var ap = ActivationPatching.prepare(m, clean, corrupted, new PatchMetric.LogitDifference(11, 12));
        var g = ap.sweepPositions("resid_pre", new int[]{4}, null, null, null);
        for (int p = 0; p < L; p++) assertThat(TinyA.array(r, "metric").data()[4 * L + p]).isEqualTo((float) g.metric(0, p));
    }

    @Test
    void headSweepOnChosenLayersWithProbability() {
        HymbaModel m = TinyA.model();
        int[] clean = TinyA.ids(L), corrupted = clean.clone();
        corrupted[CHANGED] = (clean[CHANGED] + 5) % m.config().vocabSize();
        String ids = Arrays.stream(corrupted).mapToObj(Integer::toString).collect(Collectors.joining(","));
        AnalysisResult r = TinyA.run(new ActivationPatchingPlugin(), TinyA.context(clean,
                Map.of("corrupted_ids", ids, "target", "11", "sweep", "heads", "layers", "1,4")));
        assertThat(TinyA.array(r, "effect").shape()).containsExactly(2, m.config().numAttentionHeads());
        assertThat(r.figures().getFirst().rowLabels()).containsExactly("layer 1", "layer 4");
        assertThat(r.tables().getFirst().name()).isEqualTo("metric: P(11) at the last position");
    }

    @Test
    void missingOrMismatchedInputsAreExplained() {
        int[] clean = TinyA.ids(L);
        var o = PluginRunner.run(new ActivationPatchingPlugin(), TinyA.context(clean, Map.of("target", "1")), Duration.ofSeconds(30));
        assertThat(o.summary()).contains("give exactly one of the parameters corrupted_ids");
        o = PluginRunner.run(new ActivationPatchingPlugin(), TinyA.context(clean, Map.of("corrupted_ids", "1,2,3", "target", "1")), Duration.ofSeconds(30));
        assertThat(o.summary()).contains("clean has 10 tokens, corrupted 3");
        o = PluginRunner.run(new ActivationPatchingPlugin(), TinyA.context(clean, Map.of("corrupted", "hello", "target", "1")), Duration.ofSeconds(30));
        assertThat(o.summary()).contains("needs the model's tokenizer");
    }
}
