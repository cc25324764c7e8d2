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

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CompareCommandTest {
    static Path golden;

    @BeforeAll
    static void golden() {
        assumeTrue(SharedData.golden().isPresent(), "../shared/golden is absent");
        golden = SharedData.golden().get().resolve("tiny-a");
    }

    @Test
    void identicalRunsHaveZeroDeltas(@TempDir Path tmp) throws Exception {
        CliTestSupport.Result r = CliTestSupport.run("compare", "--model", golden.toString(), "--ids", golden.resolve("input_ids.npy").toString(), "--out", tmp.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("mean KL(A||B) 0.000000").contains("top-1 changed at 0 of 72");
        for (float v : Npy.read(tmp.resolve("kl_per_token.npy")).floats()) assertThat(v).isZero();
    }

    @Test
    void layerLocalisationOfTheGlobalLayersShowsUpPastTheWindow(@TempDir Path tmp) throws Exception {
        Path b = tmp.resolve("b.json");
        Files.writeString(b, "{\"version\":1,\"attention\":[{\"layer\":3,\"mode\":\"local\",\"window\":16},{\"layer\":5,\"mode\":\"local\",\"window\":16}]}");
        Path out = tmp.resolve("o");
        CliTestSupport.Result r = CliTestSupport.run("compare", "--model", golden.toString(), "--ids", golden.resolve("input_ids.npy").toString(), "--b", b.toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        float[] kl = Npy.read(out.resolve("kl_per_token.npy")).floats();
        // Rows up to the window see only keys a local mask also allows (the rest are meta): identical there.
        for (int t = 0; t <= 16; t++) assertThat(kl[t]).as("position %d", t).isZero();
        assertThat(kl[40]).isPositive();
        JsonNode json = new ObjectMapper().readTree(out.resolve("comparison.json").toFile());
        assertThat(json.get("head_deltas_b_minus_a").get("entropy")).hasSize(6);
        assertThat(json.get("head_deltas_b_minus_a").get("entropy").get(0).get(0).asDouble()).isZero();
        assertThat(Math.abs(json.get("head_deltas_b_minus_a").get("entropy").get(3).get(0).asDouble())).isPositive();
        assertThat(Files.readAllLines(out.resolve("per_token.csv"))).hasSize(73);
    }
}
