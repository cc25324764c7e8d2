package dev.hymba.core.model;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The Vector API attention core against a direct double-precision transcription of the mask and softmax (§3.3). */
class AttentionKernelTest {
    private static final int H = 6, HKV = 2, DH = 24, DV = 40; // GQA 3:1; widths that are not multiples of a vector

    private static KvCache cache(Random rnd, int[] positions) {
        KvCache c = new KvCache(HKV * DH, HKV * DV);
        for (int p : positions) c.append(randoms(rnd, HKV * DH), randoms(rnd, HKV * DV), 1, p);
        return c;
    }

    private static float[] randoms(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextGaussian();
        return a;
    }

    /** probs[h][t][u] in double, straight from the definition. */
    private static double[][][] reference(float[] q, int n, int p0, KvCache c, int window, int meta) {
        int tk = c.rows();
        double[][][] p = new double[H][n][tk];
        for (int h = 0; h < H; h++) {
            int kh = h / (H / HKV);
            for (int t = 0; t < n; t++) {
                int qp = p0 + t;
                double max = Double.NEGATIVE_INFINITY;
                double[] s = new double[tk];
                for (int u = 0; u < tk; u++) {
                    int kp = c.positions()[u];
                    if (kp <= qp && (qp - kp <= window || kp < meta)) {
                        double dot = 0;
                        for (int i = 0; i < DH; i++) dot += (double) q[(t * H + h) * DH + i] * c.keys()[u * HKV * DH + kh * DH + i];
                        s[u] = dot / Math.sqrt(DH);
                    } else s[u] = Double.NEGATIVE_INFINITY;
                    max = Math.max(max, s[u]);
                }
                double sum = 0;
                for (int u = 0; u < tk; u++) sum += s[u] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(s[u] - max);
                for (int u = 0; u < tk; u++) p[h][t][u] = s[u] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(s[u] - max) / sum;
            }
        }
        return p;
    }

    private static double[] mix(double[][][] p, int n, KvCache c) {
        double[] out = new double[n * H * DV];
        for (int h = 0; h < H; h++) {
            int kh = h / (H / HKV);
            for (int t = 0; t < n; t++)
                for (int u = 0; u < c.rows(); u++)
                    for (int j = 0; j < DV; j++) out[(t * H + h) * DV + j] += p[h][t][u] * c.values()[u * HKV * DV + kh * DV + j];
        }
        return out;
    }

    private static void check(int[] positions, int n, int p0, int window, int meta) {
        Random rnd = new Random(positions.length * 31L + window);
        KvCache c = cache(rnd, positions);
        float[] q = randoms(rnd, n * H * DH);
        double[][][] ref = reference(q, n, p0, c, window, meta);
        float[] seen = new float[1];
        float[] out = new AttentionKernel(H, HKV, DH, DV).attend(q, n, p0, c, window, meta, probs -> {
            seen[0] = probs.length;
            for (int h = 0; h < H; h++)
                for (int t = 0; t < n; t++)
                    for (int u = 0; u < c.rows(); u++)
                        assertThat((double) probs[(h * n + t) * c.rows() + u]).as("p[%d,%d,%d]", h, t, u).isCloseTo(ref[h][t][u], within(2e-6));
            return probs;
        });
        assertThat(seen[0]).isEqualTo(H * n * c.rows());
        double[] want = mix(ref, n, c);
        float[] plain = new AttentionKernel(H, HKV, DH, DV).attend(q, n, p0, c, window, meta, null);
        for (int i = 0; i < want.length; i++) {
            assertThat((double) out[i]).isCloseTo(want[i], within(1e-5));
            // With and without the pattern hook: the same numbers (summation differs only by skipped exact zeros).
            assertThat(plain[i]).isEqualTo(out[i]);
        }
    }

    @Test
    void prefillChunkWithMetaAndSlidingWindow() {
        int meta = 4, T = 150; // longer than one 64-key score block (16 lanes) and not a multiple of it
        int[] pos = new int[T];
        for (int i = 0; i < T; i++) pos[i] = i;
        check(pos, T, 0, 20, meta);             // local layer: window 20, meta always visible
        check(pos, T, 0, Integer.MAX_VALUE, meta); // global layer
    }

    @Test
    void decodeStepOnATrimmedCache() {
        // Meta rows 0..3, then the rows a window of 10 keeps for query 60 (trimBefore dropped the rest).
        int[] pos = {0, 1, 2, 3, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60};
        check(pos, 1, 60, 10, 4);
    }

    @Test
    void editedPatternIsWhatTheValuesAreMixedWith() {
        Random rnd = new Random(7);
        int T = 9;
        int[] pos = new int[T];
        for (int i = 0; i < T; i++) pos[i] = i;
        KvCache c = cache(rnd, pos);
        float[] q = randoms(rnd, T * H * DH);
        // A writer puts all weight on key 0 (BOS): every output row is then exactly V[0] of its KV head.
        float[] out = new AttentionKernel(H, HKV, DH, DV).attend(q, T, 0, c, Integer.MAX_VALUE, 0, probs -> {
            float[] edited = new float[probs.length];
            for (int r = 0; r < H * T; r++) edited[r * T] = 1f;
            return edited;
        });
        for (int t = 0; t < T; t++)
            for (int h = 0; h < H; h++)
                for (int j = 0; j < DV; j++)
                    assertThat(out[(t * H + h) * DV + j]).isEqualTo(c.values()[(h / (H / HKV)) * DV + j]);
    }
}
