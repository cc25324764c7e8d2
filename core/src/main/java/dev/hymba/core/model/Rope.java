package dev.hymba.core.model;

/**
 * Rotary position embedding in the HF rotate-half layout (architecture §3.3): dims [0, dh/2) pair with [dh/2, dh).
 * inv_freq is computed in fp32 from the (NTK-rescaled) base; angles in fp32 like the reference.
 */
public final class Rope {
    private final int headDim;
    private final float[] invFreq;

    public Rope(int headDim, double base) {
        this.headDim = headDim;
        this.invFreq = new float[headDim / 2];
        for (int j = 0; j < headDim / 2; j++) {
            // torch: 1.0 / (base ** (arange(0, dim, 2).float() / dim)) — exponent in fp32, power in fp32.
            float exponent = (float) (2 * j) / headDim;
            invFreq[j] = (float) (1.0 / Math.pow((float) base, exponent));
        }
    }

    /** Rotates every head of x [rows, heads·dh] in place; row r sits at position positions0 + r. */
    public void apply(float[] x, int rows, int heads, int position0) {
        int half = headDim / 2;
        Numerics.rowsParallel(rows, heads * headDim, r -> {
            float p = position0 + r;
            float[] cos = new float[half], sin = new float[half];
            for (int j = 0; j < half; j++) {
                float angle = p * invFreq[j];
                cos[j] = (float) Math.cos(angle);
                sin[j] = (float) Math.sin(angle);
            }
            for (int h = 0; h < heads; h++) {
                int o = (r * heads + h) * headDim;
                for (int j = 0; j < half; j++) {
                    float a = x[o + j], b = x[o + j + half];
                    x[o + j] = a * cos[j] - b * sin[j];
                    x[o + j + half] = b * cos[j] + a * sin[j];
                }
            }
        });
    }
}
