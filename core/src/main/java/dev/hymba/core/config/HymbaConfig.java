package dev.hymba.core.config;

import java.util.*;

/**
 * The model configuration (HF config.json, architecture reference §1), validated, plus derived sizes.
 *
 * @param kvReuseGroups each group: first id = producer, rest = consumers that reuse its post-RoPE K/V
 */
public record HymbaConfig(
        int vocabSize,
        int hiddenSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        int intermediateSize,
        double rmsNormEps,
        boolean tieWordEmbeddings,
        boolean rope,
        double ropeTheta,
        String ropeType,
        int maxPositionEmbeddings,
        int origMaxPositionEmbeddings,
        int numMemoryTokens,
        int slidingWindow,
        List<Integer> globalAttnIdx,
        List<List<Integer>> kvReuseGroups,
        int mambaDState,
        int mambaDConv,
        int mambaExpand,
        int mambaDtRank,
        boolean mambaConvBias,
        boolean mambaProjBias,
        boolean mambaInnerLayernorms,
        String hiddenAct,
        String mlpHiddenAct,
        int bosTokenId,
        int eosTokenId,
        int padTokenId,
        FusionMode fusionMode) {

    public HymbaConfig {
        globalAttnIdx = List.copyOf(globalAttnIdx);
        kvReuseGroups = kvReuseGroups.stream().map(List::copyOf).toList();
    }

    /** q/k head dim (dh). */
    public int headDim() { return hiddenSize / numAttentionHeads; }

    /** SSM inner width I = expand·d. */
    public int innerSize() { return mambaExpand * hiddenSize; }

    /** value head dim (dv) = I / H. */
    public int valueHeadDim() { return innerSize() / numAttentionHeads; }

    /** query heads per KV head. */
    public int queriesPerKvHead() { return numAttentionHeads / numKeyValueHeads; }

    public boolean isGlobal(int layer) { return globalAttnIdx.contains(layer); }

    /** The layer whose K/V this layer uses: itself unless it is a consumer in a reuse group. */
    public int kvProducerOf(int layer) {
        for (List<Integer> g : kvReuseGroups) {
            int i = g.indexOf(layer);
            if (i > 0) return g.get(0);
        }
        return layer;
    }

    public boolean isKvConsumer(int layer) { return kvProducerOf(layer) != layer; }

    /** Rows of in_proj: q | k | v | x | z for own-KV layers, q | x | z for consumers. */
    public int inProjRows(int layer) {
        int i = innerSize();
        return isKvConsumer(layer) ? hiddenSize + 2 * i
                : hiddenSize + numKeyValueHeads * headDim() + numKeyValueHeads * valueHeadDim() + 2 * i;
    }

    /** RoPE base after the static NTK rescale (architecture §3.3), in double as the reference computes it. */
    public double ropeBase() {
        if (!"ntk".equals(ropeType)) return ropeTheta;
        double dh = headDim();
        double factor = 2.0 * maxPositionEmbeddings / origMaxPositionEmbeddings - 1.0;
        return ropeTheta * Math.pow(factor, dh / (dh - 2));
    }

    /** Parameter count excluding a tied lm_head. */
    public long parameterCount() {
        long d = hiddenSize, I = innerSize(), n = 0;
        n += (long) vocabSize * d + (long) numMemoryTokens * d + d;
        for (int l = 0; l < numHiddenLayers; l++) {
            n += d; // input_layernorm
            n += (long) inProjRows(l) * d;
            n += I * mambaDConv + (mambaConvBias ? I : 0);
            n += (long) (mambaDtRank + 2L * mambaDState) * I;
            n += mambaDtRank + 2L * mambaDState; // dt/B/C norms
            n += I * mambaDtRank + I; // dt_proj + bias
            n += I * mambaDState + I; // A_log, D
            n += 2 * I; // pre-avg norms
            n += d * I; // out_proj
            n += d; // pre_moe_layernorm
            n += 3L * intermediateSize * d;
        }
        if (!tieWordEmbeddings) n += (long) vocabSize * d;
        return n;
    }
}
