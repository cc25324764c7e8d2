package dev.hymba.core.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A/B comparison of two runs on the same tokens (issue 3 "A/B comparison"): per-token KL divergence of the
 * next-token distributions, change in next-token loss, top-k changes. Logits are [T, V] row-major fp32, one row per
 * real position (meta rows already dropped, as the model's logits are).
 */
public final class RunComparison {

    /** Top-k at one position in both runs. */
    public record TopK(int position, int[] idsA, int[] idsB, int overlap, boolean top1Changed) {}

    private RunComparison() {}

    /** log-softmax of row t in double (max-shifted). */
    public static double[] logSoftmax(float[] logits, int vocab, int t) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) max = Math.max(max, logits[t * vocab + v]);
        double z = 0;
        for (int v = 0; v < vocab; v++) z += Math.exp(logits[t * vocab + v] - max);
        double lz = max + Math.log(z);
        double[] out = new double[vocab];
        for (int v = 0; v < vocab; v++) out[v] = logits[t * vocab + v] - lz;
        return out;
    }

    /** KL(P_A ‖ P_B) per position, in nats. */
    public static double[] klDivergence(float[] logitsA, float[] logitsB, int seqLen, int vocab) {
        check(logitsA, logitsB, seqLen, vocab);
        double[] kl = new double[seqLen];
        for (int t = 0; t < seqLen; t++) {
            double[] la = logSoftmax(logitsA, vocab, t), lb = logSoftmax(logitsB, vocab, t);
            double s = 0;
            for (int v = 0; v < vocab; v++) s += Math.exp(la[v]) * (la[v] - lb[v]);
            kl[t] = Math.max(0, s); // rounding can leave −1e-17 for identical rows
        }
        return kl;
    }

    /**
     * Next-token loss per position: nll_t = −log P(ids[t+1] | ≤ t) for t = 0..T−2 (length T−1); {@code ids} are
     * the real token ids the logits rows belong to.
     */
    public static double[] nextTokenNll(float[] logits, int seqLen, int vocab, int[] ids) {
        if (ids.length != seqLen) throw new IllegalArgumentException("ids has " + ids.length + " tokens, logits " + seqLen + " rows");
        if (logits.length != (long) seqLen * vocab)
            throw new IllegalArgumentException("logits have " + logits.length + " values, expected T*V = " + (long) seqLen * vocab);
        double[] nll = new double[Math.max(0, seqLen - 1)];
        for (int t = 0; t + 1 < seqLen; t++) {
            int next = ids[t + 1];
            if (next < 0 || next >= vocab) throw new IllegalArgumentException("ids[" + (t + 1) + "]: " + next + " is outside the vocabulary 0.." + (vocab - 1));
            nll[t] = -logSoftmax(logits, vocab, t)[next];
        }
        return nll;
    }

    /** Δnll_t = nll_B − nll_A per position (positive: run B predicts the actual next token worse). */
    public static double[] nllDelta(float[] logitsA, float[] logitsB, int seqLen, int vocab, int[] ids) {
        double[] a = nextTokenNll(logitsA, seqLen, vocab, ids), b = nextTokenNll(logitsB, seqLen, vocab, ids);
        for (int i = 0; i < a.length; i++) b[i] -= a[i];
        return b;
    }

    /** Top-k ids of row t, by decreasing logit (ties: lower id first). */
    public static int[] topK(float[] logits, int vocab, int t, int k) {
        Integer[] idx = new Integer[vocab];
        for (int v = 0; v < vocab; v++) idx[v] = v;
        Arrays.sort(idx, (x, y) -> {
            int c = Float.compare(logits[t * vocab + y], logits[t * vocab + x]);
            return c != 0 ? c : Integer.compare(x, y);
        });
        int[] out = new int[Math.min(k, vocab)];
        for (int i = 0; i < out.length; i++) out[i] = idx[i];
        return out;
    }

    /** Top-k of both runs at each position, with the overlap size and whether the argmax changed. */
    public static List<TopK> topKChanges(float[] logitsA, float[] logitsB, int seqLen, int vocab, int k) {
        check(logitsA, logitsB, seqLen, vocab);
        if (k <= 0) throw new IllegalArgumentException("k: " + k + " must be > 0");
        List<TopK> out = new ArrayList<>();
        for (int t = 0; t < seqLen; t++) {
            int[] a = topK(logitsA, vocab, t, k), b = topK(logitsB, vocab, t, k);
            int overlap = 0;
            for (int x : a) for (int y : b) if (x == y) overlap++;
            out.add(new TopK(t, a, b, overlap, a[0] != b[0]));
        }
        return out;
    }

    private static void check(float[] a, float[] b, int seqLen, int vocab) {
        long n = (long) seqLen * vocab;
        if (a.length != n) throw new IllegalArgumentException("logits A have " + a.length + " values, expected T*V = " + n);
        if (b.length != n) throw new IllegalArgumentException("logits B have " + b.length + " values, expected T*V = " + n);
    }
}
