package dev.hymba.plugins.bundled;

import dev.hymba.core.analysis.RunComparison;
import dev.hymba.core.hook.HookPoint;
import dev.hymba.core.model.ForwardResult;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.RunOptions;
import dev.hymba.plugins.api.AnalysisResult;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.*;

class LogitLensPluginTest {
    static final int L = 16;

    @Test
    void lensOfTheLastLayerIsTheModelsLogitsBitForBit() {
        HymbaModel m = TinyA.model();
        int[] ids = TinyA.ids(L);
        String last = HookPoint.layer(m.config().numHiddenLayers() - 1, HookPoint.RESID_POST);
        Activations act = Activations.record(m, ids, RunOptions.DEFAULT, Set.of(last));
        assertThat(LogitLensPlugin.lensLogits(m, act.lastRows(last, L), L)).containsExactly(act.result().logits());
    }

    @Test
    void targetProbabilitiesAndTopKFollowTheLensOfEachLayer() {
        HymbaModel m = TinyA.model();
        int[] ids = TinyA.ids(L);
        int n = m.config().numHiddenLayers(), V = m.config().vocabSize(), target = 42;
        AnalysisResult r = TinyA.run(new LogitLensPlugin(), TinyA.context(ids, Map.of("target", "42", "k", "3", "position", "-2")));
        AnalysisResult.NamedArray p = TinyA.array(r, "target_prob");
        assertThat(p.shape()).containsExactly(n + 1, L);
        // Last row: the model's own softmax.
        ForwardResult f = m.forward(ids, RunOptions.DEFAULT);
        for (int t = 0; t < L; t++)
            assertThat((double) p.data()[n * L + t]).isCloseTo(Math.exp(RunComparison.logSoftmax(f.logits(), V, t)[target]), within(1e-7));
        // A middle layer, recomputed by hand: final norm written out, then the tied unembedding.
        int layer = 2;
        String point = HookPoint.layer(layer, HookPoint.RESID_POST);
        Activations act = Activations.record(m, ids, RunOptions.DEFAULT, Set.of(point));
        float[] x = act.lastRows(point, L);
        int d = m.config().hiddenSize(), pos = L - 2;
        double ss = 0;
        for (int j = 0; j < d; j++) ss += (double) x[pos * d + j] * x[pos * d + j];
        double inv = 1 / Math.sqrt(ss / d + m.config().rmsNormEps());
        double[] logits = new double[V];
        for (int v = 0; v < V; v++)
            for (int j = 0; j < d; j++) logits[v] += m.weights().finalNorm()[j] * x[pos * d + j] * inv * m.weights().embed()[v * d + j];
        double max = java.util.Arrays.stream(logits).max().orElseThrow(), z = 0;
        for (double v : logits) z += Math.exp(v - max);
        assertThat((double) p.data()[(layer + 1) * L + pos]).isCloseTo(Math.exp(logits[target] - max) / z, within(1e-5));
        // Table: one row per lens (embed + layers), k top tokens, the last row's top-1 = the model's argmax.
        AnalysisResult.Table t = r.tables().getFirst();
        assertThat(t.rows()).hasSize(n + 1);
        assertThat(t.columns()).hasSize(2 + 3);
        assertThat(t.rows().getLast().get(2)).startsWith(f.argmax(pos) + " (");
        assertThat(r.figures().getFirst().rowLabels()).startsWith("embed", "layer 0");
    }

    @Test
    void badParametersAreNamed() {
        var o = dev.hymba.plugins.host.PluginRunner.run(new LogitLensPlugin(), TinyA.context(TinyA.ids(4), Map.of("target", "9999")), java.time.Duration.ofSeconds(30));
        assertThat(o.summary()).contains("parameter target=9999 is outside the vocabulary 0..511");
        o = dev.hymba.plugins.host.PluginRunner.run(new LogitLensPlugin(), TinyA.context(TinyA.ids(4), Map.of("position", "7")), java.time.Duration.ofSeconds(30));
        assertThat(o.summary()).contains("parameter position=7 is outside -4..3");
    }
}
