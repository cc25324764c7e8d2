package dev.hymba.core.model;


/**
 * Transcendental loops of the softmax and the activations. They call {@link Math#exp}, whose HotSpot intrinsic
 * gives the same bits in the interpreter, C1 and C2; the Vector API's lanewise EXP does not (its SVML stub differs
 * in the last ulp from the scalar fallback used before C2 compiles a loop), which made repeated runs of one JVM
 * differ in the last bits.
 */
final class VectorMath {
    private VectorMath() {}

    /** a[i] = exp(a[i] − shift) for i in [from, to); returns the sum of the results (in double). */
    static double expShiftedInPlace(float[] a, int from, int to, float shift) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            float e = (float) Math.exp(a[i] - shift);
            a[i] = e;
            sum += e;
        }
        return sum;
    }

    /** out[i] = silu(a[i]) for all i (may alias). */
    static void silu(float[] a, float[] out) {
        for (int i = 0; i < a.length; i++) out[i] = Numerics.silu(a[i]);
    }
}
