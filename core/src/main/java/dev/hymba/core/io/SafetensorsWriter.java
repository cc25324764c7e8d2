package dev.hymba.core.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.*;

/**
 * Writes a safetensors file from F32, BF16 or F16 tensors whose values are produced chunk by chunk, so a multi-GB
 * checkpoint never exists in memory: only one chunk buffer per tensor being written.
 * The JSON header is padded with spaces so the data section starts at a multiple of 8 (as the reference writer does).
 * The file is written to a temporary sibling and moved into place, so a failed write never leaves a half file.
 */
public final class SafetensorsWriter {
    /** Elements converted per write; 1 Mi elements = 4 MB of float buffer, at most 4 MB of bytes. */
    static final int CHUNK = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsWriter() {}

    /**
     * Produces a tensor's values in row-major order. The writer calls it with consecutive, non-overlapping ranges
     * in increasing order, exactly once per element, so a stateful generator (a seeded RNG) is deterministic.
     */
    @FunctionalInterface
    public interface Source {
        /** Fills dst[0, count) with elements [start, start + count) of the tensor. */
        void fill(long start, float[] dst, int count);

        static Source of(float[] values) {
            return (start, dst, count) -> System.arraycopy(values, Math.toIntExact(start), dst, 0, count);
        }

        static Source constant(float v) {
            return (start, dst, count) -> Arrays.fill(dst, 0, count, v);
        }
    }

    /** One tensor to write; its values are converted from fp32 to {@code dtype} (round to nearest even). */
    public record Tensor(String name, DType dtype, long[] shape, Source source) {
        public Tensor {
            Objects.requireNonNull(name, "name");
            if (!dtype.isFloatingWeight()) throw new IllegalArgumentException(name + ": dtype " + dtype + " cannot be written (F32, BF16 or F16 only)");
            shape = shape.clone();
            for (long s : shape) if (s < 0) throw new IllegalArgumentException(name + ": negative dimension in " + Arrays.toString(shape));
            if (name.equals("__metadata__")) throw new IllegalArgumentException("'__metadata__' is reserved and cannot name a tensor");
        }

        public static Tensor of(String name, DType dtype, long[] shape, float[] values) {
            long n = elements(shape);
            if (n != values.length) throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " holds " + n + " elements but " + values.length + " values were given");
            return new Tensor(name, dtype, shape, Source.of(values));
        }

        public long elementCount() { return elements(shape); }

        public long byteSize() { return Math.multiplyExact(elementCount(), dtype.bytes()); }
    }

    /** Writes the tensors in the given order with optional {@code __metadata__} (string values). */
    public static void write(Path out, List<Tensor> tensors, Map<String, String> metadata) {
        byte[] header = header(tensors, metadata);
        Path tmp = out.resolveSibling(out.getFileName() + ".part");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
            writeFully(ch, len);
            writeFully(ch, ByteBuffer.wrap(header));
            float[] values = new float[CHUNK];
            ByteBuffer bytes = ByteBuffer.allocateDirect(CHUNK * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors) writeTensor(ch, t, values, bytes);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new CheckpointException(out + ": cannot write (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
        try {
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CheckpointException(out + ": cannot move the finished file into place (" + e.getMessage() + ")", e);
        }
    }

    public static void write(Path out, List<Tensor> tensors) { write(out, tensors, Map.of()); }

    /** The padded JSON header for these tensors (exposed for tests of the layout). */
    static byte[] header(List<Tensor> tensors, Map<String, String> metadata) {
        ObjectNode root = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode m = root.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long offset = 0;
        Set<String> seen = new HashSet<>();
        for (Tensor t : tensors) {
            if (!seen.add(t.name())) throw new IllegalArgumentException("tensor '" + t.name() + "' is listed twice");
            ObjectNode e = root.putObject(t.name());
            e.put("dtype", t.dtype().name());
            ArrayNode shape = e.putArray("shape");
            for (long s : t.shape()) shape.add(s);
            long end = Math.addExact(offset, t.byteSize());
            e.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a safetensors header", e);
        }
        int padded = (json.length + 7) & ~7;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static void writeTensor(FileChannel ch, Tensor t, float[] values, ByteBuffer bytes) throws IOException {
        long n = t.elementCount();
        for (long start = 0; start < n; start += CHUNK) {
            int count = (int) Math.min(CHUNK, n - start);
            t.source().fill(start, values, count);
            bytes.clear();
            switch (t.dtype()) {
                case F32 -> bytes.asFloatBuffer().put(values, 0, count);
                case BF16 -> { for (int i = 0; i < count; i++) bytes.putShort(2 * i, toBf16(values[i])); }
                case F16 -> { for (int i = 0; i < count; i++) bytes.putShort(2 * i, Float.floatToFloat16(values[i])); }
                default -> throw new IllegalStateException(t.dtype().name());
            }
            bytes.limit(count * t.dtype().bytes());
            bytes.position(0);
            writeFully(ch, bytes);
        }
    }

    /** fp32 → bf16 with round-to-nearest-even, as torch does; NaN stays a (quiet) NaN instead of rounding to inf. */
    public static short toBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) return (short) ((bits >>> 16) | 0x0040);
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }

    private static long elements(long[] shape) {
        long n = 1;
        for (long s : shape) n = Math.multiplyExact(n, s);
        return n;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: the original failure is what the caller needs to see
        }
    }
}
