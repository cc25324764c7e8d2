package dev.hymba.workbench.views.meta;

import dev.hymba.workbench.run.InMemoryRunData;
import dev.hymba.workbench.run.RunData;
import dev.hymba.workbench.run.SyntheticRuns;
import dev.hymba.workbench.views.RichRun;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MetaViewModelTest {
    private final InMemoryRunData base = SyntheticRuns.run(2, 4, 2, 2, 4, 1);

    @Test
    void receivedMassIsTheMeanOverHeads() {
        // Layer 0: heads give (0.5, 0.1) and (0.3, 0.3); layer 1: only head 1 recorded (0.2, 0.0).
        RunData run = new RichRun(base, Map.of(), Map.of(), Map.of(), null,
                Map.of("0:0", new float[] {.5f, .1f}, "0:1", new float[] {.3f, .3f}, "1:1", new float[] {.2f, 0f}));
        float[][] v = MetaViewModel.receivedPerLayer(run).orElseThrow();
        assertThat(v[0][0]).isCloseTo(.4f, within(1e-6f));
        assertThat(v[0][1]).isCloseTo(.2f, within(1e-6f));
        assertThat(v[1][0]).isCloseTo(.2f, within(1e-6f));
        assertThat(MetaViewModel.mapFigure(run, v).name()).isEqualTo("meta-received");
    }

    @Test
    void noStatisticsMeansNoFigure() {
        assertThat(MetaViewModel.receivedPerLayer(base)).isEmpty();
    }
}
