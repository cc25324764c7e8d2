package dev.hymba.core.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes a little-endian float32 .npy in C order block by block, so arrays larger than memory (all attention maps
 * of a long run) can be exported. The element count written must match the declared shape.
 */
public final class NpyStreamWriter implements AutoCloseable {
    private final OutputStream out;
    private final long expected;
    private final Path file;
    private long written;
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

    public NpyStreamWriter(Path file, long... shape) throws IOException {
        this.file = file;
        long n = 1;
        for (long s : shape) n = Math.multiplyExact(n, s);
        this.expected = n;
        this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
        // Python tuple syntax: (5,) for one dimension, (2, 3) otherwise.
        String dims = String.join(", ", Arrays.stream(shape).mapToObj(Long::toString).toList());
        String tuple = "(" + dims + (shape.length == 1 ? ",)" : ")");
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + tuple + ", }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer h = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        h.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.write(h.array());
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));
    }

    public void write(float[] values) throws IOException { write(values, 0, values.length); }

    public void write(float[] values, int from, int count) throws IOException {
        if (written + count > expected) throw new IOException(file + ": writing more than the declared " + expected + " values");
        for (int i = from; i < from + count; i++) {
            if (!buf.hasRemaining()) flushBuf();
            buf.putFloat(values[i]);
        }
        written += count;
    }

    private void flushBuf() throws IOException {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
    }

    @Override
    public void close() throws IOException {
        flushBuf();
        out.close();
        if (written != expected) throw new IOException(file + ": wrote " + written + " values but the shape declares " + expected);
    }

    /** Writes one whole array. */
    public static void write(Path file, float[] data, long... shape) throws IOException {
        try (NpyStreamWriter w = new NpyStreamWriter(file, shape)) {
            w.write(data);
        }
    }
}
