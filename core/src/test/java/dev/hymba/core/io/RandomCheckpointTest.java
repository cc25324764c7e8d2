package dev.hymba.core.io;

import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.config.HymbaConfigParser;
import dev.hymba.core.config.HymbaPresets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.*;

class RandomCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void tinyF32CheckpointHasTheRealLayoutValidConfigAndDocumentedInit() {
        HymbaConfig c = HymbaPresets.tiny();
        Path out = dir.resolve("tiny");
        RandomCheckpoint.write(c, DType.F32, 7, out);
        assertThat(HymbaConfigParser.read(out.resolve("config.json"))).isEqualTo(c);
        try (CheckpointFiles f = CheckpointFiles.open(out)) {
            assertThat(CheckpointValidator.validate(f, c).warnings()).isEmpty();
            assertThat(f.names()).containsExactlyElementsOf(CheckpointLayout.expected(c).stream().map(CheckpointLayout.Expected::name).toList());
            assertThat(f.names()).doesNotContain(CheckpointLayout.LM_HEAD);
            assertThat(f.files().getFirst().metadata()).containsEntry("seed", "7").containsEntry("format", "pt");
            long params = f.names().stream().mapToLong(n -> f.info(n).orElseThrow().elementCount()).sum();
            assertThat(params).isEqualTo(c.parameterCount());

            float[] aLog = f.readFloats("model.layers.2.mamba.A_log.0");
            int n = c.mambaDState();
            for (int i = 0; i < aLog.length; i++) assertThat(aLog[i]).isEqualTo((float) Math.log(i % n + 1));
            assertThat(f.readFloats("model.layers.4.mamba.D.0")).containsOnly(1f);
            for (String norm : new String[]{CheckpointLayout.FINAL_NORM, "model.layers.0.input_layernorm.weight",
                    "model.layers.5.mamba.pre_avg_layernorm2.weight", "model.layers.1.mamba.B_layernorm.weight"})
                for (float v : f.readFloats(norm)) assertThat(v).as(norm).isBetween(0.9f, 1.1f);

            float[] inProj = f.readFloats("model.layers.0.mamba.in_proj.weight");
            float bound = (float) (1 / Math.sqrt(c.hiddenSize()));
            for (float v : inProj) assertThat(Math.abs(v)).isLessThanOrEqualTo(bound);
            // U(-a, a) has mean 0 and std a/√3; over ~20k samples the sample std is within 2% of it.
            assertThat(std(inProj)).isCloseTo(bound / Math.sqrt(3), withinPercentage(2));
            float[] embed = f.readFloats(CheckpointLayout.EMBED);
            assertThat(std(embed)).isCloseTo(RandomCheckpoint.EMBED_STD, withinPercentage(2));

            // softplus(bias) recovers dt in [0.001, 0.1] (Mamba's dt init).
            for (float b : f.readFloats("model.layers.3.mamba.dt_proj.0.bias")) {
                double dt = Math.log1p(Math.exp(b));
                assertThat(dt).isBetween(0.001 * (1 - 1e-5), 0.1 * (1 + 1e-5));
            }
            // Tensors of the same shape get different values (per-tensor seeds).
            assertThat(f.readFloats("model.layers.0.moe.experts.0.gate_proj.weight"))
                    .isNotEqualTo(f.readFloats("model.layers.0.moe.experts.0.up_proj.weight"));
        }
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws Exception {
        HymbaConfig c = HymbaPresets.tiny();
        RandomCheckpoint.write(c, DType.BF16, 42, dir.resolve("a"));
        RandomCheckpoint.write(c, DType.BF16, 42, dir.resolve("b"));
        RandomCheckpoint.write(c, DType.BF16, 43, dir.resolve("c"));
        byte[] a = Files.readAllBytes(dir.resolve("a/model.safetensors"));
        assertThat(Files.readAllBytes(dir.resolve("b/model.safetensors"))).isEqualTo(a);
        assertThat(Files.readAllBytes(dir.resolve("c/model.safetensors"))).isNotEqualTo(a);
        assertThat(Files.readString(dir.resolve("a/config.json"))).contains("\"torch_dtype\" : \"bfloat16\"");
    }

    @Test
    void bf16FileIsTheRoundedF32File() {
        HymbaConfig c = HymbaPresets.tiny();
        RandomCheckpoint.write(c, DType.F32, 5, dir.resolve("f32"));
        RandomCheckpoint.write(c, DType.BF16, 5, dir.resolve("bf16"));
        try (CheckpointFiles f = CheckpointFiles.open(dir.resolve("f32")); CheckpointFiles b = CheckpointFiles.open(dir.resolve("bf16"))) {
            for (String name : f.names()) {
                assertThat(b.info(name).orElseThrow().dtype()).isEqualTo(DType.BF16);
                float[] x = f.readFloats(name), y = b.readFloats(name);
                for (int i = 0; i < x.length; i++) {
                    short rounded = SafetensorsWriter.toBf16(x[i]);
                    assertThat(Float.floatToRawIntBits(y[i])).as("%s[%d]", name, i).isEqualTo((rounded & 0xFFFF) << 16);
                }
            }
        }
    }

    @Test
    void untiedConfigGetsAnLmHead() {
        HymbaConfig t = HymbaPresets.tiny();
        HymbaConfig c = new HymbaConfig(t.vocabSize(), t.hiddenSize(), 2, t.numAttentionHeads(), t.numKeyValueHeads(),
                t.intermediateSize(), t.rmsNormEps(), false, t.rope(), t.ropeTheta(), t.ropeType(), t.maxPositionEmbeddings(),
                t.origMaxPositionEmbeddings(), 0, t.slidingWindow(), java.util.List.of(0), java.util.List.of(), t.mambaDState(),
                t.mambaDConv(), t.mambaExpand(), t.mambaDtRank(), false, true, false, "silu", "silu", 1, 2, 0, t.fusionMode());
        RandomCheckpoint.write(c, DType.F16, 1, dir.resolve("u"));
        try (CheckpointFiles f = CheckpointFiles.open(dir.resolve("u"))) {
            assertThat(f.names()).contains(CheckpointLayout.LM_HEAD, "model.layers.1.mamba.in_proj.bias")
                    .doesNotContain(CheckpointLayout.META, "model.layers.0.mamba.conv1d.bias", "model.layers.0.mamba.dt_layernorm.weight");
            assertThat(f.readFloats("model.layers.1.mamba.out_proj.bias")).containsOnly(0f);
            assertThat(CheckpointValidator.validate(f, c).warnings()).isEmpty();
        }
    }

    private static double std(float[] v) {
        double s = 0, s2 = 0;
        for (float x : v) { s += x; s2 += (double) x * x; }
        double m = s / v.length;
        return Math.sqrt(s2 / v.length - m * m);
    }

    @Test
    void rejectsNonFloatDtype() {
        assertThatThrownBy(() -> RandomCheckpoint.write(HymbaPresets.tiny(), DType.I8, 1, dir))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("I8");
        assertThat(Arrays.asList(dir.toFile().list())).isEmpty();
    }
}
