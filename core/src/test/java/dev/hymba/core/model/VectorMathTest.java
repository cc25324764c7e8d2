package dev.hymba.core.model;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class VectorMathTest {
    @Test
    void expIsWithinTwoUlpOfMathExpAndLanesMatchTheScalarTwin() {
        Random rnd = new Random(1);
        int n = VectorMath.SPECIES.length();
        float[] x = new float[n];
        for (int iter = 0; iter < 20_000; iter++) {
            for (int i = 0; i < n; i++) x[i] = (rnd.nextFloat() * 2 - 1) * (iter % 2 == 0 ? 20f : 87f);
            float[] v = VectorMath.exp(FloatVector.fromArray(VectorMath.SPECIES, x, 0)).toArray();
            for (int i = 0; i < n; i++) {
                double ref = Math.exp(x[i]);
                float s = VectorMath.exp(x[i]);
                assertThat(v[i]).as("lane == scalar at %s", x[i]).isEqualTo(s);
                if (ref > Float.MIN_NORMAL) assertThat(Math.abs(s - ref)).as("exp(%s)", x[i]).isLessThanOrEqualTo(2 * Math.ulp((float) ref));
            }
        }
    }

    @Test
    void negativeInfinityAndDeepUnderflowGiveExactlyZero() {
        assertThat(VectorMath.exp(Float.NEGATIVE_INFINITY)).isZero();
        assertThat(VectorMath.exp(-100f)).isZero();
        float[] a = {Float.NEGATIVE_INFINITY, 0f, -1f};
        double sum = VectorMath.expShiftedInPlace(a, 0, 3, 0f);
        assertThat(a[0]).isZero();
        assertThat(a[1]).isEqualTo(1f);
        assertThat(sum).isCloseTo(1 + Math.exp(-1), org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void siluMatchesDefinition() {
        float[] a = new float[37];
        for (int i = 0; i < a.length; i++) a[i] = (i - 18) * 0.7f;
        float[] out = new float[a.length];
        VectorMath.silu(a, out);
        for (int i = 0; i < a.length; i++) assertThat((double) out[i]).isCloseTo(a[i] / (1 + Math.exp(-a[i])), org.assertj.core.data.Offset.offset(1e-6 * Math.max(1, Math.abs(a[i]))));
    }

    @Test
    void softplusWithBiasMatchesLog1pExpToAFewUlp() {
        int rows = 3, w = 101; // a vector tail too
        float[] a = new float[rows * w], bias = new float[w];
        java.util.Random rnd = new java.util.Random(2);
        for (int i = 0; i < a.length; i++) a[i] = (float) (rnd.nextDouble() * 60 - 40); // −40 … 20 and a little above
        for (int i = 0; i < w; i++) bias[i] = (float) rnd.nextGaussian();
        a[5] = 25f; // beyond the linear threshold
        a[6] = -95f; // e^x below float range
        float[] in = a.clone();
        VectorMath.softplusWithBias(a, rows, w, bias);
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < w; i++) {
                double x = in[r * w + i] + bias[i]; // the float sum, as the engine forms it
                double want = x > 20 ? x : Math.log1p(Math.exp(x));
                assertThat((double) a[r * w + i]).as("softplus(%s)", x)
                        .isCloseTo(want, org.assertj.core.data.Offset.offset(8 * Math.ulp((float) want) + 1e-40));
            }
    }
}
