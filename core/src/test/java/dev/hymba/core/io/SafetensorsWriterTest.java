package dev.hymba.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.*;

class SafetensorsWriterTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsAllThreeDtypesWithMetadataAndAlignedHeader() throws Exception {
        float[] a = {1f, -2.5f, 0f, Float.NaN, Float.POSITIVE_INFINITY, 1e-40f};
        float[] b = {0.5f, -0.75f, 3f, 96f};
        float[] c = {1f, 65504f, (float) Math.scalb(1.0, -24), -0f};
        Path p = dir.resolve("m.safetensors");
        SafetensorsWriter.write(p, List.of(
                SafetensorsWriter.Tensor.of("a", DType.F32, new long[]{2, 3}, a),
                SafetensorsWriter.Tensor.of("b", DType.BF16, new long[]{4}, b),
                SafetensorsWriter.Tensor.of("c", DType.F16, new long[]{2, 1, 2}, c),
                SafetensorsWriter.Tensor.of("empty", DType.F32, new long[]{0, 7}, new float[0])), Map.of("format", "pt"));
        byte[] bytes = Files.readAllBytes(p);
        long headerLen = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertThat((8 + headerLen) % 8).isZero();
        assertThat(bytes.length).isEqualTo(8 + headerLen + 24 + 8 + 8);
        assertThat(dir.resolve("m.safetensors.part")).doesNotExist();
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertThat(f.metadata()).containsExactly(entry("format", "pt"));
            assertThat(f.tensors().keySet()).containsExactly("a", "b", "c", "empty");
            assertThat(f.info("c").orElseThrow().shape()).containsExactly(2, 1, 2);
            assertThat(f.info("b").orElseThrow().dtype()).isEqualTo(DType.BF16);
            float[] ra = f.readFloats("a");
            for (int i = 0; i < a.length; i++) assertThat(Float.floatToRawIntBits(ra[i])).isEqualTo(Float.floatToRawIntBits(a[i]));
            assertThat(f.readFloats("b")).containsExactly(b); // exactly representable in bf16
            float[] rc = f.readFloats("c");
            assertThat(rc).containsExactly(c); // exactly representable in f16
            assertThat(Float.floatToRawIntBits(rc[3])).isEqualTo(0x80000000);
            assertThat(f.readFloats("empty")).isEmpty();
        }
    }

    @Test
    void noMetadataMeansNoMetadataEntry() throws Exception {
        Path p = dir.resolve("n.safetensors");
        SafetensorsWriter.write(p, List.of(SafetensorsWriter.Tensor.of("x", DType.F32, new long[]{1}, new float[]{2f})));
        assertThat(new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("__metadata__");
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertThat(f.metadata()).isEmpty();
        }
    }

    @Test
    void bf16RoundsToNearestEven() {
        // bf16 keeps 7 mantissa bits, so its ulp at 1.0 is 2^-7.
        assertThat(SafetensorsWriter.toBf16(1f + 0x1p-8f)).isEqualTo((short) 0x3F80);      // tie -> even (1.0)
        assertThat(SafetensorsWriter.toBf16(1f + 3 * 0x1p-8f)).isEqualTo((short) 0x3F82);  // tie -> even (1 + 2^-6)
        assertThat(SafetensorsWriter.toBf16(1f + 0x1p-8f + 0x1p-20f)).isEqualTo((short) 0x3F81); // above tie -> up
        assertThat(SafetensorsWriter.toBf16(-2f)).isEqualTo((short) 0xC000);
        assertThat(SafetensorsWriter.toBf16(Float.POSITIVE_INFINITY)).isEqualTo((short) 0x7F80);
        assertThat(SafetensorsWriter.toBf16(Float.MAX_VALUE)).isEqualTo((short) 0x7F80);   // rounds past the largest bf16
        short nan = SafetensorsWriter.toBf16(Float.intBitsToFloat(0x7F800001));            // NaN with only low bits set
        assertThat(Float.isNaN(Float.intBitsToFloat(nan << 16))).isTrue();
        assertThat(SafetensorsWriter.toBf16(0x1p-133f)).isEqualTo((short) 0x0001);          // subnormal survives
    }

    @Test
    void f16ConversionRoundsAndSaturatesToInfinity() throws Exception {
        Path p = dir.resolve("h.safetensors");
        float[] v = {65520f, 1f + 0x1p-11f, 0x1p-25f, 0x1p-25f + 0x1p-30f};
        SafetensorsWriter.write(p, List.of(SafetensorsWriter.Tensor.of("h", DType.F16, new long[]{4}, v)));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            float[] r = f.readFloats("h");
            assertThat(r[0]).isEqualTo(Float.POSITIVE_INFINITY); // halfway between 65504 and 2^16 -> even -> inf
            assertThat(r[1]).isEqualTo(1f);                      // tie at half the f16 ulp (2^-10) -> even
            assertThat(r[2]).isEqualTo(0f);                      // half the smallest subnormal, tie -> even (0)
            assertThat(r[3]).isEqualTo(0x1p-24f);                // just above the tie -> smallest subnormal
        }
    }

    @Test
    void streamsTensorsLargerThanOneChunkCallingTheSourceInOrderOncePerElement() throws Exception {
        long n = SafetensorsWriter.CHUNK * 2L + 3;
        List<long[]> calls = new ArrayList<>();
        SafetensorsWriter.Source ramp = (start, dst, count) -> {
            calls.add(new long[]{start, count});
            for (int i = 0; i < count; i++) dst[i] = (float) ((start + i) % 251);
        };
        Path p = dir.resolve("big.safetensors");
        SafetensorsWriter.write(p, List.of(new SafetensorsWriter.Tensor("r", DType.BF16, new long[]{n}, ramp)));
        assertThat(calls).extracting(c -> c[0]).containsExactly(0L, (long) SafetensorsWriter.CHUNK, 2L * SafetensorsWriter.CHUNK);
        assertThat(calls.stream().mapToLong(c -> c[1]).sum()).isEqualTo(n);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            float[] r = f.readFloats("r");
            for (long i : new long[]{0, 250, 251, SafetensorsWriter.CHUNK - 1, SafetensorsWriter.CHUNK, n - 1})
                assertThat(r[(int) i]).as("element %d", i).isEqualTo((float) (i % 251));
        }
    }

    @Test
    void rejectsDuplicateNamesNonFloatDtypesAndWrongValueCounts() {
        Path p = dir.resolve("bad.safetensors");
        var t = SafetensorsWriter.Tensor.of("x", DType.F32, new long[]{1}, new float[]{1});
        assertThatThrownBy(() -> SafetensorsWriter.write(p, List.of(t, t))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x' is listed twice");
        assertThat(p).doesNotExist();
        assertThat(dir.resolve("bad.safetensors.part")).doesNotExist();
        assertThatThrownBy(() -> new SafetensorsWriter.Tensor("i", DType.I32, new long[]{1}, SafetensorsWriter.Source.constant(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dtype I32 cannot be written");
        assertThatThrownBy(() -> SafetensorsWriter.Tensor.of("y", DType.F32, new long[]{2, 2}, new float[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds 4 elements but 3 values");
        assertThatThrownBy(() -> SafetensorsWriter.Tensor.of("__metadata__", DType.F32, new long[]{1}, new float[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
    }

    @Test
    void sourceFailureLeavesNoPartialFile() {
        Path p = dir.resolve("fail.safetensors");
        SafetensorsWriter.Source boom = (s, d, c) -> { throw new IllegalStateException("generator failed"); };
        assertThatThrownBy(() -> SafetensorsWriter.write(p, List.of(new SafetensorsWriter.Tensor("x", DType.F32, new long[]{4}, boom))))
                .hasMessage("generator failed");
        assertThat(p).doesNotExist();
        assertThat(dir.resolve("fail.safetensors.part")).doesNotExist();
    }
}
