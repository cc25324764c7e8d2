package dev.hymba.core.config;

import dev.hymba.core.io.CheckpointLayout;
import dev.hymba.core.io.SharedData;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class HymbaPresetsTest {
    private static Path golden(String rel) {
        Path p = SharedData.golden().map(g -> g.resolve(rel)).orElse(null);
        assumeTrue(p != null && Files.isRegularFile(p), "golden data absent (../shared/golden/" + rel + "); skipping");
        return p;
    }

    @Test
    void hymba15bPresetEqualsTheReleasedConfig() {
        assertThat(HymbaPresets.hymba15b()).isEqualTo(HymbaConfigParser.read(golden("hymba-1.5b-reference-files/config.json")));
    }

    @Test
    void tinyPresetEqualsGoldenTinyA() {
        assertThat(HymbaPresets.tiny()).isEqualTo(HymbaConfigParser.read(golden("tiny-a/config.json")));
    }

    @Test
    void hymba15bCountsAndRopeBase() {
        HymbaConfig c = HymbaPresets.hymba15b();
        // Architecture reference §2: 1,522,797,824 parameters without the tied lm_head.
        assertThat(c.parameterCount()).isEqualTo(1_522_797_824L);
        // 10000 · (2·8192/2048 − 1)^(64/62), §3.3.
        assertThat(c.ropeBase()).isCloseTo(74534.8303, within(1e-4));
        assertThat(c.ropeBase()).isEqualTo(10000.0 * Math.pow(7.0, 64.0 / 62.0));
    }

    @Test
    void hymba15bLayoutHas611StoredTensorsSummingToTheParameterCount() {
        HymbaConfig c = HymbaPresets.hymba15b();
        var layout = CheckpointLayout.expected(c);
        // 612 state-dict entries include the tied lm_head, which the file does not store.
        assertThat(layout).hasSize(611);
        assertThat(layout).extracting(CheckpointLayout.Expected::name).doesNotContain(CheckpointLayout.LM_HEAD).doesNotHaveDuplicates();
        long total = layout.stream().mapToLong(e -> Arrays.stream(e.shape()).reduce(1, Math::multiplyExact)).sum();
        assertThat(total).isEqualTo(1_522_797_824L);
        assertThat(layout.stream().filter(e -> e.name().equals("model.layers.17.mamba.in_proj.weight")).findFirst().orElseThrow().shape())
                .containsExactly(8000, 1600);
        assertThat(layout.stream().filter(e -> e.name().equals("model.layers.16.mamba.in_proj.weight")).findFirst().orElseThrow().shape())
                .containsExactly(8960, 1600);
        // bf16: 2 bytes per parameter = 3.0456 GB, the size of the released model.safetensors.
        assertThat(2 * total).isEqualTo(3_045_595_648L);
    }

    @Test
    void presetsRoundTripThroughConfigJson() {
        for (String name : HymbaPresets.NAMES) {
            HymbaConfig c = HymbaPresets.byName(name);
            assertThat(HymbaConfigParser.parse(HymbaConfigParser.toJson(c))).as(name).isEqualTo(c);
        }
        HymbaConfig stacked = withFusion(HymbaPresets.tiny(), FusionMode.STACKED_SSM_FIRST);
        assertThat(HymbaConfigParser.toJson(stacked)).contains("\"fusion_mode\" : \"stacked_ssm_first\"");
        assertThat(HymbaConfigParser.parse(HymbaConfigParser.toJson(stacked))).isEqualTo(stacked);
        assertThat(HymbaConfigParser.toJson(HymbaPresets.tiny())).doesNotContain("fusion_mode");
    }

    @Test
    void unknownPresetNamesTheKnownOnes() {
        assertThat(HymbaPresets.byName("HYMBA-1.5B")).isEqualTo(HymbaPresets.hymba15b());
        assertThatThrownBy(() -> HymbaPresets.byName("llama")).isInstanceOf(ConfigException.class)
                .hasMessage("preset: 'llama' is not one of hymba-1.5b, tiny");
    }

    static HymbaConfig withFusion(HymbaConfig c, FusionMode m) {
        return new HymbaConfig(c.vocabSize(), c.hiddenSize(), c.numHiddenLayers(), c.numAttentionHeads(), c.numKeyValueHeads(),
                c.intermediateSize(), c.rmsNormEps(), c.tieWordEmbeddings(), c.rope(), c.ropeTheta(), c.ropeType(),
                c.maxPositionEmbeddings(), c.origMaxPositionEmbeddings(), c.numMemoryTokens(), c.slidingWindow(),
                c.globalAttnIdx(), c.kvReuseGroups(), c.mambaDState(), c.mambaDConv(), c.mambaExpand(), c.mambaDtRank(),
                c.mambaConvBias(), c.mambaProjBias(), c.mambaInnerLayernorms(), c.hiddenAct(), c.mlpHiddenAct(),
                c.bosTokenId(), c.eosTokenId(), c.padTokenId(), m);
    }
}
