package dev.hymba.core.io;

import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.config.HymbaPresets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.*;

/** Small hand-made checkpoints (tiny preset layout, edited) written with SafetensorsWriter into a temp dir. */
class CheckpointValidatorTest {
    @TempDir
    Path dir;

    private static final HymbaConfig TINY = HymbaPresets.tiny();

    private static SafetensorsWriter.Tensor t(String name, long... shape) {
        return new SafetensorsWriter.Tensor(name, DType.F32, shape, SafetensorsWriter.Source.constant(0.5f));
    }

    /** The tiny layout with an edit applied to the tensor list, written as one file. */
    private Path checkpoint(UnaryOperator<List<SafetensorsWriter.Tensor>> edit) {
        List<SafetensorsWriter.Tensor> ts = new ArrayList<>();
        for (CheckpointLayout.Expected e : CheckpointLayout.expected(TINY)) ts.add(t(e.name(), e.shape()));
        Path d = dir.resolve("ckpt");
        try {
            Files.createDirectories(d);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        SafetensorsWriter.write(d.resolve(CheckpointFiles.SINGLE), edit.apply(ts));
        return d;
    }

    @Test
    void correctCheckpointPassesWithoutWarnings() {
        try (CheckpointFiles f = CheckpointFiles.open(checkpoint(l -> l))) {
            assertThat(CheckpointValidator.validate(f, TINY).warnings()).isEmpty();
        }
    }

    @Test
    void reportsEveryProblemAtOnceWithFileTensorExpectedAndActual() {
        Path d = checkpoint(l -> {
            l.removeIf(x -> x.name().equals("model.layers.3.mamba.A_log.0"));
            l.replaceAll(x -> switch (x.name()) {
                // layer 2 consumes layer 1's K/V: 64 + 2*128 = 320 rows; give it the producer's 416.
                case "model.layers.2.mamba.in_proj.weight" -> t(x.name(), 416, 64);
                case "model.layers.0.mamba.conv1d.weight" -> t(x.name(), 128, 4);
                default -> x;
            });
            l.add(t("model.layers.6.input_layernorm.weight", 64));
            l.add(t("model.layers.0.mamba.in_proj.bias", 416));
            l.add(t("model.rotary_emb.inv_freq", 8)); // harmless extra -> warning only
            return l;
        });
        Path file = d.resolve(CheckpointFiles.SINGLE);
        try (CheckpointFiles f = CheckpointFiles.open(d)) {
            assertThatThrownBy(() -> CheckpointValidator.validate(f, TINY))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("(5 problems)")
                    .hasMessageContaining(d + ": tensor 'model.layers.3.mamba.A_log.0' is missing (expected shape [128, 8])")
                    .hasMessageContaining(file + ": tensor 'model.layers.2.mamba.in_proj.weight': shape [416, 64], expected [320, 64] (layer 2 reuses layer 1's K/V")
                    .hasMessageContaining(file + ": tensor 'model.layers.0.mamba.conv1d.weight': shape [128, 4], expected [128, 1, 4]")
                    .hasMessageContaining(file + ": tensor 'model.layers.6.input_layernorm.weight': unexpected, layer 6 does not exist (num_hidden_layers is 6)")
                    .hasMessageContaining(file + ": tensor 'model.layers.0.mamba.in_proj.bias': unexpected, the config says mamba_proj_bias is false")
                    .hasMessageNotContaining("inv_freq");
        }
    }

    @Test
    void harmlessExtrasAndATiedLmHeadAreWarnings() {
        Path d = checkpoint(l -> {
            l.add(t(CheckpointLayout.LM_HEAD, 512, 64));
            l.add(t("model.rotary_emb.inv_freq", 8));
            return l;
        });
        try (CheckpointFiles f = CheckpointFiles.open(d)) {
            assertThat(CheckpointValidator.validate(f, TINY).warnings()).containsExactly(
                    d.resolve(CheckpointFiles.SINGLE) + ": tensor 'lm_head.weight': present although tie_word_embeddings is true; ignored (embed_tokens is used)",
                    d.resolve(CheckpointFiles.SINGLE) + ": tensor 'model.rotary_emb.inv_freq': not part of the Hymba layout; ignored");
        }
    }

    @Test
    void metaTokensWithoutMetaTokenConfigIsAMismatch() {
        HymbaConfig noMeta = new HymbaConfig(512, 64, 6, 4, 2, 176, 1e-6, true, true, 10000.0, "ntk", 256, 64,
                0, 12, List.of(0, 5), List.of(List.of(1, 2, 3)), 8, 4, 2, 4, true, false, true, "silu", "silu", 1, 2, 0,
                TINY.fusionMode());
        List<SafetensorsWriter.Tensor> ts = new ArrayList<>();
        for (CheckpointLayout.Expected e : CheckpointLayout.expected(noMeta)) ts.add(t(e.name(), e.shape()));
        ts.add(t(CheckpointLayout.META, 8, 64));
        SafetensorsWriter.write(dir.resolve(CheckpointFiles.SINGLE), ts);
        try (CheckpointFiles f = CheckpointFiles.open(dir)) {
            assertThatThrownBy(() -> CheckpointValidator.validate(f, noMeta)).hasMessageContaining("(1 problem)")
                    .hasMessageContaining("'model.memory_tokens': unexpected, the config has num_memory_tokens = 0");
        }
    }

    @Test
    void untiedConfigRequiresLmHead() {
        HymbaConfig untied = new HymbaConfig(512, 64, 6, 4, 2, 176, 1e-6, false, true, 10000.0, "ntk", 256, 64,
                8, 16, List.of(0, 3, 5), List.of(List.of(1, 2)), 8, 4, 2, 4, true, false, true, "silu", "silu", 1, 2, 0,
                TINY.fusionMode());
        try (CheckpointFiles f = CheckpointFiles.open(checkpoint(l -> l))) {
            assertThatThrownBy(() -> CheckpointValidator.validate(f, untied))
                    .hasMessageContaining("tensor 'lm_head.weight' is missing (expected shape [512, 64])");
        }
    }

    @Test
    void nonFloatWeightDtypeIsReportedAcrossShards() throws Exception {
        // Shard 1: everything but D.0 of layer 0; shard 2 (hand-made): that tensor stored as I32.
        List<SafetensorsWriter.Tensor> ts = new ArrayList<>();
        for (CheckpointLayout.Expected e : CheckpointLayout.expected(TINY))
            if (!e.name().equals("model.layers.0.mamba.D.0")) ts.add(t(e.name(), e.shape()));
        SafetensorsWriter.write(dir.resolve("s1.safetensors"), ts);
        String h = "{\"model.layers.0.mamba.D.0\":{\"dtype\":\"I32\",\"shape\":[128],\"data_offsets\":[0,512]}}";
        RawSafetensors.write(dir, "s2.safetensors", RawSafetensors.bytes(h, new byte[512]));
        StringBuilder map = new StringBuilder("{\"metadata\":{},\"weight_map\":{");
        for (var x : ts) map.append('"').append(x.name()).append("\":\"s1.safetensors\",");
        map.append("\"model.layers.0.mamba.D.0\":\"s2.safetensors\"}}");
        Files.writeString(dir.resolve(CheckpointFiles.INDEX), map);
        try (CheckpointFiles f = CheckpointFiles.open(dir)) {
            assertThat(f.files()).hasSize(2);
            assertThatThrownBy(() -> CheckpointValidator.validate(f, TINY)).hasMessageContaining("(1 problem)")
                    .hasMessageContaining(dir.resolve("s2.safetensors") + ": tensor 'model.layers.0.mamba.D.0': dtype I32, expected F32, BF16 or F16");
        }
    }
}
