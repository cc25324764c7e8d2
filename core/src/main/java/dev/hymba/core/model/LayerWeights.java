package dev.hymba.core.model;

/**
 * Parameters of one Hymba decoder layer (architecture reference §2), fp32. Small vectors stay on the Java heap;
 * the projections are {@link Linear} maps.
 *
 * @param inProj   [q | k | v | x | z] rows for own-KV layers, [q | x | z] for KV consumers
 * @param convW    depthwise conv taps, [I, K] row-major
 * @param negA     A = −exp(A_log), [I, N] row-major
 * @param beta1    pre_avg_layernorm1.weight (attention stream scale β₁)
 * @param beta2    pre_avg_layernorm2.weight (SSM stream scale β₂)
 */
public record LayerWeights(
        float[] inputNorm,
        Linear inProj,
        float[] convW,
        float[] convBias,
        Linear xProj,
        float[] dtNorm,
        float[] bNorm,
        float[] cNorm,
        Linear dtProj,
        float[] dtBias,
        float[] negA,
        float[] d,
        float[] beta1,
        float[] beta2,
        Linear outProj,
        float[] preMlpNorm,
        Linear gate,
        Linear up,
        Linear down) {}
