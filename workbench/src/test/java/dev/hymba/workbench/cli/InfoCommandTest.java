package dev.hymba.workbench.cli;

import dev.hymba.core.io.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class InfoCommandTest {
    @Test
    void printsLayerMapOfTheReal15BConfig() {
        assumeTrue(SharedData.golden().isPresent(), "../shared/golden is absent");
        Path dir = SharedData.golden().get().resolve("hymba-1.5b-reference-files");
        CliTestSupport.Result r = CliTestSupport.run("info", "--model", dir.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("1,522,797,824").contains("meta tokens      128").contains("base 74534.8303")
                .contains("weights          none found (config only)");
        assertThat(r.out()).containsPattern("(?m)^\\s+0  global\\s+own$");
        assertThat(r.out()).containsPattern("(?m)^\\s+16  local \\(W=1024\\)\\s+own -> \\[17, 18\\]$");
        assertThat(r.out()).containsPattern("(?m)^\\s+18  local \\(W=1024\\)\\s+reuses layer 16$");
    }

    @Test
    void summarisesWeightsOfAGoldenCheckpoint() {
        assumeTrue(SharedData.golden().isPresent(), "../shared/golden is absent");
        CliTestSupport.Result r = CliTestSupport.run("info", "--model", SharedData.golden().get().resolve("tiny-b").toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("meta tokens      0").contains("dtypes {F32=");
        assertThat(r.out()).containsPattern("(?m)^\\s+1  local \\(W=12\\)\\s+own -> \\[2, 3\\]$");
    }

    @Test
    void badInputIsOneLineOnStderrWithExitCode2(@TempDir Path tmp) throws Exception {
        CliTestSupport.Result missing = CliTestSupport.run("info", "--model", tmp.resolve("nope").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("hymba info: --model " + tmp.resolve("nope") + ": not a folder");

        Files.writeString(tmp.resolve("config.json"), "{\"model_type\": \"hymba\", \"hidden_size\": 64, \"num_hidden_layers\": 2, \"num_attention_heads\": 3}");
        CliTestSupport.Result bad = CliTestSupport.run("info", "--model", tmp.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("num_attention_heads").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(bad.err().strip().lines()).hasSize(1);

        CliTestSupport.Result verbose = CliTestSupport.run("info", "--model", tmp.toString(), "--verbose");
        assertThat(verbose.err()).contains("\tat ");
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliTestSupport.Result r = CliTestSupport.run("info", "--modle", "x");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option").contains("--help");
    }
}
