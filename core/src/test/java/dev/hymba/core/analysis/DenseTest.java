package dev.hymba.core.analysis;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DenseTest {

    @Test
    void linearMatchesTheDefinitionForAllBlockRemainders() {
        Random r = new Random(4);
        for (int rows : new int[]{1, 4, 7, 9}) {
            int in = 37, out = 5; // in not a multiple of any vector width: exercises the tail loop
            float[] x = new float[rows * in], w = new float[out * in];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
            float[] y = Dense.linear(x, rows, in, w, out);
            for (int t = 0; t < rows; t++)
                for (int o = 0; o < out; o++) {
                    double want = 0;
                    for (int j = 0; j < in; j++) want += (double) x[t * in + j] * w[o * in + j];
                    assertEquals(want, y[t * out + o], 1e-5 * (1 + Math.abs(want)), "rows=" + rows + " t=" + t + " o=" + o);
                }
        }
    }
}
