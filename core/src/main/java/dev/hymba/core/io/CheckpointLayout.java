package dev.hymba.core.io;

import dev.hymba.core.config.HymbaConfig;

import java.util.ArrayList;
import java.util.List;

/** The tensor names and shapes a Hymba checkpoint must hold for a config (architecture reference §2). */
public final class CheckpointLayout {
    private CheckpointLayout() {}

    public record Expected(String name, long[] shape) {}

    public static final String EMBED = "model.embed_tokens.weight";
    public static final String META = "model.memory_tokens";
    public static final String FINAL_NORM = "model.final_layernorm.weight";
    public static final String LM_HEAD = "lm_head.weight";

    public static String layer(int i, String suffix) { return "model.layers." + i + "." + suffix; }

    /** Every required tensor; lm_head.weight is optional when embeddings are tied and is not listed then. */
    public static List<Expected> expected(HymbaConfig c) {
        long d = c.hiddenSize(), I = c.innerSize(), V = c.vocabSize(), N = c.mambaDState(), R = c.mambaDtRank();
        List<Expected> out = new ArrayList<>();
        out.add(new Expected(EMBED, new long[]{V, d}));
        if (c.numMemoryTokens() > 0) out.add(new Expected(META, new long[]{c.numMemoryTokens(), d}));
        out.add(new Expected(FINAL_NORM, new long[]{d}));
        if (!c.tieWordEmbeddings()) out.add(new Expected(LM_HEAD, new long[]{V, d}));
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            out.add(new Expected(layer(l, "input_layernorm.weight"), new long[]{d}));
            out.add(new Expected(layer(l, "mamba.in_proj.weight"), new long[]{c.inProjRows(l), d}));
            out.add(new Expected(layer(l, "mamba.conv1d.weight"), new long[]{I, 1, c.mambaDConv()}));
            if (c.mambaConvBias()) out.add(new Expected(layer(l, "mamba.conv1d.bias"), new long[]{I}));
            out.add(new Expected(layer(l, "mamba.x_proj.0.weight"), new long[]{R + 2 * N, I}));
            if (c.mambaInnerLayernorms()) {
                out.add(new Expected(layer(l, "mamba.dt_layernorm.weight"), new long[]{R}));
                out.add(new Expected(layer(l, "mamba.B_layernorm.weight"), new long[]{N}));
                out.add(new Expected(layer(l, "mamba.C_layernorm.weight"), new long[]{N}));
            }
            out.add(new Expected(layer(l, "mamba.dt_proj.0.weight"), new long[]{I, R}));
            out.add(new Expected(layer(l, "mamba.dt_proj.0.bias"), new long[]{I}));
            out.add(new Expected(layer(l, "mamba.A_log.0"), new long[]{I, N}));
            out.add(new Expected(layer(l, "mamba.D.0"), new long[]{I}));
            out.add(new Expected(layer(l, "mamba.pre_avg_layernorm1.weight"), new long[]{I}));
            out.add(new Expected(layer(l, "mamba.pre_avg_layernorm2.weight"), new long[]{I}));
            out.add(new Expected(layer(l, "mamba.out_proj.weight"), new long[]{d, I}));
            if (c.mambaProjBias()) {
                out.add(new Expected(layer(l, "mamba.in_proj.bias"), new long[]{c.inProjRows(l)}));
                out.add(new Expected(layer(l, "mamba.out_proj.bias"), new long[]{d}));
            }
            out.add(new Expected(layer(l, "pre_moe_layernorm.weight"), new long[]{d}));
            out.add(new Expected(layer(l, "moe.experts.0.gate_proj.weight"), new long[]{c.intermediateSize(), d}));
            out.add(new Expected(layer(l, "moe.experts.0.up_proj.weight"), new long[]{c.intermediateSize(), d}));
            out.add(new Expected(layer(l, "moe.experts.0.down_proj.weight"), new long[]{d, c.intermediateSize()}));
        }
        return out;
    }
}
