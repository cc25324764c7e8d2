package dev.hymba.core.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hymba.core.io.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class HymbaConfigParserTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path golden(String rel) {
        Path p = SharedData.golden().map(g -> g.resolve(rel)).orElse(null);
        assumeTrue(p != null && Files.isRegularFile(p), "golden data absent (../shared/golden/" + rel + "); skipping");
        return p;
    }

    /** A complete, valid config (tiny-a's values) as a tree tests can edit. */
    private static ObjectNode base() { return HymbaConfigParser.toJsonTree(HymbaPresets.tiny()); }

    private static HymbaConfig parse(Consumer<ObjectNode> edit) {
        ObjectNode o = base();
        edit.accept(o);
        return HymbaConfigParser.parse(o.toString());
    }

    @Test
    void realHymba15bConfig() {
        HymbaConfig c = HymbaConfigParser.read(golden("hymba-1.5b-reference-files/config.json"));
        assertThat(c.vocabSize()).isEqualTo(32001);
        assertThat(c.hiddenSize()).isEqualTo(1600);
        assertThat(c.numHiddenLayers()).isEqualTo(32);
        assertThat(c.numAttentionHeads()).isEqualTo(25);
        assertThat(c.numKeyValueHeads()).isEqualTo(5);
        assertThat(c.headDim()).isEqualTo(64);
        assertThat(c.valueHeadDim()).isEqualTo(128); // v_head_dim overwritten to expand·d/heads
        assertThat(c.queriesPerKvHead()).isEqualTo(5);
        assertThat(c.innerSize()).isEqualTo(3200);
        assertThat(c.intermediateSize()).isEqualTo(5504);
        assertThat(c.rmsNormEps()).isEqualTo(1e-6);
        assertThat(c.tieWordEmbeddings()).isTrue();
        assertThat(c.rope()).isTrue();
        assertThat(c.ropeTheta()).isEqualTo(10000.0);
        assertThat(c.ropeType()).isEqualTo("ntk");
        assertThat(c.maxPositionEmbeddings()).isEqualTo(8192);
        assertThat(c.origMaxPositionEmbeddings()).isEqualTo(2048);
        assertThat(c.ropeBase()).isCloseTo(74534.8303, within(1e-4));
        assertThat(c.numMemoryTokens()).isEqualTo(128);
        assertThat(c.slidingWindow()).isEqualTo(1024);
        assertThat(c.globalAttnIdx()).containsExactly(0, 15, 31);
        assertThat(c.mambaDState()).isEqualTo(16);
        assertThat(c.mambaDConv()).isEqualTo(4);
        assertThat(c.mambaExpand()).isEqualTo(2);
        assertThat(c.mambaDtRank()).isEqualTo(100);
        assertThat(c.mambaConvBias()).isTrue();
        assertThat(c.mambaProjBias()).isFalse();
        assertThat(c.mambaInnerLayernorms()).isTrue();
        assertThat(c.hiddenAct()).isEqualTo("silu");
        assertThat(c.mlpHiddenAct()).isEqualTo("silu");
        assertThat(List.of(c.bosTokenId(), c.eosTokenId(), c.padTokenId())).containsExactly(1, 2, 0);
        assertThat(c.fusionMode()).isEqualTo(FusionMode.FUSED);
        assertThat(c.kvReuseGroups()).hasSize(14).contains(List.of(16, 17, 18));
        // §1 KV-sharing map: 17 own-K/V layers (8960 in_proj rows), 15 consumers (8000 rows).
        List<Integer> own = List.of(0, 1, 3, 5, 7, 9, 11, 13, 15, 16, 19, 21, 23, 25, 27, 29, 31);
        for (int l = 0; l < 32; l++) {
            if (own.contains(l)) {
                assertThat(c.kvProducerOf(l)).as("layer %d", l).isEqualTo(l);
                assertThat(c.inProjRows(l)).as("layer %d", l).isEqualTo(8960);
            } else {
                assertThat(c.isKvConsumer(l)).as("layer %d", l).isTrue();
                assertThat(c.inProjRows(l)).as("layer %d", l).isEqualTo(8000);
                assertThat(c.isGlobal(l)).as("every consumer is SWA").isFalse();
            }
        }
        assertThat(c.kvProducerOf(17)).isEqualTo(16);
        assertThat(c.kvProducerOf(18)).isEqualTo(16);
        assertThat(c.kvProducerOf(2)).isEqualTo(1);
        assertThat(c.kvProducerOf(30)).isEqualTo(29);
        assertThat(c.parameterCount()).isEqualTo(1_522_797_824L);
    }

    @Test
    void realConfigHasNoUnknownFields() throws Exception {
        var root = JSON.readTree(Files.readString(golden("hymba-1.5b-reference-files/config.json")));
        assertThat(HymbaConfigParser.unknownFields(root)).isEmpty();
    }

    @Test
    void tinyAAndTinyB() {
        HymbaConfig a = HymbaConfigParser.read(golden("tiny-a/config.json"));
        assertThat(a.numMemoryTokens()).isEqualTo(8);
        assertThat(a.slidingWindow()).isEqualTo(16);
        assertThat(a.globalAttnIdx()).containsExactly(0, 3, 5);
        assertThat(a.kvReuseGroups()).containsExactly(List.of(1, 2));
        assertThat(a.headDim()).isEqualTo(16);
        assertThat(a.valueHeadDim()).isEqualTo(32);
        assertThat(a.innerSize()).isEqualTo(128);
        assertThat(a.inProjRows(1)).isEqualTo(64 + 2 * 16 + 2 * 32 + 2 * 128);
        assertThat(a.inProjRows(2)).isEqualTo(64 + 2 * 128);
        // NTK base: 10000 · (2·256/64 − 1)^(16/14)
        assertThat(a.ropeBase()).isEqualTo(10000.0 * Math.pow(7.0, 16.0 / 14.0));
        HymbaConfig b = HymbaConfigParser.read(golden("tiny-b/config.json"));
        assertThat(b.numMemoryTokens()).isZero();
        assertThat(b.slidingWindow()).isEqualTo(12);
        assertThat(b.globalAttnIdx()).containsExactly(0, 5);
        assertThat(b.kvReuseGroups()).containsExactly(List.of(1, 2, 3));
        assertThat(b.kvProducerOf(3)).isEqualTo(1);
        assertThat(b.isKvConsumer(4)).isFalse();
    }

    @Test
    void everyFieldReachesTheRecord() {
        HymbaConfig c = parse(o -> {
            o.put("vocab_size", 1000);
            o.put("hidden_size", 96);
            o.put("num_hidden_layers", 5);
            o.put("num_attention_heads", 6);
            o.put("num_key_value_heads", 3);
            o.put("intermediate_size", 200);
            o.put("rms_norm_eps", 1e-5);
            o.put("tie_word_embeddings", false);
            o.put("rope", false);
            o.put("rope_theta", 500000.0);
            o.put("rope_type", "default");
            o.put("max_position_embeddings", 4096);
            o.put("orig_max_position_embeddings", 1024);
            o.put("num_memory_tokens", 3);
            o.put("sliding_window", 7);
            o.putArray("global_attn_idx").add(4);
            o.putArray("kv_reuse_group").addArray().add(0).add(1).add(3);
            o.put("mamba_d_state", 5);
            o.put("mamba_d_conv", 3);
            o.put("mamba_expand", 3);
            o.put("mamba_dt_rank", 9);
            o.put("mamba_conv_bias", false);
            o.put("mamba_proj_bias", true);
            o.put("mamba_inner_layernorms", false);
            o.put("bos_token_id", 10);
            o.put("eos_token_id", 11);
            o.put("pad_token_id", 12);
            o.put("fusion_mode", "stacked_attn_first");
            o.remove("layer_type");
            o.remove("v_head_dim");
        });
        assertThat(c).isEqualTo(new HymbaConfig(1000, 96, 5, 6, 3, 200, 1e-5, false, false, 500000.0, "default", 4096, 1024,
                3, 7, List.of(4), List.of(List.of(0, 1, 3)), 5, 3, 3, 9, false, true, false, "silu", "silu", 10, 11, 12,
                FusionMode.STACKED_ATTN_FIRST));
        assertThat(c.ropeBase()).as("default rope uses theta unchanged").isEqualTo(500000.0);
        assertThat(c.inProjRows(2)).as("layer 2 is in no group").isEqualTo(96 + 3 * 16 + 3 * 48 + 2 * 288);
    }

    @Test
    void defaultsForOptionalFields() {
        String minimal = "{\"vocab_size\":100,\"hidden_size\":32,\"num_hidden_layers\":2,\"num_attention_heads\":2,"
                + "\"intermediate_size\":64,\"sliding_window\":8}";
        HymbaConfig c = HymbaConfigParser.parse(minimal);
        assertThat(c.numKeyValueHeads()).isEqualTo(2);
        assertThat(c.mambaExpand()).isEqualTo(2);
        assertThat(c.mambaDState()).isEqualTo(16);
        assertThat(c.mambaDConv()).isEqualTo(4);
        assertThat(c.mambaDtRank()).isEqualTo(2); // ceil(32/16)
        assertThat(c.rmsNormEps()).isEqualTo(1e-6);
        assertThat(c.ropeType()).isEqualTo("default");
        assertThat(c.ropeTheta()).isEqualTo(10000.0);
        assertThat(c.numMemoryTokens()).isZero();
        assertThat(c.globalAttnIdx()).isEmpty();
        assertThat(c.kvReuseGroups()).isEmpty();
        assertThat(c.tieWordEmbeddings()).isTrue();
        assertThat(c.fusionMode()).isEqualTo(FusionMode.FUSED);
        assertThat(HymbaConfigParser.parse(minimal.replace("}", ",\"mamba_dt_rank\":\"auto\"}")).mambaDtRank()).isEqualTo(2);
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        ObjectNode o = base();
        o.put("my_new_field", 3);
        o.putObject("quantization_config").put("bits", 4);
        assertThat(HymbaConfigParser.unknownFields(o)).containsExactly("my_new_field", "quantization_config");
        assertThat(HymbaConfigParser.parse(o.toString())).isEqualTo(HymbaPresets.tiny());
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                rej("heads do not divide width", o -> o.put("num_attention_heads", 5), "num_attention_heads: 5 does not divide hidden_size 64"),
                rej("kv heads do not divide heads", o -> o.put("num_key_value_heads", 3), "num_key_value_heads: 3 does not divide num_attention_heads 4"),
                rej("odd head dim", o -> { o.put("hidden_size", 60); o.put("num_attention_heads", 4); }, "num_attention_heads: head dim 15 must be even"),
                rej("group names a layer twice", o -> o.putArray("kv_reuse_group").add(JSON.createArrayNode().add(1).add(2)).add(JSON.createArrayNode().add(2).add(4)),
                        "kv_reuse_group: layer 2 appears more than once"),
                rej("group names a layer twice in one group", o -> o.putArray("kv_reuse_group").addArray().add(1).add(2).add(2), "kv_reuse_group: layer 2 appears more than once"),
                rej("group names a global layer", o -> o.putArray("kv_reuse_group").addArray().add(3).add(4), "kv_reuse_group: layer 3 is a global layer"),
                rej("group layer out of range", o -> o.putArray("kv_reuse_group").addArray().add(1).add(6), "kv_reuse_group: layer 6 in group [1,6] is outside 0..5"),
                rej("group with one layer", o -> o.putArray("kv_reuse_group").addArray().add(1), "kv_reuse_group: group [1] must list a producer and at least one consumer"),
                rej("consumer before producer", o -> o.putArray("kv_reuse_group").addArray().add(2).add(1), "kv_reuse_group: consumer 1 in group [2,1] comes before its producer 2"),
                rej("group not a list", o -> o.put("kv_reuse_group", "1,2"), "kv_reuse_group: must be a list"),
                rej("group id not an integer", o -> o.putArray("kv_reuse_group").addArray().add(1).add(2.0), "kv_reuse_group: 2.0 in group [1,2.0] is not a layer id"),
                rej("group id beyond int", o -> o.putArray("kv_reuse_group").addArray().add(1).add(4294967298L), "kv_reuse_group: 4294967298 in group"),
                rej("global out of range", o -> o.putArray("global_attn_idx").add(0).add(6), "global_attn_idx: layer 6 is outside 0..5"),
                rej("negative global", o -> o.putArray("global_attn_idx").add(-1), "global_attn_idx: layer -1 is outside 0..5"),
                rej("global listed twice", o -> o.putArray("global_attn_idx").add(0).add(0), "global_attn_idx: layer 0 is listed twice"),
                rej("global not an integer", o -> o.putArray("global_attn_idx").add("0"), "global_attn_idx: \"0\" is not a layer id"),
                rej("global beyond int", o -> o.putArray("global_attn_idx").add(4294967296L), "global_attn_idx: 4294967296 is not a layer id"),
                rej("non-integer size", o -> o.put("hidden_size", 64.5), "hidden_size: 64.5 is not an integer"),
                rej("integer as text", o -> o.put("num_hidden_layers", "6"), "num_hidden_layers: \"6\" is not an integer"),
                rej("size beyond int", o -> o.put("vocab_size", 3_000_000_000L), "vocab_size: 3000000000 is not an integer"),
                rej("zero size", o -> o.put("intermediate_size", 0), "intermediate_size: 0 must be positive"),
                rej("negative window", o -> o.put("sliding_window", -1), "sliding_window: -1 must be positive"),
                rej("negative meta tokens", o -> o.put("num_memory_tokens", -2), "num_memory_tokens: -2 must not be negative"),
                rej("missing required field", o -> o.remove("hidden_size"), "hidden_size: required field is missing"),
                rej("missing vocab", o -> o.remove("vocab_size"), "vocab_size: required field is missing"),
                rej("wrong model_type", o -> o.put("model_type", "llama"), "model_type: 'llama' is not 'hymba'"),
                rej("unknown rope_type", o -> o.put("rope_type", "yarn"), "rope_type: 'yarn' is not supported (ntk or default)"),
                rej("NTK factor not positive", o -> { o.put("max_position_embeddings", 64); o.put("orig_max_position_embeddings", 128); },
                        "orig_max_position_embeddings: 128 is at least twice max_position_embeddings 64"),
                rej("bad fusion_mode", o -> o.put("fusion_mode", "parallel"), "fusion_mode: 'parallel' is not one of fused, stacked_attn_first, stacked_ssm_first"),
                rej("eps zero", o -> o.put("rms_norm_eps", 0.0), "rms_norm_eps: 0.0 must be a positive number"),
                rej("eps as text", o -> o.put("rms_norm_eps", "1e-6"), "rms_norm_eps: \"1e-6\" is not a number"),
                rej("theta negative", o -> o.put("rope_theta", -1.0), "rope_theta: -1.0 must be a positive number"),
                rej("bool as text", o -> o.put("tie_word_embeddings", "true"), "tie_word_embeddings: \"true\" is not true/false"),
                rej("unsupported act", o -> o.put("hidden_act", "gelu"), "hidden_act: 'gelu' is not supported (silu)"),
                rej("unsupported mlp act", o -> o.put("mlp_hidden_act", "relu"), "mlp_hidden_act: 'relu' is not supported (silu)"),
                rej("kq_norm", o -> o.put("kq_norm", "rms"), "kq_norm: 'rms' is not supported (none)"),
                rej("experts", o -> o.put("num_experts", 8), "num_experts: 8 is not supported"),
                rej("num_mamba", o -> o.put("num_mamba", 2), "num_mamba: 2 is not supported"),
                rej("interspersed meta", o -> o.put("memory_tokens_interspersed_every", 4), "memory_tokens_interspersed_every: interspersed meta tokens are not supported"),
                rej("layer_type length", o -> o.putArray("layer_type").add("h"), "layer_type: has 1 entries but num_hidden_layers is 6"),
                rej("layer_type attention-only", o -> { var a = o.putArray("layer_type"); for (int i = 0; i < 6; i++) a.add(i == 2 ? "a" : "h"); },
                        "layer_type: 'a' is not a hybrid layer 'h'"),
                rej("bos outside vocab", o -> o.put("bos_token_id", 512), "bos_token_id: 512 is not below vocab_size 512"),
                rej("eos outside vocab", o -> o.put("eos_token_id", 600), "eos_token_id: 600 is not below vocab_size 512"),
                rej("pad outside vocab", o -> o.put("pad_token_id", 512), "pad_token_id: 512 is not below vocab_size 512"),
                rej("dt rank text", o -> o.put("mamba_dt_rank", "big"), "mamba_dt_rank: \"big\" is not an integer"),
                rej("head dim 2", o -> o.put("num_attention_heads", 32), "num_attention_heads: head dim 2 is below 4"),
                rej("NTK base overflows", o -> { o.put("rope_theta", 1e300); o.put("max_position_embeddings", 2_000_000_000); o.put("orig_max_position_embeddings", 1); },
                        "rope_theta: the NTK-scaled RoPE base Infinity is not a positive finite number"),
                rej("inner width overflows", o -> { o.put("hidden_size", 1 << 30); o.put("mamba_expand", 4); }, "mamba_expand: inner width"));
    }

    private static Arguments rej(String what, Consumer<ObjectNode> edit, String message) {
        return Arguments.of(what, edit, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectsWithAMessageNamingTheField(String what, Consumer<ObjectNode> edit, String message) {
        assertThatThrownBy(() -> parse(edit)).isExactlyInstanceOf(ConfigException.class).hasMessageStartingWith(message);
    }

    @Test
    void malformedDocuments() {
        assertThatThrownBy(() -> HymbaConfigParser.parse("{\"hidden_size\": 64,")).isInstanceOf(ConfigException.class).hasMessageStartingWith("not well-formed JSON");
        assertThatThrownBy(() -> HymbaConfigParser.parse("{} {}")).isInstanceOf(ConfigException.class).hasMessageStartingWith("not well-formed JSON");
        assertThatThrownBy(() -> HymbaConfigParser.parse("[1]")).isInstanceOf(ConfigException.class).hasMessage("top level is not a JSON object");
        assertThatThrownBy(() -> HymbaConfigParser.parse("")).isInstanceOf(ConfigException.class).hasMessage("top level is not a JSON object");
        assertThatThrownBy(() -> HymbaConfigParser.parse("null")).isInstanceOf(ConfigException.class).hasMessage("top level is not a JSON object");
        assertThatThrownBy(() -> HymbaConfigParser.parse("{\"hidden_size\":64,\"hidden_size\":32}")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("a field appears twice (Duplicate field 'hidden_size')");
        assertThatThrownBy(() -> HymbaConfigParser.parse("{\"a\":" + "[".repeat(3000) + "]".repeat(3000) + "}")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("not well-formed JSON");
    }

    @Test
    void readNamesTheFile(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("config.json");
        Files.writeString(p, "{\"model_type\":\"gpt2\"}");
        assertThatThrownBy(() -> HymbaConfigParser.read(p)).isInstanceOf(ConfigException.class).hasMessage(p + ": model_type: 'gpt2' is not 'hymba'");
        assertThatThrownBy(() -> HymbaConfigParser.read(dir.resolve("none.json"))).isInstanceOf(ConfigException.class).hasMessageContaining("none.json: cannot read");
    }
}
