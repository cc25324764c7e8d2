package dev.hymba.core.io;

import java.util.Arrays;

/** One entry of a safetensors header. Offsets are absolute within the file. */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {
    public long elementCount() {
        long n = 1;
        for (long s : shape) n = Math.multiplyExact(n, s);
        return n;
    }

    public String shapeString() { return Arrays.toString(shape); }
}
