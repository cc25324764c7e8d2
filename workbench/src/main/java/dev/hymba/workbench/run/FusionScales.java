package dev.hymba.workbench.run;

/**
 * The learned per-channel scales of one layer's fusion norms (pre_avg_layernorm1/2.weight): β₁ scales the attention
 * stream, β₂ the SSM stream, one value per inner channel (analyses.md §d).
 */
public record FusionScales(float[] beta1, float[] beta2) {
    public FusionScales {
        if (beta1 == null || beta2 == null || beta1.length != beta2.length || beta1.length == 0)
            throw new IllegalArgumentException("β₁ and β₂ must be non-empty and of equal length");
        beta1 = beta1.clone();
        beta2 = beta2.clone();
    }

    @Override public float[] beta1() { return beta1.clone(); }

    @Override public float[] beta2() { return beta2.clone(); }

    public int channels() { return beta1.length; }
}
