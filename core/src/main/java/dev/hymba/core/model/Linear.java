package dev.hymba.core.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A bias-free linear map y = x·Wᵀ with W in PyTorch's [out, in] layout, held as an fp32 ND4J array (off-heap).
 * GEMMs go through ND4J/OpenBLAS; activations stay plain Java arrays so that per-token work is cheap.
 */
public final class Linear {
    private final INDArray weight; // [out, in], C order
    private final int out;
    private final int in;

    // Weights go through an on-heap float[] into Nd4j.create. Converting the checkpoint straight into the off-heap
    // array's memory was tried: it loads faster, but the GEMMs on those arrays ran 1.5x slower (1.5B shape: prefill
    // of 64 tokens 8.4 vs 5.7 s, decode 1.04 vs 1.58 tok/s; cause not found).
    public Linear(float[] weight, int out, int in) {
        if (weight.length != (long) out * in) throw new IllegalArgumentException("weight has " + weight.length + " values, expected " + out + "x" + in);
        this.weight = Nd4j.create(weight, new long[]{out, in}, 'c');
        this.out = out;
        this.in = in;
    }

    public int out() { return out; }

    public int in() { return in; }

    /** x: [rows, in] row-major → [rows, out]. */
    public float[] apply(float[] x, int rows) {
        return apply(x, rows, 0, out);
    }

    /** Only output columns [from, to) (a row block of W), e.g. the q|k|v part of in_proj. */
    public float[] apply(float[] x, int rows, int from, int to) {
        if (x.length != (long) rows * in) throw new IllegalArgumentException("input has " + x.length + " values, expected " + rows + "x" + in);
        long t0 = Profile.start();
        INDArray xs = Nd4j.create(x, new long[]{rows, in}, 'c');
        INDArray w = (from == 0 && to == out) ? weight : weight.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to), org.nd4j.linalg.indexing.NDArrayIndex.all());
        float[] r = gemmToArray(xs, w, true, rows, to - from);
        xs.close();
        Profile.end(Profile.Phase.GEMM, t0);
        return r;
    }

    /**
     * a · b (or a · bᵀ) as a row-major float[]. The product goes into a freshly allocated C-order array: ND4J's
     * {@code gemm(a, b, transA, transB)} allocates its result with {@code createUninitialized}, which now and then
     * comes back flagged as a view and is then refused by its own check ("C array should NOT be a view").
     */
    static float[] gemmToArray(INDArray a, INDArray b, boolean bTransposed, int rows, int cols) {
        INDArray c = Nd4j.create(DataType.FLOAT, new long[]{rows, cols}, 'c');
        Nd4j.gemm(a, b, c, false, bTransposed, 1.0, 0.0);
        float[] r = c.data().asFloat();
        c.close();
        return r;
    }
}
