package dev.hymba.workbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hymba.core.io.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AblationCliTest {
    static Path golden;

    @BeforeAll
    static void golden() {
        assumeTrue(SharedData.golden().isPresent(), "../shared/golden is absent");
        golden = SharedData.golden().get().resolve("tiny-a");
    }

    @Test
    void traceWithAnAblationRecordsItInProvenanceAndSkipsTheEditedTrustCheck(@TempDir Path tmp) throws Exception {
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, "{\"version\":1,\"heads\":[{\"layer\":4,\"head\":1,\"replace\":\"zero\",\"stage\":\"pre_norm\"}],\"branches\":[{\"layer\":2,\"branch\":\"ssm\"}]}");
        Path out = tmp.resolve("t");
        CliTestSupport.Result r = CliTestSupport.run("trace", "--model", golden.toString(), "--ids", golden.resolve("input_ids.npy").toString(), "--ablation", spec.toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode prov = new ObjectMapper().readTree(out.resolve("provenance.json").toFile());
        assertThat(prov.get("out_of_distribution").asBoolean()).isTrue();
        assertThat(prov.get("ablation").asText()).contains("\"heads\"");
        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(metrics.get("layers").get(4).get("trust_check").asText()).startsWith("skipped");
        assertThat(metrics.get("layers").get(3).get("trust_check").asText()).startsWith("passed");
        // The SSM branch of layer 2 is off: its slice of ssm_out.npy is all zeros.
        float[] ssm = dev.hymba.core.io.Npy.read(out.resolve("ssm_out.npy")).floats();
        int per = 80 * 128;
        for (int i = 2 * per; i < 3 * per; i++) assertThat(ssm[i]).isZero();
        assertThat(ssm[per]).isNotZero();
    }

    @Test
    void invalidSpecsNameTheField(@TempDir Path tmp) throws Exception {
        Path spec = tmp.resolve("bad.json");
        Files.writeString(spec, "{\"version\":1,\"attention\":[{\"layer\":2,\"mode\":\"local\",\"window\":0}]}");
        CliTestSupport.Result r = CliTestSupport.run("trace", "--model", golden.toString(), "--ids", golden.resolve("input_ids.npy").toString(), "--ablation", spec.toString(), "--out", tmp.resolve("o").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("window").contains(spec.toString());
        Files.writeString(spec, "{\"version\":1,\"branches\":[{\"layer\":9,\"branch\":\"ssm\"}]}");
        assertThat(CliTestSupport.run("trace", "--model", golden.toString(), "--ids", golden.resolve("input_ids.npy").toString(), "--ablation", spec.toString(), "--out", tmp.resolve("o").toString()).err())
                .contains("branches[0].layer");
        Files.writeString(spec, "{\"version\":1,");
        assertThat(CliTestSupport.run("trace", "--model", golden.toString(), "--ids", golden.resolve("input_ids.npy").toString(), "--ablation", spec.toString(), "--out", tmp.resolve("o").toString()).exitCode())
                .isEqualTo(2);
    }

    @Test
    void pluginInterventionsInASpecRunInTraceAndCompare(@TempDir Path tmp) throws Exception {
        String ids = golden.resolve("input_ids.npy").toString();
        Path viaPlugin = tmp.resolve("plugin.json"), builtIn = tmp.resolve("builtin.json");
        // scale-branch with factor 0 is the engine's own branch-off: compare finds the two runs identical
        Files.writeString(viaPlugin, "{\"version\":1,\"interventions\":[{\"plugin\":\"scale-branch\",\"params\":{\"layer\":2,\"branch\":\"attention\",\"factor\":0}}]}");
        Files.writeString(builtIn, "{\"version\":1,\"branches\":[{\"layer\":2,\"branch\":\"attention\"}]}");
        CliTestSupport.Result c = CliTestSupport.run("compare", "--model", golden.toString(), "--ids", ids, "--a", viaPlugin.toString(), "--b", builtIn.toString(), "--out", tmp.resolve("c").toString());
        assertThat(c.exitCode()).as(c.err()).isZero();
        assertThat(c.out()).contains("plugin intervention scale-branch").contains("mean KL(A||B) 0.000000").contains("top-1 changed at 0 of");
        for (float v : dev.hymba.core.io.Npy.read(tmp.resolve("c").resolve("kl_per_token.npy")).floats()) assertThat(v).isZero();

        Path out = tmp.resolve("t");
        CliTestSupport.Result t = CliTestSupport.run("trace", "--model", golden.toString(), "--ids", ids, "--ablation", viaPlugin.toString(), "--out", out.toString());
        assertThat(t.exitCode()).as(t.err()).isZero();
        JsonNode prov = new ObjectMapper().readTree(out.resolve("provenance.json").toFile());
        assertThat(prov.get("out_of_distribution").asBoolean()).isTrue();
        assertThat(prov.get("ablation").asText()).contains("\"interventions\"").contains("scale-branch");

        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\"version\":1,\"interventions\":[{\"plugin\":\"scale-brnach\",\"params\":{}}]}");
        CliTestSupport.Result u = CliTestSupport.run("trace", "--model", golden.toString(), "--ids", ids, "--ablation", bad.toString(), "--out", tmp.resolve("o").toString());
        assertThat(u.exitCode()).isEqualTo(2);
        assertThat(u.err()).contains(bad.toString()).contains("interventions[0].plugin: unknown intervention type \"scale-brnach\" (known types: ").contains("scale-branch");
        Files.writeString(bad, "{\"version\":1,\"interventions\":[{\"plugin\":\"scale-branch\",\"params\":{\"layer\":2,\"branch\":\"mlp\",\"factor\":0}}]}");
        CliTestSupport.Result p = CliTestSupport.run("trace", "--model", golden.toString(), "--ids", ids, "--ablation", bad.toString(), "--out", tmp.resolve("o").toString());
        assertThat(p.exitCode()).isEqualTo(2);
        assertThat(p.err()).contains("interventions[0].params: scale-branch rejected its params: params.branch: expected \"attention\" or \"ssm\", got mlp");
    }
}
