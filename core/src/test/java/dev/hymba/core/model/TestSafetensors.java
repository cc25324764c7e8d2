package dev.hymba.core.model;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test-only F32 safetensors writer (streams tensor data, so it can also write 1.5B-sized files for benchmarks). */
final class TestSafetensors {
    private TestSafetensors() {}

    /** Fills a tensor's values. */
    interface Filler {
        void fill(float[] chunk, long offset);
    }

    record Tensor(String name, long[] shape, Filler filler) {
        long count() {
            long n = 1;
            for (long s : shape) n *= s;
            return n;
        }
    }

    static void write(Path file, Iterable<Tensor> tensors) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        long off = 0;
        for (Tensor t : tensors) {
            long bytes = t.count() * 4;
            header.put(t.name(), Map.of("dtype", "F32", "shape", t.shape(), "data_offsets", new long[]{off, off + bytes}));
            off += bytes;
        }
        byte[] json = new ObjectMapper().writeValueAsBytes(header);
        int pad = (8 - json.length % 8) % 8;
        byte[] padded = new byte[json.length + pad];
        System.arraycopy(json, 0, padded, 0, json.length);
        for (int i = json.length; i < padded.length; i++) padded[i] = ' ';
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded.length).flip();
            ch.write(len);
            ch.write(ByteBuffer.wrap(padded));
            float[] chunk = new float[1 << 20];
            ByteBuffer buf = ByteBuffer.allocate(chunk.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors) {
                for (long o = 0; o < t.count(); o += chunk.length) {
                    int n = (int) Math.min(chunk.length, t.count() - o);
                    float[] c = n == chunk.length ? chunk : new float[n];
                    t.filler().fill(c, o);
                    buf.clear();
                    buf.asFloatBuffer().put(c, 0, n);
                    buf.limit(n * 4);
                    while (buf.hasRemaining()) ch.write(buf);
                }
            }
        }
    }

    /** A tensor with fixed data. */
    static Tensor of(String name, long[] shape, float[] data) {
        return new Tensor(name, shape, (chunk, off) -> System.arraycopy(data, (int) off, chunk, 0, chunk.length));
    }
}
