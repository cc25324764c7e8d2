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
        assumeTrue(SharedData.golden().isPresent(), "../shared/golden is absent");
        Path src = SharedData.golden().get().resolve("hymba-1.5b-reference-files");
        HymbaConfig c = new HymbaConfig(32001, 32, 3, 2, 1, 64, 1e-6, true, true, 10000.0, "ntk", 256, 64,
                4, 6, List.of(0, 2), List.of(), 4, 4, 2, 2, true, false, true, "silu", "silu", 1, 2, 0, FusionMode.FUSED);
        model = tmp.resolve("m");
        RandomCheckpoint.write(c, DType.F32, 9, model);
        for (String f : List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"))
            Files.copy(src.resolve(f), model.resolve(f)); // temp copy for the test only
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
            TraceRunData abl = (TraceRunData) s.run(new RunRequest(model.toString(), "The cat sat on the mat.",
                    "{\"version\":1,\"branches\":[{\"layer\":1,\"branch\":\"attention\"}]}", false), sink(new ArrayList<>(), false));
            assertThat(abl.trace().provenance().outOfDistribution()).isTrue();
            assertThat(abl.trace().layers().get(1).heads()).isEmpty();
            TraceRunData chat = (TraceRunData) s.run(new RunRequest(model.toString(), "Hello", "{}", true), sink(new ArrayList<>(), false));
            assertThat(chat.trace().ids()[0]).isNotEqualTo(1); // chat prompts carry no <s>
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
