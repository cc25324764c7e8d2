package dev.hymba.workbench.views.compare;

import dev.hymba.workbench.run.AttentionMap;
import dev.hymba.workbench.run.InMemoryRunData;
import dev.hymba.workbench.run.Matrix;
import dev.hymba.workbench.run.SyntheticRuns;
import dev.hymba.workbench.views.RichRun;
import dev.hymba.workbench.views.sinks.SinksViewModel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import dev.hymba.workbench.run.RunProvenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CompareViewModelTest {
    @Test
    void differenceIsAblatedMinusBaseline() {
        AttentionMap a = new AttentionMap(1, 2, new float[] {.75f, .25f}), b = new AttentionMap(1, 2, new float[] {.5f, .5f});
        assertThat(CompareViewModel.difference(a, b).values()).containsExactly(-.25f, .25f);
    }

    @Test
    void klAndLossChangeFromLogits() {
        InMemoryRunData s = SyntheticRuns.run(1, 2, 1, 1, 4, 1);
        // Ids [1, 0, 1] over a 2-token vocabulary; three logits rows (BOS and the two prompt tokens).
        InMemoryRunData base = new InMemoryRunData(new RunProvenance("m", "", "p", List.of(1, 0, 1), "{}", "t"),
                s.tokens(), s.layers(), s.maps(), s.metrics());
        // Baseline row 0 uniform (argmax 0 by the lower-id rule), ablated row 0 = softmax(0, ln 3) = (.25, .75).
        Matrix la = new Matrix(3, 2, new float[] {0, 0, 0, 0, 0, 0});
        Matrix lb = new Matrix(3, 2, new float[] {0, (float) Math.log(3), 0, 0, 0, 0});
        RichRun a = new RichRun(base, Map.of(), Map.of(), Map.of(), la), b = new RichRun(base, Map.of(), Map.of(), Map.of(), lb);
        double[][] d = CompareViewModel.tokenDeltas(a, b).orElseThrow();
        // KL((.5,.5) || (.25,.75)) = .5 ln(.5/.25) + .5 ln(.5/.75)
        assertThat(d[0][0]).isCloseTo(.5 * Math.log(2) + .5 * Math.log(.5 / .75), within(1e-6));
        assertThat(d[0][1]).isCloseTo(0, within(1e-12));
        // Row 0 predicts ids[1] = 0: loss -ln .5 in the baseline, -ln .25 ablated.
        assertThat(d[1][0]).isCloseTo(-Math.log(.25) + Math.log(.5), within(1e-6));
        assertThat(CompareViewModel.top1Changes(a, b)).containsExactly(0);
    }

    @Test
    void regionDeltasAreZeroForIdenticalRunsAndIncomparableLengthsAreExplained() {
        InMemoryRunData r = SyntheticRuns.run(2, 6, 3, 2, 4, 9);
        for (double[] row : CompareViewModel.regionDeltas(r, r)) for (double v : row) assertThat(v).isZero();
        InMemoryRunData other = SyntheticRuns.run(2, 7, 3, 2, 4, 9);
        assertThat(CompareViewModel.incomparable(r, other)).get().asString().contains("different lengths (9 vs 10 positions");
        double[][] d = CompareViewModel.regionDeltas(r, SyntheticRuns.run(2, 6, 3, 2, 4, 10));
        double[][] x = SinksViewModel.regionMassesPerLayer(SyntheticRuns.run(2, 6, 3, 2, 4, 10)), y = SinksViewModel.regionMassesPerLayer(r);
        assertThat(d[0][1]).isCloseTo(x[0][1] - y[0][1], within(1e-12));
    }
}
