package dev.hymba.example;

import dev.hymba.core.io.Npy;
import dev.hymba.core.io.SharedData;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.plugins.api.AnalysisResult;
import dev.hymba.plugins.bundled.Activations;
import dev.hymba.plugins.bundled.PromptTokens;
import dev.hymba.plugins.host.SimpleContext;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TokenNormsPluginTest {
    @Test
    void normsAreTheL2NormsOfTheResidualRows() throws Exception {
        assumeTrue(SharedData.golden().isPresent(), "../shared/golden is absent");
        Path dir = SharedData.golden().get().resolve("tiny-a");
        int[] ids = Arrays.copyOf(Npy.read(dir.resolve("input_ids.npy")).intData(), 9);
        try (HymbaModel m = HymbaModel.load(dir)) {
            AnalysisResult r = new TokenNormsPlugin().analyze(new SimpleContext(Map.of(), null).with(HymbaModel.class, m).with(PromptTokens.class, new PromptTokens(ids, null)));
            float[] norms = r.arrays().getFirst().data();
            assertThat(r.arrays().getFirst().shape()).containsExactly(6, 9);
            Activations a = Activations.record(m, ids, null, Set.of("layers.3.resid_post"));
            float[] rows = a.lastRows("layers.3.resid_post", 9);
            int d = m.config().hiddenSize();
            for (int t = 0; t < 9; t++) {
                double s = 0;
                for (int j = 0; j < d; j++) s += rows[t * d + j] * rows[t * d + j];
                assertThat((double) norms[3 * 9 + t]).isCloseTo(Math.sqrt(s), within(1e-5 * Math.sqrt(s)));
            }
        }
    }
}
