package dev.hymba.core.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised exponentials built only from IEEE add/multiply, so results are bit-identical whether HotSpot
 * interprets the loop or compiles it: the Vector API's own EXP and reduceLanes(ADD) give different bits in the two
 * modes, which would make two runs of the same prompt differ (and ablation deltas of "no change" non-zero).
 * Accuracy: ≤ 2 ulp against Math.exp over the range used (softmax, scan decay, SiLU).
 */
public final class VectorMath {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693145751953125f;      // ln 2 split so that n·LN2_HI is exact
    private static final float LN2_LO = 1.42860682030941723212e-6f;
    private static final float ROUND = 12582912f;                // 1.5·2^23: adding it rounds to the nearest integer
    private static final float MIN_ARG = -87.33654f;             // below: result flushed to 0 (exp underflows)
    private static final float MAX_ARG = 88.72283f;              // above: clamped (not reached by our arguments)
    private static final float LN2 = 0.6931471805599453f;
    private static final float SQRT2 = 1.41421356237f;
    private static final float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720, C7 = 1f / 5040;

    private VectorMath() {}

    /** e^x lane-wise; x ≤ MIN_ARG (including −∞) gives exactly 0. */
    static FloatVector exp(FloatVector x) {
        VectorMask<Float> under = x.compare(VectorOperators.LT, MIN_ARG);
        FloatVector xc = x.max(MIN_ARG).min(MAX_ARG);
        FloatVector t = xc.mul(LOG2E).add(ROUND);
        FloatVector n = t.sub(ROUND);
        IntVector ni = t.reinterpretAsInts().sub(Float.floatToRawIntBits(ROUND));
        FloatVector r = xc.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO));
        FloatVector p = r.mul(C7).add(C6).mul(r).add(C5).mul(r).add(C4).mul(r).add(C3).mul(r).add(C2).mul(r).add(1f).mul(r).add(1f);
        FloatVector scale = ni.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(scale).blend(0f, under);
    }

    /** Scalar twin of {@link #exp(FloatVector)}: the same operations in the same order, so tails match lanes. */
    static float exp(float x) {
        if (x < MIN_ARG) return 0f;
        float xc = Math.min(x, MAX_ARG);
        float t = xc * LOG2E + ROUND;
        float n = t - ROUND;
        int ni = Float.floatToRawIntBits(t) - Float.floatToRawIntBits(ROUND);
        float r = xc - n * LN2_HI - n * LN2_LO;
        float p = ((((((r * C7 + C6) * r + C5) * r + C4) * r + C3) * r + C2) * r + 1f) * r + 1f;
        return p * Float.intBitsToFloat((ni + 127) << 23);
    }

    /** Sum of the lanes in lane order (deterministic, unlike reduceLanes for floats). */
    static float sumLanes(FloatVector v) {
        float[] lanes = v.toArray();
        float s = 0f;
        for (float f : lanes) s += f;
        return s;
    }

    /** As {@link #sumLanes(FloatVector)} (same order, same bits) through a caller's scratch array of one vector's length. */
    static float sumLanes(FloatVector v, float[] scratch) {
        v.intoArray(scratch, 0);
        float s = 0f;
        for (int i = 0; i < scratch.length; i++) s += scratch[i];
        return s;
    }

    /** a[i] = exp(a[i] − shift) for i in [from, to); returns the sum of the results (accumulated in double). */
    static double expShiftedInPlace(float[] a, int from, int to, float shift) {
        int i = from;
        int step = SPECIES.length();
        // Lane-wise partial sums, added up once at the end in lane order: deterministic, and no per-vector array.
        FloatVector lanes = FloatVector.zero(SPECIES);
        for (; i + step <= to; i += step) {
            FloatVector v = exp(FloatVector.fromArray(SPECIES, a, i).sub(shift));
            v.intoArray(a, i);
            lanes = lanes.add(v);
        }
        double sum = sumLanes(lanes);
        for (; i < to; i++) {
            a[i] = exp(a[i] - shift);
            sum += a[i];
        }
        return sum;
    }

    /**
     * ln x lane-wise for positive normal x: x = m·2^e with m in [√½, √2), ln m = 2·atanh(s), s = (m−1)/(m+1),
     * |s| ≤ 0.172, by its series to s⁹ (next term below 3e-10). Max error about 2 ulp.
     */
    public static FloatVector log(FloatVector x) {
        IntVector bits = x.reinterpretAsInts();
        IntVector e = bits.lanewise(VectorOperators.LSHR, 23).and(0xff).sub(127);
        FloatVector m = bits.and(0x7fffff).or(0x3f800000).reinterpretAsFloats();
        VectorMask<Float> big = m.compare(VectorOperators.GT, SQRT2);
        m = m.blend(m.mul(0.5f), big);
        FloatVector ef = e.convert(VectorOperators.I2F, 0).reinterpretAsFloats().add(FloatVector.broadcast(SPECIES, 1f).blend(0f, big.not()));
        FloatVector s = m.sub(1f).div(m.add(1f));
        FloatVector s2 = s.mul(s);
        FloatVector series = s2.mul(1f / 9).add(1f / 7).mul(s2).add(1f / 5).mul(s2).add(1f / 3).mul(s2).add(1f);
        return s.mul(2f).mul(series).add(ef.mul(LN2));
    }

    /**
     * a[r·w + i] = softplus(a[r·w + i] + bias[i]) for every row r (the Δ of the scan): log1p(eˣ) as ln(1+e)·e/((1+e)−1),
     * which keeps log1p's accuracy for small e; x &gt; 20 → x as in the reference. Float precision (a few ulp).
     */
    static void softplusWithBias(float[] a, int rows, int w, float[] bias) {
        int step = SPECIES.length(), bound = SPECIES.loopBound(w);
        for (int r = 0; r < rows; r++) {
            int o = r * w, i = 0;
            for (; i < bound; i += step) {
                FloatVector x = FloatVector.fromArray(SPECIES, a, o + i).add(FloatVector.fromArray(SPECIES, bias, i));
                FloatVector e = exp(x);
                FloatVector onePlus = e.add(1f);
                VectorMask<Float> exact = onePlus.compare(VectorOperators.EQ, 1f); // e below half an ulp of 1
                FloatVector lp = log(onePlus).mul(e.div(onePlus.sub(1f).blend(1f, exact))).blend(e, exact);
                lp.blend(x, x.compare(VectorOperators.GT, 20f)).intoArray(a, o + i);
            }
            for (; i < w; i++) a[o + i] = Numerics.softplus(a[o + i] + bias[i]);
        }
    }

    /** out[i] = silu(a[i]) = a / (1 + e^−a) for all i (may alias). */
    static void silu(float[] a, float[] out) {
        int i = 0, n = a.length, step = SPECIES.length();
        for (; i + step <= n; i += step) {
            FloatVector v = FloatVector.fromArray(SPECIES, a, i);
            v.div(exp(v.neg()).add(1f)).intoArray(out, i);
        }
        for (; i < n; i++) out[i] = a[i] / (exp(-a[i]) + 1f);
    }

    static VectorMask<Float> mask(int i, int n) { return SPECIES.indexInRange(i, n); }
}
