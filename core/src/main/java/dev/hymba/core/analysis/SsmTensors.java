package dev.hymba.core.analysis;

/**
 * The per-layer quantities of Hymba's selective scan that the SSM analyses need (analyses.md §d notation,
 * architecture §3.2), all row-major fp32:
 *
 * @param seqLen   T
 * @param channels I (inner width, 3200 on the 1.5B model)
 * @param states   N (16)
 * @param delta    Δ [T, I] after softplus (the dt bias inside it)
 * @param a        A [I, N] = −exp(A_log), all &lt; 0
 * @param b        B [T, N] after its RMSNorm (one group shared by all channels)
 * @param c        C [T, N] after its RMSNorm
 * @param d        D [I]
 * @param u        u [T, I] = SiLU(conv(x)), the scan input
 */
public record SsmTensors(int seqLen, int channels, int states, float[] delta, float[] a, float[] b, float[] c,
                         float[] d, float[] u) {

    public SsmTensors {
        if (seqLen <= 0 || channels <= 0 || states <= 0)
            throw new IllegalArgumentException("SSM sizes must be > 0: T=" + seqLen + " I=" + channels + " N=" + states);
        check("delta", delta, (long) seqLen * channels, "T*I");
        check("a", a, (long) channels * states, "I*N");
        check("b", b, (long) seqLen * states, "T*N");
        check("c", c, (long) seqLen * states, "T*N");
        check("d", d, channels, "I");
        check("u", u, (long) seqLen * channels, "T*I");
    }

    /** A from the checkpoint's A_log: A = −exp(A_log). */
    public static float[] aFromLog(float[] aLog) {
        float[] a = new float[aLog.length];
        for (int i = 0; i < a.length; i++) a[i] = (float) -Math.exp(aLog[i]);
        return a;
    }

    /** Cumulative step S_{t,c} = Σ_{k≤t} Δ_{k,c} of one channel, in double so that differences stay accurate. */
    public double[] cumulativeDelta(int channel) {
        checkChannel(channel);
        double[] s = new double[seqLen];
        double acc = 0;
        for (int t = 0; t < seqLen; t++) { acc += delta[t * channels + channel]; s[t] = acc; }
        return s;
    }

    void checkChannel(int channel) {
        if (channel < 0 || channel >= channels)
            throw new IndexOutOfBoundsException("channel " + channel + " outside 0.." + (channels - 1));
    }

    static void check(String name, float[] v, long expected, String shape) {
        if (v == null) throw new IllegalArgumentException(name + " is missing");
        if (v.length != expected)
            throw new IllegalArgumentException(name + " has " + v.length + " values, expected " + shape + " = " + expected);
    }
}
