package dev.hymba.core.analysis;

/**
 * The parts of the SSM branch around the scan that the unified implicit attention needs (analyses.md d.3,
 * architecture §3.2): the conv input x, the depthwise causal conv kernel, its bias, and the gate z.
 *
 * @param x          conv input [T, I] (the x block of in_proj)
 * @param convWeight depthwise kernel [I, K] (conv1d.weight [I,1,K] flattened); tap k multiplies x_{t−K+1+k}
 * @param kernel     K (4)
 * @param convBias   [I], or null when the conv has no bias
 * @param z          gate [T, I]
 */
public record ConvGate(float[] x, float[] convWeight, int kernel, float[] convBias, float[] z) {

    /** Checks the sizes against T and I. */
    public void check(int seqLen, int channels) {
        SsmTensors.check("x", x, (long) seqLen * channels, "T*I");
        SsmTensors.check("convWeight", convWeight, (long) channels * kernel, "I*K");
        if (convBias != null) SsmTensors.check("convBias", convBias, channels, "I");
        SsmTensors.check("z", z, (long) seqLen * channels, "T*I");
    }

    /** Pre-activation conv output v_{t,c} = bias_c + Σ_k w[c,k]·x_{t−K+1+k, c} (zero left padding). */
    public double preActivation(int t, int c, int channels) {
        double v = convBias == null ? 0 : convBias[c];
        for (int k = 0; k < kernel; k++) {
            int s = t - kernel + 1 + k;
            if (s >= 0) v += (double) convWeight[c * kernel + k] * x[s * channels + c];
        }
        return v;
    }
}
