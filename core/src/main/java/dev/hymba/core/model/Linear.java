package dev.hymba.core.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.stream.IntStream;

/**
 * A bias-free linear map y = x·Wᵀ with W in PyTorch's [out, in] layout, held as an fp32 ND4J array (off-heap).
 * GEMMs go through ND4J/OpenBLAS; activations stay plain Java arrays so that per-token work is cheap.
 */
public final class Linear {
    private static final VectorSpecies<Float> S = VectorMath.SPECIES;
    /** Output rows per parallel task of the one-row product. */
    private static final int GEMV_ROWS_PER_TASK = 128;

    private final INDArray weight; // [out, in], C order
    private final MemorySegment weightMemory; // the same off-heap floats, read directly by the one-row product
    private final int out;
    private final int in;

    // Weights go through an on-heap float[] into Nd4j.create. Converting the checkpoint straight into the off-heap
    // array's memory was tried: it loads faster, but the GEMMs on those arrays ran 1.5x slower (1.5B shape: prefill
    // of 64 tokens 8.4 vs 5.7 s, decode 1.04 vs 1.58 tok/s; cause not found).
    public Linear(float[] weight, int out, int in) {
        if (weight.length != (long) out * in) throw new IllegalArgumentException("weight has " + weight.length + " values, expected " + out + "x" + in);
        this.weight = Nd4j.create(weight, new long[]{out, in}, 'c');
        this.weightMemory = MemorySegment.ofAddress(this.weight.data().addressPointer().address()).reinterpret((long) out * in * Float.BYTES);
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
        if (rows == 1) {
            float[] r = rowTimesWeights(x, from, to);
            Profile.end(Profile.Phase.GEMM, t0);
            return r;
        }
        INDArray xs = Nd4j.create(x, new long[]{rows, in}, 'c');
        INDArray w = (from == 0 && to == out) ? weight : weight.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to), org.nd4j.linalg.indexing.NDArrayIndex.all());
        float[] r = gemmToArray(xs, w, true, rows, to - from);
        xs.close();
        Profile.end(Profile.Phase.GEMM, t0);
        return r;
    }

    /**
     * One input row (a decode step) times W's rows [from, to): each output is a dot product streamed straight from
     * the off-heap weights. Through ND4J this went to sgemm, which packs (copies) all of W first: 8.5 ms for in_proj
     * of the 1.5B shape (6.5 GB/s), where the weights can stream at ~20 GB/s on this machine.
     */
    private float[] rowTimesWeights(float[] x, int from, int to) {
        float[] y = new float[to - from];
        int tasks = (to - from + GEMV_ROWS_PER_TASK - 1) / GEMV_ROWS_PER_TASK;
        int L = S.length(), bound = S.loopBound(in);
        IntStream.range(0, tasks).parallel().forEach(task -> {
            int o1 = Math.min(to, from + (task + 1) * GEMV_ROWS_PER_TASK);
            for (int o = from + task * GEMV_ROWS_PER_TASK; o < o1; o++) {
                long base = (long) o * in * Float.BYTES;
                FloatVector a0 = FloatVector.zero(S), a1 = a0;
                int i = 0;
                for (; i + 2 * L <= bound; i += 2 * L) {
                    a0 = FloatVector.fromMemorySegment(S, weightMemory, base + (long) i * Float.BYTES, ByteOrder.nativeOrder())
                            .fma(FloatVector.fromArray(S, x, i), a0);
                    a1 = FloatVector.fromMemorySegment(S, weightMemory, base + (long) (i + L) * Float.BYTES, ByteOrder.nativeOrder())
                            .fma(FloatVector.fromArray(S, x, i + L), a1);
                }
                for (; i < bound; i += L)
                    a0 = FloatVector.fromMemorySegment(S, weightMemory, base + (long) i * Float.BYTES, ByteOrder.nativeOrder())
                            .fma(FloatVector.fromArray(S, x, i), a0);
                float acc = VectorMath.sumLanes(a0.add(a1));
                for (; i < in; i++) acc += weightMemory.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, (long) o * in + i) * x[i];
                y[o - from] = acc;
            }
        });
        return y;
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
