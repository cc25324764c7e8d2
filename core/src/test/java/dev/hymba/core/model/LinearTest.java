package dev.hymba.core.model;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** x·Wᵀ through both paths: ND4J's GEMM (several rows) and the streamed one-row product (a decode step). */
class LinearTest {
    private static float[] randoms(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextGaussian();
        return a;
    }

    private static double dot(float[] w, int row, int in, float[] x, int xRow) {
        double s = 0;
        for (int i = 0; i < in; i++) s += (double) w[row * in + i] * x[xRow * in + i];
        return s;
    }

    @Test
    void oneRowAndManyRowsAgreeWithTheDefinition() {
        Random rnd = new Random(3);
        int out = 300, in = 203; // in not a multiple of any vector length: the scalar tail is used
        float[] w = randoms(rnd, out * in);
        Linear lin = new Linear(w, out, in);
        float[] xs = randoms(rnd, 3 * in);
        float[] many = lin.apply(xs, 3);
        for (int r = 0; r < 3; r++) {
            float[] x = java.util.Arrays.copyOfRange(xs, r * in, (r + 1) * in);
            float[] one = lin.apply(x, 1);
            for (int o = 0; o < out; o++) {
                double want = dot(w, o, in, xs, r);
                assertThat((double) one[o]).as("row %d out %d", r, o).isCloseTo(want, within(1e-4));
                assertThat((double) many[r * out + o]).isCloseTo(want, within(1e-4));
            }
        }
    }

    @Test
    void oneRowOverABlockOfOutputs() {
        Random rnd = new Random(4);
        int out = 40, in = 64;
        float[] w = randoms(rnd, out * in);
        Linear lin = new Linear(w, out, in);
        float[] x = randoms(rnd, in);
        float[] block = lin.apply(x, 1, 10, 25);
        assertThat(block).hasSize(15);
        for (int o = 10; o < 25; o++) assertThat((double) block[o - 10]).isCloseTo(dot(w, o, in, x, 0), within(1e-4));
        assertThatThrownBy(() -> lin.apply(new float[in + 1], 1)).hasMessageContaining("expected 1x64");
    }
}
