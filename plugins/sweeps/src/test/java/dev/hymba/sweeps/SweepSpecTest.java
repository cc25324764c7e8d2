package dev.hymba.sweeps;

import dev.hymba.core.config.HymbaConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SweepSpecTest {

    private static SweepSpec spec(String grid) {
        return SweepSpec.parse("{\"version\":1,\"model\":\"m\",\"prompts\":\"p.jsonl\",\"grid\":" + grid + "}", "s.json");
    }

    private static List<String> keys(String grid) {
        return spec(grid).ablations(TinyA.config()).stream().map(Ablation::key).toList();
    }

    @Test
    void defaultsAndCompactGridExpansionOnTinyA() {
        SweepSpec s = spec("[{\"family\":\"head\",\"layers\":\"all\"}]");
        assertThat(s.metrics()).containsExactly(Metric.LOSS_DELTA, Metric.KL);
        assertThat(s.batch()).isEqualTo(SweepSpec.DEFAULT_BATCH);
        // 6 layers × 4 heads, layer-major, defaults zero / pre_norm
        List<String> k = keys("[{\"family\":\"head\",\"layers\":\"all\"}]");
        assertThat(k).hasSize(24);
        assertThat(k.subList(0, 5)).containsExactly("head:0:0:zero:pre_norm", "head:0:1:zero:pre_norm", "head:0:2:zero:pre_norm",
                "head:0:3:zero:pre_norm", "head:1:0:zero:pre_norm");
        assertThat(keys("[{\"family\":\"ssm_block\",\"layers\":\"1-2\",\"blocks\":[3,0],\"replace\":\"mean\",\"stage\":\"post_norm\"}]"))
                .containsExactly("ssm_block:1:0:mean:post_norm", "ssm_block:1:3:mean:post_norm", "ssm_block:2:0:mean:post_norm", "ssm_block:2:3:mean:post_norm");
        assertThat(keys("[{\"family\":\"branch\",\"layers\":4}]")).containsExactly("branch:4:attention", "branch:4:ssm");
    }

    @Test
    void noOpChangesAreSkippedAndKvTakesProducersOnly() {
        HymbaConfig c = TinyA.config(); // global layers 0, 3, 5; window 16; layer 2 reuses layer 1's K/V; fused
        assertThat(keys("[{\"family\":\"attention\",\"mode\":\"global\"}]")).containsExactly("attention:1:global", "attention:2:global", "attention:4:global");
        assertThat(keys("[{\"family\":\"attention\",\"mode\":\"local\",\"window\":" + c.slidingWindow() + "}]"))
                .containsExactly("attention:0:local16", "attention:3:local16", "attention:5:local16");
        assertThat(keys("[{\"family\":\"attention\",\"layers\":[1],\"mode\":\"local\",\"window\":4}]")).containsExactly("attention:1:local4");
        assertThat(keys("[{\"family\":\"fusion\",\"layers\":0,\"modes\":[\"fused\",\"stacked_ssm_first\"]}]")).containsExactly("fusion:0:stacked_ssm_first");
        assertThat(keys("[{\"family\":\"meta\"}]")).containsExactly("meta:dropped", "meta:zeroed", "meta:mean");
        assertThat(keys("[{\"family\":\"kv\"}]")).containsExactly("kv:0:zero", "kv:1:zero", "kv:3:zero", "kv:4:zero", "kv:5:zero");
        Ablation meta = spec("[{\"family\":\"meta\",\"modes\":[\"zeroed\"]}]").ablations(c).getFirst();
        assertThat(meta.layer()).isEqualTo(-1);
        assertThat(meta.spec().meta()).isEqualTo(dev.hymba.core.ablation.MetaMode.ZEROED);
    }

    @Test
    void aPluginEntryIsOneAblationAndItsErrorsNameTheGridField() {
        HymbaConfig c = TinyA.config();
        Ablation a = spec("[{\"family\":\"plugin\",\"plugin\":\"scale-branch\",\"params\":{\"layer\":2,\"branch\":\"ssm\",\"factor\":0.5}}]")
                .ablations(c).getFirst();
        assertThat(a.key()).isEqualTo("plugin:scale-branch:{\"layer\":2,\"branch\":\"ssm\",\"factor\":0.5}");
        assertThat(a.family()).isEqualTo(GridEntry.Family.PLUGIN);
        assertThat(a.layer()).isEqualTo(2);
        assertThat(a.spec().plugins()).containsExactly(dev.hymba.core.ablation.PluginIntervention.of("scale-branch",
                java.util.Map.of("layer", 2, "branch", "ssm", "factor", 0.5)));
        assertThat(a.spec().elements()).isEmpty();
        assertThatThrownBy(() -> spec("[{\"family\":\"plugin\",\"plugin\":\"scale-brnach\",\"params\":{}}]").ablations(c))
                .isInstanceOf(SweepSpecException.class)
                .hasMessageStartingWith("s.json: grid[0].plugin: unknown intervention type \"scale-brnach\" (known types: ")
                .hasMessageContaining("scale-branch");
        assertThatThrownBy(() -> spec("[{\"family\":\"plugin\",\"plugin\":\"scale-branch\",\"params\":{\"layer\":9,\"branch\":\"ssm\",\"factor\":1}}]").ablations(c))
                .hasMessage("s.json: grid[0].params: scale-branch rejected its params: params.layer: 9 is outside 0..5");
        assertThatThrownBy(() -> spec("[{\"family\":\"plugin\",\"plugin\":\"scale-branch\"}]"))
                .hasMessage("s.json: grid[0].params: is required (use {} for none)");
        assertThatThrownBy(() -> spec("[{\"family\":\"plugin\",\"plugin\":\"scale-branch\",\"params\":{},\"layers\":1}]"))
                .hasMessageStartingWith("s.json: grid[0].layers: unknown field");
    }

    @Test
    void modelDependentErrorsNameTheGridField() {
        HymbaConfig c = TinyA.config();
        assertThatThrownBy(() -> spec("[{\"family\":\"head\",\"heads\":[0,4]}]").ablations(c))
                .hasMessage("s.json: grid[0].heads: 4 is out of range 0..3");
        assertThatThrownBy(() -> spec("[{\"family\":\"branch\"},{\"family\":\"head\",\"layers\":6}]").ablations(c))
                .hasMessage("s.json: grid[1].layers: 6 is out of range 0..5");
        assertThatThrownBy(() -> spec("[{\"family\":\"kv\",\"layers\":[2]}]").ablations(c))
                .hasMessage("s.json: grid[0].layers: layer 2 reuses the K/V of layer 1; name the producer");
        assertThatThrownBy(() -> spec("[{\"family\":\"head\",\"layers\":1},{\"family\":\"head\",\"layers\":\"0-1\"}]").ablations(c))
                .hasMessage("s.json: grid[1]: repeats ablation head:1:0:zero:pre_norm of grid[0]");
        assertThatThrownBy(() -> spec("[{\"family\":\"attention\",\"layers\":[0],\"mode\":\"global\"}]").ablations(c))
                .hasMessageContaining("s.json: grid[0]: selects no ablation on this model");
    }

    @Test
    void structuralErrorsNameTheField() {
        assertThatThrownBy(() -> SweepSpec.parse("{\"version\":1,\"prompts\":\"p\",\"grid\":[{\"family\":\"head\"}]}", "s.json"))
                .isInstanceOf(SweepSpecException.class).hasMessage("s.json: model: is required");
        assertThatThrownBy(() -> SweepSpec.parse("{\"version\":2}", "s.json")).hasMessage("s.json: version: 2 is not supported (this build reads version 1)");
        assertThatThrownBy(() -> spec("[]")).hasMessageStartingWith("s.json: grid: expected a non-empty list");
        assertThatThrownBy(() -> spec("[{\"family\":\"neuron\"}]"))
                .hasMessage("s.json: grid[0].family: \"neuron\" is not one of head, ssm_block, branch, attention, fusion, meta, kv, plugin");
        assertThatThrownBy(() -> spec("[{\"family\":\"head\",\"blocks\":1}]"))
                .hasMessage("s.json: grid[0].blocks: unknown field (allowed: family, layers, heads, replace, stage)");
        assertThatThrownBy(() -> spec("[{\"family\":\"head\",\"layers\":\"3-1\"}]")).hasMessage("s.json: grid[0].layers: range \"3-1\" is empty (3 > 1)");
        assertThatThrownBy(() -> spec("[{\"family\":\"head\",\"layers\":[1,-1]}]")).hasMessage("s.json: grid[0].layers[1]: -1 must be >= 0");
        assertThatThrownBy(() -> spec("[{\"family\":\"head\",\"replace\":\"noise\"}]")).hasMessage("s.json: grid[0].replace: \"noise\" is not one of zero, mean");
        assertThatThrownBy(() -> spec("[{\"family\":\"attention\",\"mode\":\"local\"}]")).hasMessage("s.json: grid[0].window: is required with mode \"local\"");
        assertThatThrownBy(() -> spec("[{\"family\":\"attention\",\"mode\":\"global\",\"window\":3}]")).hasMessage("s.json: grid[0].window: not allowed with mode \"global\"");
        assertThatThrownBy(() -> SweepSpec.parse("{\"version\":1,\"model\":\"m\",\"prompts\":\"p\",\"grid\":[{\"family\":\"meta\"}],\"metrics\":[\"kl\",\"acc\"]}", "s.json"))
                .hasMessage("s.json: metrics[1]: \"acc\" is not one of loss_delta, kl, logit_diff, meta_mass_delta, bos_mass_delta");
        assertThatThrownBy(() -> SweepSpec.parse("{\"version\":1,\"model\":\"m\",\"prompts\":\"p\",\"grid\":[{\"family\":\"meta\"}],\"batch\":0}", "s.json"))
                .hasMessage("s.json: batch: 0 must be >= 1");
        assertThatThrownBy(() -> SweepSpec.parse("{\"version\":1,", "s.json")).hasMessageStartingWith("s.json: malformed JSON at line 1");
    }

    @Test
    void remoteModelLocationsAreForSparkOnly() {
        SweepSpec s = SweepSpec.parse("{\"version\":1,\"model\":\"hdfs://nn:8020/models/m\",\"prompts\":\"p\",\"grid\":[{\"family\":\"meta\"}]}", "s.json");
        assertThat(s.modelIsRemote()).isTrue();
        assertThatThrownBy(s::modelDir).hasMessageStartingWith("s.json: model: \"hdfs://nn:8020/models/m\" is a Hadoop URI; only the Spark executor");
        assertThat(spec("[{\"family\":\"meta\"}]").modelIsRemote()).isFalse();
    }
}
