package dev.hymba.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;

import static dev.hymba.core.io.RawSafetensors.*;
import static org.assertj.core.api.Assertions.*;

/** Every malformed-file class gives a CheckpointException whose message names the file and the defect. */
class SafetensorsFileTest {
    @TempDir
    Path dir;

    private static final byte[] NO_DATA = new byte[0];

    static Stream<Arguments> broken() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        return Stream.of(
                Arguments.of("empty file", new byte[0], "truncated: 0 bytes"),
                Arguments.of("3-byte file", new byte[]{1, 2, 3}, "truncated: 3 bytes"),
                Arguments.of("header length 1", bytes(new byte[]{'{'}, 1, NO_DATA), "header length 1 is outside [2, 104857600]"),
                Arguments.of("header length 0", bytes(NO_DATA, 0, NO_DATA), "header length 0 is outside"),
                Arguments.of("header length > 100 MB", bytes("{}".getBytes(), 200L << 20, NO_DATA), "header length 209715200 is outside"),
                Arguments.of("negative header length", bytes("{}".getBytes(), -8, NO_DATA), "header length -8 is outside"),
                Arguments.of("header longer than file", bytes("{}".getBytes(), 100, NO_DATA), "truncated: header claims 100 bytes but the file has 2"),
                Arguments.of("malformed JSON", bytes("{\"a\":", NO_DATA), "header is not well-formed JSON"),
                Arguments.of("trailing text after JSON", bytes("{} x", NO_DATA), "header is not well-formed JSON"),
                Arguments.of("JSON array", bytes("[1, 2]", NO_DATA), "header is not a JSON object"),
                Arguments.of("JSON string", bytes("\"ab\"", NO_DATA), "header is not a JSON object"),
                Arguments.of("too deeply nested", bytes("{\"a\":" + deep + "}", NO_DATA), "header is not well-formed JSON"),
                Arguments.of("non-UTF-8", bytes(new byte[]{'{', '"', (byte) 0xFF, '"', ':', '1', '}'}, 7, NO_DATA), "header is not valid UTF-8"),
                Arguments.of("entry not an object", bytes("{\"w\": 5}", NO_DATA), "tensor 'w': entry is not an object"),
                Arguments.of("missing dtype", bytes("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]), "tensor 'w': missing or non-text 'dtype'"),
                Arguments.of("numeric dtype", bytes("{\"w\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]), "tensor 'w': missing or non-text 'dtype'"),
                Arguments.of("unknown dtype", bytes("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1]), "tensor 'w': unknown dtype 'F8_E4M3'"),
                Arguments.of("missing shape", bytes("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", new byte[4]), "tensor 'w': missing or non-array 'shape'"),
                Arguments.of("shape not a list", bytes("{\"w\":{\"dtype\":\"F32\",\"shape\":4,\"data_offsets\":[0,4]}}", new byte[4]), "tensor 'w': missing or non-array 'shape'"),
                Arguments.of("negative shape", bytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4]), "tensor 'w': shape entry -1 is not a non-negative integer"),
                Arguments.of("fractional shape", bytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,4]}}", new byte[4]), "shape entry 2.5 is not a non-negative integer"),
                Arguments.of("shape beyond long", bytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[100000000000000000000],\"data_offsets\":[0,4]}}", new byte[4]), "shape entry 100000000000000000000 is not"),
                Arguments.of("shape product overflows", bytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,4]}}", new byte[4]), "tensor 'w': shape [4294967296,4294967296] overflows"),
                Arguments.of("byte size overflows", bytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904],\"data_offsets\":[0,4]}}", new byte[4]), "tensor 'w': byte size overflows"),
                Arguments.of("missing offsets", bytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", new byte[4]), "tensor 'w': 'data_offsets' must be two integers"),
                Arguments.of("three offsets", bytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", new byte[8]), "'data_offsets' must be two integers"),
                Arguments.of("text offsets", bytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[\"0\",\"4\"]}}", new byte[4]), "'data_offsets' must be two integers"),
                Arguments.of("reversed offsets", bytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", new byte[4]), "data_offsets [4, 0] are not an increasing non-negative range"),
                Arguments.of("negative offset", bytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", new byte[4]), "data_offsets [-4, 0] are not"),
                Arguments.of("offsets past end (truncated data)", bytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[4]), "tensor 'w': data_offsets end 8 lies past the end of the data (4 bytes"),
                Arguments.of("dtype x shape != bytes", bytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", new byte[4]), "tensor 'w': F32 [2] needs 8 bytes but data_offsets span 4"),
                Arguments.of("bf16 size mismatch", bytes("{\"w\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]), "BF16 [3] needs 6 bytes but data_offsets span 8"),
                Arguments.of("overlap", bytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]),
                        "data of tensor 'b' [4, 12) overlaps tensor 'a' [0, 8)"),
                Arguments.of("overlap with a zero-size tensor in between", bytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"z\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[6,6]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]), "data of tensor 'b' [4, 8) overlaps tensor 'a' [0, 8)"),
                Arguments.of("duplicate name", bytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]),
                        "header names an entry twice (Duplicate field 'w')"),
                Arguments.of("metadata not an object", bytes("{\"__metadata__\":[1]}", NO_DATA), "__metadata__ is not an object"),
                Arguments.of("metadata value not a string", bytes("{\"__metadata__\":{\"format\":1}}", NO_DATA), "__metadata__ value of 'format' is NUMBER, not a string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void brokenFileGivesSpecificError(String what, byte[] content, String message) {
        Path p = write(dir, "broken.safetensors", content);
        assertThatThrownBy(() -> SafetensorsFile.open(p).close())
                .isExactlyInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(p.toString() + ": ")
                .hasMessageContaining(message);
    }

    @Test
    void missingFileIsACheckpointError() {
        Path p = dir.resolve("absent.safetensors");
        assertThatThrownBy(() -> SafetensorsFile.open(p)).isExactlyInstanceOf(CheckpointException.class).hasMessageContaining(p + ": cannot read");
    }

    @Test
    void validHeaderWithMetadataZeroSizeTensorsAndPadding() {
        // Zero-size tensors may share an offset with the start/end of neighbours without counting as overlap.
        String h = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"z0\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[0,0]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"z1\":{\"dtype\":\"BF16\",\"shape\":[0],\"data_offsets\":[4,4]},"
                + "\"b\":{\"dtype\":\"I32\",\"shape\":[],\"data_offsets\":[4,8]}}    ";
        Path p = write(dir, "ok.safetensors", bytes(h, ints(Float.floatToIntBits(1.5f), 7)));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertThat(f.metadata()).containsExactly(entry("format", "pt"));
            assertThat(f.tensors().keySet()).containsExactly("z0", "a", "z1", "b");
            assertThat(f.readFloats("a")).containsExactly(1.5f);
            assertThat(f.readFloats("z0")).isEmpty();
            assertThat(f.info("b").orElseThrow().shape()).isEmpty();
            assertThat(f.info("b").orElseThrow().elementCount()).isEqualTo(1);
            assertThat(f.raw("b").byteSize()).isEqualTo(4);
            assertThatThrownBy(() -> f.readFloats("b")).isInstanceOf(CheckpointException.class).hasMessageContaining("tensor 'b' has dtype I32, expected F32, BF16 or F16");
            assertThatThrownBy(() -> f.readFloats("nope")).isInstanceOf(CheckpointException.class).hasMessageContaining("no tensor 'nope'");
            assertThatThrownBy(() -> f.readInto("a", new float[1], 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has 1 elements but the destination has 0");
        }
    }

    @Test
    void headerParserRejectsASegmentSmallerThanTheClaimedFileSize() {
        var seg = java.lang.foreign.MemorySegment.ofArray(new byte[4]);
        assertThatThrownBy(() -> SafetensorsFile.SafetensorsHeader.parse("x", seg, 8)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bf16WidensBitExactly() {
        // bf16 is the top half of an fp32 word: value bits << 16.
        int[] words = {0x3F80, 0xC000, 0x0000, 0x8000, 0x7F80, 0xFF80, 0x7FC0, 0x0001, 0x807F, 0x3EAB, 0x7F7F};
        float[] v = readOne("BF16", words);
        assertThat(v[0]).isEqualTo(1.0f);
        assertThat(v[1]).isEqualTo(-2.0f);
        assertThat(Float.floatToRawIntBits(v[2])).isEqualTo(0);
        assertThat(Float.floatToRawIntBits(v[3])).isEqualTo(0x80000000); // -0.0 keeps its sign
        assertThat(v[4]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(v[5]).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(v[6]).isNaN();
        assertThat(v[7]).isEqualTo((float) Math.scalb(1.0, -133)); // smallest bf16 subnormal: 2^-126 * 2^-7
        assertThat(v[8]).isEqualTo((float) -(127 * Math.scalb(1.0, -133))); // largest negative subnormal
        assertThat(v[9]).isEqualTo(0.333984375f); // 0x3EAB = 1.0101011b * 2^-2 = 171/512
        assertThat(v[10]).isEqualTo((float) (255 * Math.scalb(1.0, 127 - 7))); // largest finite bf16
    }

    @Test
    void f16WidensExactlyIncludingSubnormalsInfAndNaN() {
        int[] words = {0x3C00, 0xC000, 0x7BFF, 0x0001, 0x03FF, 0x0400, 0x7C00, 0xFC00, 0x7E00, 0x7C01, 0x8000, 0x3555, 0x8001};
        float[] v = readOne("F16", words);
        assertThat(v[0]).isEqualTo(1.0f);
        assertThat(v[1]).isEqualTo(-2.0f);
        assertThat(v[2]).isEqualTo(65504f); // largest finite half
        assertThat(v[3]).isEqualTo((float) Math.scalb(1.0, -24)); // smallest subnormal
        assertThat(v[4]).isEqualTo((float) (1023 * Math.scalb(1.0, -24))); // largest subnormal
        assertThat(v[5]).isEqualTo((float) Math.scalb(1.0, -14)); // smallest normal
        assertThat(v[6]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(v[7]).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(v[8]).isNaN(); // quiet NaN
        assertThat(v[9]).isNaN(); // signalling NaN pattern is still NaN, never inf
        assertThat(Float.floatToRawIntBits(v[10])).isEqualTo(0x80000000);
        assertThat(v[11]).isEqualTo(0.333251953125f); // 0x3555 = (1 + 341/1024) * 2^-2
        assertThat(v[12]).isEqualTo((float) -Math.scalb(1.0, -24));
    }

    @Test
    void f32IsReadLittleEndianBitExactly() {
        int[] bits = {0x3F800000, 0x00000001, 0x7F800000, 0x7FC00000, 0x80000000, 0xC0490FDB};
        String h = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}}";
        Path p = write(dir, "f32.safetensors", bytes(h, ints(bits)));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            float[] v = f.readFloats("w");
            for (int i = 0; i < bits.length; i++) assertThat(Float.floatToRawIntBits(v[i])).isEqualTo(bits[i]);
            // readFloats releases the tensor's mapped pages; a second read faults them back in unchanged
            assertThat(f.readFloats("w")).isEqualTo(v);
            float[] dst = new float[8];
            f.readInto("w", dst, 2);
            assertThat(dst[0]).isZero();
            assertThat(dst[2]).isEqualTo(1.0f);
            assertThat(Float.floatToRawIntBits(dst[7])).isEqualTo(0xC0490FDB);
        }
    }

    @Test
    void bf16LongerThanOneConversionBlockIsReadCompletely() {
        int n = (1 << 16) + 5;
        int[] words = new int[n];
        for (int i = 0; i < n; i++) words[i] = 0x3F80 + (i % 100); // 1.0 + k/128
        float[] v = readOne("BF16", words);
        assertThat(v).hasSize(n);
        for (int i : new int[]{0, 99, 65535, 65536, n - 1}) assertThat(v[i]).isEqualTo(1.0f + (i % 100) / 128f);
    }

    private float[] readOne(String dtype, int[] words) {
        String h = "{\"w\":{\"dtype\":\"" + dtype + "\",\"shape\":[" + words.length + "],\"data_offsets\":[0," + 2 * words.length + "]}}";
        Path p = write(dir, dtype + ".safetensors", bytes(h, shorts(words)));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            float[] v = f.readFloats("w");
            return v;
        }
    }

    @Test
    void headerMayContainNonAsciiNames() {
        String h = "{\"größe\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        Path p = write(dir, "u.safetensors", bytes(h, ints(0)));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertThat(f.tensors()).containsKey("größe");
        }
        assertThat(h.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(h.length());
    }
}
