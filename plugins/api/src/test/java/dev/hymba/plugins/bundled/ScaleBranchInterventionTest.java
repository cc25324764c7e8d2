package dev.hymba.plugins.bundled;

import dev.hymba.core.hook.Hooks;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.RunOptions;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.*;

class ScaleBranchInterventionTest {
    private static float[] run(Hooks h) {
        return TinyA.model().forward(TinyA.ids(12), RunOptions.builder().hooks(h).build()).logits();
    }

    @Test
    void factorZeroIsTheEnginesBranchOffAndOneChangesNothing() {
        HymbaModel m = TinyA.model();
        var p = new ScaleBranchIntervention();
        float[] plain = m.forward(TinyA.ids(12), RunOptions.DEFAULT).logits();
        assertThat(run(InterventionHooks.compile(p, Map.of("layer", 2, "branch", "attention", "factor", 1.0), m.config()))).containsExactly(plain);
        assertThat(run(InterventionHooks.compile(p, Map.of("layer", 2, "branch", "attention", "factor", 0), m.config())))
                .containsExactly(m.forward(TinyA.ids(12), RunOptions.builder().attentionOff(2).build()).logits());
        assertThat(run(InterventionHooks.compile(p, Map.of("layer", 4, "branch", "ssm", "factor", 0.0), m.config())))
                .containsExactly(m.forward(TinyA.ids(12), RunOptions.builder().ssmOff(4).build()).logits());
        assertThat(run(InterventionHooks.compile(p, Map.of("layer", 4, "branch", "ssm", "factor", 2.5), m.config()))).isNotEqualTo(plain);
        assertThat(p.validate(Map.of("layer", 1, "branch", "ssm", "factor", 0.5), InterventionHooks.dims(m.config())))
                .isEqualTo("layer 1: ssm branch scaled by 0.5");
    }

    @Test
    void badParamsNameTheField() {
        var dims = InterventionHooks.dims(TinyA.model().config());
        var p = new ScaleBranchIntervention();
        assertThatThrownBy(() -> p.validate(Map.of("layer", 6, "branch", "ssm", "factor", 1), dims)).hasMessage("params.layer: 6 is outside 0..5");
        assertThatThrownBy(() -> p.validate(Map.of("layer", 1.5, "branch", "ssm", "factor", 1), dims)).hasMessageContaining("params.layer: expected an integer");
        assertThatThrownBy(() -> p.validate(Map.of("layer", 1, "branch", "mlp", "factor", 1), dims)).hasMessageContaining("params.branch");
        assertThatThrownBy(() -> p.validate(Map.of("layer", 1, "branch", "ssm", "factor", Double.NaN), dims)).hasMessageContaining("params.factor");
    }

    @Test
    void editsReturningTheWrongLengthAreRefused() {
        TinyA.model(); // skips, as the other tests here do, when ../shared/golden is absent
        Hooks h = InterventionHooks.of(java.util.List.of(new dev.hymba.plugins.api.HookEdit("layers\\.0\\.mlp_out", (pt, v, s) -> new float[1])));
        assertThatThrownBy(() -> run(h)).hasMessageContaining("intervention edit at layers.0.mlp_out returned 1 values");
    }
}
