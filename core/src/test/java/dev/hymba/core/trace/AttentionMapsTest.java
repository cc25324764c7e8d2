package dev.hymba.core.trace;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AttentionMapsTest {
    static final int T = 23, H = 4, HKV = 2, DH = 8, META = 3, WINDOW = 5;

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    @Test
    void sampledRowsEqualTheSameRowsOfTheFullMap() {
        float[] q = random(T * H * DH, 1), k = random(T * HKV * DH, 2);
        int[] queries = {0, 2, 3, 9, 22, 15};
        for (int head = 0; head < H; head++) {
            float[] full = AttentionMaps.rows(q, k, T, H, HKV, DH, head, WINDOW, META, 0, T);
            float[] sampled = AttentionMaps.rowsAt(q, k, T, H, HKV, DH, head, WINDOW, META, queries);
            for (int r = 0; r < queries.length; r++)
                for (int u = 0; u < T; u++)
                    // a GEMM over a different row count may block its sums differently: equal to fp32 rounding only
                    assertThat(sampled[r * T + u]).as("head %d query %d key %d", head, queries[r], u).isCloseTo(full[queries[r] * T + u], within(1e-6f));
        }
    }

    @Test
    void rowsFollowTheLocalMaskWithMetaTokensAlwaysVisibleAndSumToOne() {
        float[] q = random(T * H * DH, 3), k = random(T * HKV * DH, 4);
        float[] map = AttentionMaps.rows(q, k, T, H, HKV, DH, 1, WINDOW, META, 0, T);
        for (int t = 0; t < T; t++) {
            double sum = 0;
            for (int u = 0; u < T; u++) {
                boolean allowed = u <= t && (t - u <= WINDOW || u < META);
                if (!allowed) assertThat(map[t * T + u]).as("masked t=%d u=%d", t, u).isZero();
                else assertThat(map[t * T + u]).as("allowed t=%d u=%d", t, u).isPositive();
                sum += map[t * T + u];
            }
            assertThat(sum).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void aQueryOutsideTheSequenceIsRefused() {
        float[] q = random(T * H * DH, 5), k = random(T * HKV * DH, 6);
        assertThatThrownBy(() -> AttentionMaps.rowsAt(q, k, T, H, HKV, DH, 0, WINDOW, META, new int[]{T}))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("query 23 outside 0..22");
    }
}
