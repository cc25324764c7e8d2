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

    /** y = x·Wᵀ for x [rows, in] and W [out, in] (PyTorch Linear layout); rows in parallel. */
    static float[] linear(float[] x, int rows, int in, float[] w, int out) {
        float[] y = new float[rows * out];
        IntStream.range(0, rows).parallel().forEach(t -> {
            for (int o = 0; o < out; o++) y[t * out + o] = dot(x, t * in, w, o * in, in);
        });
        return y;
    }
}
