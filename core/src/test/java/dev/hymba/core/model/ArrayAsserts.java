package dev.hymba.core.model;

import static org.assertj.core.api.Assertions.assertThat;

/** The parity criterion of issue 2: max|diff| ≤ 1e-4 · max|reference| for every array. */
public final class ArrayAsserts {
    public static final double RELATIVE_TOLERANCE = 1e-4;

    private ArrayAsserts() {}

    /** Returns max|diff| and asserts the criterion; the label names the array in failures and in the log. */
    public static double assertClose(String label, float[] expected, float[] actual) {
        assertThat(actual).as(label + " length").hasSize(expected.length);
        double maxRef = 0, maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
            maxDiff = Math.max(maxDiff, Math.abs((double) expected[i] - actual[i]));
        }
        System.out.printf("parity %-28s max|diff| %.3e  max|ref| %.3e  rel %.2e%n", label, maxDiff, maxRef, maxRef == 0 ? 0 : maxDiff / maxRef);
        assertThat(maxDiff).as(label + ": max|diff| vs 1e-4·max|ref| (max|ref| = " + maxRef + ")").isLessThanOrEqualTo(RELATIVE_TOLERANCE * maxRef);
        return maxDiff;
    }
}
