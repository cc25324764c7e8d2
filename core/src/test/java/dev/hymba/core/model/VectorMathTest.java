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
}
