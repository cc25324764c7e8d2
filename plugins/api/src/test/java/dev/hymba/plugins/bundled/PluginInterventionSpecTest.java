package dev.hymba.plugins.bundled;

import dev.hymba.core.ablation.AblationElement;
import dev.hymba.core.ablation.AblationSpec;
import dev.hymba.core.ablation.AblationSpecException;
import dev.hymba.core.ablation.PluginIntervention;
import dev.hymba.core.hook.HookPoint;
import dev.hymba.core.hook.Hooks;
import dev.hymba.core.intervention.AblationCompiler;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.RunOptions;
import dev.hymba.plugins.api.HookEdit;
import dev.hymba.plugins.host.PluginInterventions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.*;

/** Plugin interventions inside an ablation spec, resolved by the host against the plugins on the class path. */
class PluginInterventionSpecTest {
    private static final String SPEC = """
            {"version": 1,
             "heads": [{"layer": 1, "head": 2, "replace": "mean", "stage": "post_norm"}],
             "interventions": [{"plugin": "scale-branch", "params": {"layer": 2, "branch": "ssm", "factor": 0.5}}]}
            """;

    /** What the plugin entry should amount to: one direct hook edit at layers.2's normalised SSM stream. */
    private static Hooks direct() {
        return InterventionHooks.of(List.of(new HookEdit(Pattern.quote(HookPoint.layer(2, HookPoint.FUSION_SSM_NORM)), (pt, v, shape) -> {
            for (int i = 0; i < v.length; i++) v[i] *= 0.5f;
            return v;
        })));
    }

    @Test
    void theScaleBranchEntryRoundTripsAndRunsExactlyAsTheDirectHookEdit() {
        AblationSpec spec = AblationSpec.fromJson(SPEC);
        assertThat(spec.plugins()).containsExactly(PluginIntervention.of(ScaleBranchIntervention.ID, Map.of("layer", 2, "branch", "ssm", "factor", 0.5)));
        AblationSpec back = AblationSpec.fromJson(spec.toJson());
        assertThat(back).isEqualTo(spec);
        assertThat(back.toJson()).isEqualTo(spec.toJson());

        HymbaModel m = TinyA.model();
        int[] ids = TinyA.ids(12);
        PluginInterventions host = PluginInterventions.classPath();
        assertThat(host.types()).contains(ScaleBranchIntervention.ID);
        assertThat(host.validate(back, m.config())).containsExactly("layer 2: ssm branch scaled by 0.5");
        float[] viaSpec = m.forward(ids, host.compile(back, m.config()).options()).logits();
        // the built-in element alone, with the equivalent hand-written edit chained after it
        AblationSpec builtIn = AblationSpec.of(new AblationElement.HeadOff(1, 2, AblationElement.Replacement.MEAN, AblationElement.Stage.POST_NORM));
        float[] viaEdit = m.forward(ids, AblationCompiler.compile(builtIn, m.config(), RunOptions.builder().hooks(direct())).options()).logits();
        assertThat(viaSpec).containsExactly(viaEdit);
        assertThat(viaSpec).isNotEqualTo(m.forward(ids, AblationCompiler.compile(builtIn, m.config()).options()).logits());

        // factor 0 through the spec is the engine's own SSM-off, bit for bit
        AblationSpec off = AblationSpec.EMPTY.withPlugin(PluginIntervention.of("scale-branch", Map.of("layer", 4, "branch", "ssm", "factor", 0)));
        assertThat(m.forward(ids, host.compile(off, m.config()).options()).logits())
                .containsExactly(m.forward(ids, RunOptions.builder().ssmOff(4).build()).logits());
    }

    @Test
    void anUnknownTypeIsNamedWithTheKnownTypes() {
        AblationSpec spec = AblationSpec.fromJson("""
                {"version": 1, "interventions": [{"plugin": "scale-branch", "params": {"layer": 0, "branch": "ssm", "factor": 1}},
                                                 {"plugin": "scale-brnach", "params": {}}]}
                """);
        PluginInterventions host = PluginInterventions.of(List.of(new ScaleBranchIntervention()));
        var config = TinyA.model().config();
        assertThatThrownBy(() -> host.compile(spec, config)).isInstanceOf(AblationSpecException.class)
                .hasMessage("interventions[1].plugin: unknown intervention type \"scale-brnach\" (known types: scale-branch)");
        assertThatThrownBy(() -> host.validate(spec, config)).hasMessageStartingWith("interventions[1].plugin: unknown intervention type \"scale-brnach\"");
        assertThatThrownBy(() -> PluginInterventions.of(List.of()).compile(spec, config))
                .hasMessage("interventions[0].plugin: unknown intervention type \"scale-branch\" (known types: none, no intervention plugin is loaded)");
    }

    @Test
    void badParamsGiveThePluginsMessageWithTheField() {
        var config = TinyA.model().config();
        PluginInterventions host = PluginInterventions.classPath();
        AblationSpec layer = AblationSpec.fromJson("""
                {"version": 1, "interventions": [{"plugin": "scale-branch", "params": {"layer": 6, "branch": "ssm", "factor": 1}}]}""");
        assertThatThrownBy(() -> host.compile(layer, config)).isInstanceOf(AblationSpecException.class)
                .hasMessage("interventions[0].params: scale-branch rejected its params: params.layer: 6 is outside 0..5");
        AblationSpec branch = AblationSpec.fromJson("""
                {"version": 1, "interventions": [{"plugin": "scale-branch", "params": {"layer": 1, "branch": "mlp", "factor": 1}}]}""");
        assertThatThrownBy(() -> host.validate(branch, config))
                .hasMessage("interventions[0].params: scale-branch rejected its params: params.branch: expected \"attention\" or \"ssm\", got mlp");
        AblationSpec missing = AblationSpec.fromJson("""
                {"version": 1, "interventions": [{"plugin": "scale-branch", "params": {"layer": 1, "branch": "ssm"}}]}""");
        assertThatThrownBy(() -> host.compile(missing, config)).hasMessageContaining("params.factor: expected a finite number, got null");
    }
}
