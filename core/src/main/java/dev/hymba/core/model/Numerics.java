package dev.hymba.core.model;

import java.util.stream.IntStream;

/** Row-wise elementwise kernels (fp32 storage, statistics in double where the reference keeps precision). */
public final class Numerics {
    private Numerics() {}

    /** RMSNorm over each row of x [rows, n]: w ⊙ x / sqrt(mean(x²) + eps). Returns a new array. */
    public static float[] rmsNorm(float[] x, int rows, int n, float[] w, double eps) {
        float[] out = new float[x.length];
        rowsParallel(rows, n, r -> {
            int o = r * n;
            double ss = 0;
            for (int i = 0; i < n; i++) ss += (double) x[o + i] * x[o + i];
            float inv = (float) (1.0 / Math.sqrt(ss / n + eps));
            for (int i = 0; i < n; i++) out[o + i] = w[i] * (x[o + i] * inv);
        });
        return out;
    }

    /** The RMS of each row, sqrt(mean(x²) + eps) — the r_t of analyses §d.8. */
    public static float[] rowRms(float[] x, int rows, int n, double eps) {
        float[] r = new float[rows];
        for (int t = 0; t < rows; t++) {
            double ss = 0;
            for (int i = 0; i < n; i++) ss += (double) x[t * n + i] * x[t * n + i];
            r[t] = (float) Math.sqrt(ss / n + eps);
        }
        return r;
    }

    public static float silu(float v) { return (float) (v / (1.0 + Math.exp(-v))); }

    /** log(1+eˣ), identity above 20 as torch and the CUDA kernel do. */
    public static float softplus(float v) { return v > 20f ? v : (float) Math.log1p(Math.exp(v)); }

    /** Runs body(row) for every row, in parallel when the work is large enough to pay for it. */
    public static void rowsParallel(int rows, int width, java.util.function.IntConsumer body) {
        if ((long) rows * width < 1 << 15) {
            for (int r = 0; r < rows; r++) body.accept(r);
        } else {
            IntStream.range(0, rows).parallel().forEach(body);
        }
    }
}
