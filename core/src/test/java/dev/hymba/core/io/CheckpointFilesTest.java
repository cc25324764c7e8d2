package dev.hymba.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.*;

/** Single-file and sharded (index + shards) checkpoints, including every index defect. */
class CheckpointFilesTest {
    @TempDir
    Path dir;

    private void shard(String file, String... names) {
        SafetensorsWriter.write(dir.resolve(file), java.util.Arrays.stream(names)
                .map(n -> SafetensorsWriter.Tensor.of(n, DType.F32, new long[]{2}, new float[]{n.length(), file.length()})).toList());
    }

    private void index(String weightMap) throws Exception {
        Files.writeString(dir.resolve(CheckpointFiles.INDEX), "{\"metadata\":{\"total_size\":0},\"weight_map\":" + weightMap + "}");
    }

    @Test
    void shardedLookupsGoToTheMappedShard() throws Exception {
        shard("model-00001-of-00002.safetensors", "a", "bb");
        shard("model-00002-of-00002.safetensors", "ccc");
        index("{\"a\":\"model-00001-of-00002.safetensors\",\"bb\":\"model-00001-of-00002.safetensors\",\"ccc\":\"model-00002-of-00002.safetensors\"}");
        try (CheckpointFiles f = CheckpointFiles.open(dir)) {
            assertThat(f.names()).containsExactlyInAnyOrder("a", "bb", "ccc");
            assertThat(f.files()).hasSize(2);
            assertThat(f.fileOf("ccc")).contains(dir.resolve("model-00002-of-00002.safetensors"));
            assertThat(f.readFloats("ccc")).containsExactly(3f, 32f);
            assertThat(f.readFloats("bb")).containsExactly(2f, 32f);
            assertThatThrownBy(() -> f.readFloats("zz")).isInstanceOf(CheckpointException.class).hasMessageContaining("no tensor 'zz' in the checkpoint");
        }
    }

    @Test
    void indexTakesPrecedenceOverASingleFile() throws Exception {
        shard("model.safetensors", "single");
        shard("s.safetensors", "sharded");
        index("{\"sharded\":\"s.safetensors\"}");
        try (CheckpointFiles f = CheckpointFiles.open(dir)) {
            assertThat(f.names()).containsExactly("sharded");
        }
    }

    @Test
    void missingShard() throws Exception {
        shard("s1.safetensors", "a");
        index("{\"a\":\"s1.safetensors\",\"b\":\"s2.safetensors\"}");
        assertThatThrownBy(() -> CheckpointFiles.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessage(dir.resolve(CheckpointFiles.INDEX) + ": shard 's2.safetensors' (for tensor 'b') does not exist");
    }

    @Test
    void tensorNotInItsMappedShard() throws Exception {
        shard("s1.safetensors", "a");
        shard("s2.safetensors", "b");
        index("{\"a\":\"s1.safetensors\",\"b\":\"s1.safetensors\"}");
        assertThatThrownBy(() -> CheckpointFiles.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessage(dir.resolve(CheckpointFiles.INDEX) + ": tensor 'b' is mapped to s1.safetensors but that file does not contain it");
    }

    @Test
    void shardNamesMustBePlainFileNames() throws Exception {
        Path inner = Files.createDirectories(dir.resolve("model"));
        shard("outside.safetensors", "a");
        for (String bad : List.of("../outside.safetensors", "/etc/passwd", "sub\\\\x.safetensors", "..", "")) {
            Files.writeString(inner.resolve(CheckpointFiles.INDEX), "{\"weight_map\":{\"a\":\"" + bad + "\"}}");
            assertThatThrownBy(() -> CheckpointFiles.open(inner)).as(bad).isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("must be a plain file name");
        }
    }

    @Test
    void malformedIndexes() throws Exception {
        Path idx = dir.resolve(CheckpointFiles.INDEX);
        Files.writeString(idx, "{\"weight_map\":");
        assertThatThrownBy(() -> CheckpointFiles.open(dir)).isInstanceOf(CheckpointException.class).hasMessageContaining(idx + ": not readable JSON");
        Files.writeString(idx, "{\"metadata\":{}}");
        assertThatThrownBy(() -> CheckpointFiles.open(dir)).isInstanceOf(CheckpointException.class).hasMessage(idx + ": missing 'weight_map' object");
        Files.writeString(idx, "[]");
        assertThatThrownBy(() -> CheckpointFiles.open(dir)).isInstanceOf(CheckpointException.class).hasMessage(idx + ": missing 'weight_map' object");
        Files.writeString(idx, "{\"weight_map\":{\"a\":5}}");
        assertThatThrownBy(() -> CheckpointFiles.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessage(idx + ": weight_map entry for 'a' is NUMBER, not a file name");
        Files.writeString(idx, "{\"weight_map\":{\"a\":\"x\\u0000y\"}}");
        assertThatThrownBy(() -> CheckpointFiles.open(dir)).isInstanceOf(CheckpointException.class).hasMessageContaining("is not a valid file name");
    }

    @Test
    void brokenShardIsNamedAndAlreadyOpenedShardsAreClosed() throws Exception {
        shard("s1.safetensors", "a");
        RawSafetensors.write(dir, "s2.safetensors", new byte[]{1, 2});
        index("{\"a\":\"s1.safetensors\",\"b\":\"s2.safetensors\"}");
        assertThatThrownBy(() -> CheckpointFiles.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining(dir.resolve("s2.safetensors") + ": truncated: 2 bytes");
    }

    @Test
    void emptyFolder() {
        assertThatThrownBy(() -> CheckpointFiles.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessage(dir + ": no model.safetensors or model.safetensors.index.json found");
    }
}
