package dev.hymba.workbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hymba.core.io.Npy;
import dev.hymba.core.io.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The CLI's files against NVIDIA's golden outputs: same names, shapes and values (1e-4 of max|ref|). */
class TraceAndLogitsCommandTest {
    static Path golden;

    @BeforeAll
    static void golden() {
        assumeTrue(SharedData.golden().isPresent(), "../shared/golden is absent");
        golden = SharedData.golden().get().resolve("tiny-a");
    }

    private static void assertSameArray(Path expected, Path actual) throws Exception {
        Npy.Array e = Npy.read(expected), a = Npy.read(actual);
        assertThat(a.shape()).as(actual.getFileName() + " shape").isEqualTo(e.shape());
        double maxRef = 0, maxDiff = 0;
        for (int i = 0; i < e.size(); i++) {
            maxRef = Math.max(maxRef, Math.abs(e.floats()[i]));
            maxDiff = Math.max(maxDiff, Math.abs(e.floats()[i] - a.floats()[i]));
        }
        assertThat(maxDiff).as(actual.getFileName() + " max|diff|").isLessThanOrEqualTo(1e-4 * maxRef);
    }

    @Test
    void logitsCommandWritesTheGoldenLogits(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("logits.npy");
        CliTestSupport.Result r = CliTestSupport.run("logits", "--model", golden.toString(), "--ids", golden.resolve("input_ids.npy").toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertSameArray(golden.resolve("logits.npy"), out);
    }

    @Test
    void logitsAcceptInt64Ids(@TempDir Path tmp) throws Exception {
        int[] ids = Npy.read(golden.resolve("input_ids.npy")).intData();
        Path ids64 = tmp.resolve("ids64.npy");
        // int64 little-endian .npy written by hand: header then 8-byte values.
        byte[] header = ("{'descr': '<i8', 'fortran_order': False, 'shape': (" + ids.length + ",), }").getBytes();
        int pad = (64 - (10 + header.length + 1) % 64) % 64;
        java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
        bos.write(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        int hl = header.length + pad + 1;
        bos.write(hl & 0xff);
        bos.write(hl >> 8);
        bos.write(header);
        bos.write(" ".repeat(pad).getBytes());
        bos.write('\n');
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(8 * ids.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int id : ids) bb.putLong(id);
        bos.write(bb.array());
        Files.write(ids64, bos.toByteArray());
        Path out = tmp.resolve("l.npy");
        assertThat(CliTestSupport.run("logits", "--model", golden.toString(), "--ids", ids64.toString(), "--out", out.toString()).exitCode()).isZero();
        assertSameArray(golden.resolve("logits.npy"), out);
    }

    @Test
    void traceCommandWritesEveryGoldenArray(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("trace");
        CliTestSupport.Result r = CliTestSupport.run("trace", "--model", golden.toString(), "--ids", golden.resolve("input_ids.npy").toString(),
                "--out", out.toString(), "--maps", "all");
        assertThat(r.exitCode()).as(r.err()).isZero();
        for (String f : List.of("hidden_states.npy", "attn_out.npy", "ssm_out.npy", "attn_probs.npy", "ssm_delta.npy", "ssm_state_norm.npy", "fusion_scales.npy", "logits.npy"))
            assertSameArray(golden.resolve(f), out.resolve(f));
        assertThat(Npy.read(out.resolve("input_ids.npy")).intData()).containsExactly(Npy.read(golden.resolve("input_ids.npy")).intData());
        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(metrics.get("layers")).hasSize(6);
        assertThat(metrics.get("layers").get(0).get("trust_check").asText()).startsWith("passed");
        assertThat(metrics.get("layers").get(2).get("kv_producer").asInt()).isEqualTo(1);
        assertThat(metrics.get("layers").get(1).get("heads")).hasSize(4);
        JsonNode prov = new ObjectMapper().readTree(out.resolve("provenance.json").toFile());
        assertThat(prov.get("model_fingerprint_sha256").asText()).hasSize(64);
        assertThat(prov.get("token_ids")).hasSize(72);
    }

    @Test
    void selectedMapsOnly(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("t");
        CliTestSupport.Result r = CliTestSupport.run("trace", "--model", golden.toString(), "--ids", golden.resolve("input_ids.npy").toString(), "--out", out.toString(), "--maps", "4:3,0:1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(out.resolve("attn_probs.npy")).doesNotExist();
        float[] all = Npy.read(golden.resolve("attn_probs.npy")).floats();
        float[] m = Npy.read(out.resolve("attn_map_L4_H3.npy")).floats();
        int T = 80;
        for (int i = 0; i < T * T; i++) assertThat(Math.abs(m[i] - all[(4 * 4 + 3) * T * T + i])).isLessThan(1e-4f);
        assertThat(CliTestSupport.run("trace", "--model", golden.toString(), "--ids", golden.resolve("input_ids.npy").toString(), "--out", out.toString(), "--maps", "9:0").err())
                .contains("--maps: layer 9 is outside 0..5");
    }

    @Test
    void badIdsAndOutputsAreRejectedClearly(@TempDir Path tmp) throws Exception {
        Path floats = tmp.resolve("f.npy");
        Npy.writeFloat32(floats, new float[]{1, 2}, 2);
        CliTestSupport.Result r = CliTestSupport.run("logits", "--model", golden.toString(), "--ids", floats.toString(), "--out", tmp.resolve("o.npy").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("dtype <f4 is not int32 or int64");
        Path big = tmp.resolve("big.npy");
        Npy.writeInt32(big, new int[]{1, 600}, 2);
        assertThat(CliTestSupport.run("logits", "--model", golden.toString(), "--ids", big.toString(), "--out", tmp.resolve("o.npy").toString()).err())
                .contains("token id 600 at index 1 is outside the vocabulary 0..511");
        assertThat(CliTestSupport.run("logits", "--model", golden.toString(), "--ids", golden.resolve("input_ids.npy").toString(), "--out", tmp.resolve("no/such/dir/o.npy").toString()).err())
                .contains("does not exist");
        assertThat(CliTestSupport.run("logits", "--model", golden.toString(), "--out", tmp.resolve("o.npy").toString()).err())
                .contains("give exactly one of --ids");
    }
}
