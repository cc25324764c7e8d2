package dev.hymba.core.trace;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The vectorised, head-parallel summaries against a direct double-precision transcription of analyses.md §c. */
class HeadSummariesTest {

    @Test
    void logMatchesMathLogAcrossTheRangeOfProbabilities() {
        float[] xs = new float[FloatVector.SPECIES_PREFERRED.length()];
        Random rnd = new Random(1);
        for (int trial = 0; trial < 2000; trial++) {
            for (int i = 0; i < xs.length; i++) xs[i] = (float) Math.exp(-87 * rnd.nextDouble()); // 1e-38 … 1
            float[] got = dev.hymba.core.model.VectorMath.log(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, xs, 0)).toArray();
            for (int i = 0; i < xs.length; i++) {
                double want = Math.log(xs[i]);
                assertThat((double) got[i]).as("ln %s", xs[i]).isCloseTo(want, within(4 * Math.ulp((float) want) + 1e-7));
            }
        }
    }

    /** Softmax rows of random scores under the layer's mask: [H, T, T]. */
    private static float[] pattern(Random rnd, int heads, int T, int meta, int window) {
        float[] p = new float[heads * T * T];
        for (int h = 0; h < heads; h++)
            for (int t = 0; t < T; t++) {
                double[] e = new double[T];
                double sum = 0;
                for (int u = 0; u <= t; u++) {
                    if (t - u <= window || u < meta) {
                        // a few large scores make sinks; the rest spread
                        e[u] = Math.exp(rnd.nextGaussian() * 2 + (u == 0 ? 4 : 0));
                        sum += e[u];
                    }
                }
                for (int u = 0; u <= t; u++) p[(h * T + t) * T + u] = (float) (e[u] / sum);
            }
        return p;
    }

    /** analyses.md §c, one cell at a time, in double. */
    private static HeadSummary reference(float[] p, int base, int T, int meta, boolean bos, int window) {
        int bosPos = bos ? meta : -1;
        double metaM = 0, bosM = 0, selfM = 0, ent = 0, first = 0, init = 0;
        int realRows = 0, entRows = 0;
        double[] colSum = new double[T];
        double[] metaRecv = new double[meta];
        int[] nk = new int[T];
        for (int t = 0; t < T; t++) {
            int o = base + t * T, allowed = 0;
            double hsum = 0, initRow = 0, metaRow = 0;
            for (int u = 0; u <= t; u++) {
                double a = p[o + u];
                colSum[u] += a;
                if (t - u <= window || u < meta) { allowed++; nk[u]++; }
                if (a > 0) hsum -= a * Math.log(a);
                if (u < 4) initRow += a;
                if (u < meta) metaRow += a;
            }
            first += p[o];
            init += initRow;
            if (allowed > 1) { ent += hsum / Math.log(allowed); entRows++; }
            if (t >= meta) {
                realRows++;
                metaM += metaRow;
                if (bosPos >= 0 && bosPos <= t) bosM += p[o + bosPos];
                selfM += p[o + t];
                for (int u = 0; u < meta; u++) metaRecv[u] += p[o + u];
            }
        }
        float[] alphaOrig = new float[T], alphaMask = new float[T], recv = new float[meta];
        for (int u = 0; u < T; u++) {
            alphaOrig[u] = (float) (colSum[u] / (T - u));
            alphaMask[u] = nk[u] == 0 ? 0 : (float) (colSum[u] / nk[u]);
        }
        for (int u = 0; u < meta; u++) recv[u] = (float) (realRows > 0 ? metaRecv[u] / realRows : metaRecv[u]);
        double rr = Math.max(realRows, 1);
        double metaMean = metaM / rr, bosMean = bosM / rr, selfMean = selfM / rr;
        if (bosPos >= 0) selfMean -= p[base + bosPos * T + bosPos] / rr;
        return new HeadSummary(metaMean, bosMean, selfMean, 1 - metaMean - bosMean - selfMean,
                entRows == 0 ? 0 : ent / entRows, first / T, init / T, alphaOrig, alphaMask, recv);
    }

    private static void check(int heads, int T, int meta, boolean bos, int window) {
        Random rnd = new Random(T * 7L + meta);
        float[] p = pattern(rnd, heads, T, meta, window);
        List<HeadSummary> got = HeadSummaries.of(p, heads, T, T, meta, bos, window);
        assertThat(got).hasSize(heads);
        for (int h = 0; h < heads; h++) {
            HeadSummary g = got.get(h), w = reference(p, h * T * T, T, meta, bos, window);
            assertThat(g.metaMass()).isCloseTo(w.metaMass(), within(1e-6));
            assertThat(g.bosMass()).isCloseTo(w.bosMass(), within(1e-6));
            assertThat(g.selfMass()).isCloseTo(w.selfMass(), within(1e-6));
            assertThat(g.crossMass()).isCloseTo(w.crossMass(), within(1e-6));
            assertThat(g.entropy()).isCloseTo(w.entropy(), within(1e-6));
            assertThat(g.firstTokenScore()).isCloseTo(w.firstTokenScore(), within(1e-6));
            assertThat(g.initialMass()).isCloseTo(w.initialMass(), within(1e-6));
            for (int u = 0; u < T; u++) {
                assertThat(g.alphaOriginal()[u]).isCloseTo(w.alphaOriginal()[u], within(2e-6f));
                assertThat(g.alphaMaskAware()[u]).isCloseTo(w.alphaMaskAware()[u], within(2e-6f));
            }
            for (int u = 0; u < meta; u++) assertThat(g.metaReceived()[u]).isCloseTo(w.metaReceived()[u], within(2e-6f));
        }
    }

    @Test
    void localLayerWithMetaAndBos() { check(3, 101, 8, true, 20); }

    @Test
    void globalLayerWithoutMeta() { check(2, 77, 0, false, Integer.MAX_VALUE); }

    @Test
    void twoTracesOfTheSamePatternAreBitIdentical() {
        float[] p = pattern(new Random(5), 4, 90, 6, 30);
        List<HeadSummary> a = HeadSummaries.of(p, 4, 90, 90, 6, true, 30), b = HeadSummaries.of(p, 4, 90, 90, 6, true, 30);
        for (int h = 0; h < 4; h++) assertThat(a.get(h).entropy()).isEqualTo(b.get(h).entropy());
    }
}
