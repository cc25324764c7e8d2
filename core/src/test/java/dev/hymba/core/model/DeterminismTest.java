package dev.hymba.core.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Two runs of the same input give bit-identical logits (ablation comparisons rely on exact zeros). */
class DeterminismTest {
    @Test
    void repeatedRunsAreBitIdentical() {
        GoldenSet g = GoldenSet.of("tiny-a");
        HymbaModel m = HymbaModel.load(g.dir());
        ForwardResult a = m.forward(g.inputIds(), RunOptions.DEFAULT);
        for (int i = 0; i < 3; i++) {
            ForwardResult b = m.forward(g.inputIds(), RunOptions.DEFAULT);
            double d = 0;
            for (int k = 0; k < a.logits().length; k++) d = Math.max(d, Math.abs(a.logits()[k] - b.logits()[k]));
            System.out.println("run " + i + " max diff " + d);
            assertThat(b.logits()).containsExactly(a.logits());
        }
    }
}
