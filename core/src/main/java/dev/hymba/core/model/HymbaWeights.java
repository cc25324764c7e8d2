package dev.hymba.core.model;

import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.io.CheckpointFiles;
import dev.hymba.core.io.CheckpointLayout;

import java.util.ArrayList;
import java.util.List;

import static dev.hymba.core.io.CheckpointLayout.layer;

/** All parameters of a Hymba model in fp32, converted once from the checkpoint's F32/BF16/F16 tensors. */
public record HymbaWeights(float[] embed, Linear lmHead, float[] meta, float[] finalNorm, List<LayerWeights> layers) {

    /** Loads every tensor; the caller has validated names and shapes (see {@code CheckpointValidator}). */
    public static HymbaWeights load(HymbaConfig c, CheckpointFiles f) {
        int d = c.hiddenSize(), I = c.innerSize(), V = c.vocabSize(), N = c.mambaDState(), R = c.mambaDtRank(), K = c.mambaDConv();
        float[] embed = f.readFloats(CheckpointLayout.EMBED);
        Linear lmHead = f.info(CheckpointLayout.LM_HEAD).isPresent()
                ? new Linear(f.readFloats(CheckpointLayout.LM_HEAD), V, d)
                : new Linear(embed, V, d); // tied: lm_head = embed_tokens (m.py 2383)
        float[] meta = c.numMemoryTokens() > 0 ? f.readFloats(CheckpointLayout.META) : new float[0];
        float[] finalNorm = f.readFloats(CheckpointLayout.FINAL_NORM);
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            float[] aLog = f.readFloats(layer(l, "mamba.A_log.0"));
            float[] negA = new float[aLog.length];
            for (int i = 0; i < aLog.length; i++) negA[i] = (float) -Math.exp(aLog[i]);
            float[] conv = f.readFloats(layer(l, "mamba.conv1d.weight")); // [I,1,K] == [I,K]
            layers.add(new LayerWeights(
                    f.readFloats(layer(l, "input_layernorm.weight")),
                    new Linear(f.readFloats(layer(l, "mamba.in_proj.weight")), c.inProjRows(l), d),
                    conv,
                    c.mambaConvBias() ? f.readFloats(layer(l, "mamba.conv1d.bias")) : new float[I],
                    new Linear(f.readFloats(layer(l, "mamba.x_proj.0.weight")), R + 2 * N, I),
                    c.mambaInnerLayernorms() ? f.readFloats(layer(l, "mamba.dt_layernorm.weight")) : null,
                    c.mambaInnerLayernorms() ? f.readFloats(layer(l, "mamba.B_layernorm.weight")) : null,
                    c.mambaInnerLayernorms() ? f.readFloats(layer(l, "mamba.C_layernorm.weight")) : null,
                    new Linear(f.readFloats(layer(l, "mamba.dt_proj.0.weight")), I, R),
                    f.readFloats(layer(l, "mamba.dt_proj.0.bias")),
                    negA,
                    f.readFloats(layer(l, "mamba.D.0")),
                    f.readFloats(layer(l, "mamba.pre_avg_layernorm1.weight")),
                    f.readFloats(layer(l, "mamba.pre_avg_layernorm2.weight")),
                    new Linear(f.readFloats(layer(l, "mamba.out_proj.weight")), d, I),
                    f.readFloats(layer(l, "pre_moe_layernorm.weight")),
                    new Linear(f.readFloats(layer(l, "moe.experts.0.gate_proj.weight")), c.intermediateSize(), d),
                    new Linear(f.readFloats(layer(l, "moe.experts.0.up_proj.weight")), c.intermediateSize(), d),
                    new Linear(f.readFloats(layer(l, "moe.experts.0.down_proj.weight")), d, c.intermediateSize())));
            if (conv.length != I * K) throw new IllegalStateException("conv1d weight of layer " + l + " has " + conv.length + " values");
        }
        return new HymbaWeights(embed, lmHead, meta, finalNorm, List.copyOf(layers));
    }
}
