package dev.hymba.core.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised transcendental loops. The scan and the softmax evaluate hundreds of millions of exponentials for the
 * 1.5B shape; scalar {@code Math.exp} would dominate the run time.
 */
final class VectorMath {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private VectorMath() {}

    /** a[i] = exp(a[i] − shift) for i in [from, to); returns the sum of the results (in double). */
    static double expShiftedInPlace(float[] a, int from, int to, float shift) {
        int i = from;
        int step = SPECIES.length();
        FloatVector acc = FloatVector.zero(SPECIES);
        for (; i + step <= to; i += step) {
            FloatVector v = FloatVector.fromArray(SPECIES, a, i).sub(shift).lanewise(VectorOperators.EXP);
            v.intoArray(a, i);
            acc = acc.add(v);
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) {
            a[i] = (float) Math.exp(a[i] - shift);
            sum += a[i];
        }
        return sum;
    }

    /** out[i] = silu(a[i]) for all i (may alias). */
    static void silu(float[] a, float[] out) {
        int i = 0, n = a.length, step = SPECIES.length();
        for (; i + step <= n; i += step) {
            FloatVector v = FloatVector.fromArray(SPECIES, a, i);
            FloatVector e = v.neg().lanewise(VectorOperators.EXP);
            v.div(e.add(1f)).intoArray(out, i);
        }
        for (; i < n; i++) out[i] = Numerics.silu(a[i]);
    }

    static VectorMask<Float> mask(int i, int n) { return SPECIES.indexInRange(i, n); }
}
