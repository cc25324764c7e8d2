package dev.hymba.core.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.BeforeAll;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the safetensors header parser over arbitrary file bytes. Regression mode (plain {@code mvn test}) replays
 * the committed corpus in {@code src/test/resources/dev/hymba/core/io/SafetensorsHeaderFuzzTestInputs/}; see
 * core/FUZZING.md for fuzzing mode. Contract: any input either parses into a header whose every tensor lies inside
 * the data section without overlap, with byte length = elements × dtype size, and whose float tensors convert
 * without error, or it is refused with a {@link CheckpointException}; nothing else may escape.
 */
class SafetensorsHeaderFuzzTest {
    @BeforeAll
    static void noAgentInRegressionMode() { FuzzSupport.noAgentInRegressionMode(); }

    @FuzzTest(maxDuration = "2m")
    void header(byte[] file) {
        MemorySegment seg = MemorySegment.ofArray(file);
        SafetensorsFile.SafetensorsHeader h;
        try {
            h = SafetensorsFile.SafetensorsHeader.parse("fuzz", seg, file.length);
        } catch (CheckpointException expected) {
            assertThat(expected.getMessage()).startsWith("fuzz: ");
            return;
        }
        assertThat(h.dataStart()).isBetween(10L, (long) file.length);
        List<TensorInfo> nonEmpty = new ArrayList<>();
        for (TensorInfo t : h.tensors().values()) {
            assertThat(t.begin()).isBetween(h.dataStart(), (long) file.length);
            assertThat(t.end()).isBetween(t.begin(), (long) file.length);
            assertThat(t.end() - t.begin()).isEqualTo(t.elementCount() * t.dtype().bytes());
            if (t.end() > t.begin()) nonEmpty.add(t);
            if (t.dtype().isFloatingWeight()) {
                float[] dst = new float[(int) t.elementCount()];
                SafetensorsFile.convert(seg, t.begin(), t.dtype(), dst, 0, dst.length, "fuzz");
            }
        }
        nonEmpty.sort(Comparator.comparingLong(TensorInfo::begin));
        for (int i = 1; i < nonEmpty.size(); i++) assertThat(nonEmpty.get(i).begin()).isGreaterThanOrEqualTo(nonEmpty.get(i - 1).end());
    }
}
