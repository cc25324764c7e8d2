package dev.hymba.core.io;

import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.config.HymbaConfigParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a random-weight checkpoint in the real Hymba layout ({@link CheckpointLayout}: same names, shapes, order;
 * a tied lm_head is omitted as in the released file) plus its config.json, for tests and benchmarks.
 *
 * <p>Values are generated per tensor and per chunk by {@link SafetensorsWriter}, so memory stays bounded even for
 * the 3 GB bf16 1.5B file. Every tensor has its own RNG seeded from (seed, tensor name), so the output is a pure
 * function of (config, dtype, seed). Distributions keep a forward pass numerically sane:
 * <ul>
 *   <li>embeddings and meta tokens: uniform with std 0.02 (the config's initializer_range);</li>
 *   <li>projection matrices (and an untied lm_head): U(±1/√fan_in), PyTorch's default Linear init;</li>
 *   <li>conv1d weight and bias: U(±1/√d_conv) (fan_in of a depthwise conv is its width);</li>
 *   <li>dt_proj bias: softplus⁻¹(dt) with dt log-uniform in [0.001, 0.1], Mamba's initialisation, so Δ is realistic;</li>
 *   <li>A_log = log(1..N) per channel and D = 1, as the released model initialises them;</li>
 *   <li>every RMSNorm weight: 1 + U(±0.1); projection biases (when configured): 0.</li>
 * </ul>
 */
public final class RandomCheckpoint {
    private static final Logger LOG = LoggerFactory.getLogger(RandomCheckpoint.class);
    static final double EMBED_STD = 0.02;

    private RandomCheckpoint() {}

    /** Writes {@code config.json} and {@code model.safetensors} into dir (created if needed). */
    public static void write(HymbaConfig config, DType dtype, long seed, Path dir) {
        if (!dtype.isFloatingWeight()) throw new IllegalArgumentException("dtype " + dtype + " is not F32, BF16 or F16");
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(dir);
            var json = HymbaConfigParser.toJsonTree(config);
            json.put("torch_dtype", switch (dtype) {
                case BF16 -> "bfloat16";
                case F16 -> "float16";
                default -> "float32";
            });
            Files.writeString(dir.resolve("config.json"), json.toPrettyString());
        } catch (IOException e) {
            throw new CheckpointException(dir + ": cannot write config.json (" + e.getMessage() + ")", e);
        }
        SafetensorsWriter.write(dir.resolve(CheckpointFiles.SINGLE), tensors(config, dtype, seed),
                Map.of("format", "pt", "generator", "hymba-workbench RandomCheckpoint", "seed", Long.toString(seed)));
        LOG.info("wrote random {} checkpoint ({} parameters, seed {}) to {} in {} ms", dtype, config.parameterCount(), seed, dir,
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** The tensors, lazily generated, in layout order. */
    public static List<SafetensorsWriter.Tensor> tensors(HymbaConfig config, DType dtype, long seed) {
        List<SafetensorsWriter.Tensor> out = new ArrayList<>();
        for (CheckpointLayout.Expected e : CheckpointLayout.expected(config))
            out.add(new SafetensorsWriter.Tensor(e.name(), dtype, e.shape(), source(config, e, seed)));
        return out;
    }

    /** A fresh generator for one tensor; its RNG state lives in the returned source. */
    static SafetensorsWriter.Source source(HymbaConfig c, CheckpointLayout.Expected e, long seed) {
        String name = e.name();
        long[] shape = e.shape();
        // String.hashCode is specified by the JLS, so the per-tensor seed is stable across JVMs.
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ name.hashCode());
        if (name.endsWith("A_log.0")) {
            int n = c.mambaDState();
            return (start, dst, count) -> { for (int i = 0; i < count; i++) dst[i] = (float) Math.log((start + i) % n + 1); };
        }
        if (name.endsWith("mamba.D.0")) return SafetensorsWriter.Source.constant(1f);
        if (name.endsWith("proj.bias")) return SafetensorsWriter.Source.constant(0f);
        if (name.endsWith("layernorm.weight") || name.contains("pre_avg_layernorm")) return uniform(rng, 0.9, 1.1);
        if (name.equals(CheckpointLayout.EMBED) || name.equals(CheckpointLayout.META)) {
            double a = EMBED_STD * Math.sqrt(3); // U(±a) has std a/√3
            return uniform(rng, -a, a);
        }
        if (name.endsWith("conv1d.weight") || name.endsWith("conv1d.bias")) {
            double a = 1 / Math.sqrt(c.mambaDConv());
            return uniform(rng, -a, a);
        }
        if (name.endsWith("dt_proj.0.bias")) {
            double lo = Math.log(1e-3), hi = Math.log(1e-1);
            return (start, dst, count) -> {
                for (int i = 0; i < count; i++) {
                    double dt = Math.exp(lo + (hi - lo) * rng.nextDouble());
                    dst[i] = (float) (dt + Math.log(-Math.expm1(-dt))); // inverse softplus
                }
            };
        }
        if (shape.length == 2) {
            double a = 1 / Math.sqrt(shape[1]);
            return uniform(rng, -a, a);
        }
        throw new IllegalStateException("no initialiser for tensor '" + name + "' " + java.util.Arrays.toString(shape));
    }

    private static SafetensorsWriter.Source uniform(SplittableRandom rng, double lo, double hi) {
        float l = (float) lo, w = (float) (hi - lo);
        return (start, dst, count) -> { for (int i = 0; i < count; i++) dst[i] = l + w * rng.nextFloat(); };
    }
}
