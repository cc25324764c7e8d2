package dev.hymba.core.analysis;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.stream.IntStream;

/** Small dense kernels for the analyses (the engine's matmuls are not reachable from pure array code). */
final class Dense {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private Dense() {}

    /** Σ_j a[ao + j]·b[bo + j] for j &lt; n, vectorised, fp32 lanes reduced in float. */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        int j = 0, upper = S.loopBound(n);
        FloatVector acc = FloatVector.zero(S);
        for (; j < upper; j += S.length())
            acc = FloatVector.fromArray(S, a, ao + j).fma(FloatVector.fromArray(S, b, bo + j), acc);
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) s += a[ao + j] * b[bo + j];
        return s;
    }

    /**
     * y = x·Wᵀ for x [rows, in] and W [out, in] (PyTorch Linear layout). Rows go in blocks of 4 so that each
     * weight row is streamed from memory once per block, not once per row (the product is memory-bound otherwise);
     * blocks run in parallel.
     */
    static float[] linear(float[] x, int rows, int in, float[] w, int out) {
        float[] y = new float[rows * out];
        int blocks = (rows + 3) / 4;
        IntStream.range(0, blocks).parallel().forEach(b -> {
            int t0 = 4 * b;
            if (t0 + 4 > rows) {
                for (int t = t0; t < rows; t++) for (int o = 0; o < out; o++) y[t * out + o] = dot(x, t * in, w, o * in, in);
                return;
            }
            int upper = S.loopBound(in);
            for (int o = 0; o < out; o++) {
                int wo = o * in;
                FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
                int j = 0;
                for (; j < upper; j += S.length()) {
                    FloatVector wv = FloatVector.fromArray(S, w, wo + j);
                    a0 = FloatVector.fromArray(S, x, t0 * in + j).fma(wv, a0);
                    a1 = FloatVector.fromArray(S, x, (t0 + 1) * in + j).fma(wv, a1);
                    a2 = FloatVector.fromArray(S, x, (t0 + 2) * in + j).fma(wv, a2);
                    a3 = FloatVector.fromArray(S, x, (t0 + 3) * in + j).fma(wv, a3);
                }
                float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD),
                        s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
                for (; j < in; j++) {
                    float wj = w[wo + j];
                    s0 += x[t0 * in + j] * wj; s1 += x[(t0 + 1) * in + j] * wj;
                    s2 += x[(t0 + 2) * in + j] * wj; s3 += x[(t0 + 3) * in + j] * wj;
                }
                y[t0 * out + o] = s0; y[(t0 + 1) * out + o] = s1; y[(t0 + 2) * out + o] = s2; y[(t0 + 3) * out + o] = s3;
            }
        });
        return y;
    }
}
