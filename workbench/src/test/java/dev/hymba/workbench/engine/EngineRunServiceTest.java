package dev.hymba.workbench.engine;

import dev.hymba.core.config.FusionMode;
import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.io.DType;
import dev.hymba.core.io.RandomCheckpoint;
import dev.hymba.core.io.SharedData;
import dev.hymba.workbench.run.*;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import static org.assertj.core.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class EngineRunServiceTest {
    @TempDir static Path tmp;
    static Path model;

    @BeforeAll
    static void tinyModelWithTheRealTokenizer() throws Exception {
        model = dev.hymba.workbench.testing.TinyModels.withRealTokenizer(tmp.resolve("m"));
    }

    private static ProgressSink sink(List<Double> seen, boolean cancel) {
        return new ProgressSink() {
            public void progress(double f, String m) { seen.add(f); }
            public boolean cancelled() { return cancel; }
        };
    }

    @Test
    void runsAPromptWithProgressPerLayerAndAppliesTheAblation() throws Exception {
        try (EngineRunService s = new EngineRunService()) {
            List<Double> seen = new ArrayList<>();
            TraceRunData base = (TraceRunData) s.run(new RunRequest(model.toString(), "The cat sat on the mat.", "{}", false), sink(seen, false));
            assertThat(seen).contains(1.0 / 3, 2.0 / 3, 1.0);
            assertThat(base.tokens().get(0).kind()).isEqualTo(TokenKind.META);
            assertThat(base.bosPosition()).isEqualTo(4);
            assertThat(base.trace().provenance().outOfDistribution()).isFalse();
            // β1/β2 of every layer travel with the run for the Fusion view, one value per inner channel
            for (int l = 0; l < 3; l++) assertThat(base.fusionScales(l)).get().extracting(FusionScales::channels)
                    .isEqualTo(base.config().innerSize());
            // The SSM's hidden attention of a head-sized block: causal, non-negative (mean |alpha|), T x T
            int T = base.length(), w = base.ssmChannels() / base.attentionHeads();
            AttentionMap h = base.ssmHiddenAttention(1, w, 2 * w).orElseThrow();
            assertThat(h.queries()).isEqualTo(T);
            assertThat(h.get(0, 1)).isZero();
            assertThat(h.get(T - 1, 0)).isGreaterThanOrEqualTo(0);
            for (float v : h.values()) assertThat(v).isNotNaN().isGreaterThanOrEqualTo(0);
            assertThat(h.max()).isPositive();
            assertThat(base.ssmHiddenAttention(1, w, 2 * w).orElseThrow()).isSameAs(h); // kept for the view
            TraceRunData abl = (TraceRunData) s.run(new RunRequest(model.toString(), "The cat sat on the mat.",
                    "{\"version\":1,\"branches\":[{\"layer\":1,\"branch\":\"attention\"}]}", false), sink(new ArrayList<>(), false));
            assertThat(abl.trace().provenance().outOfDistribution()).isTrue();
            assertThat(abl.trace().layers().get(1).heads()).isEmpty();
            TraceRunData chat = (TraceRunData) s.run(new RunRequest(model.toString(), "Hello", "{}", true), sink(new ArrayList<>(), false));
            assertThat(chat.trace().ids()[0]).isNotEqualTo(1); // chat prompts carry no <s>
        }
    }

    @Test
    void pluginsGetTheCompiledAblationOfAnAblatedRunOnly() throws Exception {
        try (EngineRunService s = new EngineRunService()) {
            RunData base = s.run(new RunRequest(model.toString(), "The cat sat.", "{}", false), sink(new ArrayList<>(), false));
            assertThat(s.analysisServices(base)).doesNotContainKey(dev.hymba.core.model.RunOptions.class);
            RunData abl = s.run(new RunRequest(model.toString(), "The cat sat.",
                    "{\"version\":1,\"branches\":[{\"layer\":1,\"branch\":\"attention\"}]}", false), sink(new ArrayList<>(), false));
            var svc = s.analysisServices(abl);
            assertThat(RunService.ABLATION_OPTIONS_SERVICE).isEqualTo(dev.hymba.core.model.RunOptions.class.getName());
            var o = (dev.hymba.core.model.RunOptions) svc.get(dev.hymba.core.model.RunOptions.class);
            assertThat(o.attentionOff(1)).isTrue(); // the same edit the ablated run was made with
            assertThat(o.attentionOff(0)).isFalse();
            assertThat(svc).containsKey(dev.hymba.core.ablation.AblationSpec.class);
        }
    }

    @Test
    void pluginInterventionsInTheSpecRunInTheWorkbenchAsOnTheCommandLine() throws Exception {
        try (EngineRunService s = new EngineRunService()) {
            // the bundled scale-branch intervention with factor 0 is the engine's own SSM-off, logit for logit
            TraceRunData viaPlugin = (TraceRunData) s.run(new RunRequest(model.toString(), "The cat sat on the mat.",
                    "{\"version\":1,\"interventions\":[{\"plugin\":\"scale-branch\",\"params\":{\"layer\":1,\"branch\":\"ssm\",\"factor\":0}}]}", false),
                    sink(new ArrayList<>(), false));
            TraceRunData builtIn = (TraceRunData) s.run(new RunRequest(model.toString(), "The cat sat on the mat.",
                    "{\"version\":1,\"branches\":[{\"layer\":1,\"branch\":\"ssm\"}]}", false), sink(new ArrayList<>(), false));
            TraceRunData base = (TraceRunData) s.run(new RunRequest(model.toString(), "The cat sat on the mat.", "{}", false), sink(new ArrayList<>(), false));
            assertThat(viaPlugin.trace().logits().logits()).isEqualTo(builtIn.trace().logits().logits());
            assertThat(viaPlugin.trace().logits().logits()).isNotEqualTo(base.trace().logits().logits());
            assertThat(viaPlugin.trace().provenance().ablationJson()).contains("scale-branch");
            assertThatThrownBy(() -> s.run(new RunRequest(model.toString(), "x",
                    "{\"version\":1,\"interventions\":[{\"plugin\":\"no-such\",\"params\":{}}]}", false), sink(new ArrayList<>(), false)))
                    .hasMessageContaining("unknown intervention type \"no-such\"");
        }
    }

    @Test
    void cancellationAndBadInputAreClear() {
        try (EngineRunService s = new EngineRunService()) {
            assertThatThrownBy(() -> s.run(new RunRequest(model.toString(), "x", "{}", false), sink(new ArrayList<>(), true)))
                    .isInstanceOf(CancellationException.class);
            assertThatThrownBy(() -> s.run(new RunRequest(model.toString(), "", "{}", false), sink(new ArrayList<>(), false)))
                    .hasMessageContaining("prompt is empty");
            assertThatThrownBy(() -> s.run(new RunRequest(model.toString(), "x", "{\"version\":1,\"heads\":[{\"layer\":0,\"head\":5,\"replace\":\"zero\",\"stage\":\"pre_norm\"}]}", false), sink(new ArrayList<>(), false)))
                    .hasMessageContaining("heads[0].head");
            assertThatThrownBy(() -> s.run(new RunRequest(tmp.resolve("nowhere").toString(), "x", "{}", false), sink(new ArrayList<>(), false)))
                    .hasMessageContaining("is not a model folder");
        }
    }

    @Test
    void theServiceIsDiscoveredByTheApp() {
        assertThat(RunService.discover()).isInstanceOf(EngineRunService.class);
    }
}
